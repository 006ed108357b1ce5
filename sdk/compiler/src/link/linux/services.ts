// The runtime services of docs/compiler-abi.md, for Linux: the entry
// trampoline (RT_INVOKE), the trap path (RT_TRAP) and memory.grow
// (RT_MEMORY_GROW). All three follow the System V convention.
//
// invoke's frame, which the trap path unwinds to:
//
//   rbp + 8     return address
//   rbp         saved rbp
//   rbp - 8..40 saved rbx, r12, r13, r14, r15
//   rbp - 48    the previous THREAD_TRAP_RSP (so invokes nest)
//   rbp - 56    slots
//   rbp - 64    count            <- THREAD_TRAP_RSP points here
//   below       the callee's argument/result slots

import {
  MEMORY_BASE, MEMORY_LENGTH, MEMORY_MAX_PAGES, MEMORY_RESERVED, THREAD_TRAP_KIND, THREAD_TRAP_PC,
  THREAD_TRAP_RSP, VMCTX_MEMORY_BASE,
} from "../../abi";
import { Alu, Cond, fsAbsolute, mem, memIndex, memScaled, Reg, Shift } from "../../x64/assembler";
import { Stubs } from "./stubs";
import { PROT_READ_WRITE, SYS_MPROTECT } from "./system";

const FRAME_COUNT: i32 = -64;
const FRAME_SLOTS: i32 = -56;

/** invoke(code, vmctx, slots, count) -> trap kind (0 when the call returned). */
export function emitInvoke(stubs: Stubs): void {
  const a = stubs.a;
  a.align(16);
  a.bind(stubs.invoke);
  a.push(Reg.RBP);
  a.mov(8, Reg.RBP, Reg.RSP);
  a.push(Reg.RBX);
  a.push(Reg.R12);
  a.push(Reg.R13);
  a.push(Reg.R14);
  a.push(Reg.R15);
  a.pushMem(fsAbsolute(THREAD_TRAP_RSP));
  a.push(Reg.RDX);
  a.mov(4, Reg.RCX, Reg.RCX); // count is an i32: clear the upper half
  a.push(Reg.RCX);
  a.store(8, fsAbsolute(THREAD_TRAP_RSP), Reg.RSP);

  // Reserve the slots, keeping rsp 16-byte aligned, and copy them in.
  a.lea(8, Reg.RAX, memScaled(Reg.RCX, 8, 15));
  a.andImm(8, Reg.RAX, -16);
  a.sub(8, Reg.RSP, Reg.RAX);
  const copyIn = a.newLabel();
  const copiedIn = a.newLabel();
  a.xor(4, Reg.RAX, Reg.RAX);
  a.bind(copyIn);
  a.cmp(8, Reg.RAX, Reg.RCX);
  a.jcc(Cond.AE, copiedIn);
  a.load(8, Reg.R8, memIndex(Reg.RDX, Reg.RAX, 8));
  a.store(8, memIndex(Reg.RSP, Reg.RAX, 8), Reg.R8);
  a.addImm(8, Reg.RAX, 1);
  a.jmp(copyIn);
  a.bind(copiedIn);

  a.mov(8, Reg.R14, Reg.RSI);
  a.load(8, Reg.R15, mem(Reg.R14, VMCTX_MEMORY_BASE));
  a.callReg(Reg.RDI);

  // Copy the results back.
  a.load(8, Reg.RCX, mem(Reg.RBP, FRAME_COUNT));
  a.load(8, Reg.RDX, mem(Reg.RBP, FRAME_SLOTS));
  const copyOut = a.newLabel();
  const copiedOut = a.newLabel();
  a.xor(4, Reg.RAX, Reg.RAX);
  a.bind(copyOut);
  a.cmp(8, Reg.RAX, Reg.RCX);
  a.jcc(Cond.AE, copiedOut);
  a.load(8, Reg.R8, memIndex(Reg.RSP, Reg.RAX, 8));
  a.store(8, memIndex(Reg.RDX, Reg.RAX, 8), Reg.R8);
  a.addImm(8, Reg.RAX, 1);
  a.jmp(copyOut);
  a.bind(copiedOut);
  a.xor(4, Reg.RAX, Reg.RAX);
  a.lea(8, Reg.RSP, mem(Reg.RBP, FRAME_COUNT));

  // Shared with the trap path: rsp at the count slot, eax the result.
  // rbp is not trusted here (a trap may come from anywhere in wasm).
  a.bind(stubs.invokeReturn);
  a.addImm(8, Reg.RSP, 16);
  a.pop(Reg.R8);
  a.store(8, fsAbsolute(THREAD_TRAP_RSP), Reg.R8);
  a.pop(Reg.R15);
  a.pop(Reg.R14);
  a.pop(Reg.R13);
  a.pop(Reg.R12);
  a.pop(Reg.RBX);
  a.pop(Reg.RBP);
  a.ret();
}

/** trap(kind, pc): records both in the thread block and returns `kind` from the innermost invoke. */
export function emitTrap(stubs: Stubs): void {
  const a = stubs.a;
  a.align(16);
  a.bind(stubs.trap);
  a.store(8, fsAbsolute(THREAD_TRAP_KIND), Reg.RDI);
  a.store(8, fsAbsolute(THREAD_TRAP_PC), Reg.RSI);
  a.load(8, Reg.RSP, fsAbsolute(THREAD_TRAP_RSP));
  a.test(8, Reg.RSP, Reg.RSP);
  a.jcc(Cond.E, stubs.fatal("trap outside of any invoke"));
  a.mov(4, Reg.RAX, Reg.RDI);
  a.jmp(stubs.invokeReturn);
}

/**
 * memoryGrow(memoryObject, deltaPages) -> old pages, or -1. Memories are
 * reserved once (inaccessible past their length), so growing makes more of
 * the reservation readable and writable; the base never moves. The same
 * code serves both bounds modes: explicit checks read the length field,
 * guard regions rely on the protection.
 */
export function emitMemoryGrow(stubs: Stubs): void {
  const a = stubs.a;
  const fail = a.newLabel();
  const done = a.newLabel();
  a.align(16);
  a.bind(stubs.memoryGrow);
  a.load(8, Reg.R8, mem(Reg.RDI, MEMORY_LENGTH));
  a.shiftImm(Shift.SHR, 8, Reg.R8, 16);          // r8 = old pages
  a.mov(4, Reg.RSI, Reg.RSI);                     // delta is an unsigned i32
  a.test(8, Reg.RSI, Reg.RSI);
  a.jcc(Cond.E, done);
  a.lea(8, Reg.R9, memIndex(Reg.R8, Reg.RSI, 1)); // r9 = new pages
  a.cmpLoad(8, Reg.R9, mem(Reg.RDI, MEMORY_MAX_PAGES));
  a.jcc(Cond.A, fail);
  a.mov(8, Reg.RAX, Reg.R9);
  a.shiftImm(Shift.SHL, 8, Reg.RAX, 16);
  a.cmpLoad(8, Reg.RAX, mem(Reg.RDI, MEMORY_RESERVED));
  a.jcc(Cond.A, fail);
  a.mov(8, Reg.R10, Reg.RDI);                     // the syscall keeps r8-r10
  a.load(8, Reg.RDI, mem(Reg.R10, MEMORY_BASE));
  a.aluLoad(Alu.ADD, 8, Reg.RDI, mem(Reg.R10, MEMORY_LENGTH));
  a.shiftImm(Shift.SHL, 8, Reg.RSI, 16);
  a.movImm(4, Reg.RDX, PROT_READ_WRITE);
  a.movImm(4, Reg.RAX, SYS_MPROTECT);
  a.syscall();
  a.test(8, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, fail);
  a.mov(8, Reg.RAX, Reg.R9);
  a.shiftImm(Shift.SHL, 8, Reg.RAX, 16);
  a.store(8, mem(Reg.R10, MEMORY_LENGTH), Reg.RAX);
  a.bind(done);
  a.mov(8, Reg.RAX, Reg.R8);
  a.ret();
  a.bind(fail);
  a.movImm(8, Reg.RAX, -1);
  a.ret();
}
