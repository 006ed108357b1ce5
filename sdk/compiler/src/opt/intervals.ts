// Live intervals of a function's SSA values, for the linear-scan register
// allocator (regalloc.ts).
//
// The blocks are laid out in a reverse postorder that keeps loop bodies
// together (loopOrder in loops.ts, the order the code is emitted in) and every instruction gets a position in that order. Liveness
// comes from walking back from each use to the definition (the SSA form of
// the backward dataflow over blocks), with phis handled on their edges: a
// phi's operand is live at the end of its predecessor, the phi
// itself from the start of its block. Each value gets one interval, from
// the first position where it is live to the last (no holes): coarser than
// interval lists with holes, but a value live around a loop stays live over
// the whole loop either way, and one range per value keeps the allocator
// simple. The positions of the calls are kept too: a value whose interval
// spans one must survive it in memory or in a callee-saved register (rbx,
// r12, r13 survive a call of the module's own functions, memory.grow and
// the bulk operations; nothing survives a call of an import or a
// call_indirect, whose positions are kept apart: docs/compiler-abi.md).

import { Op, PREFIXED, PrefixedOp } from "../opcodes";
import { Dominators } from "./dominators";
import { SMALL_FILL } from "../generate/bulk";
import { Inst, IrFunction, IrOp, NO_TYPE, isDivision } from "./ir";
import { loopOrder } from "./loops";

/** Whether `op` calls out of the function: every allocatable register is clobbered across it. */
export function isCall(op: u32): bool {
  return op == Op.Call || op == Op.CallIndirect || op == Op.MemoryGrow;
}


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

/**
 * Whether `inst` clobbers the callee-saved registers too: a call of an
 * import (below `importedFuncs`). A call_indirect keeps them
 * (generate/call.ts emitCallIndirectInstruction).
 */
export function clobbersCalleeSaved(inst: Inst, importedFuncs: u32): bool {
  return inst.op == Op.Call && <u32>inst.imm < importedFuncs;
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
  /** The block of each of those calls. */
  callBlocks: i32[] = [];
  /** Positions of the calls that clobber the callee-saved registers too, ascending. */
  clobbers: i32[] = [];
  /** Positions of the integer divisions and remainders (ir.ts isDivision), whose lowering takes rax and rdx, ascending. */
  divisions: i32[] = [];
  /** Per block: the values live at its end (an interval may span more than where its value is live). */
  liveOut: i32[][] = [];
  dominators: Dominators;

  /** `importedFuncs`: the module's imported functions, whose calls clobber every register. */
  constructor(func: IrFunction, importedFuncs: u32) {
    const blocks = func.blocks;
    const count = func.insts.length;
    const dominators = new Dominators(func);
    this.dominators = dominators;
    this.order = loopOrder(func, dominators);
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
        if (clobbersRegisters(func, insts[k])) {
          this.calls.push(at);
          this.callBlocks.push(block);
          if (clobbersCalleeSaved(func.insts[insts[k]], importedFuncs)) this.clobbers.push(at);
        }
        if (isDivision(func.insts[insts[k]].op)) this.divisions.push(at);
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

  /**
   * Liveness by walking back from each use to the definition (SSA: the
   * definition dominates every use): a value is live into every block on
   * the way and out of each predecessor the walk goes through, and its
   * interval grows to cover those block boundaries. This is what the
   * dataflow equations give, at a cost proportional to where values are
   * live rather than to blocks times values per iteration to a fixed
   * point. A phi's operand is used at the end of its edge's predecessor.
   */
  private computeLiveness(func: IrFunction): void {
    const blocks = func.blocks;
    const count = func.insts.length;
    for (let b = 0; b < blocks.length; b++) this.liveOut.push([]);
    const defBlock = new Array<i32>(count).fill(-1);
    for (let i = 0; i < this.order.length; i++) {
      const block = this.order[i];
      const insts = blocks[block].insts;
      for (let k = 0; k < insts.length; k++) defBlock[insts[k]] = block;
    }
    // The definitions and uses themselves; each use in another block than
    // its operand's definition is a block the operand is live into.
    const seedValues: i32[] = [];
    const seedBlocks: i32[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const block = this.order[i];
      const insts = blocks[block].insts;
      for (let k = 0; k < insts.length; k++) {
        const value = insts[k];
        const inst = func.insts[value];
        const at = this.position[value];
        if (inst.type != NO_TYPE) this.extend(value, at, at);
        const args = inst.args;
        if (inst.op == IrOp.Phi) {
          // The phis of a block take their values at once, on the edge: each
          // is live over all of them, even a dead one, so that no two share
          // a register (a dead phi's interval once ended before the next
          // phi's began, and both got the same register).
          this.extend(value, this.blockStart[block], this.blockStart[block] + countPhis(func, block) - 1);
          const preds = blocks[block].preds;
          for (let e = 0; e < args.length; e++) {
            const pred = preds[e];
            const operand = args[e];
            if (!this.dominators.reachable(pred) || defBlock[operand] < 0) continue;
            this.liveOutOf(operand, pred);
            if (pred != defBlock[operand]) { seedValues.push(operand); seedBlocks.push(pred); }
          }
          continue;
        }
        for (let a = 0; a < args.length; a++) {
          const operand = args[a];
          this.extend(operand, at, at);
          if (defBlock[operand] >= 0 && defBlock[operand] != block) { seedValues.push(operand); seedBlocks.push(block); }
        }
      }
    }
    // The seeds grouped by value (a counting sort), so that each value's
    // walks share one set of blocks already reached.
    const first = new Array<i32>(count + 1).fill(0);
    for (let i = 0; i < seedValues.length; i++) first[seedValues[i] + 1]++;
    for (let v = 0; v < count; v++) first[v + 1] += first[v];
    const next = first.slice(0, count);
    const sorted = new Array<i32>(seedBlocks.length);
    for (let i = 0; i < seedValues.length; i++) sorted[next[seedValues[i]]++] = seedBlocks[i];
    const reached = new Array<i32>(blocks.length).fill(-1);
    const work: i32[] = [];
    for (let value = 0; value < count; value++) {
      const home = defBlock[value];
      for (let i = first[value]; i < first[value + 1]; i++) {
        const seed = sorted[i];
        if (reached[seed] == value) continue;
        reached[seed] = value;
        work.push(seed);
        while (work.length > 0) {
          const block = work.pop();
          this.extend(value, this.blockStart[block], this.blockStart[block]);
          const preds = blocks[block].preds;
          for (let p = 0; p < preds.length; p++) {
            const pred = preds[p];
            if (!this.dominators.reachable(pred)) continue;
            this.liveOutOf(value, pred);
            if (pred == home || reached[pred] == value) continue;
            reached[pred] = value;
            work.push(pred);
          }
        }
      }
    }
  }

  /** Records `value` live at the end of `block`, once. */
  private liveOutOf(value: i32, block: i32): void {
    this.extend(value, this.blockEnd[block], this.blockEnd[block]);
    const out = this.liveOut[block];
    // A value's walks run one after the other: a repeat is the last entry.
    if (out.length == 0 || out[out.length - 1] != value) out.push(value);
  }

  /** Whether a call lies strictly inside the interval of `value`. */
  crossesCall(value: i32): bool {
    const low = this.firstCallAfter(this.start[value]);
    return low < this.calls.length && this.calls[low] < this.end[value];
  }

  /** Whether the interval of `value` spans a call that clobbers the callee-saved registers too. */
  crossesClobber(value: i32): bool {
    const low = firstAfter(this.clobbers, this.start[value]);
    return low < this.clobbers.length && this.clobbers[low] < this.end[value];
  }

  /** Whether a division lies strictly inside the interval of `value` (one at its end only reads it). */
  crossesDivision(value: i32): bool {
    const low = firstAfter(this.divisions, this.start[value]);
    return low < this.divisions.length && this.divisions[low] < this.end[value];
  }

  /** The index in `divisions` of the division at `position`. */
  divisionAt(position: i32): i32 {
    return firstAfter(this.divisions, position) - 1;
  }

  /** The index in `calls` of the first call after `position`. */
  firstCallAfter(position: i32): i32 {
    return firstAfter(this.calls, position);
  }
}

/** The index in the ascending `positions` of the first one after `position`. */
function firstAfter(positions: i32[], position: i32): i32 {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle] <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** How many phis `block` starts with. */
function countPhis(func: IrFunction, block: i32): i32 {
  const insts = func.blocks[block].insts;
  let count = 0;
  while (count < insts.length && func.insts[insts[count]].op == IrOp.Phi) count++;
  return count;
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
