// The IR verifier: checks the invariants every pass of the optimizing tier
// relies on, so that a pass that breaks them is caught where it runs, not
// as wrong machine code later.
//
// - Shape: each block ends in exactly one terminator and has no other; phis
//   come first and have one operand per predecessor edge; the predecessor
//   lists match the terminators' targets edge for edge; every instruction's
//   `block` is the block that lists it.
// - SSA: every operand is an instruction that defines a value and that
//   dominates its use (a phi's operand must dominate the end of the
//   corresponding predecessor).
// - Types: operands have the types their operation takes (the validator's
//   tables for numeric and memory operations), phis merge one type.

import { Module, ValType } from "../module";
import { Op, PREFIXED, PrefixedOp, opcodeName } from "../opcodes";
import {
  FIRST_MEMORY, FIRST_NUMERIC, FIRST_STORE, LAST_MEMORY, LAST_NUMERIC, MEMORY_TYPES, NUMERIC_SIGNATURES,
  SATURATING_SIGNATURES, signatureArity, signatureFirst, signatureResult, signatureSecond,
} from "../validate/signatures";
import { IrFunction, IrOp, NO_TYPE, isTerminator } from "./ir";
import { Dominators } from "./dominators";

/** Checks `func`; returns "" when it is well formed, else what is wrong and where. */
export function verifyFunction(func: IrFunction, module: Module): string {
  const v = new Verifier(func);
  v.check(module);
  return v.error;
}

class Verifier {
  func: IrFunction;
  error: string = "";
  /** Position of each instruction within its block, -1 for those in no block. */
  position: i32[];

  constructor(func: IrFunction) {
    this.func = func;
    this.position = new Array<i32>(func.insts.length).fill(-1);
  }

  fail(value: i32, text: string): void {
    if (this.error.length > 0) return;
    const where = value >= 0 ? "v" + value.toString() + " (" + opName(this.func.insts[value].op) + ")" : "";
    this.error = "function " + this.func.funcIndex.toString() + ": " + where + " " + text;
  }

  check(module: Module): void {
    const func = this.func;
    if (func.blocks.length == 0) { this.fail(-1, "has no blocks"); return; }
    if (func.blocks[0].preds.length != 0) this.fail(-1, "entry block has predecessors");
    this.shape();
    if (this.error.length > 0) return;
    const dominators = new Dominators(func);
    for (let b = 0; b < func.blocks.length; b++) {
      if (b != 0 && !dominators.reachable(b)) this.fail(-1, "block" + b.toString() + " is unreachable");
      const insts = func.blocks[b].insts;
      for (let k = 0; k < insts.length; k++) {
        this.operands(insts[k], dominators);
        this.typed(insts[k], module);
      }
    }
  }

  /** Terminators, phi placement, block membership, and predecessors against targets. */
  shape(): void {
    const func = this.func;
    const edges = new Array<i32[]>(func.blocks.length);
    for (let b = 0; b < func.blocks.length; b++) edges[b] = [];
    for (let b = 0; b < func.blocks.length; b++) {
      const block = func.blocks[b];
      if (block.index != b) this.fail(-1, "block" + b.toString() + " has index " + block.index.toString());
      const insts = block.insts;
      if (insts.length == 0) { this.fail(-1, "block" + b.toString() + " is empty"); continue; }
      let bodyStarted = false;
      for (let k = 0; k < insts.length; k++) {
        const value = insts[k];
        if (value < 0 || value >= func.insts.length) { this.fail(-1, "block" + b.toString() + " lists v" + value.toString()); return; }
        const inst = func.insts[value];
        if (this.position[value] >= 0) this.fail(value, "is listed twice");
        this.position[value] = k;
        if (inst.block != b) this.fail(value, "is in block" + b.toString() + " but says block" + inst.block.toString());
        if (inst.op == IrOp.Phi) {
          if (bodyStarted) this.fail(value, "is a phi after the block's body began");
          if (inst.args.length != block.preds.length) this.fail(value, "has " + inst.args.length.toString() + " operands for " + block.preds.length.toString() + " predecessors");
        } else bodyStarted = true;
        const last = k == insts.length - 1;
        if (isTerminator(inst.op) != last) this.fail(value, last ? "ends block" + b.toString() + " but is no terminator" : "is a terminator inside block" + b.toString());
        if (!isTerminator(inst.op) && inst.targets.length > 0) this.fail(value, "has targets but is no terminator");
        if (last) {
          for (let t = 0; t < inst.targets.length; t++) {
            const target = inst.targets[t];
            if (target < 0 || target >= func.blocks.length) { this.fail(value, "targets no block (" + target.toString() + ")"); return; }
            edges[target].push(b);
          }
          this.targetCount(value);
        }
      }
    }
    for (let b = 0; b < func.blocks.length; b++) {
      const preds = func.blocks[b].preds;
      const expected = edges[b];
      let same = preds.length == expected.length;
      // Both lists are in terminator order except that pred order is the order edges were added: compare as multisets.
      if (same) {
        const sortedPreds = preds.slice(0).sort((a: i32, b: i32): i32 => a - b);
        const sortedEdges = expected.slice(0).sort((a: i32, b: i32): i32 => a - b);
        for (let k = 0; k < sortedPreds.length && same; k++) same = sortedPreds[k] == sortedEdges[k];
      }
      if (!same) this.fail(-1, "block" + b.toString() + "'s predecessors do not match the edges into it");
    }
  }

  targetCount(value: i32): void {
    const inst = this.func.insts[value];
    const count = inst.targets.length;
    let expected = 0;
    if (inst.op == IrOp.Jump) expected = 1;
    else if (inst.op == IrOp.Branch) expected = 2;
    else if (inst.op == IrOp.Switch) { if (count < 1) this.fail(value, "has no default target"); return; }
    if (count != expected) this.fail(value, "has " + count.toString() + " targets, not " + expected.toString());
  }

  operands(value: i32, dominators: Dominators): void {
    const func = this.func;
    const inst = func.insts[value];
    for (let k = 0; k < inst.args.length; k++) {
      const arg = inst.args[k];
      if (arg < 0 || arg >= func.insts.length) { this.fail(value, "uses v" + arg.toString() + ", which does not exist"); return; }
      const def = func.insts[arg];
      // A result projects from a call whose several results are no single value.
      if (def.type == NO_TYPE && inst.op != IrOp.Result) { this.fail(value, "uses v" + arg.toString() + ", which defines no value"); return; }
      if (this.position[arg] < 0) { this.fail(value, "uses v" + arg.toString() + ", which is in no block"); return; }
      if (inst.op == IrOp.Phi) {
        // The operand flows along the edge from predecessor k: it must be available at that block's end.
        const pred = func.blocks[inst.block].preds[k];
        if (def.block != pred && !dominators.dominates(def.block, pred)) this.fail(value, "operand v" + arg.toString() + " does not dominate predecessor block" + pred.toString());
      } else if (def.block == inst.block) {
        if (this.position[arg] >= this.position[value]) this.fail(value, "uses v" + arg.toString() + " before its definition");
      } else if (!dominators.dominates(def.block, inst.block)) {
        this.fail(value, "uses v" + arg.toString() + " from block" + def.block.toString() + ", which does not dominate block" + inst.block.toString());
      }
    }
  }

  argType(value: i32, k: i32): u8 {
    return this.func.insts[this.func.insts[value].args[k]].type;
  }

  expectArgs(value: i32, expected: u8[]): void {
    const inst = this.func.insts[value];
    if (inst.args.length != expected.length) { this.fail(value, "has " + inst.args.length.toString() + " operands, not " + expected.length.toString()); return; }
    for (let k = 0; k < expected.length; k++) {
      if (this.argType(value, k) != expected[k]) this.fail(value, "operand " + k.toString() + " is " + typeName(this.argType(value, k)) + ", not " + typeName(expected[k]));
    }
  }

  expectType(value: i32, type: u8): void {
    const actual = this.func.insts[value].type;
    if (actual != type) this.fail(value, "has type " + typeName(actual) + ", not " + typeName(type));
  }

  typed(value: i32, module: Module): void {
    const func = this.func;
    const inst = func.insts[value];
    const op = inst.op;
    const i32 = <u8>ValType.I32;
    if (op >= FIRST_NUMERIC && op <= LAST_NUMERIC) { this.signature(value, NUMERIC_SIGNATURES[op - FIRST_NUMERIC]); return; }
    if (op >= PREFIXED && op <= (PREFIXED | PrefixedOp.I64TruncSatF64U)) { this.signature(value, SATURATING_SIGNATURES[op - PREFIXED]); return; }
    if (op >= FIRST_MEMORY && op <= LAST_MEMORY) {
      const type = MEMORY_TYPES[op - FIRST_MEMORY];
      if (op >= FIRST_STORE) { this.expectArgs(value, [i32, type]); this.expectType(value, NO_TYPE); }
      else { this.expectArgs(value, [i32]); this.expectType(value, type); }
      return;
    }
    switch (op) {
      case IrOp.Param: {
        if (inst.block != 0) this.fail(value, "is a parameter outside the entry block");
        const index = <i32>inst.imm;
        if (index >= func.params.length) this.fail(value, "names parameter " + index.toString() + " of " + func.params.length.toString());
        else this.expectType(value, func.params[index]);
        return;
      }
      case IrOp.Phi:
        for (let k = 0; k < inst.args.length; k++) if (this.argType(value, k) != inst.type) this.fail(value, "merges a " + typeName(this.argType(value, k)) + " into a " + typeName(inst.type));
        return;
      case IrOp.Result: {
        if (inst.args.length != 1) { this.fail(value, "needs one operand"); return; }
        const call = func.insts[inst.args[0]];
        if (call.op != Op.Call && call.op != Op.CallIndirect) { this.fail(value, "projects from v" + inst.args[0].toString() + ", which is no call"); return; }
        const results = (call.op == Op.Call ? module.funcType(<u32>call.imm) : module.types[<i32>call.imm]).results;
        if (<i32>inst.imm >= results.length) this.fail(value, "projects result " + inst.imm.toString() + " of " + results.length.toString());
        else this.expectType(value, results[<i32>inst.imm]);
        return;
      }
      case IrOp.Branch: case IrOp.Switch: this.expectArgs(value, [i32]); return;
      case IrOp.Jump: case IrOp.Trap: this.expectArgs(value, []); return;
      case IrOp.Return: this.expectArgs(value, func.results); return;
      case Op.I32Const: this.expectType(value, i32); this.expectArgs(value, []); return;
      case Op.I64Const: this.expectType(value, <u8>ValType.I64); this.expectArgs(value, []); return;
      case Op.F32Const: this.expectType(value, <u8>ValType.F32); this.expectArgs(value, []); return;
      case Op.F64Const: this.expectType(value, <u8>ValType.F64); this.expectArgs(value, []); return;
      case Op.Select: {
        const type = inst.type;
        this.expectArgs(value, [type, type, i32]);
        return;
      }
      case Op.GlobalGet: this.expectArgs(value, []); this.expectType(value, module.globals[<i32>inst.imm].type.valType); return;
      case Op.GlobalSet: this.expectArgs(value, [module.globals[<i32>inst.imm].type.valType]); return;
      case Op.MemorySize: this.expectArgs(value, []); this.expectType(value, i32); return;
      case Op.MemoryGrow: this.expectArgs(value, [i32]); this.expectType(value, i32); return;
      case Op.Call: case Op.CallIndirect: {
        const type = op == Op.Call ? module.funcType(<u32>inst.imm) : module.types[<i32>inst.imm];
        const expected = type.params.slice(0);
        if (op == Op.CallIndirect) expected.push(i32);
        this.expectArgs(value, expected);
        this.expectType(value, type.results.length == 1 ? type.results[0] : NO_TYPE);
        return;
      }
    }
    if (op == (PREFIXED | PrefixedOp.DataDrop) || op == (PREFIXED | PrefixedOp.ElemDrop)) { this.expectArgs(value, []); return; }
    if (op > PREFIXED && op <= (PREFIXED | PrefixedOp.TableCopy)) { this.expectArgs(value, [i32, i32, i32]); return; }
    this.fail(value, "is no IR operation");
  }

  signature(value: i32, signature: u32): void {
    const arity = signatureArity(signature);
    const expected: u8[] = [signatureFirst(signature)];
    if (arity == 2) expected.push(signatureSecond(signature));
    this.expectArgs(value, expected);
    this.expectType(value, signatureResult(signature));
  }
}

function typeName(type: u8): string {
  if (type == NO_TYPE) return "nothing";
  if (type == ValType.I32) return "i32";
  if (type == ValType.I64) return "i64";
  if (type == ValType.F32) return "f32";
  if (type == ValType.F64) return "f64";
  return "type 0x" + type.toString(16);
}

/** The name of an IR operation, for the printer and for messages. */
export function opName(op: u32): string {
  switch (op) {
    case IrOp.Param: return "param";
    case IrOp.Phi: return "phi";
    case IrOp.Result: return "result";
    case IrOp.Jump: return "jump";
    case IrOp.Branch: return "branch";
    case IrOp.Switch: return "switch";
    case IrOp.Return: return "return";
    case IrOp.Trap: return "trap";
  }
  return opcodeName(op);
}

export { typeName };
