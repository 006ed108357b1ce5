// The kernel's console: lines on COM1, each prefixed with the time since
// the kernel's entry, from the TSC (`[    0.012345] kernel: ...`). Nothing
// here allocates: the console is what fault reports use, and a fault may
// come from inside the allocator. Numbers are formatted into a static
// buffer; strings are written a character at a time (ASCII; anything else
// as '?').

import { serialWrite } from "./arch/x86_64/serial";
import { microsSinceEntry } from "./time";

const digits = memory.data(32);

function put(character: i32): void {
  if (character == 10) serialWrite(13);
  serialWrite(character);
}

/** One ASCII character. */
export function character(code: i32): void { put(code); }

export function text(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const character = s.charCodeAt(i);
    put(character < 0x80 ? character : 0x3f);
  }
}

/** Raw bytes at an absolute-free pointer of the kernel's memory (UTF-8 names: ASCII kept, others '?'). */
export function bytes(pointer: usize, length: i32): void {
  for (let i = 0; i < length; i++) {
    const character = <i32>load<u8>(pointer + <usize>i);
    put(character < 0x80 ? character : 0x3f);
  }
}

/** Unsigned decimal, at least `width` characters (right-aligned with `fill`). */
export function decimal(value: u64, width: i32 = 0, fill: i32 = 0x20): void {
  let at = 32;
  do {
    store<u8>(digits + <usize>(--at), <u8>(0x30 + <i32>(value % 10)));
    value /= 10;
  } while (value != 0);
  for (let i = 32 - at; i < width; i++) put(fill);
  for (; at < 32; at++) put(<i32>load<u8>(digits + <usize>at));
}

export function signed(value: i64): void {
  if (value < 0) { put(0x2d); decimal(<u64>(-value)); }
  else decimal(<u64>value);
}

/** `0x` and lowercase hex digits; at least `width` digits (zero-padded). */
export function hex(value: u64, width: i32 = 1): void {
  put(0x30);
  put(0x78);
  let at = 32;
  do {
    const digit = <i32>(value & 15);
    store<u8>(digits + <usize>(--at), <u8>(digit < 10 ? 0x30 + digit : 0x57 + digit));
    value >>= 4;
  } while (value != 0);
  for (let i = 32 - at; i < width; i++) put(0x30);
  for (; at < 32; at++) put(<i32>load<u8>(digits + <usize>at));
}

/** Seconds with six decimals. */
export function seconds(micros: u64): void {
  decimal(micros / 1000000);
  put(0x2e);
  decimal(micros % 1000000, 6, 0x30);
}

/** Starts a line: `[  seconds] kernel: `. */
export function begin(): void {
  put(0x5b);
  const micros = microsSinceEntry();
  decimal(micros / 1000000, 5);
  put(0x2e);
  decimal(micros % 1000000, 6, 0x30);
  text("] kernel: ");
}

export function end(): void { put(10); }

/** A whole line. */
export function line(s: string): void {
  begin();
  text(s);
  end();
}
