// The verified system volume: a hash tree over every block of a read-only
// Delos volume, in the manner of Linux's dm-verity (docs/disk-layout.md is
// the reference). The image builder builds the tree once; the file server
// reads the volume through a VerifiedDevice, which hashes each block as it
// is read and compares it with the tree, whose own blocks are checked up to
// a root hash that comes from somewhere the boot trusts (the payload
// archive). A block changed on the disk, by decay or by an adversary, is
// refused and named; nothing unverified reaches the file system.
//
// Why SHA-256 over 4 KiB blocks: the blocks are the volume's own, so one
// read is one hash; SHA-256 is what dm-verity, fs-verity and Android's
// verified boot use by default, a collision or second preimage is out of
// reach, and with 32-byte digests a hash block holds 128 of them, so a
// 1 GiB volume needs a tree of three levels and 8 MiB (0.8 %). CRC-32C,
// which every block already carries, is no defence against a forger.
//
// The tree: level 0 holds the digest of every volume block, 128 to a hash
// block (the last one zero-padded); level k+1 holds the digests of level
// k's blocks; the top level is one block, whose digest is the root hash.
// On disk, after the volume's blocks: one record block (an untrusted copy
// of the record, so tools can find the tree), then the levels, top level
// first. Hash blocks are not salted: the tree's shape is fixed by the block
// count in the trusted record, so a forger must find a second preimage of
// a given digest at a given place, which a salt would not make harder.

import { BLOCK_SIZE, BlockDevice } from "./device";
import { crc32c } from "./crc32c";
import { DIGEST_SIZE, hexOf, sha256 } from "./sha256";

/** "DVERITY1" as a little-endian u64: the record's magic. */
export const VERITY_MAGIC: u64 = 0x3159544952455644;
export const VERITY_VERSION: u32 = 1;
/** The hash algorithm field: 1 is SHA-256. */
export const HASH_SHA256: u32 = 1;
/** Bytes of an encoded record (docs/disk-layout.md, "The verity record"). */
export const VERITY_RECORD_SIZE: i32 = 96;
/** Digests per hash block. */
export const DIGESTS_PER_BLOCK: u64 = <u64>(BLOCK_SIZE / DIGEST_SIZE);
/** Hash blocks of the tree held verified in memory at once. */
const CACHED_HASH_BLOCKS: i32 = 64;

/**
 * Where a hash tree lies and its root: everything needed to verify a
 * volume. Encoded as the 96-byte verity record, in the payload archive
 * (trusted) and in the block before the tree (a copy for tools).
 */
export class HashTree {
  /** The verified volume's blocks: the hashed data, blocks 0 … dataBlocks−1 of the partition. */
  dataBlocks: u64 = 0;
  /** The partition block where the tree's top level begins. */
  treeStart: u64 = 0;
  /** Levels of the tree, level 0 hashing the data. */
  levels: i32 = 0;
  /** Hash blocks in each level. */
  levelSize: StaticArray<u64> = new StaticArray<u64>(0);
  /** The partition block of each level's first hash block. */
  levelStart: StaticArray<u64> = new StaticArray<u64>(0);
  /** SHA-256 of the top level's one block. */
  root: StaticArray<u8> = new StaticArray<u8>(DIGEST_SIZE);

  /** Why the last decode failed. */
  static error: string = "";

  /** The geometry of the tree over `dataBlocks` blocks, stored from `treeStart` (root not yet known). */
  static plan(dataBlocks: u64, treeStart: u64): HashTree {
    assert(dataBlocks > 0, "a hash tree needs at least one block to cover");
    const tree = new HashTree();
    tree.dataBlocks = dataBlocks;
    tree.treeStart = treeStart;
    const sizes = new Array<u64>();
    let count = dataBlocks;
    do {
      count = (count + DIGESTS_PER_BLOCK - 1) / DIGESTS_PER_BLOCK;
      sizes.push(count);
    } while (count > 1);
    tree.levels = sizes.length;
    tree.levelSize = new StaticArray<u64>(tree.levels);
    tree.levelStart = new StaticArray<u64>(tree.levels);
    let at = treeStart;
    for (let level = tree.levels - 1; level >= 0; level--) {
      tree.levelSize[level] = sizes[level];
      tree.levelStart[level] = at;
      at += sizes[level];
    }
    return tree;
  }

  /** Hash blocks in the whole tree. */
  get treeBlocks(): u64 {
    let total: u64 = 0;
    for (let level = 0; level < this.levels; level++) total += this.levelSize[level];
    return total;
  }

  /** The root hash in hexadecimal. */
  get rootHex(): string { return hexOf(changetype<usize>(this.root), DIGEST_SIZE); }

  /** Writes the record into the VERITY_RECORD_SIZE bytes at `at`. */
  encode(at: usize): void {
    memory.fill(at, 0, VERITY_RECORD_SIZE);
    store<u64>(at, VERITY_MAGIC);
    store<u32>(at + 8, VERITY_VERSION);
    store<u32>(at + 12, <u32>BLOCK_SIZE);
    store<u32>(at + 16, HASH_SHA256);
    store<u32>(at + 20, <u32>this.levels);
    store<u64>(at + 24, this.dataBlocks);
    store<u64>(at + 32, this.treeStart);
    store<u64>(at + 40, this.treeBlocks);
    memory.copy(at + 48, changetype<usize>(this.root), DIGEST_SIZE);
    store<u32>(at + 80, crc32c(at, 80));
  }

  /** The record in the `length` bytes at `at`; null with `HashTree.error` saying what is wrong. */
  static decode(at: usize, length: i32): HashTree | null {
    if (length < VERITY_RECORD_SIZE) return HashTree.refuse("a verity record is " + VERITY_RECORD_SIZE.toString() + " bytes, not " + length.toString());
    if (load<u64>(at) != VERITY_MAGIC) return HashTree.refuse("no verity record (magic " + hexOf(at, 8) + ", expected DVERITY1)");
    if (load<u32>(at + 80) != crc32c(at, 80)) return HashTree.refuse("the verity record fails its checksum");
    if (load<u32>(at + 8) != VERITY_VERSION) return HashTree.refuse("verity record version " + load<u32>(at + 8).toString() + ", expected 1");
    if (load<u32>(at + 12) != <u32>BLOCK_SIZE) return HashTree.refuse("verity block size " + load<u32>(at + 12).toString() + ", expected 4096");
    if (load<u32>(at + 16) != HASH_SHA256) return HashTree.refuse("verity hash algorithm " + load<u32>(at + 16).toString() + ", expected 1 (SHA-256)");
    const dataBlocks = load<u64>(at + 24), treeStart = load<u64>(at + 32);
    if (dataBlocks == 0 || dataBlocks > (<u64>1 << 48) || treeStart < dataBlocks || treeStart > (<u64>1 << 49)) {
      return HashTree.refuse("verity record covers " + dataBlocks.toString() + " blocks with the tree at block " + treeStart.toString());
    }
    const tree = HashTree.plan(dataBlocks, treeStart);
    if (<u32>tree.levels != load<u32>(at + 20) || tree.treeBlocks != load<u64>(at + 40)) {
      return HashTree.refuse("verity record's levels or tree size do not fit " + dataBlocks.toString() + " blocks");
    }
    memory.copy(changetype<usize>(tree.root), at + 48, DIGEST_SIZE);
    return tree;
  }

  private static refuse(why: string): HashTree | null {
    HashTree.error = why;
    return null;
  }
}

/**
 * Builds the hash tree over the first `dataBlocks` blocks of `device`: the
 * record block at `dataBlocks`, the tree after it. Returns the tree with its
 * root, or null with `HashTree.error` on a failed read or write.
 */
export function buildHashTree(device: BlockDevice, dataBlocks: u64): HashTree | null {
  const tree = HashTree.plan(dataBlocks, dataBlocks + 1);
  if (tree.treeStart + tree.treeBlocks > device.blockCount()) {
    HashTree.error = "the hash tree needs " + (tree.treeStart + tree.treeBlocks).toString() + " blocks, the device has "
      + device.blockCount().toString();
    return null;
  }
  const block = heap.alloc(BLOCK_SIZE);
  const hashes = heap.alloc(BLOCK_SIZE);
  // Each level hashes the one below it (level 0 the data), one hash block at a time.
  for (let level = 0; level < tree.levels; level++) {
    const below = level == 0 ? dataBlocks : tree.levelSize[level - 1];
    const belowStart: u64 = level == 0 ? 0 : tree.levelStart[level - 1];
    for (let out: u64 = 0; out < tree.levelSize[level]; out++) {
      memory.fill(hashes, 0, BLOCK_SIZE);
      const first = out * DIGESTS_PER_BLOCK;
      for (let i: u64 = 0; i < DIGESTS_PER_BLOCK && first + i < below; i++) {
        if (!device.read(belowStart + first + i, block)) return failBuild(block, hashes, "cannot read block " + (belowStart + first + i).toString());
        sha256(block, BLOCK_SIZE, hashes + <usize>(i * <u64>DIGEST_SIZE));
      }
      if (!device.write(tree.levelStart[level] + out, hashes)) return failBuild(block, hashes, "cannot write hash block " + (tree.levelStart[level] + out).toString());
    }
  }
  sha256(hashes, BLOCK_SIZE, changetype<usize>(tree.root));
  memory.fill(block, 0, BLOCK_SIZE);
  tree.encode(block);
  if (!device.write(dataBlocks, block) || !device.flush()) return failBuild(block, hashes, "cannot write the verity record at block " + dataBlocks.toString());
  heap.free(block);
  heap.free(hashes);
  return tree;
}

function failBuild(block: usize, hashes: usize, why: string): HashTree | null {
  heap.free(block);
  heap.free(hashes);
  HashTree.error = why;
  return null;
}

/** The untrusted copy of the record that `buildHashTree` left at block `at` of `device`; null with `HashTree.error`. */
export function readRecordBlock(device: BlockDevice, at: u64): HashTree | null {
  const block = heap.alloc(BLOCK_SIZE);
  const tree = device.read(at, block) ? HashTree.decode(block, BLOCK_SIZE) : null;
  if (tree == null && HashTree.error.length == 0) HashTree.error = "cannot read block " + at.toString();
  heap.free(block);
  return tree;
}

/**
 * The verified volume as a read-only block device: block N of it is block N
 * of `inner`, returned only when its SHA-256 matches the tree. Hash blocks
 * are verified up to the root the first time they are needed and kept (up
 * to CACHED_HASH_BLOCKS); data blocks are hashed on every read, so a block
 * changed on the disk after a good read is still refused. Writes are
 * refused: a volume mounted on this device refuses every change.
 */
export class VerifiedDevice extends BlockDevice {
  private failure: string = "";
  /** Verified hash blocks by their partition block number. */
  private cache: Map<u64, StaticArray<u8>> = new Map();
  private digest: StaticArray<u8> = new StaticArray<u8>(DIGEST_SIZE);
  /** Blocks refused since this device was made. */
  refused: u64 = 0;

  constructor(readonly inner: BlockDevice, readonly tree: HashTree) { super(); }

  blockCount(): u64 { return this.tree.dataBlocks; }
  why(): string { return this.failure; }
  readOnly(): bool { return true; }
  flush(): bool { return true; }

  write(block: u64, from: usize): bool {
    this.failure = "the system volume is verified and read-only: write of block " + block.toString() + " refused";
    return false;
  }

  read(block: u64, into: usize): bool {
    if (block >= this.tree.dataBlocks) return this.fail("block " + block.toString() + " is past the verified volume's " + this.tree.dataBlocks.toString());
    if (!this.inner.read(block, into)) return this.fail("cannot read block " + block.toString());
    const expected = this.hashBlock(0, block / DIGESTS_PER_BLOCK, block);
    if (expected == null) return false;
    const at = changetype<usize>(expected) + <usize>((block % DIGESTS_PER_BLOCK) * <u64>DIGEST_SIZE);
    return this.match(into, at, "block " + block.toString() + " of the system volume does not match its hash tree");
  }

  /** True when the SHA-256 of the block at `data` is the digest at `expected`; otherwise the failure names both. */
  private match(data: usize, expected: usize, what: string): bool {
    const actual = changetype<usize>(this.digest);
    sha256(data, BLOCK_SIZE, actual);
    if (memory.compare(actual, expected, DIGEST_SIZE) == 0) return true;
    return this.fail(what + ": SHA-256 " + hexOf(actual, DIGEST_SIZE) + ", expected " + hexOf(expected, DIGEST_SIZE));
  }

  /** Hash block `index` of `level`, verified up to the root; null with the failure set. `data` names the volume block it was wanted for. */
  private hashBlock(level: i32, index: u64, data: u64): StaticArray<u8> | null {
    const at = this.tree.levelStart[level] + index;
    if (this.cache.has(at)) return this.cache.get(at);
    const contents = new StaticArray<u8>(BLOCK_SIZE);
    const where = changetype<usize>(contents);
    if (!this.inner.read(at, where)) { this.fail("cannot read hash block " + at.toString()); return null; }
    const what = "hash block " + at.toString() + " (level " + level.toString() + ", over volume block " + data.toString() + ") does not match";
    let expected: usize;
    if (level == this.tree.levels - 1) {
      expected = changetype<usize>(this.tree.root);
      if (!this.match(where, expected, what + " the root hash")) return null;
    } else {
      const parent = this.hashBlock(level + 1, index / DIGESTS_PER_BLOCK, data);
      if (parent == null) return null;
      expected = changetype<usize>(parent) + <usize>((index % DIGESTS_PER_BLOCK) * <u64>DIGEST_SIZE);
      if (!this.match(where, expected, what + " its parent")) return null;
    }
    if (this.cache.size >= CACHED_HASH_BLOCKS) this.cache.clear();
    this.cache.set(at, contents);
    return contents;
  }

  private fail(why: string): bool {
    this.failure = why;
    this.refused++;
    return false;
  }
}
