// A growable byte buffer for machine code and its constant pool. Writes go
// straight to memory with store<T>; the buffer doubles when full, so emitting
// n bytes costs O(n) overall. Its memory is never zeroed: nothing past
// `length` is ever read, and the code buffer is reserved generously up front.

import { uninitializedBytes } from "../io";

export class CodeBuffer {
  private data: Uint8Array;
  // The buffer as addresses, so that an instruction's write costs a test
  // and a store: where the bytes start, where the next one goes, and the
  // end of the reserved space.
  private start: usize;
  private end: usize;
  private limit: usize;

  constructor(capacity: i32 = 4096) {
    this.data = uninitializedBytes(max(capacity, 16));
    this.start = this.data.dataStart;
    this.end = this.start;
    this.limit = this.start + <usize>this.data.length;
  }

  /** How many bytes are written. */
  // @ts-ignore: decorator
  @inline get length(): i32 { return <i32>(this.end - this.start); }

  /** Address of the next byte; write through it after reserve(), then commit(). */
  // @ts-ignore: decorator
  @inline cursor(): usize { return this.end; }

  /** Takes the bytes written up to `cursor` (from cursor()). */
  // @ts-ignore: decorator
  @inline commit(cursor: usize): void { this.end = cursor; }

  /** Whether `count` more bytes fit without growing. */
  // @ts-ignore: decorator
  @inline hasRoom(count: i32): bool { return this.end + <usize>count <= this.limit; }

  /** Makes room for `count` more bytes. */
  // @ts-ignore: decorator
  @inline reserve(count: i32): void {
    if (this.end + <usize>count > this.limit) this.grow(count);
  }

  private grow(count: i32): void {
    const length = this.length;
    let capacity = this.data.length << 1;
    while (capacity < length + count) capacity <<= 1;
    const bigger = uninitializedBytes(capacity);
    memory.copy(bigger.dataStart, this.start, <usize>length);
    this.data = bigger;
    this.start = bigger.dataStart;
    this.end = this.start + <usize>length;
    this.limit = this.start + <usize>capacity;
  }

  // @ts-ignore: decorator
  @inline byte(value: i32): void {
    this.reserve(1);
    store<u8>(this.end, <u8>value);
    this.end += 1;
  }

  // @ts-ignore: decorator
  @inline u16(value: i32): void {
    this.reserve(2);
    store<u16>(this.end, <u16>value);
    this.end += 2;
  }

  // @ts-ignore: decorator
  @inline u32(value: i32): void {
    this.reserve(4);
    store<u32>(this.end, <u32>value);
    this.end += 4;
  }

  // @ts-ignore: decorator
  @inline u64(value: i64): void {
    this.reserve(8);
    store<u64>(this.end, <u64>value);
    this.end += 8;
  }

  /** Appends `count` copies of `value`. */
  fill(value: i32, count: i32): void {
    this.reserve(count);
    memory.fill(this.end, <u8>value, <usize>count);
    this.end += <usize>count;
  }

  /** Appends raw bytes from linear memory. */
  copyFrom(source: usize, count: i32): void {
    this.reserve(count);
    memory.copy(this.end, source, <usize>count);
    this.end += <usize>count;
  }

  // @ts-ignore: decorator
  @inline read8(at: i32): i32 { return <i32>load<u8>(this.start + <usize>at); }
  // @ts-ignore: decorator
  @inline read32(at: i32): i32 { return load<i32>(this.start + <usize>at); }
  // @ts-ignore: decorator
  @inline patch8(at: i32, value: i32): void { store<u8>(this.start + <usize>at, <u8>value); }
  // @ts-ignore: decorator
  @inline patch32(at: i32, value: i32): void { store<i32>(this.start + <usize>at, value); }

  /** Drops everything after `length` (used to retract a tentatively emitted sequence). */
  truncate(length: i32): void { this.end = this.start + <usize>length; }

  /** The bytes written so far (a view of the buffer: emit nothing more after taking it). */
  toBytes(): Uint8Array {
    return this.data.subarray(0, this.length);
  }
}
