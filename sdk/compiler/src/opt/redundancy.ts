// Redundancy elimination over extended basic blocks: a pure operation
// equal to one computed before it (same operation, immediates and
// operands) and a global.get whose global's value is already known are
// replaced by the earlier value.
//
// What is known flows down chains of blocks with a single predecessor (that
// predecessor dominates the block, so every value it knows is available);
// a merge starts with the pure expressions known at the end of its
// immediate dominator (global value numbering over the dominator tree: the
// dominator is visited first in reverse postorder, and its values dominate
// the merge) but no global values, which may differ by path. Alias classes for the global reads:
// a global.set of global g makes its operand g's known value and forgets
// nothing else (globals are distinct cells); a call, call_indirect or
// memory.grow may write any global (through an export, or in another
// instance importing it), so they forget every global. The typical win is
// AssemblyScript's shadow-stack pointer, a global read before every store
// to the shadow stack: after this pass it is read once after each call.
//
// Linear memory is the third alias class: a load of the same operation,
// address value and offset as an earlier load, or as a full-width store of
// the same type, reads that value (the earlier access already trapped if
// the address was out of bounds). A store forgets what it may overwrite:
// every location reached through another address value, and overlapping
// ranges through the same one; calls, memory.grow and bulk memory forget
// all of memory. Frame slots are the lowering's and never aliased by wasm.

import { Op, PREFIXED } from "../opcodes";
import { Dominators } from "./dominators";
import { IrFunction, IrOp, isLoad, isPureInst, isStore } from "./ir";
import { isCall } from "./intervals";

/** What one point of a block chain knows: global values and linear memory contents. */
class Known {
  globals: Map<u32, i32> = new Map<u32, i32>();
  /** Memory known to hold a value: the load operation that reads it, its address value and static offset, and the value. */
  loadOps: u32[] = [];
  addresses: i32[] = [];
  offsets: u64[] = [];
  loaded: i32[] = [];

  /** The value a load of `op` at address + offset would read, or -1 when not known. */
  findLoad(op: u32, address: i32, offset: u64): i32 {
    for (let i = 0; i < this.loadOps.length; i++) {
      if (this.loadOps[i] == op && this.addresses[i] == address && this.offsets[i] == offset) return this.loaded[i];
    }
    return -1;
  }

  addLoad(op: u32, address: i32, offset: u64, value: i32): void {
    this.loadOps.push(op);
    this.addresses.push(address);
    this.offsets.push(offset);
    this.loaded.push(value);
  }

  /**
   * Forgets what a store of `size` bytes at address + offset may overwrite:
   * everything read through another address value (it may be equal), and
   * what overlaps it through the same one.
   */
  store(address: i32, offset: u64, size: i32): void {
    let kept = 0;
    for (let i = 0; i < this.loadOps.length; i++) {
      const from = this.offsets[i];
      const disjoint = this.addresses[i] == address && (from + <u64>accessSize(this.loadOps[i]) <= offset || offset + <u64>size <= from);
      if (!disjoint) continue;
      this.loadOps[kept] = this.loadOps[i];
      this.addresses[kept] = this.addresses[i];
      this.offsets[kept] = from;
      this.loaded[kept] = this.loaded[i];
      kept++;
    }
    this.loadOps.length = kept;
    this.addresses.length = kept;
    this.offsets.length = kept;
    this.loaded.length = kept;
  }

  forgetMemory(): void {
    this.loadOps.length = 0;
    this.addresses.length = 0;
    this.offsets.length = 0;
    this.loaded.length = 0;
  }

  copy(): Known {
    const known = new Known();
    const globals = this.globals.keys();
    for (let i = 0; i < globals.length; i++) known.globals.set(globals[i], this.globals.get(globals[i]));
    for (let i = 0; i < this.loadOps.length; i++) known.addLoad(this.loadOps[i], this.addresses[i], this.offsets[i], this.loaded[i]);
    return known;
  }
}

/** Bytes a load or store accesses. */
function accessSize(op: u32): i32 {
  switch (op) {
    case Op.I64Load: case Op.F64Load: case Op.I64Store: case Op.F64Store: return 8;
    case Op.I32Load8S: case Op.I32Load8U: case Op.I64Load8S: case Op.I64Load8U: case Op.I32Store8: case Op.I64Store8: return 1;
    case Op.I32Load16S: case Op.I32Load16U: case Op.I64Load16S: case Op.I64Load16U: case Op.I32Store16: case Op.I64Store16: return 2;
  }
  return 4;
}

/** The load that reads back exactly what a store wrote (same type, full width), 0 when none does. */
function loadOfStore(op: u32): u32 {
  switch (op) {
    case Op.I32Store: return Op.I32Load;
    case Op.I64Store: return Op.I64Load;
    case Op.F32Store: return Op.F32Load;
    case Op.F64Store: return Op.F64Load;
  }
  return 0;
}

/** The key of a pure instruction: equal keys, equal values. */
function expressionKey(func: IrFunction, value: i32): string {
  const inst = func.insts[value];
  let key = inst.op.toString() + ":" + inst.type.toString() + ":" + inst.imm.toString();
  for (let k = 0; k < inst.args.length; k++) key += "," + inst.args[k].toString();
  return key;
}

/**
 * The reachable blocks in a preorder of the dominator tree, children in
 * reverse postorder: every block after its immediate dominator, and a
 * block's subtree contiguous right after it.
 */
function dominatorTreeOrder(func: IrFunction, dominators: Dominators): i32[] {
  const rpo = dominators.rpo;
  const count = func.blocks.length;
  // Children lists as linked lists, built backwards so each keeps reverse postorder.
  const firstChild = new Array<i32>(count).fill(-1);
  const nextSibling = new Array<i32>(count).fill(-1);
  for (let o = rpo.length - 1; o > 0; o--) {
    const block = rpo[o];
    const parent = dominators.idom[block];
    nextSibling[block] = firstChild[parent];
    firstChild[parent] = block;
  }
  const order: i32[] = [];
  const stack: i32[] = [rpo[0]];
  while (stack.length > 0) {
    const block = stack.pop();
    order.push(block);
    // Pushed last to first, so the first child is visited first.
    const children: i32[] = [];
    for (let child = firstChild[block]; child >= 0; child = nextSibling[child]) children.push(child);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return order;
}

/** Removes redundant pure operations and global reads from `func`; returns how many. */
export function eliminateRedundancy(func: IrFunction): i32 {
  const count = func.insts.length;
  const replacement = new Array<i32>(count);
  for (let i = 0; i < count; i++) replacement[i] = i;
  const dominators = new Dominators(func);
  const order = dominatorTreeOrder(func, dominators);
  const atEnd = new Array<Known | null>(func.blocks.length).fill(null);
  // The pure expressions known in the dominator-tree ancestors of the block
  // being visited, as one table: `added` logs the keys each block put in,
  // and leaving a block's subtree takes them out again, where copying the
  // table into every block cost time quadratic in the function's size.
  const expressions = new Map<string, i32>();
  const added: string[] = [];
  const openBlocks: i32[] = [];
  const openMarks: i32[] = [];
  let removed = 0;
  for (let o = 0; o < order.length; o++) {
    const block = order[o];
    const idom = o == 0 ? -1 : dominators.idom[block];
    while (openBlocks.length > 0 && openBlocks[openBlocks.length - 1] != idom) {
      openBlocks.pop();
      const mark = openMarks.pop();
      while (added.length > mark) expressions.delete(added.pop());
    }
    openBlocks.push(block);
    openMarks.push(added.length);
    const preds = func.blocks[block].preds;
    // Globals and memory flow down single-predecessor chains; at a merge they may differ by path.
    // A predecessor with this block as its only successor hands its state over uncopied.
    let known: Known;
    if (preds.length == 1 && atEnd[preds[0]] != null) {
      known = func.insts[func.last(preds[0])].targets.length == 1 ? atEnd[preds[0]]! : atEnd[preds[0]]!.copy();
    } else {
      known = new Known();
    }
    const insts = func.blocks[block].insts;
    for (let k = 0; k < insts.length; k++) {
      const value = insts[k];
      const inst = func.insts[value];
      const args = inst.args;
      for (let a = 0; a < args.length; a++) args[a] = replacement[args[a]];
      if (inst.op == IrOp.Phi) continue;
      if (isPureInst(func, inst)) {
        const key = expressionKey(func, value);
        if (expressions.has(key)) {
          replacement[value] = expressions.get(key);
          removed++;
        } else {
          expressions.set(key, value);
          added.push(key);
        }
      } else if (inst.op == Op.GlobalGet) {
        const global = <u32>inst.imm;
        if (known.globals.has(global)) {
          replacement[value] = known.globals.get(global);
          removed++;
        } else {
          known.globals.set(global, value);
        }
      } else if (inst.op == Op.GlobalSet) {
        known.globals.set(<u32>inst.imm, args[0]);
      } else if (isLoad(inst.op)) {
        const earlier = known.findLoad(inst.op, args[0], inst.imm);
        if (earlier >= 0) {
          replacement[value] = earlier;
          removed++;
        } else {
          known.addLoad(inst.op, args[0], inst.imm, value);
        }
      } else if (isStore(inst.op)) {
        known.store(args[0], inst.imm, accessSize(inst.op));
        const load = loadOfStore(inst.op);
        if (load != 0) known.addLoad(load, args[0], inst.imm, args[1]);
      } else if (isCall(inst.op)) {
        known.globals.clear();
        known.forgetMemory();
      } else if (inst.op >= PREFIXED) {
        // Bulk memory writes memory.
        known.forgetMemory();
      }
    }
    atEnd[block] = known;
  }
  if (removed == 0) return 0;
  // Phis of loop headers read values of blocks visited after them: rewrite
  // every operand once more, then drop the replaced instructions.
  for (let b = 0; b < func.blocks.length; b++) {
    const block = func.blocks[b];
    const kept: i32[] = [];
    for (let k = 0; k < block.insts.length; k++) {
      const value = block.insts[k];
      const args = func.insts[value].args;
      for (let a = 0; a < args.length; a++) args[a] = replacement[args[a]];
      if (replacement[value] == value) kept.push(value);
      else func.insts[value].block = -1;
    }
    block.insts = kept;
  }
  return removed;
}
