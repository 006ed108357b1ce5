// CPU exceptions (vectors 0-31): the report on COM1 — vector and name,
// error code, the faulting address for page faults, every register, and
// where the pc is in wasm terms — and what happens next:
//
//  - a page fault in the guard region of the kernel's linear memory from
//    compiled code is the wasm trap "out of bounds memory access", and a
//    page fault in a stack's guard page is a stack overflow ("call stack
//    exhausted"): both unwind the interrupted thread to its innermost
//    protected call (the stubs rewrite the frame to enter the trap path);
//  - an exception in a component's code, or a kernel stack overflow on a
//    component's thread, is a trap of that component (component/end.ts):
//    it unwinds to the kernel's call into the component, which ends it;
//  - an NMI, and a breakpoint in the kernel's code, are reported and
//    execution continues; a breakpoint in component code (the int3
//    padding between its functions included) is a trap of that component;
//  - anything else (a double fault included) is a kernel bug: reported,
//    then the machine halts.
//
// Components live in layers above arch/: what this file needs to know of
// them — whether a pc is component code, what an exception there becomes
// — main registers at boot (setComponentExceptions). Until then no code is
// a component's, and every exception is the kernel's.

import { GUARD_RESERVATION, MEMORY_BASE, TrapKind } from "../../../sdk/compiler/src/abi";
import * as console from "../../console";
import { isKernelCode, printLocation } from "../../debug/locations";
import { readCr2, readCr3 } from "./cpu";
import { link } from "./handoff";
import {
  FRAME_CS, FRAME_ERROR_CODE, FRAME_R10, FRAME_R11, FRAME_R12, FRAME_R13, FRAME_R14, FRAME_R15, FRAME_R8, FRAME_R9,
  FRAME_RAX, FRAME_RBP, FRAME_RBX, FRAME_RCX, FRAME_RDI, FRAME_RDX, FRAME_RFLAGS, FRAME_RIP, FRAME_RSI, FRAME_RSP,
  FRAME_SS, IST_COUNT, IST_STACK_SIZE, LINK_COPY_CHECKED_END, LINK_COPY_CHECKED_FIXUP, LINK_COPY_CHECKED_START, LINK_IST_STACKS, LINK_MAIN_STACK,
  LINK_MEMORY_OBJECT, STACK_GUARD_SIZE,
  vectorHasErrorCode,
} from "./link-info";
import { load64, store64 } from "./native";

function noComponentCode(pc: u64): bool { return false; }
function noComponentException(vector: i32, rip: u64, address: u64): i32 { return -1; }

let isComponentCode: (pc: u64) => bool = noComponentCode;
let classifyComponentException: (vector: i32, rip: u64, address: u64) => i32 = noComponentException;

/**
 * Registers what components make of exceptions: `isCode`, whether a pc is
 * in a component's code; `classify`, the trap kind an exception (vector,
 * pc, faulting address of a page fault) becomes for the running
 * component's thread, or -1 when it is not the component's (a kernel bug).
 */
export function setComponentExceptions(isCode: (pc: u64) => bool, classify: (vector: i32, rip: u64, address: u64) => i32): void {
  isComponentCode = isCode;
  classifyComponentException = classify;
}

export const BREAKPOINT: i32 = 3;
export const NMI: i32 = 2;
export const DOUBLE_FAULT: i32 = 8;
export const PAGE_FAULT: i32 = 14;

const NAMES: StaticArray<string> = [
  "divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow", "bound range exceeded",
  "invalid opcode", "device not available", "double fault", "coprocessor segment overrun", "invalid TSS",
  "segment not present", "stack-segment fault", "general protection fault", "page fault", "reserved",
  "x87 floating-point error", "alignment check", "machine check", "SIMD floating-point error",
  "virtualization exception", "control protection exception", "reserved", "reserved", "reserved", "reserved",
  "reserved", "reserved", "hypervisor injection", "VMM communication", "security exception", "reserved",
];

/** Exceptions being handled right now: a fault while reporting one must not loop. */
let depth: i32 = 0;

function register(frame: i64, name: string, field: i32): void {
  console.text("  ");
  console.text(name);
  console.text(" ");
  console.hex(<u64>load64(frame + field), 16);
}

/** Which stack's guard page `address` is in: "main", "IST n", or "" for none. */
function guardPageOf(address: u64): string {
  const main = <u64>link(LINK_MAIN_STACK);
  if (address >= main && address - main < <u64>STACK_GUARD_SIZE) return "the main stack";
  const ist = <u64>link(LINK_IST_STACKS);
  for (let i = 0; i < IST_COUNT; i++) {
    const guard = ist + <u64>(i * (STACK_GUARD_SIZE + IST_STACK_SIZE));
    if (address >= guard && address - guard < <u64>STACK_GUARD_SIZE) return "an interrupt stack";
  }
  return "";
}

function printPageFaultCause(error: u64): void {
  console.text((error & 1) != 0 ? "protection violation" : "not present");
  console.text((error & 2) != 0 ? ", write" : ", read");
  if ((error & 16) != 0) console.text(", instruction fetch");
  if ((error & 8) != 0) console.text(", reserved bit set");
  console.text((error & 4) != 0 ? ", user" : ", supervisor");
}

function report(frame: i64, vector: i32): void {
  const error = <u64>load64(frame + FRAME_ERROR_CODE);
  const rip = <u64>load64(frame + FRAME_RIP);
  console.begin();
  console.text("exception ");
  console.decimal(<u64>vector);
  console.text(" (");
  console.text(NAMES[vector]);
  console.text(")");
  if (vectorHasErrorCode(vector)) {
    console.text(", error code ");
    console.hex(error);
    if (vector == PAGE_FAULT) {
      console.text(" (");
      printPageFaultCause(error);
      console.text("), address ");
      console.hex(<u64>readCr2());
    }
  }
  console.end();
  console.begin();
  console.text("  at rip ");
  console.hex(rip);
  printLocation(rip);
  console.end();
  console.begin();
  register(frame, "rax", FRAME_RAX); register(frame, "rbx", FRAME_RBX); register(frame, "rcx", FRAME_RCX); register(frame, "rdx", FRAME_RDX);
  console.end();
  console.begin();
  register(frame, "rsi", FRAME_RSI); register(frame, "rdi", FRAME_RDI); register(frame, "rbp", FRAME_RBP); register(frame, "rsp", FRAME_RSP);
  console.end();
  console.begin();
  register(frame, "r8 ", FRAME_R8); register(frame, "r9 ", FRAME_R9); register(frame, "r10", FRAME_R10); register(frame, "r11", FRAME_R11);
  console.end();
  console.begin();
  register(frame, "r12", FRAME_R12); register(frame, "r13", FRAME_R13); register(frame, "r14", FRAME_R14); register(frame, "r15", FRAME_R15);
  console.end();
  console.begin();
  register(frame, "rflags", FRAME_RFLAGS);
  console.text("  cs ");
  console.hex(<u64>load64(frame + FRAME_CS));
  console.text("  ss ");
  console.hex(<u64>load64(frame + FRAME_SS));
  console.text("  cr3 ");
  console.hex(<u64>readCr3());
  console.end();
}

/**
 * A page fault inside RT_COPY_CHECKED (the kernel copying to or from memory
 * a component controls) is no exception to report: the copy returns the
 * faulting address to its caller, which refuses the call or blames the
 * component (kernel/component/copy.ts). True when `frame` was redirected.
 */
function fixUpCheckedCopy(frame: i64, vector: i32): bool {
  if (vector != PAGE_FAULT) return false;
  const rip = <u64>load64(frame + FRAME_RIP);
  if (rip < <u64>link(LINK_COPY_CHECKED_START) || rip >= <u64>link(LINK_COPY_CHECKED_END)) return false;
  const address = readCr2();
  const write = (load64(frame + FRAME_ERROR_CODE) & 2) != 0;
  store64(frame + FRAME_RIP, link(LINK_COPY_CHECKED_FIXUP));
  store64(frame + FRAME_RAX, (address != 0 ? address : 1) | (write ? COPY_FAULT_WRITE : 0));
  return true;
}

/** Set in what RT_COPY_CHECKED returns when the faulting access was a write (addresses are below 2^47). */
export const COPY_FAULT_WRITE: i64 = <i64>1 << 63;

/** Handles exception `vector`: the trap kind to unwind with, or 0 to continue. Halts on what cannot go on. */
export function handleException(frame: i64, vector: i32): i32 {
  if (fixUpCheckedCopy(frame, vector)) return 0;
  if (++depth > 2) {
    console.line("exception while reporting an exception; halted");
    console.halt();
  }
  report(frame, vector);
  let action: i32 = -1;
  const rip = <u64>load64(frame + FRAME_RIP);
  if (vector == NMI || (vector == BREAKPOINT && !isComponentCode(rip))) {
    // The kernel's own breakpoints (x86.breakpoint) are reported and go on; one in component code is a trap below.
    console.line("  continuing");
    action = 0;
  } else if (vector == PAGE_FAULT && depth == 1) {
    const address = <u64>readCr2();
    const memory = link(LINK_MEMORY_OBJECT);
    const base = <u64>load64(memory + MEMORY_BASE);
    const stack = guardPageOf(address);
    if (isKernelCode(rip) && address >= base && address - base < GUARD_RESERVATION) {
      console.begin();
      console.text("  out of bounds access of the kernel's memory at index ");
      console.hex(address - base);
      console.text(": trap, unwinding to the innermost protected call");
      console.end();
      action = TrapKind.MemoryOutOfBounds;
    } else if (stack.length > 0) {
      console.begin();
      console.text("  stack overflow into the guard page of ");
      console.text(stack);
      console.text(": trap, unwinding to the innermost protected call");
      console.end();
      action = TrapKind.StackExhausted;
    }
  }
  if (action < 0 && depth == 1) action = classifyComponentException(vector, rip, vector == PAGE_FAULT ? <u64>readCr2() : 0);
  depth--;
  if (action < 0) {
    console.line("halted");
    console.halt();
  }
  return action;
}
