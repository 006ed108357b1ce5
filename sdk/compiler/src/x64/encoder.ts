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
// Labels are small integers. A rel32 reference to a bound label is written
// at once; one to an unbound label joins the label's chain, threaded through
// the 4-byte fields themselves (each holds the previous site and the size of
// the immediate after it), and bind() patches the chain. The rarer rel8 and
// jump-table references are recorded and patched by finish(), which fails
// (rather than aborting) when a label was never bound or a short jump does
// not reach.

import { CodeBuffer } from "./buffer";
import { IntList } from "../lists";
import { Reg } from "./registers";
import { HIGH_FS, HIGH_INDEX_SHIFT, HIGH_REX_SHIFT, HIGH_RIP, HIGH_SCALE_SHIFT, HIGH_SIB_FLAG, HIGH_SIB_SHIFT, Mem, memDisp, memHigh } from "./memory";

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

/** Entries per fixup in Encoder.fixups. */
const FIXUP_SIZE = 4;

const enum Fixup {
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

/** Writes an opcode of one to three bytes (0F and 0F 38/3A escapes included) at `p`; returns the address after it. */
// @ts-ignore: decorator
@inline function writeOpcode(p: usize, opcode: i32): usize {
  if (opcode > 0xffff) { store<u8>(p, <u8>(opcode >> 16)); p++; }
  if (opcode > 0xff) { store<u8>(p, <u8>(opcode >> 8)); p++; }
  store<u8>(p, <u8>opcode);
  return p + 1;
}

/** Whether a byte-register operand (spl, bpl, sil, dil: numbers 4-7) needs a REX prefix to be one. */
// @ts-ignore: decorator
@inline function needsRexForByte(flags: i32, reg: i32, rm: i32): bool {
  if ((flags & Enc.BYTE_REG) != 0 && <u32>(reg - 4) < 4) return true;
  return (flags & Enc.BYTE_RM) != 0 && <u32>(rm - 4) < 4;
}

/**
 * The SIB byte's scale and index fields from the upper half of an operand
 * (memHigh): the index's low bits in place, and 100 (no index) when its
 * bit 4 says Reg.NONE.
 */
// @ts-ignore: decorator
@inline function sibScaleIndex(high: i32): i32 {
  return ((high >> (HIGH_SCALE_SHIFT - 6)) & 0xc0) | ((high >> (HIGH_INDEX_SHIFT - 3)) & 0x38) | ((high >> (HIGH_INDEX_SHIFT + 4 - 5)) & 0x20);
}

/**
 * The REX byte of an operand with a base register (W from `flags`, R from
 * `reg`, X and B from the operand: pack), or a bare REX when a byte
 * register (Enc.BYTE_REG) is spl, bpl, sil or dil; written at `p`, which
 * it returns advanced past it (the short paths of emitRM and emitMem).
 */
// @ts-ignore: decorator
@inline function writeBasedRex(p: usize, flags: i32, reg: i32, high: i32): usize {
  const rex = ((flags & Enc.W) << 3) | ((reg & 8) >> 1) | ((high >> HIGH_REX_SHIFT) & 3);
  if (rex) { store<u8>(p, <u8>(0x40 | rex)); p++; }
  else if (flags & Enc.BYTE_REG) {
    if (<u32>(reg - 4) < 4) { store<u8>(p, 0x40); p++; }
  }
  return p;
}

/**
 * ModRM, SIB and displacement of an operand with a base register and no
 * prefix (the short paths of emitRM and emitMem), written at `p`; returns
 * the address after them. mod 00 (no displacement) unless the base is
 * rbp/r13, mod 01 for a disp8, else mod 10; the SIB byte comes from the
 * operand (pack).
 */
// @ts-ignore: decorator
@inline function writeBasedOperand(p: usize, reg: i32, high: i32, disp: i32): usize {
  const low = high & 7;
  let mod = 0x80;
  if (disp == 0) { if (low != 5) mod = 0; else mod = 0x40; }
  else if (<u32>(disp + 128) < 256) mod = 0x40;
  if (high & HIGH_SIB_FLAG) {
    // rm 100: a SIB byte follows (always for an rsp or r12 base).
    store<u16>(p, <u16>((mod | ((reg & 7) << 3) | 4) | (((high >> HIGH_SIB_SHIFT) & 0xff) << 8)));
    p += 2;
  } else {
    store<u8>(p, <u8>(mod | ((reg & 7) << 3) | low));
    p++;
  }
  if (mod == 0x40) { store<u8>(p, <u8>disp); p++; }
  else if (mod == 0x80) { store<i32>(p, disp); p += 4; }
  return p;
}

export class Encoder {
  buffer: CodeBuffer;
  /**
   * Offset of each label once bound; while unbound, -1 without references,
   * or -(site + 2) for the last rel32 site of its chain.
   */
  private labels: IntList = new IntList(256);
  /** How many labels have rel32 sites waiting (a chain) and are not bound yet: finish() looks for one only when some are. */
  private pendingChains: i32 = 0;
  /** The rel8 and jump-table references, FIXUP_SIZE entries each: site, label, kind, from. */
  private fixups: IntList = new IntList(256);
  /** Why finish() failed, when it did. */
  error: string = "";

  constructor() {
    this.buffer = new CodeBuffer();
  }

  /** Where the next byte goes. */
  // @ts-ignore: decorator
  @inline get offset(): i32 { return this.buffer.length; }

  // @ts-ignore: decorator
  @inline newLabel(): Label {
    const label = this.labels.length;
    this.labels.push(-1);
    return label;
  }

  bind(label: Label): void {
    this.bindAt(label, this.buffer.length);
  }

  /** Binds `label` to an arbitrary offset already emitted (e.g. a function start). */
  bindAt(label: Label, offset: i32): void {
    const state = this.labels.get(label);
    this.labels.set(label, offset);
    if (state >= -1) return;
    this.pendingChains--;
    // Patch the chain of rel32 sites waiting for this label.
    const buffer = this.buffer;
    let at = -state - 2;
    while (at >= 0) {
      const link = buffer.read32(at);
      buffer.patch32(at, offset - (at + 4 + (link & 7)));
      at = (link >>> 3) - 1;
    }
  }

  isBound(label: Label): bool { return this.labels.get(label) >= 0; }

  /** A rel32 field here for `label`, counted from `trailing` bytes after its end. */
  // @ts-ignore: decorator
  @inline private relative32(label: Label, trailing: i32): void {
    const buffer = this.buffer;
    const at = buffer.length;
    const state = this.labels.get(label);
    if (state >= 0) {
      buffer.u32(state - (at + 4 + trailing));
      return;
    }
    // Join the chain: the field holds the previous site (+1, 0 ending the chain) and `trailing`.
    if (state == -1) this.pendingChains++;
    const previous = state == -1 ? 0 : -state - 1;
    buffer.u32((previous << 3) | trailing);
    this.labels.set(label, -(at + 2));
  }
  labelOffset(label: Label): i32 { return this.labels.get(label); }

  /**
   * A jump or call to `label`, written with one reserve: `shortOpcode` and
   * a rel8 when it is not -1 and the label is bound within reach, else
   * `longOpcode` (`longLength` bytes, the first in the low byte) and a
   * rel32 as relative32 writes it.
   */
  // @ts-ignore: decorator
  @inline protected branch(shortOpcode: i32, longOpcode: i32, longLength: i32, label: Label): void {
    const buffer = this.buffer;
    buffer.reserve(8);
    let p = buffer.cursor();
    const at = buffer.length;
    const state = this.labels.get(label);
    if (shortOpcode >= 0 && state >= 0) {
      const distance = state - (at + 2);
      if (distance >= -128 && distance <= 127) {
        store<u16>(p, <u16>(shortOpcode | (distance << 8)));
        buffer.commit(p + 2);
        return;
      }
    }
    if (longLength == 2) store<u16>(p, <u16>longOpcode);
    else store<u8>(p, <u8>longOpcode);
    p += <usize>longLength;
    const site = at + longLength;
    if (state >= 0) {
      store<i32>(p, state - (site + 4));
    } else {
      // Join the chain, as relative32 does.
      if (state == -1) this.pendingChains++;
      store<i32>(p, (state == -1 ? 0 : -state - 1) << 3);
      this.labels.set(label, -(site + 2));
    }
    buffer.commit(p + 4);
  }

  // ---- raw bytes -------------------------------------------------------

  // @ts-ignore: decorator
  @inline byte(value: i32): void { this.buffer.byte(value); }
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
  // Each instruction is written through a cursor into reserved space: one
  // bounds check per instruction rather than per byte.

  /** An instruction whose ModRM names two registers (mod 11). */
  protected emitRR(mandatory: i32, flags: i32, opcode: i32, reg: i32, rm: i32): void {
    const buffer = this.buffer;
    buffer.reserve(16);
    let p = buffer.cursor();
    if (flags & (Enc.OPSIZE | Enc.BYTE_REG | Enc.BYTE_RM)) {
      if (flags & Enc.OPSIZE) { store<u8>(p, 0x66); p++; }
      if (mandatory) { store<u8>(p, <u8>mandatory); p++; }
      const rex = 0x40 | ((flags & Enc.W) << 3) | ((reg & 8) >> 1) | ((rm & 8) >> 3);
      if (rex != 0x40 || needsRexForByte(flags, reg, rm)) { store<u8>(p, <u8>rex); p++; }
    } else {
      if (mandatory) { store<u8>(p, <u8>mandatory); p++; }
      const rex = ((flags & Enc.W) << 3) | ((reg & 8) >> 1) | ((rm & 8) >> 3);
      if (rex) { store<u8>(p, <u8>(0x40 | rex)); p++; }
    }
    p = writeOpcode(p, opcode);
    store<u8>(p, <u8>(0xc0 | ((reg & 7) << 3) | (rm & 7)));
    buffer.commit(p + 1);
  }

  /**
   * emitRR for a one-byte opcode with no mandatory prefix: `code` is the
   * opcode with the Enc flags above it (bits 8 up). Without a 16-bit size
   * or a byte register, the REX byte, opcode and ModRM are written here
   * with fewer arguments than emitRR takes; otherwise emitRR writes them.
   */
  protected emitRegs(code: i32, reg: i32, rm: i32): void {
    if (code & ((Enc.OPSIZE | Enc.BYTE_REG | Enc.BYTE_RM) << 8)) {
      this.emitRR(0, code >> 8, code & 0xff, reg, rm);
      return;
    }
    const buffer = this.buffer;
    buffer.reserve(16);
    let p = buffer.cursor();
    const rex = ((code >> 5) & 8) | ((reg & 8) >> 1) | ((rm & 8) >> 3);
    if (rex) { store<u8>(p, <u8>(0x40 | rex)); p++; }
    store<u16>(p, <u16>((code & 0xff) | ((0xc0 | ((reg & 7) << 3) | (rm & 7)) << 8)));
    buffer.commit(p + 2);
  }

  /**
   * An instruction with a memory operand. `trailing` is the number of
   * immediate bytes the caller writes after it (for rip-relative operands).
   * ModRM, SIB and displacement follow the rules in the header comment.
   * Reg.NONE (16) has bit 3 clear, so an absent base or index adds nothing
   * to REX, and bit 4 of the index stands for "no index" (100) in the SIB.
   *
   * The common case (a base register, no prefix, room in the buffer) takes
   * the short path below, which makes no call: its values stay in
   * caller-saved registers with nothing to save. The rest goes through
   * emitRMGeneral, its one call.
   */
  protected emitRM(mandatory: i32, flags: i32, opcode: i32, reg: i32, operand: Mem, trailing: i32): void {
    const buffer = this.buffer;
    const high = memHigh(operand);
    if (((high & (HIGH_FS | Reg.NONE)) | (flags & Enc.OPSIZE) | mandatory) != 0 || !buffer.hasRoom(16)) {
      this.emitRMGeneral(mandatory, flags, opcode, reg, operand, trailing);
      return;
    }
    const p = writeOpcode(writeBasedRex(buffer.cursor(), flags, reg, high), opcode);
    buffer.commit(writeBasedOperand(p, reg, high, memDisp(operand)));
  }

  /**
   * emitRM for a one-byte opcode with no mandatory prefix (moves, lea, the
   * ALU's memory forms): `code` is the opcode, the Enc flags in bits 8-15
   * and, in bits 16 up, the size of the immediate the caller writes after
   * the operand (emitRM's `trailing`). Fewer arguments than emitRM, and
   * the same short path.
   */
  protected emitMem(code: i32, reg: i32, operand: Mem): void {
    const buffer = this.buffer;
    const high = memHigh(operand);
    if (((high & (HIGH_FS | Reg.NONE)) | (code & (Enc.OPSIZE << 8))) != 0 || !buffer.hasRoom(16)) {
      this.emitRMGeneral(0, (code >> 8) & 0xff, code & 0xff, reg, operand, code >> 16);
      return;
    }
    const p = writeBasedRex(buffer.cursor(), code >> 8, reg, high); // the flags: only W and BYTE_REG are read
    store<u8>(p, <u8>code);
    buffer.commit(writeBasedOperand(p + 1, reg, high, memDisp(operand)));
  }

  /** emitRM for every operand and prefix, growing the buffer when needed. */
  private emitRMGeneral(mandatory: i32, flags: i32, opcode: i32, reg: i32, operand: Mem, trailing: i32): void {
    const buffer = this.buffer;
    buffer.reserve(16);
    let p = buffer.cursor();
    // The operand's fields come from its upper half as an i32: one
    // extraction instead of one 64-bit mask per field.
    const high = memHigh(operand);
    // Prefixes are rare: one test skips all three.
    if ((high & HIGH_FS) | (flags & Enc.OPSIZE) | mandatory) {
      if (high & HIGH_FS) { store<u8>(p, 0x64); p++; }
      if (flags & Enc.OPSIZE) { store<u8>(p, 0x66); p++; }
      if (mandatory) { store<u8>(p, <u8>mandatory); p++; }
    }
    // REX.X and REX.B are bit 3 of the index (bit 11 of `high`) and of the
    // base (bit 3); Reg.NONE (16) has bit 3 clear. The fields are read in
    // place, with no extraction: this runs for every memory operand.
    const rex = ((flags & Enc.W) << 3) | ((reg & 8) >> 1) | ((high >> (HIGH_INDEX_SHIFT + 2)) & 2) | ((high >> 3) & 1);
    if (rex) { store<u8>(p, <u8>(0x40 | rex)); p++; }
    else if (flags & Enc.BYTE_REG) {
      if (<u32>(reg - 4) < 4) { store<u8>(p, 0x40); p++; }
    }
    p = writeOpcode(p, opcode);
    const regField = (reg & 7) << 3;
    const disp = memDisp(operand);
    if (high & Reg.NONE) {
      // No base.
      if (high & HIGH_RIP) {
        store<u8>(p, <u8>(regField | 5));
        buffer.commit(p + 1);
        this.relative32(disp, trailing);
        return;
      }
      // mod 00, rm 100, SIB base 101: [index*scale + disp32] or [disp32].
      store<u8>(p, <u8>(regField | 4));
      store<u8>(p + 1, <u8>(sibScaleIndex(high) | 5));
      store<i32>(p + 2, disp);
      buffer.commit(p + 6);
      return;
    }
    const low = high & 7;
    // mod 00 (no displacement) unless the base is rbp/r13, mod 01 for disp8, else mod 10.
    let mod = 0x80;
    if (disp == 0) { if (low != 5) mod = 0; else mod = 0x40; }
    else if (<u32>(disp + 128) < 256) mod = 0x40;
    if ((high & (Reg.NONE << HIGH_INDEX_SHIFT)) != 0 && low != 4) {
      store<u8>(p, <u8>(mod | regField | low));
      p++;
    } else {
      // rm 100: a SIB byte follows (always for an rsp or r12 base).
      store<u16>(p, <u16>((mod | regField | 4) | ((sibScaleIndex(high) | low) << 8)));
      p += 2;
    }
    if (mod == 0x40) { store<u8>(p, <u8>disp); p++; }
    else if (mod == 0x80) { store<i32>(p, disp); p += 4; }
    buffer.commit(p);
  }

  /** An opcode with the register in its low three bits (push, pop, mov r, imm, bswap). */
  protected emitPlusReg(flags: i32, opcode: i32, reg: i32): void {
    const buffer = this.buffer;
    buffer.reserve(8);
    let p = buffer.cursor();
    if (flags & Enc.OPSIZE) { store<u8>(p, 0x66); p++; }
    const rex = 0x40 | ((flags & Enc.W) << 3) | ((reg & 8) >> 3);
    const forceRex = (flags & Enc.BYTE_RM) != 0 && reg >= 4 && reg < 8;
    if (rex != 0x40 || forceRex) { store<u8>(p, <u8>rex); p++; }
    p = writeOpcode(p, opcode + (reg & 7));
    buffer.commit(p);
  }

  /** An immediate of 1, 2 or 4 bytes. */
  // @ts-ignore: decorator
  @inline protected immediate(size: i32, value: i32): void {
    if (size == 1) this.buffer.byte(value);
    else if (size == 2) this.buffer.u16(value);
    else this.buffer.u32(value);
  }

  // ---- labels and fixups -----------------------------------------------

  protected rel8(label: Label): void {
    const at = this.buffer.length;
    this.buffer.byte(0);
    this.addFixup(at, label, Fixup.REL8, at + 1);
  }

  private addFixup(at: i32, label: Label, kind: i32, from: i32): void {
    const fixups = this.fixups;
    fixups.push(at);
    fixups.push(label);
    fixups.push(kind);
    fixups.push(from);
  }

  /** Patches every label reference; false (with `error` set) when one cannot be resolved. */
  finish(): bool {
    const buffer = this.buffer;
    const labels = this.labels;
    // A label used but never bound leaves a chain pending: the scan for
    // the first one, which the message names, runs only then.
    for (let label = 0, n = this.pendingChains != 0 ? labels.length : 0; label < n; label++) {
      if (labels.get(label) < -1) {
        this.error = "assembler: label " + label.toString() + " used but never bound";
        return false;
      }
    }
    const fixups = this.fixups;
    for (let i = 0, n = fixups.length; i < n; i += FIXUP_SIZE) {
      const label = fixups.get(i + 1);
      const target = labels.get(label);
      if (target < 0) {
        this.error = "assembler: label " + label.toString() + " used but never bound";
        return false;
      }
      const at = fixups.get(i);
      const kind = fixups.get(i + 2);
      if (kind == Fixup.REL8) {
        const distance = target - fixups.get(i + 3);
        if (distance < -128 || distance > 127) {
          this.error = "assembler: short jump at " + at.toString() + " does not reach its label";
          return false;
        }
        buffer.patch8(at, distance);
      } else {
        const base = labels.get(fixups.get(i + 3));
        if (base < 0) {
          this.error = "assembler: jump table base label never bound";
          return false;
        }
        buffer.patch32(at, target - base);
      }
    }
    fixups.length = 0;
    return true;
  }

  /** The finished code. Call finish() first. */
  toBytes(): Uint8Array { return this.buffer.toBytes(); }
}
