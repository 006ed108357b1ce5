// The boot stub as a program being assembled: one code buffer (machine code,
// then read-only constants: strings and GUIDs) that becomes the .text
// section, and zero-initialised variables that become the .data section.
// Everything is reached rip-relatively, so the image needs no relocations:
// .text sits at RVA 0x1000 and .data at the next 4 KiB boundary after it,
// and variables are labels bound at those distances before fixups resolve.

import { Label, Reg, mem, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { SystemAssembler } from "../../../../sdk/compiler/src/x64/system";
import { putGuid } from "../../../../sdk/image/guid";
import { FIRST_SECTION_RVA, PeSection, SECTION_CODE, SECTION_DATA, writePe } from "../../../../sdk/image/pe";

class Constant {
  constructor(readonly label: Label, readonly bytes: Uint8Array, readonly alignment: i32) {}
}

class Blob {
  constructor(readonly label: Label, readonly entry: Label, readonly entryOffset: i32, readonly bytes: Uint8Array) {}
}

class Variable {
  offset: i32 = 0;
  constructor(readonly label: Label, readonly size: i32, readonly alignment: i32) {}
}

export class StubProgram {
  readonly asm: SystemAssembler = new SystemAssembler();
  private readonly constants: Constant[] = [];
  private readonly variables: Variable[] = [];
  private readonly stringLabels: Map<string, Label> = new Map();
  private readonly blobs: Blob[] = [];
  /** Bound at the end of the image (after the last variable): its size. */
  readonly imageEnd: Label;
  error: string = "";

  constructor() {
    this.imageEnd = this.asm.newLabel();
  }

  label(): Label { return this.asm.newLabel(); }

  /** A zero-terminated ASCII string among the constants. */
  string(text: string): Label {
    if (this.stringLabels.has(text)) return this.stringLabels.get(text);
    const bytes = new Uint8Array(text.length + 1);
    for (let i = 0; i < text.length; i++) bytes[i] = <u8>text.charCodeAt(i);
    const label = this.asm.newLabel();
    this.constants.push(new Constant(label, bytes, 1));
    this.stringLabels.set(text, label);
    return label;
  }

  /** A GUID in its in-memory byte order, 8-byte aligned (compared as two qwords). */
  guid(text: string): Label {
    const bytes = new Uint8Array(16);
    putGuid(bytes, 0, text);
    const label = this.asm.newLabel();
    this.constants.push(new Constant(label, bytes, 8));
    return label;
  }

  /**
   * Machine code assembled elsewhere (position-independent), placed page-aligned
   * in .text after the constants; returns the label of `bytes[entryOffset]`.
   */
  code(bytes: Uint8Array, entryOffset: i32): Label {
    const blob = new Blob(this.asm.newLabel(), this.asm.newLabel(), entryOffset, bytes);
    this.blobs.push(blob);
    return blob.entry;
  }

  /** A zero-initialised variable of `size` bytes in .data. */
  variable(size: i32, alignment: i32 = 8): Label {
    const label = this.asm.newLabel();
    this.variables.push(new Variable(label, size, alignment));
    return label;
  }

  /** `[rip + label]` for a variable or constant (fields beyond its start: lea the label into a register). */
  at(label: Label): i64 { return memLabel(label); }

  /**
   * Lays out constants and variables, resolves every label and writes the
   * PE32+ application with `entry` as its entry point; null (with `error`) on failure.
   */
  link(entry: Label): Uint8Array | null {
    const asm = this.asm;
    for (let i = 0; i < this.constants.length; i++) {
      const constant = this.constants[i];
      asm.align(constant.alignment, 0);
      asm.bind(constant.label);
      for (let b = 0; b < constant.bytes.length; b++) asm.byte(constant.bytes[b]);
    }
    for (let i = 0; i < this.blobs.length; i++) {
      const blob = this.blobs[i];
      asm.align(4096, 0xcc);
      asm.bind(blob.label);
      asm.bindAt(blob.entry, asm.offset + blob.entryOffset);
      asm.buffer.copyFrom(blob.bytes.dataStart, blob.bytes.length);
    }
    const textSize = asm.offset;
    const dataStart = (textSize + 0xfff) & ~0xfff;
    let at = 0;
    for (let i = 0; i < this.variables.length; i++) {
      const variable = this.variables[i];
      at = (at + variable.alignment - 1) & ~(variable.alignment - 1);
      asm.bindAt(variable.label, dataStart + at);
      at += variable.size;
    }
    const dataSize = max(at, 16);
    asm.bindAt(this.imageEnd, dataStart + ((dataSize + 0xfff) & ~0xfff));
    if (!asm.finish()) { this.error = asm.error; return null; }
    const code = asm.buffer.toBytes();
    const sections: PeSection[] = [
      new PeSection(".text", code, code.length, SECTION_CODE),
      new PeSection(".data", new Uint8Array(0), dataSize, SECTION_DATA),
    ];
    const image = writePe(sections, FIRST_SECTION_RVA + asm.labelOffset(entry), []);
    if (image == null) this.error = "the PE writer refused the stub";
    return image;
  }
}

// Keep the operand helpers one import away for the emitters.
export { Reg, mem };
