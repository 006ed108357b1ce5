// Lowering of one function's SSA form to x86-64: the optimizing tier's code
// generator. It keeps the baseline's frame, calling convention, prologue
// with its stack check, trap stubs and pc map (docs/compiler-abi.md), so a
// module mixes tier-2 and baseline functions freely and each calls the
// other through the same `call rel32`.
//
// Frame: [rbp - 8] the saved vmctx, below it the spill slots of the
// register allocator (regalloc.ts) and the save slots of the callee-saved
// registers, then the outgoing argument area at rsp. The prologue saves
// the callee-saved registers (rbx, r12, r13: docs/compiler-abi.md) the
// allocation uses, or all three when the function calls an import or
// makes a call_indirect (which clobber them) that can return, and every
// return restores them. Values live in the registers the allocator chose; a spilled value
// is read from its slot into a scratch register (r11 or rcx, xmm14 or
// xmm15) where it is used, and a result without a register goes through
// one to its slot. Phis take their values by parallel copies on each edge
// (moves.ts); an edge that leaves a conditional branch and has copies to
// make goes through a stub after the block. A comparison used only by the
// branch right after it sets the flags the branch tests.
//
// Functions with an operation this tier does not lower yet are left to the
// baseline: `lowerable` checks the whole function before anything is
// emitted, and `tier2Failure` says why.

import { Alu, Cond, Label, Mem, Packed, Reg, Rounding, Scalar, Shift, mem, memIndex, memLabel } from "../x64/assembler";
import { Op, PREFIXED, PrefixedOp } from "../opcodes";
import { FuncType, ValType } from "../module";
import { BoundsMode } from "../compiled";
import { MAX_FRAME_SIZE, MEMORY_LENGTH, RT_MEMORY_GROW, TrapKind, UNCHECKED_LEAF_FRAME, VMCTX_MEMORY, VMCTX_RUNTIME } from "../abi";
import { COND_FLOAT_EQ, COND_FLOAT_NE, Generator, invertCondition } from "../generate/generator";
import { INDIRECT_SAVE_SLOTS, Intrinsic, emitCallIndirectInstruction, emitCallInstruction } from "../generate/call";
import { emitConvertU64, emitSlowPath, emitTruncateSigned, emitTruncateU32, emitTruncateU64 } from "../generate/convert";
import { F32_ABS, F32_SIGN, F64_ABS, F64_SIGN, emitMinMax } from "../generate/float";
import { hasPhis, isLoad, isStore, IrFunction, IrOp, Inst, NO_TYPE } from "./ir";
import { buildFunction, buildFailure } from "./build";
import { eliminateRedundancy } from "./redundancy";
import { inlineCalls } from "./inline";
import { hoistInvariants } from "./licm";
import { sinkIntoEdges } from "./sink";
import { splitRemainders } from "./remainders";
import { Intervals, clobbersCalleeSaved, edgeIndex, isSmallFill } from "./intervals";
import {
  emitDrop, emitFillStores, emitMemoryCopyFromRegisters, emitMemoryFillFromRegisters, emitMemoryInitFromRegisters,
  emitTableCopyFromRegisters, emitTableInitFromRegisters,
} from "../generate/bulk";
import { loadMemoryLength } from "../generate/memory";
import { ConstantDivision, constantDivision, emitDivisionByConstant } from "../generate/division";
import { CALLEE_SAVED, isCalleeSaved } from "../generate/stack";
import { Allocation, allocateRegisters, isConstant, isFloatType, keepsAcrossCalls } from "./regalloc";
import { loopDepths } from "./loops";
import { LocKind, Move, emitMove, emitParallelMoves, storeMove } from "./moves";
import { paramRegister, returnRegister, returnsInRegister } from "../generate/convention";

const SCRATCH: Reg = Reg.R11;
const SCRATCH2: Reg = Reg.RCX;
const VMCTX: Reg = Reg.R14;
const MEMORY_BASE: Reg = Reg.R15;
const XMM_SCRATCH: i32 = 15;
const XMM_SCRATCH2: i32 = 14;
const INT32_MAX: u64 = 0x7fffffff;
const FRAME_PLACEHOLDER: i32 = 0x7fffffff;
const LOOP_ALIGNMENT: i32 = 32;

/** Why the last lowerFunction fell back to the baseline. */
export let tier2Failure: string = "";

function sizeOfType(type: u8): i32 {
  return type == ValType.I64 || type == ValType.F64 ? 8 : 4;
}

function fitsI32(value: i64): bool {
  return value >= -2147483648 && value <= 2147483647;
}

/** Whether the tier lowers `inst`; sets tier2Failure when not. */
function lowerable(g: Generator, inst: Inst): bool {
  const op = inst.op;
  if (op >= <u32>IrOp.Param && op <= <u32>IrOp.Trap) return true;
  if (isLoad(op) || isStore(op)) return true;
  if (op >= <u32>Op.I32Const && op <= <u32>Op.I64Extend32S) return true;
  if (op >= (PREFIXED | PrefixedOp.I32TruncSatF32S) && op <= (PREFIXED | PrefixedOp.I64TruncSatF64U)) return true;
  if (op >= (PREFIXED | PrefixedOp.MemoryInit) && op <= (PREFIXED | PrefixedOp.TableCopy)) return true;
  switch (op) {
    case Op.Select: case Op.GlobalGet: case Op.GlobalSet: case Op.MemorySize: case Op.MemoryGrow:
      return true;
    case Op.Call: {
      const callee = <u32>inst.imm;
      if (g.module.numImportedFuncs > callee && g.intrinsics[<i32>callee] != Intrinsic.NONE) {
        tier2Failure = "calls an intrinsic";
        return false;
      }
      return true;
    }
    case Op.CallIndirect: {
      if (inst.imm2 != 0) {
        tier2Failure = "call_indirect through a table other than 0";
        return false;
      }
      return true;
    }
  }
  tier2Failure = "no lowering for operation 0x" + op.toString(16) + " yet";
  return false;
}

/** The generator calleeLowerable checks against (a function reference cannot capture it). */
let inliningGenerator: Generator | null = null;

/** Whether the tier lowers every operation of `callee`, so inlining it keeps its caller lowerable. */
function calleeLowerable(callee: IrFunction): bool {
  const g = inliningGenerator!;
  const saved = tier2Failure;
  for (let b = 0; b < callee.blocks.length; b++) {
    const insts = callee.blocks[b].insts;
    for (let k = 0; k < insts.length; k++) {
      if (!lowerable(g, callee.insts[insts[k]])) {
        tier2Failure = saved;
        return false;
      }
    }
  }
  return true;
}

/**
 * Compiles defined function `bodyIndex` through the optimizing tier; false
 * (with nothing emitted and tier2Failure set) when the tier cannot, so the
 * caller compiles it with the baseline instead.
 */
export function lowerFunction(g: Generator, bodyIndex: i32): bool {
  const func = buildFunction(g.module, bodyIndex);
  if (func == null) {
    tier2Failure = buildFailure;
    return false;
  }
  for (let b = 0; b < func.blocks.length; b++) {
    const insts = func.blocks[b].insts;
    for (let k = 0; k < insts.length; k++) if (!lowerable(g, func.insts[insts[k]])) return false;
  }
  inliningGenerator = g;
  inlineCalls(func, g.module, calleeLowerable);
  splitRemainders(func);
  hoistInvariants(func);
  eliminateRedundancy(func);
  sinkIntoEdges(func);
  const intervals = new Intervals(func, g.module.numImportedFuncs);
  const allocation = allocateRegisters(func, intervals, g.module.funcType(func.funcIndex));
  const lowering = new Lowering(g, func, intervals, allocation, bodyIndex);
  return lowering.emit();
}

class Lowering {
  g: Generator;
  func: IrFunction;
  intervals: Intervals;
  alloc: Allocation;
  bodyIndex: i32;
  blockLabels: Label[] = [];
  /** Per value: how many instructions use it. */
  uses: i32[];
  /** Values that live in a register and have a slot: reloaded after the calls they span. */
  split: i32[] = [];
  /**
   * Per value: whether its slot is written before each call it lives
   * across rather than once where it is defined: for a value defined in a
   * deeper loop than every call its interval spans (a loop counter live
   * across a call after the loop), where a store at the definition would
   * run on every iteration.
   */
  storeAtCalls: bool[] = [];
  /** Largest argument/result area of a call, in slots. */
  callSlots: i32 = 0;
  /** Bit k: the prologue saved CALLEE_SAVED[k], at saveSlots[k]. */
  savedRegisters: i32 = 0;
  saveSlots: StaticArray<i32> = new StaticArray<i32>(3);
  /** The first of the two frame slots that save rax and rdx around a division, 0 until one needs them. */
  divisionSlot: i32 = 0;
  /**
   * Per division (Intervals.divisions): bit 0 when a value in rax lives
   * across it, bit 1 for rdx; only those are saved around it.
   */
  divisionSaves: u8[] = [];
  /** The comparison whose flags the block's branch tests, -1 when none. */
  fused: i32 = -1;
  /** When `fused` is an i32.eqz of a comparison: that comparison, whose flags the branch tests inverted; else -1. */
  fusedInner: i32 = -1;
  /** An integer comparison left for the select right after it, which sets the flags with it and picks by them: else -1. */
  selectFused: i32 = -1;
  /** Edges whose copies are made in a stub: the block, the edge's index among its targets, the stub's label. */
  stubBlocks: i32[] = [];
  stubEdges: i32[] = [];
  stubLabels: Label[] = [];
  /** The block being emitted. */
  block: i32 = 0;
  /**
   * The bounds checks emitted so far (explicit-bounds mode), by address
   * value (-1: constant addresses): indexes into checkBlocks/checkEnds,
   * the block of each check and the end (offset + size) it proved.
   */
  checks: Map<i32, i32[]> = new Map<i32, i32[]>();
  checkBlocks: i32[] = [];
  checkEnds: u64[] = [];
  /**
   * Per value, for the block being emitted: the block when the value is
   * live out of it (outBlock), the block when used in it and the index of
   * its last use there (useBlock, lastUse); `index` is the instruction
   * being emitted. A value reloaded after a call must be one of those.
   */
  outBlock: i32[];
  useBlock: i32[];
  lastUse: i32[];
  index: i32 = 0;

  constructor(g: Generator, func: IrFunction, intervals: Intervals, alloc: Allocation, bodyIndex: i32) {
    this.g = g;
    this.func = func;
    this.intervals = intervals;
    this.alloc = alloc;
    this.bodyIndex = bodyIndex;
    this.uses = new Array<i32>(func.insts.length).fill(0);
    this.outBlock = new Array<i32>(func.insts.length).fill(-1);
    this.useBlock = new Array<i32>(func.insts.length).fill(-1);
    this.lastUse = new Array<i32>(func.insts.length).fill(0);
    for (let b = 0; b < func.blocks.length; b++) {
      const insts = func.blocks[b].insts;
      for (let k = 0; k < insts.length; k++) {
        const value = insts[k];
        const args = func.insts[value].args;
        for (let a = 0; a < args.length; a++) this.uses[args[a]]++;
        if (alloc.reg[value] >= 0 && alloc.slot[value] != 0) this.split.push(value);
      }
    }
    this.divisionSaves = new Array<u8>(intervals.divisions.length).fill(0);
    if (intervals.divisions.length > 0) {
      for (let value = 0; value < func.insts.length; value++) {
        const reg = alloc.reg[value];
        if ((reg != <i32>Reg.RAX && reg != <i32>Reg.RDX) || isFloatType(func.insts[value].type) || intervals.start[value] < 0) continue;
        const bit: u8 = reg == <i32>Reg.RAX ? 1 : 2;
        for (let d = intervals.divisionAt(intervals.start[value]) + 1; d < intervals.divisions.length && intervals.divisions[d] < intervals.end[value]; d++) {
          this.divisionSaves[d] |= bit;
        }
      }
    }
    this.storeAtCalls = new Array<bool>(func.insts.length).fill(false);
    if (this.split.length > 0) {
      const depth = loopDepths(func, intervals.dominators);
      const type = g.module.funcType(func.funcIndex);
      for (let i = 0; i < this.split.length; i++) {
        const value = this.split[i];
        const inst = func.insts[value];
        // A parameter that came in its slot has it there already.
        const param = inst.op == IrOp.Param;
        if ((param && paramRegister(type, <i32>inst.imm) < 0) || inst.block < 0) continue;
        let deepestCall = -1;
        for (let c = intervals.firstCallAfter(intervals.start[value]); c < intervals.calls.length && intervals.calls[c] < intervals.end[value]; c++) {
          deepestCall = max(deepestCall, depth[intervals.callBlocks[c]]);
        }
        // One that came in a register has nothing in its slot: it is stored
        // before each call it lives across when those are outside every
        // loop, else once at entry (placeRegisterParams).
        this.storeAtCalls[value] = param ? deepestCall <= 0 : depth[inst.block] > deepestCall;
      }
    }
  }

  emit(): bool {
    const g = this.g;
    const asm = g.asm;
    const module = g.module;
    const body = module.bodies[this.bodyIndex];
    const funcIndex = module.numImportedFuncs + <u32>this.bodyIndex;
    g.funcIndex = funcIndex;
    g.wasmOffset = body.offset;
    for (let b = 0; b < this.func.blocks.length; b++) this.blockLabels.push(asm.newLabel());
    g.slowPaths.length = 0;

    // A leaf (no call of any kind, no memory.grow, no bulk operation that
    // calls out) whose frame cannot pass UNCHECKED_LEAF_FRAME needs no stack
    // check: what it writes below its caller's rsp stays within the limit's
    // overrun (docs/compiler-abi.md, "Stack exhaustion"). Its frame is known
    // only after the body; the bound counts the slots the lowering may still
    // add (the three callee-saved registers' and the two of a division).
    const unchecked = this.intervals.calls.length == 0 && 8 * (this.alloc.slotCount + 5) + 8 <= UNCHECKED_LEAF_FRAME;
    const type = module.funcType(funcIndex);
    g.funcType = type;
    const stackTrap: Label = g.beginFunction(funcIndex, type, !unchecked);
    asm.push(Reg.RBP);
    asm.mov(8, Reg.RBP, Reg.RSP);
    asm.push(VMCTX);
    let bottomPatch = -1;
    if (stackTrap >= 0) {
      asm.lea(8, SCRATCH, mem(Reg.RSP, -FRAME_PLACEHOLDER));
      bottomPatch = asm.offset - 4;
      g.emitStackCheck(SCRATCH, stackTrap);
    }
    asm.aluImm(Alu.SUB, 8, Reg.RSP, FRAME_PLACEHOLDER);
    const reservePatch = asm.offset - 4;
    this.saveCalleeSaved();
    this.placeRegisterParams(type);

    const aligned = new Array<bool>(this.func.blocks.length).fill(false);
    const order = emissionOrder(this.func, this.intervals.order, aligned);
    for (let i = 0; i < order.length; i++) {
      const block = order[i];
      const next = i + 1 < order.length ? order[i + 1] : -1;
      // A loop's top on a 32-byte boundary, as the baseline places its loops
      // (generate/control.ts): a loop's speed must not depend on where
      // unrelated code put it within the decoder's fetch blocks.
      if (aligned[block]) asm.alignWithNops(LOOP_ALIGNMENT);
      asm.bind(this.blockLabels[block]);
      this.emitBlock(block, next);
    }
    this.emitStubs();
    for (let i = 0; i < g.slowPaths.length; i++) {
      const path = g.slowPaths[i];
      g.wasmOffset = path.wasmOffset;
      emitSlowPath(g, path);
    }
    g.emitTrapStubs();

    const size = 8 * (this.alloc.slotCount + this.callSlots);
    const frame = (size & 15) == 8 ? size : size + 8;
    if (frame > MAX_FRAME_SIZE) {
      // The baseline reports it in the same words.
      tier2Failure = "frame too large";
      return false;
    }
    if (bottomPatch >= 0) asm.buffer.patch32(bottomPatch, -frame);
    asm.buffer.patch32(reservePatch, frame);
    return true;
  }

  /**
   * The parameters that came in registers (convention.ts): to the
   * registers the allocation gave them, as one parallel move, and a
   * spilled one to its slot, which is its home. One in a register that
   * spans calls is stored before each call it lives across when those are
   * outside loops (storeAtCalls: a store at entry cost ackermann's
   * recursion 0.43 s against 0.23 s, its parameters being live across no
   * call on the path that runs), else once here. Their Param instructions
   * then emit nothing.
   */
  placeRegisterParams(type: FuncType): void {
    const func = this.func;
    const asm = this.g.asm;
    const moves: Move[] = [];
    for (let v = 0; v < func.insts.length; v++) {
      const inst = func.insts[v];
      if (inst.op != IrOp.Param || this.uses[v] == 0) continue;
      const from = paramRegister(type, <i32>inst.imm);
      if (from < 0) continue;
      const reg = this.alloc.reg[v];
      const float = isFloatType(inst.type);
      const size = sizeOfType(inst.type);
      if (reg < 0 || (!this.storeAtCalls[v] && this.intervals.crossesCall(v))) {
        if (float) asm.storeFloat(size, mem(Reg.RBP, this.alloc.slot[v]), from);
        else asm.store(size, mem(Reg.RBP, this.alloc.slot[v]), <Reg>from);
      }
      if (reg < 0) continue;
      const move = new Move();
      move.srcKind = move.dstKind = float ? LocKind.XMM : LocKind.GPR;
      move.src = from;
      move.dst = reg;
      move.size = size;
      moves.push(move);
    }
    emitParallelMoves(asm, moves, true);
  }

  /** Chooses the callee-saved registers to save, gives each a slot and saves it. */
  saveCalleeSaved(): void {
    const func = this.func;
    const alloc = this.alloc;
    const module = this.g.module;
    let saved = 0;
    for (let v = 0; v < func.insts.length; v++) {
      const inst = func.insts[v];
      const reg = alloc.reg[v];
      if (reg >= 0 && !isFloatType(inst.type) && isCalleeSaved(reg)) {
        for (let k = 0; k < CALLEE_SAVED.length; k++) if (CALLEE_SAVED[k] == reg) saved |= 1 << k;
      }
    }
    for (let b = 0; b < func.blocks.length && saved != 7; b++) {
      const insts = func.blocks[b].insts;
      for (let k = 0; k < insts.length; k++) {
        // A call followed by a trap (asc's abort before a throw) never
        // comes back to this function's caller: it needs nothing saved.
        const noReturn = k + 1 < insts.length && func.insts[insts[k + 1]].op == IrOp.Trap;
        if (!noReturn && clobbersCalleeSaved(func.insts[insts[k]], module.numImportedFuncs)) saved = 7;
      }
    }
    this.savedRegisters = saved;
    for (let k = 0; k < CALLEE_SAVED.length; k++) {
      if ((saved & (1 << k)) == 0) continue;
      const slot = alloc.newSlot();
      this.saveSlots[k] = slot;
      this.g.asm.store(8, mem(Reg.RBP, slot), <Reg>CALLEE_SAVED[k]);
    }
  }

  // ---- locations -------------------------------------------------------------

  type(value: i32): u8 { return this.func.insts[value].type; }

  /** A register holding `value` (an integer): its own, or `scratch` loaded with it. */
  gpr(value: i32, scratch: Reg): Reg {
    const reg = this.alloc.reg[value];
    if (reg >= 0) return <Reg>reg;
    const inst = this.func.insts[value];
    const size = sizeOfType(inst.type);
    if (isConstant(inst.op)) this.g.asm.movImm(size, scratch, <i64>inst.imm);
    else this.g.asm.load(size, scratch, mem(Reg.RBP, this.alloc.slot[value]));
    return scratch;
  }

  /** An SSE register holding `value` (a float): its own, or `scratch` loaded with it. */
  xmm(value: i32, scratch: i32): i32 {
    const reg = this.alloc.reg[value];
    if (reg >= 0) return reg;
    this.moveTo(value, LocKind.XMM, scratch);
    return scratch;
  }

  /** The memory operand of a float `value` that has no register: its constant pool cell, or its frame slot. */
  floatMemory(value: i32): Mem {
    const inst = this.func.insts[value];
    if (isConstant(inst.op)) return memLabel(this.g.pool.constant(this.g.asm, inst.imm));
    return mem(Reg.RBP, this.alloc.slot[value]);
  }

  /** Copies `value` into a register of the given kind. */
  moveTo(value: i32, kind: LocKind, reg: i32): void {
    const inst = this.func.insts[value];
    if (kind == LocKind.XMM && isConstant(inst.op) && isFloatType(inst.type) && inst.imm != 0) {
      // From the constant pool: one load, where an immediate takes a movabs and a movq.
      this.g.asm.loadFloat(sizeOfType(inst.type), reg, this.floatMemory(value));
      return;
    }
    const move = this.source(value);
    move.dstKind = kind;
    move.dst = reg;
    if (!move.isNoop()) emitMove(this.g.asm, move);
  }

  /** A move whose source is where `value` lives. */
  source(value: i32): Move {
    const move = new Move();
    const inst = this.func.insts[value];
    move.size = sizeOfType(inst.type);
    const reg = this.alloc.reg[value];
    if (isConstant(inst.op)) {
      move.srcKind = LocKind.CONST;
      move.bits = inst.imm;
    } else if (reg >= 0) {
      move.srcKind = isFloatType(inst.type) ? LocKind.XMM : LocKind.GPR;
      move.src = reg;
    } else {
      move.srcKind = LocKind.MEM;
      move.src = this.alloc.slot[value];
    }
    return move;
  }

  /** Where the result of `value` is computed: its register, or a scratch one when it has none. */
  target(value: i32): i32 {
    const reg = this.alloc.reg[value];
    if (reg >= 0) return reg;
    return isFloatType(this.type(value)) ? XMM_SCRATCH : <i32>SCRATCH;
  }

  /** After `value` was computed in `reg`: writes it to its slot when it has one (spilled, or split around calls). */
  define(value: i32, reg: i32): void {
    const slot = this.alloc.slot[value];
    if (slot == 0 || this.storeAtCalls[value]) return;
    const type = this.type(value);
    if (isFloatType(type)) this.g.asm.storeFloat(sizeOfType(type), mem(Reg.RBP, slot), reg);
    else this.g.asm.store(sizeOfType(type), mem(Reg.RBP, slot), <Reg>reg);
  }

  /** The constant of `value` when it is one that fits an imm32 operand of `size`, else null. */
  isImmediate(value: i32, size: i32): bool {
    const inst = this.func.insts[value];
    if (inst.op == Op.I32Const) return true;
    return inst.op == Op.I64Const && fitsI32(<i64>inst.imm) && size == 8;
  }

  // ---- blocks ------------------------------------------------------------------

  emitBlock(block: i32, next: i32): void {
    const func = this.func;
    this.block = block;
    const insts = func.blocks[block].insts;
    this.fused = -1;
    this.fusedInner = -1;
    this.selectFused = -1;
    const last = insts[insts.length - 1];
    const terminator = func.insts[last];
    if (terminator.op == IrOp.Branch && insts.length >= 2) {
      const condition = terminator.args[0];
      if (insts[insts.length - 2] == condition && this.uses[condition] == 1 && isComparison(func.insts[condition].op)) {
        this.fused = condition;
        // `if (!(a > b))` as AssemblyScript writes a loop's exit test: the
        // inner comparison's flags, tested inverted (which for floats is
        // also right on NaN: not-above is below-or-equal-or-unordered).
        const inner = func.insts[condition].args[0];
        if (func.insts[condition].op == Op.I32Eqz && insts.length >= 3 && insts[insts.length - 3] == inner &&
            this.uses[inner] == 1 && isComparison(func.insts[inner].op)) this.fusedInner = inner;
      }
    }
    const out = this.intervals.liveOut[block];
    for (let i = 0; i < out.length; i++) this.outBlock[out[i]] = block;
    for (let k = 0; k < insts.length; k++) {
      const inst = func.insts[insts[k]];
      if (inst.op == IrOp.Phi) continue;
      for (let a = 0; a < inst.args.length; a++) {
        this.useBlock[inst.args[a]] = block;
        this.lastUse[inst.args[a]] = k;
      }
    }
    for (let k = 0; k < insts.length; k++) {
      const value = insts[k];
      const inst = func.insts[value];
      this.index = k;
      if (inst.op == IrOp.Phi) {
        if (this.alloc.reg[value] >= 0) this.define(value, this.alloc.reg[value]);
        continue;
      }
      if (value == this.fused || value == this.fusedInner) continue;
      if (this.fusesIntoSelect(value, inst, k + 1 < insts.length ? insts[k + 1] : -1)) {
        this.selectFused = value;
        continue;
      }
      this.g.wasmOffset = inst.offset;
      this.emitInst(value, inst, block, next);
    }
  }

  /** The copies an edge makes into the phis of its target. */
  edgeMoves(block: i32, t: i32): Move[] {
    const func = this.func;
    const succ = func.insts[func.last(block)].targets[t];
    const edge = edgeIndex(func, block, t);
    const moves: Move[] = [];
    const insts = func.blocks[succ].insts;
    for (let k = 0; k < insts.length; k++) {
      const phi = insts[k];
      if (func.insts[phi].op != IrOp.Phi) break;
      const move = this.source(func.insts[phi].args[edge]);
      const reg = this.alloc.reg[phi];
      if (reg >= 0) {
        move.dstKind = isFloatType(this.type(phi)) ? LocKind.XMM : LocKind.GPR;
        move.dst = reg;
      } else {
        move.dstKind = LocKind.MEM;
        move.dst = this.alloc.slot[phi];
      }
      moves.push(move);
    }
    return moves;
  }

  hasPhis(block: i32): bool {
    return hasPhis(this.func, block);
  }

  /**
   * Whether edge `t` of `block` copies anything: its target has phis and
   * one of them is not already where the edge's value is (a loop's
   * back edge often has only such phis), so that a branch along an edge
   * that copies nothing goes straight to its target.
   */
  edgeCopies(block: i32, t: i32): bool {
    if (!this.hasPhis(this.func.insts[this.func.last(block)].targets[t])) return false;
    const moves = this.edgeMoves(block, t);
    for (let i = 0; i < moves.length; i++) if (!moves[i].isNoop()) return true;
    return false;
  }

  /** Makes the edge's copies and jumps to its target (unless it is `next`). */
  takeEdge(block: i32, t: i32, next: i32): void {
    const succ = this.func.insts[this.func.last(block)].targets[t];
    if (this.hasPhis(succ)) emitParallelMoves(this.g.asm, this.edgeMoves(block, t));
    if (succ != next) this.g.asm.jmp(this.blockLabels[succ]);
  }

  /** The label a jump along edge `t` goes to: the target, or a stub that makes the edge's copies first (emitted after the blocks). */
  edgeLabel(block: i32, t: i32): Label {
    const succ = this.func.insts[this.func.last(block)].targets[t];
    if (!this.edgeCopies(block, t)) return this.blockLabels[succ];
    const label = this.g.asm.newLabel();
    this.stubBlocks.push(block);
    this.stubEdges.push(t);
    this.stubLabels.push(label);
    return label;
  }

  /** The edge stubs: each makes its edge's copies and jumps to the target. */
  emitStubs(): void {
    for (let i = 0; i < this.stubBlocks.length; i++) {
      this.g.asm.bind(this.stubLabels[i]);
      this.takeEdge(this.stubBlocks[i], this.stubEdges[i], -1);
    }
  }

  // ---- instructions --------------------------------------------------------------

  emitInst(value: i32, inst: Inst, block: i32, next: i32): void {
    const op = inst.op;
    const asm = this.g.asm;
    switch (op) {
      case IrOp.Param: {
        // A parameter's slot is its home (the reload after a call reads it there): load it once.
        // One that came in a register is in place already (placeRegisterParams).
        const reg = this.alloc.reg[value];
        if (reg < 0 || paramRegister(this.g.funcType, <i32>inst.imm) >= 0) return;
        const from = mem(Reg.RBP, this.alloc.slot[value]);
        if (isFloatType(inst.type)) asm.loadFloat(sizeOfType(inst.type), reg, from);
        else asm.load(sizeOfType(inst.type), <Reg>reg, from);
        return;
      }
      case IrOp.Result: {
        const reg = this.target(value);
        const from = mem(Reg.RSP, 8 * <i32>inst.imm);
        if (isFloatType(inst.type)) asm.loadFloat(sizeOfType(inst.type), reg, from);
        else asm.load(sizeOfType(inst.type), <Reg>reg, from);
        this.define(value, reg);
        return;
      }
      case IrOp.Jump: this.takeEdge(block, 0, next); return;
      case IrOp.Branch: this.emitBranch(inst, block, next); return;
      case IrOp.Switch: this.emitSwitch(inst, block); return;
      case IrOp.Return: this.emitReturn(inst); return;
      case IrOp.Trap: asm.jmp(this.g.trapLabel(TrapKind.Unreachable)); return;
      case Op.I32Const: case Op.I64Const: case Op.F32Const: case Op.F64Const: return;
      case Op.Select: this.emitSelect(value, inst); return;
      case Op.GlobalGet: this.emitGlobalGet(value, inst); return;
      case Op.GlobalSet: this.emitGlobalSet(inst); return;
      case Op.MemorySize: {
        const reg = <Reg>this.target(value);
        asm.load(8, reg, mem(VMCTX, VMCTX_MEMORY));
        asm.load(8, reg, mem(reg, MEMORY_LENGTH));
        asm.shiftImm(Shift.SHR, 8, reg, 16);
        this.define(value, reg);
        return;
      }
      case Op.MemoryGrow: this.emitMemoryGrow(value, inst); return;
      case Op.Call: case Op.CallIndirect: this.emitCall(value, inst); return;
      case PREFIXED | PrefixedOp.MemoryFill: {
        if (isSmallFill(this.func, inst)) this.emitSmallFill(inst);
        else this.emitBulk(value, inst, Reg.RAX);
        return;
      }
      case PREFIXED | PrefixedOp.MemoryCopy: case PREFIXED | PrefixedOp.MemoryInit:
      case PREFIXED | PrefixedOp.TableCopy: case PREFIXED | PrefixedOp.TableInit:
        this.emitBulk(value, inst, Reg.RSI);
        return;
      case PREFIXED | PrefixedOp.DataDrop: emitDrop(this.g, this.g.layout.dataSegment(<u32>inst.imm)); return;
      case PREFIXED | PrefixedOp.ElemDrop: emitDrop(this.g, this.g.layout.elemSegment(<u32>inst.imm)); return;
    }
    if (isLoad(op)) { this.emitLoad(value, inst); return; }
    if (isStore(op)) { this.emitStore(inst); return; }
    if (isComparison(op)) {
      const cond = this.emitCompare(inst);
      const reg = this.alloc.reg[value] >= 0 ? <Reg>this.alloc.reg[value] : SCRATCH2;
      this.g.setCondition(cond, reg);
      this.define(value, reg);
      return;
    }
    if (isFloatType(inst.type) && op != Op.F32ReinterpretI32 && op != Op.F64ReinterpretI64 && !isIntToFloat(op)) {
      this.emitFloat(value, inst);
      return;
    }
    this.emitNumeric(value, inst);
  }

  // ---- integers ------------------------------------------------------------------

  emitNumeric(value: i32, inst: Inst): void {
    const asm = this.g.asm;
    const op = inst.op;
    const size = sizeOfType(inst.type);
    const d = <Reg>this.target(value);
    switch (op) {
      case Op.I32Add: case Op.I64Add: this.emitAlu(Alu.ADD, true, value, inst); return;
      case Op.I32Sub: case Op.I64Sub: this.emitAlu(Alu.SUB, false, value, inst); return;
      case Op.I32And: case Op.I64And: this.emitAlu(Alu.AND, true, value, inst); return;
      case Op.I32Or: case Op.I64Or: this.emitAlu(Alu.OR, true, value, inst); return;
      case Op.I32Xor: case Op.I64Xor: this.emitAlu(Alu.XOR, true, value, inst); return;
      case Op.I32Mul: case Op.I64Mul: this.emitAlu(-1, true, value, inst); return;
      case Op.I32Shl: case Op.I64Shl: this.emitShift(Shift.SHL, value, inst); return;
      case Op.I32ShrS: case Op.I64ShrS: this.emitShift(Shift.SAR, value, inst); return;
      case Op.I32ShrU: case Op.I64ShrU: this.emitShift(Shift.SHR, value, inst); return;
      case Op.I32Rotl: case Op.I64Rotl: this.emitShift(Shift.ROL, value, inst); return;
      case Op.I32Rotr: case Op.I64Rotr: this.emitShift(Shift.ROR, value, inst); return;
      case Op.I32DivS: case Op.I64DivS: case Op.I32RemS: case Op.I64RemS:
      case Op.I32DivU: case Op.I64DivU: case Op.I32RemU: case Op.I64RemU:
        this.emitDivision(value, inst);
        return;
    }
    if (isTruncation(op)) {
      this.emitTruncation(value, inst);
      return;
    }
    const a = inst.args[0];
    const type = this.type(a);
    const src = isFloatType(type) ? -1 : <i32>this.gpr(a, SCRATCH2);
    switch (op) {
      case Op.I32Clz: case Op.I64Clz: asm.lzcnt(size, d, <Reg>src); break;
      case Op.I32Ctz: case Op.I64Ctz: asm.tzcnt(size, d, <Reg>src); break;
      case Op.I32Popcnt: case Op.I64Popcnt: asm.popcnt(size, d, <Reg>src); break;
      case Op.I32WrapI64:
        // The high half of a 64-bit shift right by 32 or more is zero already: in place, nothing to clear.
        if (<i32>d != src || !this.isHighHalfZero(a)) asm.mov(4, d, <Reg>src);
        break;
      case Op.I64ExtendI32U: asm.mov(4, d, <Reg>src); break;
      case Op.I64ExtendI32S: case Op.I64Extend32S: asm.signExtend(8, 4, d, <Reg>src); break;
      case Op.I32Extend8S: asm.signExtend(4, 1, d, <Reg>src); break;
      case Op.I32Extend16S: asm.signExtend(4, 2, d, <Reg>src); break;
      case Op.I64Extend8S: asm.signExtend(8, 1, d, <Reg>src); break;
      case Op.I64Extend16S: asm.signExtend(8, 2, d, <Reg>src); break;
      case Op.I32ReinterpretF32: asm.movFromXmm(4, d, this.xmm(a, XMM_SCRATCH)); break;
      case Op.I64ReinterpretF64: asm.movFromXmm(8, d, this.xmm(a, XMM_SCRATCH)); break;
      case Op.F32ReinterpretI32: case Op.F64ReinterpretI64: {
        const x = this.target(value);
        asm.movToXmm(size, x, <Reg>src);
        this.define(value, x);
        return;
      }
      case Op.F32ConvertI64U: case Op.F64ConvertI64U: {
        this.emitConvertU64(value, size, <Reg>src);
        return;
      }
      default: {
        // int -> float conversions (isIntToFloat).
        const x = this.target(value);
        const floatSize = size;
        // cvtsi2s* merges into the register: clear it first to break the dependency.
        asm.packed(Packed.XOR, 4, x, x);
        // An i32 in a register is zero-extended, so a 64-bit conversion gives its unsigned value.
        const intSize = op == Op.F32ConvertI32S || op == Op.F64ConvertI32S ? 4 : 8;
        asm.convertFromInt(floatSize, intSize, x, <Reg>src);
        this.define(value, x);
        return;
      }
    }
    this.define(value, d);
  }

  /** An unsigned i64 to float, from a copy in rcx (the conversion clobbers its input). */
  emitConvertU64(value: i32, floatSize: i32, src: Reg): void {
    const x = this.target(value);
    if (src != SCRATCH2) this.g.asm.mov(8, SCRATCH2, src);
    emitConvertU64(this.g.asm, floatSize, x, SCRATCH2);
    this.define(value, x);
  }

  /**
   * Float to integer truncations, trapping and saturating: cvtts*2si gives
   * INT_MIN of its width for NaN and out-of-range inputs, so the inline path
   * only checks for that and the baseline's slow paths (generate/convert.ts,
   * emitted after the blocks) sort the cases out. Those use r11 and xmm15,
   * so the input is never there and the result is in rcx when its value has
   * no register.
   */
  emitTruncation(value: i32, inst: Inst): void {
    const g = this.g;
    const op = inst.op;
    const saturate = op >= PREFIXED;
    // 0-3: i32 from f32_s, f32_u, f64_s, f64_u; 4-7: the same to i64 (the
    // trapping i64 ones follow the two i64.extend_i32 opcodes).
    let kind: u32;
    if (saturate) kind = op - (PREFIXED | PrefixedOp.I32TruncSatF32S);
    else if (op >= <u32>Op.I64TruncF32S) kind = 4 + op - <u32>Op.I64TruncF32S;
    else kind = op - <u32>Op.I32TruncF32S;
    const intSize = kind < 4 ? 4 : 8;
    const floatSize = (kind & 2) != 0 ? 8 : 4;
    const unsigned = (kind & 1) != 0;
    const input = this.xmm(inst.args[0], XMM_SCRATCH2);
    const result = this.alloc.reg[value] >= 0 ? <Reg>this.alloc.reg[value] : SCRATCH2;
    if (!unsigned) emitTruncateSigned(g, intSize, floatSize, saturate, input, result);
    else if (intSize == 4) emitTruncateU32(g, floatSize, saturate, input, result);
    else emitTruncateU64(g, floatSize, saturate, input, result);
    this.define(value, result);
  }

  /** d = a op b for a two-operand ALU operation (`op` -1: imul). */
  emitAlu(op: i32, commutative: bool, value: i32, inst: Inst): void {
    const asm = this.g.asm;
    const size = sizeOfType(inst.type);
    const d = <Reg>this.target(value);
    let a = inst.args[0];
    let b = inst.args[1];
    const alloc = this.alloc;
    if (this.emitAddAsLea(op, size, d, a, b) || (commutative && this.emitAddAsLea(op, size, d, b, a))) {
      this.define(value, d);
      return;
    }
    if (commutative && (alloc.reg[b] == <i32>d || this.isImmediate(a, size)) && alloc.reg[a] != <i32>d) {
      const t = a; a = b; b = t;
    }
    // A product by an immediate of a value in another register: imul's three-operand form, no copy first.
    if (op < 0 && alloc.reg[a] >= 0 && alloc.reg[a] != <i32>d && this.isImmediate(b, size)) {
      asm.imulImm(size, d, <Reg>alloc.reg[a], <i32>this.func.insts[b].imm);
      this.define(value, d);
      return;
    }
    let bReg: i32 = -1;
    if (alloc.reg[b] == <i32>d && alloc.reg[a] != <i32>d) {
      asm.mov(8, SCRATCH2, d);
      bReg = SCRATCH2;
    } else if (alloc.reg[b] >= 0) {
      bReg = alloc.reg[b];
    }
    if (alloc.reg[a] != <i32>d) this.moveTo(a, LocKind.GPR, d);
    if (bReg >= 0) {
      if (op < 0) asm.imul(size, d, <Reg>bReg);
      else asm.alu(<Alu>op, size, d, <Reg>bReg);
    } else if (this.isImmediate(b, size)) {
      const imm = <i32>this.func.insts[b].imm;
      if (op < 0) asm.imulImm(size, d, d, imm);
      else asm.aluImm(<Alu>op, size, d, imm);
    } else if (isConstant(this.func.insts[b].op)) {
      asm.movImm(8, SCRATCH2, <i64>this.func.insts[b].imm);
      if (op < 0) asm.imul(size, d, SCRATCH2);
      else asm.alu(<Alu>op, size, d, SCRATCH2);
    } else {
      const from = mem(Reg.RBP, alloc.slot[b]);
      if (op < 0) asm.imulLoad(size, d, from);
      else asm.aluLoad(<Alu>op, size, d, from);
    }
    this.define(value, d);
  }

  /**
   * d = a + b or a - constant b as one lea when a is in a register other
   * than d and b in a register other than d or a constant displacement:
   * no copy of a into d first. False, with nothing emitted, otherwise.
   */
  emitAddAsLea(op: i32, size: i32, d: Reg, a: i32, b: i32): bool {
    if (op != Alu.ADD && op != Alu.SUB) return false;
    const alloc = this.alloc;
    const aReg = alloc.reg[a];
    if (aReg < 0 || aReg == <i32>d) return false;
    if (this.isImmediate(b, size)) {
      let imm = <i32>this.func.insts[b].imm;
      if (op == Alu.SUB) {
        // The negated displacement must fit as well.
        if (imm == i32.MIN_VALUE) return false;
        imm = -imm;
      }
      this.g.asm.lea(size, d, mem(<Reg>aReg, imm));
      return true;
    }
    const bReg = alloc.reg[b];
    if (op != Alu.ADD || bReg < 0 || bReg == <i32>d) return false;
    this.g.asm.lea(size, d, memIndex(<Reg>aReg, <Reg>bReg, 1, 0));
    return true;
  }

  /**
   * Division and remainder: (i)div takes the dividend in rdx:rax, which may
   * hold other values, so those two are saved to frame slots around it; the
   * divisor goes to rcx first. Traps as wasm says: on a zero divisor, and
   * for div_s on the one quotient that overflows; rem_s by -1 is 0 (idiv
   * would fault on the most negative dividend).
   */
  emitDivision(value: i32, inst: Inst): void {
    const g = this.g;
    const asm = g.asm;
    const op = inst.op;
    const size = sizeOfType(inst.type);
    const signed = op == Op.I32DivS || op == Op.I64DivS || op == Op.I32RemS || op == Op.I64RemS;
    const remainder = op == Op.I32RemS || op == Op.I64RemS || op == Op.I32RemU || op == Op.I64RemU;
    const saves = this.divisionSaves[this.intervals.divisionAt(this.intervals.position[value])];
    if (saves != 0 && this.divisionSlot == 0) {
      this.divisionSlot = this.alloc.newSlot();
      this.alloc.newSlot();
    }
    const savedRax = mem(Reg.RBP, this.divisionSlot);
    const savedRdx = mem(Reg.RBP, this.divisionSlot - 8);
    const divisor = this.func.insts[inst.args[1]];
    if (isConstant(divisor.op) && divisor.imm != 0) {
      this.emitDivisionByConstant(value, inst, size == 4 ? <i64><i32>divisor.imm : <i64>divisor.imm, signed, remainder, saves, savedRax, savedRdx);
      return;
    }
    this.moveTo(inst.args[1], LocKind.GPR, SCRATCH2);
    if (saves & 1) asm.store(8, savedRax, Reg.RAX);
    if (saves & 2) asm.store(8, savedRdx, Reg.RDX);
    this.moveTo(inst.args[0], LocKind.GPR, Reg.RAX);
    asm.test(size, SCRATCH2, SCRATCH2);
    g.trapIf(Cond.E, TrapKind.DivideByZero);
    const done = asm.newLabel();
    if (signed) {
      const divide = asm.newLabel();
      asm.cmpImm(size, SCRATCH2, -1);
      asm.jccShort(Cond.NE, divide);
      if (remainder) {
        asm.xor(4, Reg.RDX, Reg.RDX);
        asm.jmpShort(done);
      } else {
        // x / -1 overflows only for the most negative x.
        if (size == 8) {
          asm.movImm(8, SCRATCH, <i64>0x8000000000000000);
          asm.cmp(8, Reg.RAX, SCRATCH);
        } else {
          asm.cmpImm(4, Reg.RAX, <i32>0x80000000);
        }
        g.trapIf(Cond.E, TrapKind.IntegerOverflow);
      }
      asm.bind(divide);
      if (size == 8) asm.cqo(); else asm.cdq();
      asm.idiv(size, SCRATCH2);
    } else {
      asm.xor(4, Reg.RDX, Reg.RDX);
      asm.div(size, SCRATCH2);
    }
    asm.bind(done);
    this.finishDivision(value, remainder ? Reg.RDX : Reg.RAX, saves, savedRax, savedRdx);
  }

  /** The result of a division, in `result`, to its value's register, with rax and rdx loaded back where `saves` says. */
  finishDivision(value: i32, result: Reg, saves: u8, savedRax: Mem, savedRdx: Mem): void {
    const asm = this.g.asm;
    const target = <Reg>this.target(value);
    if (saves != 0) {
      asm.mov(8, SCRATCH, result);
      if (saves & 1) asm.load(8, Reg.RAX, savedRax);
      if (saves & 2) asm.load(8, Reg.RDX, savedRdx);
      if (target != SCRATCH) asm.mov(8, target, SCRATCH);
    } else if (target != result) {
      asm.mov(8, target, result);
    }
    this.define(value, target);
  }

  /**
   * Division and remainder by a nonzero constant: the sequences the
   * baseline emits (generate/division.ts: shifts, a magic multiply), on
   * the dividend copied to rcx with rax as the second register (and rdx
   * for an i64 multiply), each kept in its division slot around it when a
   * value lives across it there (divisionSaves).
   */
  emitDivisionByConstant(value: i32, inst: Inst, d: i64, signed: bool, remainder: bool, saves: u8, savedRax: Mem, savedRdx: Mem): void {
    const g = this.g;
    const asm = g.asm;
    const size = sizeOfType(inst.type);
    const kind = constantDivision(size, signed, remainder, d);
    if (kind == ConstantDivision.Zero) {
      const target = <Reg>this.target(value);
      asm.xor(4, target, target);
      this.define(value, target);
      return;
    }
    this.moveTo(inst.args[0], LocKind.GPR, SCRATCH2);
    // The i32 unsigned multiply takes all 64 bits of the dividend's register: its upper half cleared.
    if (kind == ConstantDivision.Magic && size == 4 && !signed) asm.mov(4, SCRATCH2, SCRATCH2);
    const usesRax = kind == ConstantDivision.SignedPowerOfTwo || kind == ConstantDivision.UnsignedLarge || kind == ConstantDivision.Magic;
    const usesRdx = kind == ConstantDivision.Magic && size == 8;
    const kept: u8 = (usesRax ? saves & 1 : 0) | (usesRdx ? saves & 2 : 0);
    if (kept & 1) asm.store(8, savedRax, Reg.RAX);
    if (kept & 2) asm.store(8, savedRdx, Reg.RDX);
    this.finishDivision(value, emitDivisionByConstant(g, kind, size, signed, remainder, d, SCRATCH2, Reg.RAX), kept, savedRax, savedRdx);
  }

  emitShift(op: Shift, value: i32, inst: Inst): void {
    const asm = this.g.asm;
    const size = sizeOfType(inst.type);
    const d = <Reg>this.target(value);
    const a = inst.args[0];
    const b = inst.args[1];
    const count = this.func.insts[b];
    if (isConstant(count.op)) {
      if (this.alloc.reg[a] != <i32>d) this.moveTo(a, LocKind.GPR, d);
      asm.shiftImm(op, size, d, <i32>count.imm & (8 * size - 1));
    } else {
      // The count goes to cl first: it may be in d.
      this.moveTo(b, LocKind.GPR, SCRATCH2);
      if (this.alloc.reg[a] != <i32>d) this.moveTo(a, LocKind.GPR, d);
      asm.shift(op, size, d);
    }
    this.define(value, d);
  }

  /** Sets the flags for a comparison; returns the condition (a Cond or COND_FLOAT_*) that holds when it is true. */
  emitCompare(inst: Inst): i32 {
    const asm = this.g.asm;
    const op = inst.op;
    const a = inst.args[0];
    if (op == Op.I32Eqz || op == Op.I64Eqz) {
      const size = op == Op.I32Eqz ? 4 : 8;
      const reg = this.alloc.reg[a];
      if (reg >= 0) asm.test(size, <Reg>reg, <Reg>reg);
      else if (isConstant(this.func.insts[a].op)) { asm.movImm(size, SCRATCH, <i64>this.func.insts[a].imm); asm.test(size, SCRATCH, SCRATCH); }
      else asm.cmpMemImm(size, mem(Reg.RBP, this.alloc.slot[a]), 0);
      return Cond.E;
    }
    const b = inst.args[1];
    if (op >= <u32>Op.F32Eq) {
      const size = op <= <u32>Op.F32Ge ? 4 : 8;
      const relation = op <= <u32>Op.F32Ge ? op - <u32>Op.F32Eq : op - <u32>Op.F64Eq;
      // lt and le compare the swapped operands, so that every ordered test is A or AE (false on NaN).
      const swapped = relation == 2 || relation == 4;
      const first = swapped ? b : a;
      const second = swapped ? a : b;
      const x = this.xmm(first, XMM_SCRATCH);
      // The second operand from memory (its slot or the constant pool) when it has no register.
      if (this.alloc.reg[second] < 0 && !(isConstant(this.func.insts[second].op) && this.func.insts[second].imm == 0)) asm.ucomisLoad(size, x, this.floatMemory(second));
      else asm.ucomis(size, x, this.xmm(second, XMM_SCRATCH2));
      switch (relation) {
        case 0: return COND_FLOAT_EQ;
        case 1: return COND_FLOAT_NE;
        case 2: case 3: return Cond.A;
      }
      return Cond.AE;
    }
    const size = op <= <u32>Op.I32GeU ? 4 : 8;
    const relation = op <= <u32>Op.I32GeU ? op - <u32>Op.I32Eq : op - <u32>Op.I64Eq;
    const x = this.gpr(a, SCRATCH);
    if (this.isImmediate(b, size)) asm.cmpImm(size, x, <i32>this.func.insts[b].imm);
    else if (this.alloc.reg[b] >= 0) asm.cmp(size, x, <Reg>this.alloc.reg[b]);
    else if (isConstant(this.func.insts[b].op)) { asm.movImm(8, SCRATCH2, <i64>this.func.insts[b].imm); asm.cmp(size, x, SCRATCH2); }
    else asm.cmpLoad(size, x, mem(Reg.RBP, this.alloc.slot[b]));
    switch (relation) {
      case 0: return Cond.E;
      case 1: return Cond.NE;
      case 2: return Cond.L;
      case 3: return Cond.B;
      case 4: return Cond.G;
      case 5: return Cond.A;
      case 6: return Cond.LE;
      case 7: return Cond.BE;
      case 8: return Cond.GE;
    }
    return Cond.AE;
  }

  /** Whether the i64 `value` is a logical shift right by a constant 32 to 63, whose high 32 bits are zero. */
  isHighHalfZero(value: i32): bool {
    const inst = this.func.insts[value];
    if (inst.op != Op.I64ShrU) return false;
    const amount = this.func.insts[inst.args[1]];
    return amount.op == Op.I64Const && (<u32>amount.imm & 63) >= 32;
  }

  /**
   * Whether comparison `value` is the condition of the integer select
   * `next` (the next instruction) and of nothing else, so that the select
   * compares and picks by the flags (cmp, cmov) instead of the comparison
   * making a 0 or 1 for it to test. Only integer comparisons: a float
   * equality's condition takes two flags, which one cmov cannot test.
   */
  fusesIntoSelect(value: i32, inst: Inst, next: i32): bool {
    if (next < 0 || this.uses[value] != 1 || !isComparison(inst.op) || inst.op >= <u32>Op.F32Eq) return false;
    const select = this.func.insts[next];
    return select.op == Op.Select && select.args[2] == value && select.args[0] != value && select.args[1] != value && !isFloatType(select.type);
  }

  emitSelect(value: i32, inst: Inst): void {
    const asm = this.g.asm;
    const a = inst.args[0];
    const b = inst.args[1];
    const c = inst.args[2];
    const type = inst.type;
    const size = sizeOfType(type);
    const alloc = this.alloc;
    const kind = isFloatType(type) ? LocKind.XMM : LocKind.GPR;
    if (alloc.reg[c] < 0 && isConstant(this.func.insts[c].op)) {
      // A constant condition (rare after folding) picks the operand here.
      const d = this.target(value);
      const chosen = <u32>this.func.insts[c].imm != 0 ? a : b;
      if (alloc.reg[chosen] != d) this.moveTo(chosen, kind, d);
      this.define(value, d);
      return;
    }
    if (isFloatType(type)) {
      const d = this.target(value);
      let second = b;
      if (alloc.reg[b] == d && alloc.reg[a] != d) {
        asm.movaps(XMM_SCRATCH2, d);
        second = -1;
      }
      if (alloc.reg[a] != d) this.moveTo(a, LocKind.XMM, d);
      const done = asm.newLabel();
      this.testCondition(c);
      asm.jccShort(Cond.NE, done);
      if (second < 0) asm.movaps(d, XMM_SCRATCH2);
      else this.moveTo(second, LocKind.XMM, d);
      asm.bind(done);
      this.define(value, d);
      return;
    }
    const d = <Reg>this.target(value);
    // d starts as one operand; a cmov brings the other when the condition says so.
    let keep = b;
    let other = a;
    // The condition first: d may hold it (its last use is here), or one of
    // its comparison's operands. The moves below keep the flags (mov and
    // movImm, never xor).
    let holds: i32 = Cond.NE;
    if (c == this.selectFused) {
      holds = this.emitCompare(this.func.insts[c]);
      this.selectFused = -1;
    } else {
      this.testCondition(c);
    }
    let cond = holds;
    if (alloc.reg[a] == <i32>d) { keep = a; other = b; cond = invertCondition(holds); }
    let otherReg: i32 = alloc.reg[other];
    if (otherReg == <i32>d) { asm.mov(8, SCRATCH2, d); otherReg = SCRATCH2; }
    else if (otherReg < 0 && isConstant(this.func.insts[other].op)) { asm.movImm(size, SCRATCH2, <i64>this.func.insts[other].imm); otherReg = SCRATCH2; }
    if (alloc.reg[keep] != <i32>d) this.moveTo(keep, LocKind.GPR, d);
    if (otherReg >= 0) asm.cmov(cond, size, d, <Reg>otherReg);
    else asm.cmovLoad(cond, size, d, mem(Reg.RBP, alloc.slot[other]));
    this.define(value, d);
  }

  /** Sets ZF from an i32 condition value (clear when it is not zero). */
  testCondition(c: i32): void {
    const asm = this.g.asm;
    const reg = this.alloc.reg[c];
    if (reg >= 0) asm.test(4, <Reg>reg, <Reg>reg);
    else if (isConstant(this.func.insts[c].op)) { asm.movImm(4, SCRATCH, <i64>this.func.insts[c].imm); asm.test(4, SCRATCH, SCRATCH); }
    else asm.cmpMemImm(4, mem(Reg.RBP, this.alloc.slot[c]), 0);
  }

  // ---- floats ------------------------------------------------------------------

  emitFloat(value: i32, inst: Inst): void {
    const asm = this.g.asm;
    const op = inst.op;
    const size = sizeOfType(inst.type);
    const d = this.target(value);
    let scalarOp: i32 = -1;
    let commutative = false;
    switch (op) {
      case Op.F32Add: case Op.F64Add: scalarOp = Scalar.ADD; commutative = true; break;
      case Op.F32Sub: case Op.F64Sub: scalarOp = Scalar.SUB; break;
      case Op.F32Mul: case Op.F64Mul: scalarOp = Scalar.MUL; commutative = true; break;
      case Op.F32Div: case Op.F64Div: scalarOp = Scalar.DIV; break;
    }
    const minMax = op == Op.F32Min || op == Op.F64Min || op == Op.F32Max || op == Op.F64Max;
    if (scalarOp >= 0 || minMax) {
      let a = inst.args[0];
      let b = inst.args[1];
      const alloc = this.alloc;
      if ((commutative || minMax) && alloc.reg[b] == d && alloc.reg[a] != d) { const t = a; a = b; b = t; }
      // The second operand: a register other than d, or (for arithmetic) memory read by the instruction.
      let y: i32 = -1;
      if (alloc.reg[b] == d && alloc.reg[a] != d) {
        asm.movaps(XMM_SCRATCH2, d);
        y = XMM_SCRATCH2;
      } else if (alloc.reg[b] >= 0) {
        y = alloc.reg[b];
      } else if (minMax) {
        y = this.xmm(b, XMM_SCRATCH2);
      }
      if (alloc.reg[a] != d) this.moveTo(a, LocKind.XMM, d);
      if (minMax) emitMinMax(asm, op == Op.F32Min || op == Op.F64Min, size, d, y);
      else if (y >= 0) asm.scalar(<Scalar>scalarOp, size, d, y);
      else asm.scalarLoad(<Scalar>scalarOp, size, d, this.floatMemory(b));
      this.define(value, d);
      return;
    }
    if (op == Op.F32Copysign || op == Op.F64Copysign) {
      // The sign of b first (b may be in d), then a's magnitude in d.
      this.moveTo(inst.args[1], LocKind.XMM, XMM_SCRATCH2);
      if (this.alloc.reg[inst.args[0]] != d) this.moveTo(inst.args[0], LocKind.XMM, d);
      asm.packedLoad(Packed.AND, 4, XMM_SCRATCH2, memLabel(this.g.pool.constant(asm, size == 8 ? F64_SIGN : F32_SIGN)));
      asm.packedLoad(Packed.AND, 4, d, memLabel(this.g.pool.constant(asm, size == 8 ? F64_ABS : F32_ABS)));
      asm.packed(Packed.OR, 4, d, XMM_SCRATCH2);
      this.define(value, d);
      return;
    }
    const a = inst.args[0];
    switch (op) {
      case Op.F32Sqrt: case Op.F64Sqrt: asm.scalar(Scalar.SQRT, size, d, this.xmm(a, XMM_SCRATCH2)); break;
      case Op.F32Ceil: case Op.F64Ceil: asm.round(size, d, this.xmm(a, XMM_SCRATCH2), Rounding.CEIL); break;
      case Op.F32Floor: case Op.F64Floor: asm.round(size, d, this.xmm(a, XMM_SCRATCH2), Rounding.FLOOR); break;
      case Op.F32Trunc: case Op.F64Trunc: asm.round(size, d, this.xmm(a, XMM_SCRATCH2), Rounding.TRUNC); break;
      case Op.F32Nearest: case Op.F64Nearest: asm.round(size, d, this.xmm(a, XMM_SCRATCH2), Rounding.NEAREST); break;
      case Op.F32Neg: case Op.F64Neg: case Op.F32Abs: case Op.F64Abs: {
        const neg = op == Op.F32Neg || op == Op.F64Neg;
        const mask: u64 = neg ? (size == 8 ? F64_SIGN : F32_SIGN) : (size == 8 ? F64_ABS : F32_ABS);
        if (this.alloc.reg[a] != d) this.moveTo(a, LocKind.XMM, d);
        asm.packedLoad(neg ? Packed.XOR : Packed.AND, 4, d, memLabel(this.g.pool.constant(asm, mask)));
        break;
      }
      case Op.F32DemoteF64: asm.convertFloat(8, d, this.xmm(a, XMM_SCRATCH2)); break;
      case Op.F64PromoteF32: asm.convertFloat(4, d, this.xmm(a, XMM_SCRATCH2)); break;
    }
    this.define(value, d);
  }

  // ---- memory ------------------------------------------------------------------

  /**
   * The operand of an access of `size` bytes at address value + offset,
   * after the bounds check of explicit mode. Leaves r11 free for the
   * access's value; the address may use rcx.
   */
  address(address: i32, offset: u32, size: i32): i64 {
    const g = this.g;
    const asm = g.asm;
    const explicit = g.options.bounds == BoundsMode.Explicit;
    const inst = this.func.insts[address];
    if (isConstant(inst.op)) {
      const effective = <u64><u32>inst.imm + <u64>offset;
      if (explicit && !this.checked(-1, effective + <u64>size)) {
        const end = effective + <u64>size;
        asm.load(8, SCRATCH, mem(VMCTX, VMCTX_MEMORY));
        asm.load(8, SCRATCH, mem(SCRATCH, MEMORY_LENGTH));
        if (end <= INT32_MAX) asm.cmpImm(8, SCRATCH, <i32>end);
        else { asm.movImm(8, SCRATCH2, <i64>end); asm.cmp(8, SCRATCH, SCRATCH2); }
        g.trapIf(Cond.B, TrapKind.MemoryOutOfBounds);
      }
      if (effective <= INT32_MAX) return mem(MEMORY_BASE, <i32>effective);
      asm.movImm(8, SCRATCH2, <i64>effective);
      return memIndex(MEMORY_BASE, SCRATCH2, 1, 0);
    }
    const index = this.gpr(address, SCRATCH2);
    if (explicit && !this.checked(address, <u64>offset + <u64>size)) {
      // index <= length - (offset + size), compared signed in 64 bits.
      asm.load(8, SCRATCH, mem(VMCTX, VMCTX_MEMORY));
      asm.load(8, SCRATCH, mem(SCRATCH, MEMORY_LENGTH));
      let excess = <u64>offset + <u64>size;
      while (excess > 0) {
        const chunk = excess > INT32_MAX ? INT32_MAX : excess;
        asm.subImm(8, SCRATCH, <i32>chunk);
        excess -= chunk;
      }
      asm.cmp(8, index, SCRATCH);
      g.trapIf(Cond.G, TrapKind.MemoryOutOfBounds);
    }
    if (<u64>offset <= INT32_MAX) return memIndex(MEMORY_BASE, index, 1, <i32>offset);
    if (index != SCRATCH2) asm.mov(8, SCRATCH2, index);
    asm.movImm(8, SCRATCH, <i64><u64>offset);
    asm.add(8, SCRATCH2, SCRATCH);
    return memIndex(MEMORY_BASE, SCRATCH2, 1, 0);
  }

  /**
   * Whether an access of the bytes below `end` past address value `address`
   * (-1: past 0, for constant addresses) needs no bounds check because a
   * check in a dominating position already proved as much: memory only
   * grows, so what was in bounds stays so. Records the check otherwise.
   */
  checked(address: i32, end: u64): bool {
    const dominators = this.intervals.dominators;
    let list: i32[];
    if (this.checks.has(address)) {
      list = this.checks.get(address);
      for (let i = 0; i < list.length; i++) {
        const check = list[i];
        if (this.checkEnds[check] >= end && dominators.dominates(this.checkBlocks[check], this.block)) {
          return true;
        }
      }
    } else {
      list = [];
      this.checks.set(address, list);
    }
    list.push(this.checkBlocks.length);
    this.checkBlocks.push(this.block);
    this.checkEnds.push(end);
    return false;
  }

  beforeAccess(): void {
    if (this.g.options.bounds == BoundsMode.Guard) this.g.recordFault();
  }

  emitLoad(value: i32, inst: Inst): void {
    const asm = this.g.asm;
    const op = inst.op;
    let size = 4;
    switch (op) {
      case Op.I64Load: case Op.F64Load: size = 8; break;
      case Op.I32Load8S: case Op.I32Load8U: case Op.I64Load8S: case Op.I64Load8U: size = 1; break;
      case Op.I32Load16S: case Op.I32Load16U: case Op.I64Load16S: case Op.I64Load16U: size = 2; break;
    }
    const operand = this.address(inst.args[0], <u32>inst.imm, size);
    const d = this.target(value);
    this.beforeAccess();
    switch (op) {
      case Op.F32Load: case Op.F64Load: asm.loadFloat(size, d, operand); break;
      case Op.I32Load: case Op.I64Load32U: asm.load(4, <Reg>d, operand); break;
      case Op.I64Load: asm.load(8, <Reg>d, operand); break;
      case Op.I32Load8S: asm.loadSignExtend(4, 1, <Reg>d, operand); break;
      case Op.I32Load8U: case Op.I64Load8U: asm.loadZeroExtend(1, <Reg>d, operand); break;
      case Op.I32Load16S: asm.loadSignExtend(4, 2, <Reg>d, operand); break;
      case Op.I32Load16U: case Op.I64Load16U: asm.loadZeroExtend(2, <Reg>d, operand); break;
      case Op.I64Load8S: asm.loadSignExtend(8, 1, <Reg>d, operand); break;
      case Op.I64Load16S: asm.loadSignExtend(8, 2, <Reg>d, operand); break;
      case Op.I64Load32S: asm.loadSignExtend(8, 4, <Reg>d, operand); break;
    }
    this.define(value, d);
  }

  emitStore(inst: Inst): void {
    const asm = this.g.asm;
    const op = inst.op;
    let size = 4;
    switch (op) {
      case Op.I64Store: case Op.F64Store: size = 8; break;
      case Op.I32Store8: case Op.I64Store8: size = 1; break;
      case Op.I32Store16: case Op.I64Store16: size = 2; break;
    }
    const operand = this.address(inst.args[0], <u32>inst.imm, size);
    const stored = inst.args[1];
    const source = this.func.insts[stored];
    const reg = this.alloc.reg[stored];
    if (isConstant(source.op) && (size < 8 || fitsI32(<i64>source.imm))) {
      this.beforeAccess();
      asm.storeImm(size, operand, <i32>source.imm);
    } else if (reg >= 0 && isFloatType(source.type)) {
      this.beforeAccess();
      asm.storeFloat(size, operand, reg);
    } else {
      // An integer register, or the value's bits through r11.
      const from = reg >= 0 && !isFloatType(source.type) ? <Reg>reg : SCRATCH;
      if (from == SCRATCH) {
        if (isConstant(source.op)) asm.movImm(8, SCRATCH, <i64>source.imm);
        else asm.load(size == 8 ? 8 : 4, SCRATCH, mem(Reg.RBP, this.alloc.slot[stored]));
      }
      this.beforeAccess();
      asm.store(size, operand, from);
    }
  }

  emitMemoryGrow(value: i32, inst: Inst): void {
    const asm = this.g.asm;
    this.saveBeforeCall(value);
    this.moveTo(inst.args[0], LocKind.GPR, Reg.RSI);
    asm.load(8, Reg.RDI, mem(VMCTX, VMCTX_MEMORY));
    asm.load(8, Reg.RAX, mem(VMCTX, VMCTX_RUNTIME));
    asm.callMem(mem(Reg.RAX, RT_MEMORY_GROW));
    if (this.uses[value] > 0) {
      const d = <Reg>this.target(value);
      asm.mov(4, d, Reg.RAX);
      this.define(value, d);
    }
    this.reloadAfterCall(value);
  }

  /**
   * memory.copy, memory.init, table.copy and table.init (`second` rsi: the
   * source) and memory.fill (`second` rax: the byte) through the baseline's
   * code, which takes its operands in
   * rdi, `second` and rcx and clobbers registers as a call does (the
   * intervals treat it as one). The operands go through the outgoing
   * argument area: a parallel copy straight into those registers could
   * need rcx, one of them, for a cycle.
   */
  emitBulk(value: i32, inst: Inst, second: Reg): void {
    const asm = this.g.asm;
    this.saveBeforeCall(value);
    if (this.callSlots < 3) this.callSlots = 3;
    this.storeArguments(inst, 3, null);
    // i32 operands: 4-byte loads zero-extend them.
    asm.load(4, Reg.RDI, mem(Reg.RSP, 0));
    asm.load(4, second, mem(Reg.RSP, 8));
    asm.load(4, Reg.RCX, mem(Reg.RSP, 16));
    const segment = <u32>inst.imm;
    switch (inst.op) {
      case PREFIXED | PrefixedOp.MemoryCopy: emitMemoryCopyFromRegisters(this.g); break;
      case PREFIXED | PrefixedOp.MemoryFill: emitMemoryFillFromRegisters(this.g); break;
      case PREFIXED | PrefixedOp.MemoryInit: emitMemoryInitFromRegisters(this.g, segment); break;
      case PREFIXED | PrefixedOp.TableCopy: emitTableCopyFromRegisters(this.g); break;
      case PREFIXED | PrefixedOp.TableInit: emitTableInitFromRegisters(this.g, segment); break;
    }
    this.reloadAfterCall(value);
  }

  /**
   * A memory.fill of constant byte and length (isSmallFill: AssemblyScript
   * clears each shadow-stack frame so): the bounds check, then eight-byte
   * stores and a 4/2/1-byte tail, with no register clobbered but r11.
   */
  emitSmallFill(inst: Inst): void {
    const g = this.g;
    const asm = g.asm;
    const length = <u32>this.func.insts[inst.args[2]].imm;
    const pattern = <i64>(<u64>(<u8>this.func.insts[inst.args[1]].imm) * 0x0101010101010101);
    const destination = this.gpr(inst.args[0], SCRATCH2);
    // destination <= memory length - length, compared signed in 64 bits.
    loadMemoryLength(g, SCRATCH);
    if (length > 0) asm.subImm(8, SCRATCH, <i32>length);
    asm.cmp(8, destination, SCRATCH);
    g.trapIf(Cond.G, TrapKind.MemoryOutOfBounds);
    asm.movImm(8, SCRATCH, pattern);
    emitFillStores(asm, destination, length, SCRATCH);
  }

  // ---- variables -----------------------------------------------------------------

  /** The operand of a global's cell: its vmctx slot, or for an imported one the cell the slot points to (through rcx). */
  globalCell(index: u32): i64 {
    const g = this.g;
    const cell = mem(VMCTX, g.layout.global(index));
    if (g.module.numImportedGlobals <= index) return cell;
    g.asm.load(8, SCRATCH2, cell);
    return mem(SCRATCH2, 0);
  }

  emitGlobalGet(value: i32, inst: Inst): void {
    const g = this.g;
    const asm = g.asm;
    const cell = this.globalCell(<u32>inst.imm);
    const d = this.target(value);
    const size = sizeOfType(inst.type);
    if (isFloatType(inst.type)) asm.loadFloat(size, d, cell);
    else asm.load(size, <Reg>d, cell);
    this.define(value, d);
  }

  emitGlobalSet(inst: Inst): void {
    const g = this.g;
    const asm = g.asm;
    storeMove(asm, this.source(inst.args[0]), this.globalCell(<u32>inst.imm));
  }

  // ---- calls -------------------------------------------------------------------

  emitCall(value: i32, inst: Inst): void {
    const g = this.g;
    const asm = g.asm;
    const module = g.module;
    const indirect = inst.op == Op.CallIndirect;
    const type = indirect ? module.types[<i32>inst.imm] : module.funcType(<u32>inst.imm);
    const params = type.params.length;
    const results = type.results.length;
    const slots = params > results ? params : results;
    const reserved = indirect ? slots + INDIRECT_SAVE_SLOTS : slots;
    if (reserved > this.callSlots) this.callSlots = reserved;
    this.saveBeforeCall(value);
    // A direct call of the module's own function: the register convention (convention.ts).
    const direct = !indirect && <u32>inst.imm >= module.numImportedFuncs;
    this.storeArguments(inst, params, direct ? type : null);
    if (indirect) {
      // The element index, the last operand, zero-extended in rcx: the
      // checks clobber it and r11, both scratch here.
      this.moveTo(inst.args[params], LocKind.GPR, SCRATCH2);
      emitCallIndirectInstruction(g, <u32>inst.imm, SCRATCH2, 8 * slots);
    } else {
      emitCallInstruction(g, <u32>inst.imm);
    }
    if (results == 1 && this.uses[value] > 0) {
      const d = this.target(value);
      const size = sizeOfType(inst.type);
      if (direct) {
        const from = returnRegister(type);
        if (isFloatType(inst.type)) { if (d != from) asm.movaps(d, from); }
        else if (d != from) asm.mov(8, <Reg>d, <Reg>from);
      } else if (isFloatType(inst.type)) asm.loadFloat(size, d, mem(Reg.RSP, 0));
      else asm.load(size, <Reg>d, mem(Reg.RSP, 0));
      this.define(value, d);
    }
    this.reloadAfterCall(value);
  }

  /**
   * Copies the first `count` operands of `inst` to the outgoing argument
   * slots at rsp, or, for a direct call (`direct`, the callee's type), the
   * first ones of each class to the parameter registers (convention.ts),
   * as one parallel copy.
   */
  storeArguments(inst: Inst, count: i32, direct: FuncType | null): void {
    const moves: Move[] = [];
    for (let i = 0; i < count; i++) {
      const move = this.source(inst.args[i]);
      const reg = direct != null ? paramRegister(direct, i) : -1;
      if (reg >= 0) {
        move.dstKind = isFloatType(this.type(inst.args[i])) ? LocKind.XMM : LocKind.GPR;
        move.dst = reg;
      } else {
        move.dstKind = LocKind.MEM;
        move.dstBase = <i32>Reg.RSP;
        move.dst = 8 * i;
      }
      moves.push(move);
    }
    emitParallelMoves(this.g.asm, moves, direct != null);
  }

  /**
   * Whether `value` (split around calls) lives across the call `call`: its
   * interval spans the call and it is read after it, later in the block or
   * after it (an interval also spans code where its value is dead, such as
   * the other arm of a branch).
   */
  livesAcross(value: i32, call: i32): bool {
    const at = this.intervals.position[call];
    if (this.intervals.start[value] >= at || this.intervals.end[value] <= at) return false;
    return this.outBlock[value] == this.block || (this.useBlock[value] == this.block && this.lastUse[value] > this.index);
  }

  /** Whether `value` (split around calls) must go through its slot around the call `call`: its register does not survive that call. */
  lostAt(value: i32, call: i32): bool {
    const type = this.type(value);
    return !keepsAcrossCalls(this.alloc.reg[value], isFloatType(type)) || clobbersCalleeSaved(this.func.insts[call], this.g.module.numImportedFuncs);
  }

  /** Before the call `call`, while every register still holds its value: the slots of the storeAtCalls values living across it. */
  saveBeforeCall(call: i32): void {
    for (let i = 0; i < this.split.length; i++) {
      const value = this.split[i];
      if (!this.storeAtCalls[value] || !this.livesAcross(value, call) || !this.lostAt(value, call)) continue;
      const type = this.type(value);
      const to = mem(Reg.RBP, this.alloc.slot[value]);
      if (isFloatType(type)) this.g.asm.storeFloat(sizeOfType(type), to, this.alloc.reg[value]);
      else this.g.asm.store(sizeOfType(type), to, <Reg>this.alloc.reg[value]);
    }
  }

  /** Reloads the values that live across the call `call` into their registers. */
  reloadAfterCall(call: i32): void {
    for (let i = 0; i < this.split.length; i++) {
      const value = this.split[i];
      if (!this.livesAcross(value, call) || !this.lostAt(value, call)) continue;
      const type = this.type(value);
      const from = mem(Reg.RBP, this.alloc.slot[value]);
      if (isFloatType(type)) this.g.asm.loadFloat(sizeOfType(type), this.alloc.reg[value], from);
      else this.g.asm.load(sizeOfType(type), <Reg>this.alloc.reg[value], from);
    }
  }

  // ---- control -------------------------------------------------------------------

  emitBranch(inst: Inst, block: i32, next: i32): void {
    const g = this.g;
    const asm = g.asm;
    const condition = inst.args[0];
    let cond: i32;
    if (this.fused == condition && this.fusedInner >= 0) {
      cond = invertCondition(this.emitCompare(this.func.insts[this.fusedInner]));
    } else if (this.fused == condition) {
      cond = this.emitCompare(this.func.insts[condition]);
    } else if (this.alloc.reg[condition] < 0 && isConstant(this.func.insts[condition].op)) {
      this.takeEdge(block, <u32>this.func.insts[condition].imm != 0 ? 0 : 1, next);
      return;
    } else {
      this.testCondition(condition);
      cond = Cond.NE;
    }
    // Fall through to the next block when an edge goes there without copies;
    // an edge with copies makes them inline when the other edge can be the jump.
    const targets = inst.targets;
    if (targets[0] == next && !this.edgeCopies(block, 0)) {
      g.jumpIf(invertCondition(cond), this.edgeLabel(block, 1));
    } else if (targets[1] == next) {
      g.jumpIf(cond, this.edgeLabel(block, 0));
      this.takeEdge(block, 1, next);
    } else if (!this.edgeCopies(block, 1)) {
      g.jumpIf(invertCondition(cond), this.blockLabels[targets[1]]);
      this.takeEdge(block, 0, next);
    } else {
      g.jumpIf(cond, this.edgeLabel(block, 0));
      this.takeEdge(block, 1, next);
    }
  }

  emitSwitch(inst: Inst, block: i32): void {
    const asm = this.g.asm;
    const targets = inst.targets;
    const count = targets.length - 1;
    const labels: Label[] = [];
    for (let t = 0; t < targets.length; t++) labels.push(this.edgeLabel(block, t));
    if (count == 0) {
      asm.jmp(labels[0]);
    } else {
      this.moveTo(inst.args[0], LocKind.GPR, SCRATCH2);
      asm.cmpImm(4, SCRATCH2, count);
      asm.jcc(Cond.AE, labels[count]);
      const table = asm.newLabel();
      asm.lea(8, SCRATCH, memLabel(table));
      asm.loadSignExtend(8, 4, SCRATCH2, memIndex(SCRATCH, SCRATCH2, 4, 0));
      asm.add(8, SCRATCH2, SCRATCH);
      asm.jmpReg(SCRATCH2);
      asm.align(4);
      asm.bind(table);
      for (let t = 0; t < count; t++) asm.tableEntry(labels[t], table);
    }
  }

  emitReturn(inst: Inst): void {
    const g = this.g;
    const asm = g.asm;
    if (returnsInRegister(g.funcType)) {
      // In rax or xmm0 (convention.ts), and in slot 0 too for a caller by the slot convention.
      const result = inst.args[0];
      const float = isFloatType(this.type(result));
      const size = sizeOfType(this.type(result));
      const reg = returnRegister(g.funcType);
      this.moveTo(result, float ? LocKind.XMM : LocKind.GPR, reg);
      if (unchecked(g.slotCallable[<i32>g.funcIndex])) {
        if (float) asm.storeFloat(size, mem(Reg.RBP, 16), reg);
        else asm.store(size, mem(Reg.RBP, 16), <Reg>reg);
      }
    } else {
      const moves: Move[] = [];
      for (let j = 0; j < inst.args.length; j++) {
        const move = this.source(inst.args[j]);
        move.dstKind = LocKind.MEM;
        move.dstBase = <i32>Reg.RBP;
        move.dst = 16 + 8 * j;
        moves.push(move);
      }
      emitParallelMoves(asm, moves);
    }
    for (let k = 0; k < CALLEE_SAVED.length; k++) {
      if ((this.savedRegisters & (1 << k)) != 0) asm.load(8, <Reg>CALLEE_SAVED[k], mem(Reg.RBP, this.saveSlots[k]));
    }
    asm.leave();
    asm.ret();
  }
}

/**
 * The order the blocks are emitted in: the allocation's (`order`) with each
 * loop that can be rotated laid out body first and header last, so that an
 * iteration ends in the header's conditional branch back to the body
 * rather than in a jump to the header and its branch (loop rotation; the
 * loop is entered by a jump to its header). A loop is rotated when its
 * header, not the function's entry, ends in a branch to the block after it
 * and to a block outside the loop's span, and exactly one predecessor laid
 * out after it, which jumps to it unconditionally, closes the loop.
 * Layout only: the allocation holds whatever the order, and every edge
 * makes its own copies and jump. `aligned` gets the blocks that start a
 * loop's code: the header, or a rotated loop's first body block.
 */
function emissionOrder(func: IrFunction, order: i32[], aligned: bool[]): i32[] {
  const result = order.slice();
  for (let b = 0; b < func.blocks.length; b++) aligned[b] = func.blocks[b].loopHeader;
  for (let k = 1; k < order.length; k++) {
    const header = order[k];
    if (!func.blocks[header].loopHeader) continue;
    const at = result.indexOf(header);
    if (at + 1 >= result.length) continue;
    const branch = func.insts[func.last(header)];
    if (branch.op != IrOp.Branch) continue;
    const body = result[at + 1];
    const targets = branch.targets;
    if ((targets[0] == body) == (targets[1] == body)) continue;
    const exit = targets[0] == body ? targets[1] : targets[0];
    let latch = -1;
    let latchAt = -1;
    let closers = 0;
    const preds = func.blocks[header].preds;
    for (let p = 0; p < preds.length; p++) {
      const where = result.indexOf(preds[p]);
      if (where <= at) continue;
      closers++;
      latch = preds[p];
      latchAt = where;
    }
    if (closers != 1) continue;
    const jump = func.insts[func.last(latch)];
    if (jump.op != IrOp.Jump || jump.targets[0] != header) continue;
    const exitAt = result.indexOf(exit);
    if (exitAt > at && exitAt <= latchAt) continue;
    for (let m = at; m < latchAt; m++) result[m] = result[m + 1];
    result[latchAt] = header;
    aligned[header] = false;
    aligned[body] = true;
  }
  return result;
}

function isComparison(op: u32): bool {
  return op >= <u32>Op.I32Eqz && op <= <u32>Op.F64Ge;
}

/** The float-to-integer truncations: the trapping ones and the saturating (0xFC 0-7) ones. */
function isTruncation(op: u32): bool {
  if (op >= (PREFIXED | PrefixedOp.I32TruncSatF32S) && op <= (PREFIXED | PrefixedOp.I64TruncSatF64U)) return true;
  switch (op) {
    case Op.I32TruncF32S: case Op.I32TruncF32U: case Op.I32TruncF64S: case Op.I32TruncF64U:
    case Op.I64TruncF32S: case Op.I64TruncF32U: case Op.I64TruncF64S: case Op.I64TruncF64U:
      return true;
  }
  return false;
}

function isIntToFloat(op: u32): bool {
  return op >= <u32>Op.F32ConvertI32S && op <= <u32>Op.F64ConvertI64U && op != <u32>Op.F32DemoteF64;
}
