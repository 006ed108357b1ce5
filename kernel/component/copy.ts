// Copies between absolute addresses: component memories, component code,
// the payload and the kernel's own memory. The kernel's memory.copy works
// only inside its own linear memory, so these go through the raw
// delos:native intrinsics: `copy` (rep movsq) and eight-byte stores.

import { absolute, copy, store64, store8 } from "../arch/x86_64/native";

/** Copies `length` bytes from absolute `source` to absolute `destination` (the ranges do not overlap). */
// @ts-ignore: decorator
@inline export function copyAbsolute(destination: u64, source: u64, length: u64): void {
  copy(<i64>destination, <i64>source, <i64>length);
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
