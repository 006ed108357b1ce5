// A stand-in kernel for the hand-off test: position-independent machine code
// that checks the boot info it is given in rdi (magic, version, a
// framebuffer), reports on COM1 and ends the machine through QEMU's
// isa-debug-exit port, so a test sees both the line and the exit status.
// The real kernel (AssemblyScript, compiled by the Delos compiler) takes its
// place in BOOTX64.EFI through the same entry.

import { Cond, Reg, mem, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { SystemAssembler } from "../../../../sdk/compiler/src/x64/system";
import { BOOT_INFO_MAGIC, BOOT_INFO_VERSION, INFO_FRAMEBUFFER_BASE, INFO_MAGIC, INFO_VERSION } from "./boot-info";

/** The isa-debug-exit port of the harness's machines: QEMU exits with status 2v+1. */
const DEBUG_EXIT_PORT: i32 = 0xf4;
export const TEST_KERNEL_PASSED: i32 = 0x10;
export const TEST_KERNEL_FAILED: i32 = 0x11;
export const TEST_KERNEL_LINE = "kernel: boot info ok";

function ascii(asm: SystemAssembler, text: string): void {
  for (let i = 0; i < text.length; i++) asm.byte(text.charCodeAt(i));
  asm.byte(0);
}

/** The test kernel's code; its entry is at offset 0. Null when assembly fails. */
export function testKernel(): Uint8Array | null {
  const asm = new SystemAssembler();
  const bad = asm.newLabel(), write = asm.newLabel(), wait = asm.newLabel(), loop = asm.newLabel(), done = asm.newLabel();
  const passed = asm.newLabel(), failed = asm.newLabel(), halt = asm.newLabel();

  asm.movImm(8, Reg.RAX, <i64>BOOT_INFO_MAGIC);
  asm.cmpLoad(8, Reg.RAX, mem(Reg.RDI, INFO_MAGIC));
  asm.jcc(Cond.NE, bad);
  asm.cmpMemImm(8, mem(Reg.RDI, INFO_VERSION), <i32>BOOT_INFO_VERSION);
  asm.jcc(Cond.NE, bad);
  asm.cmpMemImm(8, mem(Reg.RDI, INFO_FRAMEBUFFER_BASE), 0);
  asm.jcc(Cond.E, bad);
  asm.lea(8, Reg.RSI, memLabel(passed));
  asm.call(write);
  asm.movImm(4, Reg.RAX, TEST_KERNEL_PASSED);
  asm.outImm(1, DEBUG_EXIT_PORT);
  asm.jmp(halt);
  asm.bind(bad);
  asm.lea(8, Reg.RSI, memLabel(failed));
  asm.call(write);
  asm.movImm(4, Reg.RAX, TEST_KERNEL_FAILED);
  asm.outImm(1, DEBUG_EXIT_PORT);
  asm.bind(halt);
  asm.cli();
  asm.hlt();
  asm.jmp(halt);

  // write(rsi): a zero-terminated string to COM1, polling the transmitter.
  asm.bind(write);
  asm.bind(loop);
  asm.loadZeroExtend(1, Reg.RCX, mem(Reg.RSI));
  asm.test(4, Reg.RCX, Reg.RCX);
  asm.jcc(Cond.E, done);
  asm.movImm(4, Reg.RDX, 0x3fd);
  asm.bind(wait);
  asm.inDx(1);
  asm.testImm(1, Reg.RAX, 0x20);
  asm.jcc(Cond.E, wait);
  asm.movImm(4, Reg.RDX, 0x3f8);
  asm.mov(4, Reg.RAX, Reg.RCX);
  asm.outDx(1);
  asm.addImm(8, Reg.RSI, 1);
  asm.jmp(loop);
  asm.bind(done);
  asm.ret();

  asm.bind(passed);
  ascii(asm, TEST_KERNEL_LINE + "\r\n");
  asm.bind(failed);
  ascii(asm, "kernel: bad boot info\r\n");
  if (!asm.finish()) return null;
  return asm.buffer.toBytes();
}
