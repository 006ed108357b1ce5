// i32 and i64 arithmetic, comparisons, shifts, rotates, bit counts, division
// and sign extension. Constants fold into immediates where x86 allows
// (32-bit sign-extended), and comparisons leave their result in the flags for
// a br_if/if/select that follows.
//
// Semantics that x86 does not give for free: division by zero and
// INT_MIN / -1 trap explicitly (idiv would raise #DE), and INT_MIN rem -1 is
// 0 without dividing. A nonzero constant divisor needs no divide at all
// (division.ts). Shift and rotate counts are masked by the hardware
// exactly as wasm masks them (5 bits for 32-bit, 6 for 64-bit).

import { Alu, Cond, Reg, Shift, mem, memIndex, swapCond } from "../x64/assembler";
import { ValType } from "../module";
import { Op } from "../opcodes";
import { TrapKind } from "../abi";
import { Generator } from "./generator";
import { Kind, OperandKind, SCRATCH } from "./stack";
import { divideByConstant } from "./division";

function fitsImm32(bits: i64, size: i32): bool {
  return size == 4 || (bits >= -2147483648 && bits <= 2147483647);
}

/** Pops the right operand: an immediate that fits, a register (HELD) or memory. Constants that do not fit are loaded. */
function popRight(g: Generator, size: i32): void {
  g.popOperand();
  if (g.operandKind == OperandKind.IMM && !fitsImm32(g.operandImm, size)) {
    const reg = g.allocGpr();
    g.asm.movImm(8, reg, g.operandImm);
    g.operandKind = OperandKind.REG;
    g.operandReg = reg;
  }
}

/** `dst op= right` for the operand popRight left. */
function applyAlu(g: Generator, op: Alu, size: i32, dst: Reg): void {
  const asm = g.asm;
  if (g.operandKind == OperandKind.IMM) asm.aluImm(op, size, dst, <i32>g.operandImm);
  else if (g.operandKind == OperandKind.REG) asm.alu(op, size, dst, g.operandReg);
  else asm.aluLoad(op, size, dst, g.operandMem);
  g.releaseOperand();
}

/** i32.and whose result only decides a br_if/if/select: `test`, leaving the flags for it. */
function andAsCondition(g: Generator): void {
  const asm = g.asm;
  popRight(g, 4);
  const rightKind = g.operandKind;
  const rightReg = g.operandReg;
  const rightOwned = g.operandOwned;
  const rightImm = g.operandImm;
  const rightMem = g.operandMem;
  g.popOperand();
  if (g.operandKind == OperandKind.IMM) {
    const reg = g.allocGpr();
    asm.movImm(4, reg, <i64><u32>g.operandImm);
    g.operandKind = OperandKind.REG;
    g.operandReg = reg;
    g.operandOwned = true;
  }
  if (rightKind == OperandKind.IMM) {
    if (g.operandKind == OperandKind.REG) asm.testImm(4, g.operandReg, <i32>rightImm);
    else asm.testMemImm(4, g.operandMem, <i32>rightImm);
  } else if (rightKind == OperandKind.REG) {
    if (g.operandKind == OperandKind.REG) asm.test(4, g.operandReg, rightReg);
    else asm.testMem(4, g.operandMem, rightReg);
  } else if (g.operandKind == OperandKind.REG) {
    asm.testMem(4, rightMem, g.operandReg);
  } else {
    asm.load(4, SCRATCH, g.operandMem);
    asm.testMem(4, rightMem, SCRATCH);
  }
  g.releaseOperand();
  if (rightKind == OperandKind.REG && rightOwned) g.release(rightReg, false);
  g.finishCompare(Cond.NE);
}

function binaryAlu(g: Generator, op: Alu, type: i32, commutative: bool): void {
  const size = type == ValType.I64 ? 8 : 4;
  const asm = g.asm;
  if (commutative && g.isConstAt(1) && !g.isConstAt(0)) g.swapTop();
  if (op == Alu.AND && size == 4 && g.conditionFollows()) {
    andAsCondition(g);
    return;
  }
  // local.set y (op x z) with y in a register: compute in y's register.
  let target = g.resultLocal(false);
  if (target >= 0 && g.isLocalAt(0, target)) target = -1;
  popRight(g, size);
  const rightKind = g.operandKind;
  const rightReg = g.operandReg;
  const rightImm = g.operandImm;
  const rightOwned = g.operandOwned;
  // An addition whose left value sits in a register it must not change
  // (a register local, or any register when the result goes to a local):
  // lea computes it into another register in one instruction.
  const leaFits = (op == Alu.ADD && rightKind != OperandKind.MEM)
    || (op == Alu.SUB && rightKind == OperandKind.IMM && <i32>rightImm != -2147483648);
  if (leaFits) {
    const position = g.depth - 1;
    const leftKind = g.kindAt(position);
    const leftLocal = leftKind == Kind.LOCAL ? <i32>g.valueAt(position) : -1;
    const otherRegisterLocal = leftLocal >= 0 && leftLocal != target && g.localReg(leftLocal) >= 0;
    if (otherRegisterLocal || (target >= 0 && leftKind == Kind.REG)) {
      g.popOperand();
      const left = g.operandReg;
      const leftOwned = g.operandOwned;
      let result: i32;
      if (target >= 0) {
        g.materializeLocal(target);
        result = g.localReg(target);
      } else {
        result = g.allocGpr();
      }
      if (rightKind == OperandKind.IMM) asm.lea(size, result, mem(left, op == Alu.SUB ? -<i32>rightImm : <i32>rightImm));
      else asm.lea(size, result, memIndex(left, rightReg, 1, 0));
      if (leftOwned) g.release(left, false);
      if (rightKind == OperandKind.REG && rightOwned) g.release(rightReg, false);
      if (target >= 0) g.takeResultLocal(target);
      else g.pushReg(type, result);
      return;
    }
  }
  if (target >= 0) {
    applyAlu(g, op, size, g.popIntoLocal(target));
    g.takeResultLocal(target);
    return;
  }
  const leftKind = g.kindAt(g.depth - 1);
  if (commutative && leftKind != Kind.REG && leftKind != Kind.CONST && g.operandKind == OperandKind.REG && g.operandOwned) {
    // The right operand's register can take the result: no copy of the left.
    const result = g.operandReg;
    g.popOperand();
    applyAlu(g, op, size, result);
    g.pushReg(type, result);
    return;
  }
  const left = g.popToReg();
  applyAlu(g, op, size, left);
  g.pushReg(type, left);
}

function multiply(g: Generator, type: i32): void {
  const size = type == ValType.I64 ? 8 : 4;
  const asm = g.asm;
  if (g.isConstAt(1) && !g.isConstAt(0)) g.swapTop();
  const target = g.resultLocal(false);
  const direct = target >= 0 && !g.isLocalAt(0, target);
  popRight(g, size);
  const left = direct ? g.popIntoLocal(target) : g.popToReg();
  if (g.operandKind == OperandKind.IMM) asm.imulImm(size, left, left, <i32>g.operandImm);
  else if (g.operandKind == OperandKind.REG) asm.imul(size, left, g.operandReg);
  else asm.imulLoad(size, left, g.operandMem);
  g.releaseOperand();
  if (direct) g.takeResultLocal(target);
  else g.pushReg(type, left);
}

function shift(g: Generator, op: Shift, type: i32): void {
  const size = type == ValType.I64 ? 8 : 4;
  if (g.isConstAt(0)) {
    const count = <i32>g.constAt(0);
    g.drop();
    const target = g.resultLocal(false);
    if (target >= 0) {
      g.asm.shiftImm(op, size, g.popIntoLocal(target), count);
      g.takeResultLocal(target);
      return;
    }
    const value = g.popToReg();
    g.asm.shiftImm(op, size, value, count);
    g.pushReg(type, value);
    return;
  }
  g.popToGpr(Reg.RCX);
  const value = g.popToReg();
  g.asm.shift(op, size, value);
  g.release(Reg.RCX, false);
  g.pushReg(type, value);
}

/** Compares the two top entries and leaves `cond` (for left op right) pending or as an i32. */
function compare(g: Generator, type: i32, cond: Cond): void {
  const size = type == ValType.I64 ? 8 : 4;
  const asm = g.asm;
  if (g.isConstAt(1) && !g.isConstAt(0) && g.swapTop()) cond = swapCond(cond);
  popRight(g, size);
  const rightKind = g.operandKind;
  const rightReg = g.operandReg;
  const rightOwned = g.operandOwned;
  const rightImm = g.operandImm;
  const rightMem = g.operandMem;
  if (rightKind != OperandKind.MEM) {
    // The left side may stay in memory: cmp [m], reg/imm.
    g.popOperand();
    if (g.operandKind == OperandKind.MEM) {
      if (rightKind == OperandKind.IMM) asm.cmpMemImm(size, g.operandMem, <i32>rightImm);
      else asm.cmpStore(size, g.operandMem, rightReg);
    } else {
      if (g.operandKind == OperandKind.IMM) {
        // Both constant (a constant left that could not be swapped): load it.
        const reg = g.allocGpr();
        g.loadConst(type, reg, g.operandImm);
        g.operandKind = OperandKind.REG;
        g.operandReg = reg;
        g.operandOwned = true;
      }
      if (rightKind == OperandKind.IMM) asm.cmpImm(size, g.operandReg, <i32>rightImm);
      else asm.cmp(size, g.operandReg, rightReg);
      g.releaseOperand();
    }
    if (rightKind == OperandKind.REG && rightOwned) g.release(rightReg, false);
    g.finishCompare(cond);
    return;
  }
  g.popOperand();
  if (g.operandKind == OperandKind.REG) {
    asm.cmpLoad(size, g.operandReg, rightMem);
    g.releaseOperand();
  } else {
    const left = g.allocGpr();
    if (g.operandKind == OperandKind.IMM) g.loadConst(type, left, g.operandImm);
    else g.asm.load(size, left, g.operandMem);
    asm.cmpLoad(size, left, rightMem);
    g.release(left, false);
  }
  g.finishCompare(cond);
}

function equalsZero(g: Generator, type: i32): void {
  const size = type == ValType.I64 ? 8 : 4;
  g.popOperand();
  if (g.operandKind == OperandKind.MEM) {
    g.asm.cmpMemImm(size, g.operandMem, 0);
  } else {
    if (g.operandKind == OperandKind.IMM) {
      const reg = g.allocGpr();
      g.loadConst(type, reg, g.operandImm);
      g.operandKind = OperandKind.REG;
      g.operandReg = reg;
      g.operandOwned = true;
    }
    g.asm.test(size, g.operandReg, g.operandReg);
    g.releaseOperand();
  }
  g.finishCompare(Cond.E);
}

const enum BitCount { LEADING, TRAILING, POPULATION }

function bitCount(g: Generator, type: i32, which: BitCount): void {
  const size = type == ValType.I64 ? 8 : 4;
  const value = g.popToReg();
  if (which == BitCount.LEADING) g.asm.lzcnt(size, value, value);
  else if (which == BitCount.TRAILING) g.asm.tzcnt(size, value, value);
  else g.asm.popcnt(size, value, value);
  g.pushReg(type, value);
}

/** div_s, div_u, rem_s, rem_u: dividend in rax, remainder in rdx (a nonzero constant divisor: division.ts). */
function divide(g: Generator, type: i32, signed: bool, remainder: bool): void {
  const size = type == ValType.I64 ? 8 : 4;
  const asm = g.asm;
  // A constant divisor is nonzero here, or the division traps (a zero one).
  const divisorKnown = g.isConstAt(0);
  if (divisorKnown) {
    const divisorValue = size == 4 ? <i64><i32>g.constAt(0) : g.constAt(0);
    if (divisorValue != 0) {
      g.drop();
      divideByConstant(g, type, signed, remainder, divisorValue);
      return;
    }
  }
  // rax and rdx first, so that neither operand ends up in them.
  g.takeGpr(Reg.RDX);
  g.takeGpr(Reg.RAX);
  const divisor = g.popToReg();
  g.popInto(Reg.RAX);

  asm.test(size, divisor, divisor);
  g.trapIf(Cond.E, TrapKind.DivideByZero);
  const done = asm.newLabel();
  if (signed && !divisorKnown) {
    const normal = asm.newLabel();
    asm.cmpImm(size, divisor, -1);
    asm.jcc(Cond.NE, normal);
    if (remainder) {
      // x rem -1 is 0 for every x, INT_MIN included.
      asm.xor(4, Reg.RDX, Reg.RDX);
      asm.jmp(done);
    } else {
      // INT_MIN / -1 overflows: rax - 1 overflows exactly when rax is INT_MIN.
      asm.cmpImm(size, Reg.RAX, 1);
      g.trapIf(Cond.O, TrapKind.IntegerOverflow);
    }
    asm.bind(normal);
  }
  if (signed) {
    if (size == 8) asm.cqo(); else asm.cdq();
    asm.idiv(size, divisor);
  } else {
    asm.xor(4, Reg.RDX, Reg.RDX);
    asm.div(size, divisor);
  }
  asm.bind(done);
  g.release(divisor, false);
  if (remainder) {
    g.release(Reg.RAX, false);
    g.pushReg(type, Reg.RDX);
  } else {
    g.release(Reg.RDX, false);
    g.pushReg(type, Reg.RAX);
  }
}

function extend(g: Generator, type: i32, fromSize: i32): void {
  const value = g.popToReg();
  g.asm.signExtend(type == ValType.I64 ? 8 : 4, fromSize, value, value);
  g.pushReg(type, value);
}

/** Compiles an integer instruction; false when `op` is not one. */
// @ts-ignore: decorator
@inline export function emitInteger(g: Generator, op: u32): bool {
  const I32 = ValType.I32;
  const I64 = ValType.I64;
  switch (op) {
    case Op.I32Eqz: equalsZero(g, I32); break;
    case Op.I32Eq: compare(g, I32, Cond.E); break;
    case Op.I32Ne: compare(g, I32, Cond.NE); break;
    case Op.I32LtS: compare(g, I32, Cond.L); break;
    case Op.I32LtU: compare(g, I32, Cond.B); break;
    case Op.I32GtS: compare(g, I32, Cond.G); break;
    case Op.I32GtU: compare(g, I32, Cond.A); break;
    case Op.I32LeS: compare(g, I32, Cond.LE); break;
    case Op.I32LeU: compare(g, I32, Cond.BE); break;
    case Op.I32GeS: compare(g, I32, Cond.GE); break;
    case Op.I32GeU: compare(g, I32, Cond.AE); break;
    case Op.I64Eqz: equalsZero(g, I64); break;
    case Op.I64Eq: compare(g, I64, Cond.E); break;
    case Op.I64Ne: compare(g, I64, Cond.NE); break;
    case Op.I64LtS: compare(g, I64, Cond.L); break;
    case Op.I64LtU: compare(g, I64, Cond.B); break;
    case Op.I64GtS: compare(g, I64, Cond.G); break;
    case Op.I64GtU: compare(g, I64, Cond.A); break;
    case Op.I64LeS: compare(g, I64, Cond.LE); break;
    case Op.I64LeU: compare(g, I64, Cond.BE); break;
    case Op.I64GeS: compare(g, I64, Cond.GE); break;
    case Op.I64GeU: compare(g, I64, Cond.AE); break;

    case Op.I32Clz: bitCount(g, I32, BitCount.LEADING); break;
    case Op.I32Ctz: bitCount(g, I32, BitCount.TRAILING); break;
    case Op.I32Popcnt: bitCount(g, I32, BitCount.POPULATION); break;
    case Op.I32Add: binaryAlu(g, Alu.ADD, I32, true); break;
    case Op.I32Sub: binaryAlu(g, Alu.SUB, I32, false); break;
    case Op.I32Mul: multiply(g, I32); break;
    case Op.I32DivS: divide(g, I32, true, false); break;
    case Op.I32DivU: divide(g, I32, false, false); break;
    case Op.I32RemS: divide(g, I32, true, true); break;
    case Op.I32RemU: divide(g, I32, false, true); break;
    case Op.I32And: binaryAlu(g, Alu.AND, I32, true); break;
    case Op.I32Or: binaryAlu(g, Alu.OR, I32, true); break;
    case Op.I32Xor: binaryAlu(g, Alu.XOR, I32, true); break;
    case Op.I32Shl: shift(g, Shift.SHL, I32); break;
    case Op.I32ShrS: shift(g, Shift.SAR, I32); break;
    case Op.I32ShrU: shift(g, Shift.SHR, I32); break;
    case Op.I32Rotl: shift(g, Shift.ROL, I32); break;
    case Op.I32Rotr: shift(g, Shift.ROR, I32); break;

    case Op.I64Clz: bitCount(g, I64, BitCount.LEADING); break;
    case Op.I64Ctz: bitCount(g, I64, BitCount.TRAILING); break;
    case Op.I64Popcnt: bitCount(g, I64, BitCount.POPULATION); break;
    case Op.I64Add: binaryAlu(g, Alu.ADD, I64, true); break;
    case Op.I64Sub: binaryAlu(g, Alu.SUB, I64, false); break;
    case Op.I64Mul: multiply(g, I64); break;
    case Op.I64DivS: divide(g, I64, true, false); break;
    case Op.I64DivU: divide(g, I64, false, false); break;
    case Op.I64RemS: divide(g, I64, true, true); break;
    case Op.I64RemU: divide(g, I64, false, true); break;
    case Op.I64And: binaryAlu(g, Alu.AND, I64, true); break;
    case Op.I64Or: binaryAlu(g, Alu.OR, I64, true); break;
    case Op.I64Xor: binaryAlu(g, Alu.XOR, I64, true); break;
    case Op.I64Shl: shift(g, Shift.SHL, I64); break;
    case Op.I64ShrS: shift(g, Shift.SAR, I64); break;
    case Op.I64ShrU: shift(g, Shift.SHR, I64); break;
    case Op.I64Rotl: shift(g, Shift.ROL, I64); break;
    case Op.I64Rotr: shift(g, Shift.ROR, I64); break;

    case Op.I32Extend8S: extend(g, I32, 1); break;
    case Op.I32Extend16S: extend(g, I32, 2); break;
    case Op.I64Extend8S: extend(g, I64, 1); break;
    case Op.I64Extend16S: extend(g, I64, 2); break;
    case Op.I64Extend32S: extend(g, I64, 4); break;
    default: return false;
  }
  return true;
}
