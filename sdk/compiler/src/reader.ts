// A cursor over a module binary: bytes, LEB128 integers and UTF-8 names,
// read with the strictness of the binary format.
//
// AssemblyScript has no catchable exceptions, so a read past the end or a
// badly formed integer records the first error (its text and byte offset) in
// `failed`/`errorText`/`errorOffset`, moves the cursor to the end so that
// every later read fails too and every loop over the input stops, and
// returns 0. Callers check `failed` at convenient points rather than after
// every read.

export class Reader {
  /** Address of byte 0 of the binary in linear memory. */
  base: usize;
  /** Offset of the next byte to read. */
  pos: u32;
  /** Reads stop here: the end of the binary or of the current section/body. */
  end: u32;
  failed: bool = false;
  errorText: string = "";
  errorOffset: u32 = 0;

  constructor(bytes: Uint8Array, start: u32, end: u32) {
    this.base = bytes.dataStart;
    this.pos = start;
    this.end = end;
  }

  /** Records the first error at `offset`; later errors are ignored. */
  failAt(offset: u32, text: string): void {
    if (!this.failed) {
      this.failed = true;
      this.errorText = text;
      this.errorOffset = offset;
    }
    this.pos = this.end;
  }

  fail(text: string): void { this.failAt(this.pos, text); }

  @inline remaining(): u32 { return this.end - this.pos; }
  @inline atEnd(): bool { return this.pos >= this.end; }

  @inline u8(): u32 {
    const pos = this.pos;
    if (pos >= this.end) { this.fail("unexpected end"); return 0; }
    this.pos = pos + 1;
    return <u32>load<u8>(this.base + pos);
  }

  /** The next byte without consuming it; 0xFFFFFFFF at the end. */
  @inline peek(): u32 {
    return this.pos < this.end ? <u32>load<u8>(this.base + this.pos) : 0xffffffff;
  }

  /** Unsigned LEB128 of at most 32 bits: at most 5 bytes, the unused bits of the 5th zero. */
  @inline u32(): u32 {
    const pos = this.pos;
    if (pos < this.end) {
      const first = <u32>load<u8>(this.base + pos);
      if (first < 0x80) { this.pos = pos + 1; return first; }
    }
    return this.u32Slow();
  }

  private u32Slow(): u32 {
    const start = this.pos;
    if (this.end - start >= 2) {
      const value = <u32>load<u16>(this.base + start);
      if ((value & 0x8080) == 0x80) {
        this.pos = start + 2;
        return (value & 0x7f) | ((value >> 1) & 0x3f80);
      }
    }
    let result: u32 = 0;
    for (let shift: u32 = 0; ; shift += 7) {
      if (this.pos >= this.end) { this.failAt(this.pos, "unexpected end"); return 0; }
      const byte = <u32>load<u8>(this.base + this.pos);
      this.pos++;
      if (shift == 28) {
        if (byte & 0x80) { this.failAt(start, "integer representation too long"); return 0; }
        if (byte & 0x70) { this.failAt(start, "integer too large"); return 0; }
        return result | (byte << 28);
      }
      result |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
    }
    return 0;
  }

  /** Signed LEB128 of at most 32 bits: the unused bits of the 5th byte must extend the sign. */
  @inline i32(): i32 {
    const pos = this.pos;
    if (pos < this.end) {
      const first = <i32>load<u8>(this.base + pos);
      if (first < 0x80) { this.pos = pos + 1; return (first << 25) >> 25; }
    }
    return this.i32Slow();
  }

  private i32Slow(): i32 {
    const start = this.pos;
    // Two bytes (up to 14 bits) are most of the rest, then three (addresses
    // of a module's static data).
    if (this.end - start >= 2) {
      const value = <i32>load<u16>(this.base + start);
      const low = (value & 0x7f) | ((value >> 1) & 0x3f80);
      if ((value & 0x8080) == 0x80) {
        this.pos = start + 2;
        return (low << 18) >> 18;
      }
      if (this.end - start >= 3 && (value & 0x8080) == 0x8080) {
        const third = <i32>load<u8>(this.base + start + 2);
        if (third < 0x80) {
          this.pos = start + 3;
          return ((low | (third << 14)) << 11) >> 11;
        }
      }
    }
    return <i32>this.signedSlow(28, 0x78);
  }

  /**
   * Moves past a signed LEB128 of at most 32 bits, as i32() would, without
   * working out its value. Any form of one to four bytes is valid (28 bits
   * at most); the first byte without a continuation bit ends it.
   */
  @inline skipI32(): void {
    const pos = this.pos;
    if (this.end - pos >= 4) {
      const ends = ~load<u32>(this.base + pos) & 0x80808080;
      if (ends != 0) {
        this.pos = pos + (ctz(ends) >> 3) + 1;
        return;
      }
    }
    this.i32();
  }

  /** Moves past a signed LEB128 of at most 64 bits, as i64() would, without working out its value. */
  @inline skipI64(): void {
    const pos = this.pos;
    if (this.end - pos >= 8) {
      // Forms of up to eight bytes are valid whatever their bits (56 at most).
      const ends = ~load<u64>(this.base + pos) & 0x8080808080808080;
      if (ends != 0) {
        this.pos = pos + <u32>(ctz(ends) >> 3) + 1;
        return;
      }
    }
    this.i64();
  }

  /** Signed LEB128 of at most 64 bits: at most 10 bytes, the 10th being 0x00 or 0x7F. */
  @inline i64(): i64 {
    const pos = this.pos;
    if (pos < this.end) {
      const first = <i64>load<u8>(this.base + pos);
      if (first < 0x80) { this.pos = pos + 1; return (first << 57) >> 57; }
    }
    return this.signedSlow(63, 0x7f);
  }

  /**
   * Signed LEB128 of at most 33 bits (block types): at most 5 bytes, the
   * unused bits of the 5th extending bit 32. Nearly all are one byte.
   */
  @inline s33(): i64 {
    const pos = this.pos;
    if (pos < this.end) {
      const first = <i64>load<u8>(this.base + pos);
      if (first < 0x80) { this.pos = pos + 1; return (first << 57) >> 57; }
    }
    return this.signedSlow(28, 0x70);
  }

  /**
   * Signed LEB128 whose last possible byte holds bit `lastShift` upwards:
   * that byte may not continue, and its bits under `highMask` (the bits past
   * the width) must all repeat the sign. Returns the value sign-extended to
   * 64 bits; narrower callers truncate.
   */
  private signedSlow(lastShift: u64, highMask: u64): i64 {
    const start = this.pos;
    // A form that ends within the next eight bytes, before its last
    // possible byte (where the rules on the unused bits apply), is decoded
    // from one word: its 7-bit groups are packed together in three steps
    // and the value is sign-extended from its top bit.
    if (this.end - start >= 8) {
      const word = load<u64>(this.base + start);
      const ends = ~word & 0x8080808080808080;
      if (ends != 0) {
        const length = (ctz(ends) >> 3) + 1;
        if (7 * length <= lastShift) {
          let x = word & 0x7f7f7f7f7f7f7f7f;
          if (length < 8) x &= (<u64>1 << (length << 3)) - 1;
          x = (x & 0x007f007f007f007f) | ((x & 0x7f007f007f007f00) >> 1);
          x = (x & 0x00003fff00003fff) | ((x & 0x3fff00003fff0000) >> 2);
          x = (x & 0x000000000fffffff) | ((x & 0x0fffffff00000000) >> 4);
          const unused = 64 - 7 * length;
          this.pos = start + <u32>length;
          return (<i64>(x << unused)) >> unused;
        }
      }
    }
    let result: u64 = 0;
    for (let shift: u64 = 0; ; shift += 7) {
      if (this.pos >= this.end) { this.failAt(this.pos, "unexpected end"); return 0; }
      const byte = <u64>load<u8>(this.base + this.pos);
      this.pos++;
      if (shift == lastShift) {
        if (byte & 0x80) { this.failAt(start, "integer representation too long"); return 0; }
        const high = byte & highMask;
        if (high != 0 && high != highMask) { this.failAt(start, "integer too large"); return 0; }
        result |= byte << shift;
        if (shift + 7 < 64 && (byte & 0x40)) result |= <u64>0xffffffffffffffff << (shift + 7);
        return <i64>result;
      }
      result |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) {
        if (byte & 0x40) result |= <u64>0xffffffffffffffff << (shift + 7);
        return <i64>result;
      }
    }
    return 0;
  }

  /** Little-endian 32-bit word (an f32 bit pattern). */
  fixed32(): u32 {
    if (this.end - this.pos < 4) { this.fail("unexpected end"); return 0; }
    const value = load<u32>(this.base + this.pos);
    this.pos += 4;
    return value;
  }

  /** Little-endian 64-bit word (an f64 bit pattern). */
  fixed64(): u64 {
    if (this.end - this.pos < 8) { this.fail("unexpected end"); return 0; }
    const value = load<u64>(this.base + this.pos);
    this.pos += 8;
    return value;
  }

  /** Skips `length` bytes; false (and failed) when fewer remain. */
  skip(length: u32): bool {
    if (length > this.end - this.pos) { this.fail("unexpected end: length out of bounds"); return false; }
    this.pos += length;
    return true;
  }

  /**
   * A vector count of items at least `minItemSize` bytes each. A count that
   * cannot fit in the remaining bytes is malformed: checking it here means no
   * caller ever allocates or loops from an unchecked count.
   */
  count(minItemSize: u32): u32 {
    const start = this.pos;
    const n = this.u32();
    if (this.failed) return 0;
    if (<u64>n * minItemSize > <u64>(this.end - this.pos)) {
      this.failAt(start, "unexpected end: count " + n.toString() + " exceeds the remaining bytes");
      return 0;
    }
    return n;
  }

  /** A name: a length-prefixed byte string that must be valid UTF-8. */
  name(): string {
    const length = this.u32();
    if (this.failed) return "";
    const start = this.pos;
    if (!this.skip(length)) return "";
    const bad = utf8Error(this.base + start, length);
    if (bad >= 0) { this.failAt(start + <u32>bad, "malformed UTF-8 encoding"); return ""; }
    return String.UTF8.decodeUnsafe(this.base + start, length);
  }
}

/**
 * Checks UTF-8 as the spec defines it (no overlong forms, no surrogates,
 * nothing above U+10FFFF); returns the offset of the first bad sequence or -1.
 */
export function utf8Error(address: usize, length: u32): i32 {
  let i: u32 = 0;
  while (i < length) {
    const b0 = <u32>load<u8>(address + i);
    if (b0 < 0x80) { i++; continue; }
    let need: u32;
    let low: u32 = 0x80; // bounds of the second byte, which rule out overlong forms and surrogates
    let high: u32 = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 == 0xe0) low = 0xa0;
      else if (b0 == 0xed) high = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 == 0xf0) low = 0x90;
      else if (b0 == 0xf4) high = 0x8f;
    } else return <i32>i;
    if (length - i <= need) return <i32>i;
    const b1 = <u32>load<u8>(address + i + 1);
    if (b1 < low || b1 > high) return <i32>i;
    for (let k: u32 = 2; k <= need; k++) {
      const b = <u32>load<u8>(address + i + k);
      if ((b & 0xc0) != 0x80) return <i32>i;
    }
    i += need + 1;
  }
  return -1;
}
