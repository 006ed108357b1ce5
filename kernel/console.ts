// The kernel's console: lines on COM1, each prefixed with the time since
// the kernel's entry, from the TSC (`[    0.012345] kernel: ...`). Nothing
// here allocates: the console is what fault reports use, and a fault may
// come from inside the allocator. Numbers are formatted into a static
// buffer; strings are written a character at a time (ASCII; anything else
// as '?').
//
// Lines are kept in a ring and written to the UART later, the way a
// printk buffer is: under QEMU every byte written is a device access that
// costs the host a system call, and a line written on the spot put some
// 0.4 ms of port writes into each driver restart's path. The ring is
// written out by the idle loop in short turns (drain, between which
// interrupts are let in), a bounded part at every clock tick, so a busy
// machine still shows its log, and whole before the kernel halts (halt).
// A full ring writes its oldest bytes out at once: nothing is dropped.
// Each line's time is taken when it is made, not when it is written.
// Kernel code runs with interrupts off, so the ring has one writer and
// one reader at a time.

import { serialWrite, serialWriteBurst, SERIAL_BURST } from "./arch/x86_64/serial";
import { haltForever } from "./arch/x86_64/cpu";
import { microsSinceEntry } from "./time";

const digits = memory.data(32);
const RING_SIZE: u32 = 1 << 16;
const ring = memory.data(<i32>RING_SIZE);
/** Bytes made since the start (`made`) and written out (`written`); both wrap, their difference is what waits. */
let made: u32 = 0;
let written: u32 = 0;

// @ts-ignore: decorator
@inline function keep(byte: i32): void {
  if (made - written == RING_SIZE) {
    serialWrite(<i32>load<u8>(ring + <usize>(written & (RING_SIZE - 1))));
    written++;
  }
  store<u8>(ring + <usize>(made & (RING_SIZE - 1)), <u8>byte);
  made++;
}

// @ts-ignore: decorator
@inline function put(character: i32): void {
  if (character == 10) keep(13);
  keep(character);
}

/** Writes up to `limit` waiting bytes to COM1: true when some still wait. */
export function drain(limit: i32): bool {
  while (limit > 0 && written != made) {
    // One burst is what the UART's FIFO takes after one wait for it, and stops at the ring's end.
    const at = written & (RING_SIZE - 1);
    const count = <i32>min(min(made - written, RING_SIZE - at), <u32>min(limit, SERIAL_BURST));
    serialWriteBurst(ring + <usize>at, count);
    written += <u32>count;
    limit -= count;
  }
  return written != made;
}

/** Writes every waiting byte out, then stops the processor for good. */
export function halt(): void {
  drain(<i32>RING_SIZE);
  haltForever();
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
