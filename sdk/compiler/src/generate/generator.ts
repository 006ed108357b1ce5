// The state of code generation for one module, and the helpers every
// instruction family shares: trap sites, the pc map, fused conditions,
// control frames and the moves that bring the value stack into the state a
// branch target expects.
//
// Control-flow merges use one canonical state. On entry to a block, loop or
// if, every stack entry is spilled (constants stay latent: they are the same
// on every path), so the entries below a block's base never change inside it.
// A branch to a label moves the values the label carries into the canonical
// slots of the label's positions (base + i); at the label the stack is the
// entries below the base plus those values in their slots. The common case
// of a block or if without parameters and with one result is cheaper: that
// value arrives in rax (integers) or xmm0 (floats), which no entry can hold
// at the label (nothing below a block's base is in a register). An `end`
// that only the fallthrough reaches (a block nobody branches to, any loop's
// end) keeps the stack as it is, registers included.

import { Assembler, Cond, Label, Reg, invertCond, mem, fsAbsolute } from "../x64/assembler";
import { Module, FuncType, ValType } from "../module";
import { CompileOptions, PcMap } from "../compiled";
import { VmctxLayout, TrapKind, VMCTX_MEMORY_BASE, THREAD_STACK_LIMIT } from "../abi";
import { Reader } from "../reader";
import { BodyValidator } from "../validate/body";
import { readLeb } from "./immediates";
import { CALLEE_SAVED, FRAME_TOP, Kind, OperandKind, ValueStack, SCRATCH, isFloat, sizeOf } from "./stack";
import { paramRegister, returnRegister, returnsInRegister } from "./convention";

export const enum ControlKind {
  FUNCTION = 0,
  BLOCK = 1,
  LOOP = 2,
  IF = 3,
}

/** A condition: an x86 condition code, or one of the two float comparisons that need the parity flag too. */
export const COND_FLOAT_EQ: i32 = 0x10; // ZF = 1 and PF = 0
export const COND_FLOAT_NE: i32 = 0x20; // ZF = 0 or PF = 1

export function invertCondition(cond: i32): i32 {
  if (cond == COND_FLOAT_EQ) return COND_FLOAT_NE;
  if (cond == COND_FLOAT_NE) return COND_FLOAT_EQ;
  return invertCond(cond);
}

/** Where a block's single result arrives (see resultRegister). */
const RESULT_GPR: i32 = Reg.RAX;
const RESULT_XMM: i32 = 0;

export class Control {
  kind: ControlKind = ControlKind.BLOCK;
  /** Branch target: the loop header, or the end. */
  label: Label = 0;
  /** Where an if's false branch starts. */
  elseLabel: Label = 0;
  /** Stack depth below the block's parameters. */
  base: i32 = 0;
  type: FuncType = new FuncType();
  /** Some path other than the fallthrough reaches the end label (in the canonical state). */
  branched: bool = false;
  hasElse: bool = false;

  /** The types a branch to this frame carries. */
  branchTypes(): u8[] {
    return this.kind == ControlKind.LOOP ? this.type.params : this.type.results;
  }
}

/** Code placed after a function's body for a rare case of one instruction (conversion.ts). */
export class SlowPath {
  kind: i32 = 0;
  input: i32 = 0;
  result: i32 = 0;
  floatSize: i32 = 0;
  intSize: i32 = 0;
  label: Label = 0;
  /** Where the fast path continues. */
  resume: Label = 0;
  wasmOffset: u32 = 0;
}

export class Generator extends ValueStack {
  module: Module;
  options: CompileOptions;
  layout: VmctxLayout;
  pcMap: PcMap = new PcMap();
  /** Entry label of every function in the index space, its code offset: the slot entry when it has one (convention.ts). Imports have unbound ones, never used. */
  funcLabels: Label[] = [];
  /** Where a direct call enters each function: its body, after any slot entry (the same label as funcLabels without one). */
  bodyLabels: Label[] = [];
  /** Per function index, 1 when it can be reached by the slot convention (convention.ts slotCallable). */
  slotCallable: StaticArray<u8> = new StaticArray<u8>(0);
  /** The shared `call trapThunk[kind]` targets. */
  thunkLabels: Label[] = [];
  /** For each imported function: its privileged intrinsic (0 when it is an ordinary import). */
  intrinsics: i32[] = [];
  /** The pool label of each passive data segment's bytes. */
  dataLabels: Label[] = [];
  /** The item array of each passive element segment (bulk.ts). */
  elemLabels: Label[] = [];
  /** Set when a construct cannot be compiled; the message goes to setMessage. */
  failure: string = "";

  // The function being compiled.
  funcIndex: u32 = 0;
  funcType: FuncType = new FuncType();
  reader: Reader;
  /** Byte offset of the instruction being compiled, in the module binary. */
  wasmOffset: u32 = 0;
  reachable: bool = true;
  /** Nesting of blocks inside unreachable code (skipped, not compiled). */
  deadDepth: i32 = 0;
  controls: Control[] = [];
  controlDepth: i32 = 0;
  /** Largest slot area any call of this function needs at [rsp]. */
  callSlots: i32 = 0;
  /** A comparison whose flags are live, for the br_if/if/select that follows it. */
  pendingCond: i32 = -1;

  /** The types of the current function's locals (parameters first), reused by every function. */
  localTypesBuffer: u8[] = [];
  private scratchBuffer: usize = 0;
  private scratchSize: i32 = 0;
  /** Validates each body just before it is compiled, counting its locals' uses on the way (locals.ts). */
  validator: BodyValidator;
  /** Which locals the prologue must zero (declared ones that may be read before being set). */
  zeroLocals: bool[] = [];

  /** Out-of-line slow paths of the function, emitted after its body. */
  slowPaths: SlowPath[] = [];

  // Out-of-line trap stubs of the function: `call thunk[kind]`.
  private stubLabels: Label[] = [];
  private stubKinds: i32[] = [];
  private stubOffsets: u32[] = [];

  constructor(module: Module, options: CompileOptions, layout: VmctxLayout, asm: Assembler) {
    super(asm);
    this.module = module;
    this.options = options;
    this.layout = layout;
    this.reader = new Reader(module.bytes, 0, 0);
    this.validator = new BodyValidator(module);
  }

  // ---- traps and the pc map ------------------------------------------------

  /** A label that traps with `kind`, reported at the current instruction. */
  trapLabel(kind: TrapKind): Label {
    const n = this.stubLabels.length;
    if (n > 0 && this.stubKinds[n - 1] == kind && this.stubOffsets[n - 1] == this.wasmOffset) return this.stubLabels[n - 1];
    const label = this.asm.newLabel();
    this.stubLabels.push(label);
    this.stubKinds.push(kind);
    this.stubOffsets.push(this.wasmOffset);
    return label;
  }

  /** Records a slow path for the current instruction; the caller binds `resume`. */
  slowPath(kind: i32, input: i32, result: i32, floatSize: i32, intSize: i32): SlowPath {
    const path = new SlowPath();
    path.kind = kind;
    path.input = input;
    path.result = result;
    path.floatSize = floatSize;
    path.intSize = intSize;
    path.label = this.asm.newLabel();
    path.resume = this.asm.newLabel();
    path.wasmOffset = this.wasmOffset;
    this.slowPaths.push(path);
    return path;
  }

  /** Jumps to a trap of `kind` when `cond` holds. */
  trapIf(cond: Cond, kind: TrapKind): void {
    this.asm.jcc(cond, this.trapLabel(kind));
  }

  /** Records that the next instruction may fault (a memory access in guard mode). */
  // @ts-ignore: decorator
  @inline recordFault(): void {
    this.addPc(this.asm.offset, this.wasmOffset);
  }

  // @ts-ignore: decorator
  @inline private addPc(nativeOffset: i32, wasmOffset: u32): void {
    this.pcMap.add(<u32>nativeOffset, this.funcIndex, wasmOffset);
  }

  /** Emits the function's trap stubs; the pc map gets each stub's return address, which is the pc the runtime receives. */
  emitTrapStubs(): void {
    const asm = this.asm;
    for (let i = 0; i < this.stubLabels.length; i++) {
      asm.bind(this.stubLabels[i]);
      asm.call(this.thunkLabels[this.stubKinds[i]]);
      this.addPc(asm.offset, this.stubOffsets[i]);
    }
    this.stubLabels.length = 0;
    this.stubKinds.length = 0;
    this.stubOffsets.length = 0;
  }

  /**
   * The trap stub of a function's stack check, emitted before the function
   * (so that the prologue reaches it with a short jump and keeps the length
   * it had with `sub rsp, FRAME`); its pc maps to the function's first byte
   * of code in the module.
   */
  emitStackTrap(): Label {
    const label = this.asm.newLabel();
    this.asm.bind(label);
    this.asm.call(this.thunkLabels[TrapKind.StackExhausted]);
    this.addPc(this.asm.offset, this.wasmOffset);
    return label;
  }

  /**
   * The code in front of a function's body: its slot entry when it has one
   * (convention.ts: the register parameters loaded from their slots, then
   * the body), the stub of its stack check when `checked`, and the body's
   * label, aligned. Returns the stub (-1 without).
   */
  beginFunction(funcIndex: u32, type: FuncType, checked: bool): Label {
    const asm = this.asm;
    const entry = unchecked(this.funcLabels[<i32>funcIndex]);
    const body = unchecked(this.bodyLabels[<i32>funcIndex]);
    if (entry != body) {
      asm.align(16);
      asm.bind(entry);
      const params = type.params;
      for (let i = 0; i < params.length; i++) {
        const reg = paramRegister(type, i);
        if (reg >= 0) this.load(<i32>unchecked(params[i]), reg, mem(Reg.RSP, 8 + 8 * i));
      }
      asm.jmp(body);
    }
    const trap: Label = checked ? this.emitStackTrap() : -1;
    asm.align(16);
    asm.bind(body);
    return trap;
  }

  /** The stack check of every prologue: jumps to `trap` when the frame's lowest address, in `bottom`, lies below the thread's limit. */
  emitStackCheck(bottom: Reg, trap: Label): void {
    this.asm.cmpLoad(8, bottom, fsAbsolute(THREAD_STACK_LIMIT));
    this.asm.jccShort(Cond.B, trap);
  }

  // ---- conditions ------------------------------------------------------------

  /** Jumps to `label` when `cond` holds. */
  jumpIf(cond: i32, label: Label): void {
    const asm = this.asm;
    if (cond == COND_FLOAT_EQ) {
      const skip = asm.newLabel();
      asm.jccShort(Cond.P, skip);
      asm.jcc(Cond.E, label);
      asm.bind(skip);
    } else if (cond == COND_FLOAT_NE) {
      asm.jcc(Cond.P, label);
      asm.jcc(Cond.NE, label);
    } else {
      asm.jcc(<Cond>cond, label);
    }
  }

  /** 0 or 1 in the 32-bit register `reg` according to `cond`. */
  setCondition(cond: i32, reg: Reg): void {
    const asm = this.asm;
    if (cond == COND_FLOAT_EQ) {
      asm.setcc(Cond.E, reg);
      asm.setcc(Cond.NP, SCRATCH);
      asm.and(1, reg, SCRATCH);
    } else if (cond == COND_FLOAT_NE) {
      asm.setcc(Cond.NE, reg);
      asm.setcc(Cond.P, SCRATCH);
      asm.or(1, reg, SCRATCH);
    } else {
      asm.setcc(<Cond>cond, reg);
    }
    asm.zeroExtend(1, reg, reg);
  }

  /**
   * Ends a comparison that left its result in the flags: if the next
   * instruction consumes it (br_if, if, select), it stays pending there;
   * otherwise it becomes an i32 0/1 on the stack.
   */
  finishCompare(cond: i32): void {
    if (this.conditionFollows()) {
      // An i32.eqz between the comparison and its consumer inverts the condition.
      if (this.reader.peek() == 0x45) {
        this.reader.pos++;
        cond = invertCondition(cond);
      }
      this.pendingCond = cond;
      return;
    }
    const reg = this.allocGpr();
    this.setCondition(cond, reg);
    this.pushReg(ValType.I32, reg);
  }

  /** True when the next instruction (after an optional i32.eqz) takes an i32 as a condition: br_if, if or select. */
  conditionFollows(): bool {
    const at = this.module.bytes.dataStart + <usize>this.reader.pos;
    if (this.reader.pos >= this.reader.end) return false;
    let next = load<u8>(at);
    if (next == 0x45 && this.reader.pos + 1 < this.reader.end) next = load<u8>(at, 1);
    return next == 0x0d || next == 0x04 || next == 0x1b;
  }

  /** The condition a br_if/if/select tests: the pending comparison, or the popped i32 being non-zero. */
  takeCondition(): i32 {
    if (this.pendingCond >= 0) {
      const cond = this.pendingCond;
      this.pendingCond = -1;
      return cond;
    }
    this.popOperand();
    if (this.operandKind == OperandKind.REG) {
      this.asm.test(4, this.operandReg, this.operandReg);
      this.releaseOperand();
    } else if (this.operandKind == OperandKind.MEM) {
      this.asm.cmpMemImm(4, this.operandMem, 0);
    } else {
      // A constant condition (rare): let the flags say what it is.
      this.asm.movImm(4, SCRATCH, <i64><u32>this.operandImm);
      this.asm.test(4, SCRATCH, SCRATCH);
    }
    return Cond.NE;
  }

  // ---- control frames ----------------------------------------------------------

  // @ts-ignore: decorator
  @inline pushControl(kind: ControlKind, type: FuncType): Control {
    if (this.controlDepth == this.controls.length) this.controls.push(new Control());
    const control = unchecked(this.controls[this.controlDepth++]);
    control.kind = kind;
    control.type = type;
    control.base = this.depth - type.params.length;
    control.branched = false;
    control.hasElse = false;
    control.label = this.asm.newLabel();
    return control;
  }

  /** The frame `depth` levels out from the innermost. */
  controlAt(depth: u32): Control {
    return unchecked(this.controls[this.controlDepth - 1 - <i32>depth]);
  }

  /** The register a block's single result arrives in, or -1 when the label's values go to slots. */
  // @ts-ignore: decorator
  @inline resultRegister(target: Control): i32 {
    if (target.kind == ControlKind.LOOP || target.kind == ControlKind.FUNCTION) return -1;
    const type = target.type;
    if (type.params.length != 0 || type.results.length != 1) return -1;
    return isFloat(unchecked(type.results[0])) ? RESULT_XMM : RESULT_GPR;
  }

  /** True when branching to `target` needs no moves: every carried value is where the label wants it. */
  branchNeedsNoMoves(target: Control): bool {
    const register = this.resultRegister(target);
    if (register >= 0) {
      const position = this.depth - 1;
      return this.kindAt(position) == Kind.REG && <i32>this.valueAt(position) == register;
    }
    const count = target.branchTypes().length;
    const source = this.depth - count;
    for (let k = 0; k < count; k++) {
      const position = source + k;
      if (this.kindAt(position) != Kind.STACK || position != target.base + k) return false;
    }
    return true;
  }

  /**
   * Moves the values a branch to `target` carries into the canonical slots of
   * the target's positions. Changes no entry: the code may run on one path only.
   */
  // @ts-ignore: decorator
  @inline moveToLabel(target: Control): void {
    const register = this.resultRegister(target);
    if (register >= 0) {
      this.copyToReg(this.depth - 1, register);
      return;
    }
    const count = target.branchTypes().length;
    const source = this.depth - count;
    // Sources lie at or above their targets, so ascending order never
    // overwrites a slot that a later move still reads.
    for (let k = 0; k < count; k++) {
      const position = source + k;
      const slot = target.base + k;
      if (this.kindAt(position) == Kind.STACK && position == slot) continue;
      this.copyToMem(position, this.slotMem(slot));
    }
  }

  /** Brings the stack into `target`'s canonical state for good (at an else or end reached by fallthrough). */
  settleAtLabel(target: Control): void {
    this.moveToLabel(target);
    this.labelState(target);
  }

  /** The stack at a label reached in the canonical state: the entries below its base and the values it carries. */
  // @ts-ignore: decorator
  @inline labelState(target: Control): void {
    const types = target.branchTypes();
    this.truncate(target.base);
    const register = this.resultRegister(target);
    if (register >= 0) {
      this.pushReg(unchecked(types[0]), register);
      return;
    }
    for (let k = 0; k < types.length; k++) this.pushStack(types[k]);
  }

  /** Writes the function's results to the caller's slots, restores the callee-saved registers it saved and returns. Changes no entry. */
  emitReturn(): void {
    const asm = this.asm;
    const results = this.funcType.results;
    const count = results.length;
    const source = this.depth - count;
    if (returnsInRegister(this.funcType)) {
      // In rax or xmm0 (convention.ts), and in slot 0 too for a caller by the slot convention.
      const reg = returnRegister(this.funcType);
      this.copyToReg(source, reg);
      if (unchecked(this.slotCallable[<i32>this.funcIndex])) this.store(mem(Reg.RBP, 16), unchecked(results[0]), reg);
      this.restoreCalleeSaved();
      asm.leave();
      asm.ret();
      return;
    }
    // A result that is a parameter's latent value must be read before the
    // result slots (which are the parameter slots) are written: copy it to
    // its own canonical slot first, which nothing else uses while it is latent.
    let aliased = false;
    for (let k = 0; k < count; k++) {
      const position = source + k;
      if (this.kindAt(position) == Kind.LOCAL && <i32>this.valueAt(position) < this.paramCount && <i32>this.valueAt(position) < count) {
        this.copyToMem(position, this.slotMem(position));
        aliased = true;
      }
    }
    for (let k = 0; k < count; k++) {
      const position = source + k;
      const target = mem(Reg.RBP, 16 + 8 * k);
      if (aliased && this.kindAt(position) == Kind.LOCAL && <i32>this.valueAt(position) < this.paramCount && <i32>this.valueAt(position) < count) {
        const size = sizeOf(this.typeAt(position)); // the value's width: see copyToMem
        asm.load(size, SCRATCH, this.slotMem(position));
        asm.store(size, target, SCRATCH);
      } else {
        this.copyToMem(position, target);
      }
    }
    this.restoreCalleeSaved();
    asm.leave();
    asm.ret();
  }

  /** Loads the callee-saved registers the prologue saved. */
  private restoreCalleeSaved(): void {
    let saved = this.savedInPrologue;
    while (saved) {
      const k = ctz(saved);
      saved &= saved - 1;
      this.asm.load(8, unchecked(CALLEE_SAVED[k]), mem(Reg.RBP, FRAME_TOP - 8 * k));
    }
  }

  /**
   * When the next instruction is a local.set/local.tee of a local kept in a
   * register of this class, or a global.set of the global kept in one, that
   * local (the instruction being compiled can write its result there
   * directly); otherwise -1.
   */
  // @ts-ignore: decorator
  @inline resultLocal(float: bool): i32 {
    if (this.registerLocals.length == 0) return -1;
    const p = this.module.bytes.dataStart + <usize>this.reader.pos;
    const op = load<u8>(p);
    if (op == 0x24) {
      if (this.globalLocal < 0 || float || readLeb(p + 1) != this.cachedGlobal) return -1;
      return this.globalLocal;
    }
    if (op != 0x21 && op != 0x22) return -1;
    const local = <i32>readLeb(p + 1);
    if (this.localReg(local) < 0 || isFloat(unchecked(this.localTypes[local])) != float) return -1;
    return local;
  }

  /**
   * Consumes the local.set/tee or global.set that resultLocal() found: the
   * value is in the local's register already (a global's goes through to its cell).
   */
  takeResultLocal(local: i32): void {
    this.writeLocal(local);
    const op = this.reader.u8();
    this.reader.u32();
    if (op == 0x22) this.pushLocal(local);
    else if (op == 0x24) this.store(this.localMem(local), unchecked(this.localTypes[local]), this.localReg(local));
  }

  /** True when the entry `fromTop` below the top is a latent reference to `local`. */
  isLocalAt(fromTop: i32, local: i32): bool {
    const position = this.depth - 1 - fromTop;
    return this.kindAt(position) == Kind.LOCAL && <i32>this.valueAt(position) == local;
  }

  /**
   * Pops the top entry into the register of `local`, which is about to be
   * assigned: in place when the entry is that local; other references to
   * its old value get copies first.
   */
  popIntoLocal(local: i32): i32 {
    const reg = this.localReg(local);
    const position = this.depth - 1;
    if (this.kindAt(position) == Kind.LOCAL && <i32>this.valueAt(position) == local) {
      this.freshLocal(local);
      this.drop();
      this.materializeLocal(local);
      return reg;
    }
    this.materializeLocal(local);
    this.copyToReg(this.depth - 1, reg);
    this.drop();
    return reg;
  }

  /** Notes that `slots` 8-byte slots are needed at [rsp] for a call. */
  needCallSlots(slots: i32): void {
    if (slots > this.callSlots) this.callSlots = slots;
  }

  /** Reloads r14 and r15 after a call that switched instances. */
  restoreInstance(): void {
    this.asm.load(8, Reg.R14, mem(Reg.RBP, -8));
    this.asm.load(8, Reg.R15, mem(Reg.R14, VMCTX_MEMORY_BASE));
  }

  /** A scratch area of at least `size` bytes, reused (its contents do not survive the next call). */
  scratch(size: i32): usize {
    if (size > this.scratchSize) {
      this.scratchSize = max(size, this.scratchSize << 1);
      this.scratchBuffer = changetype<usize>(new ArrayBuffer(this.scratchSize));
    }
    return this.scratchBuffer;
  }

  fail(message: string): void {
    if (!this.failed) this.failure = message;
    this.failed = true;
  }

  /** Set with the failure message. */
  failed: bool = false;
}

export { isFloat };
