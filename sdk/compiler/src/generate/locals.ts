// Chooses the locals that live in registers for a whole function.
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

import { Reg, Xmm } from "../x64/assembler";
import { Op } from "../opcodes";
import { FunctionBody } from "../module";
import { Generator } from "./generator";
import { skipImmediates } from "./immediates";
import { isFloat } from "./stack";

const GPR_HOMES: StaticArray<i32> = [Reg.RBX, Reg.R12, Reg.R13, Reg.R8, Reg.R9, Reg.R10];
const XMM_HOMES: StaticArray<i32> = [Xmm.XMM8, Xmm.XMM9, Xmm.XMM10, Xmm.XMM11, Xmm.XMM12, Xmm.XMM13, Xmm.XMM6, Xmm.XMM7];
/** A local used less than this (weighted) is not worth a register: its load at entry costs as much. */
const MINIMUM_WEIGHT: u32 = 3;
/** The first intrinsic number of module x86 (x86.ts), whose expansions use fixed registers. */
const FIRST_X86_INTRINSIC: i32 = 32;

export function chooseRegisterLocals(g: Generator, body: FunctionBody): void {
  const localCount = g.localTypes.length;
  if (localCount == 0) return;
  const weights = new StaticArray<u32>(localCount);
  const assigned = new StaticArray<bool>(localCount);
  const reader = g.reader;
  const start = reader.pos;
  // Kinds of the open blocks, to know the loop depth at each end.
  const loops: i32[] = [];
  let loopDepth = 0;
  while (reader.pos < body.codeEnd) {
    const op = reader.u8();
    if (op == Op.LocalGet || op == Op.LocalSet || op == Op.LocalTee) {
      const index = <i32>reader.u32();
      const weight: u32 = 1 << (3 * <u32>min(loopDepth, 3));
      unchecked(weights[index] += weight);
      if (op != Op.LocalGet) unchecked(assigned[index] = true);
      continue;
    }
    if (op == Op.Block || op == Op.If || op == Op.Loop) {
      const isLoop = op == Op.Loop;
      loops.push(isLoop ? 1 : 0);
      if (isLoop) loopDepth++;
    } else if (op == Op.End) {
      if (loops.length > 0 && loops.pop() == 1) loopDepth--;
    } else if (op == Op.Call) {
      const callee = reader.u32();
      const imported = g.module.numImportedFuncs;
      if (callee < imported && g.intrinsics[<i32>callee] >= FIRST_X86_INTRINSIC) {
        reader.pos = start;
        return;
      }
      continue;
    }
    skipImmediates(reader, op);
  }
  reader.pos = start;

  pick(g, weights, assigned, false);
  pick(g, weights, assigned, true);
}

/** Gives the registers of one class to the heaviest locals of that class, heaviest first. */
function pick(g: Generator, weights: StaticArray<u32>, assigned: StaticArray<bool>, float: bool): void {
  const homes = float ? XMM_HOMES : GPR_HOMES;
  for (let slot = 0; slot < homes.length; slot++) {
    let best = -1;
    let bestWeight: u32 = MINIMUM_WEIGHT - 1;
    for (let index = 0; index < weights.length; index++) {
      if (isFloat(g.localTypes[index]) != float || g.localReg(index) >= 0) continue;
      const weight = unchecked(weights[index]);
      if (weight > bestWeight) { best = index; bestWeight = weight; }
    }
    if (best < 0) return;
    g.pinLocal(best, unchecked(homes[slot]), unchecked(assigned[best]));
  }
}
