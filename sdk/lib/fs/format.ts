// The on-disk format of a Delos volume (docs/fs-format.md is its reference):
// block headers, the superblock, and the items the B+tree holds. Everything
// is little-endian; every block but a file's data block opens with a header
// whose CRC-32C covers the rest of the block, and a data block's CRC-32C is
// kept in the tree item that points to it.

import { BLOCK_SIZE } from "./device";
import { crc32c } from "./crc32c";

export const FORMAT_VERSION: u32 = 1;

/** Block header magics ("DSUP", "DNOD", "DMAP" as little-endian u32). */
export const MAGIC_SUPER: u32 = 0x50555344;
export const MAGIC_NODE: u32 = 0x444f4e44;
export const MAGIC_BITMAP: u32 = 0x50414d44;

/** Header: crc u32, magic u32, the block's own number u64, the generation that wrote it u64. */
export const HEADER_SIZE: i32 = 24;

/** The two superblocks; generation g is written to block g % 2. */
export const SUPERBLOCKS: u64 = 2;
/** Blocks whose allocation one bitmap block records. */
export const BITS_PER_BITMAP_BLOCK: u64 = <u64>(BLOCK_SIZE - HEADER_SIZE) * 8;

/** Item kinds, the middle part of a key. */
export const KIND_INODE: u8 = 1;
export const KIND_ENTRY: u8 = 2;
export const KIND_EXTENT: u8 = 3;
export const KIND_REPLY: u8 = 4;

/** The object id of the reply records (inode numbers start at 1). */
export const REPLY_OBJECT: u64 = 0;
export const ROOT_INODE: u64 = 1;

/** File kinds in an inode and a directory entry. */
export const TYPE_FILE: u32 = 1;
export const TYPE_DIRECTORY: u32 = 2;

export const INODE_SIZE: i32 = 64;
export const EXTENT_SIZE: i32 = 12;
/**
 * A reply record: the last sequence u64, its status i32, the handle it
 * answered with (inode u64, generation u64) and the commit that last wrote
 * it u64, by which the oldest records are dropped past MAX_REPLY_RECORDS
 * (service.ts). A record of REPLY_SIZE_UNDATED bytes, without the commit,
 * is one written before records were dated: it reads as written by commit 0.
 */
export const REPLY_SIZE: i32 = 36;
export const REPLY_SIZE_UNDATED: i32 = 28;
/**
 * The reply records a volume keeps at most: one per client that changed
 * it lately. Past this count the least recently written goes (service.ts
 * says why exactly-once holds).
 */
export const MAX_REPLY_RECORDS: i32 = 256;
export const MAX_NAME: i32 = 255;

/** Writes the header of block `block` at `at` and seals it: the CRC-32C of everything after the checksum. */
export function seal(at: usize, magic: u32, block: u64, generation: u64): void {
  store<u32>(at + 4, magic);
  store<u64>(at + 8, block);
  store<u64>(at + 16, generation);
  store<u32>(at, crc32c(at + 4, BLOCK_SIZE - 4));
}

/** Why the block at `at`, read from `block`, is not a sound block of kind `magic`; null when it is. */
export function checkHeader(at: usize, magic: u32, block: u64): string | null {
  if (load<u32>(at + 4) != magic) return "wrong magic " + load<u32>(at + 4).toString(16) + ", expected " + magic.toString(16);
  if (load<u32>(at) != crc32c(at + 4, BLOCK_SIZE - 4)) return "checksum mismatch";
  if (load<u64>(at + 8) != block) return "written for block " + load<u64>(at + 8).toString() + " (misdirected write)";
  return null;
}

/** The generation recorded in the header at `at`. */
export function headerGeneration(at: usize): u64 { return load<u64>(at + 16); }

/** A B+tree key: (object id, kind, offset), ordered in that order. */
export class Key {
  constructor(public object: u64, public kind: u8, public offset: u64) {}

  /** Negative, zero or positive as this key sorts before, with or after `other`. */
  compare(other: Key): i32 {
    if (this.object != other.object) return this.object < other.object ? -1 : 1;
    if (this.kind != other.kind) return this.kind < other.kind ? -1 : 1;
    if (this.offset != other.offset) return this.offset < other.offset ? -1 : 1;
    return 0;
  }

  toString(): string { return "(" + this.object.toString() + ", " + this.kind.toString() + ", " + this.offset.toString() + ")"; }
}

/** The bytes of a key on disk. */
export const KEY_SIZE: i32 = 17;

export function writeKey(at: usize, key: Key): void {
  store<u64>(at, key.object);
  store<u8>(at + 8, key.kind);
  store<u64>(at + 9, key.offset);
}

export function readKey(at: usize): Key {
  return new Key(load<u64>(at), load<u8>(at + 8), load<u64>(at + 9));
}

/** The superblock's fields (after the header). */
export class Superblock {
  generation: u64 = 0;
  blockCount: u64 = 0;
  volumeId: u64 = 0;
  rootBlock: u64 = 0;
  rootGeneration: u64 = 0;
  rootLevel: u32 = 0;
  nextInode: u64 = 0;
  bitmapBlocks: u64 = 0;
  usedBlocks: u64 = 0;
  created: i64 = 0;

  /** Writes this superblock, sealed, into the BLOCK_SIZE bytes at `at`, for slot generation % 2. */
  encode(at: usize): void {
    memory.fill(at, 0, BLOCK_SIZE);
    store<u32>(at + 24, FORMAT_VERSION);
    store<u32>(at + 28, <u32>BLOCK_SIZE);
    store<u64>(at + 32, this.blockCount);
    store<u64>(at + 40, this.volumeId);
    store<u64>(at + 48, this.rootBlock);
    store<u64>(at + 56, this.rootGeneration);
    store<u32>(at + 64, this.rootLevel);
    store<u64>(at + 72, this.nextInode);
    store<u64>(at + 80, this.bitmapBlocks);
    store<u64>(at + 88, this.usedBlocks);
    store<i64>(at + 96, this.created);
    seal(at, MAGIC_SUPER, this.generation % SUPERBLOCKS, this.generation);
  }

  /** Reads the fields from a block that passed checkHeader. */
  static decode(at: usize): Superblock {
    const s = new Superblock();
    s.generation = headerGeneration(at);
    s.blockCount = load<u64>(at + 32);
    s.volumeId = load<u64>(at + 40);
    s.rootBlock = load<u64>(at + 48);
    s.rootGeneration = load<u64>(at + 56);
    s.rootLevel = load<u32>(at + 64);
    s.nextInode = load<u64>(at + 72);
    s.bitmapBlocks = load<u64>(at + 80);
    s.usedBlocks = load<u64>(at + 88);
    s.created = load<i64>(at + 96);
    return s;
  }

  /** Why a checksummed superblock cannot be used on a device of `deviceBlocks` blocks; null when it can. */
  static refuse(at: usize, deviceBlocks: u64): string | null {
    if (load<u32>(at + 24) != FORMAT_VERSION) return "format version " + load<u32>(at + 24).toString() + " is not " + FORMAT_VERSION.toString();
    if (load<u32>(at + 28) != <u32>BLOCK_SIZE) return "block size " + load<u32>(at + 28).toString() + " is not " + BLOCK_SIZE.toString();
    const blocks = load<u64>(at + 32);
    if (blocks > deviceBlocks) return "volume of " + blocks.toString() + " blocks on a device of " + deviceBlocks.toString();
    const bitmap = load<u64>(at + 80);
    if (bitmap != bitmapBlocksFor(blocks)) return "bitmap of " + bitmap.toString() + " blocks for " + blocks.toString() + " blocks";
    const root = load<u64>(at + 48);
    if (root < firstDataBlock(bitmap) || root >= blocks) return "root block " + root.toString() + " outside the volume";
    return null;
  }
}

/** Bitmap blocks per slot for a volume of `blocks` blocks. */
export function bitmapBlocksFor(blocks: u64): u64 { return (blocks + BITS_PER_BITMAP_BLOCK - 1) / BITS_PER_BITMAP_BLOCK; }

/** The first block of bitmap slot `slot` (0 or 1). */
export function bitmapStart(bitmapBlocks: u64, slot: u64): u64 { return SUPERBLOCKS + slot * bitmapBlocks; }

/** The first block after the superblocks and both bitmap slots. */
export function firstDataBlock(bitmapBlocks: u64): u64 { return SUPERBLOCKS + 2 * bitmapBlocks; }

/** An inode item. */
export class Inode {
  generation: u64 = 0;
  type: u32 = 0;
  mode: u32 = 0;
  size: u64 = 0;
  created: i64 = 0;
  modified: i64 = 0;
  changed: i64 = 0;
  /** A directory's parent (the root's is itself); 0 for a file. */
  parent: u64 = 0;
  /** A directory's number of entries; 0 for a file. */
  entries: u64 = 0;

  encode(): StaticArray<u8> {
    const bytes = new StaticArray<u8>(INODE_SIZE);
    const at = changetype<usize>(bytes);
    store<u64>(at, this.generation);
    store<u32>(at + 8, this.type);
    store<u32>(at + 12, this.mode);
    store<u64>(at + 16, this.size);
    store<i64>(at + 24, this.created);
    store<i64>(at + 32, this.modified);
    store<i64>(at + 40, this.changed);
    store<u64>(at + 48, this.parent);
    store<u64>(at + 56, this.entries);
    return bytes;
  }

  /** The inode in `bytes`, or null when they are not an inode item. */
  static decode(bytes: StaticArray<u8>): Inode | null {
    if (bytes.length != INODE_SIZE) return null;
    const at = changetype<usize>(bytes);
    const inode = new Inode();
    inode.generation = load<u64>(at);
    inode.type = load<u32>(at + 8);
    inode.mode = load<u32>(at + 12);
    inode.size = load<u64>(at + 16);
    inode.created = load<i64>(at + 24);
    inode.modified = load<i64>(at + 32);
    inode.changed = load<i64>(at + 40);
    inode.parent = load<u64>(at + 48);
    inode.entries = load<u64>(at + 56);
    if (inode.type != TYPE_FILE && inode.type != TYPE_DIRECTORY) return null;
    return inode;
  }
}

/** One name in a directory entry item (an item holds every name whose hash is its offset). */
export class Entry {
  constructor(public name: string, public inode: u64, public type: u32) {}
}

/** The item holding `entries`. */
export function encodeEntries(entries: Array<Entry>): StaticArray<u8> {
  let size = 0;
  const names = new Array<ArrayBuffer>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    names[i] = String.UTF8.encode(entries[i].name);
    size += 10 + names[i].byteLength;
  }
  const bytes = new StaticArray<u8>(size);
  let at = changetype<usize>(bytes);
  for (let i = 0; i < entries.length; i++) {
    store<u64>(at, entries[i].inode);
    store<u8>(at + 8, <u8>entries[i].type);
    store<u8>(at + 9, <u8>names[i].byteLength);
    memory.copy(at + 10, changetype<usize>(names[i]), names[i].byteLength);
    at += 10 + names[i].byteLength;
  }
  return bytes;
}

/** The names of a directory entry item, or null when the bytes are malformed. */
export function decodeEntries(bytes: StaticArray<u8>): Array<Entry> | null {
  const entries = new Array<Entry>();
  const start = changetype<usize>(bytes);
  const end = start + <usize>bytes.length;
  let at = start;
  while (at < end) {
    if (at + 10 > end) return null;
    const length = <usize>load<u8>(at + 9);
    if (length == 0 || at + 10 + length > end) return null;
    entries.push(new Entry(String.UTF8.decodeUnsafe(at + 10, length), load<u64>(at), <u32>load<u8>(at + 8)));
    at += 10 + length;
  }
  return entries.length > 0 ? entries : null;
}

/** The 64-bit FNV-1a hash of a name's UTF-8 bytes: the offset of its directory entry item. */
export function nameHash(name: string): u64 {
  const bytes = String.UTF8.encode(name);
  let hash: u64 = 0xcbf29ce484222325;
  const at = changetype<usize>(bytes);
  for (let i = 0; i < bytes.byteLength; i++) {
    hash ^= <u64>load<u8>(at + i);
    hash *= 0x100000001b3;
  }
  return hash;
}

/** A file block's extent item: where the block is and its CRC-32C. */
export function encodeExtent(block: u64, crc: u32): StaticArray<u8> {
  const bytes = new StaticArray<u8>(EXTENT_SIZE);
  store<u64>(changetype<usize>(bytes), block);
  store<u32>(changetype<usize>(bytes) + 8, crc);
  return bytes;
}

export function extentBlock(bytes: StaticArray<u8>): u64 { return load<u64>(changetype<usize>(bytes)); }
export function extentCrc(bytes: StaticArray<u8>): u32 { return load<u32>(changetype<usize>(bytes) + 8); }
