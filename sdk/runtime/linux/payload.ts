// The payload the linker placed in the executable (docs/linux-runtime.md,
// "The payload"): components and one script, read-only, outside the
// runtime's memory. Each component is copied into the runtime's memory and
// read (validated) the first time a script instantiates it.

import { CompiledComponent, readComponent } from "../../loader/component";
import { loaderError } from "../../loader/error";
import { copyOut, load32 } from "./native";

/** "DPLD" as a little-endian u32. */
const PAYLOAD_MAGIC: u32 = 0x444c5044;
const PAYLOAD_VERSION: u32 = 1;
const HEADER_SIZE: u32 = 20;

export class Payload {
  address: i64;
  length: u64;
  count: u32 = 0;
  private components: (CompiledComponent | null)[] = [];
  /** Why opening the payload or reading a component failed. */
  error: string = "";

  constructor(address: i64, length: u64) {
    this.address = address;
    this.length = length;
  }

  private u32At(offset: u64): u32 { return <u32>load32(this.address + <i64>offset); }

  /** Checks the header and every range in it. */
  open(): bool {
    if (this.length < <u64>HEADER_SIZE) { this.error = "payload too short"; return false; }
    if (this.u32At(0) != PAYLOAD_MAGIC) { this.error = "payload has a bad magic number"; return false; }
    if (this.u32At(4) != PAYLOAD_VERSION) { this.error = "unsupported payload version " + this.u32At(4).toString(); return false; }
    this.count = this.u32At(8);
    if (<u64>HEADER_SIZE + <u64>this.count * 8 > this.length) { this.error = "payload component table exceeds the payload"; return false; }
    if (!this.fits(this.u32At(12), this.u32At(16))) { this.error = "payload script exceeds the payload"; return false; }
    for (let i: u32 = 0; i < this.count; i++) {
      if (!this.fits(this.entryOffset(i), this.entryLength(i))) { this.error = "payload component " + i.toString() + " exceeds the payload"; return false; }
      this.components.push(null);
    }
    return true;
  }

  private fits(offset: u32, length: u32): bool { return <u64>offset + <u64>length <= this.length; }
  private entryOffset(index: u32): u32 { return this.u32At(<u64>HEADER_SIZE + <u64>index * 8); }
  private entryLength(index: u32): u32 { return this.u32At(<u64>HEADER_SIZE + <u64>index * 8 + 4); }

  private copy(offset: u32, length: u32): Uint8Array {
    const bytes = new Uint8Array(<i32>length);
    copyOut(bytes.dataStart, this.address + <i64>offset, <usize>length);
    return bytes;
  }

  script(): Uint8Array {
    return this.copy(this.u32At(12), this.u32At(16));
  }

  /** Component `index`, read on first use; null (and `error`) when it is missing or corrupt. */
  component(index: u32): CompiledComponent | null {
    if (index >= this.count) { this.error = "no component " + index.toString() + " in the payload"; return null; }
    const cached = this.components[index];
    if (cached != null) return cached;
    const component = readComponent(this.copy(this.entryOffset(index), this.entryLength(index)));
    if (component == null) { this.error = "component " + index.toString() + ": " + loaderError(); return null; }
    this.components[index] = component;
    return component;
  }
}
