// The runtime services of docs/compiler-abi.md, for Linux: the entry
// trampoline (RT_INVOKE), the trap path (RT_TRAP) and memory.grow
// (RT_MEMORY_GROW). All three follow the System V convention.
//
// The entry trampoline itself, and its frame that the trap path unwinds
// to, are in sdk/compiler/src/link/invoke.ts, shared with the other host.

import {
  MEMORY_BASE, MEMORY_LENGTH, MEMORY_MAX_PAGES, MEMORY_RESERVED, THREAD_TRAP_KIND, THREAD_TRAP_PC,
  THREAD_TRAP_RSP,
} from "../../abi";
import { Alu, Cond, fsAbsolute, mem, memIndex, Reg, Shift } from "../../x64/assembler";
import { Stubs } from "./stubs";
import { emitInvokeTrampoline } from "../invoke";
import { PROT_READ_WRITE, SYS_MPROTECT } from "./system";

/** invoke(code, vmctx, slots, count) -> trap kind (0 when the call returned). */
export function emitInvoke(stubs: Stubs): void {
  emitInvokeTrampoline(stubs.a, stubs.invoke, stubs.invokeReturn);
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
