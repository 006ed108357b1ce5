// Inlining of small direct callees into a function's SSA form: the call's
// block is split at the call, the callee's IR (built from its own body) is
// copied in with its parameters replaced by the call's operands, and each
// of its returns jumps to the continuation, where a phi merges the result.
//
// What a call did stays done: the callee's shadow-stack pointer updates
// and stores are ordinary global and memory operations, copied as they
// are; its traps keep their kind and the byte offset of their wasm
// instruction (the pc map names the caller's function with the callee's
// offset). What goes is the callee's frame and its stack check, so deep
// recursion through an inlined callee uses less native stack; a callee
// that calls itself is never inlined into itself, and inlined bodies are
// not inlined into again, so recursion still reaches the stack limit.
//
// Only small callees are taken (INLINE_MAX_VALUES), with at most one
// result and at least one return, and only while the caller stays below
// INLINE_MAX_CALLER, so code grows little: the win is on tiny accessors
// such as AssemblyScript's `Array#__get`, whose call costs more than its
// body and hides the shadow-stack pointer from redundancy elimination.
// Callees of up to INLINE_ANYWHERE_VALUES values, whose copy is about the
// size of the call it replaces, are inlined wherever they are called; the
// larger ones only at calls inside a loop, where the call runs many times:
// copied into every caller they made tier 2's code a third larger than the
// baseline's, most of it in code that runs once.

import { Module } from "../module";
import { Op, PREFIXED, PrefixedOp } from "../opcodes";
import { BodyValidator } from "../validate/body";
import { buildFunction } from "./build";
import { Dominators } from "./dominators";
import { loopDepths } from "./loops";
import { Inst, IrFunction, IrOp, NO_TYPE } from "./ir";

/** Largest callee inlined, in IR values. */
export const INLINE_MAX_VALUES: i32 = 40;
/** Largest callee inlined at a call outside every loop, in IR values. */
export const INLINE_ANYWHERE_VALUES: i32 = 12;
/** Largest callee body in bytes worth building to measure: a cheap filter before the IR is built. */
export const INLINE_MAX_BYTES: u32 = 160;
/** No inlining into a caller that has grown past this many values. */
export const INLINE_MAX_CALLER: i32 = 3000;

/**
 * Inlines the small direct callees of `func` that `accept` takes (the
 * lowering passes a check that it can lower every operation); returns how
 * many calls it replaced.
 */
export function inlineCalls(func: IrFunction, module: Module, accept: (callee: IrFunction) => bool): i32 {
  if (calleesOf != module) {
    calleesOf = module;
    callees.clear();
    calleeValidator = new BodyValidator(module);
  }
  // Each inlined call's value -> the value that replaces it, applied to every operand once at the end.
  const forward = new Map<i32, i32>();
  const inlined = inlineInto(func, module, accept, forward);
  if (forward.size == 0) return inlined;
  for (let i = 0; i < func.insts.length; i++) {
    const args = func.insts[i].args;
    for (let a = 0; a < args.length; a++) args[a] = forwarded(forward, args[a]);
  }
  return inlined;
}

/** The module whose callees `callees` holds. */
let calleesOf: Module | null = null;
/**
 * Per defined function of calleesOf: its IR when it may be inlined, null
 * when not. Built once per module, not once per call site; splicing only
 * reads it.
 */
const callees = new Map<i32, IrFunction | null>();
/**
 * Validates a callee before its IR is built: bodies are validated one by
 * one just before each is compiled (generate/index.ts), so a callee further
 * on has not been yet, and an invalid one must stay a call (the module is
 * refused when its turn comes) rather than reach buildFunction.
 */
let calleeValidator: BodyValidator | null = null;

/** The IR of body `body` when it may be inlined (small, one result at most, a return, accepted), else null. */
function inlinable(module: Module, body: i32, accept: (callee: IrFunction) => bool): IrFunction | null {
  if (callees.has(body)) return callees.get(body);
  let callee: IrFunction | null = null;
  const code = module.bodies[body];
  if (code.codeEnd - code.codeStart <= INLINE_MAX_BYTES && calleeValidator!.validate(code)) {
    callee = buildFunction(module, body);
    if (callee != null && (callee.insts.length > INLINE_MAX_VALUES || !hasReturn(callee) || hasBulkOperation(callee) || !accept(callee))) callee = null;
  }
  callees.set(body, callee);
  return callee;
}

/** What replaces `value` after the inlining so far. */
function forwarded(forward: Map<i32, i32>, value: i32): i32 {
  while (forward.has(value)) value = forward.get(value);
  return value;
}

function inlineInto(func: IrFunction, module: Module, accept: (callee: IrFunction) => bool, forward: Map<i32, i32>): i32 {
  let inlined = 0;
  // Blocks copied from callees are not searched again.
  const copied: bool[] = new Array<bool>(func.blocks.length).fill(false);
  // Per block: whether it lies in a loop (a continuation, like the block it was split from).
  const depth = loopDepths(func, new Dominators(func));
  const inLoop: bool[] = new Array<bool>(func.blocks.length);
  for (let b = 0; b < func.blocks.length; b++) inLoop[b] = depth[b] > 0;
  for (let b = 0; b < func.blocks.length; b++) {
    if (b < copied.length && copied[b]) continue;
    const insts = func.blocks[b].insts;
    for (let k = 0; k < insts.length; k++) {
      if (func.insts.length > INLINE_MAX_CALLER) return inlined;
      const call = insts[k];
      const inst = func.insts[call];
      if (inst.op != <u32>Op.Call) continue;
      const index = <u32>inst.imm;
      if (index < module.numImportedFuncs || index == func.funcIndex) continue;
      if (module.funcType(index).results.length > 1) continue;
      const callee = inlinable(module, <i32>(index - module.numImportedFuncs), accept);
      if (callee == null || (!inLoop[b] && callee.insts.length > INLINE_ANYWHERE_VALUES)) continue;
      const firstCopied = func.blocks.length;
      spliceCall(func, b, k, callee, forward);
      while (copied.length < func.blocks.length) copied.push(copied.length >= firstCopied && copied.length < func.blocks.length - 1);
      while (inLoop.length < func.blocks.length) inLoop.push(inLoop[b]);
      inlined++;
      // The rest of this block moved to the continuation, the last block added.
      break;
    }
  }
  return inlined;
}

/**
 * A bulk memory or table operation: its inline sequence (bounds checks and
 * copy loops, a few hundred bytes) outweighs the call it would save, and
 * copied into every caller it multiplied the code tier 2 writes (a string
 * concatenation's two copies in each caller of `String#concat`).
 */
function hasBulkOperation(callee: IrFunction): bool {
  for (let i = 0; i < callee.insts.length; i++) {
    switch (callee.insts[i].op) {
      case PREFIXED | PrefixedOp.MemoryInit: case PREFIXED | PrefixedOp.MemoryCopy:
      case PREFIXED | PrefixedOp.MemoryFill: case PREFIXED | PrefixedOp.TableInit:
      case PREFIXED | PrefixedOp.TableCopy:
        return true;
    }
  }
  return false;
}

function hasReturn(callee: IrFunction): bool {
  for (let b = 0; b < callee.blocks.length; b++) {
    const last = callee.last(b);
    if (last >= 0 && callee.insts[last].op == IrOp.Return) return true;
  }
  return false;
}

/**
 * Replaces the call at `func.blocks[block].insts[at]` by a copy of
 * `callee`: the callee's blocks are appended, then the continuation block
 * holding what followed the call.
 */
function spliceCall(func: IrFunction, block: i32, at: i32, callee: IrFunction, forward: Map<i32, i32>): void {
  const insts = func.blocks[block].insts;
  const call = insts[at];
  const callInst = func.insts[call];
  // The callee's values: parameters become the call's operands, the rest new instructions.
  const map = new Array<i32>(callee.insts.length).fill(-1);
  const blockMap = new Array<i32>(callee.blocks.length);
  for (let b = 0; b < callee.blocks.length; b++) blockMap[b] = func.newBlock();
  const continuation = func.newBlock();
  for (let b = 0; b < callee.blocks.length; b++) {
    const from = callee.blocks[b].insts;
    for (let k = 0; k < from.length; k++) {
      const value = from[k];
      const inst = callee.insts[value];
      if (inst.op == IrOp.Param) { map[value] = forwarded(forward, callInst.args[<i32>inst.imm]); continue; }
      map[value] = func.add(blockMap[b], inst.op, inst.type);
    }
  }
  // Operands, targets and predecessors through the maps; returns become jumps to the continuation.
  const results: i32[] = [];
  for (let b = 0; b < callee.blocks.length; b++) {
    const to = blockMap[b];
    const source = callee.blocks[b];
    const target = func.blocks[to];
    target.loopHeader = source.loopHeader;
    for (let k = 0; k < source.preds.length; k++) target.preds.push(blockMap[source.preds[k]]);
    for (let k = 0; k < source.insts.length; k++) {
      const value = source.insts[k];
      if (map[value] < 0 || callee.insts[value].op == IrOp.Param) continue;
      copyInst(callee.insts[value], func.insts[map[value]], map, blockMap);
      const copy = func.insts[map[value]];
      if (copy.op == IrOp.Return) {
        if (copy.args.length > 0) results.push(copy.args[0]);
        copy.op = IrOp.Jump;
        copy.args = [];
        copy.targets = [continuation];
        func.blocks[continuation].preds.push(to);
      }
    }
  }
  // The continuation takes what followed the call, and the call's successors' edges.
  const rest = insts.slice(at + 1);
  insts.length = at;
  const jump = func.add(block, IrOp.Jump, NO_TYPE);
  func.insts[jump].targets = [blockMap[0]];
  func.blocks[blockMap[0]].preds.push(block);
  const after = func.blocks[continuation];
  for (let k = 0; k < rest.length; k++) {
    func.insts[rest[k]].block = continuation;
    after.insts.push(rest[k]);
  }
  const targets = func.insts[rest[rest.length - 1]].targets;
  for (let t = 0; t < targets.length; t++) {
    const preds = func.blocks[targets[t]].preds;
    for (let p = 0; p < preds.length; p++) if (preds[p] == block) preds[p] = continuation;
  }
  callInst.block = -1;
  // The call's value: the one result, or the phi of the results of several returns.
  if (callInst.type == NO_TYPE) return;
  let result = results[0];
  if (results.length > 1) {
    result = func.add(-1, IrOp.Phi, callInst.type);
    func.insts[result].block = continuation;
    func.insts[result].args = results;
    after.insts.unshift(result);
  }
  forward.set(call, result);
}

function copyInst(from: Inst, to: Inst, map: i32[], blockMap: i32[]): void {
  to.imm = from.imm;
  to.imm2 = from.imm2;
  to.offset = from.offset;
  const args: i32[] = [];
  for (let a = 0; a < from.args.length; a++) args.push(map[from.args[a]]);
  to.args = args;
  const targets: i32[] = [];
  for (let t = 0; t < from.targets.length; t++) targets.push(blockMap[from.targets[t]]);
  to.targets = targets;
}
