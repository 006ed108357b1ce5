// A bounds-checked little-endian reader over a range of a byte array, for
// untrusted input (components). Reading past the end never touches memory
// outside the range: it records the first failure, returns zero, and every
// later read returns zero too, so callers check `failed` once per entry
// instead of after every field.

import { setLoaderError } from "./error";

export class ByteReader {
  bytes: Uint8Array;
  position: i32;
  end: i32;
  failed: bool = false;

  constructor(bytes: Uint8Array, start: i32, end: i32) {
    this.bytes = bytes;
    this.position = start;
    this.end = end;
  }

  get remaining(): i32 { return this.end - this.position; }

  /** Records the first failure as `invalid component: REASON at byte N`. */
  fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    setLoaderError("invalid component: " + reason + " at byte " + this.position.toString());
  }

  private has(count: i32): bool {
    if (this.failed) return false;
    if (count < 0 || count > this.end - this.position) {
      this.fail("unexpected end");
      return false;
    }
    return true;
  }

  u8(): u32 {
    if (!this.has(1)) return 0;
    return <u32>this.bytes[this.position++];
  }

  u32(): u32 {
    if (!this.has(4)) return 0;
    const value = load<u32>(this.bytes.dataStart + <usize>this.position);
    this.position += 4;
    return value;
  }

  u64(): u64 {
    if (!this.has(8)) return 0;
    const value = load<u64>(this.bytes.dataStart + <usize>this.position);
    this.position += 8;
    return value;
  }

  uleb(): u64 {
    let result: u64 = 0;
    let shift: u64 = 0;
    while (true) {
      if (!this.has(1)) return 0;
      const byte = <u64>this.bytes[this.position++];
      if (shift == 63 && (byte & 0x7e) != 0) { this.fail("LEB128 too large"); return 0; }
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return result;
      shift += 7;
      if (shift > 63) { this.fail("LEB128 too long"); return 0; }
    }
  }

  sleb(): i64 {
    let result: i64 = 0;
    let shift: i64 = 0;
    while (true) {
      if (!this.has(1)) return 0;
      const byte = <i64>this.bytes[this.position++];
      if (shift == 63 && byte != 0 && byte != 0x7f) { this.fail("LEB128 too large"); return 0; }
      result |= (byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) == 0) {
        if (shift < 64 && (byte & 0x40) != 0) result |= (<i64>-1) << shift;
        return result;
      }
      if (shift > 63) { this.fail("LEB128 too long"); return 0; }
    }
  }

  /** A count of entries that each take at least `minimumSize` bytes: bounded by what is left. */
  count(minimumSize: i32): i32 {
    const value = this.u32();
    if (this.failed) return 0;
    if (value > <u32>(this.remaining / minimumSize)) {
      this.fail("count " + value.toString() + " exceeds the data");
      return 0;
    }
    return <i32>value;
  }

  /** Skips `length` bytes and returns where they start. */
  skip(length: u32): i32 {
    const start = this.position;
    if (length > <u32>this.remaining) {
      this.fail("length " + length.toString() + " exceeds the data");
      return start;
    }
    this.position += <i32>length;
    return start;
  }

  /** A `length:u32 bytes` string, which must be valid UTF-8. */
  string(): string {
    const length = this.u32();
    if (this.failed) return "";
    const start = this.skip(length);
    if (this.failed) return "";
    if (!isValidUtf8(this.bytes, start, start + <i32>length)) {
      this.position = start;
      this.fail("name is not valid UTF-8");
      return "";
    }
    return String.UTF8.decodeUnsafe(this.bytes.dataStart + <usize>start, <usize>length);
  }
}

/** Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
export function isValidUtf8(bytes: Uint8Array, start: i32, end: i32): bool {
  let i = start;
  while (i < end) {
    const first = <u32>bytes[i];
    if (first < 0x80) { i++; continue; }
    let count = 0;
    let minimum: u32 = 0;
    let code: u32 = 0;
    if ((first & 0xe0) == 0xc0) { count = 1; minimum = 0x80; code = first & 0x1f; }
    else if ((first & 0xf0) == 0xe0) { count = 2; minimum = 0x800; code = first & 0x0f; }
    else if ((first & 0xf8) == 0xf0) { count = 3; minimum = 0x10000; code = first & 0x07; }
    else return false;
    if (i + count >= end) return false;
    for (let k = 1; k <= count; k++) {
      const next = <u32>bytes[i + k];
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += count + 1;
  }
  return true;
}
