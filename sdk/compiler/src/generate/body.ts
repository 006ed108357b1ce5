// Compiles one function body in a single pass: prologue, each instruction in
// order (dispatched to its family's file), then the out-of-line slow paths
// and trap stubs. Code after an unconditional branch is dead until the `end`
// or `else` of the enclosing block: it is skipped, not compiled, keeping
// track only of nested blocks.
//
// Prologue: push rbp; mov rbp, rsp; push r14 (the vmctx, restored from
// there after calls that switch instances); the stack check of the frame's
// lowest address, before rsp moves (lea r11, [rsp - FRAME]; cmp r11,
// fs:[limit]; jb trap; sub rsp, FRAME), so a frame too large for the stack
// never writes below the limit (the trap stub sits just before the function,
// in reach of a short jump); the saving of the callee-saved registers the
// function writes (stack.ts, locals.ts); zeroing of the declared locals that may be
// read before being set; loading of the parameters kept in registers. FRAME
// is patched at the end, once the deepest value stack and the largest call
// are known; it keeps rsp 16-byte aligned (rbp is, after the pushes of the
// return address and rbp) and is at most MAX_FRAME_SIZE.

import { Alu, Label, Packed, Reg, mem } from "../x64/assembler";
import { Op } from "../opcodes";
import { Generator, ControlKind } from "./generator";
import { emitBlock, emitBr, emitBrIf, emitBrTable, emitDrop, emitElse, emitEnd, emitIf, emitReturn, emitSelect, emitUnreachable } from "./control";
import { emitInteger } from "./integer";
import { emitFloat } from "./float";
import { emitConversion, emitSaturatingConversion, emitSlowPath } from "./convert";
import { emitMemory } from "./memory";
import { emitBulk } from "./bulk";
import { emitCall, emitCallIndirect } from "./call";
import { emitGlobalGet, emitGlobalSet, emitLocalGet, emitLocalSet } from "./variables";
import { ValType } from "../module";
import { CALLEE_SAVED, FRAME_TOP, SCRATCH, VMCTX, isFloat } from "./stack";
import { MAX_FRAME_SIZE } from "../abi";
import { skipImmediates } from "./immediates";
import { chooseRegisterLocals } from "./locals";
import { OPCODE_CLASSES, OpClass } from "../validate/signatures";
import { setAt } from "../lists";
import { paramRegister } from "./convention";

/** Locals up to this many are zeroed with one store each; more with rep stosq. */
const INLINE_ZEROING = 16;

/** Where the prologue's two FRAME immediates are, patched once the function is compiled. */
class FramePatch {
  /** The displacement of lea r11, [rsp - FRAME]. */
  bottom: i32 = 0;
  /** The immediate of sub rsp, FRAME. */
  reserve: i32 = 0;
}

const framePatch = new FramePatch();
/** An immediate that takes four bytes, until patched. */
const FRAME_PLACEHOLDER: i32 = 0x7fffffff;

function prologue(g: Generator, stackTrap: Label): void {
  const asm = g.asm;
  asm.push(Reg.RBP);
  asm.mov(8, Reg.RBP, Reg.RSP);
  asm.push(VMCTX);
  // lea r11, [rsp - FRAME]; the check; sub rsp, FRAME (not mov rsp, r11,
  // which costs calls measurably more). FRAME is patched in both once known.
  asm.lea(8, SCRATCH, mem(Reg.RSP, -FRAME_PLACEHOLDER));
  framePatch.bottom = asm.offset - 4;
  g.emitStackCheck(SCRATCH, stackTrap);
  asm.aluImm(Alu.SUB, 8, Reg.RSP, FRAME_PLACEHOLDER);
  framePatch.reserve = asm.offset - 4;
  let saved = g.savedInPrologue;
  while (saved) {
    const k = ctz(saved);
    saved &= saved - 1;
    asm.store(8, mem(Reg.RBP, FRAME_TOP - 8 * k), unchecked(CALLEE_SAVED[k]));
  }
  // The parameters that came in registers (convention.ts) go to their
  // homes before anything below uses rax, rcx or rdi: a register local's
  // register (dirty, or with its slot written too when the local is never
  // assigned, whose reloads read the slot), else the slot.
  const type = g.funcType;
  for (let i = 0; i < g.paramCount; i++) {
    const reg = paramRegister(type, i);
    if (reg < 0) continue;
    const localType = <i32>unchecked(g.localTypes[i]);
    const home = g.localReg(i);
    if (home < 0 || !unchecked(g.assignedLocals[i])) g.store(g.localMem(i), localType, reg);
    if (home < 0) continue;
    if (isFloat(localType)) asm.movaps(home, reg);
    else asm.mov(8, home, reg);
    g.writeLocal(i);
  }
  // Declared locals start at zero: those that may be read before being set.
  // A register local's slot is zeroed only when it is never assigned (its
  // reload after a call then reads the slot); an assigned one starts dirty,
  // so that its first store writes the zero.
  const locals = g.declaredLocals;
  let count = 0;
  for (let k = 0; k < locals; k++) {
    const index = g.paramCount + k;
    if (unchecked(g.zeroLocals[index]) && (g.localReg(index) < 0 || !unchecked(g.assignedLocals[index]))) count++;
  }
  if (count > INLINE_ZEROING) {
    asm.lea(8, Reg.RDI, mem(Reg.RBP, g.frameTop - 8 * (locals - 1)));
    asm.movImm(4, Reg.RCX, locals);
    asm.xor(4, Reg.RAX, Reg.RAX);
    asm.repStosq();
  } else if (count > 0) {
    asm.xor(4, Reg.RAX, Reg.RAX);
    for (let k = 0; k < locals; k++) {
      const index = g.paramCount + k;
      if (unchecked(g.zeroLocals[index]) && (g.localReg(index) < 0 || !unchecked(g.assignedLocals[index]))) {
        asm.store(8, mem(Reg.RBP, g.frameTop - 8 * k), Reg.RAX);
      }
    }
  }
  // Locals kept in registers: parameters come from their slots (a cached
  // global from its cell), the others start at zero.
  for (let k = 0; k < g.registerLocals.length; k++) {
    const index = g.registerLocals[k];
    const type = <i32>g.localTypes[index];
    const reg = g.localReg(index);
    if (index < g.paramCount) {
      if (paramRegister(g.funcType, index) < 0) g.load(type, reg, g.localMem(index));
    } else if (index == g.globalLocal) g.load(type, reg, g.localMem(index));
    else if (!unchecked(g.zeroLocals[index])) continue;
    else {
      if (isFloat(type)) asm.packed(Packed.XOR, 4, reg, reg);
      else asm.xor(4, reg, reg);
      g.writeLocal(index);
    }
  }
}

/** The frame below the saved vmctx: the save area, locals, stack slots and the call area, rounded so rsp stays aligned. */
function frameSize(g: Generator): i32 {
  const size = FRAME_TOP - g.frameTop + 8 * (g.declaredLocals + g.maxDepth + g.callSlots);
  return (size & 15) == 8 ? size : size + 8;
}

/** Skips the immediates of `op` in dead code, tracking block nesting. */
function skipDead(g: Generator, op: u32): void {
  if (op == Op.Block || op == Op.Loop || op == Op.If) g.deadDepth++;
  skipImmediates(g.reader, op);
}

/**
 * Compiles one instruction in reachable code; false when it is not supported.
 * Dispatched on the validator's opcode classes: a dense switch is one jump
 * table, where one over the sparse opcodes is a chain of compares. Inlined
 * into the body loop, its one caller: a call per wasm instruction costs.
 */
// @ts-ignore: decorator
@inline function compileInstruction(g: Generator, op: u32): bool {
  const reader = g.reader;
  switch (<i32>unchecked(OPCODE_CLASSES[op])) {
    case OpClass.LOCAL_GET: emitLocalGet(g, <i32>reader.u32()); return true;
    case OpClass.I32_CONST: g.pushConst(ValType.I32, <i64><u32>reader.i32()); return true;
    case OpClass.MEMORY: case OpClass.MEMORY_SIZE: case OpClass.MEMORY_GROW: return emitMemory(g, op);
    case OpClass.NUMERIC: {
      // The numeric opcodes come in ranges: one or two tests pick the family.
      // (One call of emitInteger, which is inlined.)
      if (op > <u32>Op.I64GeU && (op < <u32>Op.I32Clz || op > <u32>Op.I64Rotr)) {
        if (op <= <u32>Op.F64Copysign) return emitFloat(g, op);
        if (op <= <u32>Op.F64ReinterpretI64) return emitConversion(g, op);
      }
      return emitInteger(g, op);
    }
    case OpClass.CALL: emitCall(g, reader.u32()); return true;
    case OpClass.LOCAL_SET: emitLocalSet(g, <i32>reader.u32(), false); return true;
    case OpClass.LOCAL_TEE: emitLocalSet(g, <i32>reader.u32(), true); return true;
    case OpClass.BLOCK: {
      if (op == Op.If) emitIf(g);
      else emitBlock(g, op == Op.Loop ? ControlKind.LOOP : ControlKind.BLOCK);
      return true;
    }
    case OpClass.ELSE: emitElse(g); return true;
    case OpClass.BR: emitBr(g); return true;
    case OpClass.BR_IF: emitBrIf(g); return true;
    case OpClass.BR_TABLE: emitBrTable(g); return true;
    case OpClass.RETURN: emitReturn(g); return true;
    case OpClass.UNREACHABLE: emitUnreachable(g); return true;
    case OpClass.NOP: return true;
    case OpClass.CALL_INDIRECT: { const type = reader.u32(); reader.u32(); emitCallIndirect(g, type); return true; }
    case OpClass.DROP: emitDrop(g); return true;
    case OpClass.SELECT: emitSelect(g); return true;
    case OpClass.GLOBAL_GET: emitGlobalGet(g, reader.u32()); return true;
    case OpClass.GLOBAL_SET: emitGlobalSet(g, reader.u32()); return true;
    case OpClass.I64_CONST: g.pushConst(ValType.I64, reader.i64()); return true;
    case OpClass.F32_CONST: g.pushConst(ValType.F32, <i64>reader.fixed32()); return true;
    case OpClass.F64_CONST: g.pushConst(ValType.F64, <i64>reader.fixed64()); return true;
    case OpClass.PREFIX: {
      const sub = reader.u32();
      return emitSaturatingConversion(g, sub) || emitBulk(g, sub);
    }
  }
  return false;
}

/** Compiles the defined function `bodyIndex`; false (with g.failure set) on an unsupported construct. */
export function compileFunction(g: Generator, bodyIndex: i32): bool {
  const module = g.module;
  const asm = g.asm;
  const body = module.bodies[bodyIndex];
  const funcIndex = module.numImportedFuncs + <u32>bodyIndex;
  const type = module.types[<i32>body.typeIndex];
  const localTypes = g.localTypesBuffer;
  localTypes.length = type.params.length + body.locals.length;
  for (let i = 0; i < type.params.length; i++) setAt(localTypes, i, unchecked(type.params[i]));
  for (let i = 0; i < body.locals.length; i++) setAt(localTypes, type.params.length + i, unchecked(body.locals[i]));

  g.funcIndex = funcIndex;
  g.funcType = type;
  g.resetStack(localTypes, type.params.length);
  g.reader.pos = body.codeStart;
  g.reader.end = body.codeEnd;
  chooseRegisterLocals(g, g.validator);
  g.reachable = true;
  g.deadDepth = 0;
  g.controlDepth = 0;
  g.callSlots = 0;
  g.pendingCond = -1;
  g.slowPaths.length = 0;
  g.wasmOffset = body.offset;

  const stackTrap = g.beginFunction(funcIndex, type, true);
  prologue(g, stackTrap);
  const outer = g.pushControl(ControlKind.FUNCTION, type);
  outer.base = 0;

  const reader = g.reader;
  const bytes = module.bytes.dataStart;
  while (g.controlDepth > 0) {
    const pos = reader.pos;
    if (pos >= reader.end) {
      g.fail("function " + funcIndex.toString() + ": body ends inside a block");
      return false;
    }
    g.wasmOffset = pos;
    const op = <u32>load<u8>(bytes + <usize>pos);
    reader.pos = pos + 1;
    if (!g.reachable) {
      if (op == Op.End) {
        if (g.deadDepth > 0) { g.deadDepth--; continue; }
        emitEnd(g);
        continue;
      }
      if (op == Op.Else && g.deadDepth == 0) { emitElse(g); continue; }
      skipDead(g, op);
      continue;
    }
    if (op == Op.End) { emitEnd(g); continue; }
    if (!compileInstruction(g, op)) {
      g.fail("function " + funcIndex.toString() + ": unsupported instruction 0x" + op.toString(16) + " at byte " + g.wasmOffset.toString());
      return false;
    }
    if (g.failed) return false;
  }

  for (let i = 0; i < g.slowPaths.length; i++) {
    const path = g.slowPaths[i];
    g.wasmOffset = path.wasmOffset;
    emitSlowPath(g, path);
  }
  g.emitTrapStubs();
  const frame = frameSize(g);
  if (frame > MAX_FRAME_SIZE) {
    g.fail("function " + funcIndex.toString() + ": a frame of " + frame.toString() + " bytes exceeds the limit of " + MAX_FRAME_SIZE.toString());
    return false;
  }
  asm.buffer.patch32(framePatch.bottom, -frame);
  asm.buffer.patch32(framePatch.reserve, frame);
  return true;
}
