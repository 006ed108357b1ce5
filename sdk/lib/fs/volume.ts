// A mounted Delos volume: files and directories over the copy-on-write tree
// (tree.ts) and the free-space bitmap (space.ts), changed in memory by each
// operation and made durable by `commit` (docs/fs-format.md, "Commits").
//
// A commit writes the transaction's new tree nodes and bitmap blocks,
// flushes, then writes the superblock of the next generation into the slot
// not holding the last durable one, and flushes again. A power cut at any
// point leaves the last durable commit whole: nothing it references is ever
// overwritten, and a torn superblock fails its checksum so the other one is
// used. Between commits, operations are visible to later ones at once and
// are durable, all together and in order, at the next commit.
//
// A block that fails its checks is never used: the operation fails with
// CORRUPT and says which block; a tree node failing its checks leaves the
// transaction untrustworthy, so the volume refuses everything until it is
// mounted again (what is on disk is untouched).
//
// The library makes no system calls: the clock is whatever the caller last
// put in `now` (nanoseconds since 1970).

import { BLOCK_SIZE, BlockDevice, readFailure } from "./device";
import { crc32c } from "./crc32c";
import {
  Entry, Inode, KIND_ENTRY, KIND_EXTENT, KIND_INODE, Key, MAGIC_SUPER, MAX_NAME, ROOT_INODE, SUPERBLOCKS, Superblock,
  TYPE_DIRECTORY, TYPE_FILE, bitmapBlocksFor, checkHeader, decodeEntries, encodeEntries, encodeExtent, extentBlock, extentCrc,
  firstDataBlock, nameHash,
} from "./format";
import { Space } from "./space";
import { Node, Tree } from "./tree";
import * as status from "./errors";

/** Names per directory entry item: names whose 64-bit hashes collide share one. */
const MAX_COLLISIONS = 3;
/** The largest file size and offset: 2^63 - 1, so sizes stay positive in a signed 64-bit stat. */
export const MAX_FILE_SIZE: u64 = 0x7fffffffffffffff;
/** The smallest volume mkfs makes, in blocks: room for the tree, the reserve a transaction keeps, and a few files. */
export const MIN_BLOCKS: u64 = 64;

/** A page of a directory's entries and the cookie that continues it (0 when the listing is complete). */
export class DirectoryPage {
  entries: Array<Entry> = [];
  next: u64 = 0;
}

export class Volume {
  tree: Tree;
  space: Space;
  /** The last durable superblock. */
  superblock: Superblock;
  nextInode: u64;
  /** The caller's clock, nanoseconds since 1970, stamped on what operations change. */
  now: i64 = 0;
  /** What the last failed operation found wrong, and where. */
  message: string = "";
  private changed: bool = false;
  private buffer: usize = heap.alloc(BLOCK_SIZE);

  private constructor(public device: BlockDevice, superblock: Superblock, space: Space, tree: Tree) {
    this.superblock = superblock;
    this.space = space;
    this.tree = tree;
    this.nextInode = superblock.nextInode;
  }

  /** Why the last mount or format failed. */
  static error: string = "";
  /**
   * What the last mount passed over: a superblock that does not check (a
   * commit cut short, or a damaged block), or a newer commit whose bitmap or
   * root does not check.
   */
  static notes: Array<string> = [];

  /**
   * Makes an empty volume of the whole device: a root directory, committed as
   * generation 1. Returns OK, or NO_SPACE / IO with `Volume.error` saying why.
   */
  static format(device: BlockDevice, volumeId: u64, now: i64): i32 {
    const blocks = device.blockCount();
    const bitmap = bitmapBlocksFor(blocks);
    if (blocks < firstDataBlock(bitmap) + MIN_BLOCKS) {
      Volume.error = "a device of " + blocks.toString() + " blocks is too small for a volume (at least "
        + (firstDataBlock(bitmap) + MIN_BLOCKS).toString() + ")";
      return status.NO_SPACE;
    }
    const superblock = new Superblock();
    superblock.blockCount = blocks;
    superblock.volumeId = volumeId;
    superblock.nextInode = ROOT_INODE + 1;
    superblock.bitmapBlocks = bitmap;
    superblock.created = now;
    const space = new Space(blocks, bitmap);
    const volume = new Volume(device, superblock, space, new Tree(device, space, new Node(0)));
    volume.now = now;
    const root = new Inode();
    root.generation = 1;
    root.type = TYPE_DIRECTORY;
    root.mode = 0o755;
    root.created = root.modified = root.changed = now;
    root.parent = ROOT_INODE;
    volume.putInode(ROOT_INODE, root);
    // A superblock left at block 0 by an earlier volume must not outrank this one.
    memory.fill(volume.buffer, 0, BLOCK_SIZE);
    if (!device.write(0, volume.buffer)) { Volume.error = "cannot write block 0"; return status.IO; }
    const result = volume.commit();
    if (result != status.OK) Volume.error = volume.message;
    return result;
  }

  /**
   * The volume on `device`, from the newest superblock whose bitmap and root
   * are sound; null with `Volume.error` saying why when there is none.
   */
  static mount(device: BlockDevice): Volume | null {
    const buffer = heap.alloc(BLOCK_SIZE);
    const candidates = new Array<Superblock>();
    let magic = false;
    let why = "";
    Volume.notes = [];
    for (let block: u64 = 0; block < SUPERBLOCKS; block++) {
      if (!device.read(block, buffer)) { why = readFailure(device, block); continue; }
      if (load<u32>(buffer + 4) == MAGIC_SUPER) magic = true;
      let wrong = checkHeader(buffer, MAGIC_SUPER, block);
      if (wrong == null) wrong = Superblock.refuse(buffer, device.blockCount());
      if (wrong != null) {
        if (load<u32>(buffer + 4) == MAGIC_SUPER || magic) why = "corrupt superblock at " + block.toString() + ": " + wrong!;
        if (load<u32>(buffer + 4) == MAGIC_SUPER) Volume.notes.push("superblock at " + block.toString() + " does not check (" + wrong! + ")");
        continue;
      }
      const superblock = Superblock.decode(buffer);
      if (superblock.generation % SUPERBLOCKS != block) { why = "superblock at " + block.toString() + " is in the wrong slot"; continue; }
      candidates.push(superblock);
    }
    heap.free(buffer);
    if (!magic) { Volume.error = "not a Delos volume (no superblock at block 0 or 1)"; return null; }
    if (candidates.length == 2 && candidates[0].generation < candidates[1].generation) candidates.reverse();
    for (let i = 0; i < candidates.length; i++) {
      const superblock = candidates[i];
      const space = new Space(superblock.blockCount, superblock.bitmapBlocks);
      const bad = space.readSlot(device, superblock.generation % 2, changetype<usize>(new StaticArray<u8>(BLOCK_SIZE)));
      let skipped: string | null = null;
      if (bad != 0) skipped = "corrupt bitmap block at " + bad.toString();
      const tree = Tree.open(device, space, superblock.rootBlock, superblock.rootGeneration, <i32>superblock.rootLevel);
      if (skipped == null && tree.failure != null) skipped = tree.failure;
      if (skipped != null) {
        if (i == 0) why = skipped!;
        Volume.notes.push("commit " + superblock.generation.toString() + " passed over: " + skipped!);
        continue;
      }
      return new Volume(device, superblock, space, tree);
    }
    Volume.error = why;
    return null;
  }

  /** The generation the open transaction will commit as. */
  get generation(): u64 { return this.superblock.generation + 1; }

  /** The volume's failure if a tree node failed its checks; the transaction must not go further. */
  private failed(): bool {
    const failure = this.tree.failure;
    if (failure == null) return false;
    this.message = failure;
    return true;
  }

  private fail(result: i32, message: string): i32 {
    this.message = message;
    return result;
  }

  /** Refuses a change on a read-only device (the verified system volume) before anything is touched. */
  private refuseChange(what: string): i32 {
    return this.fail(status.READ_ONLY, what + " refused: the volume is on a read-only device (the verified system volume)");
  }

  /**
   * Makes every change since the last commit durable, as one atomic step.
   * On failure the volume must be mounted again; the last durable commit is
   * what the disk then holds.
   */
  commit(): i32 {
    if (this.failed()) return status.CORRUPT;
    if (!this.changed) return status.OK;
    const generation = this.generation;
    const root = this.tree.write(generation);
    if (root == 0) {
      this.tree.failure = "commit " + generation.toString() + " failed: no space for the tree or a write failed";
      return this.fail(status.NO_SPACE, this.tree.failure!);
    }
    const superblock = new Superblock();
    superblock.generation = generation;
    superblock.blockCount = this.superblock.blockCount;
    superblock.volumeId = this.superblock.volumeId;
    superblock.bitmapBlocks = this.superblock.bitmapBlocks;
    superblock.created = this.superblock.created;
    superblock.rootBlock = root;
    superblock.rootGeneration = this.rootGenerationOf(root);
    superblock.rootLevel = <u32>this.tree.root.level;
    superblock.nextInode = this.nextInode;
    if (!this.space.writeSlot(this.device, generation, this.buffer) || !this.device.flush()) {
      this.tree.failure = "commit " + generation.toString() + " failed writing the bitmap";
      return this.fail(status.IO, this.tree.failure!);
    }
    superblock.usedBlocks = this.space.used;
    superblock.encode(this.buffer);
    if (!this.device.write(generation % SUPERBLOCKS, this.buffer) || !this.device.flush()) {
      this.tree.failure = "commit " + generation.toString() + " failed writing its superblock";
      return this.fail(status.IO, this.tree.failure!);
    }
    this.space.release();
    this.superblock = superblock;
    this.changed = false;
    return status.OK;
  }

  /** The generation that wrote the (clean) root at `block`: the last commit's, unless the root is older. */
  private rootGenerationOf(block: u64): u64 {
    return block == this.superblock.rootBlock ? this.superblock.rootGeneration : this.generation;
  }

  /** Blocks neither allocated nor waiting for the open transaction to be durable. */
  get freeBlocks(): u64 { return this.space.blockCount - this.space.used; }

  /** Refuses work needing `blocks` new blocks when the transaction's tree might then not fit. */
  private roomFor(blocks: u64): bool {
    return this.freeBlocks >= blocks + <u64>this.tree.dirtied * 2 + 32;
  }

  // Items.

  inode(number: u64): Inode | null {
    const bytes = this.tree.find(new Key(number, KIND_INODE, 0));
    return bytes == null ? null : Inode.decode(bytes!);
  }

  private putInode(number: u64, inode: Inode): void {
    this.tree.put(new Key(number, KIND_INODE, 0), inode.encode());
    this.changed = true;
  }

  /** The status of the last operation that returned null, with `message`. */
  lastStatus: i32 = 0;

  /** Inode `number` if it is of `type`, or null with `lastStatus` (STALE, CORRUPT, NOT_DIRECTORY or IS_DIRECTORY). */
  private inodeOfType(number: u64, type: u32): Inode | null {
    const inode = this.inode(number);
    if (this.failed()) { this.lastStatus = status.CORRUPT; return null; }
    if (inode == null) { this.lastStatus = this.fail(status.STALE, "no inode " + number.toString()); return null; }
    if (inode.type != type) {
      this.lastStatus = type == TYPE_DIRECTORY
        ? this.fail(status.NOT_DIRECTORY, "inode " + number.toString() + " is not a directory")
        : this.fail(status.IS_DIRECTORY, "inode " + number.toString() + " is a directory");
      return null;
    }
    return inode;
  }

  private directory(number: u64): Inode | null { return this.inodeOfType(number, TYPE_DIRECTORY); }
  private file(number: u64): Inode | null { return this.inodeOfType(number, TYPE_FILE); }

  private entries(directory: u64, hash: u64): Array<Entry> {
    const bytes = this.tree.find(new Key(directory, KIND_ENTRY, hash));
    if (bytes == null) return [];
    const entries = decodeEntries(bytes!);
    if (entries == null) {
      this.tree.failure = "malformed directory entry item (" + directory.toString() + ", " + hash.toString() + ")";
      return [];
    }
    return entries!;
  }

  private putEntries(directory: u64, hash: u64, entries: Array<Entry>): void {
    const key = new Key(directory, KIND_ENTRY, hash);
    if (entries.length == 0) this.tree.remove(key); else this.tree.put(key, encodeEntries(entries));
    this.changed = true;
  }

  /** Why `name` cannot name a directory entry; null when it can. */
  static badName(name: string): string | null {
    const length = String.UTF8.byteLength(name);
    if (length == 0 || length > MAX_NAME) return "a name must have 1 to " + MAX_NAME.toString() + " bytes";
    if (name == "." || name == "..") return "\"" + name + "\" is not a name";
    if (name.includes("/") || name.includes("\0")) return "a name holds no '/' and no NUL";
    return null;
  }

  /** Sets a tree item that is no file's: a reply record (service.ts), committed with the open transaction. */
  record(key: Key, value: StaticArray<u8>): void {
    this.tree.put(key, value);
    this.changed = true;
  }

  // Directories.

  /** The entry `name` in directory `directory`, or null (then `lastStatus` says why). */
  lookup(directory: u64, name: string): Entry | null {
    if (this.directory(directory) == null) return null;
    const entries = this.entries(directory, nameHash(name));
    if (this.failed()) { this.lastStatus = status.CORRUPT; return null; }
    for (let i = 0; i < entries.length; i++) if (entries[i].name == name) return entries[i];
    this.lastStatus = this.fail(status.NOT_FOUND, "no entry \"" + name + "\" in directory " + directory.toString());
    return null;
  }

  /**
   * Up to `max` entries of `directory` from `cookie` (0 for the first page),
   * in the order of their names' hashes, which later changes do not disturb:
   * an entry added or removed meanwhile is listed or not, no other is listed
   * twice or missed.
   */
  list(directory: u64, cookie: u64, max: i32): DirectoryPage | null {
    if (this.directory(directory) == null) return null;
    const page = new DirectoryPage();
    let from = new Key(directory, KIND_ENTRY, cookie);
    while (true) {
      const item = this.tree.seek(from);
      if (this.failed()) { this.lastStatus = status.CORRUPT; return null; }
      if (item == null || item.key.object != directory || item.key.kind != KIND_ENTRY) return page;
      if (page.entries.length >= max) { page.next = item.key.offset; return page; }
      const entries = decodeEntries(item.value);
      if (entries == null) { this.lastStatus = this.fail(status.CORRUPT, "malformed directory entry item " + item.key.toString()); return null; }
      for (let i = 0; i < entries!.length; i++) page.entries.push(entries![i]);
      if (item.key.offset == 0xffffffffffffffff) return page;
      from = new Key(directory, KIND_ENTRY, item.key.offset + 1);
    }
    return page;
  }

  /** Creates `name` in `directory`, a file or directory of `type`; its inode number, or a negative status. */
  create(directory: u64, name: string, type: u32, mode: u32): i64 {
    if (this.device.readOnly()) return this.refuseChange("create");
    const wrong = Volume.badName(name);
    if (wrong != null) return this.fail(status.BAD_NAME, wrong + ": \"" + name + "\"");
    if (type != TYPE_FILE && type != TYPE_DIRECTORY) return this.fail(status.INVALID, "no file type " + type.toString());
    const parent = this.directory(directory);
    if (parent == null) return this.lastStatus;
    const hash = nameHash(name);
    const entries = this.entries(directory, hash);
    if (this.failed()) return status.CORRUPT;
    for (let i = 0; i < entries.length; i++) {
      if (entries[i].name == name) return this.fail(status.EXISTS, "\"" + name + "\" already exists in directory " + directory.toString());
    }
    if (entries.length >= MAX_COLLISIONS) return this.fail(status.NO_SPACE, "too many names with the hash of \"" + name + "\"");
    if (!this.roomFor(0)) return this.fail(status.NO_SPACE, "no space for a new inode");
    const number = this.nextInode++;
    const inode = new Inode();
    inode.generation = this.generation;
    inode.type = type;
    inode.mode = mode;
    inode.created = inode.modified = inode.changed = this.now;
    inode.parent = type == TYPE_DIRECTORY ? directory : 0;
    this.putInode(number, inode);
    entries.push(new Entry(name, number, type));
    this.putEntries(directory, hash, entries);
    parent.entries++;
    parent.modified = parent.changed = this.now;
    this.putInode(directory, parent);
    return this.failed() ? status.CORRUPT : <i64>number;
  }

  /** Removes `name` from `directory`: a file with its data, or an empty directory. */
  remove(directory: u64, name: string): i32 {
    if (this.device.readOnly()) return this.refuseChange("remove");
    const entry = this.lookup(directory, name);
    if (entry == null) return this.lastStatus;
    const inode = this.inode(entry.inode);
    if (inode == null) return this.fail(status.CORRUPT, "entry \"" + name + "\" names missing inode " + entry.inode.toString());
    if (inode.type == TYPE_DIRECTORY && inode.entries != 0) return this.fail(status.NOT_EMPTY, "directory \"" + name + "\" is not empty");
    this.unlink(directory, name);
    this.destroy(entry.inode, inode);
    return this.failed() ? status.CORRUPT : status.OK;
  }

  /** Takes `name` out of `directory`'s entries and counts. */
  private unlink(directory: u64, name: string): void {
    const hash = nameHash(name);
    const entries = this.entries(directory, hash);
    for (let i = 0; i < entries.length; i++) if (entries[i].name == name) { entries.splice(i, 1); break; }
    this.putEntries(directory, hash, entries);
    const parent = this.inode(directory)!;
    parent.entries--;
    parent.modified = parent.changed = this.now;
    this.putInode(directory, parent);
  }

  /** Frees an inode no entry names any more, with its data. */
  private destroy(number: u64, inode: Inode): void {
    if (inode.type == TYPE_FILE) this.dropBlocks(number, 0);
    this.tree.remove(new Key(number, KIND_INODE, 0));
    this.changed = true;
  }

  /**
   * Moves `fromName` in `from` to `toName` in `to`, replacing a file there or
   * an empty directory, in the one transaction.
   */
  rename(from: u64, fromName: string, to: u64, toName: string): i32 {
    if (this.device.readOnly()) return this.refuseChange("rename");
    const wrong = Volume.badName(toName);
    if (wrong != null) return this.fail(status.BAD_NAME, wrong + ": \"" + toName + "\"");
    const entry = this.lookup(from, fromName);
    if (entry == null) return this.lastStatus;
    if (this.directory(to) == null) return this.lastStatus;
    if (from == to && fromName == toName) return status.OK;
    if (!this.roomFor(0)) return this.fail(status.NO_SPACE, "no space for the tree's changes");
    if (entry.type == TYPE_DIRECTORY) {
      // A directory moved under itself would cut its subtree off the root.
      for (let at = to; ; ) {
        if (at == entry.inode) return this.fail(status.INVALID, "cannot move directory \"" + fromName + "\" into itself");
        if (at == ROOT_INODE) break;
        const up = this.inode(at);
        if (up == null || this.failed()) return this.fail(status.CORRUPT, "directory " + at.toString() + " has no parent chain to the root");
        at = up.parent;
      }
    }
    const target = this.lookup(to, toName);
    if (this.failed()) return status.CORRUPT;
    if (target != null) {
      if (target.inode == entry.inode) return status.OK;
      const replaced = this.inode(target.inode);
      if (replaced == null) return this.fail(status.CORRUPT, "entry \"" + toName + "\" names missing inode " + target.inode.toString());
      if (replaced.type == TYPE_DIRECTORY && entry.type != TYPE_DIRECTORY) return this.fail(status.IS_DIRECTORY, "\"" + toName + "\" is a directory");
      if (replaced.type != TYPE_DIRECTORY && entry.type == TYPE_DIRECTORY) return this.fail(status.NOT_DIRECTORY, "\"" + toName + "\" is not a directory");
      if (replaced.type == TYPE_DIRECTORY && replaced.entries != 0) return this.fail(status.NOT_EMPTY, "directory \"" + toName + "\" is not empty");
      this.unlink(to, toName);
      this.destroy(target.inode, replaced);
    } else {
      const entries = this.entries(to, nameHash(toName));
      if (entries.length >= MAX_COLLISIONS) return this.fail(status.NO_SPACE, "too many names with the hash of \"" + toName + "\"");
    }
    this.unlink(from, fromName);
    const hash = nameHash(toName);
    const entries = this.entries(to, hash);
    entries.push(new Entry(toName, entry.inode, entry.type));
    this.putEntries(to, hash, entries);
    const parent = this.inode(to)!;
    parent.entries++;
    parent.modified = parent.changed = this.now;
    this.putInode(to, parent);
    const moved = this.inode(entry.inode)!;
    moved.changed = this.now;
    if (moved.type == TYPE_DIRECTORY) moved.parent = to;
    this.putInode(entry.inode, moved);
    return this.failed() ? status.CORRUPT : status.OK;
  }

  // Files.

  /** Reads file block `index` of `file` into `into` (zeros for a hole): OK, or IO or CORRUPT when it fails its checksum. */
  private readBlock(file: u64, index: u64, into: usize): i32 {
    const extent = this.tree.find(new Key(file, KIND_EXTENT, index));
    if (extent == null) { memory.fill(into, 0, BLOCK_SIZE); return this.failed() ? status.CORRUPT : status.OK; }
    const block = extentBlock(extent!);
    if (!this.device.read(block, into)) return this.fail(status.IO, readFailure(this.device, block));
    if (crc32c(into, BLOCK_SIZE) != extentCrc(extent!)) {
      return this.fail(status.CORRUPT, "corrupt block at " + block.toString() + ": checksum mismatch (block " + index.toString()
        + " of inode " + file.toString() + ")");
    }
    return status.OK;
  }

  /**
   * Copies up to `length` bytes of file `number` from `offset` to `into`;
   * the count (short at the end of the file), or a negative status.
   */
  read(number: u64, offset: u64, into: usize, length: u32): i64 {
    const inode = this.file(number);
    if (inode == null) return this.lastStatus;
    if (offset >= inode.size) return 0;
    const end = offset + <u64>length < inode.size ? offset + <u64>length : inode.size;
    let at = offset;
    while (at < end) {
      const index = at / <u64>BLOCK_SIZE, within = at % <u64>BLOCK_SIZE;
      const count = min(<u64>BLOCK_SIZE - within, end - at);
      const result = this.readBlock(number, index, this.buffer);
      if (result != status.OK) return result;
      memory.copy(into + <usize>(at - offset), this.buffer + <usize>within, <usize>count);
      at += count;
    }
    return <i64>(end - offset);
  }

  /**
   * Writes `length` bytes from `from` into file `number` at `offset`, each
   * changed block to a new place; the count, or a negative status (after
   * NO_SPACE, CORRUPT or INVALID nothing was changed; after IO the volume
   * must be mounted again).
   */
  write(number: u64, offset: u64, from: usize, length: u32): i64 {
    if (this.device.readOnly()) return this.refuseChange("write");
    const inode = this.file(number);
    if (inode == null) return this.lastStatus;
    if (length == 0) return 0;
    const end = offset + <u64>length;
    if (end > MAX_FILE_SIZE || end < offset) return this.fail(status.INVALID, "a write past 2^63 bytes");
    const blocks = (end + <u64>BLOCK_SIZE - 1) / <u64>BLOCK_SIZE - offset / <u64>BLOCK_SIZE;
    if (!this.roomFor(blocks)) return this.fail(status.NO_SPACE, "no space for " + blocks.toString() + " blocks");
    // Check every block the write only partly covers before changing anything.
    let at = offset;
    while (at < end) {
      const index = at / <u64>BLOCK_SIZE, within = at % <u64>BLOCK_SIZE;
      const count = min(<u64>BLOCK_SIZE - within, end - at);
      if (count < <u64>BLOCK_SIZE) {
        if (index * <u64>BLOCK_SIZE >= inode.size) memory.fill(this.buffer, 0, BLOCK_SIZE);
        else {
          const result = this.readBlock(number, index, this.buffer);
          if (result != status.OK) return result;
        }
      }
      memory.copy(this.buffer + <usize>within, from + <usize>(at - offset), <usize>count);
        if (!this.putBlock(number, index, this.buffer)) return status.IO;
      at += count;
    }
    if (end > inode.size) inode.size = end;
    inode.modified = inode.changed = this.now;
    this.putInode(number, inode);
    return this.failed() ? status.CORRUPT : <i64>length;
  }

  /** Writes the block at `data` as file block `index` of `file`, to a new place, freeing the old one. */
  private putBlock(file: u64, index: u64, data: usize): bool {
    const block = this.space.allocate();
    if (block == 0) { this.fail(status.NO_SPACE, "no free block"); return false; }
    if (!this.device.write(block, data)) { this.fail(status.IO, "cannot write block " + block.toString()); return false; }
    const key = new Key(file, KIND_EXTENT, index);
    const old = this.tree.find(key);
    if (old != null) this.space.free(extentBlock(old!));
    this.tree.put(key, encodeExtent(block, crc32c(data, BLOCK_SIZE)));
    this.changed = true;
    return true;
  }

  /** Frees file blocks `first` onwards of `file`. */
  private dropBlocks(file: u64, first: u64): void {
    for (;;) {
      const item = this.tree.seek(new Key(file, KIND_EXTENT, first));
      if (item == null || item.key.object != file || item.key.kind != KIND_EXTENT || this.failed()) return;
      this.space.free(extentBlock(item.value));
      this.tree.remove(item.key);
      this.changed = true;
    }
  }

  /** Sets the size of file `number`: a longer file reads zeros past its old end, a shorter one frees its blocks. */
  truncate(number: u64, size: u64): i32 {
    if (this.device.readOnly()) return this.refuseChange("truncate");
    const inode = this.file(number);
    if (inode == null) return this.lastStatus;
    if (size > MAX_FILE_SIZE) return this.fail(status.INVALID, "a size past 2^63 bytes");
    if (size < inode.size) {
      const within = size % <u64>BLOCK_SIZE;
      if (within != 0) {
        // The tail of the last block must read as zeros if the file grows again.
        const index = size / <u64>BLOCK_SIZE;
        if (this.tree.find(new Key(number, KIND_EXTENT, index)) != null) {
          if (!this.roomFor(1)) return this.fail(status.NO_SPACE, "no space for the file's last block");
          const result = this.readBlock(number, index, this.buffer);
          if (result != status.OK) return result;
          memory.fill(this.buffer + <usize>within, 0, BLOCK_SIZE - <i32>within);
          if (!this.putBlock(number, index, this.buffer)) return status.IO;
        }
      }
      this.dropBlocks(number, (size + <u64>BLOCK_SIZE - 1) / <u64>BLOCK_SIZE);
    }
    inode.size = size;
    inode.modified = inode.changed = this.now;
    this.putInode(number, inode);
    return this.failed() ? status.CORRUPT : status.OK;
  }
}
