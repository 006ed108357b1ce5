// A block of the kernel's initialised data being put together for .kdata:
// fields are reserved at aligned offsets and filled with constants, or with
// the absolute address of a label, which becomes a PE base relocation (the
// firmware adds the load address; the image stays position-independent).

import { Label } from "../../../../sdk/compiler/src/x64/assembler";
import { StubProgram } from "../boot/program";

class Address {
  constructor(readonly offset: i32, readonly target: Label, readonly targetOffset: i32) {}
}

export class DataImage {
  /** Where the block will be; fields are program.labelAt(label, offset). */
  readonly label: Label;
  private readonly program: StubProgram;
  private bytes: Uint8Array = new Uint8Array(4096);
  private length: i32 = 0;
  private readonly addresses: Address[] = [];

  constructor(program: StubProgram) {
    this.program = program;
    this.label = program.label();
  }

  /** Reserves `size` zero bytes at the next multiple of `alignment`; returns their offset. */
  reserve(size: i32, alignment: i32): i32 {
    const offset = (this.length + alignment - 1) & ~(alignment - 1);
    const end = offset + size;
    if (end > this.bytes.length) {
      let capacity = this.bytes.length;
      while (capacity < end) capacity <<= 1;
      const grown = new Uint8Array(capacity);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.length = end;
    return offset;
  }

  put64(offset: i32, value: u64): void { store<u64>(this.bytes.dataStart + <usize>offset, value); }
  put32(offset: i32, value: u32): void { store<u32>(this.bytes.dataStart + <usize>offset, value); }

  /** The 8 bytes at `offset` will hold the absolute address of `target + targetOffset`. */
  address(offset: i32, target: Label, targetOffset: i32 = 0): void {
    this.addresses.push(new Address(offset, target, targetOffset));
  }

  /** Places the block, as it is now, in .kdata. */
  place(alignment: i32): void {
    const program = this.program;
    program.data(this.label, this.bytes.slice(0, this.length), alignment);
    for (let i = 0; i < this.addresses.length; i++) {
      const address = this.addresses[i];
      program.relocate(this.label, address.offset, address.target, address.targetOffset);
    }
  }
}
