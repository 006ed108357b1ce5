// SSE/SSE2/SSE4.1 instructions for scalar f32 (size 4) and f64 (size 8)
// arithmetic: moves between XMM registers, memory and GPRs, the arithmetic
// and packed bitwise operations, comparisons, conversions and rounding.

import { Enc } from "./encoder";
import { IntegerAssembler } from "./integer";
import { Mem } from "./memory";
import { Reg, Xmm } from "./registers";

/** Scalar SSE operations: the second opcode byte after 0F; F3 selects ss, F2 sd. */
export const enum Scalar {
  SQRT = 0x51,
  ADD = 0x58,
  MUL = 0x59,
  SUB = 0x5c,
  MIN = 0x5d,
  DIV = 0x5e,
  MAX = 0x5f,
}

/** Packed bitwise operations: 0F xx for ps, 66 0F xx for pd. */
export const enum Packed {
  AND = 0x54,
  ANDN = 0x55,
  OR = 0x56,
  XOR = 0x57,
}

/** Rounding modes of roundss/roundsd (bit 3 suppresses the precision exception). */
export const enum Rounding {
  NEAREST = 8,
  FLOOR = 9,
  CEIL = 10,
  TRUNC = 11,
}

function scalarPrefix(size: i32): i32 { return size == 8 ? 0xf2 : 0xf3; }

export class FloatAssembler extends IntegerAssembler {
  /** `movaps dst, src`: copies the whole register (no merge dependency). */
  movaps(dst: Xmm, src: Xmm): void { this.emitRR(0, Enc.NONE, 0x0f28, dst, src); }

  /** `movups xmm, [m]`: 16 bytes, any alignment. */
  loadUnaligned(dst: Xmm, m: Mem): void { this.emitRM(0, Enc.NONE, 0x0f10, dst, m, 0); }
  /** `movups [m], xmm`. */
  storeUnaligned(m: Mem, src: Xmm): void { this.emitRM(0, Enc.NONE, 0x0f11, src, m, 0); }

  /** `movss`/`movsd xmm, [m]`: loads and zeroes the rest of the register. */
  loadFloat(size: i32, dst: Xmm, m: Mem): void {
    this.emitRM(scalarPrefix(size), Enc.NONE, 0x0f10, dst, m, 0);
  }

  /** `movss`/`movsd [m], xmm`. */
  storeFloat(size: i32, m: Mem, src: Xmm): void {
    this.emitRM(scalarPrefix(size), Enc.NONE, 0x0f11, src, m, 0);
  }

  /** `movd`/`movq xmm, reg`: the bits of a GPR into an XMM register. */
  movToXmm(size: i32, dst: Xmm, src: Reg): void {
    this.emitRR(0x66, size == 8 ? Enc.W : Enc.NONE, 0x0f6e, dst, src);
  }

  /** `movd`/`movq reg, xmm`: the low bits of an XMM register into a GPR. */
  movFromXmm(size: i32, dst: Reg, src: Xmm): void {
    this.emitRR(0x66, size == 8 ? Enc.W : Enc.NONE, 0x0f7e, src, dst);
  }

  /** `addss`, `sqrtsd`, ...: `dst = dst op src` on the low lane. */
  scalar(op: Scalar, size: i32, dst: Xmm, src: Xmm): void {
    this.emitRR(scalarPrefix(size), Enc.NONE, 0x0f00 | op, dst, src);
  }

  scalarLoad(op: Scalar, size: i32, dst: Xmm, m: Mem): void {
    this.emitRM(scalarPrefix(size), Enc.NONE, 0x0f00 | op, dst, m, 0);
  }

  /** `andps`/`andpd`, `orps`, `xorps`, `andnps` on the whole register. */
  packed(op: Packed, size: i32, dst: Xmm, src: Xmm): void {
    this.emitRR(size == 8 ? 0x66 : 0, Enc.NONE, 0x0f00 | op, dst, src);
  }

  /** The same with a 16-byte aligned memory operand (a constant in the pool). */
  packedLoad(op: Packed, size: i32, dst: Xmm, m: Mem): void {
    this.emitRM(size == 8 ? 0x66 : 0, Enc.NONE, 0x0f00 | op, dst, m, 0);
  }

  /** `ucomiss`/`ucomisd a, b`: ZF PF CF as unsigned compare; PF set when unordered. */
  ucomis(size: i32, a: Xmm, b: Xmm): void {
    this.emitRR(size == 8 ? 0x66 : 0, Enc.NONE, 0x0f2e, a, b);
  }

  ucomisLoad(size: i32, a: Xmm, m: Mem): void {
    this.emitRM(size == 8 ? 0x66 : 0, Enc.NONE, 0x0f2e, a, m, 0);
  }

  /** `cvtsi2ss`/`cvtsi2sd dst, src`: signed integer of intSize (4 or 8) to float of floatSize. */
  convertFromInt(floatSize: i32, intSize: i32, dst: Xmm, src: Reg): void {
    this.emitRR(scalarPrefix(floatSize), intSize == 8 ? Enc.W : Enc.NONE, 0x0f2a, dst, src);
  }

  /** `cvttss2si`/`cvttsd2si dst, src`: truncating conversion; out of range gives the "integer indefinite" 1 << (bits-1). */
  truncateToInt(intSize: i32, floatSize: i32, dst: Reg, src: Xmm): void {
    this.emitRR(scalarPrefix(floatSize), intSize == 8 ? Enc.W : Enc.NONE, 0x0f2c, dst, src);
  }

  /** `cvtss2sd` (srcSize 4) or `cvtsd2ss` (srcSize 8). */
  convertFloat(srcSize: i32, dst: Xmm, src: Xmm): void {
    this.emitRR(scalarPrefix(srcSize), Enc.NONE, 0x0f5a, dst, src);
  }

  /** `roundss`/`roundsd dst, src, mode` (SSE4.1). */
  round(size: i32, dst: Xmm, src: Xmm, mode: Rounding): void {
    this.emitRR(0x66, Enc.NONE, size == 8 ? 0x0f3a0b : 0x0f3a0a, dst, src);
    this.byte(mode);
  }
}
