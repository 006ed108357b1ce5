// Chooses the locals that live in registers for a whole function, and the
// declared locals the prologue must zero.
//
// The counts come from the validator, which reads the body just before it
// is compiled (validate/body.ts, usage records): the uses of every local,
// each weighted by the loops around it (x8 per loop, up to three), which
// locals are ever assigned, and the weight of the calls. The heaviest
// integer locals get rbx, r12, r13, r8, r9, r10 and the heaviest float
// locals xmm8-xmm13, xmm6, xmm7; what remains (rax, rcx, rdx, rsi, rdi and
// xmm0-xmm5, xmm14, at least) keeps the value stack and the instructions
// that need fixed registers (division, shifts, memory.grow, system calls)
// working. A function that expands `x86` intrinsics keeps all its locals in
// memory: those take fixed registers of their own.
//
// rbx, r12 and r13 are callee-saved for the module's own calls
// (docs/compiler-abi.md): a local there costs a store and a reload only
// around the calls that clobber everything (imports, call_indirect), where
// one in r8-r10 or an xmm register pays around every call, but a function
// pays a save and a restore for each it uses: one whose calls (weighted)
// cost less than that takes r8-r10 first. The prologue saves those that
// locals take; the value stack never uses the others (they are RESERVED),
// except in a function that expands x86 intrinsics, which saves all three.
//
// The same counts weigh the reads of each global: the heaviest defined
// integer global competes for a register too, as a local of its own
// (ValueStack.cacheGlobal), never assigned since its writes go through.
//
// Declared locals that cannot be read before they are set are never zeroed:
// those whose first access is a `local.set` or `local.tee` and whose reads
// all come while the block holding that set is still open (the validator
// tells which; validate/body.ts), and those never accessed at all.

import { Reg, Xmm, mem } from "../x64/assembler";
import { Generator } from "./generator";
import { CALLEE_SAVED, FRAME_TOP, RESERVED_OWNER, SAVE_AREA_SIZE, VMCTX, isCalleeSaved, isFloat } from "./stack";
import { BodyValidator, LOCAL_RECORD_SHIFT, READ_FIRST, RECORD_ASSIGNED, RECORD_FIRST } from "../validate/body";

const GPR_HOMES: StaticArray<i32> = [Reg.RBX, Reg.R12, Reg.R13, Reg.R8, Reg.R9, Reg.R10];
/** The same for a function whose calls cost less than saving a register: the registers it need not save first. */
const FEW_CALLS_GPR_HOMES: StaticArray<i32> = [Reg.R8, Reg.R9, Reg.R10, Reg.RBX, Reg.R12, Reg.R13];
/** What a callee-saved register costs a function that uses it: its save and its restore. */
const SAVE_COST: u32 = 2;
const XMM_HOMES: StaticArray<i32> = [Xmm.XMM8, Xmm.XMM9, Xmm.XMM10, Xmm.XMM11, Xmm.XMM12, Xmm.XMM13, Xmm.XMM6, Xmm.XMM7];
/** A local used less than this (weighted) is not worth a register: its load at entry costs as much. */
const MINIMUM_WEIGHT: u32 = 3;
/** The first intrinsic number of module x86 (x86.ts), whose expansions use fixed registers. */
export const FIRST_X86_INTRINSIC: i32 = 32;

/** Chooses from the usage `validator` counted while it validated the body about to be compiled. */
export function chooseRegisterLocals(g: Generator, validator: BodyValidator): void {
  const localCount = g.localTypes.length;
  const zero = g.zeroLocals;
  zero.length = localCount;
  if (validator.callsFixed) {
    for (let i = 0; i < localCount; i++) unchecked(zero[i] = i >= g.paramCount);
    setSaveArea(g, validator, true);
    return;
  }
  const records = validator.usage;
  for (let i = 0; i < localCount; i++) {
    unchecked(zero[i] = i >= g.paramCount && load<u8>(records + (<usize>i << LOCAL_RECORD_SHIFT), RECORD_FIRST) == READ_FIRST);
  }
  if (localCount == 0 && g.module.globals.length == 0) {
    setSaveArea(g, validator, false);
    return;
  }
  let count = localCount;
  const global = heaviestGlobal(g, validator.globalWeights);
  if (global >= 0) {
    // The global competes for a register like a local read that often and
    // never assigned (its writes go through to its cell; see cacheGlobal).
    // Its record is the spare one after the locals'.
    const index = g.cacheGlobal(<u32>global, g.module.globals[global].type.valType, mem(VMCTX, g.layout.global(<u32>global)));
    store<u32>(records + (<usize>index << LOCAL_RECORD_SHIFT), load<u32>(validator.globalWeights + (<usize>global << 2)));
    zero.push(false);
    count++;
  }
  pick(g, records, count, validator.callWeight, validator.clobberWeight, false);
  pick(g, records, count, validator.callWeight, validator.clobberWeight, true);
  // A global that got no register is read from its cell as before.
  if (g.globalLocal >= 0 && g.localReg(g.globalLocal) < 0) g.globalLocal = -1;
  setSaveArea(g, validator, false);
}

/**
 * Decides which callee-saved registers the prologue saves (those locals
 * took, or all three in a function that expands x86 intrinsics) and which
 * are saved around the calls that clobber them (the others, when the body
 * makes such calls); the others are kept away from the value stack. The
 * locals move down past the save area when there is one.
 */
function setSaveArea(g: Generator, validator: BodyValidator, all: bool): void {
  let prologue = 0;
  for (let k = 0; k < CALLEE_SAVED.length; k++) {
    const reg = unchecked(CALLEE_SAVED[k]);
    if (all || g.gprOwner[reg] == RESERVED_OWNER) prologue |= 1 << k;
    else g.gprOwner[reg] = RESERVED_OWNER;
  }
  g.savedInPrologue = prologue;
  g.savedAroundCalls = validator.clobberWeight != 0 ? ~prologue & ((1 << CALLEE_SAVED.length) - 1) : 0;
  if (g.savedInPrologue != 0 || g.savedAroundCalls != 0) g.frameTop = FRAME_TOP - SAVE_AREA_SIZE;
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
function pick(g: Generator, records: usize, localCount: i32, callWeight: u32, clobberWeight: u32, float: bool): void {
  const homes = float ? XMM_HOMES : callWeight <= SAVE_COST ? FEW_CALLS_GPR_HOMES : GPR_HOMES;
  for (let slot = 0; slot < homes.length; slot++) {
    // A callee-saved home pays only around the calls that clobber it.
    const calls = !float && isCalleeSaved(unchecked(homes[slot])) ? clobberWeight : callWeight;
    let best = -1;
    let bestWeight: u32 = 0;
    for (let index = 0; index < localCount; index++) {
      if (isFloat(unchecked(g.localTypes[index])) != float || g.localReg(index) >= 0) continue;
      const record = records + (<usize>index << LOCAL_RECORD_SHIFT);
      const weight = load<u32>(record);
      const isAssigned = load<u8>(record, RECORD_ASSIGNED) != 0;
      // Worth a register when used more than its stores and reloads around calls cost.
      const cost = max(MINIMUM_WEIGHT - 1, isAssigned ? 2 * calls : calls);
      if (weight > cost && weight > bestWeight) { best = index; bestWeight = weight; }
    }
    if (best < 0) return;
    g.pinLocal(best, unchecked(homes[slot]), load<u8>(records + (<usize>best << LOCAL_RECORD_SHIFT), RECORD_ASSIGNED) != 0);
  }
}
