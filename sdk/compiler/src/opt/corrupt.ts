// Broken IR for the verifier's negative test: each corruption breaks one
// invariant of ir.ts the verifier promises to check (shape, SSA, types) in
// a freshly built function. The Ir command with IR_CORRUPT applies every
// one that fits each function and reports whether the verifier rejected it;
// a corruption it accepts is a hole in the verifier.

import { ValType } from "../module";
import { Op } from "../opcodes";
import { IrFunction, IrOp, NO_TYPE } from "./ir";

/** The corruptions, by number; corruptionName names them. */
export const CORRUPTIONS: i32 = 5;

export function corruptionName(kind: i32): string {
  switch (kind) {
    case 0: return "an operand that is its own instruction";
    case 1: return "a phi missing the operand of an edge";
    case 2: return "an i32 constant retyped as i64 under its users";
    case 3: return "the entry block without its terminator";
    case 4: return "a predecessor no edge comes from";
  }
  return "none";
}

/** Applies corruption `kind` to `func`; false when the function has nothing it applies to. */
export function corrupt(func: IrFunction, kind: i32): bool {
  const insts = func.insts;
  switch (kind) {
    case 0: {
      for (let i = 0; i < insts.length; i++) {
        const inst = insts[i];
        if (!listed(func, i) || inst.op == IrOp.Phi || inst.args.length == 0 || inst.type == NO_TYPE) continue;
        if (insts[inst.args[0]].type != inst.type) continue;
        inst.args[0] = i;
        return true;
      }
      return false;
    }
    case 1: {
      for (let i = 0; i < insts.length; i++) {
        const inst = insts[i];
        if (!listed(func, i) || inst.op != IrOp.Phi || inst.args.length == 0) continue;
        inst.args.pop();
        return true;
      }
      return false;
    }
    case 2: {
      for (let i = 0; i < insts.length; i++) {
        const inst = insts[i];
        if (!listed(func, i) || inst.op < <u32>Op.I32Eqz || inst.op > <u32>Op.I64Extend32S) continue;
        for (let k = 0; k < inst.args.length; k++) {
          const operand = insts[inst.args[k]];
          if (operand.op != Op.I32Const) continue;
          operand.type = <u8>ValType.I64;
          operand.op = Op.I64Const;
          return true;
        }
      }
      return false;
    }
    case 3: {
      func.blocks[0].insts.pop();
      return true;
    }
    case 4: {
      if (func.blocks.length < 2) return false;
      func.blocks[func.blocks.length - 1].preds.push(func.blocks.length - 1);
      return true;
    }
  }
  return false;
}

/** Whether instruction `value` is in its block's list (a phi replaced during construction keeps its block but is not). */
function listed(func: IrFunction, value: i32): bool {
  const block = func.insts[value].block;
  return block >= 0 && func.blocks[block].insts.includes(value);
}
