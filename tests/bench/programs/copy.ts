// Memory: memmove-like copies. Shifts overlapping windows of a 1 MiB buffer
// back and forth with memory.copy, byte loops and word loops, n rounds.
// Returns a checksum of the buffer.

const SIZE: i32 = 1 << 20;
const buffer = new StaticArray<u8>(SIZE);

function byteCopyForward(destination: usize, source: usize, length: i32): void {
  for (let i = 0; i < length; i++) store<u8>(destination + i, load<u8>(source + i));
}

function wordCopyBackward(destination: usize, source: usize, length: i32): void {
  for (let i = length - 8; i >= 0; i -= 8) store<u64>(destination + i, load<u64>(source + i));
}

export function run(n: i32): i32 {
  const base = changetype<usize>(buffer);
  for (let i = 0; i < SIZE; i++) unchecked(buffer[i] = <u8>(i * 7 + (i >> 8)));
  for (let round = 0; round < n; round++) {
    const shift = 1 + (round * 37) % 4093;
    memory.copy(base + shift, base, SIZE - shift);              // overlapping, forward move
    memory.copy(base, base + shift, SIZE - shift);              // overlapping, backward move
    byteCopyForward(base, base + 64 + shift, 64 * 1024);
    wordCopyBackward(base + 128 * 1024 + 8 * shift, base + 128 * 1024, 256 * 1024);
    memory.fill(base + (round * 4099) % (SIZE - 4096), <u8>round, 4096);
  }
  let checksum: u32 = 0;
  for (let i = 0; i < SIZE; i += 4) checksum = (checksum ^ load<u32>(base + i)) * 16777619;
  return <i32>checksum;
}
