// The copy-on-write B+tree that holds everything on a Delos volume but file
// data: inodes, directory entries, extents and reply records, keyed by
// (object id, kind, offset) (format.ts).
//
// Nodes are decoded into memory when first reached and changed there. A
// node changed in the open transaction is dirty: it has no block yet, and
// the block it was read from is freed (Space.free defers the reuse until the
// commit is durable). `write` gives every dirty node a new block, children
// before parents, so that each pointer names its child's block and the
// generation that wrote it; nothing on disk is ever overwritten.
//
// In an internal node, child i holds the keys k with keys[i] <= k <
// keys[i+1]; keys[0] is not a bound (child 0 also takes every key below
// keys[1]). A node is split when its encoding outgrows a block, and merged
// with a neighbour when it falls under a quarter of one, so depth stays
// logarithmic in the number of items.

import { BLOCK_SIZE, BlockDevice, readFailure } from "./device";
import { HEADER_SIZE, KEY_SIZE, Key, MAGIC_NODE, checkHeader, headerGeneration, readKey, seal, writeKey } from "./format";
import { Space } from "./space";

/** Bytes an encoded node may hold after its header and level/count fields. */
export const NODE_CAPACITY: i32 = BLOCK_SIZE - HEADER_SIZE - 8;
const NODE_ITEMS = HEADER_SIZE + 8;
const LEAF_ITEM_OVERHEAD: i32 = KEY_SIZE + 2;
const BRANCH_ITEM: i32 = KEY_SIZE + 16;
/** The largest value an item may have, so that any split leaves both halves within a block. */
export const MAX_VALUE: i32 = 1024;
/** Decoded clean nodes kept in memory beyond which a commit drops them. */
const CACHE_LIMIT: i32 = 4096;

/** Inserts `value` at `index` of `array` (AssemblyScript's splice only removes). */
function insertAt<T>(array: Array<T>, index: i32, value: T): void {
  array.push(value);
  for (let i = array.length - 1; i > index; i--) array[i] = array[i - 1];
  array[index] = value;
}

export class Node {
  level: i32 = 0;
  keys: Array<Key> = [];
  /** A leaf's values. */
  values: Array<StaticArray<u8>> = [];
  /** An internal node's children: block, the generation that wrote it, and the decoded node if any. */
  blocks: Array<u64> = [];
  generations: Array<u64> = [];
  loaded: Array<Node | null> = [];
  /** Where the node is on disk; 0 while dirty. */
  block: u64 = 0;
  dirty: bool = true;
  size: i32 = 0;

  constructor(level: i32) { this.level = level; }

  get count(): i32 { return this.keys.length; }

  /** The index of the child that holds `key`. */
  childFor(key: Key): i32 {
    let low = 1, high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.keys[middle].compare(key) <= 0) low = middle + 1; else high = middle;
    }
    return low - 1;
  }

  /** The index of the first key >= `key` in a leaf. */
  lowerBound(key: Key): i32 {
    let low = 0, high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.keys[middle].compare(key) < 0) low = middle + 1; else high = middle;
    }
    return low;
  }

  insertChild(index: i32, key: Key, child: Node): void {
    insertAt(this.keys, index, key);
    insertAt(this.blocks, index, 0);
    insertAt(this.generations, index, 0);
    insertAt(this.loaded, index, child);
    this.size += BRANCH_ITEM;
  }

  removeChild(index: i32): void {
    this.keys.splice(index, 1);
    this.blocks.splice(index, 1);
    this.generations.splice(index, 1);
    this.loaded.splice(index, 1);
    this.size -= BRANCH_ITEM;
  }
}

/** An item found by `seek`. */
export class Item {
  constructor(public key: Key, public value: StaticArray<u8>) {}
}

export class Tree {
  root: Node;
  /** Set when a block failed its checks: the transaction cannot be trusted and must not be committed. */
  failure: string | null = null;
  failureBlock: u64 = 0;
  /** Nodes made dirty in the open transaction: an upper bound of the blocks the commit writes for the tree. */
  dirtied: i32 = 0;
  private buffer: usize = heap.alloc(BLOCK_SIZE);
  private cached: i32 = 0;

  constructor(private device: BlockDevice, private space: Space, root: Node) { this.root = root; }

  /** The tree of the superblock's root; its root node is read at once (check `failure`). */
  static open(device: BlockDevice, space: Space, block: u64, generation: u64, level: i32): Tree {
    const tree = new Tree(device, space, new Node(0));
    tree.root = tree.load(block, generation, level);
    return tree;
  }

  /** Reads and checks node `block`, which its parent says generation `generation` wrote at level `level`. */
  load(block: u64, generation: u64, level: i32): Node {
    const at = this.buffer;
    if (!this.device.read(block, at)) return this.fail(block, readFailure(this.device, block));
    const wrong = checkHeader(at, MAGIC_NODE, block);
    if (wrong != null) return this.fail(block, wrong);
    if (headerGeneration(at) != generation) {
      return this.fail(block, "generation " + headerGeneration(at).toString() + ", its parent expects " + generation.toString());
    }
    const node = new Node(<i32>load<u16>(at + HEADER_SIZE));
    if (node.level != level) return this.fail(block, "level " + node.level.toString() + ", its parent expects " + level.toString());
    const count = <i32>load<u16>(at + HEADER_SIZE + 2);
    let item = at + NODE_ITEMS;
    const end = at + BLOCK_SIZE;
    for (let i = 0; i < count; i++) {
      if (item + KEY_SIZE > end) return this.fail(block, "items run past the block");
      const key = readKey(item);
      if (i > 0 && node.keys[i - 1].compare(key) >= 0) return this.fail(block, "keys out of order at item " + i.toString());
      node.keys.push(key);
      if (level == 0) {
        if (item + LEAF_ITEM_OVERHEAD > end) return this.fail(block, "items run past the block");
        const length = <i32>load<u16>(item + KEY_SIZE);
        if (length > MAX_VALUE || item + LEAF_ITEM_OVERHEAD + length > end) return this.fail(block, "item " + i.toString() + " runs past the block");
        const value = new StaticArray<u8>(length);
        memory.copy(changetype<usize>(value), item + LEAF_ITEM_OVERHEAD, length);
        node.values.push(value);
        node.size += LEAF_ITEM_OVERHEAD + length;
        item += LEAF_ITEM_OVERHEAD + length;
      } else {
        if (item + BRANCH_ITEM > end) return this.fail(block, "items run past the block");
        node.blocks.push(load<u64>(item + KEY_SIZE));
        node.generations.push(load<u64>(item + KEY_SIZE + 8));
        node.loaded.push(null);
        node.size += BRANCH_ITEM;
        item += BRANCH_ITEM;
      }
    }
    if (level > 0 && count == 0) return this.fail(block, "an internal node with no children");
    node.block = block;
    node.dirty = false;
    this.cached++;
    return node;
  }

  private fail(block: u64, why: string): Node {
    if (this.failure == null) {
      this.failure = "corrupt block at " + block.toString() + ": " + why;
      this.failureBlock = block;
    }
    return new Node(0);
  }

  /** Child `index` of `node`, read if need be. */
  child(node: Node, index: i32): Node {
    let child = node.loaded[index];
    if (child == null) {
      child = this.load(node.blocks[index], node.generations[index], node.level - 1);
      node.loaded[index] = child;
    }
    return child;
  }

  /** Makes a clean node dirty: its block is freed, to be reused once this transaction is durable. */
  private touch(node: Node): Node {
    if (!node.dirty) {
      this.space.free(node.block);
      node.dirty = true;
      node.block = 0;
      this.dirtied++;
    }
    return node;
  }

  /** The value of `key`, or null. */
  find(key: Key): StaticArray<u8> | null {
    let node = this.root;
    while (node.level > 0 && node.count > 0) node = this.child(node, node.childFor(key));
    const index = node.lowerBound(key);
    if (index < node.count && node.keys[index].compare(key) == 0) return node.values[index];
    return null;
  }

  /** The first item whose key is >= `key`, or null. */
  seek(key: Key): Item | null { return this.seekIn(this.root, key); }

  private seekIn(node: Node, key: Key): Item | null {
    if (node.level == 0) {
      const index = node.lowerBound(key);
      return index < node.count ? new Item(node.keys[index], node.values[index]) : null;
    }
    for (let i = node.count > 0 ? node.childFor(key) : 0; i < node.count; i++) {
      const found = this.seekIn(this.child(node, i), key);
      if (found != null || this.failure != null) return found;
    }
    return null;
  }

  /** Sets `key` to `value` (at most MAX_VALUE bytes), replacing any value it had. */
  put(key: Key, value: StaticArray<u8>): void {
    assert(value.length <= MAX_VALUE, "tree value too large");
    const root = this.touch(this.root);
    this.insertInto(root, key, value);
    if (root.size > NODE_CAPACITY) {
      const right = this.split(root);
      const top = new Node(root.level + 1);
      top.insertChild(0, root.keys[0], root);
      top.insertChild(1, right.keys[0], right);
      this.root = top;
    }
  }

  private insertInto(node: Node, key: Key, value: StaticArray<u8>): void {
    if (node.level == 0) {
      const index = node.lowerBound(key);
      if (index < node.count && node.keys[index].compare(key) == 0) {
        node.size += value.length - node.values[index].length;
        node.values[index] = value;
      } else {
        insertAt(node.keys, index, key);
        insertAt(node.values, index, value);
        node.size += LEAF_ITEM_OVERHEAD + value.length;
      }
      return;
    }
    const index = node.childFor(key);
    const child = this.touch(this.child(node, index));
    this.insertInto(child, key, value);
    if (child.size > NODE_CAPACITY) {
      const right = this.split(child);
      node.insertChild(index + 1, right.keys[0], right);
    }
  }

  /** Moves the upper half (by bytes) of `node` into a new node, which it returns. */
  private split(node: Node): Node {
    const right = new Node(node.level);
    this.dirtied++;
    let size = 0, at = 0;
    while (at < node.count - 1 && size < node.size / 2) {
      size += node.level == 0 ? LEAF_ITEM_OVERHEAD + node.values[at].length : BRANCH_ITEM;
      at++;
    }
    right.keys = node.keys.slice(at);
    node.keys = node.keys.slice(0, at);
    if (node.level == 0) {
      right.values = node.values.slice(at);
      node.values = node.values.slice(0, at);
    } else {
      right.blocks = node.blocks.slice(at);
      right.generations = node.generations.slice(at);
      right.loaded = node.loaded.slice(at);
      node.blocks = node.blocks.slice(0, at);
      node.generations = node.generations.slice(0, at);
      node.loaded = node.loaded.slice(0, at);
    }
    right.size = node.size - size;
    node.size = size;
    return right;
  }

  /** Removes `key`; false when it was not there. */
  remove(key: Key): bool {
    if (this.find(key) == null) return false;
    const root = this.touch(this.root);
    this.removeFrom(root, key);
    let top = root;
    while (top.level > 0 && top.count == 1) top = this.touch(this.child(top, 0));
    if (top.level > 0 && top.count == 0) top = new Node(0);
    this.root = top;
    return true;
  }

  private removeFrom(node: Node, key: Key): void {
    if (node.level == 0) {
      const index = node.lowerBound(key);
      node.size -= LEAF_ITEM_OVERHEAD + node.values[index].length;
      node.keys.splice(index, 1);
      node.values.splice(index, 1);
      return;
    }
    const index = node.childFor(key);
    const child = this.touch(this.child(node, index));
    this.removeFrom(child, key);
    if (child.count == 0) {
      node.removeChild(index);
    } else if (child.size < NODE_CAPACITY / 4 && node.count > 1) {
      const left = index > 0 ? index - 1 : index;
      this.mergeIfFits(node, left);
    }
  }

  /** Merges children `index` and `index + 1` of `node` when together they fit one block. */
  private mergeIfFits(node: Node, index: i32): void {
    const left = this.child(node, index), right = this.child(node, index + 1);
    if (left.size + right.size > NODE_CAPACITY) return;
    this.touch(left);
    this.touch(right);
    if (left.level == 0) {
      for (let i = 0; i < right.count; i++) { left.keys.push(right.keys[i]); left.values.push(right.values[i]); }
    } else {
      // right.keys[0] is no bound; the separator in `node` is.
      for (let i = 0; i < right.count; i++) {
        left.keys.push(i == 0 ? node.keys[index + 1] : right.keys[i]);
        left.blocks.push(right.blocks[i]);
        left.generations.push(right.generations[i]);
        left.loaded.push(right.loaded[i]);
      }
    }
    left.size += right.size;
    node.removeChild(index + 1);
    // A block of `right` was freed by touch; the node itself is gone.
  }

  /**
   * Writes every dirty node to a newly allocated block, sealed with
   * `generation`; returns the root's block, or 0 when the volume is full or a
   * write failed.
   */
  write(generation: u64): u64 {
    const block = this.writeNode(this.root, generation);
    this.dirtied = 0;
    if (block != 0 && this.cached > CACHE_LIMIT) this.forget(this.root);
    return block;
  }

  private writeNode(node: Node, generation: u64): u64 {
    if (!node.dirty) return node.block;
    if (node.level > 0) {
      for (let i = 0; i < node.count; i++) {
        const child = node.loaded[i];
        if (child == null || !child.dirty) continue;
        const block = this.writeNode(child, generation);
        if (block == 0) return 0;
        node.blocks[i] = block;
        node.generations[i] = generation;
      }
    }
    const block = this.space.allocate();
    if (block == 0) return 0;
    const at = this.buffer;
    memory.fill(at, 0, BLOCK_SIZE);
    store<u16>(at + HEADER_SIZE, <u16>node.level);
    store<u16>(at + HEADER_SIZE + 2, <u16>node.count);
    let item = at + NODE_ITEMS;
    for (let i = 0; i < node.count; i++) {
      writeKey(item, node.keys[i]);
      if (node.level == 0) {
        const value = node.values[i];
        store<u16>(item + KEY_SIZE, <u16>value.length);
        memory.copy(item + LEAF_ITEM_OVERHEAD, changetype<usize>(value), value.length);
        item += LEAF_ITEM_OVERHEAD + value.length;
      } else {
        store<u64>(item + KEY_SIZE, node.blocks[i]);
        store<u64>(item + KEY_SIZE + 8, node.generations[i]);
        item += BRANCH_ITEM;
      }
    }
    seal(at, MAGIC_NODE, block, generation);
    if (!this.device.write(block, at)) return 0;
    node.block = block;
    node.dirty = false;
    return block;
  }

  /** Drops the decoded children of a clean tree, to be read again when next reached. */
  private forget(node: Node): void {
    for (let i = 0; i < node.loaded.length; i++) node.loaded[i] = null;
    this.cached = 0;
  }
}
