// A growable byte buffer for machine code and its constant pool. Writes go
// straight to memory with store<T>; the buffer doubles when full, so emitting
// n bytes costs O(n) overall. Its memory is never zeroed: nothing past
// `length` is ever read, and the code buffer is reserved generously up front.

import { uninitializedBytes } from "../io";

export class CodeBuffer {
  private data: Uint8Array;
  length: i32 = 0;

  constructor(capacity: i32 = 4096) {
    this.data = uninitializedBytes(max(capacity, 16));
  }

  /** Address of the next byte; write through it after reserve(), then commit(). */
  // @ts-ignore: decorator
  @inline cursor(): usize { return this.data.dataStart + <usize>this.length; }

  /** Takes the bytes written up to `cursor` (from cursor()). */
  // @ts-ignore: decorator
  @inline commit(cursor: usize): void { this.length = <i32>(cursor - this.data.dataStart); }

  /** Makes room for `count` more bytes. */
  // @ts-ignore: decorator
  @inline reserve(count: i32): void {
    if (this.length + count > this.data.length) this.grow(count);
  }

  private grow(count: i32): void {
    let capacity = this.data.length << 1;
    while (capacity < this.length + count) capacity <<= 1;
    const bigger = uninitializedBytes(capacity);
    memory.copy(bigger.dataStart, this.data.dataStart, <usize>this.length);
    this.data = bigger;
  }

  // @ts-ignore: decorator
  @inline byte(value: i32): void {
    this.reserve(1);
    store<u8>(this.data.dataStart + <usize>this.length, <u8>value);
    this.length += 1;
  }

  // @ts-ignore: decorator
  @inline u16(value: i32): void {
    this.reserve(2);
    store<u16>(this.data.dataStart + <usize>this.length, <u16>value);
    this.length += 2;
  }

  // @ts-ignore: decorator
  @inline u32(value: i32): void {
    this.reserve(4);
    store<u32>(this.data.dataStart + <usize>this.length, <u32>value);
    this.length += 4;
  }

  // @ts-ignore: decorator
  @inline u64(value: i64): void {
    this.reserve(8);
    store<u64>(this.data.dataStart + <usize>this.length, <u64>value);
    this.length += 8;
  }

  /** Appends `count` copies of `value`. */
  fill(value: i32, count: i32): void {
    this.reserve(count);
    memory.fill(this.data.dataStart + <usize>this.length, <u8>value, <usize>count);
    this.length += count;
  }

  /** Appends raw bytes from linear memory. */
  copyFrom(source: usize, count: i32): void {
    this.reserve(count);
    memory.copy(this.data.dataStart + <usize>this.length, source, <usize>count);
    this.length += count;
  }

  // @ts-ignore: decorator
  @inline read8(at: i32): i32 { return <i32>load<u8>(this.data.dataStart + <usize>at); }
  // @ts-ignore: decorator
  @inline read32(at: i32): i32 { return load<i32>(this.data.dataStart + <usize>at); }
  // @ts-ignore: decorator
  @inline patch8(at: i32, value: i32): void { store<u8>(this.data.dataStart + <usize>at, <u8>value); }
  // @ts-ignore: decorator
  @inline patch32(at: i32, value: i32): void { store<i32>(this.data.dataStart + <usize>at, value); }

  /** Drops everything after `length` (used to retract a tentatively emitted sequence). */
  truncate(length: i32): void { this.length = length; }

  /** The bytes written so far (a view of the buffer: emit nothing more after taking it). */
  toBytes(): Uint8Array {
    return this.data.subarray(0, this.length);
  }
}
