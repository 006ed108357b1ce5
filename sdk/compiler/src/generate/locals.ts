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
// around the calls that clobber everything (imports), where
// one in r8-r10 or an xmm register pays around every call, but a function
// pays a save and a restore for each it uses: each local takes the kind
// that costs it less (homeCost). The prologue saves those that locals take; the value stack never uses the others (they are RESERVED),
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
import { CALLEE_SAVED, FRAME_TOP, RESERVED_OWNER, SAVE_AREA_SIZE, VMCTX, isFloat } from "./stack";
import { BodyValidator, LOCAL_RECORD_SHIFT, READ_FIRST, RECORD_ASSIGNED, RECORD_FIRST } from "../validate/body";
import { setAt } from "../lists";

const CALLEE_HOMES: StaticArray<i32> = [Reg.RBX, Reg.R12, Reg.R13];
const CALLER_HOMES: StaticArray<i32> = [Reg.R8, Reg.R9, Reg.R10];
/**
 * What a callee-saved register costs a function that uses it, weighted
 * like a use: its save and its restore, twice over, since they run on
 * every path through the function, where the reloads around calls run
 * only on the paths that call (a recursive function's base case returns
 * before its calls).
 */
const SAVE_COST: u32 = 4;
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
    for (let i = 0; i < localCount; i++) setAt(zero, i, i >= g.paramCount);
    setSaveArea(g, validator, true);
    return;
  }
  const records = validator.usage;
  for (let i = 0; i < localCount; i++) {
    setAt(zero, i, i >= g.paramCount && load<u8>(records + (<usize>i << LOCAL_RECORD_SHIFT), RECORD_FIRST) == READ_FIRST);
  }
  if (localCount == 0 && g.module.globals.length == 0) {
    setSaveArea(g, validator, false);
    return;
  }
  let count = localCount;
  const global = validator.heaviestGlobal;
  if (global >= 0) {
    // The global competes for a register like a local read that often and
    // never assigned (its writes go through to its cell; see cacheGlobal).
    // Its record is the spare one after the locals'.
    const index = g.cacheGlobal(<u32>global, g.module.globals[global].type.valType, mem(VMCTX, g.layout.global(<u32>global)));
    store<u32>(records + (<usize>index << LOCAL_RECORD_SHIFT), load<u32>(validator.globalWeights + (<usize>global << 2)));
    zero.push(false);
    count++;
  }
  pickIntegers(g, records, count, validator.callWeight, validator.clobberWeight);
  pickFloats(g, records, count, validator.callWeight);
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

/** Gives the xmm homes to the heaviest float locals worth one, heaviest first. */
function pickFloats(g: Generator, records: usize, localCount: i32, callWeight: u32): void {
  for (let slot = 0; slot < XMM_HOMES.length; slot++) {
    const best = heaviest(g, records, localCount, true, true, false, callWeight, 0);
    if (best < 0) return;
    g.pinLocal(best, unchecked(XMM_HOMES[slot]), isAssigned(records, best));
  }
}

/**
 * Gives the general homes to the heaviest integer locals worth one,
 * heaviest first, each to the kind of home that costs it less (homeCost).
 */
function pickIntegers(g: Generator, records: usize, localCount: i32, callWeight: u32, clobberWeight: u32): void {
  let callee = 0;
  let caller = 0;
  while (true) {
    const callerFree = caller < CALLER_HOMES.length;
    const calleeFree = callee < CALLEE_HOMES.length;
    const best = heaviest(g, records, localCount, false, callerFree, calleeFree, callWeight, clobberWeight);
    if (best < 0) return;
    const assigned = isAssigned(records, best);
    const toCallee = calleeFree && homeCost(true, assigned, callWeight, clobberWeight) < (callerFree ? homeCost(false, assigned, callWeight, clobberWeight) : U64.MAX_VALUE);
    g.pinLocal(best, toCallee ? unchecked(CALLEE_HOMES[callee++]) : unchecked(CALLER_HOMES[caller++]), assigned);
  }
}

/**
 * What keeping a local in a register costs (weighted like its uses): in a
 * caller-saved one, a reload after every call and a store before it when
 * the local is assigned; in a callee-saved one, the function's save and
 * restore of the register, and the same only around the calls that
 * clobber it.
 */
function homeCost(calleeSaved: bool, assigned: bool, callWeight: u32, clobberWeight: u32): u64 {
  const times: u64 = assigned ? 2 : 1;
  return calleeSaved ? <u64>SAVE_COST + times * <u64>clobberWeight : times * <u64>callWeight;
}

function isAssigned(records: usize, index: i32): bool {
  return load<u8>(records + (<usize>index << LOCAL_RECORD_SHIFT), RECORD_ASSIGNED) != 0;
}

/** The weight a local must exceed to be worth the cheaper of the free homes. */
function cheaperHome(assigned: bool, callerFree: bool, calleeFree: bool, callWeight: u32, clobberWeight: u32): u64 {
  const viaCaller = callerFree ? homeCost(false, assigned, callWeight, clobberWeight) : U64.MAX_VALUE;
  const viaCallee = calleeFree ? homeCost(true, assigned, callWeight, clobberWeight) : U64.MAX_VALUE;
  return max(<u64>(MINIMUM_WEIGHT - 1), min(viaCaller, viaCallee));
}

/** The heaviest local of the class, not yet in a register, used more than its cheaper free home costs; -1 when none is. */
function heaviest(g: Generator, records: usize, localCount: i32, float: bool, callerFree: bool, calleeFree: bool, callWeight: u32, clobberWeight: u32): i32 {
  let best = -1;
  let bestWeight: u32 = 0;
  if (!callerFree && !calleeFree) return best;
  // The threshold depends only on whether the local is assigned: computed
  // once for each case, not per local (this runs once per home given).
  const readCost = cheaperHome(false, callerFree, calleeFree, callWeight, clobberWeight);
  const assignedCost = cheaperHome(true, callerFree, calleeFree, callWeight, clobberWeight);
  const localTypes = g.localTypes;
  for (let index = 0; index < localCount; index++) {
    if (isFloat(unchecked(localTypes[index])) != float || g.localReg(index) >= 0) continue;
    const record = records + (<usize>index << LOCAL_RECORD_SHIFT);
    const weight = load<u32>(record);
    const cost = load<u8>(record, RECORD_ASSIGNED) != 0 ? assignedCost : readCost;
    if (<u64>weight > cost && weight > bestWeight) { best = index; bestWeight = weight; }
  }
  return best;
}
