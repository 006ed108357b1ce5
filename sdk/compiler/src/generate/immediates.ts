// Skips the immediates of one instruction: for passes that look at a body
// without compiling it (dead code after a branch, the choice of register
// locals). The body was validated, so the encoding is known to be right.

import { Op } from "../opcodes";
import { Reader } from "../reader";

/** Where the number readLeb last decoded ends. */
export let lebEnd: usize = 0;

/** The unsigned LEB128 number at address `p` of a validated body; its end goes to lebEnd. */
// @ts-ignore: decorator
@inline export function readLeb(p: usize): u32 {
  let value: u32 = 0;
  let shift: u32 = 0;
  let byte: u32;
  do {
    byte = <u32>load<u8>(p++);
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  lebEnd = p;
  return value;
}

export function skipImmediates(reader: Reader, op: u32): void {
  switch (op) {
    case Op.Block: case Op.Loop: case Op.If:
      reader.s33();
      break;
    case Op.Br: case Op.BrIf: case Op.Call:
    case Op.LocalGet: case Op.LocalSet: case Op.LocalTee: case Op.GlobalGet: case Op.GlobalSet:
      reader.u32();
      break;
    case Op.BrTable: {
      const count = reader.u32();
      for (let i: u32 = 0; i <= count; i++) reader.u32();
      break;
    }
    case Op.CallIndirect: reader.u32(); reader.u32(); break;
    case Op.MemorySize: case Op.MemoryGrow: reader.u8(); break;
    case Op.I32Const: reader.i32(); break;
    case Op.I64Const: reader.i64(); break;
    case Op.F32Const: reader.fixed32(); break;
    case Op.F64Const: reader.fixed64(); break;
    case Op.Prefix: {
      const sub = reader.u32();
      if (sub == 8) { reader.u32(); reader.u8(); }
      else if (sub == 9 || sub == 13) reader.u32();
      else if (sub == 10) { reader.u8(); reader.u8(); }
      else if (sub == 11) reader.u8();
      else if (sub == 12 || sub == 14) { reader.u32(); reader.u32(); }
      break;
    }
    default:
      if (op >= <u32>Op.I32Load && op <= <u32>Op.I64Store32) { reader.u32(); reader.u32(); }
  }
}
