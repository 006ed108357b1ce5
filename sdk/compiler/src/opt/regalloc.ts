// Linear-scan register allocation (Poletto and Sarkar, "Linear Scan Register
// Allocation", 1999) over the intervals of intervals.ts.
//
// Intervals are visited by start; one that finds no free register of its
// class takes the register of the active interval that ends last when that
// one ends after it (which is then spilled), or is spilled itself. A
// spilled value lives in a frame slot for its whole life.
//
// Calls: every allocatable register is scratch across a wasm call, so a
// value whose interval spans a call keeps its register but also gets a
// slot. Its interval is split around each call: the value is stored to the
// slot once, where it is defined (SSA values never change), and reloaded
// into its register after each call it is live across. A parameter's slot
// is where the caller passed it, so it is never stored.
//
// Constants get no register: each use takes the immediate, or materialises
// it in a scratch register (lower.ts), which costs less than holding a
// register over a long range.

import { ValType } from "../module";
import { Op } from "../opcodes";
import { Reg } from "../x64/assembler";
import { IrFunction, IrOp, NO_TYPE } from "./ir";
import { Intervals } from "./intervals";

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

export function allocateRegisters(func: IrFunction, intervals: Intervals): Allocation {
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
      result.reg[value] = free.pop();
      insertByEnd(active, value, end);
    } else {
      // The active interval of this class that ends last.
      let victim = -1;
      for (let k = active.length - 1; k >= 0; k--) {
        if (isFloatType(func.insts[active[k]].type) == float) { victim = k; break; }
      }
      const other = victim >= 0 ? active[victim] : -1;
      if (other >= 0 && end[other] > end[value]) {
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
    if (result.reg[value] >= 0 && result.slot[value] == 0 && intervals.crossesCall(value)) result.slot[value] = result.newSlot();
  }
  return result;
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
