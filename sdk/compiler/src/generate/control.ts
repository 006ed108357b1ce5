// Structured control flow: block, loop, if/else/end, br, br_if, br_table,
// return, unreachable, drop, select. The merge discipline is described in
// generator.ts: blocks start with everything spilled, branches move the
// carried values into the target's canonical slots.

import { Cond, Label, Reg, Scalar, memIndex, memLabel } from "../x64/assembler";
import { FuncType, ValType } from "../module";
import { TrapKind } from "../abi";
import { COND_FLOAT_EQ, COND_FLOAT_NE, Control, ControlKind, Generator, invertCondition } from "./generator";
import { Kind, OperandKind, SCRATCH, isFloat, sizeOf } from "./stack";
import { setAt } from "../lists";

const EMPTY_TYPE = new FuncType();
const I32_RESULT = singleResult(<u8>ValType.I32);
const I64_RESULT = singleResult(<u8>ValType.I64);
const F32_RESULT = singleResult(<u8>ValType.F32);
const F64_RESULT = singleResult(<u8>ValType.F64);

function singleResult(type: u8): FuncType {
  const result = new FuncType();
  result.results.push(type);
  return result;
}

/** Reads a block type: empty, one value type, or a type index (multi-value). */
// @ts-ignore: decorator
@inline function blockType(g: Generator): FuncType {
  const value = g.reader.s33();
  if (value >= 0) return g.module.types[<i32>value];
  switch (<i32>(value & 0x7f)) {
    case ValType.I32: return I32_RESULT;
    case ValType.I64: return I64_RESULT;
    case ValType.F32: return F32_RESULT;
    case ValType.F64: return F64_RESULT;
  }
  return EMPTY_TYPE;
}

/** Loop headers start on a multiple of this. */
const LOOP_ALIGNMENT = 32;

export function emitBlock(g: Generator, kind: ControlKind): void {
  const type = blockType(g);
  g.spillAll();
  const control = g.pushControl(kind, type);
  if (kind == ControlKind.LOOP) {
    g.syncRegisterLocals();
    // Branches back to the header bring the parameters in their slots: so must the entry.
    storeParams(g, control);
    // A loop header on a 32-byte boundary: where a loop starts within the
    // decoder's fetch blocks otherwise changes its speed with unrelated code
    // (with 16, a small loop could still straddle a 32-byte block and run
    // 10% slower than the same loop placed by chance inside one).
    g.asm.alignWithNops(LOOP_ALIGNMENT);
    g.asm.bind(control.label);
    g.joinRegisterLocals();
  }
}

/** Stores a block's constant parameters in their slots, so that every entry has them there. */
function storeParams(g: Generator, control: Control): void {
  for (let position = control.base; position < g.depth; position++) {
    if (g.kindAt(position) == Kind.CONST) {
      g.storeConst(g.slotMem(position), g.typeAt(position), g.valueAt(position));
      g.setKind(position, Kind.STACK);
    }
  }
}

export function emitIf(g: Generator): void {
  const type = blockType(g);
  const cond = g.takeCondition();
  // Everything below goes to its slot, parameters included (constants too):
  // the false branch, explicit or not, then starts from the same state.
  g.spillAll();
  g.syncRegisterLocals();
  const control = g.pushControl(ControlKind.IF, type);
  storeParams(g, control);
  control.elseLabel = g.asm.newLabel();
  g.jumpIf(invertCondition(cond), control.elseLabel);
}

export function emitElse(g: Generator): void {
  const control = g.controlAt(0);
  if (g.reachable) {
    g.settleAtLabel(control);
    g.syncRegisterLocals();
    g.asm.jmp(control.label);
    control.branched = true;
  }
  g.asm.bind(control.elseLabel);
  g.joinRegisterLocals();
  control.hasElse = true;
  restoreParams(g, control);
  g.reachable = true;
}

/** The stack at the start of a block's body: the entries below its base, then its parameters in their slots. */
function restoreParams(g: Generator, control: Control): void {
  g.truncate(control.base);
  const params = control.type.params;
  for (let k = 0; k < params.length; k++) g.pushStack(params[k]);
}

/** The stack after a block whose end is reached in the canonical state. */
function canonicalResults(g: Generator, control: Control): void {
  if (control.kind != ControlKind.LOOP) {
    g.labelState(control);
    return;
  }
  // Only dead code reaches a loop's end this way: any consistent stack does.
  g.truncate(control.base);
  const results = control.type.results;
  for (let k = 0; k < results.length; k++) g.pushStack(results[k]);
}

/** Compiles `end`; true when it ended the function. */
export function emitEnd(g: Generator): bool {
  const control = g.controlAt(0);
  const asm = g.asm;
  if (control.kind == ControlKind.FUNCTION) {
    if (g.reachable) g.emitReturn();
    g.controlDepth--;
    return true;
  }
  if (control.kind == ControlKind.IF && !control.hasElse) {
    // The missing else passes the parameters through as results: they are in their slots already.
    if (g.reachable) {
      g.settleAtLabel(control);
      g.syncRegisterLocals();
    }
    asm.bind(control.elseLabel);
    asm.bind(control.label);
    g.joinRegisterLocals();
    canonicalResults(g, control);
    g.reachable = true;
  } else if (control.kind != ControlKind.LOOP && control.branched) {
    if (g.reachable) {
      g.settleAtLabel(control);
      g.syncRegisterLocals();
    }
    asm.bind(control.label);
    g.joinRegisterLocals();
    canonicalResults(g, control);
    g.reachable = true;
  } else if (!g.reachable) {
    // Nothing reaches the end: the code after it is dead too.
    canonicalResults(g, control);
  }
  g.controlDepth--;
  return false;
}

/** An unconditional branch to `target`. Changes no entry. */
function branchTo(g: Generator, target: Control): void {
  if (target.kind == ControlKind.FUNCTION) { g.emitReturn(); return; }
  g.moveToLabel(target);
  g.syncRegisterLocals();
  g.asm.jmp(target.label);
  if (target.kind != ControlKind.LOOP) target.branched = true;
}

export function emitBr(g: Generator): void {
  branchTo(g, g.controlAt(g.reader.u32()));
  g.reachable = false;
}

export function emitBrIf(g: Generator): void {
  const target = g.controlAt(g.reader.u32());
  const cond = g.takeCondition();
  // Both paths continue with the register locals in their registers (moves keep the flags).
  g.syncRegisterLocals();
  if (target.kind != ControlKind.FUNCTION && g.branchNeedsNoMoves(target)) {
    g.jumpIf(cond, target.label);
    if (target.kind != ControlKind.LOOP) target.branched = true;
    return;
  }
  const skip = g.asm.newLabel();
  g.jumpIf(invertCondition(cond), skip);
  branchTo(g, target);
  g.asm.bind(skip);
}

export function emitBrTable(g: Generator): void {
  const asm = g.asm;
  const reader = g.reader;
  const count = reader.u32();
  const depths = new Array<u32>(<i32>count + 1);
  for (let i: u32 = 0; i <= count; i++) setAt(depths, <i32>i, reader.u32());
  const index = g.popToReg();
  g.syncRegisterLocals();

  // One label per distinct target: the target itself when no moves are
  // needed, else a trampoline that makes them.
  const labels = new Array<Label>(g.controlDepth);
  const trampolines = new Array<bool>(g.controlDepth);
  for (let i = 0; i < g.controlDepth; i++) setAt(labels, i, -1);
  for (let i = 0; i <= <i32>count; i++) {
    const depth = <i32>unchecked(depths[i]);
    if (labels[depth] >= 0) continue;
    const target = g.controlAt(depth);
    if (target.kind != ControlKind.FUNCTION && g.branchNeedsNoMoves(target)) {
      labels[depth] = target.label;
      if (target.kind != ControlKind.LOOP) target.branched = true;
    } else {
      labels[depth] = asm.newLabel();
      trampolines[depth] = true;
    }
  }

  const defaultLabel = labels[<i32>depths[count]];
  if (count == 0) {
    asm.jmp(defaultLabel);
  } else {
    asm.cmpImm(4, index, <i32>count);
    asm.jcc(Cond.AE, defaultLabel);
    const table = asm.newLabel();
    asm.lea(8, SCRATCH, memLabel(table));
    asm.loadSignExtend(8, 4, index, memIndex(SCRATCH, index, 4, 0));
    asm.add(8, index, SCRATCH);
    asm.jmpReg(index);
    asm.align(4);
    asm.bind(table);
    for (let i: u32 = 0; i < count; i++) asm.tableEntry(labels[<i32>unchecked(depths[i])], table);
  }
  g.release(index, false);
  for (let depth = 0; depth < g.controlDepth; depth++) {
    if (!trampolines[depth]) continue;
    asm.bind(labels[depth]);
    branchTo(g, g.controlAt(depth));
  }
  g.reachable = false;
}

export function emitReturn(g: Generator): void {
  g.emitReturn();
  g.reachable = false;
}

export function emitUnreachable(g: Generator): void {
  g.asm.jmp(g.trapLabel(TrapKind.Unreachable));
  g.reachable = false;
}

/** `select`: the first operand when the condition is non-zero, else the second. */
export function emitSelect(g: Generator): void {
  const asm = g.asm;
  const cond = g.takeCondition();
  const type = g.typeAt(g.depth - 1);
  if (isFloat(type)) {
    const other = g.popToReg();
    const result = g.popToReg();
    const keep = asm.newLabel();
    g.jumpIf(cond, keep);
    asm.movaps(result, other);
    asm.bind(keep);
    g.release(other, true);
    g.pushReg(type, result);
    return;
  }
  const size = sizeOf(type);
  g.popOperand();
  let kind = g.operandKind;
  let other = g.operandReg;
  let owned = g.operandOwned;
  const otherMem = g.operandMem;
  if (kind == OperandKind.IMM) {
    other = g.allocGpr();
    g.loadConst(type, other, g.operandImm);
    kind = OperandKind.REG;
    owned = true;
  }
  const result = g.popToReg();
  // Take the second operand when the condition fails.
  if (cond == COND_FLOAT_EQ) {
    if (kind == OperandKind.REG) { asm.cmov(Cond.NE, size, result, other); asm.cmov(Cond.P, size, result, other); }
    else { asm.cmovLoad(Cond.NE, size, result, otherMem); asm.cmovLoad(Cond.P, size, result, otherMem); }
  } else if (cond == COND_FLOAT_NE) {
    const keep = asm.newLabel();
    asm.jccShort(Cond.P, keep);
    if (kind == OperandKind.REG) asm.cmov(Cond.E, size, result, other);
    else asm.cmovLoad(Cond.E, size, result, otherMem);
    asm.bind(keep);
  } else {
    const fail = invertCondition(cond);
    if (kind == OperandKind.REG) asm.cmov(<Cond>fail, size, result, other);
    else asm.cmovLoad(<Cond>fail, size, result, otherMem);
  }
  if (kind == OperandKind.REG && owned) g.release(other, false);
  g.pushReg(type, result);
}

export function emitDrop(g: Generator): void {
  g.drop();
}
