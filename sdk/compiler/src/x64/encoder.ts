// The encoding core of the assembler: prefixes, REX, ModRM/SIB/displacement,
// labels and their fixups. The instruction methods (integer.ts, float.ts)
// describe each instruction as an opcode plus operands and let this file
// worry about the irregular corners of the encoding:
//  - rsp and r12 as a base need a SIB byte (their low bits, 100, mean "SIB");
//  - rbp and r13 as a base with mod 00 would mean rip/absolute, so they get a
//    zero disp8;
//  - spl, bpl, sil and dil as byte registers need a REX prefix (without one,
//    4-7 mean ah, ch, dh, bh, which this assembler never uses);
//  - rip-relative displacements count from the end of the instruction, so a
//    trailing immediate's size must be known when the operand is written.
//
// Labels are small integers. A reference to a label that is not bound yet
// records a fixup; all fixups are patched by finish(), which fails (rather
// than aborting) when a label was never bound or a short jump does not reach.

import { CodeBuffer } from "./buffer";
import { Reg } from "./registers";
import { Mem, memBase, memDisp, memIndexReg, memIsFs, memIsRip, memScaleLog2 } from "./memory";

export type Label = i32;

/** Encoding flags of one instruction. */
export const enum Enc {
  NONE = 0,
  /** REX.W: 64-bit operand size. */
  W = 1,
  /** 0x66 operand-size prefix: 16-bit operand size. */
  OPSIZE = 2,
  /** The ModRM.reg operand is a byte register (spl..dil need REX). */
  BYTE_REG = 4,
  /** The ModRM.rm register operand is a byte register. */
  BYTE_RM = 8,
}

const enum Fixup {
  /** 32-bit displacement counted from `from`. */
  REL32 = 0,
  /** 8-bit displacement counted from `from`. */
  REL8 = 1,
  /** 32-bit label offset minus the offset of the label in `from` (jump tables). */
  TABLE32 = 2,
}

/** The size/flag word of a GPR operation of `size` bytes. */
export function sizeFlags(size: i32): i32 {
  if (size == 8) return Enc.W;
  if (size == 2) return Enc.OPSIZE;
  if (size == 1) return Enc.BYTE_REG | Enc.BYTE_RM;
  return Enc.NONE;
}

export class Encoder {
  buffer: CodeBuffer = new CodeBuffer();
  /** Offset of each label, -1 while unbound. */
  private labels: i32[] = [];
  private fixupAt: i32[] = [];
  private fixupLabel: i32[] = [];
  private fixupKind: i32[] = [];
  private fixupFrom: i32[] = [];
  /** Why finish() failed, when it did. */
  error: string = "";

  /** Where the next byte goes. */
  // @ts-ignore: decorator
  @inline get offset(): i32 { return this.buffer.length; }

  newLabel(): Label {
    const label = this.labels.length;
    this.labels.push(-1);
    return label;
  }

  bind(label: Label): void {
    this.labels[label] = this.buffer.length;
  }

  /** Binds `label` to an arbitrary offset already emitted (e.g. a function start). */
  bindAt(label: Label, offset: i32): void {
    this.labels[label] = offset;
  }

  isBound(label: Label): bool { return this.labels[label] >= 0; }
  labelOffset(label: Label): i32 { return this.labels[label]; }

  // ---- raw bytes -------------------------------------------------------

  byte(value: i32): void { this.buffer.byte(value); }
  u16(value: i32): void { this.buffer.u16(value); }
  u32(value: i32): void { this.buffer.u32(value); }
  u64(value: i64): void { this.buffer.u64(value); }

  /** Pads with `fill` up to a multiple of `alignment` (a power of two). */
  align(alignment: i32, fill: i32 = 0xcc): void {
    const pad = (alignment - (this.buffer.length & (alignment - 1))) & (alignment - 1);
    if (pad) this.buffer.fill(fill, pad);
  }

  /** A 32-bit entry of a jump table: `target - base`, both labels. */
  tableEntry(target: Label, base: Label): void {
    this.addFixup(this.buffer.length, target, Fixup.TABLE32, base);
    this.buffer.u32(0);
  }

  // ---- encoding helpers ------------------------------------------------

  /** Legacy prefixes, then REX when needed. `reg`, `index`, `base` are full register numbers (or < 8 when absent). */
  protected prefixes(mandatory: i32, flags: i32, reg: i32, index: i32, base: i32, forceRex: bool): void {
    if (flags & Enc.OPSIZE) this.buffer.byte(0x66);
    if (mandatory) this.buffer.byte(mandatory);
    let rex = 0x40;
    if (flags & Enc.W) rex |= 8;
    if (reg & 8) rex |= 4;
    if (index & 8) rex |= 2;
    if (base & 8) rex |= 1;
    if (rex != 0x40 || forceRex) this.buffer.byte(rex);
  }

  protected opcode(opcode: i32): void {
    if (opcode > 0xffff) this.buffer.byte(opcode >> 16);
    if (opcode > 0xff) this.buffer.byte((opcode >> 8) & 0xff);
    this.buffer.byte(opcode & 0xff);
  }

  /** An instruction whose ModRM names two registers (mod 11). */
  protected emitRR(mandatory: i32, flags: i32, opcode: i32, reg: i32, rm: i32): void {
    const forceRex = ((flags & Enc.BYTE_REG) != 0 && reg >= 4 && reg < 8)
      || ((flags & Enc.BYTE_RM) != 0 && rm >= 4 && rm < 8);
    this.prefixes(mandatory, flags, reg, 0, rm, forceRex);
    this.opcode(opcode);
    this.buffer.byte(0xc0 | ((reg & 7) << 3) | (rm & 7));
  }

  /**
   * An instruction with a memory operand. `trailing` is the number of
   * immediate bytes the caller writes after it (for rip-relative operands).
   */
  protected emitRM(mandatory: i32, flags: i32, opcode: i32, reg: i32, operand: Mem, trailing: i32): void {
    if (memIsFs(operand)) this.buffer.byte(0x64);
    const base = memBase(operand);
    const index = memIndexReg(operand);
    const forceRex = (flags & Enc.BYTE_REG) != 0 && reg >= 4 && reg < 8;
    this.prefixes(mandatory, flags, reg, index == Reg.NONE ? 0 : index, base == Reg.NONE ? 0 : base, forceRex);
    this.opcode(opcode);
    this.modrmMemory(reg & 7, operand, trailing);
  }

  /** ModRM, SIB and displacement for a memory operand. */
  protected modrmMemory(regField: i32, operand: Mem, trailing: i32): void {
    const buffer = this.buffer;
    const disp = memDisp(operand);
    if (memIsRip(operand)) {
      buffer.byte((regField << 3) | 5);
      const at = buffer.length;
      buffer.u32(0);
      this.addFixup(at, disp, Fixup.REL32, at + 4 + trailing);
      return;
    }
    const base = memBase(operand);
    const index = memIndexReg(operand);
    const scale = memScaleLog2(operand);
    if (base == Reg.NONE) {
      // mod 00, rm 100, SIB base 101: [index*scale + disp32] or [disp32].
      buffer.byte((regField << 3) | 4);
      buffer.byte((scale << 6) | ((index == Reg.NONE ? 4 : index & 7) << 3) | 5);
      buffer.u32(disp);
      return;
    }
    let mod = 2;
    if (disp == 0 && (base & 7) != 5) mod = 0;
    else if (disp >= -128 && disp <= 127) mod = 1;
    if (index == Reg.NONE && (base & 7) != 4) {
      buffer.byte((mod << 6) | (regField << 3) | (base & 7));
    } else {
      buffer.byte((mod << 6) | (regField << 3) | 4);
      buffer.byte((scale << 6) | ((index == Reg.NONE ? 4 : index & 7) << 3) | (base & 7));
    }
    if (mod == 1) buffer.byte(disp);
    else if (mod == 2) buffer.u32(disp);
  }

  /** An opcode with the register in its low three bits (push, pop, mov r, imm, bswap). */
  protected emitPlusReg(flags: i32, opcode: i32, reg: i32): void {
    const forceRex = (flags & Enc.BYTE_RM) != 0 && reg >= 4 && reg < 8;
    this.prefixes(0, flags, 0, 0, reg, forceRex);
    this.opcode(opcode + (reg & 7));
  }

  /** An immediate of 1, 2 or 4 bytes. */
  protected immediate(size: i32, value: i32): void {
    if (size == 1) this.buffer.byte(value);
    else if (size == 2) this.buffer.u16(value);
    else this.buffer.u32(value);
  }

  // ---- labels and fixups -----------------------------------------------

  /** A rel32 field at the current position, counted from its own end. */
  protected rel32(label: Label): void {
    const at = this.buffer.length;
    this.buffer.u32(0);
    this.addFixup(at, label, Fixup.REL32, at + 4);
  }

  protected rel8(label: Label): void {
    const at = this.buffer.length;
    this.buffer.byte(0);
    this.addFixup(at, label, Fixup.REL8, at + 1);
  }

  /** The displacement of a short jump to a bound label whose instruction is `length` bytes, or 0x7fffffff when it does not reach. */
  protected shortDistance(label: Label, length: i32): i32 {
    const target = this.labels[label];
    if (target < 0) return 0x7fffffff;
    const distance = target - (this.buffer.length + length);
    return distance >= -128 && distance <= 127 ? distance : 0x7fffffff;
  }

  private addFixup(at: i32, label: Label, kind: i32, from: i32): void {
    this.fixupAt.push(at);
    this.fixupLabel.push(label);
    this.fixupKind.push(kind);
    this.fixupFrom.push(from);
  }

  /** Patches every label reference; false (with `error` set) when one cannot be resolved. */
  finish(): bool {
    const buffer = this.buffer;
    for (let i = 0, n = this.fixupAt.length; i < n; i++) {
      const target = this.labels[this.fixupLabel[i]];
      if (target < 0) {
        this.error = "assembler: label " + this.fixupLabel[i].toString() + " used but never bound";
        return false;
      }
      const at = this.fixupAt[i];
      const kind = this.fixupKind[i];
      if (kind == Fixup.REL32) {
        buffer.patch32(at, target - this.fixupFrom[i]);
      } else if (kind == Fixup.REL8) {
        const distance = target - this.fixupFrom[i];
        if (distance < -128 || distance > 127) {
          this.error = "assembler: short jump at " + at.toString() + " does not reach its label";
          return false;
        }
        buffer.patch8(at, distance);
      } else {
        const base = this.labels[this.fixupFrom[i]];
        if (base < 0) {
          this.error = "assembler: jump table base label never bound";
          return false;
        }
        buffer.patch32(at, target - base);
      }
    }
    this.fixupAt.length = 0;
    this.fixupLabel.length = 0;
    this.fixupKind.length = 0;
    this.fixupFrom.length = 0;
    return true;
  }

  /** The finished code. Call finish() first. */
  toBytes(): Uint8Array { return this.buffer.toBytes(); }
}
