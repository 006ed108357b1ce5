// Memory operands, packed into one i64 so that building one allocates
// nothing: the generator forms an operand for nearly every instruction it
// emits, and the compiler's allocator never frees.
//
// Layout: bits 0-31 displacement (or label id when rip-relative), 32-36 base,
// 40-44 index (Reg.NONE when absent), 48-49 log2 of the scale, bit 52
// rip-relative, bit 53 fs segment override. Derived from those for the
// encoder's common case (a base register): bits 37-38 REX.B and REX.X
// (bit 3 of the base and of the index), bit 45 set when the operand needs
// a SIB byte (an index, or an rsp or r12 base), bits 54-61 that SIB byte
// with the base's low bits (100 in its index field when there is no
// index). Every field is a function of the others, so equal operands stay
// equal.

import { Reg } from "./registers";

export type Mem = i64;

const BASE_SHIFT: i64 = 32;
const INDEX_SHIFT: i64 = 40;
const SCALE_SHIFT: i64 = 48;
const RIP_FLAG: i64 = <i64>1 << 52;
const FS_FLAG: i64 = <i64>1 << 53;

/**
 * The displacement's 32 bits, zero-extended. Written as a mask, not as
 * `<i64><u32>disp`: when `disp` is read straight from a field, asc -O3 turns
 * that extension into a sign-extending load (docs/compiler.md), and a
 * negative displacement then fills the base, index and flag bits with ones.
 */
// @ts-ignore: decorator
@inline function dispBits(disp: i32): i64 {
  return <i64>disp & 0xffffffff;
}

// @ts-ignore: decorator
@inline function pack(base: Reg, index: Reg, scaleLog2: i32, disp: i32): Mem {
  // Reg.NONE (16) has bit 3 clear (no REX bit) and bit 4 set (the SIB's 100).
  const rex = ((<i32>index & 8) >> 2) | ((<i32>base & 8) >> 3);
  const sib = (scaleLog2 << 6) | (((<i32>index & 7) | ((<i32>index >> 2) & 4)) << 3) | (<i32>base & 7);
  const needsSib = (((<i32>index >> 4) ^ 1) | <i32>((<i32>base & 7) == 4)) << HIGH_SIB_FLAG_SHIFT;
  return dispBits(disp)
    | (<i64>base << BASE_SHIFT)
    | (<i64>index << INDEX_SHIFT)
    | (<i64>scaleLog2 << SCALE_SHIFT)
    | (<i64>((rex << HIGH_REX_SHIFT) | needsSib | (sib << HIGH_SIB_SHIFT)) << BASE_SHIFT);
}

// @ts-ignore: decorator
@inline function scaleLog2(scale: i32): i32 {
  if (scale == 8) return 3;
  if (scale == 4) return 2;
  if (scale == 2) return 1;
  return 0;
}

/** `[base + disp]`. */
// @ts-ignore: decorator
@inline export function mem(base: Reg, disp: i32 = 0): Mem {
  return pack(base, Reg.NONE, 0, disp);
}

/** `[base + index*scale + disp]`, scale 1, 2, 4 or 8; index may not be rsp. */
// @ts-ignore: decorator
@inline export function memIndex(base: Reg, index: Reg, scale: i32, disp: i32 = 0): Mem {
  return pack(base, index, scaleLog2(scale), disp);
}

/** `[index*scale + disp]` without a base. */
export function memScaled(index: Reg, scale: i32, disp: i32 = 0): Mem {
  return pack(Reg.NONE, index, scaleLog2(scale), disp);
}

/** `[disp32]`, an absolute address (a SIB byte with neither base nor index). */
export function memAbsolute(disp: i32): Mem {
  return pack(Reg.NONE, Reg.NONE, 0, disp);
}

/** `[rip + label]`: the displacement is resolved when the label is bound. */
export function memLabel(label: i32): Mem {
  return pack(Reg.NONE, Reg.NONE, 0, label) | RIP_FLAG;
}

/** The same operand addressed through the fs segment (the thread block). */
export function withFs(operand: Mem): Mem {
  return operand | FS_FLAG;
}

/** `fs:[disp]`. */
export function fsAbsolute(disp: i32): Mem {
  return withFs(memAbsolute(disp));
}

// The upper half of an operand as one i32 (what the encoder reads its
// fields from, with 32-bit operations): base in bits 0-4, index 8-12, log2
// of the scale 16-17, the rip-relative flag and the fs flag.
export const HIGH_INDEX_SHIFT: i32 = <i32>(INDEX_SHIFT - BASE_SHIFT);
export const HIGH_SCALE_SHIFT: i32 = <i32>(SCALE_SHIFT - BASE_SHIFT);
export const HIGH_RIP: i32 = <i32>(RIP_FLAG >> BASE_SHIFT);
export const HIGH_FS: i32 = <i32>(FS_FLAG >> BASE_SHIFT);
/** REX.X and REX.B, as the REX byte has them, at this bit of the upper half. */
export const HIGH_REX_SHIFT: i32 = 5;
/** The SIB byte (for an operand with a base) at this bit of the upper half. */
export const HIGH_SIB_SHIFT: i32 = 22;
/** Set in the upper half when an operand with a base needs that SIB byte. */
export const HIGH_SIB_FLAG_SHIFT: i32 = 13;
export const HIGH_SIB_FLAG: i32 = 1 << HIGH_SIB_FLAG_SHIFT;
// @ts-ignore: decorator
@inline export function memHigh(operand: Mem): i32 { return <i32>(operand >> BASE_SHIFT); }
// @ts-ignore: decorator
@inline export function memDisp(operand: Mem): i32 { return <i32>operand; }

/** The same operand moved by `delta` bytes. */
export function memOffset(operand: Mem, delta: i32): Mem {
  return (operand & ~(<i64>0xffffffff)) | dispBits(memDisp(operand) + delta);
}
