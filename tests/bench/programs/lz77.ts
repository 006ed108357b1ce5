// LZ77 compression with hash chains over a 64 KiB buffer of repetitive
// text, then decompression and a check that the round trip is exact:
// byte loads and stores, a hash table and chain array, nested loops with
// early exits.

const SIZE: i32 = 1 << 16;
const HASH_BITS: i32 = 12;
const WINDOW: i32 = 4096;
const CHAIN: i32 = 16;
const MARK: u8 = 0xff;

function hashAt(input: Uint8Array, i: i32): i32 {
  return ((<i32>unchecked(input[i]) << 8) ^ (<i32>unchecked(input[i + 1]) << 4) ^ <i32>unchecked(input[i + 2])) & ((1 << HASH_BITS) - 1);
}

export function run(n: i32): i32 {
  const input = new Uint8Array(SIZE);
  let seed: u32 = 12345;
  for (let i = 0; i < SIZE; i++) {
    seed = seed * 1103515245 + 12345;
    const r = <i32>((seed >>> 16) & 31);
    input[i] = r < 20 || i < 64 ? <u8>(97 + (r & 7)) : input[i - 1 - r];
  }
  const head = new Int32Array(1 << HASH_BITS);
  const previous = new Int32Array(SIZE);
  const out = new Uint8Array(SIZE * 2);
  const back = new Uint8Array(SIZE);
  let check = 0;
  for (let round = 0; round < n; round++) {
    head.fill(-1);
    let o = 0;
    let i = 0;
    while (i < SIZE) {
      let best = 0;
      let distance = 0;
      if (i + 3 <= SIZE) {
        const h = hashAt(input, i);
        let candidate = unchecked(head[h]);
        let chain = CHAIN;
        while (candidate >= 0 && chain > 0 && i - candidate < WINDOW) {
          let length = 0;
          while (i + length < SIZE && length < 255 && unchecked(input[candidate + length]) == unchecked(input[i + length])) length++;
          if (length > best) { best = length; distance = i - candidate; }
          candidate = unchecked(previous[candidate]);
          chain--;
        }
        unchecked(previous[i] = unchecked(head[h]));
        unchecked(head[h] = i);
      }
      if (best >= 4) {
        unchecked(out[o] = MARK);
        unchecked(out[o + 1] = <u8>best);
        unchecked(out[o + 2] = <u8>(distance >> 8));
        unchecked(out[o + 3] = <u8>distance);
        o += 4;
        for (let k = 1; k < best; k++) {
          const j = i + k;
          if (j + 3 <= SIZE) {
            const h = hashAt(input, j);
            unchecked(previous[j] = unchecked(head[h]));
            unchecked(head[h] = j);
          }
        }
        i += best;
      } else {
        const b = unchecked(input[i]);
        unchecked(out[o] = b);
        o++;
        if (b == MARK) { unchecked(out[o] = 0); o++; }
        i++;
      }
    }
    // Decompress and compare.
    let p = 0;
    let q = 0;
    while (p < o) {
      const b = unchecked(out[p]);
      if (b != MARK) { unchecked(back[q] = b); q++; p++; continue; }
      const length = <i32>unchecked(out[p + 1]);
      if (length == 0) { unchecked(back[q] = MARK); q++; p += 2; continue; }
      const from = q - ((<i32>unchecked(out[p + 2]) << 8) | <i32>unchecked(out[p + 3]));
      for (let k = 0; k < length; k++) unchecked(back[q + k] = unchecked(back[from + k]));
      q += length;
      p += 4;
    }
    let same = q == SIZE ? 1 : 0;
    for (let k = 0; k < SIZE; k += 61) if (unchecked(back[k]) != unchecked(input[k])) same = 0;
    check = check * 31 + o * 2 + same;
  }
  return check;
}
