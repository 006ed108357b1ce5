// Bulk memory and table operations: memory.copy/fill/init, data.drop,
// table.init/copy, elem.drop. Each checks all of its bounds before writing
// anything (so a trapping operation writes nothing), then copies: a short
// copy in 16-byte blocks and bytes, a long one and a fill with `rep
// movsq`/`rep stosq` and the last 0-7 bytes with `rep movsb`/`rep stosb`.
// A copy to a higher address that overlaps its source runs backwards,
// which gives memmove semantics.
//
// The operands go to fixed registers (rdi = destination, rsi = source,
// rcx = count), so every register entry is spilled first, as for a call.
// Passive data segments' bytes live in the constant pool; passive element
// segments are arrays of 16-byte items in the code (see emitElementItems),
// from which table.init builds the 24-byte table elements.

import { Alu, Assembler, Cond, Label, Reg, Shift, mem, memIndex, memLabel } from "../x64/assembler";
import { ConstKind, SegmentMode } from "../module";
import { PrefixedOp } from "../opcodes";
import {
  ELEMENT_CODE, ELEMENT_SIZE, ELEMENT_TYPE_ID, ELEMENT_VMCTX, TABLE_ELEMENTS, TABLE_LENGTH, TrapKind, VMCTX_TABLE,
} from "../abi";
import { Generator } from "./generator";
import { Kind, MEMORY_BASE, SCRATCH, SCRATCH_XMM, VMCTX } from "./stack";
import { loadMemoryLength } from "./memory";

/** Element item kinds in the item arrays. */
const enum Item {
  NULL = 0,
  DEFINED = 1,
  IMPORTED = 2,
}
const ITEM_SIZE: i32 = 16;

/**
 * Pops the three operands of a bulk operation into rdi, rsi (or rax for
 * fill) and rcx, after storing the register locals (the operation clobbers
 * registers; emitBulk reloads them). The operands go to memory first, so
 * that filling one register cannot overwrite a local another one reads.
 */
function operandsToRegisters(g: Generator, second: Reg): void {
  g.spillAll();
  // The operations use rax, rcx, rdx, rsi, rdi, r8 and r11: the callee-saved registers survive.
  g.saveRegisterLocals(true);
  const first = g.depth - 3;
  g.copyToReg(first, Reg.RDI);
  g.copyToReg(first + 1, second);
  g.copyToReg(first + 2, Reg.RCX);
  g.truncate(first);
}

/** Traps with `kind` when start + rcx > limit (64-bit, unsigned). */
function checkRange(g: Generator, start: Reg, limit: Reg, kind: TrapKind): void {
  g.asm.lea(8, Reg.RDX, memIndex(start, Reg.RCX, 1, 0));
  g.asm.cmp(8, Reg.RDX, limit);
  g.trapIf(Cond.A, kind);
}

/** Shortest forward copy done with `rep movs`; shorter ones take a 16-byte loop. */
const REP_COPY_MINIMUM: i32 = 256;

/**
 * Copies rcx bytes from [rsi] to [rdi], correctly when the ranges overlap.
 * Forward copies move 16-byte blocks then bytes, or from REP_COPY_MINIMUM
 * bytes on quadwords then the last 0-7 bytes with `rep` (a forward copy is
 * right for any overlap with the destination below the source: every block
 * is read before the write that reaches it). A destination that
 * starts inside the source is copied from the end down, 16 bytes at a
 * time (each block is read before the write that overlaps it), then bytes.
 */
function memmove(g: Generator): void {
  const asm = g.asm;
  const forward = asm.newLabel();
  const large = asm.newLabel();
  const done = asm.newLabel();
  asm.cmp(8, Reg.RDI, Reg.RSI);
  asm.jccShort(Cond.BE, forward);
  asm.lea(8, Reg.RAX, memIndex(Reg.RSI, Reg.RCX, 1, 0));
  asm.cmp(8, Reg.RDI, Reg.RAX);
  asm.jccShort(Cond.AE, forward);
  asm.add(8, Reg.RSI, Reg.RCX);
  asm.add(8, Reg.RDI, Reg.RCX);
  copyLoops(asm, true, done);
  // Forward: short copies (AssemblyScript's string concatenations, array
  // growth) in the loops too, since each `rep` costs tens of cycles to
  // start; long ones with `rep movsq`/`rep movsb`.
  asm.bind(forward);
  asm.cmpImm(8, Reg.RCX, REP_COPY_MINIMUM);
  asm.jcc(Cond.AE, large);
  copyLoops(asm, false, done);
  asm.bind(large);
  asm.copyUpward();
  asm.bind(done);
}

/** Moves rsi and rdi by `bytes`, down when `backward`. */
function advance(asm: Assembler, backward: bool, bytes: i32): void {
  if (backward) {
    asm.subImm(8, Reg.RSI, bytes);
    asm.subImm(8, Reg.RDI, bytes);
  } else {
    asm.addImm(8, Reg.RSI, bytes);
    asm.addImm(8, Reg.RDI, bytes);
  }
}

/**
 * Copies rcx bytes, 16 at a time then one at a time, upwards from [rsi] to
 * [rdi], or downwards when `backward` (rsi and rdi then point past the
 * ends); then jumps to `done`. Uses rax and SCRATCH_XMM.
 */
function copyLoops(asm: Assembler, backward: bool, done: Label): void {
  const blocks = asm.newLabel();
  const bytes = asm.newLabel();
  const byteLoop = asm.newLabel();
  asm.cmpImm(8, Reg.RCX, 16);
  asm.jccShort(Cond.B, bytes);
  asm.alignWithNops(32); // the loop's speed must not depend on where the copy lands
  asm.bind(blocks);
  if (backward) advance(asm, true, 16);
  asm.loadUnaligned(SCRATCH_XMM, mem(Reg.RSI, 0));
  asm.storeUnaligned(mem(Reg.RDI, 0), SCRATCH_XMM);
  if (!backward) advance(asm, false, 16);
  asm.subImm(8, Reg.RCX, 16);
  asm.cmpImm(8, Reg.RCX, 16);
  asm.jccShort(Cond.AE, blocks);
  asm.bind(bytes);
  asm.test(8, Reg.RCX, Reg.RCX);
  asm.jcc(Cond.E, done);
  asm.bind(byteLoop);
  if (backward) advance(asm, true, 1);
  asm.loadZeroExtend(1, Reg.RAX, mem(Reg.RSI, 0));
  asm.store(1, mem(Reg.RDI, 0), Reg.RAX);
  if (!backward) advance(asm, false, 1);
  asm.subImm(8, Reg.RCX, 1);
  asm.jccShort(Cond.NE, byteLoop);
  asm.jmp(done);
}

function memoryCopy(g: Generator): void {
  operandsToRegisters(g, Reg.RSI);
  emitMemoryCopyFromRegisters(g);
}

/**
 * memory.copy of rcx bytes from rsi to rdi (both offsets in linear memory):
 * the bounds checks, then the copy. Clobbers rax, rcx, rdx, rsi, rdi, r11
 * and xmm15; the optimizing tier emits it too.
 */
export function emitMemoryCopyFromRegisters(g: Generator): void {
  const asm = g.asm;
  loadMemoryLength(g, SCRATCH);
  checkRange(g, Reg.RSI, SCRATCH, TrapKind.MemoryOutOfBounds);
  checkRange(g, Reg.RDI, SCRATCH, TrapKind.MemoryOutOfBounds);
  asm.add(8, Reg.RSI, MEMORY_BASE);
  asm.add(8, Reg.RDI, MEMORY_BASE);
  memmove(g);
}

/** Longest memory.fill of constant value and length written as plain stores (tier 2 too: opt/intervals.ts). */
export const SMALL_FILL: u32 = 64;

/**
 * memory.fill with a constant value and a constant length of at most
 * SMALL_FILL bytes (AssemblyScript clears every shadow-stack frame so):
 * the bounds check, then eight-byte stores and a 4/2/1-byte tail, no
 * `rep` and no spills. False, with nothing emitted, for any other fill.
 */
function smallFill(g: Generator): bool {
  const top = g.depth - 1;
  if (g.kindAt(top) != Kind.CONST || g.kindAt(top - 1) != Kind.CONST) return false;
  const length = <u32>g.valueAt(top);
  if (length > SMALL_FILL) return false;
  const pattern = <i64>(<u64>(<u8>g.valueAt(top - 1)) * 0x0101010101010101);
  g.drop();
  g.drop();
  const asm = g.asm;
  const destination = <Reg>g.popToReg();
  const scratch = <Reg>g.allocGpr();
  loadMemoryLength(g, SCRATCH);
  asm.lea(8, scratch, mem(destination, <i32>length));
  asm.cmp(8, scratch, SCRATCH);
  g.trapIf(Cond.A, TrapKind.MemoryOutOfBounds);
  asm.movImm(8, scratch, pattern);
  emitFillStores(asm, destination, length, scratch);
  g.release(scratch, false);
  g.release(destination, false);
  return true;
}

/** Writes the 8-byte pattern in `pattern` over `length` bytes at `destination` in linear memory: quadwords, then a 4/2/1-byte tail. */
export function emitFillStores(asm: Assembler, destination: Reg, length: u32, pattern: Reg): void {
  let at: u32 = 0;
  for (; at + 8 <= length; at += 8) asm.store(8, memIndex(MEMORY_BASE, destination, 1, <i32>at), pattern);
  for (let size: u32 = 4; size >= 1; size >>= 1) {
    if (at + size <= length) { asm.store(<i32>size, memIndex(MEMORY_BASE, destination, 1, <i32>at), pattern); at += size; }
  }
}

function memoryFill(g: Generator): void {
  operandsToRegisters(g, Reg.RAX);
  emitMemoryFillFromRegisters(g);
}

/**
 * memory.fill of rcx bytes at rdi (an offset in linear memory) with the
 * byte in al: the bounds check, then the stores. Clobbers rax, rcx, rdx,
 * rdi and r11; the optimizing tier emits it too.
 */
export function emitMemoryFillFromRegisters(g: Generator): void {
  const asm = g.asm;
  loadMemoryLength(g, SCRATCH);
  checkRange(g, Reg.RDI, SCRATCH, TrapKind.MemoryOutOfBounds);
  asm.add(8, Reg.RDI, MEMORY_BASE);
  // The byte in every byte of rax: quadwords, then the last 0-7 bytes.
  asm.zeroExtend(1, Reg.RAX, Reg.RAX);
  asm.movImm(8, SCRATCH, 0x0101010101010101);
  asm.imul(8, Reg.RAX, SCRATCH);
  asm.fillUpward();
}

/** rax = the length of a segment, or 0 once its vmctx flag says it was dropped. */
function segmentLength(g: Generator, length: u32, droppedSlot: i32): void {
  const asm = g.asm;
  asm.movImm(4, Reg.RAX, <i64>length);
  asm.xor(4, SCRATCH, SCRATCH);
  asm.cmpMemImm(8, mem(VMCTX, droppedSlot), 0);
  asm.cmov(Cond.NE, 8, Reg.RAX, SCRATCH);
}

function memoryInit(g: Generator, segment: u32): void {
  operandsToRegisters(g, Reg.RSI);
  emitMemoryInitFromRegisters(g, segment);
}

/**
 * memory.init of data segment `segment`: rcx bytes from offset rsi of the
 * segment to rdi in linear memory. Clobbers rax, rcx, rdx, rsi, rdi and
 * r11; the optimizing tier emits it too.
 */
export function emitMemoryInitFromRegisters(g: Generator, segment: u32): void {
  const asm = g.asm;
  const data = g.module.datas[<i32>segment];
  const passive = data.mode == SegmentMode.Passive;
  segmentLength(g, passive ? data.dataLength : 0, g.layout.dataSegment(segment));
  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.MemoryOutOfBounds);
  loadMemoryLength(g, SCRATCH);
  checkRange(g, Reg.RDI, SCRATCH, TrapKind.MemoryOutOfBounds);
  if (passive) {
    asm.lea(8, Reg.RAX, memLabel(g.dataLabels[<i32>segment]));
    asm.add(8, Reg.RSI, Reg.RAX);
  }
  asm.add(8, Reg.RDI, MEMORY_BASE);
  asm.repMovsb();
}

/** data.drop and elem.drop: sets the segment's dropped flag at vmctx slot `slot`. */
export function emitDrop(g: Generator, slot: i32): void {
  g.asm.storeImm(8, mem(VMCTX, slot), 1);
}

function tableCopy(g: Generator): void {
  operandsToRegisters(g, Reg.RSI);
  emitTableCopyFromRegisters(g);
}

/**
 * table.copy of rcx elements from index rsi to index rdi of table 0.
 * Clobbers rax, rcx, rdx, rsi, rdi, r11 and xmm15; the optimizing tier
 * emits it too.
 */
export function emitTableCopyFromRegisters(g: Generator): void {
  const asm = g.asm;
  asm.load(8, SCRATCH, mem(VMCTX, VMCTX_TABLE));
  asm.load(8, Reg.RAX, mem(SCRATCH, TABLE_LENGTH));
  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.TableOutOfBounds);
  checkRange(g, Reg.RDI, Reg.RAX, TrapKind.TableOutOfBounds);
  asm.imulImm(8, Reg.RCX, Reg.RCX, ELEMENT_SIZE);
  asm.imulImm(8, Reg.RSI, Reg.RSI, ELEMENT_SIZE);
  asm.imulImm(8, Reg.RDI, Reg.RDI, ELEMENT_SIZE);
  asm.load(8, SCRATCH, mem(SCRATCH, TABLE_ELEMENTS));
  asm.add(8, Reg.RSI, SCRATCH);
  asm.add(8, Reg.RDI, SCRATCH);
  memmove(g);
}

function tableInit(g: Generator, segment: u32): void {
  operandsToRegisters(g, Reg.RSI);
  emitTableInitFromRegisters(g, segment);
}

/**
 * table.init of element segment `segment`: rcx items from index rsi of the
 * segment to index rdi of table 0. Clobbers rax, rcx, rdx, rsi, rdi, r8
 * and r11; the optimizing tier emits it too.
 */
export function emitTableInitFromRegisters(g: Generator, segment: u32): void {
  const asm = g.asm;
  const elem = g.module.elems[<i32>segment];
  const passive = elem.mode == SegmentMode.Passive;
  segmentLength(g, passive ? <u32>elem.items.length : 0, g.layout.elemSegment(segment));
  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.TableOutOfBounds);
  asm.load(8, SCRATCH, mem(VMCTX, VMCTX_TABLE));
  asm.load(8, Reg.RAX, mem(SCRATCH, TABLE_LENGTH));
  checkRange(g, Reg.RDI, Reg.RAX, TrapKind.TableOutOfBounds);
  if (!passive) return; // nothing to copy: the count was checked to be 0
  const items = g.elemLabels[<i32>segment];
  asm.imulImm(8, Reg.RDI, Reg.RDI, ELEMENT_SIZE);
  asm.aluLoad(Alu.ADD, 8, Reg.RDI, mem(SCRATCH, TABLE_ELEMENTS));
  asm.shiftImm(Shift.SHL, 8, Reg.RSI, 4);
  asm.lea(8, Reg.R8, memLabel(items));
  asm.add(8, Reg.RSI, Reg.R8);

  const loop = asm.newLabel();
  const done = asm.newLabel();
  const nullItem = asm.newLabel();
  const imported = asm.newLabel();
  const next = asm.newLabel();
  asm.bind(loop);
  asm.test(8, Reg.RCX, Reg.RCX);
  asm.jcc(Cond.E, done);
  asm.load(4, Reg.RAX, mem(Reg.RSI, 0));
  asm.test(4, Reg.RAX, Reg.RAX);
  asm.jcc(Cond.E, nullItem);
  asm.load(4, Reg.RDX, mem(Reg.RSI, 8));
  asm.load(8, Reg.RDX, memIndex(VMCTX, Reg.RDX, 1, 0));
  asm.store(8, mem(Reg.RDI, ELEMENT_TYPE_ID), Reg.RDX);
  asm.cmpImm(4, Reg.RAX, Item.DEFINED);
  asm.jcc(Cond.NE, imported);
  // A defined function: its code is at items + offset, its instance is this one.
  asm.loadSignExtend(8, 4, Reg.RDX, mem(Reg.RSI, 4));
  asm.add(8, Reg.RDX, Reg.R8);
  asm.store(8, mem(Reg.RDI, ELEMENT_CODE), Reg.RDX);
  asm.store(8, mem(Reg.RDI, ELEMENT_VMCTX), VMCTX);
  asm.jmp(next);
  asm.bind(imported);
  asm.load(4, Reg.RDX, mem(Reg.RSI, 4));
  asm.load(8, Reg.RDX, memIndex(VMCTX, Reg.RDX, 1, 0));
  asm.store(8, mem(Reg.RDI, ELEMENT_CODE), Reg.RDX);
  asm.load(4, Reg.RDX, mem(Reg.RSI, 12));
  asm.load(8, Reg.RDX, memIndex(VMCTX, Reg.RDX, 1, 0));
  asm.store(8, mem(Reg.RDI, ELEMENT_VMCTX), Reg.RDX);
  asm.jmp(next);
  asm.bind(nullItem);
  asm.storeImm(8, mem(Reg.RDI, ELEMENT_TYPE_ID), 0);
  asm.storeImm(8, mem(Reg.RDI, ELEMENT_CODE), 0);
  asm.storeImm(8, mem(Reg.RDI, ELEMENT_VMCTX), 0);
  asm.bind(next);
  asm.addImm(8, Reg.RDI, ELEMENT_SIZE);
  asm.addImm(8, Reg.RSI, ITEM_SIZE);
  asm.subImm(8, Reg.RCX, 1);
  asm.jmp(loop);
  asm.bind(done);
}

/**
 * The item arrays of the passive element segments, at the end of the code:
 * per item `kind, code, typeId, vmctx` as u32s. `code` is the function's
 * offset from the array (defined) or its vmctx import slot (imported);
 * `typeId` and `vmctx` are vmctx offsets.
 */
export function emitElementItems(g: Generator): void {
  const asm = g.asm;
  const module = g.module;
  for (let i = 0; i < module.elems.length; i++) {
    const elem = module.elems[i];
    if (elem.mode != SegmentMode.Passive) continue;
    asm.align(8, 0);
    const array: Label = g.elemLabels[i];
    asm.bind(array);
    for (let k = 0; k < elem.items.length; k++) {
      const item = elem.items[k];
      if (item.kind != ConstKind.RefFunc) {
        asm.u32(Item.NULL); asm.u32(0); asm.u32(0); asm.u32(0);
        continue;
      }
      const func = item.index;
      const typeId = g.layout.typeId(module.funcTypes[<i32>func]);
      if (func < module.numImportedFuncs) {
        asm.u32(Item.IMPORTED);
        asm.u32(g.layout.importCode(func));
        asm.u32(typeId);
        asm.u32(g.layout.importVmctx(func));
      } else {
        asm.u32(Item.DEFINED);
        asm.tableEntry(g.funcLabels[<i32>func], array);
        asm.u32(typeId);
        asm.u32(0);
      }
    }
  }
}

/** Compiles a bulk instruction (0xFC 8-14); false when `sub` is not one. */
export function emitBulk(g: Generator, sub: u32): bool {
  const reader = g.reader;
  switch (sub) {
    case PrefixedOp.MemoryInit: { const segment = reader.u32(); reader.u8(); memoryInit(g, segment); break; }
    case PrefixedOp.DataDrop: emitDrop(g, g.layout.dataSegment(reader.u32())); return true;
    case PrefixedOp.MemoryCopy: reader.u8(); reader.u8(); memoryCopy(g); break;
    case PrefixedOp.MemoryFill: reader.u8(); if (smallFill(g)) return true; memoryFill(g); break;
    case PrefixedOp.TableInit: { const segment = reader.u32(); reader.u32(); tableInit(g, segment); break; }
    case PrefixedOp.ElemDrop: emitDrop(g, g.layout.elemSegment(reader.u32())); return true;
    case PrefixedOp.TableCopy: reader.u32(); reader.u32(); tableCopy(g); break;
    default: return false;
  }
  g.restoreRegisterLocals(true);
  return true;
}
