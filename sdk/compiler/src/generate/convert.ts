// Conversions between integer and float types, wrap/extend, promote/demote,
// reinterpretations, and the trapping and saturating truncations.
//
// cvttss2si/cvttsd2si return the "integer indefinite" value (INT_MIN of the
// target width) for NaN and out-of-range inputs, so the inline fast path
// only checks for that value and a slow path, placed after the function's
// body, sorts the cases: NaN traps with "invalid conversion to integer" (or
// saturates to 0), out of range traps with "integer overflow" (or clamps),
// and an input that truly truncates to INT_MIN resumes. Unsigned targets go
// through the next wider signed conversion (u32 through i64), or subtract
// 2^63 first (u64 from inputs at or above 2^63). u64 to float halves the
// value keeping the low bit (round to odd), converts and doubles: this
// rounds correctly to both f32 and f64.

import { Assembler, Cond, Packed, Reg, Scalar, Shift, memLabel } from "../x64/assembler";
import { ValType } from "../module";
import { Op, PrefixedOp } from "../opcodes";
import { TrapKind } from "../abi";
import { Generator, SlowPath } from "./generator";
import { Kind, OperandKind, SCRATCH, SCRATCH_XMM } from "./stack";

// Float bit patterns of the bounds used below.
const F32_TWO_63: u64 = 0x5f000000;
const F64_TWO_63: u64 = 0x43e0000000000000;
const F32_MINUS_TWO_31: u64 = 0xcf000000;
const F64_MINUS_TWO_31_MINUS_ONE: u64 = 0xc1e0000000200000;
const F32_MINUS_TWO_63: u64 = 0xdf000000;
const F64_MINUS_TWO_63: u64 = 0xc3e0000000000000;

/** What a conversion's slow path does. */
export const enum Slow {
  /** Trapping signed truncation: INT_MIN came out. */
  TRUNC_SIGNED = 0,
  /** Trapping unsigned truncation out of range (or NaN): always traps. */
  TRUNC_UNSIGNED = 1,
  /** Trapping u64 truncation of an input at or above 2^63. */
  TRUNC_U64_HIGH = 2,
  /** Saturating signed truncation: INT_MIN came out. */
  SAT_SIGNED = 3,
  /** Saturating u32 truncation out of range (or NaN). */
  SAT_U32 = 4,
  /** Saturating u64 truncation of a negative input or NaN: 0. */
  SAT_U64_LOW = 5,
  /** Saturating u64 truncation of an input at or above 2^63. */
  SAT_U64_HIGH = 6,
}

function poolMem(g: Generator, bits: u64): i64 {
  return memLabel(g.pool.constant(g.asm, bits));
}

/** i32/i64.trunc(_sat)_f32/f64_s. */
function truncateSigned(g: Generator, intType: i32, floatSize: i32, saturate: bool): void {
  const input = g.popToReg();
  const result = g.allocGpr();
  emitTruncateSigned(g, intType == ValType.I64 ? 8 : 4, floatSize, saturate, input, result);
  g.release(input, true);
  g.pushReg(intType, result);
}

/** The inline part of a signed truncation from `input` into `result` (the optimizing tier emits it too). */
export function emitTruncateSigned(g: Generator, intSize: i32, floatSize: i32, saturate: bool, input: i32, result: i32): void {
  const asm = g.asm;
  asm.truncateToInt(intSize, floatSize, result, input);
  // Only INT_MIN can mean failure: result - 1 overflows exactly then.
  asm.cmpImm(intSize, result, 1);
  const path = g.slowPath(saturate ? Slow.SAT_SIGNED : Slow.TRUNC_SIGNED, input, result, floatSize, intSize);
  asm.jcc(Cond.O, path.label);
  asm.bind(path.resume);
}

/** i32.trunc(_sat)_f32/f64_u: a 64-bit signed truncation, valid when it fits in 32 bits. */
function truncateU32(g: Generator, floatSize: i32, saturate: bool): void {
  const input = g.popToReg();
  const result = g.allocGpr();
  emitTruncateU32(g, floatSize, saturate, input, result);
  g.release(input, true);
  g.pushReg(ValType.I32, result);
}

/** The inline part of an i32 unsigned truncation; uses r11. */
export function emitTruncateU32(g: Generator, floatSize: i32, saturate: bool, input: i32, result: i32): void {
  const asm = g.asm;
  asm.truncateToInt(8, floatSize, result, input);
  asm.mov(8, SCRATCH, result);
  asm.shiftImm(Shift.SHR, 8, SCRATCH, 32);
  const path = g.slowPath(saturate ? Slow.SAT_U32 : Slow.TRUNC_UNSIGNED, input, result, floatSize, 4);
  asm.jcc(Cond.NE, path.label);
  asm.bind(path.resume);
}

/** i64.trunc(_sat)_f32/f64_u. */
function truncateU64(g: Generator, floatSize: i32, saturate: bool): void {
  const input = g.popToReg();
  const result = g.allocGpr();
  emitTruncateU64(g, floatSize, saturate, input, result);
  g.release(input, true);
  g.pushReg(ValType.I64, result);
}

/** The inline part of an i64 unsigned truncation. */
export function emitTruncateU64(g: Generator, floatSize: i32, saturate: bool, input: i32, result: i32): void {
  const asm = g.asm;
  const high = g.slowPath(saturate ? Slow.SAT_U64_HIGH : Slow.TRUNC_U64_HIGH, input, result, floatSize, 8);
  asm.ucomisLoad(floatSize, input, poolMem(g, floatSize == 8 ? F64_TWO_63 : F32_TWO_63));
  asm.jcc(Cond.AE, high.label);
  asm.truncateToInt(8, floatSize, result, input);
  asm.test(8, result, result);
  // Negative: the input was at most -1, or NaN (unordered does not take the jae above).
  const low = g.slowPath(saturate ? Slow.SAT_U64_LOW : Slow.TRUNC_UNSIGNED, input, result, floatSize, 8);
  low.resume = high.resume;
  asm.jcc(Cond.S, low.label);
  asm.bind(high.resume);
}

/** Emits one slow path (called after the function's body, with the recorded registers). */
export function emitSlowPath(g: Generator, path: SlowPath): void {
  const asm = g.asm;
  const input = path.input;
  const result = path.result;
  const floatSize = path.floatSize;
  const intSize = path.intSize;
  asm.bind(path.label);
  switch (path.kind) {
    case Slow.TRUNC_SIGNED: {
      asm.ucomis(floatSize, input, input);
      g.trapIf(Cond.P, TrapKind.InvalidConversion);
      if (intSize == 4 && floatSize == 8) {
        // Valid for -2^31 - 1 < x < 0; a positive x came here by overflowing.
        asm.ucomisLoad(8, input, poolMem(g, F64_MINUS_TWO_31_MINUS_ONE));
        g.trapIf(Cond.BE, TrapKind.IntegerOverflow);
        asm.ucomisLoad(8, input, poolMem(g, 0));
        g.trapIf(Cond.AE, TrapKind.IntegerOverflow);
      } else {
        // Valid only for exactly -2^31 (from f32) or -2^63.
        const bound = intSize == 4 ? F32_MINUS_TWO_31 : floatSize == 8 ? F64_MINUS_TWO_63 : F32_MINUS_TWO_63;
        asm.ucomisLoad(floatSize, input, poolMem(g, bound));
        g.trapIf(Cond.NE, TrapKind.IntegerOverflow);
      }
      asm.jmp(path.resume);
      break;
    }
    case Slow.TRUNC_UNSIGNED: {
      asm.ucomis(floatSize, input, input);
      g.trapIf(Cond.P, TrapKind.InvalidConversion);
      asm.jmp(g.trapLabel(TrapKind.IntegerOverflow));
      break;
    }
    case Slow.TRUNC_U64_HIGH:
    case Slow.SAT_U64_HIGH: {
      asm.movaps(SCRATCH_XMM, input);
      asm.scalarLoad(Scalar.SUB, floatSize, SCRATCH_XMM, poolMem(g, floatSize == 8 ? F64_TWO_63 : F32_TWO_63));
      asm.truncateToInt(8, floatSize, result, SCRATCH_XMM);
      asm.test(8, result, result);
      if (path.kind == Slow.TRUNC_U64_HIGH) {
        g.trapIf(Cond.S, TrapKind.IntegerOverflow);
      } else {
        const fits = asm.newLabel();
        asm.jccShort(Cond.NS, fits);
        asm.movImm(8, result, -1);
        asm.jmp(path.resume);
        asm.bind(fits);
      }
      asm.movImm(8, SCRATCH, <i64>0x8000000000000000);
      asm.xor(8, result, SCRATCH);
      asm.jmp(path.resume);
      break;
    }
    case Slow.SAT_SIGNED: {
      const zero = asm.newLabel();
      asm.ucomis(floatSize, input, input);
      asm.jccShort(Cond.P, zero);
      asm.ucomisLoad(floatSize, input, poolMem(g, 0));
      asm.jcc(Cond.B, path.resume); // negative: INT_MIN is the clamp
      asm.movImm(intSize, result, intSize == 8 ? 0x7fffffffffffffff : 0x7fffffff);
      asm.jmp(path.resume);
      asm.bind(zero);
      asm.xor(4, result, result);
      asm.jmp(path.resume);
      break;
    }
    case Slow.SAT_U32: {
      const zero = asm.newLabel();
      asm.ucomis(floatSize, input, input);
      asm.jccShort(Cond.P, zero);
      asm.ucomisLoad(floatSize, input, poolMem(g, 0));
      asm.jccShort(Cond.B, zero);
      asm.movImm(4, result, 0xffffffff);
      asm.jmp(path.resume);
      asm.bind(zero);
      asm.xor(4, result, result);
      asm.jmp(path.resume);
      break;
    }
    case Slow.SAT_U64_LOW: {
      asm.xor(4, result, result);
      asm.jmp(path.resume);
      break;
    }
  }
}

/** f32/f64.convert_i32/i64_s/u. */
function convertFromInt(g: Generator, floatType: i32, intType: i32, signed: bool): void {
  const asm = g.asm;
  const floatSize = floatType == ValType.F64 ? 8 : 4;
  if (intType == ValType.I32 || signed) {
    // One instruction that only reads the integer: from its register as it
    // is (a register local's too), else through the scratch register.
    g.popOperand();
    let source = g.operandReg;
    if (g.operandKind == OperandKind.IMM) {
      source = SCRATCH;
      g.loadConst(intType, SCRATCH, g.operandImm);
    } else if (g.operandKind == OperandKind.MEM) {
      source = SCRATCH;
      g.load(intType, SCRATCH, g.operandMem);
    }
    const converted = g.allocXmm();
    // Clear the destination: cvtsi2ss merges into it, a false dependency otherwise.
    asm.packed(Packed.XOR, 4, converted, converted);
    // An unsigned i32 is zero-extended in its register: convert it as a signed i64.
    asm.convertFromInt(floatSize, intType == ValType.I32 && signed ? 4 : 8, converted, source);
    g.releaseOperand();
    g.pushReg(floatType, converted);
    return;
  }
  const value = g.popToReg();
  const result = g.allocXmm();
  emitConvertU64(asm, floatSize, result, value);
  g.release(value, false);
  g.pushReg(floatType, result);
}

/** result = the unsigned i64 in `value` as a float; clobbers `value` and r11 (the optimizing tier emits it too). */
export function emitConvertU64(asm: Assembler, floatSize: i32, result: i32, value: i32): void {
  asm.packed(Packed.XOR, 4, result, result);
  // An unsigned i64 with its top bit set: halve it (keeping the low bit for the rounding), convert, double.
  const big = asm.newLabel();
  const done = asm.newLabel();
  asm.test(8, value, value);
  asm.jccShort(Cond.S, big);
  asm.convertFromInt(floatSize, 8, result, value);
  asm.jmpShort(done);
  asm.bind(big);
  asm.mov(8, SCRATCH, value);
  asm.shiftImm(Shift.SHR, 8, SCRATCH, 1);
  asm.andImm(4, value, 1);
  asm.or(8, SCRATCH, value);
  asm.convertFromInt(floatSize, 8, result, SCRATCH);
  asm.scalar(Scalar.ADD, floatSize, result, result);
  asm.bind(done);
}

/** Reinterprets the bits of the top entry as `toType`, without touching memory-held values twice. */
function reinterpret(g: Generator, toType: i32): void {
  const position = g.depth - 1;
  const kind = g.kindAt(position);
  if (kind == Kind.CONST) {
    const bits = g.valueAt(position);
    g.drop();
    g.pushConst(toType, bits);
    return;
  }
  const size = toType == ValType.I64 || toType == ValType.F64 ? 8 : 4;
  const toInt = toType == ValType.I32 || toType == ValType.I64;
  g.popOperand();
  const to = g.allocFor(toType);
  if (g.operandKind == OperandKind.MEM) {
    g.load(toType, to, g.operandMem);
  } else {
    if (toInt) g.asm.movFromXmm(size, to, g.operandReg);
    else g.asm.movToXmm(size, to, g.operandReg);
    g.releaseOperand();
  }
  g.pushReg(toType, to);
}

function wrap(g: Generator): void {
  const position = g.depth - 1;
  const kind = g.kindAt(position);
  if (kind == Kind.CONST) {
    const bits = g.valueAt(position);
    g.drop();
    g.pushConst(ValType.I32, bits & 0xffffffff);
  } else if (kind == Kind.REG) {
    const value = g.popToReg();
    g.asm.mov(4, value, value);
    g.pushReg(ValType.I32, value);
  } else {
    g.popOperand();
    const value = g.allocGpr();
    if (g.operandKind == OperandKind.MEM) g.asm.load(4, value, g.operandMem);
    else g.asm.mov(4, value, g.operandReg);
    g.pushReg(ValType.I32, value);
  }
}

function extendI32(g: Generator, signed: bool): void {
  const position = g.depth - 1;
  if (g.kindAt(position) == Kind.CONST) {
    const bits = g.valueAt(position);
    g.drop();
    g.pushConst(ValType.I64, signed ? <i64><i32>bits : bits & 0xffffffff);
    return;
  }
  // popToReg loads an i32 with a 32-bit move, so its upper half is zero.
  const value = g.popToReg();
  if (signed) g.asm.signExtend(8, 4, value, value);
  g.pushReg(ValType.I64, value);
}

function convertFloat(g: Generator, toType: i32): void {
  const value = g.popToReg();
  g.asm.convertFloat(toType == ValType.F64 ? 4 : 8, value, value);
  g.pushReg(toType, value);
}

/** Compiles a conversion; false when `op` is not one. */
export function emitConversion(g: Generator, op: u32): bool {
  const I32 = ValType.I32;
  const I64 = ValType.I64;
  const F32 = ValType.F32;
  const F64 = ValType.F64;
  switch (op) {
    case Op.I32WrapI64: wrap(g); break;
    case Op.I32TruncF32S: truncateSigned(g, I32, 4, false); break;
    case Op.I32TruncF32U: truncateU32(g, 4, false); break;
    case Op.I32TruncF64S: truncateSigned(g, I32, 8, false); break;
    case Op.I32TruncF64U: truncateU32(g, 8, false); break;
    case Op.I64ExtendI32S: extendI32(g, true); break;
    case Op.I64ExtendI32U: extendI32(g, false); break;
    case Op.I64TruncF32S: truncateSigned(g, I64, 4, false); break;
    case Op.I64TruncF32U: truncateU64(g, 4, false); break;
    case Op.I64TruncF64S: truncateSigned(g, I64, 8, false); break;
    case Op.I64TruncF64U: truncateU64(g, 8, false); break;
    case Op.F32ConvertI32S: convertFromInt(g, F32, I32, true); break;
    case Op.F32ConvertI32U: convertFromInt(g, F32, I32, false); break;
    case Op.F32ConvertI64S: convertFromInt(g, F32, I64, true); break;
    case Op.F32ConvertI64U: convertFromInt(g, F32, I64, false); break;
    case Op.F32DemoteF64: convertFloat(g, F32); break;
    case Op.F64ConvertI32S: convertFromInt(g, F64, I32, true); break;
    case Op.F64ConvertI32U: convertFromInt(g, F64, I32, false); break;
    case Op.F64ConvertI64S: convertFromInt(g, F64, I64, true); break;
    case Op.F64ConvertI64U: convertFromInt(g, F64, I64, false); break;
    case Op.F64PromoteF32: convertFloat(g, F64); break;
    case Op.I32ReinterpretF32: reinterpret(g, I32); break;
    case Op.I64ReinterpretF64: reinterpret(g, I64); break;
    case Op.F32ReinterpretI32: reinterpret(g, F32); break;
    case Op.F64ReinterpretI64: reinterpret(g, F64); break;
    default: return false;
  }
  return true;
}

/** The saturating truncations (0xFC 0-7); false when `sub` is not one. */
export function emitSaturatingConversion(g: Generator, sub: u32): bool {
  switch (sub) {
    case PrefixedOp.I32TruncSatF32S: truncateSigned(g, ValType.I32, 4, true); break;
    case PrefixedOp.I32TruncSatF32U: truncateU32(g, 4, true); break;
    case PrefixedOp.I32TruncSatF64S: truncateSigned(g, ValType.I32, 8, true); break;
    case PrefixedOp.I32TruncSatF64U: truncateU32(g, 8, true); break;
    case PrefixedOp.I64TruncSatF32S: truncateSigned(g, ValType.I64, 4, true); break;
    case PrefixedOp.I64TruncSatF32U: truncateU64(g, 4, true); break;
    case PrefixedOp.I64TruncSatF64S: truncateSigned(g, ValType.I64, 8, true); break;
    case PrefixedOp.I64TruncSatF64U: truncateU64(g, 8, true); break;
    default: return false;
  }
  return true;
}
