// Loads, stores, memory.size and memory.grow.
//
// An access reads [r15 + index + offset], the index zero-extended (every i32
// in a register already is) and the static offset added in 64 bits, so no
// sum wraps. In guard-region mode the access itself is the check: anything
// past the current length is unmapped up to 8 GiB, the fault handler finds
// the faulting instruction in the pc map, so every access gets an entry.
// In explicit mode the code compares index + offset + size with the memory
// object's current length first (the length can change under us through
// memory.grow in a callee, so it is read each time).

import { Cond, Mem, Reg, Shift, mem, memIndex } from "../x64/assembler";
import { ValType } from "../module";
import { Op } from "../opcodes";
import { BoundsMode } from "../compiled";
import { MEMORY_LENGTH, RT_MEMORY_GROW, TrapKind, VMCTX_MEMORY, VMCTX_RUNTIME } from "../abi";
import { Generator } from "./generator";
import { Kind, MEMORY_BASE, OperandKind, SCRATCH, VMCTX, isFloat } from "./stack";

const INT32_MAX: u64 = 0x7fffffff;

/** Loads the current memory length into `reg`. */
export function loadMemoryLength(g: Generator, reg: Reg): void {
  g.asm.load(8, reg, mem(VMCTX, VMCTX_MEMORY));
  g.asm.load(8, reg, mem(reg, MEMORY_LENGTH));
}

/** Subtracts a value up to 2^33 from `reg` with imm32 instructions. */
function subtractLarge(g: Generator, reg: Reg, value: u64): void {
  while (value > 0) {
    const chunk = value > INT32_MAX ? INT32_MAX : value;
    g.asm.subImm(8, reg, <i32>chunk);
    value -= chunk;
  }
}

/**
 * The result of popAddress: the operand to access, and the register it uses
 * (HELD by the caller, -1 when none), which a load may reuse for its result.
 */
class Address {
  operand: Mem = 0;
  reg: i32 = -1;
}

const address = new Address();

/** Pops an i32 index and forms the operand of an access of `size` bytes at index + offset, checking bounds in explicit mode. */
// @ts-ignore: decorator
@inline function popAddress(g: Generator, offset: u32, size: i32): Address {
  const asm = g.asm;
  const explicit = g.options.bounds == BoundsMode.Explicit;
  const position = g.depth - 1;
  address.reg = -1;
  if (g.kindAt(position) == Kind.CONST) {
    const effective = <u64><u32>g.valueAt(position) + <u64>offset;
    g.drop();
    if (explicit) {
      const end = effective + <u64>size;
      loadMemoryLength(g, SCRATCH);
      if (end <= INT32_MAX) {
        asm.cmpImm(8, SCRATCH, <i32>end);
      } else {
        const temp = g.allocGpr();
        asm.movImm(8, temp, <i64>end);
        asm.cmp(8, SCRATCH, temp);
        g.release(temp, false);
      }
      g.trapIf(Cond.B, TrapKind.MemoryOutOfBounds);
    }
    if (effective <= INT32_MAX) {
      address.operand = mem(MEMORY_BASE, <i32>effective);
    } else {
      asm.movImm(8, SCRATCH, <i64>effective);
      address.operand = memIndex(MEMORY_BASE, SCRATCH, 1, 0);
    }
    return address;
  }
  // The index is only read: a local's register serves as it is.
  g.popOperand();
  let index: i32;
  if (g.operandKind == OperandKind.REG) {
    index = g.operandReg;
    if (g.operandOwned) address.reg = index;
  } else {
    index = g.allocGpr();
    asm.load(4, index, g.operandMem);
    address.reg = index;
  }
  if (explicit) {
    // index <= length - (offset + size), compared signed in 64 bits.
    loadMemoryLength(g, SCRATCH);
    subtractLarge(g, SCRATCH, <u64>offset + <u64>size);
    asm.cmp(8, index, SCRATCH);
    g.trapIf(Cond.G, TrapKind.MemoryOutOfBounds);
  }
  if (<u64>offset <= INT32_MAX) {
    address.operand = memIndex(MEMORY_BASE, index, 1, <i32>offset);
  } else {
    asm.movImm(8, SCRATCH, <i64><u64>offset);
    asm.add(8, SCRATCH, index);
    address.operand = memIndex(MEMORY_BASE, SCRATCH, 1, 0);
  }
  return address;
}

/** Marks the access about to be emitted as a possible fault (guard mode). */
// @ts-ignore: decorator
@inline function beforeAccess(g: Generator): void {
  if (g.options.bounds == BoundsMode.Guard) g.recordFault();
}

// @ts-ignore: decorator
@inline function emitLoad(g: Generator, op: u32, offset: u32): void {
  const asm = g.asm;
  let type: i32 = ValType.I32;
  let size = 4;
  switch (op) {
    case Op.I64Load: type = ValType.I64; size = 8; break;
    case Op.F32Load: type = ValType.F32; break;
    case Op.F64Load: type = ValType.F64; size = 8; break;
    case Op.I32Load8S: case Op.I32Load8U: size = 1; break;
    case Op.I32Load16S: case Op.I32Load16U: size = 2; break;
    case Op.I64Load8S: case Op.I64Load8U: type = ValType.I64; size = 1; break;
    case Op.I64Load16S: case Op.I64Load16U: type = ValType.I64; size = 2; break;
    case Op.I64Load32S: case Op.I64Load32U: type = ValType.I64; size = 4; break;
  }
  const where = popAddress(g, offset, size);
  const operand = where.operand;
  // Straight into a register local when a local.set of one follows.
  const target = g.resultLocal(isFloat(type));
  if (target >= 0) g.materializeLocal(target);
  if (isFloat(type)) {
    const result = target >= 0 ? g.localReg(target) : g.allocXmm();
    beforeAccess(g);
    asm.loadFloat(size, result, operand);
    if (where.reg >= 0) g.release(where.reg, false);
    if (target >= 0) g.takeResultLocal(target);
    else g.pushReg(type, result);
    return;
  }
  const result = target >= 0 ? g.localReg(target) : where.reg >= 0 ? where.reg : g.allocGpr();
  beforeAccess(g);
  switch (op) {
    case Op.I32Load: case Op.I64Load32U: asm.load(4, result, operand); break;
    case Op.I64Load: asm.load(8, result, operand); break;
    case Op.I32Load8S: asm.loadSignExtend(4, 1, result, operand); break;
    case Op.I32Load8U: case Op.I64Load8U: asm.loadZeroExtend(1, result, operand); break;
    case Op.I32Load16S: asm.loadSignExtend(4, 2, result, operand); break;
    case Op.I32Load16U: case Op.I64Load16U: asm.loadZeroExtend(2, result, operand); break;
    case Op.I64Load8S: asm.loadSignExtend(8, 1, result, operand); break;
    case Op.I64Load16S: asm.loadSignExtend(8, 2, result, operand); break;
    case Op.I64Load32S: asm.loadSignExtend(8, 4, result, operand); break;
  }
  if (target >= 0) {
    if (where.reg >= 0) g.release(where.reg, false);
    g.takeResultLocal(target);
    return;
  }
  g.pushReg(type, result);
}

// @ts-ignore: decorator
@inline function emitStore(g: Generator, op: u32, offset: u32): void {
  const asm = g.asm;
  let size = 4;
  switch (op) {
    case Op.I64Store: case Op.F64Store: size = 8; break;
    case Op.I32Store8: case Op.I64Store8: size = 1; break;
    case Op.I32Store16: case Op.I64Store16: size = 2; break;
  }
  // The value: an immediate when it fits, else a register.
  const position = g.depth - 1;
  const type = g.typeAt(position);
  let immediate = false;
  let bits: i64 = 0;
  let value = -1;
  if (g.kindAt(position) == Kind.CONST) {
    bits = g.valueAt(position);
    if (size < 8 || (bits >= -2147483648 && bits <= 2147483647)) {
      immediate = true;
      g.drop();
    }
  }
  let floatValue = false;
  let owned = true;
  if (!immediate) {
    if (g.kindAt(position) == Kind.CONST) {
      value = g.allocGpr();
      asm.movImm(8, value, bits);
      g.drop();
    } else {
      // The value is only read: a register local's register serves as it is.
      g.popOperand();
      floatValue = isFloat(type);
      if (g.operandKind == OperandKind.REG) {
        value = g.operandReg;
        owned = g.operandOwned;
      } else {
        value = g.allocFor(type);
        g.load(type, value, g.operandMem);
      }
    }
  }
  const where = popAddress(g, offset, size);
  beforeAccess(g);
  if (immediate) asm.storeImm(size, where.operand, <i32>bits);
  else if (floatValue) asm.storeFloat(size, where.operand, value);
  else asm.store(size, where.operand, value);
  if (where.reg >= 0) g.release(where.reg, false);
  if (value >= 0 && owned) g.release(value, floatValue);
}

function emitMemorySize(g: Generator): void {
  const reg = g.allocGpr();
  loadMemoryLength(g, reg);
  g.asm.shiftImm(Shift.SHR, 8, reg, 16);
  g.pushReg(ValType.I32, reg);
}

/** memory.grow calls the runtime (System V): every register entry is spilled first. */
function emitMemoryGrow(g: Generator): void {
  const asm = g.asm;
  g.spillRegisters(g.depth - 1);
  g.popToGpr(Reg.RSI);
  // A System V service: rbx, r12 and r13 survive it.
  g.saveRegisterLocals(true);
  asm.load(8, Reg.RDI, mem(VMCTX, VMCTX_MEMORY));
  asm.load(8, Reg.RAX, mem(VMCTX, VMCTX_RUNTIME));
  asm.callMem(mem(Reg.RAX, RT_MEMORY_GROW));
  g.restoreRegisterLocals(true);
  g.release(Reg.RSI, false);
  g.takeGpr(Reg.RAX);
  asm.mov(4, Reg.RAX, Reg.RAX);
  g.pushReg(ValType.I32, Reg.RAX);
}

/** Compiles a memory instruction; false when `op` is not one. */
// @ts-ignore: decorator
@inline export function emitMemory(g: Generator, op: u32): bool {
  if (op >= <u32>Op.I32Load && op <= <u32>Op.I64Load32U) {
    g.reader.u32();
    emitLoad(g, op, g.reader.u32());
    return true;
  }
  if (op >= <u32>Op.I32Store && op <= <u32>Op.I64Store32) {
    g.reader.u32();
    emitStore(g, op, g.reader.u32());
    return true;
  }
  if (op == Op.MemorySize) {
    g.reader.u8();
    emitMemorySize(g);
    return true;
  }
  if (op == Op.MemoryGrow) {
    g.reader.u8();
    emitMemoryGrow(g);
    return true;
  }
  return false;
}
