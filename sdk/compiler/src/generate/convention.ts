// The register convention of direct calls (docs/compiler-abi.md, "Calling
// convention between wasm functions"), shared by both tiers.
//
// A `call rel32` of a function of the same module passes its first four
// integer parameters (i32, i64, references) in rdi, rsi, rdx and rcx and
// its first four float parameters in xmm0-xmm3, each class counted on its
// own; the others stay in their slots at [rsp + 8i]. A function with one
// result returns it in rax or xmm0; one with several returns them all in
// their slots. The caller still reserves max(params, results) slots, so a
// register parameter has its slot, which the callee may use as its home.
//
// Every other way in (an import of another instance, call_indirect, an
// export called by the host or the kernel, a trampoline) keeps the slot
// convention. A function reached that way (exported, in an element
// segment, named by a global's ref.func, or the start function) with
// register parameters has a **slot entry** in front of its body, which
// loads them from their slots and jumps to the body; its code offset is
// that entry. Such a function also writes its one result to slot 0 as
// well as to rax or xmm0.
//
// None of the registers is a register local's home (rbx, r12, r13, r8-r10,
// xmm6-xmm13: locals.ts), so the caller's moves into them and the callee's
// moves out of them never meet a local's value.

import { Reg, Xmm } from "../x64/assembler";
import { FuncType, Module } from "../module";
import { isFloat } from "./stack";

/** The registers of the first four integer parameters of a direct call. */
export const INT_PARAM_REGISTERS: StaticArray<i32> = [Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX];
/** The registers of the first four float parameters of a direct call. */
export const FLOAT_PARAM_REGISTERS: StaticArray<i32> = [Xmm.XMM0, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3];

/** The register parameter `i` of `type` comes in on a direct call, or -1: its slot. */
// @ts-ignore: decorator
@inline export function paramRegister(type: FuncType, i: i32): i32 {
  let registers = type.paramRegisters;
  if (registers == null) registers = assignParamRegisters(type);
  return <i32>unchecked(registers[i]);
}

/** Fills type.paramRegisters: the first four of each class in registers, in order. */
function assignParamRegisters(type: FuncType): StaticArray<i8> {
  const params = type.params;
  const registers = new StaticArray<i8>(params.length);
  let ints = 0;
  let floats = 0;
  for (let i = 0; i < params.length; i++) {
    if (isFloat(<i32>unchecked(params[i]))) {
      registers[i] = floats < 4 ? <i8>unchecked(FLOAT_PARAM_REGISTERS[floats]) : -1;
      floats++;
    } else {
      registers[i] = ints < 4 ? <i8>unchecked(INT_PARAM_REGISTERS[ints]) : -1;
      ints++;
    }
  }
  type.paramRegisters = registers;
  return registers;
}

/** Whether a direct call of `type` returns its result in a register (rax or xmm0): it has exactly one. */
// @ts-ignore: decorator
@inline export function returnsInRegister(type: FuncType): bool { return type.results.length == 1; }

/** The register of the one result of `type`: xmm0 for a float, rax otherwise. */
export function returnRegister(type: FuncType): i32 {
  return isFloat(<i32>unchecked(type.results[0])) ? <i32>Xmm.XMM0 : <i32>Reg.RAX;
}

/**
 * Per function index: 1 when the function can be reached other than by a
 * direct call of its own module (exported, in an element segment, a
 * global's ref.func, the start function), so that it keeps the slot
 * convention at its code offset.
 */
export function slotCallable(module: Module): StaticArray<u8> {
  const reached = new StaticArray<u8>(module.funcTypes.length);
  const refs = module.declaredFuncRefs.values();
  for (let i = 0; i < refs.length; i++) reached[<i32>refs[i]] = 1;
  if (module.startFunc >= 0) reached[module.startFunc] = 1;
  return reached;
}
