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
// The same scan weighs the uses of each global: the heaviest defined
// integer global competes for a register too, as a local of its own
// (ValueStack.cacheGlobal), never assigned since its writes go through.
//
// The same scan finds declared locals whose first access is a `local.set`
// or `local.tee` outside any block: straight-line code at the top of the
// body runs before anything could read them, so their zero is never seen
// and the prologue skips it (locals never accessed at all are skipped too).

import { Reg, Xmm, mem } from "../x64/assembler";
import { Op } from "../opcodes";
import { FunctionBody } from "../module";
import { Generator } from "./generator";
import { VMCTX, isFloat } from "./stack";
import { lebEnd, readLeb } from "./immediates";

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

/** Per local in the scan buffer: weight (u32), assigned (u8), first access (u8). */
const LOCAL_RECORD: i32 = 8;

// @ts-ignore: decorator
@inline function loopWeight(loopDepth: i32): u32 {
  return 1 << (3 * <u32>min(loopDepth, 3));
}

export function chooseRegisterLocals(g: Generator, body: FunctionBody): void {
  const localCount = g.localTypes.length;
  const zero = g.zeroLocals;
  zero.length = localCount;
  const globalCount = g.module.globals.length;
  if (localCount == 0 && globalCount == 0) return;
  // One scratch buffer: a record per local and one for the cached global,
  // a weight (u32) per global, then one byte per open block (1 for a
  // loop), so that the walk below calls nothing.
  const recordBytes = LOCAL_RECORD * (localCount + 1) + 4 * globalCount;
  const records = g.scratch(recordBytes + <i32>(body.codeEnd - body.codeStart) + 1);
  memory.fill(records, 0, <usize>recordBytes);
  const globalWeights = records + <usize>(LOCAL_RECORD * (localCount + 1));
  const blocks = records + <usize>recordBytes;
  let openBlocks = 0;
  // A raw walk over the validated bytes: only local indices and block
  // structure matter, everything else is skipped as fast as possible.
  const base = g.module.bytes.dataStart;
  let p = base + <usize>body.codeStart;
  const end = base + <usize>body.codeEnd;
  let loopDepth = 0;
  let weight: u32 = 1;
  // Calls (and other clobbers) make register locals cost a store and a reload each.
  let callWeight: u32 = 0;
  const imported = g.module.numImportedFuncs;
  while (p < end) {
    const op = <u32>load<u8>(p++);
    // Numeric instructions have no immediates: the bulk of a body.
    if (op - <u32>Op.I32Eqz <= <u32>(Op.I64Extend32S - Op.I32Eqz)) continue;
    if (op - <u32>Op.LocalGet <= <u32>(Op.LocalTee - Op.LocalGet)) {
      const index = readLeb(p);
      p = lebEnd;
      const record = records + (<usize>index << 3);
      store<u32>(record, load<u32>(record) + weight);
      if (op != Op.LocalGet) store<u8>(record, 1, 4);
      if (load<u8>(record, 5) == UNSEEN) {
        store<u8>(record, op != Op.LocalGet && openBlocks == 0 ? SET_FIRST : READ_FIRST, 5);
      }
      continue;
    }
    switch (op) {
      case Op.Block: case Op.If: case Op.Loop: {
        const isLoop = op == Op.Loop;
        store<u8>(blocks + <usize>openBlocks, <u8>isLoop);
        openBlocks++;
        if (isLoop) weight = loopWeight(++loopDepth);
        p = skipLeb(p);
        break;
      }
      case Op.End: {
        if (openBlocks > 0) {
          openBlocks--;
          if (load<u8>(blocks + <usize>openBlocks)) weight = loopWeight(--loopDepth);
        }
        break;
      }
      case Op.Call: {
        const callee = readLeb(p);
        p = lebEnd;
        if (callee < imported && unchecked(g.intrinsics[<i32>callee]) >= FIRST_X86_INTRINSIC) {
          for (let i = 0; i < localCount; i++) unchecked(zero[i] = i >= g.paramCount);
          return;
        }
        callWeight += weight;
        break;
      }
      case Op.GlobalGet: {
        // Reads only: a write costs the same either way (it goes through to the cell).
        const index = readLeb(p);
        p = lebEnd;
        const at = globalWeights + (<usize>index << 2);
        store<u32>(at, load<u32>(at) + weight);
        break;
      }
      case Op.Br: case Op.BrIf: case Op.GlobalSet: case Op.I32Const: case Op.I64Const:
        p = skipLeb(p);
        break;
      case Op.BrTable: {
        const count = readLeb(p);
        p = lebEnd;
        for (let i: u32 = 0; i <= count; i++) p = skipLeb(p);
        break;
      }
      case Op.CallIndirect:
        p = skipLeb(skipLeb(p));
        callWeight += weight;
        break;
      case Op.MemorySize: case Op.MemoryGrow: p++; break;
      case Op.F32Const: p += 4; break;
      case Op.F64Const: p += 8; break;
      case Op.Prefix: {
        const sub = readLeb(p);
        p = lebEnd;
        if (sub == 8) p = skipLeb(p) + 1;
        else if (sub == 9 || sub == 13) p = skipLeb(p);
        else if (sub == 10) p += 2;
        else if (sub == 11) p++;
        else if (sub == 12 || sub == 14) p = skipLeb(skipLeb(p));
        break;
      }
      default:
        if (op - <u32>Op.I32Load <= <u32>(Op.I64Store32 - Op.I32Load)) p = skipLeb(skipLeb(p));
    }
  }

  for (let i = 0; i < localCount; i++) {
    unchecked(zero[i] = i >= g.paramCount && load<u8>(records + (<usize>i << 3), 5) == READ_FIRST);
  }
  let count = localCount;
  const global = heaviestGlobal(g, globalWeights);
  if (global >= 0) {
    // The global competes for a register like a local read that often and
    // never assigned (its writes go through to its cell; see cacheGlobal).
    const index = g.cacheGlobal(<u32>global, g.module.globals[global].type.valType, mem(VMCTX, g.layout.global(<u32>global)));
    store<u32>(records + (<usize>index << 3), load<u32>(globalWeights + (<usize>global << 2)));
    zero.push(false);
    count++;
  }
  pick(g, records, count, callWeight, false);
  pick(g, records, count, callWeight, true);
  // A global that got no register is read from its cell as before.
  if (g.globalLocal >= 0 && g.localReg(g.globalLocal) < 0) g.globalLocal = -1;
}

/** The defined integer global used most (weighted) by the function, or -1 when none is used. */
function heaviestGlobal(g: Generator, weights: usize): i32 {
  const globals = g.module.globals;
  let best = -1;
  let bestWeight: u32 = 0;
  for (let index = <i32>g.module.numImportedGlobals; index < globals.length; index++) {
    const weight = load<u32>(weights + (<usize>index << 2));
    const type = unchecked(globals[index]).type.valType;
    if (weight > bestWeight && !isFloat(type)) { best = index; bestWeight = weight; }
  }
  return best;
}

/** Gives the registers of one class to the heaviest locals of that class, heaviest first. */
function pick(g: Generator, records: usize, localCount: i32, callWeight: u32, float: bool): void {
  const homes = float ? XMM_HOMES : GPR_HOMES;
  for (let slot = 0; slot < homes.length; slot++) {
    let best = -1;
    let bestWeight: u32 = 0;
    for (let index = 0; index < localCount; index++) {
      if (isFloat(unchecked(g.localTypes[index])) != float || g.localReg(index) >= 0) continue;
      const record = records + (<usize>index << 3);
      const weight = load<u32>(record);
      const isAssigned = load<u8>(record, 4) != 0;
      // Worth a register when used more than its stores and reloads around calls cost.
      const cost = max(MINIMUM_WEIGHT - 1, isAssigned ? 2 * callWeight : callWeight);
      if (weight > cost && weight > bestWeight) { best = index; bestWeight = weight; }
    }
    if (best < 0) return;
    g.pinLocal(best, unchecked(homes[slot]), load<u8>(records + (<usize>best << 3), 4) != 0);
  }
}
