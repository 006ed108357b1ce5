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
  THREAD_STACK_LIMIT, THREAD_TRAP_KIND, THREAD_TRAP_PC, THREAD_TRAP_RSP, TrapKind,
} from "../../../../sdk/compiler/src/abi";
import { Cond, Reg, Shift, fsAbsolute, mem, memLabel, memScaled } from "../../../../sdk/compiler/src/x64/assembler";
import { STACK_GROW_ROOM } from "../link-info";
import { FLOAT_PARAM_REGISTERS, INT_PARAM_REGISTERS } from "../../../../sdk/compiler/src/generate/convention";
import { KernelLink } from "./context";
import { emitInvokeTrampoline } from "../../../../sdk/compiler/src/link/invoke";

/** What the entry trampoline pushes besides the slots (its frame), and a little more. */
const INVOKE_FRAME: i32 = 96;

/**
 * invoke(code, vmctx, slots, count) -> trap kind (0 when the call returned).
 * The shared trampoline refuses slots that would reach below the stack
 * limit; in front of it, a stack not all mapped grows first (growStack),
 * so that a call into wasm near the limit is refused only when the stack
 * is mapped to its bottom, as before stacks grew.
 */
export function emitInvoke(k: KernelLink): void {
  const a = k.c.p.asm;
  const trampoline = a.newLabel();
  a.align(16);
  a.bind(k.invoke);
  a.mov(4, Reg.RCX, Reg.RCX); // count is an i32: clear the upper half
  a.lea(8, Reg.RAX, memScaled(Reg.RCX, 8, INVOKE_FRAME));
  a.mov(8, Reg.R8, Reg.RSP);
  a.sub(8, Reg.R8, Reg.RAX);
  a.cmpLoad(8, Reg.R8, fsAbsolute(THREAD_STACK_LIMIT));
  a.jcc(Cond.AE, trampoline);
  a.push(Reg.RDI);
  a.push(Reg.RSI);
  a.push(Reg.RDX);
  a.push(Reg.RCX);
  a.load(8, Reg.RDI, fsAbsolute(THREAD_STACK_LIMIT));
  a.sub(8, Reg.RDI, Reg.R8);
  a.subImm(8, Reg.RSP, 8);
  a.call(k.growStack);
  a.addImm(8, Reg.RSP, 8);
  a.pop(Reg.RCX);
  a.pop(Reg.RDX);
  a.pop(Reg.RSI);
  a.pop(Reg.RDI);
  emitInvokeTrampoline(a, trampoline, k.invokeReturn);
}

/**
 * The first ten bytes of every function (docs/compiler-abi.md, "Stack
 * exhaustion"): `push rbp; mov rbp, rsp; push r14` (as a little-endian
 * qword with the first two bytes of `lea r11, [rsp - FRAME]`), then the
 * rest of the lea's opcode and operand bytes, where the check begins.
 */
const PROLOGUE_HEAD: i64 = 0x8d4c5641e5894855;
const PROLOGUE_LEA_TAIL: i32 = 0x249c;
const PROLOGUE_CHECK_START: i32 = 6;
/**
 * The stack-check thunk's first four bytes: `push rdi; push rsi` (57 56),
 * then the opcode of `mov edi, StackExhausted` (BF) and the immediate's
 * low byte, checked apart with the rest of it.
 */
const STACK_THUNK_HEAD: i32 = 0x09bf5657;
const CALL_REL32: i32 = 0xe8;

/**
 * trap(kind, pc): records both in the thread block and returns `kind` from
 * the innermost invoke. With none to return to, reports on COM1 and halts.
 *
 * Except when a prologue's stack check failed on a thread whose stack is
 * not all mapped yet: then growStack maps more and moves the limit down,
 * and the prologue runs again from its check. The trap path knows such a
 * trap by its pc, the return address of a `call` (E8 rel32) to a thunk
 * that begins `push rdi; push rsi; mov edi, StackExhausted`, right before
 * a function whose first bytes are the prologue's. There `rbp` is the
 * function's frame, `rsp` was `rbp - 8` (after `push r14`), `r11` is the
 * lowest address of its frame, and nothing but `rbp`, `rsp`, `r14`,
 * `r15`, the caller's `rbx`, `r12` and `r13` (callee-saved, not saved
 * yet), the arguments in memory and the register parameters (rdi, rsi,
 * rdx, rcx, xmm0-xmm3: docs/compiler-abi.md; the thunk keeps rdi and rsi
 * at [rbp - 24] and [rbp - 32]) is live: those are kept around the
 * growing and put back before the check runs again.
 */
export function emitTrap(k: KernelLink): void {
  const c = k.c;
  const a = c.p.asm;
  const outside = a.newLabel(), record = a.newLabel(), notGrown = a.newLabel();
  a.align(16);
  a.bind(k.trap);
  // Only rax, r8-r10 and the thunk's rdi and rsi are free here: rdx, rcx
  // and xmm0-xmm3 may hold the function's register parameters.
  a.cmpImm(4, Reg.RDI, TrapKind.StackExhausted);
  a.jcc(Cond.NE, record);
  a.loadZeroExtend(1, Reg.RAX, mem(Reg.RSI, -5));
  a.cmpImm(4, Reg.RAX, CALL_REL32);
  a.jcc(Cond.NE, record);
  // The function: the first 16-byte boundary at or after the stub's end.
  a.lea(8, Reg.RAX, mem(Reg.RSI, 15));
  a.andImm(8, Reg.RAX, -16);
  a.movImm(8, Reg.R8, PROLOGUE_HEAD);
  a.cmpLoad(8, Reg.R8, mem(Reg.RAX));
  a.jcc(Cond.NE, record);
  a.loadZeroExtend(2, Reg.R8, mem(Reg.RAX, 8));
  a.cmpImm(4, Reg.R8, PROLOGUE_LEA_TAIL);
  a.jcc(Cond.NE, record);
  a.loadSignExtend(8, 4, Reg.R8, mem(Reg.RSI, -4));
  a.add(8, Reg.R8, Reg.RSI);
  a.cmpMemImm(4, mem(Reg.R8), STACK_THUNK_HEAD);
  a.jcc(Cond.NE, record);
  a.cmpMemImm(4, mem(Reg.R8, 3), TrapKind.StackExhausted);
  a.jcc(Cond.NE, record);
  // growStack(bytes the limit must go down: limit - r11). rbx and r12
  // hold the caller's values (callee-saved: docs/compiler-abi.md) until
  // the prologue saves them, and the parameter registers of a direct call
  // (generate/convention.ts) the function's parameters, rdi and rsi in
  // the thunk's slots below the return address, so the others are kept on
  // the stack meanwhile.
  a.push(Reg.RBX);
  a.push(Reg.R12);
  const kept: Reg[] = [];
  for (let i = 0; i < INT_PARAM_REGISTERS.length; i++) {
    const reg = <Reg>INT_PARAM_REGISTERS[i];
    if (reg != Reg.RDI && reg != Reg.RSI) { a.push(reg); kept.push(reg); }
  }
  // The float ones below, rsp 16-byte aligned at the call (8 mod 16 here at entry).
  const floats = FLOAT_PARAM_REGISTERS.length;
  const area = 8 * floats + (((2 + kept.length + floats) & 1) == 0 ? 8 : 0);
  a.subImm(8, Reg.RSP, area);
  for (let x = 0; x < floats; x++) a.storeFloat(8, mem(Reg.RSP, 8 * x), FLOAT_PARAM_REGISTERS[x]);
  a.mov(8, Reg.RBX, Reg.RSI);
  a.lea(8, Reg.R12, mem(Reg.RAX, PROLOGUE_CHECK_START));
  a.load(8, Reg.RDI, fsAbsolute(THREAD_STACK_LIMIT));
  a.sub(8, Reg.RDI, Reg.R11);
  a.call(k.growStack);
  a.test(4, Reg.RAX, Reg.RAX);
  a.jcc(Cond.E, notGrown);
  for (let x = 0; x < floats; x++) a.loadFloat(8, FLOAT_PARAM_REGISTERS[x], mem(Reg.RSP, 8 * x));
  for (let k = 0; k < kept.length; k++) a.load(8, kept[k], mem(Reg.RSP, area + 8 * (kept.length - 1 - k)));
  a.load(8, Reg.RDI, mem(Reg.RBP, -24));
  a.load(8, Reg.RSI, mem(Reg.RBP, -32));
  // r11 is free: the prologue computes it again from its check on.
  a.mov(8, Reg.R11, Reg.R12);
  a.load(8, Reg.R12, mem(Reg.RSP, area + 8 * kept.length));
  a.load(8, Reg.RBX, mem(Reg.RSP, area + 8 * kept.length + 8));
  a.lea(8, Reg.RSP, mem(Reg.RBP, -8));
  a.jmpReg(Reg.R11);
  a.bind(notGrown);
  a.movImm(4, Reg.RDI, TrapKind.StackExhausted);
  a.mov(8, Reg.RSI, Reg.RBX);

  a.bind(record);
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
 * Calls the kernel's wasm function `funcIndex` through invoke with two
 * slots at rsp (16 bytes the caller reserved), `first` and `second`:
 * eax is the trap kind (0: it returned), its result is in the first slot.
 */
function invokeKernel(k: KernelLink, funcIndex: i32, first: Reg, second: Reg): void {
  const a = k.c.p.asm;
  a.store(8, mem(Reg.RSP), first);
  a.store(8, mem(Reg.RSP, 8), second);
  a.lea(8, Reg.RDI, memLabel(k.functionLabel(<u32>funcIndex)));
  a.lea(8, Reg.RSI, memLabel(k.vmctx));
  a.mov(8, Reg.RDX, Reg.RSP);
  a.movImm(4, Reg.RCX, 2);
  a.call(k.invoke);
}

/**
 * growStack(bytes) -> 1 when the running thread's stack limit moved down by
 * at least `bytes` (its stack grown), 0 when not: the kernel's
 * growStack(limit, bytes) (sched/threads.ts) maps the pages and says where
 * the limit goes. It runs with interrupts off and STACK_GROW_ROOM below
 * the limit; a trap in it counts as 0. Preserves rbx, rbp and r12-r15.
 */
export function emitGrowStack(k: KernelLink): void {
  const a = k.c.p.asm;
  const failed = a.newLabel(), done = a.newLabel();
  a.align(16);
  a.bind(k.growStack);
  if (k.growStackFunction < 0) {
    // A kernel without growStack: no stack grows, the trap path traps as it did.
    a.xor(4, Reg.RAX, Reg.RAX);
    a.ret();
    return;
  }
  a.pushf();
  a.cli();
  a.push(Reg.RBX);
  a.push(Reg.R12);
  a.load(8, Reg.RBX, fsAbsolute(THREAD_STACK_LIMIT));
  a.lea(8, Reg.RAX, mem(Reg.RBX, -STACK_GROW_ROOM));
  a.store(8, fsAbsolute(THREAD_STACK_LIMIT), Reg.RAX);
  a.subImm(8, Reg.RSP, 16);
  invokeKernel(k, k.growStackFunction, Reg.RBX, Reg.RDI);
  a.load(8, Reg.R12, mem(Reg.RSP));
  a.addImm(8, Reg.RSP, 16);
  a.test(4, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, failed);
  a.test(8, Reg.R12, Reg.R12);
  a.jcc(Cond.E, failed);
  a.store(8, fsAbsolute(THREAD_STACK_LIMIT), Reg.R12);
  a.movImm(4, Reg.RAX, 1);
  a.jmp(done);
  a.bind(failed);
  a.store(8, fsAbsolute(THREAD_STACK_LIMIT), Reg.RBX);
  a.xor(4, Reg.RAX, Reg.RAX);
  a.bind(done);
  a.pop(Reg.R12);
  a.pop(Reg.RBX);
  a.popf();
  a.ret();
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
  invokeKernel(k, k.growMemory, Reg.RDI, Reg.RSI);
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
