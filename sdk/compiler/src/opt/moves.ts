// Parallel moves: the copies at a control-flow edge into the phis of its
// target, into the result slots at a return and into the argument slots of
// a call. All sources are read as if at once, so the copies are ordered so
// that no location is written while a pending copy still reads it, and a
// cycle (phis that swap) goes through a temporary: rcx for a general
// register (around a direct call, whose parameters use rcx, another free
// one, or xmm15 when none is), xmm15 for an SSE register, xmm14 (eight
// bytes of bits) for a frame slot. A copy between two frame slots goes
// through r11.

import { Assembler, Mem, Packed, Reg, mem } from "../x64/assembler";

export const enum LocKind {
  GPR = 0,
  XMM = 1,
  /** A frame slot: [base + disp]. */
  MEM = 2,
  /** An immediate (a constant value, sources only). */
  CONST = 3,
}

export class Move {
  srcKind: LocKind = LocKind.GPR;
  /** A register, or a displacement from srcBase. */
  src: i32 = 0;
  srcBase: i32 = <i32>Reg.RBP;
  bits: u64 = 0;
  dstKind: LocKind = LocKind.GPR;
  dst: i32 = 0;
  dstBase: i32 = <i32>Reg.RBP;
  /** Bytes the value occupies: 4 or 8. */
  size: i32 = 8;

  readsFrom(kind: LocKind, at: i32, base: i32): bool {
    return this.srcKind == kind && this.src == at && (kind != LocKind.MEM || this.srcBase == base);
  }

  isNoop(): bool {
    return this.srcKind != LocKind.CONST && this.srcKind == this.dstKind && this.src == this.dst && (this.srcKind != LocKind.MEM || this.srcBase == this.dstBase);
  }
}

/** Scratch registers of the moves. */
const MOVE_SCRATCH: Reg = Reg.R11;
const GPR_TEMP: Reg = Reg.RCX;
const XMM_TEMP: i32 = 15;
const MEM_TEMP: i32 = 14;

/** The frame slot a move reads. */
function sourceMem(move: Move): Mem {
  return mem(<Reg>move.srcBase, move.src);
}

/** Emits one copy. */
export function emitMove(asm: Assembler, move: Move): void {
  const size = move.size;
  const src = move.src;
  const dst = move.dst;
  switch (move.dstKind) {
    case LocKind.GPR: {
      const to = <Reg>dst;
      if (move.srcKind == LocKind.GPR) asm.mov(8, to, <Reg>src);
      else if (move.srcKind == LocKind.XMM) asm.movFromXmm(8, to, src);
      else if (move.srcKind == LocKind.MEM) asm.load(size, to, sourceMem(move));
      else asm.movImm(size, to, <i64>move.bits);
      return;
    }
    case LocKind.XMM: {
      if (move.srcKind == LocKind.GPR) asm.movToXmm(8, dst, <Reg>src);
      else if (move.srcKind == LocKind.XMM) asm.movaps(dst, src);
      else if (move.srcKind == LocKind.MEM) asm.loadFloat(size, dst, sourceMem(move));
      else if (move.bits == 0) asm.packed(Packed.XOR, 4, dst, dst);
      else {
        asm.movImm(8, MOVE_SCRATCH, <i64>move.bits);
        asm.movToXmm(8, dst, MOVE_SCRATCH);
      }
      return;
    }
    default: storeMove(asm, move, mem(<Reg>move.dstBase, dst));
  }
}

/** Stores the source of `move` to the memory operand `to` (a frame slot, or a global's cell). */
export function storeMove(asm: Assembler, move: Move, to: Mem): void {
  const size = move.size;
  if (move.srcKind == LocKind.GPR) asm.store(size, to, <Reg>move.src);
  else if (move.srcKind == LocKind.XMM) asm.storeFloat(size, to, move.src);
  else if (move.srcKind == LocKind.MEM) {
    asm.load(size, MOVE_SCRATCH, sourceMem(move));
    asm.store(size, to, MOVE_SCRATCH);
  } else if (size == 4 || (<i64>move.bits >= -2147483648 && <i64>move.bits <= 2147483647)) {
    asm.storeImm(size, to, <i32>move.bits);
  } else {
    asm.movImm(8, MOVE_SCRATCH, <i64>move.bits);
    asm.store(8, to, MOVE_SCRATCH);
  }
}

/** General registers a cycle may borrow when rcx is taken (freeTemporary). */
const FREE_TEMPS: StaticArray<i32> = [Reg.RAX, Reg.R10, Reg.R9, Reg.R8, Reg.R11];

/**
 * A register of FREE_TEMPS that no copy writes (done or pending: a done
 * copy's destination holds its value already) and no pending copy reads,
 * and that no copy needs for itself (r11); -1 when there is none.
 */
function freeTemporary(moves: Move[], pending: Move[]): i32 {
  let scratchUsed = false;
  for (let k = 0; k < moves.length; k++) {
    const move = moves[k];
    if (move.dstKind == LocKind.MEM || (move.dstKind == LocKind.XMM && move.srcKind == LocKind.CONST)) scratchUsed = true;
  }
  for (let i = 0; i < FREE_TEMPS.length; i++) {
    const reg = FREE_TEMPS[i];
    if (reg == <i32>MOVE_SCRATCH && scratchUsed) continue;
    let taken = false;
    for (let k = 0; k < moves.length && !taken; k++) taken = moves[k].dstKind == LocKind.GPR && moves[k].dst == reg;
    for (let k = 0; k < pending.length && !taken; k++) taken = pending[k].readsFrom(LocKind.GPR, reg, 0);
    if (!taken) return reg;
  }
  return -1;
}

/**
 * Emits `moves` as one parallel copy (the list is consumed). A cycle of
 * general registers goes through rcx, or, with `rcxTaken` (the copies
 * into and out of the parameter registers of a direct call, where rcx is
 * one: convention.ts), through a caller-saved register none of them uses.
 */
export function emitParallelMoves(asm: Assembler, moves: Move[], rcxTaken: bool = false): void {
  let pending: Move[] = [];
  for (let i = 0; i < moves.length; i++) if (!moves[i].isNoop()) pending.push(moves[i]);
  while (pending.length > 0) {
    let progress = false;
    for (let i = 0; i < pending.length; i++) {
      const move = pending[i];
      if (isRead(pending, move, i)) continue;
      emitMove(asm, move);
      pending.splice(i, 1);
      i--;
      progress = true;
    }
    if (progress) continue;
    // Every destination is still read: a cycle. Save the first one's
    // destination in a temporary and let its readers read that.
    const blocked = pending[0];
    const save = new Move();
    save.srcKind = blocked.dstKind;
    save.src = blocked.dst;
    save.srcBase = blocked.dstBase;
    save.size = 8;
    const temporary = blocked.dstKind != LocKind.GPR ? -1 : rcxTaken ? freeTemporary(moves, pending) : <i32>GPR_TEMP;
    if (temporary >= 0) { save.dstKind = LocKind.GPR; save.dst = temporary; }
    // A general register's value through xmm15 when every general register a cycle may borrow is in use.
    else if (blocked.dstKind != LocKind.MEM) { save.dstKind = LocKind.XMM; save.dst = XMM_TEMP; }
    else { save.dstKind = LocKind.XMM; save.dst = MEM_TEMP; }
    emitMove(asm, save);
    for (let i = 0; i < pending.length; i++) {
      const move = pending[i];
      if (!move.readsFrom(save.srcKind, save.src, save.srcBase)) continue;
      move.srcKind = save.dstKind;
      move.src = save.dst;
    }
  }
}

/** Whether a pending copy other than `index` reads `move`'s destination. */
function isRead(pending: Move[], move: Move, index: i32): bool {
  for (let k = 0; k < pending.length; k++) {
    if (k != index && pending[k].readsFrom(move.dstKind, move.dst, move.dstBase)) return true;
  }
  return false;
}
