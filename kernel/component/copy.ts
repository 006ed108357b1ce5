// Copies between absolute addresses, and the one path to memory a
// component controls.
//
// The kernel's memory.copy works only inside its own linear memory, so
// copies between memories go through delos:native intrinsics. Two kinds:
//
//  - copyAbsolute: the plain `rep movsq` copy, for what only the kernel
//    controls (the payload, compiled code, its own memory). A fault there
//    is a kernel bug.
//  - copyChecked and what is built on it: every read and write of a
//    component's linear memory. A component decides what its memory holds
//    and how it is mapped (memory.map without MAP_WRITABLE leaves pages
//    read-only; an unmapped object leaves a hole), so any such access may
//    fault. The link's RT_COPY_CHECKED stub is the kernel's exception table
//    in the manner of Linux's copy_to_user: a page fault inside it returns
//    the faulting address instead of reaching the exception handler's
//    report (kernel/arch/x86_64/exceptions.ts), with whether it was a
//    write. The caller then refuses the call (BAD_ADDRESS) or, when the
//    fault lies on the other side of a message, fails that side's call.
//
// Kernel code never dereferences a component's address with load*/store*.

import { absolute, copy, copyChecked } from "../arch/x86_64/native";

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

// ---- memory a component controls ---------------------------------------------

/** The address whose page fault stopped the last checked copy that failed, and whether it was a write. */
let faultAddress: u64 = 0;
let faultWrite: bool = false;

/** Where the last failed checked copy faulted. */
export function lastFault(): u64 { return faultAddress; }

/**
 * Whether the last failed checked copy faulted writing (its destination's
 * memory is to blame) rather than reading (its source's). Components may
 * message themselves, so the side, not the component, says whose fault it is.
 */
export function lastFaultWasWrite(): bool { return faultWrite; }

/**
 * Copies `length` bytes between absolute addresses where either side may be
 * a component's memory: false when a page fault stopped it (lastFault
 * tells where; part of the bytes may have been copied).
 */
// @ts-ignore: decorator
@inline export function copyUser(destination: u64, source: u64, length: u64): bool {
  const fault = <u64>copyChecked(<i64>destination, <i64>source, <i64>length);
  if (fault == 0) return true;
  faultAddress = fault & ~(<u64>1 << 63);
  faultWrite = (fault >> 63) != 0;
  return false;
}

/** Copies from the kernel's memory at `local` to a component's absolute `destination`: false on a fault. */
export function writeUser(destination: u64, local: usize, length: u64): bool {
  return copyUser(destination, <u64>absolute(local), length);
}

/** Copies from a component's absolute `source` into the kernel's memory at `local`: false on a fault. */
export function readUser(local: usize, source: u64, length: u64): bool {
  return copyUser(<u64>absolute(local), source, length);
}

// One word read or written at a time through a scratch cell: kernel code
// runs with interrupts off on one processor.
const cell = memory.data(8, 8);

/** The u32 at a component's absolute `address`, or -1 (as i64) when reading it faults. */
export function readUserU32(address: u64): i64 {
  if (!readUser(cell, address, 4)) return -1;
  return <i64>load<u32>(cell);
}

const ZERO_BYTES: i32 = 256;
const zeros = memory.data(ZERO_BYTES, 8);

/** Zeroes `length` bytes of a component's memory at absolute `destination`: false on a fault. */
export function zeroUser(destination: u64, length: u64): bool {
  let at: u64 = 0;
  while (at < length) {
    const step = length - at < <u64>ZERO_BYTES ? length - at : <u64>ZERO_BYTES;
    if (!copyUser(destination + at, <u64>absolute(zeros), step)) return false;
    at += step;
  }
  return true;
}
