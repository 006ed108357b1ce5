// Free space: one bit per block, kept whole in memory and written to disk
// at each commit into the bitmap slot of that commit's superblock (two slots,
// as for the superblocks, so the slot of the last durable commit is never
// written). A slot is two commits behind, so a commit writes the bitmap
// blocks that changed in it or in the commit before; the first commit after
// mounting writes its whole slot, since a cut commit may have left it half
// written.
//
// A block freed by a commit is still referenced by the last durable tree, so
// it stays allocated in memory until that commit is durable (`release`). A
// block allocated and freed within one transaction was never referenced by a
// durable tree and is free at once.

import { BLOCK_SIZE, BlockDevice } from "./device";
import { BITS_PER_BITMAP_BLOCK, HEADER_SIZE, MAGIC_BITMAP, bitmapStart, checkHeader, firstDataBlock, seal } from "./format";

export class Space {
  /** One bit per block, set when allocated (or freed but not yet released). */
  readonly bits: StaticArray<u32>;
  /** Blocks freed in the open transaction that the durable tree still references. */
  pending: Array<u64> = [];
  /** Blocks allocated in the open transaction. */
  fresh: Set<u64> = new Set<u64>();
  private changedNow: Set<u64> = new Set<u64>();
  private changedBefore: Set<u64> = new Set<u64>();
  private writeWholeSlot: bool = true;
  private rotor: u64;
  used: u64 = 0;

  constructor(readonly blockCount: u64, readonly bitmapBlocks: u64) {
    this.bits = new StaticArray<u32>(<i32>((blockCount + 31) / 32));
    this.rotor = firstDataBlock(bitmapBlocks);
    for (let b: u64 = 0; b < firstDataBlock(bitmapBlocks); b++) this.mark(b, true);
  }

  isUsed(block: u64): bool { return (unchecked(this.bits[<i32>(block >> 5)]) & (1 << <u32>(block & 31))) != 0; }

  private mark(block: u64, used: bool): void {
    const word = <i32>(block >> 5), bit: u32 = 1 << <u32>(block & 31);
    const was = (this.bits[word] & bit) != 0;
    if (was == used) return;
    this.bits[word] = used ? this.bits[word] | bit : this.bits[word] & ~bit;
    if (used) this.used++; else this.used--;
    this.changedNow.add(block / BITS_PER_BITMAP_BLOCK);
  }

  /** A free block, now allocated to the open transaction; 0 when the volume is full. */
  allocate(): u64 {
    const first = firstDataBlock(this.bitmapBlocks);
    for (let pass = 0; pass < 2; pass++) {
      let block = this.rotor;
      while (block < this.blockCount) {
        const word = unchecked(this.bits[<i32>(block >> 5)]);
        if (word == 0xffffffff && (block & 31) == 0) { block += 32; continue; }
        if ((word & (1 << <u32>(block & 31))) == 0) {
          this.mark(block, true);
          this.fresh.add(block);
          this.rotor = block + 1;
          return block;
        }
        block++;
      }
      this.rotor = first;
    }
    return 0;
  }

  /** Frees `block`: at once if the open transaction allocated it, otherwise once the transaction is durable. */
  free(block: u64): void {
    if (this.fresh.has(block)) {
      this.fresh.delete(block);
      this.mark(block, false);
    } else {
      this.pending.push(block);
    }
  }

  /** Marks a block found in use while mounting (the bitmap is read, not rebuilt, so this only serves mkfs). */
  claim(block: u64): void { this.mark(block, true); }

  /**
   * Writes the bitmap as it will be once the open transaction is durable
   * (its pending frees cleared) into the slot of generation `generation`.
   * Nothing may be allocated between this and `release`.
   */
  writeSlot(device: BlockDevice, generation: u64, buffer: usize): bool {
    for (let i = 0; i < this.pending.length; i++) this.mark(this.pending[i], false);
    const start = bitmapStart(this.bitmapBlocks, generation % 2);
    for (let index: u64 = 0; index < this.bitmapBlocks; index++) {
      if (!this.writeWholeSlot && !this.changedNow.has(index) && !this.changedBefore.has(index)) continue;
      this.encodeBlock(index, buffer);
      seal(buffer, MAGIC_BITMAP, start + index, generation);
      if (!device.write(start + index, buffer)) return false;
    }
    return true;
  }

  /** The transaction is durable: its pending frees may be reused. */
  release(): void {
    this.pending = [];
    this.fresh.clear();
    this.changedBefore = this.changedNow;
    this.changedNow = new Set<u64>();
    this.writeWholeSlot = false;
  }

  /** The bits of bitmap block `index` into the bytes after the header at `buffer`. */
  private encodeBlock(index: u64, buffer: usize): void {
    memory.fill(buffer, 0, BLOCK_SIZE);
    const first = index * BITS_PER_BITMAP_BLOCK;
    for (let i: u64 = 0; i < BITS_PER_BITMAP_BLOCK && first + i < this.blockCount; i++) {
      if (this.isUsed(first + i)) {
        const at = buffer + HEADER_SIZE + <usize>(i >> 3);
        store<u8>(at, load<u8>(at) | <u8>(1 << <u8>(i & 7)));
      }
    }
  }

  /**
   * Reads the bitmap of slot `slot` into memory; returns the block that
   * failed its check, or 0 when all are sound (block 0 is a superblock, never
   * a bitmap block).
   */
  readSlot(device: BlockDevice, slot: u64, buffer: usize): u64 {
    const start = bitmapStart(this.bitmapBlocks, slot);
    this.used = 0;
    for (let index: u64 = 0; index < this.bitmapBlocks; index++) {
      if (!device.read(start + index, buffer) || checkHeader(buffer, MAGIC_BITMAP, start + index) != null) return start + index;
      const first = index * BITS_PER_BITMAP_BLOCK;
      for (let i: u64 = 0; i < BITS_PER_BITMAP_BLOCK && first + i < this.blockCount; i++) {
        const set = (load<u8>(buffer + HEADER_SIZE + <usize>(i >> 3)) & <u8>(1 << <u8>(i & 7))) != 0;
        const block = first + i, word = <i32>(block >> 5), bit: u32 = 1 << <u32>(block & 31);
        this.bits[word] = set ? this.bits[word] | bit : this.bits[word] & ~bit;
        if (set) this.used++;
      }
    }
    this.changedNow.clear();
    return 0;
  }
}
