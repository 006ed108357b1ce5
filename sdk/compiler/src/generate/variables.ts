// local.get/set/tee and global.get/set. Locals live in frame slots (see
// stack.ts); `local.get` pushes a latent reference, and a `local.set` first
// gives every reference to the local's old value a copy of its own. Defined
// globals are cells in the vmctx; an imported global's vmctx slot points to
// the cell of the instance that owns it. The most used defined integer
// global of a function may be kept in a register as a local of its own
// (ValueStack.cacheGlobal, chosen in locals.ts).

import { mem } from "../x64/assembler";
import { Generator } from "./generator";
import { Kind, OperandKind, SCRATCH, VMCTX, sizeOf } from "./stack";

export function emitLocalGet(g: Generator, index: i32): void {
  g.pushLocal(index);
}

// @ts-ignore: decorator
@inline export function emitLocalSet(g: Generator, index: i32, tee: bool): void {
  const position = g.depth - 1;
  const kind = g.kindAt(position);
  if (kind == Kind.LOCAL && <i32>g.valueAt(position) == index) {
    // local.set x (local.get x) changes nothing.
    if (!tee) g.drop();
    return;
  }
  g.materializeLocal(index);
  const type = g.typeAt(position);
  const home = g.localReg(index);
  if (home >= 0) {
    g.copyToReg(position, home);
    g.writeLocal(index);
    g.drop();
    if (tee) g.pushLocal(index);
    return;
  }
  const target = g.localMem(index);
  if (kind == Kind.CONST) {
    g.storeConst(target, type, g.valueAt(position));
    if (!tee) g.drop();
    return;
  }
  if (kind == Kind.REG) {
    g.store(target, type, <i32>g.valueAt(position));
    if (!tee) g.drop();
    return;
  }
  if (!tee) {
    g.copyToMem(position, target);
    g.drop();
    return;
  }
  // local.tee of a value in memory: load it once, keep it in the register.
  const reg = g.popToReg();
  g.store(target, type, reg);
  g.pushReg(type, reg);
}

function globalType(g: Generator, index: u32): i32 {
  const global = g.module.globals[<i32>index];
  return global.type.valType;
}

function isImportedGlobal(g: Generator, index: u32): bool {
  const imported = g.module.numImportedGlobals;
  return index < imported;
}

export function emitGlobalGet(g: Generator, index: u32): void {
  if (g.globalLocal >= 0 && index == g.cachedGlobal) {
    g.pushLocal(g.globalLocal);
    return;
  }
  const type = globalType(g, index);
  const reg = g.allocFor(type);
  const slot = g.layout.global(index);
  if (isImportedGlobal(g, index)) {
    g.asm.load(8, SCRATCH, mem(VMCTX, slot));
    g.load(type, reg, mem(SCRATCH, 0));
  } else {
    g.load(type, reg, mem(VMCTX, slot));
  }
  g.pushReg(type, reg);
}

export function emitGlobalSet(g: Generator, index: u32): void {
  const type = globalType(g, index);
  const slot = g.layout.global(index);
  if (isImportedGlobal(g, index)) {
    const position = g.depth - 1;
    if (g.kindAt(position) == Kind.CONST) {
      const bits = g.valueAt(position);
      g.drop();
      const cell = g.allocGpr();
      g.asm.load(8, cell, mem(VMCTX, slot));
      g.storeConst(mem(cell, 0), type, bits);
      g.release(cell, false);
      return;
    }
    const value = g.popToReg();
    g.asm.load(8, SCRATCH, mem(VMCTX, slot));
    g.store(mem(SCRATCH, 0), type, value);
    g.releaseFor(type, value);
    return;
  }
  const target = mem(VMCTX, slot);
  if (g.globalLocal >= 0 && index == g.cachedGlobal) {
    // Into the register, and through to the cell.
    const local = g.globalLocal;
    emitLocalSet(g, local, false);
    g.store(target, type, g.freshLocal(local));
    return;
  }
  g.popOperand();
  if (g.operandKind == OperandKind.IMM) g.storeConst(target, type, g.operandImm);
  else if (g.operandKind == OperandKind.REG) g.store(target, type, g.operandReg);
  else {
    g.asm.load(sizeOf(type), SCRATCH, g.operandMem);
    g.asm.store(sizeOf(type), target, SCRATCH);
  }
  g.releaseOperand();
}
