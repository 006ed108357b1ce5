// What every part of the boot stub shares: the program being assembled, the
// labels of its routines (declared up front so that any part can call any
// other) and of its variables, and the register conventions.
//
// Registers: the entry keeps the EFI system table in r12, boot services in
// r13 and the boot info block's address in r15 for the whole run; routines
// never change them. Routines take arguments in rax/rsi (and rcx, rdx, r8,
// r9 for fill_rect), may clobber rax, rcx, rdx, rsi, rdi, r8-r11, and save
// rbx and r14 when they use them. They are called with rsp 16-byte aligned
// before the call, as the Microsoft x64 convention of the firmware demands.

import { Label, Reg, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { StubProgram } from "./program";

export const SYSTEM_TABLE = Reg.R12;
export const BOOT_SERVICES = Reg.R13;
export const BOOT_INFO = Reg.R15;

export class StubContext {
  readonly p: StubProgram = new StubProgram();

  // variables
  readonly imageHandle: Label;
  readonly conOut: Label;
  readonly consoleActive: Label;
  readonly gop: Label;
  readonly bootInfo: Label;
  readonly memoryMap: Label;
  readonly mapSize: Label;
  readonly mapKey: Label;
  readonly descriptorSize: Label;
  readonly descriptorVersion: Label;
  readonly utf16: Label;
  readonly numbers: Label;
  readonly handleCount: Label;
  readonly handleBuffer: Label;
  readonly partitionInfo: Label;
  readonly blockIo: Label;
  readonly scratch: Label;
  readonly sizeOfInfo: Label;
  readonly modeInfo: Label;
  readonly exitAttempts: Label;

  // routines
  readonly serialInit: Label;
  readonly serialPutc: Label;
  readonly serialWrite: Label;
  readonly consoleWrite: Label;
  readonly print: Label;
  readonly formatHex: Label;
  readonly formatDecimal: Label;
  readonly fillRect: Label;
  readonly drawBootScreen: Label;
  readonly setupGraphics: Label;
  readonly findConfigTable: Label;
  readonly findRsdp: Label;
  readonly loadPayload: Label;
  readonly exitBootServices: Label;
  readonly reportMemoryMap: Label;
  readonly halt: Label;

  /** Capacity of the memory map buffer in bytes (OVMF needs about 6 KiB). */
  static readonly MEMORY_MAP_CAPACITY: i32 = 64 * 1024;
  static readonly UTF16_UNITS: i32 = 256;
  static readonly SCRATCH_SIZE: i32 = 4096;

  constructor(readonly preferredWidth: i32, readonly preferredHeight: i32, readonly listMemoryMap: bool) {
    const p = this.p;
    this.imageHandle = p.variable(8);
    this.conOut = p.variable(8);
    this.consoleActive = p.variable(8);
    this.gop = p.variable(8);
    this.bootInfo = p.variable(256, 64);
    this.memoryMap = p.variable(StubContext.MEMORY_MAP_CAPACITY, 4096);
    this.mapSize = p.variable(8);
    this.mapKey = p.variable(8);
    this.descriptorSize = p.variable(8);
    this.descriptorVersion = p.variable(8);
    this.utf16 = p.variable(2 * StubContext.UTF16_UNITS + 8, 8);
    this.numbers = p.variable(32);
    this.handleCount = p.variable(8);
    this.handleBuffer = p.variable(8);
    this.partitionInfo = p.variable(8);
    this.blockIo = p.variable(8);
    this.scratch = p.variable(StubContext.SCRATCH_SIZE, 4096);
    this.sizeOfInfo = p.variable(8);
    this.modeInfo = p.variable(8);
    this.exitAttempts = p.variable(8);

    this.serialInit = p.label();
    this.serialPutc = p.label();
    this.serialWrite = p.label();
    this.consoleWrite = p.label();
    this.print = p.label();
    this.formatHex = p.label();
    this.formatDecimal = p.label();
    this.fillRect = p.label();
    this.drawBootScreen = p.label();
    this.setupGraphics = p.label();
    this.findConfigTable = p.label();
    this.findRsdp = p.label();
    this.loadPayload = p.label();
    this.exitBootServices = p.label();
    this.reportMemoryMap = p.label();
    this.halt = p.label();
  }

  /** Prints `text` on COM1 and, while boot services run, on the firmware console. */
  say(text: string): void {
    this.p.asm.lea(8, Reg.RSI, memLabel(this.p.string(text)));
    this.p.asm.call(this.print);
  }

  /** Prints `text` on COM1 only. */
  log(text: string): void {
    this.p.asm.lea(8, Reg.RSI, memLabel(this.p.string(text)));
    this.p.asm.call(this.serialWrite);
  }

  /** Prints the 64-bit value in `reg` on COM1, in hex (0x...) or decimal. */
  logValue(reg: Reg, hex: bool): void {
    const asm = this.p.asm;
    if (reg != Reg.RAX) asm.mov(8, Reg.RAX, reg);
    asm.call(hex ? this.formatHex : this.formatDecimal);
    asm.call(this.serialWrite);
  }
}
