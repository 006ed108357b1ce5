// Copies between absolute addresses: component memories, component code,
// the payload and the kernel's own memory. The kernel's memory.copy works
// only inside its own linear memory, so these go through the raw
// delos:native loads and stores, eight bytes at a time.

import { absolute, load64, load8, store64, store8 } from "../arch/x86_64/native";

/** Copies `length` bytes from absolute `source` to absolute `destination` (the ranges do not overlap). */
export function copyAbsolute(destination: u64, source: u64, length: u64): void {
  let at: u64 = 0;
  for (; at + 32 <= length; at += 32) {
    const a = load64(<i64>(source + at)), b = load64(<i64>(source + at + 8));
    const c = load64(<i64>(source + at + 16)), d = load64(<i64>(source + at + 24));
    store64(<i64>(destination + at), a);
    store64(<i64>(destination + at + 8), b);
    store64(<i64>(destination + at + 16), c);
    store64(<i64>(destination + at + 24), d);
  }
  for (; at + 8 <= length; at += 8) store64(<i64>(destination + at), load64(<i64>(source + at)));
  for (; at < length; at++) store8(<i64>(destination + at), load8(<i64>(source + at)));
}

/** Copies from the kernel's memory at `local` to absolute `destination`. */
export function copyOut(destination: u64, local: usize, length: u64): void {
  copyAbsolute(destination, <u64>absolute(local), length);
}

/** Copies from absolute `source` into the kernel's memory at `local`. */
export function copyIn(local: usize, source: u64, length: u64): void {
  copyAbsolute(<u64>absolute(local), source, length);
}

/** Fills `length` bytes at absolute `destination` with zeros. */
export function zeroAbsolute(destination: u64, length: u64): void {
  let at: u64 = 0;
  for (; at + 8 <= length; at += 8) store64(<i64>(destination + at), 0);
  for (; at < length; at++) store8(<i64>(destination + at), 0);
}
