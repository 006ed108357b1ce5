// Deliberate faults, for test images only (the boot option
// BOOT_OPTION_TEST_FAULTS, images/test.json): once the kernel is ready, a
// key on COM1 triggers one, so that tests/boot can check each report.
//
//   p  a load far past the kernel's memory, inside its guard region: page
//      fault, reported with registers and wasm location, trapped as
//      "out of bounds memory access" and unwound; the kernel goes on
//   u  a wasm `unreachable`: trap, reported, unwound
//   w  unbounded recursion: the wasm stack check traps ("call stack
//      exhausted") before the guard page
//   s  the same with the stack limit removed: a native stack overflow into
//      the main stack's guard page, caught on the page-fault IST stack
//   b  a breakpoint (int3): reported, execution continues
//   d  a double fault (a page fault whose IST stack is unmapped): reported
//      on the double-fault IST stack; the machine halts

import { THREAD_STACK_LIMIT } from "../../sdk/compiler/src/abi";
import * as console from "../console";
import { breakpoint } from "../arch/x86_64/cpu";
import { INFO_OPTIONS, BOOT_OPTION_TEST_FAULTS } from "../arch/x86_64/boot/boot-info";
import { setInterruptStack } from "../arch/x86_64/gdt";
import { boot, link } from "../arch/x86_64/handoff";
import { useInterruptStack, VECTOR_PAGE_FAULT } from "../arch/x86_64/idt";
import { LINK_MAIN_STACK, STACK_GUARD_SIZE } from "../arch/x86_64/link-info";
import { load64, store64, threadBlock } from "../arch/x86_64/native";
import { lastTrapPc, protectedCall, reportTrap } from "../debug/traps";

/** An index far past the kernel's memory but inside its 8 GiB guard reservation. */
const OUT_OF_BOUNDS: usize = 0xf0000000;
/** An IST slot no gate uses otherwise. */
const BROKEN_IST: i32 = 7;

let sink: u64 = 0;

export function testFaultsEnabled(): bool {
  return (<u64>boot(INFO_OPTIONS) & BOOT_OPTION_TEST_FAULTS) != 0;
}

export function announceTestFaults(): void {
  console.line("test faults: keys p (out-of-bounds load), u (unreachable), w (wasm stack exhaustion), s (native stack overflow), b (breakpoint), d (double fault, halts)");
}

function outOfBounds(): void {
  sink = load<u64>(OUT_OF_BOUNDS);
}

function unreachableTrap(): void {
  unreachable();
}

function recurse(depth: u64): u64 {
  if (depth == 0xffffffffffffffff) return 0;
  return recurse(depth + 1) + depth;
}

function wasmStackExhaustion(): void {
  sink = recurse(0);
}

function nativeStackOverflow(): void {
  store64(threadBlock() + THREAD_STACK_LIMIT, 0);
  sink = recurse(0);
}

function doubleFault(): void {
  // Page faults now switch to a stack whose top is the main stack's unmapped guard page:
  // delivering the next one faults again, which the CPU turns into a double fault.
  setInterruptStack(BROKEN_IST, <u64>link(LINK_MAIN_STACK) + <u64>STACK_GUARD_SIZE);
  useInterruptStack(VECTOR_PAGE_FAULT, BROKEN_IST, 0);
  sink = load<u64>(OUT_OF_BOUNDS);
}

function breakpointTrap(): void {
  breakpoint();
}

/** Runs the deliberate fault of `key`; false when the key names none. */
export function runTestFault(key: i32): bool {
  let f: () => void;
  let name: string;
  switch (key) {
    case 0x70: f = outOfBounds; name = "p (out-of-bounds load)"; break;
    case 0x75: f = unreachableTrap; name = "u (unreachable)"; break;
    case 0x77: f = wasmStackExhaustion; name = "w (wasm stack exhaustion)"; break;
    case 0x73: f = nativeStackOverflow; name = "s (native stack overflow)"; break;
    case 0x62: f = breakpointTrap; name = "b (breakpoint)"; break;
    case 0x64: f = doubleFault; name = "d (double fault)"; break;
    default: return false;
  }
  console.begin();
  console.text("test fault ");
  console.text(name);
  console.end();
  const limit = load64(threadBlock() + THREAD_STACK_LIMIT);
  const kind = protectedCall(f);
  store64(threadBlock() + THREAD_STACK_LIMIT, limit);
  if (kind != 0) reportTrap(kind, lastTrapPc());
  console.begin();
  console.text("test fault ");
  console.text(name);
  if (kind != 0) {
    console.text(": recovered from trap kind ");
    console.decimal(<u64>kind);
  } else {
    console.text(": returned");
  }
  console.end();
  return true;
}
