// Buffered output to stdout and stderr. Text is written into a buffer in
// the runtime's memory and handed to write(2) in one piece; the runner
// flushes after each command, so a crash loses at most the line in
// progress, and before a guest program writes to the same descriptors, so
// the order on the terminal is the order of the program.

import { absolute } from "./native";
import { EINTR, Sys, sys3 } from "./syscalls";

/** Digits of a number, least significant first (the allocator never frees, so one buffer serves all). */
const digits = new StaticArray<u8>(20);

export class Output {
  fd: i32;
  buffer: Uint8Array;
  length: i32 = 0;

  constructor(fd: i32, capacity: i32) {
    this.fd = fd;
    this.buffer = new Uint8Array(capacity);
  }

  byte(value: u32): Output {
    if (this.length == this.buffer.length) this.flush();
    this.buffer[this.length++] = <u8>value;
    return this;
  }

  /** UTF-16 text as UTF-8; unpaired surrogates become U+FFFD. */
  text(value: string): Output {
    for (let i = 0; i < value.length; i++) {
      let code = <u32>value.charCodeAt(i);
      if (code >= 0xd800 && code < 0xdc00 && i + 1 < value.length) {
        const next = <u32>value.charCodeAt(i + 1);
        if (next >= 0xdc00 && next < 0xe000) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          i++;
        }
      }
      if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
      this.codePoint(code);
    }
    return this;
  }

  codePoint(code: u32): Output {
    if (code < 0x80) return this.byte(code);
    if (code < 0x800) return this.byte(0xc0 | (code >> 6)).byte(0x80 | (code & 0x3f));
    if (code < 0x10000) return this.byte(0xe0 | (code >> 12)).byte(0x80 | ((code >> 6) & 0x3f)).byte(0x80 | (code & 0x3f));
    return this.byte(0xf0 | (code >> 18)).byte(0x80 | ((code >> 12) & 0x3f)).byte(0x80 | ((code >> 6) & 0x3f)).byte(0x80 | (code & 0x3f));
  }

  unsigned(value: u64): Output {
    let count = 0;
    do {
      digits[count++] = <u8>(48 + value % 10);
      value /= 10;
    } while (value != 0);
    while (count > 0) this.byte(digits[--count]);
    return this;
  }

  signed(value: i64): Output {
    if (value < 0) {
      this.byte(45);
      return this.unsigned(<u64>0 - <u64>value);
    }
    return this.unsigned(<u64>value);
  }

  /** `0x` and exactly `digits` lower-case hex digits. */
  hex(value: u64, digits: i32): Output {
    this.byte(48).byte(120);
    for (let i = digits - 1; i >= 0; i--) {
      const nibble = <u32>((value >> (<u64>i * 4)) & 15);
      this.byte(nibble < 10 ? 48 + nibble : 87 + nibble);
    }
    return this;
  }

  line(value: string): Output {
    return this.text(value).byte(10);
  }

  flush(): void {
    let at = 0;
    while (at < this.length) {
      const written = sys3(Sys.Write, <i64>this.fd, absolute(this.buffer.dataStart + <usize>at), <i64>(this.length - at));
      if (written == -EINTR) continue;
      if (written <= 0) break;
      at += <i32>written;
    }
    this.length = 0;
  }
}

export const stdout = new Output(1, 16384);
export const stderr = new Output(2, 4096);

export function flushAll(): void {
  stdout.flush();
  stderr.flush();
}
