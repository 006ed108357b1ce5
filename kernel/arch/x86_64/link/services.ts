// The kernel's runtime services (docs/compiler-abi.md, "Runtime services"),
// native code following System V: the entry trampoline (RT_INVOKE), the trap
// path (RT_TRAP), memory.grow (RT_MEMORY_GROW) and the fault-tolerant copy
// (RT_COPY_CHECKED), plus the start of a new context. Components the kernel loads share them (their vmctx points to
// the same table). They play the part the linux runtime's stubs play on
// Linux; what differs is that memory.grow is the kernel's own wasm code (growMemory),
// entered through invoke, and that a trap with no protected call to return
// to cannot end a process: it is reported on COM1 and the machine halts.
//
// The entry trampoline itself, and its frame that the trap path unwinds
// to, are in sdk/compiler/src/link/invoke.ts, shared with the other host.

import {
  THREAD_TRAP_KIND, THREAD_TRAP_PC, THREAD_TRAP_RSP,
} from "../../../../sdk/compiler/src/abi";
import { Cond, Reg, Shift, fsAbsolute, mem, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { KernelLink } from "./context";
import { emitInvokeTrampoline } from "../../../../sdk/compiler/src/link/invoke";

/** invoke(code, vmctx, slots, count) -> trap kind (0 when the call returned). */
export function emitInvoke(k: KernelLink): void {
  emitInvokeTrampoline(k.c.p.asm, k.invoke, k.invokeReturn);
}

/**
 * trap(kind, pc): records both in the thread block and returns `kind` from
 * the innermost invoke. With none to return to, reports on COM1 and halts.
 */
export function emitTrap(k: KernelLink): void {
  const c = k.c;
  const a = c.p.asm;
  const outside = a.newLabel();
  a.align(16);
  a.bind(k.trap);
  a.store(8, fsAbsolute(THREAD_TRAP_KIND), Reg.RDI);
  a.store(8, fsAbsolute(THREAD_TRAP_PC), Reg.RSI);
  a.load(8, Reg.RAX, fsAbsolute(THREAD_TRAP_RSP));
  a.test(8, Reg.RAX, Reg.RAX);
  a.jcc(Cond.E, outside);
  a.mov(8, Reg.RSP, Reg.RAX);
  a.mov(4, Reg.RAX, Reg.RDI);
  a.jmp(k.invokeReturn);
  a.bind(outside);
  a.lea(8, Reg.RSP, memLabel(k.fatalStackTop));
  a.mov(8, Reg.RBX, Reg.RDI);
  a.mov(8, Reg.R12, Reg.RSI);
  c.log("\nkernel: trap outside any protected call: kind ");
  c.logValue(Reg.RBX, false);
  c.log(" at pc ");
  c.logValue(Reg.R12, true);
  c.log("\nkernel: halted\n");
  a.jmp(c.halt);
}

/**
 * memoryGrow(memoryObject, deltaPages) -> old pages or -1: the kernel's
 * growMemory(memoryObject, deltaPages) maps the pages (kernel/memory/heap.ts
 * for the kernel's own memory, kernel/component/memory.ts for a
 * component's); a trap in it counts as a failure. The interrupt flag is
 * the caller's again on both ways out (growMemory turns interrupts off
 * for a component's memory; a trap leaves them so).
 */
export function emitMemoryGrow(k: KernelLink): void {
  const a = k.c.p.asm;
  const failed = a.newLabel();
  a.align(16);
  a.bind(k.memoryGrow);
  a.pushf();
  a.subImm(8, Reg.RSP, 16);
  a.store(8, mem(Reg.RSP), Reg.RDI);
  a.store(8, mem(Reg.RSP, 8), Reg.RSI);
  a.lea(8, Reg.RDI, memLabel(k.functionLabel(<u32>k.growMemory)));
  a.lea(8, Reg.RSI, memLabel(k.vmctx));
  a.mov(8, Reg.RDX, Reg.RSP);
  a.movImm(4, Reg.RCX, 2);
  a.call(k.invoke);
  a.test(4, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, failed);
  a.loadSignExtend(8, 4, Reg.RAX, mem(Reg.RSP));
  a.addImm(8, Reg.RSP, 16);
  a.popf();
  a.ret();
  a.bind(failed);
  a.movImm(8, Reg.RAX, -1);
  a.addImm(8, Reg.RSP, 16);
  a.popf();
  a.ret();
}

/**
 * Where a new context starts (switch_context jumps here): rsp 16-byte
 * aligned, pointing at the code of a wasm function `(i64) -> ()` and its
 * argument. The function runs through invoke; it must never return (a
 * thread ends by switching away for good), so a return is reported.
 */
export function emitThreadStart(k: KernelLink): void {
  const c = k.c;
  const a = c.p.asm;
  a.align(16);
  a.bind(k.threadStart);
  a.load(8, Reg.RDI, mem(Reg.RSP));
  a.lea(8, Reg.RDX, mem(Reg.RSP, 8));
  a.lea(8, Reg.RSI, memLabel(k.vmctx));
  a.movImm(4, Reg.RCX, 1);
  a.call(k.invoke);
  a.mov(8, Reg.RBX, Reg.RAX);
  c.log("\nkernel: a context's function returned (trap kind ");
  c.logValue(Reg.RBX, false);
  c.log(")\nkernel: halted\n");
  a.jmp(c.halt);
}

/**
 * The start of the range of pcs whose page faults resume at the checked
 * copy's fixup (LINK_COPY_CHECKED_START): what is emitted between it and
 * the copy's end must be code whose only accesses that can fault are
 * stores to or loads from component memory, entered by `call` with nothing
 * pushed since, so that the fixup's `ret` returns to its caller.
 */
export function beginCheckedRange(k: KernelLink): void {
  k.c.p.asm.align(16);
  k.c.p.asm.bind(k.checkedStart);
}

/**
 * copyChecked(destination, source, length) -> 0, or the address whose page
 * fault stopped the copy: quadwords, then the last 0-7 bytes, upwards. The
 * one way the kernel touches memory a component controls (docs/kernel.md,
 * "Component memory"): its two string instructions and, before them in
 * the same range, the native fast path's stores of a receiveInfo
 * (link/fast-path.ts, writeReceiveInfo) are the whole of the kernel's
 * exception table. A page fault at one of them resumes at the fixup with
 * rax the faulting address (never 0: nothing is mapped there), set by the
 * exception handler; part of the bytes may have been copied.
 */
export function emitCopyChecked(k: KernelLink): void {
  const a = k.c.p.asm;
  a.align(16);
  a.bind(k.copyChecked);
  // copyUpward's steps with the length already in rdx, where it keeps it: one move fewer on every message copy.
  a.mov(8, Reg.RCX, Reg.RDX);
  a.shiftImm(Shift.SHR, 8, Reg.RCX, 3);
  a.repMovsq();
  a.mov(4, Reg.RCX, Reg.RDX);
  a.andImm(4, Reg.RCX, 7);
  a.repMovsb();
  a.bind(k.copyCheckedEnd);
  a.xor(4, Reg.RAX, Reg.RAX);
  a.bind(k.copyCheckedFixup);
  a.ret();
}
