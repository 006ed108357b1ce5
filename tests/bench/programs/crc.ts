// Bit manipulation: CRC-32 by table, popcount, rotations, leading zeros, i64 mixing.
const table = new StaticArray<u32>(256);
function init(): void {
  for (let i: u32 = 0; i < 256; i++) { let c = i; for (let k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320 ^ (c >>> 1) : c >>> 1; table[i] = c; }
}
export function run(n: i32): i32 {
  init();
  const data = new Uint8Array(4096);
  let x: u64 = 0x9e3779b97f4a7c15;
  for (let i = 0; i < data.length; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; data[i] = <u8>x; }
  let result: u32 = 0;
  for (let r = 0; r < n; r++) {
    let crc: u32 = 0xffffffff;
    for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    result ^= ~crc;
    let h: u64 = <u64>r;
    for (let i = 0; i < 64; i++) { h = rotl<u64>(h * 0xff51afd7ed558ccd, 31) ^ <u64>popcnt<u64>(h) ^ <u64>clz<u64>(h | 1); }
    result += <u32>h ^ <u32>(h >> 32);
    data[r & 4095] = <u8>result;
  }
  return <i32>result;
}
