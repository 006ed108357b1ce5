// f32 and f64 arithmetic and comparisons with SSE scalar instructions.
//
// Where x86 and wasm differ:
//  - minss/maxss return the second operand when either is NaN and do not
//    order -0 below +0, so min/max branch: NaN operands go through addss
//    (which returns a quiet NaN built from the input NaN), equal operands are
//    combined bitwise (or for min: -0 wins; and for max: +0 wins), and only
//    ordered, unequal operands use minss/maxss;
//  - abs, neg and copysign are pure bit operations with masks from the pool,
//    so NaN payloads pass through untouched;
//  - comparisons use ucomiss/ucomisd, which report unordered as ZF=PF=CF=1:
//    lt/le are computed as gt/ge with swapped operands (CF and ZF clear means
//    ordered and greater), and eq/ne also test the parity flag;
//  - ceil/floor/trunc/nearest are roundss/roundsd (SSE4.1) with the precision
//    exception suppressed; "nearest" is the default round-half-to-even.

import { Assembler, Cond, Packed, Rounding, Scalar, memLabel } from "../x64/assembler";
import { ValType } from "../module";
import { Op } from "../opcodes";
import { COND_FLOAT_EQ, COND_FLOAT_NE, Generator } from "./generator";
import { OperandKind } from "./stack";

/** Masks of the float sign bit and of everything else, by operand size (tier 2's lowering uses them too). */
export const F32_SIGN: u64 = 0x80000000;
export const F32_ABS: u64 = 0x7fffffff;
export const F64_SIGN: u64 = 0x8000000000000000;
export const F64_ABS: u64 = 0x7fffffffffffffff;

/** Pops a float operand as a register (HELD) or memory; a constant becomes a pool cell. */
function popFloatOperand(g: Generator): void {
  g.popOperand();
  if (g.operandKind == OperandKind.IMM) {
    g.operandKind = OperandKind.MEM;
    g.operandMem = memLabel(g.pool.constant(g.asm, <u64>g.operandImm));
  }
}

function binary(g: Generator, op: Scalar, type: i32): void {
  const size = type == ValType.F64 ? 8 : 4;
  const target = g.resultLocal(true);
  const direct = target >= 0 && !g.isLocalAt(0, target);
  // add and mul commute (when both operands are NaN, either payload is allowed).
  if (!direct && (op == Scalar.ADD || op == Scalar.MUL)) g.preferOwnedLeft();
  popFloatOperand(g);
  const left = direct ? g.popIntoLocal(target) : g.popToReg();
  if (g.operandKind == OperandKind.REG) g.asm.scalar(op, size, left, g.operandReg);
  else g.asm.scalarLoad(op, size, left, g.operandMem);
  g.releaseOperand();
  if (direct) g.takeResultLocal(target);
  else g.pushReg(type, left);
}

function minMax(g: Generator, type: i32, isMin: bool): void {
  const size = type == ValType.F64 ? 8 : 4;
  const right = g.popToReg();
  const left = g.popToReg();
  emitMinMax(g.asm, isMin, size, left, right);
  g.release(right, true);
  g.pushReg(type, left);
}

/** left = min or max of left and right as wasm defines them (see above); the optimizing tier emits it too. */
export function emitMinMax(asm: Assembler, isMin: bool, size: i32, left: i32, right: i32): void {
  const nan = asm.newLabel();
  const unequal = asm.newLabel();
  const done = asm.newLabel();
  asm.ucomis(size, left, right);
  asm.jccShort(Cond.P, nan);
  asm.jccShort(Cond.NE, unequal);
  // Equal, possibly -0 and +0: the bitwise or/and picks the right zero.
  asm.packed(isMin ? Packed.OR : Packed.AND, size, left, right);
  asm.jmpShort(done);
  asm.bind(unequal);
  asm.scalar(isMin ? Scalar.MIN : Scalar.MAX, size, left, right);
  asm.jmpShort(done);
  asm.bind(nan);
  asm.scalar(Scalar.ADD, size, left, right);
  asm.bind(done);
}

function mask(g: Generator, type: i32, op: Packed, bits64: u64, bits32: u64): void {
  const size = type == ValType.F64 ? 8 : 4;
  const value = g.popToReg();
  const label = g.pool.constant(g.asm, size == 8 ? bits64 : bits32);
  g.asm.packedLoad(op, 4, value, memLabel(label));
  g.pushReg(type, value);
}

function copysign(g: Generator, type: i32): void {
  const size = type == ValType.F64 ? 8 : 4;
  const asm = g.asm;
  const sign = g.popToReg();
  const magnitude = g.popToReg();
  asm.packedLoad(Packed.AND, 4, magnitude, memLabel(g.pool.constant(asm, size == 8 ? F64_ABS : F32_ABS)));
  asm.packedLoad(Packed.AND, 4, sign, memLabel(g.pool.constant(asm, size == 8 ? F64_SIGN : F32_SIGN)));
  asm.packed(Packed.OR, 4, magnitude, sign);
  g.release(sign, true);
  g.pushReg(type, magnitude);
}

function unary(g: Generator, type: i32, op: Scalar): void {
  const size = type == ValType.F64 ? 8 : 4;
  const value = g.popToReg();
  g.asm.scalar(op, size, value, value);
  g.pushReg(type, value);
}

function round(g: Generator, type: i32, mode: Rounding): void {
  const size = type == ValType.F64 ? 8 : 4;
  const value = g.popToReg();
  g.asm.round(size, value, value, mode);
  g.pushReg(type, value);
}

const enum Compare { EQ, NE, LT, GT, LE, GE }

function compare(g: Generator, type: i32, which: Compare): void {
  const size = type == ValType.F64 ? 8 : 4;
  const asm = g.asm;
  if (which == Compare.LT || which == Compare.LE) {
    // a < b is b > a: ucomis b, a with "above"; unordered clears neither CF nor ZF... sets both, so it fails.
    const right = g.popToReg();
    popFloatOperand(g);
    if (g.operandKind == OperandKind.REG) asm.ucomis(size, right, g.operandReg);
    else asm.ucomisLoad(size, right, g.operandMem);
    g.releaseOperand();
    g.release(right, true);
    g.finishCompare(which == Compare.LT ? Cond.A : Cond.AE);
    return;
  }
  popFloatOperand(g);
  const left = g.popToReg();
  if (g.operandKind == OperandKind.REG) asm.ucomis(size, left, g.operandReg);
  else asm.ucomisLoad(size, left, g.operandMem);
  g.releaseOperand();
  g.release(left, true);
  let cond: i32 = Cond.A;
  if (which == Compare.EQ) cond = COND_FLOAT_EQ;
  else if (which == Compare.NE) cond = COND_FLOAT_NE;
  else if (which == Compare.GE) cond = Cond.AE;
  g.finishCompare(cond);
}

/** Compiles a float instruction; false when `op` is not one. */
export function emitFloat(g: Generator, op: u32): bool {
  const F32 = ValType.F32;
  const F64 = ValType.F64;
  switch (op) {
    case Op.F32Eq: compare(g, F32, Compare.EQ); break;
    case Op.F32Ne: compare(g, F32, Compare.NE); break;
    case Op.F32Lt: compare(g, F32, Compare.LT); break;
    case Op.F32Gt: compare(g, F32, Compare.GT); break;
    case Op.F32Le: compare(g, F32, Compare.LE); break;
    case Op.F32Ge: compare(g, F32, Compare.GE); break;
    case Op.F64Eq: compare(g, F64, Compare.EQ); break;
    case Op.F64Ne: compare(g, F64, Compare.NE); break;
    case Op.F64Lt: compare(g, F64, Compare.LT); break;
    case Op.F64Gt: compare(g, F64, Compare.GT); break;
    case Op.F64Le: compare(g, F64, Compare.LE); break;
    case Op.F64Ge: compare(g, F64, Compare.GE); break;

    case Op.F32Abs: mask(g, F32, Packed.AND, F64_ABS, F32_ABS); break;
    case Op.F32Neg: mask(g, F32, Packed.XOR, F64_SIGN, F32_SIGN); break;
    case Op.F32Ceil: round(g, F32, Rounding.CEIL); break;
    case Op.F32Floor: round(g, F32, Rounding.FLOOR); break;
    case Op.F32Trunc: round(g, F32, Rounding.TRUNC); break;
    case Op.F32Nearest: round(g, F32, Rounding.NEAREST); break;
    case Op.F32Sqrt: unary(g, F32, Scalar.SQRT); break;
    case Op.F32Add: binary(g, Scalar.ADD, F32); break;
    case Op.F32Sub: binary(g, Scalar.SUB, F32); break;
    case Op.F32Mul: binary(g, Scalar.MUL, F32); break;
    case Op.F32Div: binary(g, Scalar.DIV, F32); break;
    case Op.F32Min: minMax(g, F32, true); break;
    case Op.F32Max: minMax(g, F32, false); break;
    case Op.F32Copysign: copysign(g, F32); break;

    case Op.F64Abs: mask(g, F64, Packed.AND, F64_ABS, F32_ABS); break;
    case Op.F64Neg: mask(g, F64, Packed.XOR, F64_SIGN, F32_SIGN); break;
    case Op.F64Ceil: round(g, F64, Rounding.CEIL); break;
    case Op.F64Floor: round(g, F64, Rounding.FLOOR); break;
    case Op.F64Trunc: round(g, F64, Rounding.TRUNC); break;
    case Op.F64Nearest: round(g, F64, Rounding.NEAREST); break;
    case Op.F64Sqrt: unary(g, F64, Scalar.SQRT); break;
    case Op.F64Add: binary(g, Scalar.ADD, F64); break;
    case Op.F64Sub: binary(g, Scalar.SUB, F64); break;
    case Op.F64Mul: binary(g, Scalar.MUL, F64); break;
    case Op.F64Div: binary(g, Scalar.DIV, F64); break;
    case Op.F64Min: minMax(g, F64, true); break;
    case Op.F64Max: minMax(g, F64, false); break;
    case Op.F64Copysign: copysign(g, F64); break;
    default: return false;
  }
  return true;
}
