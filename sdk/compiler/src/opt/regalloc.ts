// Linear-scan register allocation (Poletto and Sarkar, "Linear Scan Register
// Allocation", 1999) over the intervals of intervals.ts.
//
// Intervals are visited by start; one that finds no free register of its
// class competes with the active intervals of that class, and the cheapest
// to spill among them loses its register (or the new one gets none). The
// cost of spilling a value is its spill weight: each use and the
// definition count 8^d for a loop depth d (loops.ts, capped at 4 levels),
// since each becomes a load or a store run once per iteration, divided by
// the interval's length, since a long interval holds its register away
// from everything it spans. A spilled value lives in a frame slot for its
// whole life.
//
// Calls: rbx, r12 and r13 survive the calls of the module's own functions
// (and memory.grow, the bulk operations), every other register is scratch
// across them, and nothing survives a call of an import or a call_indirect
// (docs/compiler-abi.md). A callee-saved register costs its function a
// save and a restore on every path, so a value takes one (when one is
// free) only if its interval spans two calls or more, weighted by their
// loops, and is not a parameter (whose slot is there already); the others
// take the other registers first. A value whose register does not survive
// a call it spans keeps that register but also gets a slot. Its interval is split around each call: the value is stored to the
// slot once, where it is defined (SSA values never change), and reloaded
// into its register after each call it is live across. A parameter's slot
// is where the caller passed it, so it is never stored.
//
// A value that flows into a phi takes the phi's register when that one is
// free where the value is defined, which removes the copy on that edge.
//
// Divisions: the lowering takes rax and rdx for (i)div and the magic
// multiplies, saving a value held there to the frame and loading it back
// after. A value whose interval spans a division takes another register
// when one is free, so a loop of divisions keeps its state out of their way.
//
// Constants get no register: each use takes the immediate, or materialises
// it in a scratch register (lower.ts), which costs less than holding a
// register over a long range.

import { FuncType, ValType } from "../module";
import { Op } from "../opcodes";
import { Reg } from "../x64/assembler";
import { IrFunction, IrOp, NO_TYPE } from "./ir";
import { Intervals } from "./intervals";
import { loopDepths } from "./loops";
import { isCalleeSaved } from "../generate/stack";
import { paramRegister } from "../generate/convention";

/** The general registers the allocator hands out; rcx and r11 stay scratch for the lowering, r14/r15/rbp/rsp are the ABI's. */
export const GPRS: Reg[] = [Reg.RAX, Reg.RDX, Reg.RBX, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10, Reg.R12, Reg.R13];
/** The SSE registers it hands out; xmm14 and xmm15 stay scratch. */
export const XMM_COUNT: i32 = 14;

/** Whether a value of this type lives in an SSE register. */
export function isFloatType(type: u8): bool {
  return type == ValType.F32 || type == ValType.F64;
}

export function isConstant(op: u32): bool {
  return op == Op.I32Const || op == Op.I64Const || op == Op.F32Const || op == Op.F64Const;
}

export class Allocation {
  /** Per value: its register (a Reg, or an xmm number for floats), -1 when it has none. */
  reg: i32[];
  /** Per value: its frame slot as an offset from rbp, 0 when it has none. */
  slot: i32[];
  /** Number of 8-byte spill slots below the saved vmctx. */
  slotCount: i32 = 0;

  constructor(count: i32) {
    this.reg = new Array<i32>(count).fill(-1);
    this.slot = new Array<i32>(count).fill(0);
  }

  newSlot(): i32 {
    this.slotCount++;
    return -8 - 8 * this.slotCount;
  }
}

export function allocateRegisters(func: IrFunction, intervals: Intervals, type: FuncType): Allocation {
  const count = func.insts.length;
  const result = new Allocation(count);
  // The values to allocate, by interval start.
  const values: i32[] = [];
  for (let v = 0; v < count; v++) {
    const inst = func.insts[v];
    if (inst.type == NO_TYPE || intervals.start[v] < 0 || isConstant(inst.op)) continue;
    if (inst.op == IrOp.Param) result.slot[v] = 16 + 8 * <i32>inst.imm;
    values.push(v);
  }
  const start = intervals.start;
  const end = intervals.end;
  const weight = spillWeights(func, intervals);
  const depth = loopDepths(func, intervals.dominators);
  const hint = phiHints(func);
  sortKeys = start;
  values.sort(byStart);
  // Free registers per class, as stacks of indices into the class's registers.
  const freeGpr: i32[] = [];
  for (let i = GPRS.length - 1; i >= 0; i--) freeGpr.push(<i32>GPRS[i]);
  const freeXmm: i32[] = [];
  for (let i = XMM_COUNT - 1; i >= 0; i--) freeXmm.push(i);
  // Active intervals, by end.
  const active: i32[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const from = start[value];
    // Expire the intervals that ended before this one starts. One that ends
    // at the instruction defining this value gives up its register to it
    // (the instruction reads its operands before it writes its result);
    // not so for an interval that starts live into a block or at a phi,
    // whose register holds the value from before that point.
    const definedHere = intervals.position[value] == from && func.insts[value].op != IrOp.Phi;
    let kept = 0;
    for (let k = 0; k < active.length; k++) {
      const other = active[k];
      if (end[other] < from || (definedHere && end[other] == from)) {
        if (isFloatType(func.insts[other].type)) freeXmm.push(result.reg[other]);
        else freeGpr.push(result.reg[other]);
      } else {
        active[kept++] = other;
      }
    }
    active.length = kept;
    const float = isFloatType(func.insts[value].type);
    const free = float ? freeXmm : freeGpr;
    if (free.length > 0) {
      // The register of the phi this value flows into, when it is free
      // here: the copy on that edge disappears (a loop's next value
      // lands where the loop reads it).
      const hinted = hint[value] >= 0 ? result.reg[hint[value]] : -1;
      let at = hinted >= 0 ? free.indexOf(hinted) : -1;
      // A callee-saved register costs the function a save and a restore on
      // every path, a slot a store and a reload after each call crossed:
      // worth it from two calls crossed (weighted by their loops) on. A
      // parameter stays out: its slot is the caller's, written only where a
      // call needs it when it came in a register (lower.ts storeAtCalls),
      // while a save and restore would run on every path, a recursive
      // function's base case included. One passed in a register
      // (convention.ts) keeps that register when it is free.
      const inst = func.insts[value];
      const arrival = inst.op == IrOp.Param ? paramRegister(type, <i32>inst.imm) : -1;
      const acrossCalls = !float && inst.op != IrOp.Param && callsAcross(intervals, value, depth) >= 2;
      if (at < 0 && arrival >= 0 && !acrossCalls) at = free.indexOf(arrival);
      if (at < 0 && !float) at = preferred(free, acrossCalls);
      if (!float && intervals.crossesDivision(value)) at = outOfDivisions(free, at);
      if (at >= 0) {
        result.reg[value] = free[at];
        free.splice(at, 1);
      } else {
        result.reg[value] = free.pop();
      }
      insertByEnd(active, value, end);
    } else {
      // The active interval of this class cheapest to spill, if cheaper than this one.
      let victim = -1;
      let cheapest = weight[value];
      for (let k = 0; k < active.length; k++) {
        const other = active[k];
        if (isFloatType(func.insts[other].type) != float || weight[other] >= cheapest) continue;
        victim = k;
        cheapest = weight[other];
      }
      if (victim >= 0) {
        const other = active[victim];
        result.reg[value] = result.reg[other];
        result.reg[other] = -1;
        if (result.slot[other] == 0) result.slot[other] = result.newSlot();
        active.splice(victim, 1);
        insertByEnd(active, value, end);
      } else if (result.slot[value] == 0) {
        result.slot[value] = result.newSlot();
      }
    }
    // Split around calls: a slot to reload from after each.
    const reg = result.reg[value];
    if (reg >= 0 && result.slot[value] == 0 && (keepsAcrossCalls(reg, float) ? intervals.crossesClobber(value) : intervals.crossesCall(value))) {
      result.slot[value] = result.newSlot();
    }
  }
  return result;
}

/** How many calls the interval of `value` spans, each weighted 8 per loop around it. */
function callsAcross(intervals: Intervals, value: i32, depth: i32[]): f64 {
  let sum: f64 = 0;
  const calls = intervals.calls;
  for (let c = intervals.firstCallAfter(intervals.start[value]); c < calls.length && calls[c] < intervals.end[value]; c++) {
    sum += Math.pow(8, <f64>min(max(depth[intervals.callBlocks[c]], 0), MAX_WEIGHTED_DEPTH));
  }
  return sum;
}

/** Whether register `reg` (an xmm number when `float`) survives the calls of the module's own functions. */
export function keepsAcrossCalls(reg: i32, float: bool): bool {
  return !float && isCalleeSaved(reg);
}

/**
 * The index in `free` (general registers, the next to hand out last) of
 * the last callee-saved register when `acrossCalls`, of the last other one
 * when not; -1 when there is none of that kind.
 */
function preferred(free: i32[], acrossCalls: bool): i32 {
  for (let k = free.length - 1; k >= 0; k--) if (isCalleeSaved(free[k]) == acrossCalls) return k;
  return -1;
}

/**
 * For a value that spans a division: `at` (an index in `free`, -1 for the
 * next one handed out) unless that is rax or rdx, else the last free
 * register that is neither, preferring one as callee-saved as the choice;
 * `at` when every free register is one of the two.
 */
function outOfDivisions(free: i32[], at: i32): i32 {
  const chosen = at >= 0 ? at : free.length - 1;
  const reg = free[chosen];
  if (reg != <i32>Reg.RAX && reg != <i32>Reg.RDX) return at;
  let other = -1;
  for (let k = free.length - 1; k >= 0; k--) {
    if (free[k] == <i32>Reg.RAX || free[k] == <i32>Reg.RDX) continue;
    if (isCalleeSaved(free[k]) == isCalleeSaved(reg)) return k;
    if (other < 0) other = k;
  }
  return other >= 0 ? other : at;
}

/** Per value: a phi it is an operand of (the last one found), -1 when none. */
function phiHints(func: IrFunction): i32[] {
  const hint = new Array<i32>(func.insts.length).fill(-1);
  for (let b = 0; b < func.blocks.length; b++) {
    const insts = func.blocks[b].insts;
    for (let k = 0; k < insts.length; k++) {
      const inst = func.insts[insts[k]];
      if (inst.op != IrOp.Phi) break;
      for (let a = 0; a < inst.args.length; a++) hint[inst.args[a]] = insts[k];
    }
  }
  return hint;
}

/** Deepest loop nesting that still raises a use's weight. */
const MAX_WEIGHTED_DEPTH: i32 = 4;

/** Per value: its spill weight, the memory accesses spilling it would cost per position of its interval. */
function spillWeights(func: IrFunction, intervals: Intervals): f64[] {
  const count = func.insts.length;
  const depth = loopDepths(func, intervals.dominators);
  const frequency = new Array<f64>(MAX_WEIGHTED_DEPTH + 1);
  for (let d = 0; d <= MAX_WEIGHTED_DEPTH; d++) frequency[d] = Math.pow(8, d);
  const uses = new Array<f64>(count).fill(0);
  for (let b = 0; b < func.blocks.length; b++) {
    if (depth[b] < 0) continue;
    const at = frequency[min(depth[b], MAX_WEIGHTED_DEPTH)];
    const insts = func.blocks[b].insts;
    for (let k = 0; k < insts.length; k++) {
      const inst = func.insts[insts[k]];
      // A parameter is already in its slot: spilling it stores nothing.
      if (inst.op != IrOp.Param) uses[insts[k]] += at;
      const args = inst.args;
      if (inst.op == IrOp.Phi) {
        // A phi's operand is read at the end of its predecessor.
        const preds = func.blocks[b].preds;
        for (let a = 0; a < args.length; a++) uses[args[a]] += frequency[min(max(depth[preds[a]], 0), MAX_WEIGHTED_DEPTH)];
      } else {
        for (let a = 0; a < args.length; a++) uses[args[a]] += at;
      }
    }
  }
  const weight = new Array<f64>(count).fill(0);
  for (let v = 0; v < count; v++) {
    if (intervals.start[v] >= 0) weight[v] = uses[v] / <f64>(intervals.end[v] - intervals.start[v] + 1);
  }
  return weight;
}

/** The interval starts the comparator reads (AssemblyScript closures cannot capture). */
let sortKeys: i32[] = [];

function byStart(a: i32, b: i32): i32 {
  const difference = unchecked(sortKeys[a]) - unchecked(sortKeys[b]);
  return difference != 0 ? difference : a - b;
}

function insertByEnd(active: i32[], value: i32, end: i32[]): void {
  let at = active.length;
  active.push(value);
  while (at > 0 && end[active[at - 1]] > end[value]) {
    active[at] = active[at - 1];
    at--;
  }
  active[at] = value;
}
