// The code generator: WebAssembly module -> one position-independent x86-64
// code blob (docs/compiler-abi.md), with each function's place and the pc
// map. Layout of the blob: the shared trap thunks, the functions (each
// followed by its slow paths and trap stubs), the item arrays of passive
// element segments, and the constant pool (with passive data segments).
//
// The files of this folder, by concern: stack.ts (the register-cached value
// stack), generator.ts (shared state, traps, conditions, merges), locals.ts
// (which locals live in registers, which need zeroing), body.ts (the
// per-function pass), immediates.ts (skipping instructions), constants.ts
// (the constant pool), and the instruction families: control.ts,
// variables.ts, integer.ts, float.ts, convert.ts, memory.ts, bulk.ts,
// call.ts (with delos:native intrinsics) and x86.ts (the kernel's x86
// intrinsics).

import { slotCallable } from "./convention";
import { Assembler, Alu, Reg, mem } from "../x64/assembler";
import { ExternKind, Module, SegmentMode } from "../module";
import { CompiledCode, CompiledFunction, CompileOptions } from "../compiled";
import { INTRINSICS_MODULE, RT_TRAP, TrapKind, VMCTX_RUNTIME, X86_MODULE, vmctxLayout } from "../abi";
import { setMessage } from "../io";
import { Generator } from "./generator";
import { compileFunction } from "./body";
import { emitElementItems } from "./bulk";
import { Intrinsic, intrinsicByName } from "./call";
import { VMCTX } from "./stack";
import { x86Intrinsic } from "./x86";
import { lowerFunction } from "../opt/lower";
import { validateBody } from "../validate";
import { FIRST_X86_INTRINSIC } from "./locals";
import { CALLEE_CLOBBERS, CALLEE_FIXED, CALLEE_INLINE } from "../validate/body";

/**
 * The shared trap thunks: `call thunk[kind]` at a trap site arrives here with
 * the site's pc on the stack. Each passes (kind, pc) to the runtime's trap
 * service, realigning the stack as for a call.
 */
function emitTrapThunks(g: Generator): void {
  const asm = g.asm;
  g.thunkLabels.push(asm.newLabel()); // kind 0 is "no trap"
  for (let kind = 1; kind < TrapKind.Count; kind++) {
    const label = asm.newLabel();
    g.thunkLabels.push(label);
    asm.bind(label);
    if (kind == TrapKind.StackExhausted) {
      // From a prologue's failed check, where rdi and rsi may hold register
      // parameters (convention.ts): kept below the return address, at
      // [rbp - 24] and [rbp - 32], for a kernel that grows the stack and
      // runs the check again (docs/kernel.md, "Stacks").
      asm.push(Reg.RDI);
      asm.push(Reg.RSI);
      asm.movImm(4, Reg.RDI, kind);
      asm.load(8, Reg.RSI, mem(Reg.RSP, 16));
    } else {
      asm.movImm(4, Reg.RDI, kind);
      asm.pop(Reg.RSI);
    }
    asm.load(8, Reg.RAX, mem(VMCTX, VMCTX_RUNTIME));
    asm.aluImm(Alu.AND, 8, Reg.RSP, -16);
    asm.push(Reg.RSI);
    asm.jmpMem(mem(Reg.RAX, RT_TRAP));
  }
}

/** Which imported functions are privileged intrinsics; false (message set) for an unknown one. */
function findIntrinsics(g: Generator): bool {
  const module = g.module;
  for (let i = 0; i < module.imports.length; i++) {
    const entry = module.imports[i];
    if (entry.kind != ExternKind.Func) continue;
    let intrinsic = Intrinsic.NONE;
    if (g.options.privileged && entry.module == INTRINSICS_MODULE) {
      intrinsic = intrinsicByName(entry.name);
      if (intrinsic == Intrinsic.NONE) {
        setMessage("unknown intrinsic " + INTRINSICS_MODULE + "." + entry.name);
        return false;
      }
    } else if (g.options.privileged && entry.module == X86_MODULE) {
      intrinsic = x86Intrinsic(entry.name, module.types[<i32>entry.typeIndex]);
      if (intrinsic == Intrinsic.NONE) return false;
    }
    g.intrinsics.push(intrinsic);
  }
  // Calls of the x86 intrinsics keep the caller's locals out of registers
  // (locals.ts); other intrinsics keep the callee-saved registers.
  let any = false;
  for (let i = 0; i < g.intrinsics.length; i++) any = any || g.intrinsics[i] != Intrinsic.NONE;
  if (any) {
    const kinds = new StaticArray<u8>(g.intrinsics.length);
    for (let i = 0; i < g.intrinsics.length; i++) {
      const intrinsic = g.intrinsics[i];
      kinds[i] = intrinsic >= FIRST_X86_INTRINSIC ? CALLEE_FIXED : intrinsic != Intrinsic.NONE ? CALLEE_INLINE : CALLEE_CLOBBERS;
    }
    g.validator.importKinds = kinds;
  }
  return true;
}

/**
 * Compiles a decoded module whose module-level rules are validated
 * (validateModule); each function body is validated here, just before it is
 * compiled. Null (with the message set) when the module is invalid or cannot
 * be compiled.
 */
export function compileCode(module: Module, options: CompileOptions): CompiledCode | null {
  const layout = vmctxLayout(module);
  const asm = new Assembler();
  // Code is about three to four times the size of the wasm bodies: reserve once.
  let bodyBytes = 0;
  for (let i = 0; i < module.bodies.length; i++) bodyBytes += <i32>(module.bodies[i].codeEnd - module.bodies[i].codeStart);
  asm.buffer.reserve(4 * bodyBytes + 4096);
  const g = new Generator(module, options, layout, asm);
  // Reserve the pc map too (one entry per memory access and trap site): growing it copies.
  g.pcMap.reserve(bodyBytes >> 3);
  if (!findIntrinsics(g)) return null;
  const functionCount = module.funcTypes.length;
  g.slotCallable = slotCallable(module);
  for (let i = 0; i < functionCount; i++) {
    const label = asm.newLabel();
    g.funcLabels.push(label);
    // A slot entry in front of the body: convention.ts.
    const entered = <u32>i >= module.numImportedFuncs && unchecked(g.slotCallable[i]) != 0 && module.funcType(<u32>i).params.length > 0;
    g.bodyLabels.push(entered ? asm.newLabel() : label);
  }
  for (let i = 0; i < module.datas.length; i++) {
    const data = module.datas[i];
    g.dataLabels.push(data.mode == SegmentMode.Passive ? g.pool.blob(asm, data.dataStart, data.dataLength) : -1);
  }
  for (let i = 0; i < module.elems.length; i++) {
    g.elemLabels.push(module.elems[i].mode == SegmentMode.Passive ? asm.newLabel() : -1);
  }

  emitTrapThunks(g);
  const result = new CompiledCode(module, options, layout);
  for (let i = 0; i < module.bodies.length; i++) {
    if (!validateBody(g.validator, module, i)) return null;
    if (options.tier == 2 && lowerFunction(g, i)) {
      result.tier2Functions++;
    } else {
      if (options.tier == 2) result.tier2Fallbacks++;
      if (!compileFunction(g, i)) {
        // An invalid body further on is the error to report, as when all were validated first.
        for (let k = i + 1; k < module.bodies.length; k++) if (!validateBody(g.validator, module, k)) return null;
        setMessage(g.failure);
        return null;
      }
    }
    const compiled = new CompiledFunction();
    compiled.funcIndex = module.numImportedFuncs + <u32>i;
    compiled.codeOffset = <u32>asm.labelOffset(g.funcLabels[<i32>compiled.funcIndex]);
    compiled.codeSize = <u32>asm.offset - compiled.codeOffset;
    result.functions.push(compiled);
  }
  emitElementItems(g);
  g.pool.emit(asm, module.bytes);
  if (!asm.finish()) {
    setMessage(asm.error);
    return null;
  }
  result.code = asm.toBytes();
  result.pcMap = g.pcMap;
  return result;
}
