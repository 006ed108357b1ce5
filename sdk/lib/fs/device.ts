// The block device a Delos volume lives on: whole blocks read, written and
// flushed, nothing else. The file system library makes no system calls; a
// component wraps its block driver's protocol in this class, the host wraps a
// file or an array in memory (sdk/lib/fs/host-entry.ts).

/** The size of every block the file system reads or writes. */
export const BLOCK_SIZE: i32 = 4096;

/**
 * A device of `blockCount` blocks of BLOCK_SIZE bytes. A write is durable only
 * once a later flush has returned; writes between two flushes may reach the
 * medium in any order, and the last one before a power cut may be torn.
 */
export abstract class BlockDevice {
  /** How many blocks the device holds. */
  abstract blockCount(): u64;
  /** Reads block `block` into the BLOCK_SIZE bytes at `into`; false on an I/O error. */
  abstract read(block: u64, into: usize): bool;
  /** Writes the BLOCK_SIZE bytes at `from` to block `block`; false on an I/O error. */
  abstract write(block: u64, from: usize): bool;
  /** Returns once every write before it is durable; false on an I/O error. */
  abstract flush(): bool;
  /** What the last failed read or write found, when the device can say more than "I/O error" (a verifying device names the block and both hashes). */
  why(): string { return ""; }
  /** True when the device refuses every write (the verified system volume): a volume on it then refuses every change. */
  readOnly(): bool { return false; }
}

/** "cannot read block N", with the device's reason when it gives one. */
export function readFailure(device: BlockDevice, block: u64): string {
  const why = device.why();
  return "cannot read block " + block.toString() + (why.length > 0 ? ": " + why : "");
}
