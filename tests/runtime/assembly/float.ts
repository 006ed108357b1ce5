// Test program for the runtime's float printing (sdk/runtime/linux/float.ts),
// run in V8 by tests/runtime/float.test.ts against JavaScript's own printing.

import { formatF32, formatF64 } from "../../../sdk/runtime/linux/float";

let text = new ArrayBuffer(0);

export function printF64(bits: u64): i32 {
  text = String.UTF8.encode(formatF64(bits));
  return text.byteLength;
}

export function printF32(bits: u32): i32 {
  text = String.UTF8.encode(formatF32(bits));
  return text.byteLength;
}

export function textPtr(): usize { return changetype<usize>(text); }
