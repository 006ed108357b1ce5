// Division: by constants and by variables, signed and unsigned, 32 and 64 bits; digits of numbers.
export function run(n: i32): i32 {
  let s: i64 = 0;
  let u: u32 = 0;
  for (let i = 1; i <= n; i++) {
    let v = i * 7919;
    while (v > 0) { s += v % 10; v /= 10; }
    u += <u32>i / 3 + <u32>i % 7 + <u32>(i * 13) / <u32>(i % 97 + 1);
    const w: i64 = <i64>i * 1000003;
    s += w / 1000 + w % 17 - (w / <i64>(i % 31 + 1));
  }
  return <i32>(s ^ <i64>u);
}
