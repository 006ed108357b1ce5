// The guest: the instance whose exports the runner is calling. The host
// functions (WASI, env) are entered with the runtime's own vmctx, not the
// caller's, so they work on the memory of the instance the runner entered
// last. Every guest pointer is checked against that memory's current length
// before use: a bad pointer is an EFAULT for the program, never a fault in
// the runtime.

import { MemoryInstance } from "../../loader/extern";
import { Instance } from "../../loader/instance";
import { copyOut, load32, load64, load8, store32, store64, store8 } from "./native";

let memory: MemoryInstance | null = null;

export function enterGuest(instance: Instance): void {
  memory = instance.memory;
}

/** Whether [pointer, pointer + length) lies inside the guest's memory. */
export function inGuest(pointer: u32, length: u64): bool {
  const current = memory;
  if (current == null) return false;
  return <u64>pointer + length <= current.length;
}

/** The absolute address of a guest pointer (check it with inGuest first). */
export function guestAddress(pointer: u32): i64 {
  return <i64>memory!.base + <i64>pointer;
}

export function guestLoad8(pointer: u32): u32 { return <u32>load8(guestAddress(pointer)) & 0xff; }
export function guestLoad32(pointer: u32): u32 { return <u32>load32(guestAddress(pointer)); }
export function guestLoad64(pointer: u32): u64 { return <u64>load64(guestAddress(pointer)); }
export function guestStore8(pointer: u32, value: u32): void { store8(guestAddress(pointer), <i32>value); }
export function guestStore16(pointer: u32, value: u32): void {
  store8(guestAddress(pointer), <i32>(value & 0xff));
  store8(guestAddress(pointer + 1), <i32>((value >> 8) & 0xff));
}
export function guestStore32(pointer: u32, value: u32): void { store32(guestAddress(pointer), <i32>value); }
export function guestStore64(pointer: u32, value: u64): void { store64(guestAddress(pointer), <i64>value); }

/**
 * An AssemblyScript string in guest memory (UTF-16, byte length in the
 * u32 before it), or `fallback` when the pointer is null or out of range.
 */
export function guestString(pointer: u32, fallback: string): string {
  if (pointer < 4 || !inGuest(pointer - 4, 4)) return fallback;
  let bytes = guestLoad32(pointer - 4);
  if (bytes > 65536) bytes = 65536;
  if (!inGuest(pointer, <u64>bytes)) return fallback;
  const local = new ArrayBuffer(<i32>(bytes & ~1));
  copyOut(changetype<usize>(local), guestAddress(pointer), <usize>local.byteLength);
  return String.UTF16.decodeUnsafe(changetype<usize>(local), <usize>local.byteLength);
}
