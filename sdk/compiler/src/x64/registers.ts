// Register and condition-code numbers of x86-64, as the instruction encoding
// uses them: the low three bits go into ModRM/SIB/opcode, the fourth into REX.

/** General-purpose registers. */
export const enum Reg {
  RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
  R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
  /** No register: an absent base or index in a memory operand. */
  NONE = 16,
}

/** SSE registers. */
export const enum Xmm {
  XMM0 = 0, XMM1 = 1, XMM2 = 2, XMM3 = 3, XMM4 = 4, XMM5 = 5, XMM6 = 6, XMM7 = 7,
  XMM8 = 8, XMM9 = 9, XMM10 = 10, XMM11 = 11, XMM12 = 12, XMM13 = 13, XMM14 = 14, XMM15 = 15,
}

/** Condition codes of jcc, setcc and cmovcc (the low nibble of their opcodes). */
export const enum Cond {
  O = 0, NO = 1,
  /** Unsigned below (carry set). */
  B = 2,
  AE = 3,
  E = 4, NE = 5,
  BE = 6, A = 7,
  S = 8, NS = 9,
  /** Parity even: set by ucomiss/ucomisd when an operand is NaN. */
  P = 10, NP = 11,
  L = 12, GE = 13, LE = 14, G = 15,
}

/** The condition that holds exactly when `cond` does not: the encodings pair up on bit 0. */
// @ts-ignore: decorator
@inline export function invertCond(cond: Cond): Cond {
  return <Cond>(cond ^ 1);
}

/** The condition to test after swapping the operands of a comparison. */
export function swapCond(cond: Cond): Cond {
  switch (cond) {
    case Cond.B: return Cond.A;
    case Cond.AE: return Cond.BE;
    case Cond.BE: return Cond.AE;
    case Cond.A: return Cond.B;
    case Cond.L: return Cond.G;
    case Cond.GE: return Cond.LE;
    case Cond.LE: return Cond.GE;
    case Cond.G: return Cond.L;
  }
  return cond;
}

/** Operand sizes in bytes. */
export const enum Size {
  B8 = 1,
  B16 = 2,
  B32 = 4,
  B64 = 8,
}
