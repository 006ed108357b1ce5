// First-class functions: call_indirect through a table of small functions.
function addOne(x: i32): i32 { return x + 1; }
function double(x: i32): i32 { return x << 1; }
function mix(x: i32): i32 { return (x ^ (x >>> 7)) * 0x2545; }
function neg(x: i32): i32 { return -x; }
function apply(f: (x: i32) => i32, x: i32): i32 { return f(x); }
export function run(n: i32): i32 {
  const fs: Array<(x: i32) => i32> = [addOne, double, mix, neg];
  let acc = 1;
  for (let i = 0; i < n; i++) {
    acc = apply(fs[i & 3], acc) ^ i;
    acc = fs[(acc >>> 3) & 3](acc);
  }
  return acc;
}
