// The boot stub as a program being assembled: one code buffer (machine code,
// then read-only constants: strings and GUIDs, then page-aligned code blobs
// such as the kernel's) that becomes the .text section, and zero-initialised
// variables that become the .data section. A linked kernel adds two more:
// .kdata, initialised data whose absolute addresses are PE base relocations
// (the firmware adds the load address), and .kmem, the kernel's linear
// memory, which must come last so that it can grow past the image's end.
// Code reaches everything rip-relatively: .text sits at RVA 0x1000 and each
// further section at the next 4 KiB boundary, and variables are labels
// bound at those distances before fixups resolve.

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

/** A label bound at a fixed distance from another once that one is placed. */
class Derived {
  constructor(readonly label: Label, readonly base: Label, readonly offset: i32) {}
}

/** An absolute address stored in initialised data: the 8 bytes at site + siteOffset. */
class Relocation {
  constructor(readonly site: Label, readonly siteOffset: i32, readonly target: Label, readonly targetOffset: i32) {}
}

export class StubProgram {
  readonly asm: SystemAssembler = new SystemAssembler();
  private readonly constants: Constant[] = [];
  private readonly variables: Variable[] = [];
  private readonly stringLabels: Map<string, Label> = new Map();
  private readonly blobs: Blob[] = [];
  private readonly initialised: Constant[] = [];
  private readonly derived: Derived[] = [];
  private readonly relocations: Relocation[] = [];
  private memoryLabel: Label = -1;
  private memoryImage: Uint8Array = new Uint8Array(0);
  private memorySize: i32 = 0;
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

  /** Read-only bytes among the constants of .text. */
  bytes(bytes: Uint8Array, alignment: i32): Label {
    const label = this.asm.newLabel();
    this.constants.push(new Constant(label, bytes, alignment));
    return label;
  }

  /** Initialised, writable bytes in .kdata at `label` (absolute addresses inside them: `relocate`). */
  data(label: Label, bytes: Uint8Array, alignment: i32): void {
    this.initialised.push(new Constant(label, bytes, alignment));
  }

  /**
   * The .kmem section, last in the image: `size` bytes (a multiple of 4096)
   * starting with `image`, zero after it. At most one.
   */
  memory(image: Uint8Array, size: i32): Label {
    this.memoryLabel = this.asm.newLabel();
    this.memoryImage = image;
    this.memorySize = size;
    return this.memoryLabel;
  }

  /** A label `offset` bytes after `base` (a blob, data or variable), bound when `base` is. */
  labelAt(base: Label, offset: i32): Label {
    const label = this.asm.newLabel();
    this.derived.push(new Derived(label, base, offset));
    return label;
  }

  /** The 8 bytes at `site + siteOffset` (in .kdata) hold the absolute address of `target + targetOffset`. */
  relocate(site: Label, siteOffset: i32, target: Label, targetOffset: i32): void {
    this.relocations.push(new Relocation(site, siteOffset, target, targetOffset));
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
    let end = dataStart + ((dataSize + 0xfff) & ~0xfff);

    // .kdata: the initialised blobs, each at its alignment.
    const kdataStart = end;
    at = 0;
    for (let i = 0; i < this.initialised.length; i++) {
      const blob = this.initialised[i];
      at = (at + blob.alignment - 1) & ~(blob.alignment - 1);
      asm.bindAt(blob.label, kdataStart + at);
      at += blob.bytes.length;
    }
    const kdata = new Uint8Array(at);
    for (let i = 0; i < this.initialised.length; i++) {
      const blob = this.initialised[i];
      kdata.set(blob.bytes, asm.labelOffset(blob.label) - kdataStart);
    }
    if (kdata.length > 0) end = kdataStart + ((kdata.length + 0xfff) & ~0xfff);
    const kmemStart = end;
    if (this.memoryLabel >= 0) {
      asm.bindAt(this.memoryLabel, kmemStart);
      end = kmemStart + ((this.memorySize + 0xfff) & ~0xfff);
    }
    asm.bindAt(this.imageEnd, end);
    for (let i = 0; i < this.derived.length; i++) {
      const derived = this.derived[i];
      asm.bindAt(derived.label, asm.labelOffset(derived.base) + derived.offset);
    }

    // Relocation sites hold RVAs; the PE writer turns them into addresses at the preferred base.
    const sites: i32[] = [];
    for (let i = 0; i < this.relocations.length; i++) {
      const relocation = this.relocations[i];
      const site = asm.labelOffset(relocation.site) + relocation.siteOffset - kdataStart;
      if (site < 0 || site + 8 > kdata.length) { this.error = "a relocation site lies outside .kdata"; return null; }
      const target = FIRST_SECTION_RVA + asm.labelOffset(relocation.target) + relocation.targetOffset;
      store<u64>(kdata.dataStart + <usize>site, <u64>target);
      sites.push(FIRST_SECTION_RVA + kdataStart + site);
    }
    if (!asm.finish()) { this.error = asm.error; return null; }
    const code = asm.buffer.toBytes();
    const sections: PeSection[] = [
      new PeSection(".text", code, code.length, SECTION_CODE),
      new PeSection(".data", new Uint8Array(0), dataSize, SECTION_DATA),
    ];
    if (kdata.length > 0) sections.push(new PeSection(".kdata", kdata, kdata.length, SECTION_DATA));
    if (this.memoryLabel >= 0) sections.push(new PeSection(".kmem", this.memoryImage, this.memorySize, SECTION_DATA));
    const image = writePe(sections, FIRST_SECTION_RVA + asm.labelOffset(entry), sites);
    if (image == null) this.error = "the PE writer refused the stub";
    return image;
  }
}

// Keep the operand helpers one import away for the emitters.
export { Reg, mem };
