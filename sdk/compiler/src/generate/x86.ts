// The privileged intrinsics of module `x86` (docs/compiler-abi.md,
// "Privileged intrinsics"): port I/O, control and model-specific registers,
// descriptor tables, interrupts, the time-stamp counter, cpuid, the stack
// registers and a context switch. Only the kernel imports them. Like those of
// delos:native they are expanded inline, never called; raw loads and stores
// of absolute addresses stay delos:native's (one mechanism, not two).
//
// Each intrinsic has one exact wasm type, checked when the module's imports
// are read: an expansion pops exactly what the type says, so a wrong type
// would leave the value stack inconsistent. Instructions that can fault
// (#GP from a bad MSR, selector or control register value, #PF from a
// descriptor table address) get a pc map entry, so a fault report names the
// wasm instruction.

import { Cond, Reg, Shift, mem, memLabel } from "../x64/assembler";
import { SystemAssembler } from "../x64/system";
import { FuncType, ValType } from "../module";
import { X86_MODULE } from "../abi";
import { setMessage } from "../io";
import { Generator } from "./generator";
import { SCRATCH } from "./stack";

/** x86 intrinsics are numbered from here, after delos:native's (call.ts). */
export const X86_FIRST: i32 = 32;

export const enum X86 {
  INB = 32, INW = 33, INL = 34,
  OUTB = 35, OUTW = 36, OUTL = 37,
  READ_CR0 = 38, READ_CR2 = 39, READ_CR3 = 40, READ_CR4 = 41,
  WRITE_CR0 = 42, WRITE_CR2 = 43, WRITE_CR3 = 44, WRITE_CR4 = 45,
  LGDT = 46, LIDT = 47, LTR = 48, LOAD_SEGMENTS = 49,
  CLI = 50, STI = 51, HLT = 52, STI_HLT = 53, PAUSE = 54, BREAKPOINT = 55,
  RDTSC = 56, RDMSR = 57, WRMSR = 58, INVLPG = 59, CPUID = 60,
  RSP = 61, RBP = 62, SWITCH_CONTEXT = 63,
  END = 64,
}

/** IA32_FS_BASE: the thread block's address (docs/compiler-abi.md). */
const MSR_FS_BASE: i32 = 0xc0000100;

// The context block switch_context saves and loads (docs/compiler-abi.md).
export const CONTEXT_RSP: i32 = 0;
export const CONTEXT_RIP: i32 = 8;
export const CONTEXT_RBP: i32 = 16;
export const CONTEXT_FS_BASE: i32 = 24;
export const CONTEXT_SIZE: i32 = 32;

const NAMES: string[] = [
  "inb", "inw", "inl", "outb", "outw", "outl",
  "read_cr0", "read_cr2", "read_cr3", "read_cr4", "write_cr0", "write_cr2", "write_cr3", "write_cr4",
  "lgdt", "lidt", "ltr", "load_segments",
  "cli", "sti", "hlt", "sti_hlt", "pause", "breakpoint",
  "rdtsc", "rdmsr", "wrmsr", "invlpg", "cpuid",
  "rsp", "rbp", "switch_context",
];

/**
 * Each intrinsic's type as parameter and result letters (i: i32, I: i64),
 * in the order of NAMES.
 */
const TYPES: string[] = [
  "i:i", "i:i", "i:i", "ii:", "ii:", "ii:",
  ":I", ":I", ":I", ":I", "I:", "I:", "I:", "I:",
  "I:", "I:", "i:", "ii:",
  ":", ":", ":", ":", ":", ":",
  ":I", "i:I", "iI:", "I:", "iii:i",
  ":I", ":I", "II:",
];

function letters(types: u8[]): string {
  let text = "";
  for (let i = 0; i < types.length; i++) {
    const type = <i32>types[i];
    text += type == ValType.I32 ? "i" : type == ValType.I64 ? "I" : "?";
  }
  return text;
}

/** The intrinsic an import of x86 names, or 0 with the message set when the name or the type is wrong. */
export function x86Intrinsic(name: string, type: FuncType): i32 {
  for (let i = 0; i < NAMES.length; i++) {
    if (NAMES[i] != name) continue;
    const expected = TYPES[i];
    if (letters(type.params) + ":" + letters(type.results) != expected) {
      setMessage(X86_MODULE + "." + name + " has type " + type.toString() + ", not the intrinsic's " + describe(expected));
      return 0;
    }
    return X86_FIRST + i;
  }
  setMessage("unknown intrinsic " + X86_MODULE + "." + name);
  return 0;
}

function describe(signature: string): string {
  const type = new FuncType();
  const colon = signature.indexOf(":");
  for (let i = 0; i < signature.length; i++) {
    if (i == colon) continue;
    const value = <u8>(signature.charCodeAt(i) == 0x69 ? ValType.I32 : ValType.I64);
    if (i < colon) type.params.push(value); else type.results.push(value);
  }
  return type.toString();
}

/**
 * The generator's assembler with the system instructions. SystemAssembler
 * only adds methods (no fields, no overrides), so the generator's instance
 * serves as one.
 */
function system(g: Generator): SystemAssembler {
  return changetype<SystemAssembler>(g.asm);
}

/** Ports: the port in dx, the value in eax (`in`/`out` take no other registers). */
function emitIn(g: Generator, size: i32): void {
  const asm = system(g);
  g.popToGpr(Reg.RDX);
  g.takeGpr(Reg.RAX);
  asm.inDx(size);
  if (size < 4) asm.zeroExtend(size, Reg.RAX, Reg.RAX);
  g.release(Reg.RDX, false);
  g.pushReg(ValType.I32, Reg.RAX);
}

function emitOut(g: Generator, size: i32): void {
  g.popToGpr(Reg.RAX);
  g.popToGpr(Reg.RDX);
  system(g).outDx(size);
  g.release(Reg.RAX, false);
  g.release(Reg.RDX, false);
}

function emitReadCr(g: Generator, cr: i32): void {
  const reg = g.allocGpr();
  system(g).movFromCr(reg, cr);
  g.pushReg(ValType.I64, reg);
}

function emitWriteCr(g: Generator, cr: i32): void {
  const reg = g.popToReg();
  g.recordFault();
  system(g).movToCr(cr, reg);
  g.release(reg, false);
}

/** rax = rdx:rax as one 64-bit value; rdx is released. */
function combineEdxEax(g: Generator): void {
  const asm = g.asm;
  asm.shiftImm(Shift.SHL, 8, Reg.RDX, 32);
  asm.or(8, Reg.RAX, Reg.RDX);
  g.release(Reg.RDX, false);
}

/**
 * load_segments(code, data): ss, ds and es get `data`; cs gets `code` through
 * a far return to the next instruction. fs and gs are left alone: loading a
 * selector into them would clear the thread block's base.
 */
function emitLoadSegments(g: Generator): void {
  const asm = system(g);
  const data = g.popToReg();
  const code = g.popToReg();
  g.recordFault();
  asm.movToSegment(2, data);
  asm.movToSegment(3, data);
  asm.movToSegment(0, data);
  const next = asm.newLabel();
  asm.push(code);
  asm.lea(8, SCRATCH, memLabel(next));
  asm.push(SCRATCH);
  asm.farReturn();
  asm.bind(next);
  g.release(data, false);
  g.release(code, false);
}

/** cpuid(leaf, subleaf, register): eax, ebx, ecx or edx (register 0..3) of the leaf. */
function emitCpuid(g: Generator): void {
  const asm = system(g);
  g.popToGpr(Reg.RSI);
  g.popToGpr(Reg.RCX);
  g.popToGpr(Reg.RAX);
  g.takeGpr(Reg.RBX);
  g.takeGpr(Reg.RDX);
  asm.cpuid();
  asm.cmpImm(4, Reg.RSI, 1);
  asm.cmov(Cond.E, 4, Reg.RAX, Reg.RBX);
  asm.cmpImm(4, Reg.RSI, 2);
  asm.cmov(Cond.E, 4, Reg.RAX, Reg.RCX);
  asm.cmpImm(4, Reg.RSI, 3);
  asm.cmov(Cond.E, 4, Reg.RAX, Reg.RDX);
  asm.mov(4, Reg.RAX, Reg.RAX);
  g.release(Reg.RSI, false);
  g.release(Reg.RCX, false);
  g.release(Reg.RBX, false);
  g.release(Reg.RDX, false);
  g.pushReg(ValType.I32, Reg.RAX);
}

/**
 * switch_context(from, to): saves rsp, rbp, the resume address and the fs
 * base into the context block at `from`, loads those of `to` and jumps to
 * its resume address. Every register is scratch across the switch, as
 * across a call: the value stack is spilled first. When another switch
 * comes back to `from`, execution resumes after this one with r14 and r15
 * reloaded from the frame, as after a call into another instance.
 */
function emitSwitchContext(g: Generator): void {
  const asm = system(g);
  g.spillRegisters(g.depth);
  g.popToGpr(Reg.RSI);
  g.popToGpr(Reg.RDI);
  g.takeGpr(Reg.RAX);
  g.takeGpr(Reg.RCX);
  g.takeGpr(Reg.RDX);
  const resume = asm.newLabel();
  asm.movImm(4, Reg.RCX, MSR_FS_BASE);
  asm.rdmsr();
  asm.shiftImm(Shift.SHL, 8, Reg.RDX, 32);
  asm.or(8, Reg.RAX, Reg.RDX);
  asm.store(8, mem(Reg.RDI, CONTEXT_FS_BASE), Reg.RAX);
  asm.lea(8, Reg.RAX, memLabel(resume));
  asm.store(8, mem(Reg.RDI, CONTEXT_RIP), Reg.RAX);
  asm.store(8, mem(Reg.RDI, CONTEXT_RSP), Reg.RSP);
  asm.store(8, mem(Reg.RDI, CONTEXT_RBP), Reg.RBP);
  asm.load(8, Reg.RAX, mem(Reg.RSI, CONTEXT_FS_BASE));
  asm.writeFsBase();
  asm.load(8, Reg.RSP, mem(Reg.RSI, CONTEXT_RSP));
  asm.load(8, Reg.RBP, mem(Reg.RSI, CONTEXT_RBP));
  asm.jmpMem(mem(Reg.RSI, CONTEXT_RIP));
  asm.bind(resume);
  g.restoreInstance();
  g.release(Reg.RSI, false);
  g.release(Reg.RDI, false);
  g.release(Reg.RAX, false);
  g.release(Reg.RCX, false);
  g.release(Reg.RDX, false);
}

/** Expands one x86 intrinsic (a value of X86) at the current instruction. */
export function emitX86Intrinsic(g: Generator, intrinsic: i32): void {
  const asm = system(g);
  switch (intrinsic) {
    case X86.INB: emitIn(g, 1); break;
    case X86.INW: emitIn(g, 2); break;
    case X86.INL: emitIn(g, 4); break;
    case X86.OUTB: emitOut(g, 1); break;
    case X86.OUTW: emitOut(g, 2); break;
    case X86.OUTL: emitOut(g, 4); break;
    case X86.READ_CR0: emitReadCr(g, 0); break;
    case X86.READ_CR2: emitReadCr(g, 2); break;
    case X86.READ_CR3: emitReadCr(g, 3); break;
    case X86.READ_CR4: emitReadCr(g, 4); break;
    case X86.WRITE_CR0: emitWriteCr(g, 0); break;
    case X86.WRITE_CR2: emitWriteCr(g, 2); break;
    case X86.WRITE_CR3: emitWriteCr(g, 3); break;
    case X86.WRITE_CR4: emitWriteCr(g, 4); break;
    case X86.LGDT:
    case X86.LIDT:
    case X86.INVLPG: {
      const address = g.popToReg();
      g.recordFault();
      if (intrinsic == X86.LGDT) asm.lgdt(mem(address));
      else if (intrinsic == X86.LIDT) asm.lidt(mem(address));
      else asm.invlpg(mem(address));
      g.release(address, false);
      break;
    }
    case X86.LTR: {
      const selector = g.popToReg();
      g.recordFault();
      asm.ltr(selector);
      g.release(selector, false);
      break;
    }
    case X86.LOAD_SEGMENTS: emitLoadSegments(g); break;
    case X86.CLI: asm.cli(); break;
    case X86.STI: asm.sti(); break;
    case X86.HLT: asm.hlt(); break;
    // sti takes effect after the next instruction, so no interrupt can slip in before the hlt.
    case X86.STI_HLT: asm.sti(); asm.hlt(); break;
    case X86.PAUSE: asm.pause(); break;
    case X86.BREAKPOINT: asm.int3(); break;
    case X86.RDTSC: {
      g.takeGpr(Reg.RAX);
      g.takeGpr(Reg.RDX);
      asm.rdtsc();
      combineEdxEax(g);
      g.pushReg(ValType.I64, Reg.RAX);
      break;
    }
    case X86.RDMSR: {
      g.popToGpr(Reg.RCX);
      g.takeGpr(Reg.RAX);
      g.takeGpr(Reg.RDX);
      g.recordFault();
      asm.rdmsr();
      combineEdxEax(g);
      g.release(Reg.RCX, false);
      g.pushReg(ValType.I64, Reg.RAX);
      break;
    }
    case X86.WRMSR: {
      g.popToGpr(Reg.RAX);
      g.popToGpr(Reg.RCX);
      g.takeGpr(Reg.RDX);
      asm.mov(8, Reg.RDX, Reg.RAX);
      asm.shiftImm(Shift.SHR, 8, Reg.RDX, 32);
      g.recordFault();
      asm.wrmsr();
      g.release(Reg.RAX, false);
      g.release(Reg.RCX, false);
      g.release(Reg.RDX, false);
      break;
    }
    case X86.CPUID: emitCpuid(g); break;
    case X86.RSP:
    case X86.RBP: {
      const reg = g.allocGpr();
      asm.mov(8, reg, intrinsic == X86.RSP ? Reg.RSP : Reg.RBP);
      g.pushReg(ValType.I64, reg);
      break;
    }
    case X86.SWITCH_CONTEXT: emitSwitchContext(g); break;
  }
}
