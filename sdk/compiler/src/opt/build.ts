// SSA construction from a validated wasm function body, in one pass over
// its instructions (Braun et al., "Simple and Efficient Construction of
// Static Single Assignment Form", 2013).
//
// The operand stack becomes value indices; locals become SSA values through
// each block's current definitions, with phis created where a local is read
// in a block whose predecessors are not all known yet. wasm's structured
// control makes "all known" easy: a block's or if's merge block is complete
// at its `end` (only forward branches reach it), a loop header at the
// loop's `end` (its back edges all lie inside the loop). Label values (block
// results, loop parameters) are phis of the target block, one operand
// appended per edge as the branch is built. Trivial phis (all operands the
// same value, or the phi itself) are replaced by that value when their block
// is complete; `alias` records the replacement and the final pass rewrites
// the operands through it.
//
// Code after an unconditional branch is dead until the `end` or `else` of
// its block: it is skipped, keeping track only of nesting, as the baseline
// does, so every block built is reachable.

import { Module, ValType } from "../module";
import { Op, PREFIXED, PrefixedOp } from "../opcodes";
import { Reader } from "../reader";
import {
  FIRST_MEMORY, FIRST_NUMERIC, FIRST_STORE, LAST_MEMORY, LAST_NUMERIC, MEMORY_TYPES, NUMERIC_SIGNATURES,
  SATURATING_SIGNATURES, signatureResult,
} from "../validate/signatures";
import { skipImmediates } from "../generate/immediates";
import { Block, IrFunction, IrOp, NO_TYPE } from "./ir";

const EMPTY_BLOCK: i32 = -0x40;

/** One wasm control frame during construction. */
class Frame {
  kind: u32 = Op.Block;
  /** Where branches to this label go: the merge block, or the loop header. */
  target: i32 = -1;
  /** The merge block after the construct (for a loop, where its end falls through). */
  merge: i32 = -1;
  /** The phis of `target` that receive the label's values. */
  labelPhis: i32[] = [];
  /** The phis of `merge` that receive the construct's results (a loop's differ from its label's). */
  mergePhis: i32[] = [];
  /** Operand stack height below the construct's parameters. */
  height: i32 = 0;
  /** For an if: the block of its else arm, -1 once used. */
  elseBlock: i32 = -1;
  /** For an if: its parameters, which the else arm starts from. */
  params: i32[] = [];
  /** Whether the code before the construct was reachable. */
  reachable: bool = true;
}

/** Builds the SSA form of defined function `bodyIndex`; null (with `buildFailure` set) if it cannot. */
export function buildFunction(module: Module, bodyIndex: i32): IrFunction | null {
  const builder = new Builder(module, bodyIndex);
  if (!builder.build()) {
    buildFailure = builder.failure;
    return null;
  }
  return builder.func;
}

/** Why the last buildFunction returned null. */
export let buildFailure: string = "";

class Builder {
  module: Module;
  func: IrFunction = new IrFunction();
  reader: Reader;
  /** Type of every local, parameters first. */
  localTypes: u8[] = [];
  /** Per block: local index -> its current value in that block. */
  defs: Map<i32, i32>[] = [];
  /** Per block: whether all its predecessors are known. */
  sealed: bool[] = [];
  /** Per block: the phis created for locals before it was sealed, and their locals. */
  incompletePhis: i32[][] = [];
  incompleteLocals: i32[][] = [];
  /** Per value: the value it was replaced by (itself when not replaced). */
  alias: i32[] = [];
  stack: i32[] = [];
  frames: Frame[] = [];
  /** The block being filled, -1 in dead code. */
  current: i32 = -1;
  failure: string = "";

  constructor(module: Module, bodyIndex: i32) {
    this.module = module;
    const body = module.bodies[bodyIndex];
    this.reader = new Reader(module.bytes, body.codeStart, body.codeEnd);
    const func = this.func;
    func.funcIndex = module.numImportedFuncs + <u32>bodyIndex;
    const type = module.types[<i32>body.typeIndex];
    for (let i = 0; i < type.params.length; i++) { func.params.push(type.params[i]); this.localTypes.push(type.params[i]); }
    for (let i = 0; i < type.results.length; i++) func.results.push(type.results[i]);
    for (let i = 0; i < body.locals.length; i++) this.localTypes.push(body.locals[i]);
  }

  // --- values and blocks ---

  newBlock(): i32 {
    const block = this.func.newBlock();
    this.defs.push(new Map<i32, i32>());
    this.sealed.push(false);
    this.incompletePhis.push([]);
    this.incompleteLocals.push([]);
    return block;
  }

  add(op: u32, type: u8): i32 {
    const value = this.func.add(this.current, op, type);
    this.alias.push(value);
    return value;
  }

  /** A phi at the head of `block` (before its body), with no operands yet. */
  addPhi(block: i32, type: u8): i32 {
    const func = this.func;
    const value = func.add(-1, IrOp.Phi, type);
    this.alias.push(value);
    func.insts[value].block = block;
    const insts = func.blocks[block].insts;
    let at = insts.length;
    insts.push(value);
    while (at > 0 && func.insts[insts[at - 1]].op != IrOp.Phi) {
      insts[at] = insts[at - 1];
      at--;
    }
    insts[at] = value;
    return value;
  }

  resolve(value: i32): i32 {
    while (this.alias[value] != value) value = this.alias[value];
    return value;
  }

  /** An edge from the current block to `target`, passing `values` to its label phis. */
  edge(target: i32, phis: i32[], values: i32[]): void {
    const func = this.func;
    func.blocks[target].preds.push(this.current);
    func.insts[func.last(this.current)].targets.push(target);
    for (let i = 0; i < phis.length; i++) func.insts[phis[i]].args.push(values[i]);
  }

  // --- locals (Braun et al.) ---

  writeLocal(local: i32, block: i32, value: i32): void {
    this.defs[block].set(local, value);
  }

  readLocal(local: i32, block: i32): i32 {
    const defs = this.defs[block];
    if (defs.has(local)) return this.resolve(defs.get(local));
    return this.readLocalRecursive(local, block);
  }

  readLocalRecursive(local: i32, block: i32): i32 {
    const type = this.localTypes[local];
    let value: i32;
    const preds = this.func.blocks[block].preds;
    if (!this.sealed[block]) {
      value = this.addPhi(block, type);
      this.incompletePhis[block].push(value);
      this.incompleteLocals[block].push(local);
    } else if (preds.length == 1) {
      value = this.readLocal(local, preds[0]);
    } else {
      // Break cycles through this block with the phi before reading the predecessors.
      value = this.addPhi(block, type);
      this.writeLocal(local, block, value);
      this.fillPhi(value, local);
      value = this.removeTrivialPhi(value);
    }
    this.writeLocal(local, block, value);
    return value;
  }

  fillPhi(phi: i32, local: i32): void {
    const func = this.func;
    const preds = func.blocks[func.insts[phi].block].preds;
    for (let i = 0; i < preds.length; i++) {
      const value = this.readLocal(local, preds[i]);
      func.insts[phi].args.push(value);
    }
  }

  /** The phi's only operand other than itself, replacing it, or the phi when it merges several values. */
  removeTrivialPhi(phi: i32): i32 {
    const args = this.func.insts[phi].args;
    let same = -1;
    for (let i = 0; i < args.length; i++) {
      const arg = this.resolve(args[i]);
      if (arg == same || arg == phi) continue;
      if (same >= 0) return phi;
      same = arg;
    }
    if (same < 0) return phi; // only reachable through itself: cannot happen in reachable code
    this.alias[phi] = same;
    return same;
  }

  seal(block: i32): void {
    const phis = this.incompletePhis[block];
    const locals = this.incompleteLocals[block];
    this.sealed[block] = true;
    for (let i = 0; i < phis.length; i++) {
      this.fillPhi(phis[i], locals[i]);
      this.removeTrivialPhi(phis[i]);
    }
    this.incompletePhis[block] = [];
    this.incompleteLocals[block] = [];
  }

  // --- the operand stack ---

  push(value: i32): void { this.stack.push(value); }
  pop(): i32 { return this.stack.pop(); }

  /** The top `count` values, in stack order, removed from the stack. */
  popValues(count: i32): i32[] {
    const values = new Array<i32>(count);
    for (let i = count - 1; i >= 0; i--) values[i] = this.pop();
    return values;
  }

  /** The top `count` values, in stack order, left on the stack. */
  peekValues(count: i32): i32[] {
    const values = new Array<i32>(count);
    const base = this.stack.length - count;
    for (let i = 0; i < count; i++) values[i] = this.stack[base + i];
    return values;
  }

  // --- block types ---

  blockParams(blockType: i32): u8[] {
    return blockType >= 0 ? this.module.types[blockType].params : [];
  }

  blockResults(blockType: i32): u8[] {
    if (blockType >= 0) return this.module.types[blockType].results;
    if (blockType == EMPTY_BLOCK) return [];
    return [<u8>(blockType + 0x80)];
  }

  readBlockType(): i32 {
    const r = this.reader;
    const byte = r.peek();
    if (byte == 0x40) { r.pos++; return EMPTY_BLOCK; }
    if (byte >= <u32>ValType.F64 && byte <= <u32>ValType.I32) { r.pos++; return <i32>byte - 0x80; }
    return <i32>r.s33();
  }

  phisFor(block: i32, types: u8[]): i32[] {
    const phis: i32[] = [];
    for (let i = 0; i < types.length; i++) phis.push(this.addPhi(block, types[i]));
    return phis;
  }

  // --- the pass ---

  build(): bool {
    const func = this.func;
    const entry = this.newBlock();
    this.sealed[entry] = true;
    this.current = entry;
    for (let i = 0; i < func.params.length; i++) {
      const value = this.add(IrOp.Param, func.params[i]);
      func.insts[value].imm = <u64>i;
      this.writeLocal(i, entry, value);
    }
    for (let i = func.params.length; i < this.localTypes.length; i++) {
      this.writeLocal(i, entry, this.zero(this.localTypes[i]));
    }
    // The function's own frame: its end returns the results.
    const exit = this.newBlock();
    const frame = new Frame();
    frame.target = exit;
    frame.merge = exit;
    frame.labelPhis = this.phisFor(exit, func.results);
    frame.mergePhis = frame.labelPhis;
    this.frames.push(frame);

    const r = this.reader;
    while (this.frames.length > 0) {
      if (r.failed || r.atEnd()) return this.fail("body ends before its last end");
      const offset = r.pos;
      const op = r.u8();
      if (this.current < 0) this.skipDead(op);
      else if (!this.instruction(op, offset)) return false;
    }
    this.finish();
    return true;
  }

  fail(text: string): bool {
    this.failure = "function " + this.func.funcIndex.toString() + ": " + text;
    return false;
  }

  zero(type: u8): i32 {
    let op: u32 = Op.I32Const;
    if (type == ValType.I64) op = Op.I64Const;
    else if (type == ValType.F32) op = Op.F32Const;
    else if (type == ValType.F64) op = Op.F64Const;
    return this.add(op, type);
  }

  /** Dead code: only nesting matters, until the end or else of the frame that went dead. */
  skipDead(op: u32): void {
    const r = this.reader;
    const frame = this.frames[this.frames.length - 1];
    if (op == Op.Block || op == Op.Loop || op == Op.If) {
      skipImmediates(r, op);
      const dead = new Frame();
      dead.kind = op;
      dead.reachable = false;
      this.frames.push(dead);
      return;
    }
    if (op == Op.End) {
      if (!frame.reachable) { this.frames.pop(); return; }
      this.end(frame);
      return;
    }
    if (op == Op.Else) {
      if (frame.reachable) this.elseArm(frame);
      return;
    }
    skipImmediates(r, op);
  }

  instruction(op: u32, offset: u32): bool {
    const r = this.reader;
    const func = this.func;
    if (op >= FIRST_NUMERIC && op <= LAST_NUMERIC) {
      this.numeric(op, NUMERIC_SIGNATURES[op - FIRST_NUMERIC], offset);
      return true;
    }
    if (op >= FIRST_MEMORY && op <= LAST_MEMORY) {
      const align = r.u32();
      const staticOffset = r.u32();
      const type = MEMORY_TYPES[op - FIRST_MEMORY];
      let value: i32;
      if (op >= FIRST_STORE) {
        const stored = this.pop();
        const address = this.pop();
        value = this.add(op, NO_TYPE);
        func.insts[value].args = [address, stored];
      } else {
        const address = this.pop();
        value = this.add(op, type);
        func.insts[value].args = [address];
        this.push(value);
      }
      const inst = func.insts[value];
      inst.imm = <u64>staticOffset;
      inst.imm2 = align;
      inst.offset = offset;
      return true;
    }
    switch (op) {
      case Op.Nop: return true;
      case Op.Unreachable: {
        const trap = this.add(IrOp.Trap, NO_TYPE);
        func.insts[trap].offset = offset;
        this.current = -1;
        return true;
      }
      case Op.Block: case Op.Loop: case Op.If: this.blockStart(op, offset); return true;
      case Op.Else: this.elseArm(this.frames[this.frames.length - 1]); return true;
      case Op.End: this.end(this.frames[this.frames.length - 1]); return true;
      case Op.Br: this.br(r.u32()); return true;
      case Op.BrIf: this.brIf(r.u32()); return true;
      case Op.BrTable: this.brTable(); return true;
      case Op.Return: this.br(this.frames.length - 1); return true;
      case Op.Call: {
        const index = r.u32();
        this.call(Op.Call, this.module.funcTypes[index], index, 0, offset, -1);
        return true;
      }
      case Op.CallIndirect: {
        const typeIndex = r.u32();
        const table = r.u32();
        this.call(Op.CallIndirect, typeIndex, typeIndex, table, offset, this.pop());
        return true;
      }
      case Op.Drop: this.pop(); return true;
      case Op.Select: {
        const condition = this.pop();
        const second = this.pop();
        const first = this.pop();
        const value = this.add(Op.Select, func.insts[first].type);
        func.insts[value].args = [first, second, condition];
        this.push(value);
        return true;
      }
      case Op.LocalGet: {
        const local = <i32>r.u32();
        this.push(this.readLocal(local, this.current));
        return true;
      }
      case Op.LocalSet: this.writeLocal(<i32>r.u32(), this.current, this.pop()); return true;
      case Op.LocalTee: this.writeLocal(<i32>r.u32(), this.current, this.stack[this.stack.length - 1]); return true;
      case Op.GlobalGet: {
        const index = r.u32();
        const value = this.add(op, this.module.globals[index].type.valType);
        func.insts[value].imm = <u64>index;
        this.push(value);
        return true;
      }
      case Op.GlobalSet: {
        const index = r.u32();
        const value = this.add(op, NO_TYPE);
        func.insts[value].imm = <u64>index;
        func.insts[value].args = [this.pop()];
        return true;
      }
      case Op.MemorySize: r.u8(); this.push(this.add(op, <u8>ValType.I32)); return true;
      case Op.MemoryGrow: {
        r.u8();
        const value = this.add(op, <u8>ValType.I32);
        func.insts[value].args = [this.pop()];
        func.insts[value].offset = offset;
        this.push(value);
        return true;
      }
      case Op.I32Const: this.constant(op, <u8>ValType.I32, <u64><u32>r.i32()); return true;
      case Op.I64Const: this.constant(op, <u8>ValType.I64, <u64>r.i64()); return true;
      case Op.F32Const: this.constant(op, <u8>ValType.F32, <u64>r.fixed32()); return true;
      case Op.F64Const: this.constant(op, <u8>ValType.F64, r.fixed64()); return true;
      case Op.Prefix: return this.prefixed(offset);
    }
    return this.fail("opcode 0x" + op.toString(16) + " at " + offset.toString() + " has no IR form");
  }

  constant(op: u32, type: u8, bits: u64): void {
    const value = this.add(op, type);
    this.func.insts[value].imm = bits;
    this.push(value);
  }

  numeric(op: u32, signature: u32, offset: u32): void {
    const arity = <i32>(signature & 0xff);
    const value = this.add(op, signatureResult(signature));
    const inst = this.func.insts[value];
    inst.args = this.popValues(arity);
    inst.offset = offset;
    this.push(value);
  }

  prefixed(offset: u32): bool {
    const r = this.reader;
    const sub = r.u32();
    const op = PREFIXED | sub;
    if (sub <= <u32>PrefixedOp.I64TruncSatF64U) {
      this.numeric(op, SATURATING_SIGNATURES[sub], offset);
      return true;
    }
    let segment: u32 = 0;
    let operands = 3;
    switch (sub) {
      case PrefixedOp.MemoryInit: segment = r.u32(); r.u8(); break;
      case PrefixedOp.DataDrop: segment = r.u32(); operands = 0; break;
      case PrefixedOp.MemoryCopy: r.u8(); r.u8(); break;
      case PrefixedOp.MemoryFill: r.u8(); break;
      case PrefixedOp.TableInit: segment = r.u32(); r.u32(); break;
      case PrefixedOp.ElemDrop: segment = r.u32(); operands = 0; break;
      case PrefixedOp.TableCopy: r.u32(); r.u32(); break;
      default: return this.fail("opcode 0xfc " + sub.toString() + " at " + offset.toString() + " has no IR form");
    }
    const value = this.add(op, NO_TYPE);
    const inst = this.func.insts[value];
    inst.args = this.popValues(operands);
    inst.imm = <u64>segment;
    inst.offset = offset;
    return true;
  }

  call(op: u32, typeIndex: u32, imm: u32, table: u32, offset: u32, callee: i32): void {
    const type = this.module.types[<i32>typeIndex];
    const func = this.func;
    const args = this.popValues(type.params.length);
    if (callee >= 0) args.push(callee);
    const results = type.results;
    const value = this.add(op, results.length == 1 ? results[0] : NO_TYPE);
    const inst = func.insts[value];
    inst.args = args;
    inst.imm = <u64>imm;
    inst.imm2 = table;
    inst.offset = offset;
    if (results.length == 1) { this.push(value); return; }
    for (let i = 0; i < results.length; i++) {
      const result = this.add(IrOp.Result, results[i]);
      func.insts[result].args = [value];
      func.insts[result].imm = <u64>i;
      this.push(result);
    }
  }

  // --- control ---

  blockStart(op: u32, offset: u32): void {
    const blockType = this.readBlockType();
    const params = this.blockParams(blockType);
    const results = this.blockResults(blockType);
    const func = this.func;
    const frame = new Frame();
    frame.kind = op;
    let condition = -1;
    if (op == Op.If) condition = this.pop();
    frame.height = this.stack.length - params.length;
    frame.merge = this.newBlock();
    frame.mergePhis = this.phisFor(frame.merge, results);
    if (op == Op.Loop) {
      const header = this.newBlock();
      func.blocks[header].loopHeader = true;
      frame.target = header;
      frame.labelPhis = this.phisFor(header, params);
      this.add(IrOp.Jump, NO_TYPE);
      this.edge(header, frame.labelPhis, this.popValues(params.length));
      this.current = header;
      for (let i = 0; i < params.length; i++) this.push(frame.labelPhis[i]);
    } else if (op == Op.If) {
      frame.target = frame.merge;
      frame.labelPhis = frame.mergePhis;
      frame.params = this.peekValues(params.length);
      const then = this.newBlock();
      frame.elseBlock = this.newBlock();
      const branch = this.add(IrOp.Branch, NO_TYPE);
      func.insts[branch].args = [condition];
      func.insts[branch].offset = offset;
      this.edge(then, [], []);
      this.edge(frame.elseBlock, [], []);
      this.seal(then);
      this.seal(frame.elseBlock);
      this.current = then;
    } else {
      frame.target = frame.merge;
      frame.labelPhis = frame.mergePhis;
    }
    this.frames.push(frame);
  }

  /** Falls through the end of the current arm into the frame's merge block. */
  fallThrough(frame: Frame): void {
    if (this.current < 0) return;
    this.add(IrOp.Jump, NO_TYPE);
    this.edge(frame.merge, frame.mergePhis, this.popValues(frame.mergePhis.length));
  }

  elseArm(frame: Frame): void {
    this.fallThrough(frame);
    this.stack.length = frame.height;
    for (let i = 0; i < frame.params.length; i++) this.push(frame.params[i]);
    this.current = frame.elseBlock;
    frame.elseBlock = -1;
  }

  end(frame: Frame): void {
    this.fallThrough(frame);
    if (frame.elseBlock >= 0) {
      // An if without else: its parameters flow to the merge unchanged.
      this.current = frame.elseBlock;
      this.add(IrOp.Jump, NO_TYPE);
      this.edge(frame.merge, frame.mergePhis, frame.params);
      frame.elseBlock = -1;
    }
    if (frame.kind == Op.Loop) this.sealLabel(frame.target, frame.labelPhis);
    this.frames.pop();
    const merge = frame.merge;
    this.sealLabel(merge, frame.mergePhis);
    this.stack.length = frame.height;
    if (this.func.blocks[merge].preds.length == 0) {
      this.current = -1;
      return;
    }
    this.current = merge;
    for (let i = 0; i < frame.mergePhis.length; i++) this.push(this.resolve(frame.mergePhis[i]));
    if (this.frames.length == 0) {
      const ret = this.add(IrOp.Return, NO_TYPE);
      this.func.insts[ret].args = this.peekValues(frame.mergePhis.length);
    }
  }

  /** Seals a block whose label phis are complete, replacing the trivial ones. */
  sealLabel(block: i32, phis: i32[]): void {
    this.seal(block);
    for (let i = 0; i < phis.length; i++) this.removeTrivialPhi(phis[i]);
  }

  labelFrame(depth: u32): Frame {
    return this.frames[this.frames.length - 1 - <i32>depth];
  }

  br(depth: u32): void {
    const frame = this.labelFrame(depth);
    this.add(IrOp.Jump, NO_TYPE);
    this.edge(frame.target, frame.labelPhis, this.peekValues(frame.labelPhis.length));
    this.current = -1;
  }

  brIf(depth: u32): void {
    const func = this.func;
    const frame = this.labelFrame(depth);
    const condition = this.pop();
    const branch = this.add(IrOp.Branch, NO_TYPE);
    func.insts[branch].args = [condition];
    this.edge(frame.target, frame.labelPhis, this.peekValues(frame.labelPhis.length));
    const next = this.newBlock();
    this.edge(next, [], []);
    this.seal(next);
    this.current = next;
  }

  brTable(): void {
    const r = this.reader;
    const count = r.u32();
    const depths: u32[] = [];
    for (let i: u32 = 0; i <= count; i++) depths.push(r.u32());
    const index = this.pop();
    const sw = this.add(IrOp.Switch, NO_TYPE);
    this.func.insts[sw].args = [index];
    for (let i = 0; i < depths.length; i++) {
      const frame = this.labelFrame(depths[i]);
      this.edge(frame.target, frame.labelPhis, this.peekValues(frame.labelPhis.length));
    }
    this.current = -1;
  }

  /**
   * Rewrites every operand through the aliases of removed phis, drops those
   * phis, and removes the blocks no edge reaches (merges of constructs that
   * never complete), renumbering the rest.
   */
  finish(): void {
    const func = this.func;
    for (let i = 0; i < func.insts.length; i++) {
      const args = func.insts[i].args;
      for (let k = 0; k < args.length; k++) args[k] = this.resolve(args[k]);
    }
    const renumber = new Array<i32>(func.blocks.length);
    const kept: Block[] = [];
    for (let b = 0; b < func.blocks.length; b++) {
      const block = func.blocks[b];
      if (b != 0 && block.preds.length == 0) { renumber[b] = -1; continue; }
      renumber[b] = kept.length;
      block.index = kept.length;
      kept.push(block);
      const insts: i32[] = [];
      for (let k = 0; k < block.insts.length; k++) {
        const value = block.insts[k];
        if (this.alias[value] == value) insts.push(value);
      }
      block.insts = insts;
    }
    func.blocks = kept;
    for (let i = 0; i < func.insts.length; i++) {
      const inst = func.insts[i];
      if (inst.block >= 0) inst.block = renumber[inst.block];
      const targets = inst.targets;
      for (let k = 0; k < targets.length; k++) targets[k] = renumber[targets[k]];
    }
    for (let b = 0; b < kept.length; b++) {
      const preds = kept[b].preds;
      for (let k = 0; k < preds.length; k++) preds[k] = renumber[preds[k]];
    }
  }
}
