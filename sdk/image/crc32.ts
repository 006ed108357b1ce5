// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): the checksum GPT
// uses for its headers and partition arrays, and the payload archive for its
// header, table of contents and files.

const table = new StaticArray<u32>(256);
let tableReady = false;

function fillTable(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
    unchecked(table[n] = c);
  }
  tableReady = true;
}

/** CRC-32 of `length` bytes of `bytes` from `start`. */
export function crc32(bytes: Uint8Array, start: i32 = 0, length: i32 = -1): u32 {
  if (!tableReady) fillTable();
  const count = length < 0 ? bytes.length - start : length;
  let c: u32 = 0xffffffff;
  const base = bytes.dataStart + <usize>start;
  for (let i = 0; i < count; i++) {
    c = unchecked(table[(c ^ <u32>load<u8>(base + <usize>i)) & 0xff]) ^ (c >> 8);
  }
  return c ^ 0xffffffff;
}
