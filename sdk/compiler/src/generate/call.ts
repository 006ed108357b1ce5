// call and call_indirect, and the privileged intrinsics of delos:native,
// which expand inline instead of calling.
//
// A call spills the register entries below its arguments, writes argument i
// to [rsp + 8i] and pops the arguments; after it, result j is read from
// [rsp + 8j]. A direct call of the module's own function passes its first
// parameters in registers and takes a single result in rax or xmm0
// (convention.ts). Locals and latent local references survive: the callee cannot
// reach this frame. A call of the module's own function keeps rbx, r12 and
// r13 (the callee saves what it writes: docs/compiler-abi.md), so register
// locals there stay, and so does a call_indirect, which keeps them itself
// around a callee of another instance; an import clobbers every register,
// and the callee-saved ones this function did not save in its prologue go
// to the save area around it (stack.ts). An import or an indirect call of
// another instance switches r14/r15 to the callee's instance and back.

import { Alu, Cond, Reg, Shift, fsAbsolute, mem, memIndex, memLabel } from "../x64/assembler";
import { FuncType, ValType } from "../module";
import {
  ELEMENT_CODE, ELEMENT_SIZE, ELEMENT_TYPE_ID, ELEMENT_VMCTX, RT_COPY_CHECKED, RT_INVOKE, RT_TRAP, TABLE_ELEMENTS, TABLE_LENGTH,
  THREAD_SELF, TrapKind, VMCTX_MEMORY_BASE, VMCTX_RUNTIME, VMCTX_TABLE,
} from "../abi";
import { Generator } from "./generator";
import { CALLEE_SAVED, Kind, SCRATCH, SCRATCH_XMM, VMCTX, MEMORY_BASE, isFloat } from "./stack";
import { paramRegister, returnRegister, returnsInRegister } from "./convention";
import { emitX86Intrinsic } from "./x86";

/** The intrinsics of delos:native, numbered from 1 (0: an ordinary import). */
export const enum Intrinsic {
  NONE = 0,
  SYSCALL = 1,
  LOAD8 = 2,
  LOAD32 = 3,
  LOAD64 = 4,
  STORE8 = 5,
  STORE32 = 6,
  STORE64 = 7,
  MEMORY_BASE = 8,
  INVOKE = 9,
  THREAD_BLOCK = 10,
  COPY = 11,
  COPY_CHECKED = 12,
  TRAP = 13,
}

export function intrinsicByName(name: string): Intrinsic {
  if (name == "syscall") return Intrinsic.SYSCALL;
  if (name == "load8") return Intrinsic.LOAD8;
  if (name == "load32") return Intrinsic.LOAD32;
  if (name == "load64") return Intrinsic.LOAD64;
  if (name == "store8") return Intrinsic.STORE8;
  if (name == "store32") return Intrinsic.STORE32;
  if (name == "store64") return Intrinsic.STORE64;
  if (name == "memory_base") return Intrinsic.MEMORY_BASE;
  if (name == "invoke") return Intrinsic.INVOKE;
  if (name == "thread_block") return Intrinsic.THREAD_BLOCK;
  if (name == "copy") return Intrinsic.COPY;
  if (name == "copy_checked") return Intrinsic.COPY_CHECKED;
  if (name == "trap") return Intrinsic.TRAP;
  return Intrinsic.NONE;
}

/**
 * Moves the arguments of a call of `type` to the outgoing slots and pops
 * them; `calleeSavedKept` for a callee that keeps the callee-saved
 * registers; `extraSlots` more outgoing slots reserved above them.
 */
// @ts-ignore: decorator
@inline function passArguments(g: Generator, type: FuncType, calleeSavedKept: bool, extraSlots: i32 = 0): void {
  const params = type.params.length;
  const results = type.results.length;
  g.needCallSlots((params > results ? params : results) + extraSlots);
  // The callee may change a global: latent reads of the cached one take their value now.
  if (g.globalLocal >= 0) g.materializeLocal(g.globalLocal);
  const first = g.depth - params;
  g.spillRegisters(first);
  for (let i = 0; i < params; i++) g.copyToMem(first + i, mem(Reg.RSP, 8 * i));
  g.truncate(first);
  g.saveRegisterLocals(calleeSavedKept);
  if (!calleeSavedKept) g.saveAroundCall();
}

/** Reloads the register locals and pushes the results a call left at [rsp + 8j]. */
// @ts-ignore: decorator
@inline function takeResults(g: Generator, type: FuncType, calleeSavedKept: bool): void {
  if (!calleeSavedKept) g.reloadAroundCall();
  g.restoreRegisterLocals(calleeSavedKept);
  const results = type.results;
  for (let j = 0; j < results.length; j++) {
    const resultType = <i32>unchecked(results[j]);
    const reg = g.allocFor(resultType);
    g.load(resultType, reg, mem(Reg.RSP, 8 * j));
    g.pushReg(resultType, reg);
  }
}

// @ts-ignore: decorator
@inline export function emitCall(g: Generator, funcIndex: u32): void {
  const module = g.module;
  if (funcIndex < module.numImportedFuncs && g.intrinsics[<i32>funcIndex] != Intrinsic.NONE) {
    emitIntrinsic(g, g.intrinsics[<i32>funcIndex]);
    return;
  }
  // The validator has checked the index.
  const type = unchecked(module.types[unchecked(module.funcTypes[funcIndex])]);
  if (funcIndex < module.numImportedFuncs) {
    passArguments(g, type, false);
    emitCallInstruction(g, funcIndex);
    takeResults(g, type, false);
    return;
  }
  passDirectArguments(g, type);
  emitCallInstruction(g, funcIndex);
  if (returnsInRegister(type)) {
    g.restoreRegisterLocals(true);
    // Every register is free after the call: the result's is the entry's.
    g.pushReg(<i32>unchecked(type.results[0]), returnRegister(type));
  } else {
    takeResults(g, type, true);
  }
}

// The register arguments of a direct call not yet in place: the source
// register, the parameter's register and its class, for the parallel move.
const moveSources = new StaticArray<i32>(8);
const moveTargets = new StaticArray<i32>(8);
const moveFloats = new StaticArray<bool>(8);
// The register arguments that are not in registers (constants, locals, slots), loaded last.
const restParams = new StaticArray<i32>(8);

/**
 * The arguments of a direct call of the module's own function (the register
 * convention, convention.ts): those past the registers to their slots,
 * then the ones in value-stack registers moved to their parameters'
 * registers as one parallel move (a cycle through r11 or xmm15), then the
 * rest (constants, locals, slots) loaded, which read no argument register.
 * The move is the baseline's own over the value stack's registers, in
 * fixed arrays: opt/moves.ts's builds a Move object per copy, and this
 * runs at every call site the baseline compiles.
 */
function passDirectArguments(g: Generator, type: FuncType): void {
  const params = type.params.length;
  const results = type.results.length;
  g.needCallSlots(params > results ? params : results);
  if (g.globalLocal >= 0) g.materializeLocal(g.globalLocal);
  const first = g.depth - params;
  g.spillRegisters(first);
  // One pass: slots written, moves collected, the rest left for last.
  let count = 0;
  let rest = 0;
  for (let i = 0; i < params; i++) {
    const reg = paramRegister(type, i);
    const position = first + i;
    if (reg < 0) { g.copyToMem(position, mem(Reg.RSP, 8 * i)); continue; }
    if (g.kindAt(position) != Kind.REG) { unchecked(restParams[rest++] = i); continue; }
    const from = <i32>g.valueAt(position);
    if (from == reg) continue;
    unchecked(moveSources[count] = from);
    unchecked(moveTargets[count] = reg);
    unchecked(moveFloats[count] = isFloat(g.typeAt(position)));
    count++;
  }
  const asm = g.asm;
  while (count > 0) {
    let progress = false;
    for (let k = 0; k < count; k++) {
      const target = unchecked(moveTargets[k]);
      const float = unchecked(moveFloats[k]);
      let read = false;
      for (let j = 0; j < count; j++) {
        if (j != k && unchecked(moveFloats[j]) == float && unchecked(moveSources[j]) == target) { read = true; break; }
      }
      if (read) continue;
      if (float) asm.movaps(target, unchecked(moveSources[k]));
      else asm.mov(8, <Reg>target, <Reg>unchecked(moveSources[k]));
      count--;
      unchecked(moveSources[k] = unchecked(moveSources[count]));
      unchecked(moveTargets[k] = unchecked(moveTargets[count]));
      unchecked(moveFloats[k] = unchecked(moveFloats[count]));
      k--;
      progress = true;
    }
    if (progress) continue;
    // A cycle: the first move's target goes to the scratch register, which its readers read instead.
    const target = unchecked(moveTargets[0]);
    const float = unchecked(moveFloats[0]);
    const scratch = float ? <i32>SCRATCH_XMM : <i32>SCRATCH;
    if (float) asm.movaps(scratch, target);
    else asm.mov(8, <Reg>scratch, <Reg>target);
    for (let j = 0; j < count; j++) {
      if (unchecked(moveFloats[j]) == float && unchecked(moveSources[j]) == target) unchecked(moveSources[j] = scratch);
    }
  }
  for (let k = 0; k < rest; k++) {
    const i = unchecked(restParams[k]);
    g.copyToReg(first + i, paramRegister(type, i));
  }
  g.truncate(first);
  g.saveRegisterLocals(true);
}

/**
 * The call itself, with the arguments in place: `call rel32` within the
 * instance, or through an import slot with r14/r15 switched to the
 * callee's instance and restored after.
 */
export function emitCallInstruction(g: Generator, funcIndex: u32): void {
  const asm = g.asm;
  if (g.module.numImportedFuncs > funcIndex) {
    asm.load(8, SCRATCH, mem(VMCTX, g.layout.importCode(funcIndex)));
    asm.load(8, VMCTX, mem(VMCTX, g.layout.importVmctx(funcIndex)));
    asm.load(8, MEMORY_BASE, mem(VMCTX, VMCTX_MEMORY_BASE));
    asm.callReg(SCRATCH);
    g.restoreInstance();
  } else {
    asm.call(unchecked(g.bodyLabels[<i32>funcIndex]));
  }
}

/**
 * call_indirect through table 0: bounds, null and signature checks in that
 * order. A callee of the running instance (the element's vmctx is r14, as
 * for every function of this module placed in its own table) is called
 * without switching r14/r15 and restoring them after.
 */
export function emitCallIndirect(g: Generator, typeIndex: u32): void {
  const type = g.module.types[<i32>typeIndex];
  const index = g.popToReg();
  const slots = max(type.params.length, type.results.length);
  passArguments(g, type, true, INDIRECT_SAVE_SLOTS);
  emitCallIndirectInstruction(g, typeIndex, index, 8 * slots);
  g.release(index, false);
  takeResults(g, type, true);
}

/**
 * The checks and the call of a call_indirect, with the arguments in place
 * and the element index (zero-extended) in `index`, which it clobbers, as
 * it clobbers r11; shared by both tiers. A callee of another instance may
 * be native code that does not keep rbx, r12 and r13 (the kernel's message
 * fast path, a host function), so that path keeps them itself, in the
 * three outgoing slots at [rsp + saveAt] that the caller reserves above
 * the arguments; a callee of this instance is compiled code, which keeps
 * them. So a call_indirect keeps the callee-saved registers, as a direct
 * call does (docs/compiler-abi.md).
 */
export function emitCallIndirectInstruction(g: Generator, typeIndex: u32, index: Reg, saveAt: i32): void {
  const asm = g.asm;
  const element = SCRATCH;
  asm.load(8, element, mem(VMCTX, VMCTX_TABLE));
  asm.cmpLoad(8, index, mem(element, TABLE_LENGTH));
  g.trapIf(Cond.AE, TrapKind.UndefinedElement);
  asm.load(8, element, mem(element, TABLE_ELEMENTS));
  // element + ELEMENT_SIZE * index (3 * 8) as two address computations, not an imul.
  asm.lea(8, index, memIndex(index, index, 2, 0));
  asm.lea(8, element, memIndex(element, index, ELEMENT_SIZE / 3, 0));
  asm.cmpMemImm(8, mem(element, ELEMENT_CODE), 0);
  g.trapIf(Cond.E, TrapKind.UninitializedElement);
  asm.load(8, index, mem(VMCTX, g.layout.typeId(typeIndex)));
  asm.cmpLoad(8, index, mem(element, ELEMENT_TYPE_ID));
  g.trapIf(Cond.NE, TrapKind.SignatureMismatch);
  const otherInstance = asm.newLabel();
  const called = asm.newLabel();
  asm.load(8, index, mem(element, ELEMENT_VMCTX));
  asm.cmp(8, index, VMCTX);
  asm.jccShort(Cond.NE, otherInstance);
  asm.callMem(mem(element, ELEMENT_CODE));
  asm.jmpShort(called);
  asm.bind(otherInstance);
  for (let k = 0; k < CALLEE_SAVED.length; k++) asm.store(8, mem(Reg.RSP, saveAt + 8 * k), <Reg>CALLEE_SAVED[k]);
  asm.mov(8, VMCTX, index);
  asm.load(8, MEMORY_BASE, mem(VMCTX, VMCTX_MEMORY_BASE));
  asm.callMem(mem(element, ELEMENT_CODE));
  g.restoreInstance();
  for (let k = 0; k < CALLEE_SAVED.length; k++) asm.load(8, <Reg>CALLEE_SAVED[k], mem(Reg.RSP, saveAt + 8 * k));
  asm.bind(called);
}

/** Outgoing slots a call_indirect reserves above its arguments and results: the callee-saved registers around a call of another instance. */
export const INDIRECT_SAVE_SLOTS: i32 = 3;

/** Argument registers of the Linux syscall instruction: number, then a1..a6. */
const SYSCALL_REGISTERS: StaticArray<i32> = [Reg.RAX, Reg.RDI, Reg.RSI, Reg.RDX, Reg.R10, Reg.R8, Reg.R9];
/** copy's operands: destination, source, length. */
const COPY_REGISTERS: StaticArray<i32> = [Reg.RDI, Reg.RSI, Reg.RCX];
/** System V argument registers. */
const SYSV_REGISTERS: StaticArray<i32> = [Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX];

/**
 * Spills everything in registers, stores the register locals, and loads the
 * top `count` entries into `registers`, popping them. The entries go to
 * memory first, so that filling one register cannot overwrite a local
 * another entry still reads. The caller restores the register locals after.
 */
function argumentsToRegisters(g: Generator, registers: StaticArray<i32>, count: i32): void {
  g.spillAll();
  g.saveRegisterLocals();
  const first = g.depth - count;
  for (let i = 0; i < count; i++) g.copyToReg(first + i, registers[i]);
  g.truncate(first);
}

/**
 * Calls runtime service `service` (System V) with the top `count` entries
 * as its arguments; its result is left in rax, which the caller takes.
 */
function callRuntimeService(g: Generator, service: i32, count: i32): void {
  argumentsToRegisters(g, SYSV_REGISTERS, count);
  g.asm.load(8, Reg.RAX, mem(VMCTX, VMCTX_RUNTIME));
  g.asm.callMem(mem(Reg.RAX, service));
  g.restoreRegisterLocals();
  g.takeGpr(Reg.RAX);
}

function emitIntrinsic(g: Generator, intrinsic: i32): void {
  const asm = g.asm;
  switch (intrinsic) {
    case Intrinsic.SYSCALL: {
      argumentsToRegisters(g, SYSCALL_REGISTERS, 7);
      asm.syscall();
      g.restoreRegisterLocals();
      g.takeGpr(Reg.RAX);
      g.pushReg(ValType.I64, Reg.RAX);
      break;
    }
    case Intrinsic.LOAD8:
    case Intrinsic.LOAD32:
    case Intrinsic.LOAD64: {
      const address = g.popToReg();
      g.recordFault(); // a raw access may fault: the kernel's fault report names this instruction
      if (intrinsic == Intrinsic.LOAD8) asm.loadZeroExtend(1, address, mem(address, 0));
      else asm.load(intrinsic == Intrinsic.LOAD64 ? 8 : 4, address, mem(address, 0));
      g.pushReg(intrinsic == Intrinsic.LOAD64 ? ValType.I64 : ValType.I32, address);
      break;
    }
    case Intrinsic.STORE8:
    case Intrinsic.STORE32:
    case Intrinsic.STORE64: {
      const value = g.popToReg();
      const address = g.popToReg();
      const size = intrinsic == Intrinsic.STORE8 ? 1 : intrinsic == Intrinsic.STORE32 ? 4 : 8;
      g.recordFault();
      asm.store(size, mem(address, 0), value);
      g.release(value, false);
      g.release(address, false);
      break;
    }
    case Intrinsic.MEMORY_BASE: {
      const reg = g.allocGpr();
      asm.mov(8, reg, MEMORY_BASE);
      g.pushReg(ValType.I64, reg);
      break;
    }
    case Intrinsic.INVOKE: {
      callRuntimeService(g, RT_INVOKE, 4);
      asm.mov(4, Reg.RAX, Reg.RAX);
      g.pushReg(ValType.I32, Reg.RAX);
      break;
    }
    case Intrinsic.THREAD_BLOCK: {
      const reg = g.allocGpr();
      asm.load(8, reg, fsAbsolute(THREAD_SELF));
      g.pushReg(ValType.I64, reg);
      break;
    }
    case Intrinsic.COPY: {
      // Quadwords, then the last 0-7 bytes, upwards: the ranges must not overlap.
      argumentsToRegisters(g, COPY_REGISTERS, 3);
      asm.mov(8, Reg.RDX, Reg.RCX);
      asm.shiftImm(Shift.SHR, 8, Reg.RCX, 3);
      g.recordFault();
      asm.repMovsq();
      asm.mov(4, Reg.RCX, Reg.RDX);
      asm.andImm(4, Reg.RCX, 7);
      g.recordFault();
      asm.repMovsb();
      g.restoreRegisterLocals();
      break;
    }
    case Intrinsic.COPY_CHECKED: {
      // The runtime's copy whose page faults come back as a result (the
      // faulting address) instead of an exception: System V, like invoke.
      callRuntimeService(g, RT_COPY_CHECKED, 3);
      g.pushReg(ValType.I64, Reg.RAX);
      break;
    }
    case Intrinsic.TRAP: {
      // trap(kind): RT_TRAP with that kind at this pc, as a trap site's thunk passes it.
      g.popToGpr(Reg.RDI);
      const site = asm.newLabel();
      asm.lea(8, Reg.RSI, memLabel(site));
      asm.load(8, Reg.RAX, mem(VMCTX, VMCTX_RUNTIME));
      asm.aluImm(Alu.AND, 8, Reg.RSP, -16);
      asm.push(Reg.RSI);
      asm.jmpMem(mem(Reg.RAX, RT_TRAP));
      asm.bind(site);
      g.recordFault();
      g.release(Reg.RDI, false);
      break;
    }
    default: emitX86Intrinsic(g, intrinsic);
  }
}
