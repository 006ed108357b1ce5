// Chooses the locals that live in registers for a whole function, and the
// declared locals the prologue must zero.
//
// Before compiling a body, one quick scan counts the uses of every local,
// each weighted by the loops around it (x8 per loop, up to three), and notes
// which locals are ever assigned. The heaviest integer locals get rbx, r12,
// r13, r8, r9, r10 and the heaviest float locals xmm8-xmm13, xmm6, xmm7;
// what remains (rax, rcx, rdx, rsi, rdi and xmm0-xmm5, xmm14, at least)
// keeps the value stack and the instructions that need fixed registers
// (division, shifts, memory.grow, system calls) working. A function that
// expands `x86` intrinsics keeps all its locals in memory: those take fixed
// registers of their own.
//
// The same scan finds declared locals whose first access is a `local.set`
// or `local.tee` outside any block: straight-line code at the top of the
// body runs before anything could read them, so their zero is never seen
// and the prologue skips it (locals never accessed at all are skipped too).

import { Reg, Xmm } from "../x64/assembler";
import { Op } from "../opcodes";
import { FunctionBody } from "../module";
import { Generator } from "./generator";
import { isFloat } from "./stack";

const GPR_HOMES: StaticArray<i32> = [Reg.RBX, Reg.R12, Reg.R13, Reg.R8, Reg.R9, Reg.R10];
const XMM_HOMES: StaticArray<i32> = [Xmm.XMM8, Xmm.XMM9, Xmm.XMM10, Xmm.XMM11, Xmm.XMM12, Xmm.XMM13, Xmm.XMM6, Xmm.XMM7];
/** A local used less than this (weighted) is not worth a register: its load at entry costs as much. */
const MINIMUM_WEIGHT: u32 = 3;
/** The first intrinsic number of module x86 (x86.ts), whose expansions use fixed registers. */
const FIRST_X86_INTRINSIC: i32 = 32;

/** The address after the LEB128 number at `p`. */
// @ts-ignore: decorator
@inline function skipLeb(p: usize): usize {
  while (load<u8>(p++) & 0x80) {}
  return p;
}

const UNSEEN: u8 = 0;
const SET_FIRST: u8 = 1;
const READ_FIRST: u8 = 2;

export function chooseRegisterLocals(g: Generator, body: FunctionBody): void {
  const localCount = g.localTypes.length;
  const zero = g.zeroLocals;
  zero.length = localCount;
  if (localCount == 0) return;
  const first = g.firstAccess;
  if (first.length < localCount) first.length = localCount;
  for (let i = 0; i < localCount; i++) unchecked(first[i] = UNSEEN);
  const weights = g.localWeights;
  const assigned = g.localAssigned;
  if (weights.length < localCount) {
    weights.length = localCount;
    assigned.length = localCount;
  }
  for (let i = 0; i < localCount; i++) {
    unchecked(weights[i] = 0);
    unchecked(assigned[i] = false);
  }
  // A raw walk over the validated bytes: only local indices and block
  // structure matter, everything else is skipped as fast as possible.
  const base = g.module.bytes.dataStart;
  let p = base + <usize>body.codeStart;
  const end = base + <usize>body.codeEnd;
  // Kinds of the open blocks, to know the loop depth at each end.
  const loops = g.scanBlocks;
  loops.length = 0;
  let loopDepth = 0;
  // Calls (and other clobbers) make register locals cost a store and a reload each.
  let callWeight: u32 = 0;
  const imported = g.module.numImportedFuncs;
  while (p < end) {
    const op = <u32>load<u8>(p++);
    // Numeric instructions have no immediates: the bulk of a body.
    if (op >= <u32>Op.I32Eqz && op <= <u32>Op.I64Extend32S) continue;
    if (op >= <u32>Op.LocalGet && op <= <u32>Op.LocalTee) {
      let index: u32 = 0;
      let shift: u32 = 0;
      let byte: u32;
      do {
        byte = <u32>load<u8>(p++);
        index |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      const weight: u32 = 1 << (3 * <u32>min(loopDepth, 3));
      unchecked(weights[<i32>index] += weight);
      if (op != Op.LocalGet) unchecked(assigned[<i32>index] = true);
      if (unchecked(first[<i32>index]) == UNSEEN) {
        unchecked(first[<i32>index] = op != Op.LocalGet && loops.length == 0 ? SET_FIRST : READ_FIRST);
      }
      continue;
    }
    switch (op) {
      case Op.Block: case Op.If: case Op.Loop: {
        loops.push(op == Op.Loop ? 1 : 0);
        if (op == Op.Loop) loopDepth++;
        p = skipLeb(p);
        break;
      }
      case Op.End: {
        if (loops.length > 0 && loops.pop() == 1) loopDepth--;
        break;
      }
      case Op.Call: {
        let callee: u32 = 0;
        let shift: u32 = 0;
        let byte: u32;
        do {
          byte = <u32>load<u8>(p++);
          callee |= (byte & 0x7f) << shift;
          shift += 7;
        } while (byte & 0x80);
        if (callee < imported && g.intrinsics[<i32>callee] >= FIRST_X86_INTRINSIC) {
          for (let i = 0; i < localCount; i++) unchecked(zero[i] = i >= g.paramCount);
          return;
        }
        callWeight += 1 << (3 * <u32>min(loopDepth, 3));
        break;
      }
      case Op.Br: case Op.BrIf: case Op.GlobalGet: case Op.GlobalSet: case Op.I32Const: case Op.I64Const:
        p = skipLeb(p);
        break;
      case Op.BrTable: {
        let count: u32 = 0;
        let shift: u32 = 0;
        let byte: u32;
        do {
          byte = <u32>load<u8>(p++);
          count |= (byte & 0x7f) << shift;
          shift += 7;
        } while (byte & 0x80);
        for (let i: u32 = 0; i <= count; i++) p = skipLeb(p);
        break;
      }
      case Op.CallIndirect:
        p = skipLeb(skipLeb(p));
        callWeight += 1 << (3 * <u32>min(loopDepth, 3));
        break;
      case Op.MemorySize: case Op.MemoryGrow: p++; break;
      case Op.F32Const: p += 4; break;
      case Op.F64Const: p += 8; break;
      case Op.Prefix: {
        let sub: u32 = 0;
        let shift: u32 = 0;
        let byte: u32;
        do {
          byte = <u32>load<u8>(p++);
          sub |= (byte & 0x7f) << shift;
          shift += 7;
        } while (byte & 0x80);
        if (sub == 8) p = skipLeb(p) + 1;
        else if (sub == 9 || sub == 13) p = skipLeb(p);
        else if (sub == 10) p += 2;
        else if (sub == 11) p++;
        else if (sub == 12 || sub == 14) p = skipLeb(skipLeb(p));
        break;
      }
      default:
        if (op >= <u32>Op.I32Load && op <= <u32>Op.I64Store32) p = skipLeb(skipLeb(p));
    }
  }

  for (let i = 0; i < localCount; i++) unchecked(zero[i] = i >= g.paramCount && unchecked(first[i]) == READ_FIRST);
  pick(g, weights, assigned, localCount, callWeight, false);
  pick(g, weights, assigned, localCount, callWeight, true);
}

/** Gives the registers of one class to the heaviest locals of that class, heaviest first. */
function pick(g: Generator, weights: u32[], assigned: bool[], localCount: i32, callWeight: u32, float: bool): void {
  const homes = float ? XMM_HOMES : GPR_HOMES;
  for (let slot = 0; slot < homes.length; slot++) {
    let best = -1;
    let bestWeight: u32 = 0;
    for (let index = 0; index < localCount; index++) {
      if (isFloat(unchecked(g.localTypes[index])) != float || g.localReg(index) >= 0) continue;
      const weight = unchecked(weights[index]);
      // Worth a register when used more than its stores and reloads around calls cost.
      const cost = max(MINIMUM_WEIGHT - 1, unchecked(assigned[index]) ? 2 * callWeight : callWeight);
      if (weight > cost && weight > bestWeight) { best = index; bestWeight = weight; }
    }
    if (best < 0) return;
    g.pinLocal(best, unchecked(homes[slot]), unchecked(assigned[best]));
  }
}
