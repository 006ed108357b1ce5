// CRC-32C (Castagnoli), the checksum of every block of a Delos volume
// (docs/fs-format.md). Chosen over CRC-32 (IEEE) and over a cryptographic
// hash: for 4 KiB blocks it detects every error of up to 3 bits and every
// burst of up to 32 bits, like CRC-32, but x86-64 computes it in hardware
// (SSE4.2 `crc32`) should the compiler ever offer the instruction, and it is
// what btrfs, ext4 and iSCSI use for the same job. It protects against
// decay, torn and misdirected writes, not against an adversary: the
// read-only system volume's hash tree is the place for that.

const POLYNOMIAL: u32 = 0x82f63b78; // reflected 0x1EDC6F41

const table = new StaticArray<u32>(256);
for (let i: u32 = 0; i < 256; i++) {
  let value = i;
  for (let bit = 0; bit < 8; bit++) value = (value & 1) != 0 ? (value >>> 1) ^ POLYNOMIAL : value >>> 1;
  unchecked(table[i] = value);
}

/** The CRC-32C of `length` bytes at `data`. */
export function crc32c(data: usize, length: usize): u32 {
  let crc: u32 = 0xffffffff;
  for (let i: usize = 0; i < length; i++) {
    crc = unchecked(table[(crc ^ <u32>load<u8>(data + i)) & 0xff]) ^ (crc >>> 8);
  }
  return crc ^ 0xffffffff;
}
