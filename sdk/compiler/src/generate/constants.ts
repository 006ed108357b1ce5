// The constant pool at the end of a module's code: float masks, conversion
// bounds and float operands, read rip-relative. Each constant takes a 16-byte
// aligned 16-byte cell (the value in the low eight bytes, zeros above), so a
// cell can be the memory operand of a packed SSE operation, which demands
// alignment; only the low lane of the result is ever used. Passive data
// segments are copied here too, for memory.init.

import { Assembler, Label } from "../x64/assembler";

export class ConstantPool {
  private cells: Map<u64, Label> = new Map<u64, Label>();
  private values: u64[] = [];
  private labels: Label[] = [];
  private blobLabels: Label[] = [];
  private blobStarts: u32[] = [];
  private blobLengths: u32[] = [];

  /** The label of a cell holding `bits` in its low eight bytes. */
  constant(asm: Assembler, bits: u64): Label {
    if (this.cells.has(bits)) return this.cells.get(bits);
    const label = asm.newLabel();
    this.cells.set(bits, label);
    this.values.push(bits);
    this.labels.push(label);
    return label;
  }

  /** A label for `length` bytes of `source` starting at `start`, copied into the pool. */
  blob(asm: Assembler, start: u32, length: u32): Label {
    const label = asm.newLabel();
    this.blobLabels.push(label);
    this.blobStarts.push(start);
    this.blobLengths.push(length);
    return label;
  }

  /** Writes every cell and blob at the current position. */
  emit(asm: Assembler, source: Uint8Array): void {
    asm.align(16, 0);
    for (let i = 0; i < this.values.length; i++) {
      asm.bind(this.labels[i]);
      asm.u64(this.values[i]);
      asm.u64(0);
    }
    for (let i = 0; i < this.blobLabels.length; i++) {
      asm.bind(this.blobLabels[i]);
      asm.buffer.copyFrom(source.dataStart + <usize>this.blobStarts[i], <i32>this.blobLengths[i]);
    }
  }
}
