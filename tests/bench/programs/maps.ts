// Maps: churns a Map<i32, i32> (insert, update, look up, delete) and a
// Map<string, i32> keyed by generated names. Returns a checksum of what was
// read back and the final sizes.

export function run(n: i32): i32 {
  const numbers = new Map<i32, i32>();
  const names = new Map<string, i32>();
  let checksum: u32 = 0;
  let x: u32 = 12345;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    const key = <i32>(x % 4096);
    if (numbers.has(key)) {
      const value = numbers.get(key);
      checksum = checksum * 31 + <u32>value;
      if ((value & 3) == 0) numbers.delete(key);
      else numbers.set(key, value + i);
    } else {
      numbers.set(key, i);
    }
    if ((i & 7) == 0) {
      const name = "k" + (key & 511).toString();
      if (names.has(name)) names.set(name, names.get(name) + 1);
      else names.set(name, 1);
    }
  }
  const keys = names.keys();
  for (let i = 0; i < keys.length; i++) checksum = checksum * 31 + <u32>names.get(keys[i]);
  return <i32>(checksum ^ <u32>numbers.size ^ (<u32>names.size << 16));
}
