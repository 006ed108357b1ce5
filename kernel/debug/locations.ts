// Where a native pc is in wasm terms: the kernel function whose compiled
// code holds it (the link's function table), the wasm byte offset of the
// instruction (the pc map: the last entry at or before the pc, when it
// belongs to the same function; exact for every instruction that can trap
// or fault), and the function's name (the link's name table, from the
// kernel wasm's name section). Reads only the link's read-only tables, so
// it is safe in any fault handler. A pc in component code is described by
// the component layer (component/locate.ts), which main registers at boot
// (setComponentLocator): debug/ imports nothing above arch/.

import * as console from "../console";
import { link } from "../arch/x86_64/handoff";
import {
  LINK_CODE, LINK_CODE_SIZE, LINK_FIRST_FUNCTION, LINK_FUNCTIONS, LINK_FUNCTION_COUNT, LINK_NAMES, LINK_NAME_BYTES,
  LINK_PC_MAP, LINK_PC_MAP_COUNT,
} from "../arch/x86_64/link-info";
import { load32, load8 } from "../arch/x86_64/native";

function noComponentLocation(pc: u64): bool { return false; }

let printComponentLocation: (pc: u64) => bool = noComponentLocation;

/** Registers `print`: prints where a pc in component code is and returns true, or returns false for any other pc. */
export function setComponentLocator(print: (pc: u64) => bool): void {
  printComponentLocation = print;
}

export function isKernelCode(pc: u64): bool {
  const code = <u64>link(LINK_CODE);
  return pc >= code && pc - code < <u64>link(LINK_CODE_SIZE);
}

/** The function index whose code holds code offset `offset`, or -1. */
export function functionAt(offset: u32): i32 {
  const table = link(LINK_FUNCTIONS);
  let low = 0, high = <i32>link(LINK_FUNCTION_COUNT) - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const start = <u32>load32(table + <i64>(8 * middle));
    if (offset < start) { high = middle - 1; continue; }
    if (offset - start < <u32>load32(table + <i64>(8 * middle + 4))) return <i32>link(LINK_FIRST_FUNCTION) + middle;
    low = middle + 1;
  }
  return -1;
}

/** Index of the last pc map entry at or before code offset `offset`, or -1. */
function pcEntryAt(offset: u32): i32 {
  const map = link(LINK_PC_MAP);
  let low = 0, high = <i32>link(LINK_PC_MAP_COUNT) - 1, found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (<u32>load32(map + <i64>(12 * middle)) <= offset) { found = middle; low = middle + 1; }
    else high = middle - 1;
  }
  return found;
}

function pcEntryNative(entry: i32): u32 { return <u32>load32(link(LINK_PC_MAP) + <i64>(12 * entry)); }
function pcEntryFunction(entry: i32): i32 { return load32(link(LINK_PC_MAP) + <i64>(12 * entry + 4)); }
function pcEntryWasm(entry: i32): u32 { return <u32>load32(link(LINK_PC_MAP) + <i64>(12 * entry + 8)); }

/** The wasm offset of the last pc map entry at or before `offset` in function `funcIndex`, or -1. */
export function wasmOffsetAt(offset: u32, funcIndex: i32): i64 {
  const entry = pcEntryAt(offset);
  if (entry < 0 || pcEntryFunction(entry) != funcIndex) return -1;
  return <i64>pcEntryWasm(entry);
}

/** Prints the function's name, if the link has one. */
export function printFunctionName(funcIndex: i32): bool {
  const entry = link(LINK_NAMES) + <i64>(8 * funcIndex);
  const length = load32(entry + 4);
  if (length == 0) return false;
  const text = link(LINK_NAME_BYTES) + <i64><u32>load32(entry);
  for (let i = 0; i < length; i++) {
    const character = load8(text + <i64>i) & 0xff;
    console.character(character >= 0x20 && character < 0x7f ? character : 0x3f);
  }
  return true;
}

/**
 * Prints ` in wasm function F (NAME) at offset 0xW` for a pc in the kernel's
 * compiled code (`, no pc map entry` when the offset is unknown), or
 * for component code where in which component (the registered locator), or
 * ` outside the kernel's compiled code`.
 */
export function printLocation(pc: u64): void {
  if (!isKernelCode(pc)) {
    if (!printComponentLocation(pc)) console.text(" outside the kernel's compiled code");
    return;
  }
  const offset = <u32>(pc - <u64>link(LINK_CODE));
  // A trap's pc is the return address of its trap stub's call, which the pc
  // map lists exactly; it may lie just past the function's code.
  const exact = pcEntryAt(offset);
  const funcIndex = exact >= 0 && pcEntryNative(exact) == offset ? pcEntryFunction(exact) : functionAt(offset);
  if (funcIndex < 0) {
    console.text(" in the kernel's code at offset ");
    console.hex(<u64>offset);
    console.text(" (between functions)");
    return;
  }
  console.text(" in wasm function ");
  console.decimal(<u64>funcIndex);
  console.text(" (");
  if (!printFunctionName(funcIndex)) console.text("no name");
  console.text(")");
  const wasmOffset = wasmOffsetAt(offset, funcIndex);
  if (wasmOffset >= 0) {
    console.text(" at wasm offset ");
    console.hex(<u64>wasmOffset);
  } else {
    console.text(", no pc map entry");
  }
}
