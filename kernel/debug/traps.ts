// Protected calls and trap reports. A protected call enters a kernel
// function through the link's invoke, so that a trap in it — a wasm trap,
// or a fault the exception handler turns into one — unwinds back to the
// call instead of ending the kernel. It is what a component call will be;
// for now the deliberate test faults use it.

import { THREAD_TRAP_PC } from "../../sdk/compiler/src/abi";
import { trapMessage } from "../../sdk/compiler/src/traps";
import * as console from "../console";
import { codeOf, link } from "../arch/x86_64/handoff";
import { LINK_VMCTX } from "../arch/x86_64/link-info";
import { absolute, invoke, load64, threadBlock } from "../arch/x86_64/native";
import { printLocation } from "./locations";

const noSlots = memory.data(16, 16);

/** Calls `f` so that a trap in it comes back here: the trap kind, 0 when it returned. */
export function protectedCall(f: () => void): i32 {
  const shadowStack = __stack_pointer;
  const kind = invoke(codeOf(f.index), link(LINK_VMCTX), absolute(noSlots), 0);
  // A trap skipped the epilogues that give back AssemblyScript's shadow stack.
  if (kind != 0) __stack_pointer = shadowStack;
  return kind;
}

/** The pc of the last trap of this thread (the trap path records it in the thread block). */
export function lastTrapPc(): u64 {
  return <u64>load64(threadBlock() + THREAD_TRAP_PC);
}

/** `trap: MESSAGE at pc 0x... in wasm function F (NAME) at wasm offset 0xW`. */
export function reportTrap(kind: i32, pc: u64): void {
  console.begin();
  console.text("trap: ");
  console.text(trapMessage(kind));
  console.text(" at pc ");
  console.hex(pc);
  printLocation(pc);
  console.end();
}
