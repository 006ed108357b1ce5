// Typed arrays: a 3x3 box blur over an 8-bit image, then a Float32Array reduction.
export function run(n: i32): i32 {
  const w = 256, h = 256;
  let src = new Uint8Array(w * h), dst = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) src[i] = <u8>((i * 2654435761) >>> 24);
  const f = new Float32Array(w);
  for (let r = 0; r < n; r++) {
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const o = y * w + x;
        const s = <u32>src[o - w - 1] + src[o - w] + src[o - w + 1] + src[o - 1] + src[o] + src[o + 1] + src[o + w - 1] + src[o + w] + src[o + w + 1];
        dst[o] = <u8>(s / 9);
      }
    }
    for (let x = 0; x < w; x++) f[x] += <f32>dst[w * 7 + x] * 0.5;
    const t = src; src = dst; dst = t;
  }
  let acc: f32 = 0;
  for (let x = 0; x < w; x++) acc += f[x];
  return <i32>acc + src[w * 100 + 100];
}
