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
import { VMCTX, isFloat } from "./stack";
import { BodyValidator, LOCAL_RECORD_SHIFT, READ_FIRST, RECORD_ASSIGNED, RECORD_FIRST } from "../validate/body";

const GPR_HOMES: StaticArray<i32> = [Reg.RBX, Reg.R12, Reg.R13, Reg.R8, Reg.R9, Reg.R10];
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
    return;
  }
  const records = validator.usage;
  for (let i = 0; i < localCount; i++) {
    unchecked(zero[i] = i >= g.paramCount && load<u8>(records + (<usize>i << LOCAL_RECORD_SHIFT), RECORD_FIRST) == READ_FIRST);
  }
  if (localCount == 0 && g.module.globals.length == 0) return;
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
  pick(g, records, count, validator.callWeight, false);
  pick(g, records, count, validator.callWeight, true);
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
      const record = records + (<usize>index << LOCAL_RECORD_SHIFT);
      const weight = load<u32>(record);
      const isAssigned = load<u8>(record, RECORD_ASSIGNED) != 0;
      // Worth a register when used more than its stores and reloads around calls cost.
      const cost = max(MINIMUM_WEIGHT - 1, isAssigned ? 2 * callWeight : callWeight);
      if (weight > cost && weight > bestWeight) { best = index; bestWeight = weight; }
    }
    if (best < 0) return;
    g.pinLocal(best, unchecked(homes[slot]), load<u8>(records + (<usize>best << LOCAL_RECORD_SHIFT), RECORD_ASSIGNED) != 0);
  }
}
