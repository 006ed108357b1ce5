// Redundancy elimination over extended basic blocks: a pure operation
// equal to one computed before it (same operation, immediates and
// operands) and a global.get whose global's value is already known are
// replaced by the earlier value.
//
// What is known flows down chains of blocks with a single predecessor (that
// predecessor dominates the block, so every value it knows is available);
// a merge starts with nothing known. Alias classes for the global reads:
// a global.set of global g makes its operand g's known value and forgets
// nothing else (globals are distinct cells); a call, call_indirect or
// memory.grow may write any global (through an export, or in another
// instance importing it), so they forget every global. Linear memory and
// the stack are not touched here: no load is replaced. The typical win is
// AssemblyScript's shadow-stack pointer, a global read before every store
// to the shadow stack: after this pass it is read once after each call.

import { Op } from "../opcodes";
import { Dominators } from "./dominators";
import { IrFunction, IrOp, isPure } from "./ir";
import { isCall } from "./intervals";

/** What one point of a block chain knows: pure expressions and global values. */
class Known {
  expressions: Map<string, i32> = new Map<string, i32>();
  globals: Map<u32, i32> = new Map<u32, i32>();

  copy(): Known {
    const known = new Known();
    const keys = this.expressions.keys();
    for (let i = 0; i < keys.length; i++) known.expressions.set(keys[i], this.expressions.get(keys[i]));
    const globals = this.globals.keys();
    for (let i = 0; i < globals.length; i++) known.globals.set(globals[i], this.globals.get(globals[i]));
    return known;
  }
}

/** The key of a pure instruction: equal keys, equal values. */
function expressionKey(func: IrFunction, value: i32): string {
  const inst = func.insts[value];
  let key = inst.op.toString() + ":" + inst.type.toString() + ":" + inst.imm.toString();
  for (let k = 0; k < inst.args.length; k++) key += "," + inst.args[k].toString();
  return key;
}

/** Removes redundant pure operations and global reads from `func`; returns how many. */
export function eliminateRedundancy(func: IrFunction): i32 {
  const count = func.insts.length;
  const replacement = new Array<i32>(count);
  for (let i = 0; i < count; i++) replacement[i] = i;
  const order = new Dominators(func).rpo;
  const atEnd = new Array<Known | null>(func.blocks.length).fill(null);
  let removed = 0;
  for (let o = 0; o < order.length; o++) {
    const block = order[o];
    const preds = func.blocks[block].preds;
    let known: Known;
    if (preds.length == 1 && atEnd[preds[0]] != null) known = atEnd[preds[0]]!.copy();
    else known = new Known();
    const insts = func.blocks[block].insts;
    for (let k = 0; k < insts.length; k++) {
      const value = insts[k];
      const inst = func.insts[value];
      const args = inst.args;
      for (let a = 0; a < args.length; a++) args[a] = replacement[args[a]];
      if (inst.op == IrOp.Phi) continue;
      if (isPure(inst.op)) {
        const key = expressionKey(func, value);
        if (known.expressions.has(key)) {
          replacement[value] = known.expressions.get(key);
          removed++;
        } else {
          known.expressions.set(key, value);
        }
      } else if (inst.op == Op.GlobalGet) {
        const global = <u32>inst.imm;
        if (known.globals.has(global)) {
          replacement[value] = known.globals.get(global);
          removed++;
        } else {
          known.globals.set(global, value);
        }
      } else if (inst.op == Op.GlobalSet) {
        known.globals.set(<u32>inst.imm, args[0]);
      } else if (isCall(inst.op)) {
        known.globals.clear();
      }
    }
    atEnd[block] = known;
  }
  if (removed == 0) return 0;
  // Phis of loop headers read values of blocks visited after them: rewrite
  // every operand once more, then drop the replaced instructions.
  for (let b = 0; b < func.blocks.length; b++) {
    const block = func.blocks[b];
    const kept: i32[] = [];
    for (let k = 0; k < block.insts.length; k++) {
      const value = block.insts[k];
      const args = func.insts[value].args;
      for (let a = 0; a < args.length; a++) args[a] = replacement[args[a]];
      if (replacement[value] == value) kept.push(value);
      else func.insts[value].block = -1;
    }
    block.insts = kept;
  }
  return removed;
}
