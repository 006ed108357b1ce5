// The volume checker: mounts the volume, then reads every block the last
// durable commit references and checks it: every node's header, checksum,
// generation and level, key order within and between nodes, every file
// block's checksum, that names, inodes and directories agree, that every
// inode is reachable from the root, and that the bitmap marks exactly the
// blocks in use. It reads nothing through the mounted tree's cache and
// changes nothing.

import { BLOCK_SIZE, BlockDevice, readFailure } from "./device";
import { crc32c } from "./crc32c";
import {
  Entry, HEADER_SIZE, Inode, KEY_SIZE, KIND_ENTRY, KIND_EXTENT, KIND_INODE, KIND_REPLY, Key, MAGIC_NODE, REPLY_OBJECT, REPLY_SIZE, REPLY_SIZE_UNDATED,
  ROOT_INODE, TYPE_DIRECTORY, TYPE_FILE, checkHeader, decodeEntries, extentBlock, extentCrc, firstDataBlock, headerGeneration, nameHash,
  readKey,
} from "./format";
import { Volume } from "./volume";

export class CheckReport {
  /** What is wrong, one line each; empty when the volume is sound. */
  problems: Array<string> = [];
  /** What the mount passed over (Volume.notes): a commit cut short leaves one, and is no problem. */
  notes: Array<string> = [];
  generation: u64 = 0;
  files: u64 = 0;
  directories: u64 = 0;
  nodes: u64 = 0;
  dataBlocks: u64 = 0;
  usedBlocks: u64 = 0;
  blockCount: u64 = 0;
  /** Reply records (service.ts): at most MAX_REPLY_RECORDS once a change was made since they were dated. */
  replyRecords: u64 = 0;
}

const MAX_PROBLEMS = 100;

class Checker {
  report: CheckReport = new CheckReport();
  referenced: StaticArray<u32>;
  inodes: Map<u64, Inode> = new Map();
  /** Per inode: how many names name it, and the directory the last one is in. */
  names: Map<u64, i32> = new Map();
  container: Map<u64, u64> = new Map();
  /** Per directory: its names, in tree order. */
  children: Map<u64, Array<Entry>> = new Map();
  extents: Array<Key> = [];
  extentValues: Array<StaticArray<u8>> = [];
  buffer: usize = heap.alloc(BLOCK_SIZE);

  constructor(public device: BlockDevice, public volume: Volume) {
    this.referenced = new StaticArray<u32>(<i32>((volume.superblock.blockCount + 31) / 32));
  }

  problem(text: string): void {
    if (this.report.problems.length < MAX_PROBLEMS) this.report.problems.push(text);
  }

  /** Marks `block` referenced; false (with a problem) when something referenced it already or it is outside the volume. */
  claim(block: u64, what: string): bool {
    if (block >= this.volume.superblock.blockCount) { this.problem(what + " at block " + block.toString() + ", outside the volume"); return false; }
    const word = <i32>(block >> 5), bit: u32 = 1 << <u32>(block & 31);
    if ((this.referenced[word] & bit) != 0) { this.problem(what + " at block " + block.toString() + ", which is referenced twice"); return false; }
    this.referenced[word] |= bit;
    return true;
  }

  /** Checks the subtree at `block` whose keys must lie in [low, high) (null: unbounded). */
  walk(block: u64, generation: u64, level: i32, low: Key | null, high: Key | null): void {
    if (!this.claim(block, "tree node")) return;
    this.report.nodes++;
    const at = this.buffer;
    if (!this.device.read(block, at)) { this.problem("tree node: " + readFailure(this.device, block)); return; }
    const wrong = checkHeader(at, MAGIC_NODE, block);
    if (wrong != null) { this.problem("corrupt block at " + block.toString() + ": " + wrong!); return; }
    if (headerGeneration(at) != generation) {
      this.problem("corrupt block at " + block.toString() + ": generation " + headerGeneration(at).toString() + ", expected " + generation.toString());
      return;
    }
    if (generation > this.volume.superblock.generation) { this.problem("block " + block.toString() + " is from a generation after the superblock's"); return; }
    if (<i32>load<u16>(at + HEADER_SIZE) != level) { this.problem("corrupt block at " + block.toString() + ": wrong level"); return; }
    const count = <i32>load<u16>(at + HEADER_SIZE + 2);
    if (level > 0 && count == 0) { this.problem("corrupt block at " + block.toString() + ": an internal node with no children"); return; }
    // Decode first: the buffer is reused by the children.
    const keys = new Array<Key>();
    const blocks = new Array<u64>();
    const generations = new Array<u64>();
    let item = at + HEADER_SIZE + 8;
    const end = at + BLOCK_SIZE;
    for (let i = 0; i < count; i++) {
      if (item + KEY_SIZE + (level > 0 ? 16 : 2) > end) { this.problem("corrupt block at " + block.toString() + ": items run past the block"); return; }
      const key = readKey(item);
      if (i > 0 && keys[i - 1].compare(key) >= 0) this.problem("tree node at block " + block.toString() + ": keys out of order at item " + i.toString());
      if ((low != null && (level == 0 || i > 0) && key.compare(low!) < 0) || (high != null && key.compare(high!) >= 0)) {
        this.problem("tree node at block " + block.toString() + ": key " + key.toString() + " outside its parent's bounds");
      }
      keys.push(key);
      if (level == 0) {
        const length = <i32>load<u16>(item + KEY_SIZE);
        if (item + KEY_SIZE + 2 + length > end) { this.problem("corrupt block at " + block.toString() + ": items run past the block"); return; }
        const value = new StaticArray<u8>(length);
        memory.copy(changetype<usize>(value), item + KEY_SIZE + 2, length);
        this.item(key, value);
        item += KEY_SIZE + 2 + length;
      } else {
        blocks.push(load<u64>(item + KEY_SIZE));
        generations.push(load<u64>(item + KEY_SIZE + 8));
        item += KEY_SIZE + 16;
      }
    }
    for (let i = 0; i < blocks.length; i++) {
      this.walk(blocks[i], generations[i], level - 1, i == 0 ? low : keys[i], i + 1 < keys.length ? keys[i + 1] : high);
    }
  }

  item(key: Key, value: StaticArray<u8>): void {
    if (key.kind == KIND_INODE) {
      const inode = Inode.decode(value);
      if (inode == null || key.offset != 0) { this.problem("malformed inode item " + key.toString()); return; }
      if (key.object >= this.volume.superblock.nextInode || key.object == REPLY_OBJECT) this.problem("inode " + key.object.toString() + " beyond the next inode number");
      this.inodes.set(key.object, inode!);
    } else if (key.kind == KIND_ENTRY) {
      const entries = decodeEntries(value);
      if (entries == null) { this.problem("malformed directory entry item " + key.toString()); return; }
      if (!this.children.has(key.object)) this.children.set(key.object, []);
      const list = this.children.get(key.object);
      for (let i = 0; i < entries!.length; i++) {
        const entry = entries![i];
        if (nameHash(entry.name) != key.offset) this.problem("entry \"" + entry.name + "\" filed under the wrong hash in " + key.toString());
        if (Volume.badName(entry.name) != null) this.problem("bad name \"" + entry.name + "\" in directory " + key.object.toString());
        list.push(entry);
        this.names.set(entry.inode, (this.names.has(entry.inode) ? this.names.get(entry.inode) : 0) + 1);
        this.container.set(entry.inode, key.object);
      }
    } else if (key.kind == KIND_EXTENT) {
      this.extents.push(key);
      this.extentValues.push(value);
    } else if (key.kind == KIND_REPLY) {
      if (key.object != REPLY_OBJECT || (value.length != REPLY_SIZE && value.length != REPLY_SIZE_UNDATED)) this.problem("malformed reply record " + key.toString());
      this.report.replyRecords++;
    } else {
      this.problem("item of unknown kind " + key.toString());
    }
  }

  /** Names, inodes and extents agree; everything is reachable from the root. */
  agree(): void {
    const root = this.inodes.has(ROOT_INODE) ? this.inodes.get(ROOT_INODE) : null;
    if (root == null || root.type != TYPE_DIRECTORY) this.problem("no root directory");
    const numbers = this.inodes.keys();
    for (let i = 0; i < numbers.length; i++) {
      const number = numbers[i];
      const inode = this.inodes.get(number);
      if (inode.type == TYPE_DIRECTORY) this.report.directories++; else this.report.files++;
      const named = this.names.has(number) ? this.names.get(number) : 0;
      if (number == ROOT_INODE) {
        if (named != 0) this.problem("the root directory has a name");
      } else if (named != 1) {
        this.problem("inode " + number.toString() + " has " + named.toString() + " names, not 1");
      }
      if (inode.type == TYPE_DIRECTORY) {
        const count = this.children.has(number) ? this.children.get(number).length : 0;
        if (<u64>count != inode.entries) this.problem("directory " + number.toString() + " counts " + inode.entries.toString() + " entries but has " + count.toString());
        const parent = number == ROOT_INODE ? ROOT_INODE : (this.container.has(number) ? this.container.get(number) : 0);
        if (inode.parent != parent) this.problem("directory " + number.toString() + " names parent " + inode.parent.toString() + " but is in " + parent.toString());
      } else if (inode.entries != 0 || inode.parent != 0) {
        this.problem("file " + number.toString() + " has directory fields");
      }
    }
    const directories = this.children.keys();
    for (let i = 0; i < directories.length; i++) {
      const directory = directories[i];
      if (!this.inodes.has(directory) || this.inodes.get(directory).type != TYPE_DIRECTORY) {
        this.problem("entries in " + directory.toString() + ", which is not a directory");
      }
      const list = this.children.get(directory);
      for (let j = 0; j < list.length; j++) {
        const entry = list[j];
        if (!this.inodes.has(entry.inode)) { this.problem("\"" + entry.name + "\" in directory " + directory.toString() + " names missing inode " + entry.inode.toString()); continue; }
        if (this.inodes.get(entry.inode).type != entry.type) this.problem("\"" + entry.name + "\" in directory " + directory.toString() + " has the wrong type");
      }
    }
    // Reachability: a cycle of directories naming each other would pass the counts above.
    const reached = new Set<u64>();
    const queue: Array<u64> = [ROOT_INODE];
    reached.add(ROOT_INODE);
    while (queue.length > 0) {
      const directory = queue.pop();
      if (!this.children.has(directory)) continue;
      const list = this.children.get(directory);
      for (let j = 0; j < list.length; j++) {
        const inode = list[j].inode;
        if (reached.has(inode)) continue;
        reached.add(inode);
        if (list[j].type == TYPE_DIRECTORY) queue.push(inode);
      }
    }
    for (let i = 0; i < numbers.length; i++) if (!reached.has(numbers[i])) this.problem("inode " + numbers[i].toString() + " is not reachable from the root");
    for (let i = 0; i < this.extents.length; i++) this.extent(this.extents[i], this.extentValues[i]);
  }

  extent(key: Key, value: StaticArray<u8>): void {
    if (value.length != 12) { this.problem("malformed extent item " + key.toString()); return; }
    const inode = this.inodes.has(key.object) ? this.inodes.get(key.object) : null;
    if (inode == null || inode.type != TYPE_FILE) { this.problem("extent " + key.toString() + " of no file"); return; }
    if (key.offset >= (inode.size + <u64>BLOCK_SIZE - 1) / <u64>BLOCK_SIZE) this.problem("extent " + key.toString() + " past the end of the file");
    const block = extentBlock(value);
    if (block < firstDataBlock(this.volume.superblock.bitmapBlocks) || !this.claim(block, "data of " + key.toString())) return;
    this.report.dataBlocks++;
    if (!this.device.read(block, this.buffer)) { this.problem("data block: " + readFailure(this.device, block)); return; }
    if (crc32c(this.buffer, BLOCK_SIZE) != extentCrc(value)) {
      this.problem("corrupt block at " + block.toString() + ": checksum mismatch (block " + key.offset.toString() + " of inode " + key.object.toString() + ")");
    }
  }

  /** The bitmap marks exactly the referenced blocks. */
  bitmap(): void {
    const superblock = this.volume.superblock;
    let used: u64 = 0;
    for (let block: u64 = 0; block < superblock.blockCount; block++) {
      const referenced = block < firstDataBlock(superblock.bitmapBlocks) || (this.referenced[<i32>(block >> 5)] & (1 << <u32>(block & 31))) != 0;
      const marked = this.volume.space.isUsed(block);
      if (marked) used++;
      if (referenced && !marked) this.problem("block " + block.toString() + " is in use but free in the bitmap");
      if (!referenced && marked) this.problem("block " + block.toString() + " is marked used but nothing references it");
    }
    if (used != superblock.usedBlocks) this.problem("the superblock counts " + superblock.usedBlocks.toString() + " used blocks, the bitmap " + used.toString());
    this.report.usedBlocks = used;
  }
}

/** Checks the volume on `device`; the report's problems are empty when it is sound. */
export function check(device: BlockDevice): CheckReport {
  const volume = Volume.mount(device);
  if (volume == null) {
    const report = new CheckReport();
    report.problems.push(Volume.error);
    return report;
  }
  const checker = new Checker(device, volume);
  checker.report.notes = Volume.notes;
  const superblock = volume.superblock;
  checker.report.generation = superblock.generation;
  checker.report.blockCount = superblock.blockCount;
  checker.walk(superblock.rootBlock, superblock.rootGeneration, <i32>superblock.rootLevel, null, null);
  checker.agree();
  checker.bitmap();
  return checker.report;
}
