// The IR as text, for tests and for reading what the passes do:
//
//   block1 (preds block0 block3) loop
//     v4:i32 = phi v1 v9
//     v5:i32 = i32.add v4 v2
//     branch v5 -> block2 block3
//
// Constants print their value, memory accesses their static offset,
// variables and calls their index; instructions that can trap their wasm
// offset as @offset.

import { Op } from "../opcodes";
import { IrFunction, IrOp, NO_TYPE, canTrap, isLoad, isStore } from "./ir";
import { opName, typeName } from "./verify";

export function printFunction(func: IrFunction): string {
  let text = "function " + func.funcIndex.toString() + " (";
  for (let i = 0; i < func.params.length; i++) text += (i ? " " : "") + typeName(func.params[i]);
  text += ") -> (";
  for (let i = 0; i < func.results.length; i++) text += (i ? " " : "") + typeName(func.results[i]);
  text += ")\n";
  for (let b = 0; b < func.blocks.length; b++) {
    const block = func.blocks[b];
    text += "block" + b.toString();
    if (block.preds.length > 0) {
      text += " (preds";
      for (let k = 0; k < block.preds.length; k++) text += " block" + block.preds[k].toString();
      text += ")";
    }
    if (block.loopHeader) text += " loop";
    text += "\n";
    for (let k = 0; k < block.insts.length; k++) text += "  " + printInst(func, block.insts[k]) + "\n";
  }
  return text;
}

export function printInst(func: IrFunction, value: i32): string {
  const inst = func.insts[value];
  const op = inst.op;
  let text = inst.type != NO_TYPE ? "v" + value.toString() + ":" + typeName(inst.type) + " = " : "";
  text += opName(op);
  if (op == Op.I32Const) text += " " + (<i32>inst.imm).toString();
  else if (op == Op.I64Const) text += " " + (<i64>inst.imm).toString();
  else if (op == Op.F32Const) text += " " + reinterpret<f32>(<u32>inst.imm).toString();
  else if (op == Op.F64Const) text += " " + reinterpret<f64>(inst.imm).toString();
  else if (isLoad(op) || isStore(op)) { if (inst.imm != 0) text += " offset=" + inst.imm.toString(); }
  else if (op == Op.GlobalGet || op == Op.GlobalSet || op == Op.Call || op == Op.CallIndirect || op == IrOp.Param || op == IrOp.Result) text += " " + inst.imm.toString();
  for (let k = 0; k < inst.args.length; k++) text += " v" + inst.args[k].toString();
  if (inst.targets.length > 0) {
    text += " ->";
    for (let k = 0; k < inst.targets.length; k++) text += " block" + inst.targets[k].toString();
  }
  if (canTrap(op)) text += " @" + inst.offset.toString();
  return text;
}
