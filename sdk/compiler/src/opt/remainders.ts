// Remainders by a constant written as x - (x / c) * c. The lowering
// computes a remainder by a constant with a magic multiply that finds the
// quotient first (generate/division.ts), so a function that wants both
// x / c and x % c — a loop taking the digits of a number — computed the
// quotient twice. Written this way the remainder's quotient is an
// ordinary division by a constant, pure (ir.ts isPureInst), which
// redundancy elimination merges with the division already there; on its
// own it costs what the remainder's sequence did (the multiply, an imul
// and a sub). Only the remainders the magic multiply serves are split:
// those by a power of two or by ±1 have shorter sequences of their own.
// Exact for wasm's remainders, whose sign is the dividend's: a truncating
// quotient times c is x minus that remainder, wrapping for the unsigned
// ones.

import { Op } from "../opcodes";
import { ConstantDivision, constantDivision } from "../generate/division";
import { IrFunction } from "./ir";

/** Splits each remainder by a constant that the magic multiply would compute; returns how many. */
export function splitRemainders(func: IrFunction): i32 {
  let split = 0;
  for (let b = 0; b < func.blocks.length; b++) {
    const insts = func.blocks[b].insts;
    for (let k = 0; k < insts.length; k++) {
      const value = insts[k];
      const inst = func.insts[value];
      let division: u32 = 0;
      let multiply: u32 = 0;
      switch (inst.op) {
        case Op.I32RemS: division = Op.I32DivS; multiply = Op.I32Mul; break;
        case Op.I32RemU: division = Op.I32DivU; multiply = Op.I32Mul; break;
        case Op.I64RemS: division = Op.I64DivS; multiply = Op.I64Mul; break;
        case Op.I64RemU: division = Op.I64DivU; multiply = Op.I64Mul; break;
        default: continue;
      }
      const x = inst.args[0];
      const c = inst.args[1];
      const divisor = func.insts[c];
      if (divisor.op != Op.I32Const && divisor.op != Op.I64Const) continue;
      const wide = divisor.op == Op.I64Const;
      const d: i64 = wide ? <i64>divisor.imm : <i64><i32>divisor.imm;
      const signed = inst.op == Op.I32RemS || inst.op == Op.I64RemS;
      if (d == 0 || constantDivision(wide ? 8 : 4, signed, true, d) != ConstantDivision.Magic) continue;
      // The quotient and the product, added at the block's end, then moved before the remainder.
      const quotient = func.add(b, division, inst.type);
      func.insts[quotient].args = [x, c];
      func.insts[quotient].offset = inst.offset;
      const product = func.add(b, multiply, inst.type);
      func.insts[product].args = [quotient, c];
      for (let j = insts.length - 1; j >= k + 2; j--) insts[j] = insts[j - 2];
      insts[k] = quotient;
      insts[k + 1] = product;
      inst.op = wide ? Op.I64Sub : Op.I32Sub;
      inst.args = [x, product];
      k += 2;
      split++;
    }
  }
  return split;
}
