// The kernel's entry, called by the boot stub with the boot info in rdi on
// the firmware's stack: records the TSC, moves to the kernel's main stack
// and thread block, runs the module's initialisation and then
// main(bootInfo, linkInfo), each through invoke. main never returns; if it
// traps, fatalTrap(kind, pc) reports where (it has the pc map) and halts.
// Whatever cannot be reported in wasm is reported here, on COM1, with the
// boot stub's routines.

import { THREAD_TRAP_PC } from "../../../../sdk/compiler/src/abi";
import { Cond, Label, Reg, Shift, fsAbsolute, mem, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { LINK_ENTRY_TSC, MAIN_STACK_SIZE, STACK_GUARD_SIZE } from "../link-info";
import { KernelLink } from "./context";

/** invoke(function, vmctx, callSlots, count); jumps to `trapped` with the kind in eax when it traps. */
function callThroughInvoke(k: KernelLink, funcIndex: i32, count: i32, trapped: Label): void {
  const a = k.c.p.asm;
  a.lea(8, Reg.RDI, memLabel(k.functionLabel(<u32>funcIndex)));
  a.lea(8, Reg.RSI, memLabel(k.vmctx));
  a.lea(8, Reg.RDX, memLabel(k.callSlots));
  a.movImm(4, Reg.RCX, count);
  a.call(k.invoke);
  a.test(4, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, trapped);
}

export function emitEntry(k: KernelLink): void {
  const c = k.c;
  const p = c.p;
  const a = p.asm;
  const initTrapped = a.newLabel(), mainTrapped = a.newLabel();
  a.align(16);
  a.bind(k.entry);
  a.rdtsc();
  a.shiftImm(Shift.SHL, 8, Reg.RDX, 32);
  a.or(8, Reg.RAX, Reg.RDX);
  a.lea(8, Reg.RCX, memLabel(k.linkInfo));
  a.store(8, mem(Reg.RCX, LINK_ENTRY_TSC), Reg.RAX);
  a.mov(8, Reg.RBX, Reg.RDI);
  a.lea(8, Reg.RSP, memLabel(p.labelAt(k.mainStack, STACK_GUARD_SIZE + MAIN_STACK_SIZE)));
  a.xor(4, Reg.RBP, Reg.RBP);
  a.lea(8, Reg.RAX, memLabel(k.mainThreadBlock));
  a.writeFsBase();
  a.cld();

  const start = k.component.start;
  if (start >= 0) callThroughInvoke(k, start, 0, initTrapped);
  if (k.initialize >= 0) callThroughInvoke(k, k.initialize, 0, initTrapped);

  a.lea(8, Reg.RDX, memLabel(k.callSlots));
  a.store(8, mem(Reg.RDX), Reg.RBX);
  a.lea(8, Reg.RAX, memLabel(k.linkInfo));
  a.store(8, mem(Reg.RDX, 8), Reg.RAX);
  callThroughInvoke(k, k.main, 2, mainTrapped);
  c.log("\nkernel: main returned\nkernel: halted\n");
  a.jmp(c.halt);

  a.bind(mainTrapped);
  a.lea(8, Reg.RDX, memLabel(k.callSlots));
  a.store(8, mem(Reg.RDX), Reg.RAX);
  a.load(8, Reg.RAX, fsAbsolute(THREAD_TRAP_PC));
  a.store(8, mem(Reg.RDX, 8), Reg.RAX);
  const reportTrapped = a.newLabel();
  callThroughInvoke(k, k.fatalTrap, 2, reportTrapped);
  a.bind(reportTrapped);
  a.mov(8, Reg.RBX, Reg.RAX);
  c.log("\nkernel: main trapped, and so did its report (kind ");
  c.logValue(Reg.RBX, false);
  c.log(")\nkernel: halted\n");
  a.jmp(c.halt);

  a.bind(initTrapped);
  a.mov(8, Reg.RBX, Reg.RAX);
  a.load(8, Reg.R12, fsAbsolute(THREAD_TRAP_PC));
  c.log("\nkernel: initialisation trapped (kind ");
  c.logValue(Reg.RBX, false);
  c.log(" at pc ");
  c.logValue(Reg.R12, true);
  c.log(")\nkernel: halted\n");
  a.jmp(c.halt);
}
