// Live intervals of a function's SSA values, for the linear-scan register
// allocator (regalloc.ts).
//
// The blocks are laid out in reverse postorder (the order the code is
// emitted in) and every instruction gets a position in that order. Liveness
// is the usual backward dataflow over blocks, with phis handled on their
// edges: a phi's operand is live at the end of its predecessor, the phi
// itself from the start of its block. Each value gets one interval, from
// the first position where it is live to the last (no holes): coarser than
// interval lists with holes, but a value live around a loop stays live over
// the whole loop either way, and one range per value keeps the allocator
// simple. The positions of the calls are kept too: a value whose interval
// spans one must survive it in memory (every register is scratch across a
// wasm call, docs/compiler-abi.md).

import { Op, PREFIXED, PrefixedOp } from "../opcodes";
import { Dominators } from "./dominators";
import { Inst, IrFunction, IrOp, NO_TYPE } from "./ir";

/** Whether `op` calls out of the function: every allocatable register is clobbered across it. */
export function isCall(op: u32): bool {
  return op == Op.Call || op == Op.CallIndirect || op == Op.MemoryGrow;
}

/** Longest memory.fill of constant value and length that the lowering writes as plain stores. */
export const SMALL_FILL: u32 = 64;

/** Whether `inst` is a memory.fill of constant value and a constant length of at most SMALL_FILL bytes. */
export function isSmallFill(func: IrFunction, inst: Inst): bool {
  if (inst.op != (PREFIXED | PrefixedOp.MemoryFill)) return false;
  const value = func.insts[inst.args[1]];
  const length = func.insts[inst.args[2]];
  return value.op == Op.I32Const && length.op == Op.I32Const && <u32>length.imm <= SMALL_FILL;
}

/**
 * Whether instruction `value` clobbers the allocatable registers as a call
 * does: calls, and the bulk operations other than small fills and the
 * drops, which take their operands in fixed registers (generate/bulk.ts).
 */
export function clobbersRegisters(func: IrFunction, value: i32): bool {
  const inst = func.insts[value];
  if (isCall(inst.op)) return true;
  switch (inst.op) {
    case PREFIXED | PrefixedOp.MemoryCopy: case PREFIXED | PrefixedOp.MemoryInit:
    case PREFIXED | PrefixedOp.TableCopy: case PREFIXED | PrefixedOp.TableInit:
      return true;
  }
  return inst.op == (PREFIXED | PrefixedOp.MemoryFill) && !isSmallFill(func, inst);
}

export class Intervals {
  /** The blocks in emission order. */
  order: i32[];
  /** Position of each instruction (-1 for the ones no block holds). */
  position: i32[];
  /** Per block: the positions of its first and last instruction. */
  blockStart: i32[];
  blockEnd: i32[];
  /** Per value: its interval [start, end], start -1 when it defines nothing live. */
  start: i32[];
  end: i32[];
  /** Positions of the calls, ascending. */
  calls: i32[] = [];
  dominators: Dominators;

  constructor(func: IrFunction) {
    const blocks = func.blocks;
    const count = func.insts.length;
    const dominators = new Dominators(func);
    this.dominators = dominators;
    this.order = dominators.rpo;
    this.position = new Array<i32>(count).fill(-1);
    this.blockStart = new Array<i32>(blocks.length).fill(0);
    this.blockEnd = new Array<i32>(blocks.length).fill(0);
    this.start = new Array<i32>(count).fill(-1);
    this.end = new Array<i32>(count).fill(-1);
    let at = 0;
    for (let i = 0; i < this.order.length; i++) {
      const block = this.order[i];
      const insts = blocks[block].insts;
      this.blockStart[block] = at;
      for (let k = 0; k < insts.length; k++) {
        this.position[insts[k]] = at;
        if (clobbersRegisters(func, insts[k])) this.calls.push(at);
        at++;
      }
      this.blockEnd[block] = at - 1;
    }
    this.computeLiveness(func);
  }

  private extend(value: i32, from: i32, to: i32): void {
    if (this.start[value] < 0 || from < this.start[value]) this.start[value] = from;
    if (to > this.end[value]) this.end[value] = to;
  }

  /** Live-in sets by iteration to a fixed point, then the intervals from them. */
  private computeLiveness(func: IrFunction): void {
    const blocks = func.blocks;
    const words = (func.insts.length + 31) >>> 5;
    const liveIn: StaticArray<u32>[] = [];
    for (let b = 0; b < blocks.length; b++) liveIn.push(new StaticArray<u32>(words));
    const live = new StaticArray<u32>(words);
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = this.order.length - 1; i >= 0; i--) {
        const block = this.order[i];
        this.liveOut(func, block, liveIn, live);
        const insts = blocks[block].insts;
        for (let k = insts.length - 1; k >= 0; k--) {
          const inst = func.insts[insts[k]];
          clearBit(live, insts[k]);
          if (inst.op == IrOp.Phi) continue;
          for (let a = 0; a < inst.args.length; a++) setBit(live, inst.args[a]);
        }
        const into = liveIn[block];
        for (let w = 0; w < words; w++) {
          if (into[w] != live[w]) { into[w] = live[w]; changed = true; }
        }
      }
    }
    // Intervals: the blocks a value is live out of and into, then its definition and uses.
    for (let i = 0; i < this.order.length; i++) {
      const block = this.order[i];
      const first = this.blockStart[block];
      const last = this.blockEnd[block];
      this.liveOut(func, block, liveIn, live);
      for (let w = 0; w < words; w++) {
        let bits = live[w];
        while (bits != 0) {
          const value = (w << 5) + <i32>ctz(bits);
          bits &= bits - 1;
          this.extend(value, last, last);
        }
        bits = liveIn[block][w];
        while (bits != 0) {
          const value = (w << 5) + <i32>ctz(bits);
          bits &= bits - 1;
          this.extend(value, first, first);
        }
      }
      const insts = blocks[block].insts;
      for (let k = 0; k < insts.length; k++) {
        const value = insts[k];
        const inst = func.insts[value];
        const at = this.position[value];
        if (inst.type != NO_TYPE) this.extend(value, at, at);
        if (inst.op == IrOp.Phi) continue;
        for (let a = 0; a < inst.args.length; a++) this.extend(inst.args[a], at, at);
      }
    }
  }

  /** The values live at the end of `block` into `out`: the successors' live-in minus their phis, plus the phis' operands of these edges. */
  private liveOut(func: IrFunction, block: i32, liveIn: StaticArray<u32>[], out: StaticArray<u32>): void {
    for (let w = 0; w < out.length; w++) out[w] = 0;
    const last = func.insts[func.last(block)];
    const targets = last.targets;
    for (let t = 0; t < targets.length; t++) {
      const succ = targets[t];
      const into = liveIn[succ];
      for (let w = 0; w < out.length; w++) out[w] |= into[w];
    }
    for (let t = 0; t < targets.length; t++) {
      const succ = targets[t];
      const insts = func.blocks[succ].insts;
      for (let k = 0; k < insts.length; k++) {
        const phi = func.insts[insts[k]];
        if (phi.op != IrOp.Phi) break;
        clearBit(out, insts[k]);
      }
    }
    for (let t = 0; t < targets.length; t++) {
      const succ = targets[t];
      const edge = edgeIndex(func, block, t);
      const insts = func.blocks[succ].insts;
      for (let k = 0; k < insts.length; k++) {
        const phi = func.insts[insts[k]];
        if (phi.op != IrOp.Phi) break;
        setBit(out, phi.args[edge]);
      }
    }
  }

  /** Whether a call lies strictly inside the interval of `value`. */
  crossesCall(value: i32): bool {
    const start = this.start[value];
    const end = this.end[value];
    const calls = this.calls;
    // Binary search for the first call after start.
    let low = 0;
    let high = calls.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (calls[middle] <= start) low = middle + 1;
      else high = middle;
    }
    return low < calls.length && calls[low] < end;
  }
}

/**
 * Which entry of the phis of `block`'s target `t` belongs to this edge: a
 * block reaching the same target through several edges (a br_table) appears
 * once per edge in the target's predecessors, in the order of its targets.
 */
export function edgeIndex(func: IrFunction, block: i32, t: i32): i32 {
  const targets = func.insts[func.last(block)].targets;
  const succ = targets[t];
  let occurrence = 0;
  for (let k = 0; k < t; k++) if (targets[k] == succ) occurrence++;
  const preds = func.blocks[succ].preds;
  for (let k = 0; k < preds.length; k++) {
    if (preds[k] != block) continue;
    if (occurrence == 0) return k;
    occurrence--;
  }
  return -1;
}

// @ts-ignore: decorator
@inline function setBit(bits: StaticArray<u32>, index: i32): void {
  unchecked(bits[index >>> 5] |= 1 << (index & 31));
}

// @ts-ignore: decorator
@inline function clearBit(bits: StaticArray<u32>, index: i32): void {
  unchecked(bits[index >>> 5] &= ~(1 << (index & 31)));
}
