// The UEFI boot stub: BOOTX64.EFI's entry point, emitted with the Delos
// assembler. It runs as an EFI application (Microsoft x64 convention:
// ImageHandle in rcx, SystemTable in rdx) and, in order:
//   1. prints the banner on COM1 (programmed directly) and on ConOut;
//   2. finds GOP, picks the preferred mode, draws the boot screen;
//   3. finds the ACPI RSDP and loads the payload from the Delos system partition;
//   4. takes the final memory map and calls ExitBootServices;
//   5. reports the memory map on COM1 and hands the boot info to the kernel.
// Until the kernel exists (it needs the compiler), an image without one ends
// step 5 in a halt after printing "boot: halted"; with one, the stub calls
// the kernel's entry with the boot info's address in rdi.

import { Reg, Shift, mem, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { FIRST_SECTION_RVA } from "../../../../sdk/image/pe";
import { BOOT_SERVICES, BOOT_INFO, StubContext, SYSTEM_TABLE } from "./context";
import { emitConsole } from "./console";
import { emitFirmware } from "./firmware";
import { emitGraphics } from "./graphics";
import { emitMemory } from "./memory";
import {
  BOOT_INFO_MAGIC, BOOT_INFO_VERSION, INFO_IMAGE_BASE, INFO_IMAGE_SIZE, INFO_MAGIC, INFO_SYSTEM_TABLE, INFO_TSC_ENTRY,
  INFO_OPTIONS, INFO_TSC_EXIT, INFO_VERSION,
} from "./boot-info";
import { linkError, linkKernel } from "../link/kernel";
import { BOOT_SET_WATCHDOG_TIMER, SYSTEM_BOOT_SERVICES, SYSTEM_CON_OUT } from "./efi";

export const BANNER = "Delos 0.1 boot stub (UEFI x86-64)";

export class StubOptions {
  preferredWidth: i32 = 1024;
  preferredHeight: i32 = 768;
  /** Print every memory map region on COM1 (tests add them up). */
  listMemoryMap: bool = true;
  /** The kernel's machine code (position-independent), entered at `kernelEntry` with the boot info in rdi. */
  kernel: Uint8Array | null = null;
  kernelEntry: i32 = 0;
  /** Or the kernel as a privileged `delos` component, linked statically (kernel/arch/x86_64/link). */
  kernelComponent: Uint8Array | null = null;
  /** The kernel's wasm, for function names in fault reports (optional). */
  kernelWasm: Uint8Array | null = null;
  /** BOOT_OPTION_* bits the stub hands to the kernel in the boot info. */
  bootOptions: u64 = 0;
}

/** Assembles the stub and writes it as a PE32+ EFI application; null with `error` set on failure. */
export function buildStub(options: StubOptions): StubResult {
  const c = new StubContext(options.preferredWidth, options.preferredHeight, options.listMemoryMap);
  const asm = c.p.asm;
  const entry = c.p.label();
  const kernelEntry = c.p.label();

  asm.bind(entry);
  asm.push(Reg.RBP);
  asm.mov(8, Reg.RBP, Reg.RSP);
  asm.push(Reg.RBX);
  asm.push(Reg.R12);
  asm.push(Reg.R13);
  asm.push(Reg.R14);
  asm.push(Reg.R15);
  asm.push(Reg.RSI);
  asm.push(Reg.RDI);
  asm.subImm(8, Reg.RSP, 40);
  asm.mov(8, SYSTEM_TABLE, Reg.RDX);
  asm.store(8, memLabel(c.imageHandle), Reg.RCX);
  asm.lea(8, BOOT_INFO, memLabel(c.bootInfo));
  asm.rdtsc();
  asm.shiftImm(Shift.SHL, 8, Reg.RDX, 32);
  asm.or(8, Reg.RAX, Reg.RDX);
  asm.store(8, mem(BOOT_INFO, INFO_TSC_ENTRY), Reg.RAX);
  asm.movImm(8, Reg.RAX, <i64>BOOT_INFO_MAGIC);
  asm.store(8, mem(BOOT_INFO, INFO_MAGIC), Reg.RAX);
  asm.storeImm(8, mem(BOOT_INFO, INFO_VERSION), <i32>BOOT_INFO_VERSION);
  asm.store(8, mem(BOOT_INFO, INFO_SYSTEM_TABLE), SYSTEM_TABLE);
  asm.storeImm(8, mem(BOOT_INFO, INFO_OPTIONS), <i32>options.bootOptions);
  asm.load(8, BOOT_SERVICES, mem(SYSTEM_TABLE, SYSTEM_BOOT_SERVICES));
  asm.load(8, Reg.RAX, mem(SYSTEM_TABLE, SYSTEM_CON_OUT));
  asm.store(8, memLabel(c.conOut), Reg.RAX);
  asm.storeImm(8, memLabel(c.consoleActive), 1);
  // The firmware's watchdog would reset the machine after five minutes in the stub's hands.
  asm.xor(4, Reg.RCX, Reg.RCX);
  asm.xor(4, Reg.RDX, Reg.RDX);
  asm.xor(4, Reg.R8, Reg.R8);
  asm.xor(4, Reg.R9, Reg.R9);
  asm.callMem(mem(BOOT_SERVICES, BOOT_SET_WATCHDOG_TIMER));
  asm.call(c.serialInit);
  c.say("\n" + BANNER + "\n");

  // Where the firmware loaded us: the entry point's address less its RVA.
  asm.lea(8, Reg.RAX, memLabel(entry));
  asm.subImm(8, Reg.RAX, FIRST_SECTION_RVA);
  asm.store(8, mem(BOOT_INFO, INFO_IMAGE_BASE), Reg.RAX);
  asm.lea(8, Reg.RDX, memLabel(c.p.imageEnd));
  asm.sub(8, Reg.RDX, Reg.RAX);
  asm.addImm(8, Reg.RDX, FIRST_SECTION_RVA);
  asm.store(8, mem(BOOT_INFO, INFO_IMAGE_SIZE), Reg.RDX);
  c.log("boot: image at ");
  asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_IMAGE_BASE));
  c.logValue(Reg.RAX, true);
  c.log(", ");
  asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_IMAGE_SIZE));
  c.logValue(Reg.RAX, false);
  c.log(" bytes\n");

  asm.call(c.setupGraphics);
  asm.call(c.findRsdp);
  asm.call(c.loadPayload);
  asm.call(c.exitBootServices);
  asm.call(c.reportMemoryMap);
  c.log("boot: tsc at entry ");
  asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_TSC_ENTRY));
  c.logValue(Reg.RAX, false);
  c.log(", at exit from boot services ");
  asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_TSC_EXIT));
  c.logValue(Reg.RAX, false);
  c.log("\nboot: boot info at ");
  asm.mov(8, Reg.RAX, BOOT_INFO);
  c.logValue(Reg.RAX, true);
  c.log("\n");
  const kernel = options.kernel;
  const component = options.kernelComponent;
  if (kernel != null || component != null) {
    // The kernel's entry: System V style, boot info in rdi, rsp 16-byte aligned before the call.
    const entry = kernel != null ? c.p.code(kernel, options.kernelEntry) : kernelEntry;
    c.log("boot: entering the kernel\n");
    asm.mov(8, Reg.RDI, BOOT_INFO);
    asm.andImm(8, Reg.RSP, -16);
    asm.call(entry);
    c.log("boot: the kernel returned\nboot: halted\n");
  } else {
    c.log("boot: no kernel in this image yet\nboot: halted\n");
  }
  asm.jmp(c.halt);

  asm.bind(c.halt);
  {
    const again = c.p.label();
    asm.bind(again);
    asm.cli();
    asm.hlt();
    asm.jmp(again);
  }

  emitConsole(c);
  emitGraphics(c);
  emitFirmware(c);
  emitMemory(c);
  if (component != null && !linkKernel(c, component, options.kernelWasm, kernelEntry)) return new StubResult(null, linkError);

  const image = c.p.link(entry);
  return new StubResult(image, c.p.error);
}

export class StubResult {
  constructor(readonly image: Uint8Array | null, readonly error: string) {}
}
