// Division and remainder by a constant, without the divide instruction
// (20 to 90 cycles): powers of two by shifts, others by a multiply with a
// "magic" reciprocal and a shift (Granlund and Montgomery, "Division by
// invariant integers using multiplication", 1994; the magic numbers are
// computed as in Warren's Hacker's Delight, chapter 10).
//
// wasm's traps stay: a nonzero constant cannot divide by zero, and the one
// overflow, INT_MIN / -1, is caught by `neg` setting the overflow flag.
// x rem -1 is 0 for every x. The remainder is always x - q * d.
//
// Registers: i32 uses 64-bit products in ordinary registers (the 32-bit
// dividend times a 33-bit multiplier at most, which fits); i64 needs the
// high half of a 128-bit product, so `mul`/`imul` with rdx:rax.
//
// The sequences work on registers they are given (`emit*`), so that both
// tiers use them: the baseline takes the registers from its value stack
// (divideByConstant), the optimizing tier from its allocation and scratch
// registers (opt/lower.ts). Each also uses SCRATCH.

import { Assembler, Cond, Reg, Shift } from "../x64/assembler";
import { ValType } from "../module";
import { TrapKind } from "../abi";
import { Generator } from "./generator";
import { SCRATCH } from "./stack";

/** The multiplier, shift and (unsigned only) add indicator magicSigned/magicUnsigned computed. */
let magicMultiplier: u64 = 0;
let magicShift: i32 = 0;
let magicAdd: bool = false;
/** Where the last emitMagic64 left its quotient (rdx, or rax after the add step). */
let quotientRegister64: Reg = Reg.RDX;

// @ts-ignore: decorator
@inline function widthMask(bits: i32): u64 { return bits == 64 ? <u64>-1 : 0xffffffff; }

/**
 * The signed magic number of divisor `d` (2 <= |d|, not a power of two) for
 * `bits`-bit division: q = ((mulhs(M, x) [+ x if d > 0 and M < 0] [- x if
 * d < 0 and M > 0]) >> s) + sign bit. Every step is `bits`-bit unsigned.
 */
function magicSigned(d: i64, bits: i32): void {
  const mask = widthMask(bits);
  const top: u64 = <u64>1 << (bits - 1);
  const ad: u64 = (d < 0 ? <u64>-d : <u64>d) & mask;
  const t: u64 = top + (d < 0 ? 1 : 0);
  const anc: u64 = t - 1 - t % ad;
  let p = bits - 1;
  let q1: u64 = top / anc;
  let r1: u64 = top - q1 * anc;
  let q2: u64 = top / ad;
  let r2: u64 = top - q2 * ad;
  let delta: u64 = 0;
  do {
    p++;
    q1 = (q1 << 1) & mask;
    r1 = (r1 << 1) & mask;
    if (r1 >= anc) { q1 = (q1 + 1) & mask; r1 -= anc; }
    q2 = (q2 << 1) & mask;
    r2 = (r2 << 1) & mask;
    if (r2 >= ad) { q2 = (q2 + 1) & mask; r2 -= ad; }
    delta = ad - r2;
  } while (q1 < delta || (q1 == delta && r1 == 0));
  let m = (q2 + 1) & mask;
  if (d < 0) m = (0 - m) & mask;
  magicMultiplier = m;
  magicShift = p - bits;
}

/**
 * The unsigned magic number of divisor `d` (not a power of two, below
 * 2^(bits-1)) for `bits`-bit division: q = mulhu(M, x) >> s, or when the
 * multiplier needs bits + 1 bits (magicAdd), with t = mulhu(M, x):
 * q = (((x - t) >> 1) + t) >> (s - 1).
 */
function magicUnsigned(d: u64, bits: i32): void {
  const mask = widthMask(bits);
  const top: u64 = <u64>1 << (bits - 1);
  let add = false;
  let p = bits - 1;
  const nc: u64 = mask - ((mask - d + 1) & mask) % d;
  let q1: u64 = top / nc;
  let r1: u64 = top - q1 * nc;
  let q2: u64 = (top - 1) / d;
  let r2: u64 = (top - 1) - q2 * d;
  let delta: u64 = 0;
  do {
    p++;
    if (r1 >= nc - r1) {
      q1 = ((q1 << 1) + 1) & mask;
      r1 = ((r1 << 1) - nc) & mask;
    } else {
      q1 = (q1 << 1) & mask;
      r1 = (r1 << 1) & mask;
    }
    if (r2 + 1 >= d - r2) {
      if (q2 >= top - 1) add = true;
      q2 = ((q2 << 1) + 1) & mask;
      r2 = ((r2 << 1) + 1 - d) & mask;
    } else {
      if (q2 >= top) add = true;
      q2 = (q2 << 1) & mask;
      r2 = ((r2 << 1) + 1) & mask;
    }
    delta = (d - 1 - r2) & mask;
  } while (p < 2 * bits && (q1 < delta || (q1 == delta && r1 == 0)));
  magicMultiplier = (q2 + 1) & mask;
  magicShift = p - bits;
  magicAdd = add;
}

/** `reg = reg * d` (low half) for a constant, through the scratch register when it does not fit an imm32. */
function multiplyByConstant(asm: Assembler, size: i32, reg: Reg, d: i64): void {
  if (size == 4 || (d >= -2147483648 && d <= 2147483647)) {
    asm.imulImm(size, reg, reg, <i32>d);
  } else {
    asm.movImm(8, SCRATCH, d);
    asm.imul(8, reg, SCRATCH);
  }
}

/** `x -= q * d`: the remainder from the quotient, left in x. */
function remainderFromQuotient(asm: Assembler, size: i32, x: Reg, q: Reg, d: i64): void {
  multiplyByConstant(asm, size, q, d);
  asm.sub(size, x, q);
}

/** x / 2^k or x rem 2^k, signed: a bias of 2^k - 1 for negative x makes the shift round toward zero. The result: in t (quotient) or x (remainder). */
function emitSignedPowerOfTwo(asm: Assembler, size: i32, k: i32, negative: bool, remainder: bool, x: Reg, t: Reg): Reg {
  const bits = size * 8;
  asm.mov(size, t, x);
  if (k > 1) asm.shiftImm(Shift.SAR, size, t, bits - 1);
  asm.shiftImm(Shift.SHR, size, t, bits - k);
  asm.add(size, t, x);
  if (remainder) {
    // x - ((x + bias) rounded down to a multiple of 2^k); the divisor's sign does not matter.
    if (k < 32) {
      asm.andImm(size, t, <i32>(-(<i64>1 << k)));
    } else {
      asm.shiftImm(Shift.SHR, size, t, k);
      asm.shiftImm(Shift.SHL, size, t, k);
    }
    asm.sub(size, x, t);
    return x;
  }
  asm.shiftImm(Shift.SAR, size, t, k);
  if (negative) asm.neg(size, t);
  return t;
}

/** x / 2^k or x rem 2^k, unsigned, in x. */
function emitUnsignedPowerOfTwo(asm: Assembler, size: i32, k: i32, remainder: bool, x: Reg): Reg {
  if (!remainder) {
    asm.shiftImm(Shift.SHR, size, x, k);
  } else if (k < 31) {
    asm.andImm(size, x, (1 << k) - 1);
  } else {
    // The mask does not fit a sign-extended imm32: clear the high bits by shifting them out.
    asm.shiftImm(Shift.SHL, size, x, size * 8 - k);
    asm.shiftImm(Shift.SHR, size, x, size * 8 - k);
  }
  return x;
}

/** Unsigned division by a divisor with its top bit set: the quotient is 0 or 1 (in t), the remainder x or x - d (in x). */
function emitUnsignedLarge(asm: Assembler, size: i32, d: i64, remainder: bool, x: Reg, t: Reg): Reg {
  asm.movImm(size, SCRATCH, size == 4 ? <i64><u32>d : d);
  if (remainder) {
    asm.mov(size, t, x);
    asm.sub(size, t, SCRATCH);
    asm.cmov(Cond.AE, size, x, t); // no borrow: x >= d, the remainder is x - d
    return x;
  }
  asm.xor(4, t, t);
  asm.cmp(size, x, SCRATCH);
  asm.setcc(Cond.AE, t);
  return t;
}

/** i32 by a magic multiplier: a 64-bit product of the 32-bit dividend, its high half taken by a shift. The quotient in q, the remainder in x. */
function emitMagic32(asm: Assembler, signed: bool, d: i64, remainder: bool, x: Reg, q: Reg): Reg {
  if (signed) {
    magicSigned(d, 32);
    const m = <i32><u32>magicMultiplier;
    asm.signExtend(8, 4, q, x);
    asm.imulImm(8, q, q, m);
    asm.shiftImm(Shift.SAR, 8, q, 32);
    if (d > 0 && m < 0) asm.add(4, q, x);
    else if (d < 0 && m > 0) asm.sub(4, q, x);
    if (magicShift > 0) asm.shiftImm(Shift.SAR, 4, q, magicShift);
    // Round toward zero: add one when the quotient is negative.
    asm.mov(4, SCRATCH, q);
    asm.shiftImm(Shift.SHR, 4, SCRATCH, 31);
    asm.add(4, q, SCRATCH);
  } else {
    magicUnsigned(<u64><u32>d, 32);
    asm.movImm(4, q, <i64>magicMultiplier);
    asm.imul(8, q, x); // x's upper half is zero: a 64-bit unsigned product
    if (!magicAdd) {
      asm.shiftImm(Shift.SHR, 8, q, 32 + magicShift);
    } else {
      asm.shiftImm(Shift.SHR, 8, q, 32);
      asm.mov(4, SCRATCH, x);
      asm.sub(4, SCRATCH, q);
      asm.shiftImm(Shift.SHR, 4, SCRATCH, 1);
      asm.add(4, q, SCRATCH);
      if (magicShift > 1) asm.shiftImm(Shift.SHR, 4, q, magicShift - 1);
    }
  }
  if (!remainder) return q;
  remainderFromQuotient(asm, 4, x, q, d);
  return x;
}

/**
 * i64 by a magic multiplier: the high half of the 128-bit product from
 * rdx. Uses rax and rdx, which x must not be; the quotient in rdx or rax,
 * the remainder in x.
 */
function emitMagic64(asm: Assembler, signed: bool, d: i64, remainder: bool, x: Reg): Reg {
  let q: Reg = Reg.RDX;
  if (signed) {
    magicSigned(d, 64);
    const m = <i64>magicMultiplier;
    asm.movImm(8, Reg.RAX, m);
    asm.imulWide(8, x);
    if (d > 0 && m < 0) asm.add(8, Reg.RDX, x);
    else if (d < 0 && m > 0) asm.sub(8, Reg.RDX, x);
    if (magicShift > 0) asm.shiftImm(Shift.SAR, 8, Reg.RDX, magicShift);
    asm.mov(8, Reg.RAX, Reg.RDX);
    asm.shiftImm(Shift.SHR, 8, Reg.RAX, 63);
    asm.add(8, Reg.RDX, Reg.RAX);
  } else {
    magicUnsigned(<u64>d, 64);
    asm.movImm(8, Reg.RAX, <i64>magicMultiplier);
    asm.mul(8, x);
    if (!magicAdd) {
      if (magicShift > 0) asm.shiftImm(Shift.SHR, 8, Reg.RDX, magicShift);
    } else {
      asm.mov(8, Reg.RAX, x);
      asm.sub(8, Reg.RAX, Reg.RDX);
      asm.shiftImm(Shift.SHR, 8, Reg.RAX, 1);
      asm.add(8, Reg.RAX, Reg.RDX);
      if (magicShift > 1) asm.shiftImm(Shift.SHR, 8, Reg.RAX, magicShift - 1);
      q = Reg.RAX;
    }
  }
  quotientRegister64 = q;
  if (!remainder) return q;
  remainderFromQuotient(asm, 8, x, q, d);
  return x;
}

/** How a nonzero constant divisor is divided by (constantDivision). */
export const enum ConstantDivision {
  /** x rem 1 or x rem -1: 0 for every x (INT_MIN rem -1 included). */
  Zero,
  /** x / 1: x. */
  Same,
  /** x / -1: -x, which overflows for INT_MIN only. */
  Negate,
  SignedPowerOfTwo,
  UnsignedPowerOfTwo,
  /** Unsigned, the divisor's top bit set. */
  UnsignedLarge,
  /** A multiply by a magic number; for i64 it uses rax and rdx. */
  Magic,
}

/** Which sequence divides by the nonzero constant `d` (sign-extended from i32 for i32 operations). */
export function constantDivision(size: i32, signed: bool, remainder: bool, d: i64): ConstantDivision {
  const bits = size * 8;
  if (d == 1 || (signed && d == -1)) return remainder ? ConstantDivision.Zero : d == 1 ? ConstantDivision.Same : ConstantDivision.Negate;
  if (signed) {
    const magnitude: u64 = (d < 0 ? <u64>-d : <u64>d) & widthMask(bits);
    return (magnitude & (magnitude - 1)) == 0 ? ConstantDivision.SignedPowerOfTwo : ConstantDivision.Magic;
  }
  const unsignedD: u64 = size == 4 ? <u64><u32>d : <u64>d;
  if ((unsignedD & (unsignedD - 1)) == 0) return ConstantDivision.UnsignedPowerOfTwo;
  return (unsignedD >> (bits - 1)) != 0 ? ConstantDivision.UnsignedLarge : ConstantDivision.Magic;
}

/**
 * Divides the dividend in x by the nonzero constant `d` as `kind`
 * (constantDivision) says, with t a free register (neither may be SCRATCH;
 * for an i64 Magic neither may be rax or rdx, which it uses). Returns the
 * register holding the result: x, t, rax or rdx. Zero and Same emit
 * nothing and return x: the caller knows the result.
 */
export function emitDivisionByConstant(
  g: Generator, kind: ConstantDivision, size: i32, signed: bool, remainder: bool, d: i64, x: Reg, t: Reg,
): Reg {
  const asm = g.asm;
  switch (kind) {
    case ConstantDivision.Negate:
      // neg sets OF exactly for INT_MIN.
      asm.neg(size, x);
      g.trapIf(Cond.O, TrapKind.IntegerOverflow);
      return x;
    case ConstantDivision.SignedPowerOfTwo: {
      const magnitude: u64 = (d < 0 ? <u64>-d : <u64>d) & widthMask(size * 8);
      return emitSignedPowerOfTwo(asm, size, <i32>ctz(magnitude), d < 0, remainder, x, t);
    }
    case ConstantDivision.UnsignedPowerOfTwo:
      return emitUnsignedPowerOfTwo(asm, size, <i32>ctz(size == 4 ? <u64><u32>d : <u64>d), remainder, x);
    case ConstantDivision.UnsignedLarge:
      return emitUnsignedLarge(asm, size, d, remainder, x, t);
    case ConstantDivision.Magic:
      return size == 4 ? emitMagic32(asm, signed, d, remainder, x, t) : emitMagic64(asm, signed, d, remainder, x);
  }
  return x;
}

/**
 * div_s, div_u, rem_s, rem_u with the divisor `d` a nonzero constant,
 * already popped (its value, sign-extended from i32 for i32 operations):
 * the dividend from the value stack into a register, the sequence, the
 * result pushed.
 */
export function divideByConstant(g: Generator, type: i32, signed: bool, remainder: bool, d: i64): void {
  const size = type == ValType.I64 ? 8 : 4;
  const kind = constantDivision(size, signed, remainder, d);
  if (kind == ConstantDivision.Zero) {
    g.drop();
    g.pushConst(type, 0);
    return;
  }
  // x / 1 is x: the entry stays as it is.
  if (kind == ConstantDivision.Same) return;
  if (kind == ConstantDivision.Magic && size == 8) {
    g.takeGpr(Reg.RDX);
    g.takeGpr(Reg.RAX);
  }
  const x = g.popToReg();
  const usesT = kind == ConstantDivision.SignedPowerOfTwo || kind == ConstantDivision.UnsignedLarge || (kind == ConstantDivision.Magic && size == 4);
  const t = usesT ? g.allocGpr() : x;
  const result = emitDivisionByConstant(g, kind, size, signed, remainder, d, x, t);
  if (kind == ConstantDivision.Magic && size == 8) {
    // The quotient's register or the other of rax/rdx, and (for a remainder) the quotient's too.
    // The remainder is in x; the quotient went to rdx unless the add step left it in rax (then rdx holds nothing).
    const quotient = remainder ? quotientRegister64 : result;
    g.release(quotient == Reg.RAX ? Reg.RDX : Reg.RAX, false);
    if (remainder) g.release(quotient, false);
  }
  if (usesT && result != t) g.release(t, false);
  if (result != x) g.release(x, false);
  g.pushReg(type, result);
}
