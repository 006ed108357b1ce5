// Leaving the firmware: the final memory map, ExitBootServices with it, and
// the report of that map on COM1 (one line per region when asked, then the
// totals a test can add up). The map stays in the stub's .data section,
// which is loader memory the kernel must keep until it has read the map.

import { Alu, Cond, Reg, Shift, mem, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { BOOT_EXIT_BOOT_SERVICES, BOOT_GET_MEMORY_MAP, DESCRIPTOR_PAGES, DESCRIPTOR_PHYSICAL_START, DESCRIPTOR_TYPE } from "./efi";
import {
  INFO_DESCRIPTOR_SIZE, INFO_DESCRIPTOR_VERSION, INFO_MEMORY_MAP, INFO_MEMORY_MAP_SIZE, INFO_TSC_EXIT,
} from "./boot-info";
import { BOOT_INFO, BOOT_SERVICES, StubContext } from "./context";

/** ExitBootServices may fail once because the map changed under us; more than this is a real failure. */
const EXIT_ATTEMPTS: i32 = 4;
const EFI_CONVENTIONAL_MEMORY: i32 = 7;

/** Memory types usable by the kernel once boot services are gone: loader code/data, boot services code/data, conventional. */
const USABLE_TYPES_MASK: i32 = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << EFI_CONVENTIONAL_MEMORY);

export function emitMemory(c: StubContext): void {
  const asm = c.p.asm;

  // exit_boot_services: GetMemoryMap then ExitBootServices(imageHandle, mapKey), retried. Halts on failure.
  asm.bind(c.exitBootServices);
  {
    const retry = asm.newLabel(), failed = asm.newLabel(), exited = asm.newLabel();
    asm.push(Reg.RBX);
    asm.subImm(8, Reg.RSP, 48);
    asm.storeImm(8, memLabel(c.exitAttempts), 0);
    asm.bind(retry);
    asm.load(8, Reg.RAX, memLabel(c.exitAttempts));
    asm.addImm(8, Reg.RAX, 1);
    asm.store(8, memLabel(c.exitAttempts), Reg.RAX);
    asm.cmpImm(8, Reg.RAX, EXIT_ATTEMPTS);
    asm.jcc(Cond.A, failed);
    asm.movImm(4, Reg.RAX, StubContext.MEMORY_MAP_CAPACITY);
    asm.store(8, memLabel(c.mapSize), Reg.RAX);
    asm.lea(8, Reg.RCX, memLabel(c.mapSize));
    asm.lea(8, Reg.RDX, memLabel(c.memoryMap));
    asm.lea(8, Reg.R8, memLabel(c.mapKey));
    asm.lea(8, Reg.R9, memLabel(c.descriptorSize));
    asm.lea(8, Reg.RAX, memLabel(c.descriptorVersion));
    asm.store(8, mem(Reg.RSP, 32), Reg.RAX);
    asm.callMem(mem(BOOT_SERVICES, BOOT_GET_MEMORY_MAP));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, failed);
    asm.load(8, Reg.RCX, memLabel(c.imageHandle));
    asm.load(8, Reg.RDX, memLabel(c.mapKey));
    asm.callMem(mem(BOOT_SERVICES, BOOT_EXIT_BOOT_SERVICES));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, retry);
    asm.jmp(exited);

    asm.bind(failed);
    asm.mov(8, Reg.RBX, Reg.RAX);
    c.log("boot: ExitBootServices failed: ");
    c.logValue(Reg.RBX, true);
    c.log("\n");
    asm.jmp(c.halt);

    asm.bind(exited);
    // From here on the firmware is gone: no more console, no interrupts until the kernel sets up its own.
    asm.cli();
    asm.storeImm(8, memLabel(c.consoleActive), 0);
    asm.rdtsc();
    asm.shiftImm(Shift.SHL, 8, Reg.RDX, 32);
    asm.or(8, Reg.RAX, Reg.RDX);
    asm.store(8, mem(BOOT_INFO, INFO_TSC_EXIT), Reg.RAX);
    asm.lea(8, Reg.RAX, memLabel(c.memoryMap));
    asm.store(8, mem(BOOT_INFO, INFO_MEMORY_MAP), Reg.RAX);
    asm.load(8, Reg.RAX, memLabel(c.mapSize));
    asm.store(8, mem(BOOT_INFO, INFO_MEMORY_MAP_SIZE), Reg.RAX);
    asm.load(8, Reg.RAX, memLabel(c.descriptorSize));
    asm.store(8, mem(BOOT_INFO, INFO_DESCRIPTOR_SIZE), Reg.RAX);
    asm.load(8, Reg.RAX, memLabel(c.descriptorVersion));
    asm.store(8, mem(BOOT_INFO, INFO_DESCRIPTOR_VERSION), Reg.RAX);
    c.log("boot: exited boot services after ");
    asm.load(8, Reg.RAX, memLabel(c.exitAttempts));
    c.logValue(Reg.RAX, false);
    c.log(" attempt(s)\n");
    asm.addImm(8, Reg.RSP, 48);
    asm.pop(Reg.RBX);
    asm.ret();
  }

  // report_memory_map: "mem TYPE START PAGES" per region (when listing), then
  // "boot: memory map N regions, usable U pages, conventional C pages, total T pages".
  // Uses rbx (cursor), r14 (end); the running totals live in the stack frame.
  asm.bind(c.reportMemoryMap);
  {
    const loop = asm.newLabel(), notUsable = asm.newLabel(), notConventional = asm.newLabel(), done = asm.newLabel();
    const USABLE = 0, CONVENTIONAL = 8, TOTAL = 16, COUNT = 24;
    asm.push(Reg.RBX);
    asm.push(Reg.R14);
    asm.subImm(8, Reg.RSP, 40);
    asm.storeImm(8, mem(Reg.RSP, USABLE), 0);
    asm.storeImm(8, mem(Reg.RSP, CONVENTIONAL), 0);
    asm.storeImm(8, mem(Reg.RSP, TOTAL), 0);
    asm.storeImm(8, mem(Reg.RSP, COUNT), 0);
    asm.load(8, Reg.RBX, mem(BOOT_INFO, INFO_MEMORY_MAP));
    asm.mov(8, Reg.R14, Reg.RBX);
    asm.aluLoad(Alu.ADD, 8, Reg.R14, mem(BOOT_INFO, INFO_MEMORY_MAP_SIZE));
    asm.bind(loop);
    asm.cmp(8, Reg.RBX, Reg.R14);
    asm.jcc(Cond.AE, done);
    if (c.listMemoryMap) {
      c.log("mem ");
      asm.loadZeroExtend(4, Reg.RAX, mem(Reg.RBX, DESCRIPTOR_TYPE));
      c.logValue(Reg.RAX, false);
      c.log(" ");
      asm.load(8, Reg.RAX, mem(Reg.RBX, DESCRIPTOR_PHYSICAL_START));
      c.logValue(Reg.RAX, true);
      c.log(" ");
      asm.load(8, Reg.RAX, mem(Reg.RBX, DESCRIPTOR_PAGES));
      c.logValue(Reg.RAX, false);
      c.log("\n");
    }
    asm.load(8, Reg.RAX, mem(Reg.RBX, DESCRIPTOR_PAGES));
    asm.aluStore(Alu.ADD, 8, mem(Reg.RSP, TOTAL), Reg.RAX);
    asm.aluStoreImm(Alu.ADD, 8, mem(Reg.RSP, COUNT), 1);
    asm.loadZeroExtend(4, Reg.RCX, mem(Reg.RBX, DESCRIPTOR_TYPE));
    asm.cmpImm(4, Reg.RCX, 31);
    asm.jcc(Cond.A, notUsable);
    asm.movImm(4, Reg.RDX, USABLE_TYPES_MASK);
    asm.shift(Shift.SHR, 4, Reg.RDX);
    asm.testImm(4, Reg.RDX, 1);
    asm.jcc(Cond.E, notUsable);
    asm.aluStore(Alu.ADD, 8, mem(Reg.RSP, USABLE), Reg.RAX);
    asm.bind(notUsable);
    asm.cmpImm(4, Reg.RCX, EFI_CONVENTIONAL_MEMORY);
    asm.jcc(Cond.NE, notConventional);
    asm.aluStore(Alu.ADD, 8, mem(Reg.RSP, CONVENTIONAL), Reg.RAX);
    asm.bind(notConventional);
    asm.aluLoad(Alu.ADD, 8, Reg.RBX, mem(BOOT_INFO, INFO_DESCRIPTOR_SIZE));
    asm.jmp(loop);
    asm.bind(done);
    c.log("boot: memory map ");
    asm.load(8, Reg.RAX, mem(Reg.RSP, COUNT));
    c.logValue(Reg.RAX, false);
    c.log(" regions, usable ");
    asm.load(8, Reg.RAX, mem(Reg.RSP, USABLE));
    c.logValue(Reg.RAX, false);
    c.log(" pages, conventional ");
    asm.load(8, Reg.RAX, mem(Reg.RSP, CONVENTIONAL));
    c.logValue(Reg.RAX, false);
    c.log(" pages, total ");
    asm.load(8, Reg.RAX, mem(Reg.RSP, TOTAL));
    c.logValue(Reg.RAX, false);
    c.log(" pages\n");
    asm.addImm(8, Reg.RSP, 40);
    asm.pop(Reg.R14);
    asm.pop(Reg.RBX);
    asm.ret();
  }
}
