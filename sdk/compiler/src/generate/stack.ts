// The wasm value stack of the function being compiled, cached in registers
// in the manner of V8's Liftoff: each entry says where its value is now.
//
//  CONST  a constant, not yet in any register (folded into immediates when
//         the consumer allows);
//  LOCAL  the current value of a local, not yet loaded: `local.get` only
//         pushes a reference, and a `local.set`/`local.tee` of that local
//         first materialises the references it would invalidate;
//  REG    in a register (a GPR for i32/i64, an XMM register for f32/f64);
//  STACK  in the entry's canonical frame slot, which is fixed by its position
//         in the stack: slot p lives at [rbp - 16 - 8*locals - 8*p].
//
// A register belongs to at most one entry, or is HELD by the instruction
// being compiled (popped operands, temporaries), or is FREE. When registers
// run out, the deepest entry in a register is spilled to its slot.
//
// The most used locals of a function live in registers for its whole body
// (locals.ts chooses them; those registers are RESERVED): a LOCAL entry of
// such a local reads the register, a `local.set` writes it. rbx, r12 and
// r13 are callee-saved for calls of the module's own functions and for
// call_indirect (docs/compiler-abi.md): a local kept in one of them stays
// there across such a call. Every other register is scratch across calls,
// and all are across a call of an import, so around anything that
// clobbers a local's register it goes through its frame slot, lazily:
// before, only the ones assigned since their slot was last written
// ("dirty") are stored; after, each is reloaded when first read ("stale"),
// or at the next control-flow boundary, where every path must have them in
// their registers.
//
// A function writes a callee-saved register only after saving its entry
// value in the save area, in the prologue, and restores it before
// returning: the ones its locals live in (a function that expands x86
// intrinsics saves all three, and its value stack uses them). The others
// stay RESERVED, untouched; a call that clobbers them stores them to the
// save area before and reloads them after.
//
// Invariants the rest of the generator relies on:
//  - an i32 in a GPR has its upper 32 bits zero (every i32 is produced by a
//    32-bit instruction, a 32-bit load or movzx), so it can index memory as is;
//  - moves, spills and fills emitted here never change the flags (only mov,
//    movss/movsd, movd/movq and xorps), so a comparison's flags survive them
//    until the jcc/cmovcc that consumes them.
//
// Frame of a function (rbp-relative):
//   [rbp + 16 + 8i]  parameter i, and result i on return (the caller's slots)
//   [rbp + 8]        return address
//   [rbp]            caller's rbp
//   [rbp - 8]        vmctx (r14) at entry
//   [rbp - 16 - 8k]  the save area of CALLEE_SAVED[k], when the function
//                    saves any (frameTop says where the locals start)
//   [frameTop - 8k]  declared local k
//   below            canonical slots of the value stack, then the outgoing
//                    argument area at [rsp + 8i]

import { Assembler, Mem, Packed, Reg, Xmm, mem, memLabel } from "../x64/assembler";
import { ConstantPool } from "./constants";
import { ValType } from "../module";
import { setAt } from "../lists";

export const enum Kind {
  CONST = 0,
  LOCAL = 1,
  REG = 2,
  STACK = 3,
}

/** What an operand popped for reading turned out to be. */
export const enum OperandKind {
  IMM = 0,
  REG = 1,
  MEM = 2,
}

/** Registers the stack never holds: scratch for single instructions' needs, vmctx, memory base. */
export const SCRATCH: Reg = Reg.R11;
export const SCRATCH_XMM: Xmm = Xmm.XMM15;
export const VMCTX: Reg = Reg.R14;
export const MEMORY_BASE: Reg = Reg.R15;
/** The registers a function preserves for its caller (docs/compiler-abi.md); CALLEE_SAVED[k] is saved at [rbp - 16 - 8k]. */
export const CALLEE_SAVED: StaticArray<i32> = [Reg.RBX, Reg.R12, Reg.R13];
/** The bytes of the save area of CALLEE_SAVED, in a frame that has one. */
export const SAVE_AREA_SIZE: i32 = 24;
/** Where the locals start below rbp in a frame without a save area: below the saved vmctx. */
export const FRAME_TOP: i32 = -16;

const ENTRY_SIZE: i32 = 16;
const FREE: i32 = -1;
const HELD: i32 = -2;
const RESERVED: i32 = -3;
/** The owner of a register the value stack never uses (the ABI's, a register local's, an unsaved callee-saved one). */
export const RESERVED_OWNER: i32 = RESERVED;

/** GPRs in the order the allocator hands them out: rcx and rdx (shifts, division) last. */
const GPR_ORDER: StaticArray<i32> = [
  Reg.RAX, Reg.RBX, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10, Reg.R12, Reg.R13, Reg.RDX, Reg.RCX,
];

// @ts-ignore: decorator
@inline export function isFloat(type: i32): bool { return type == ValType.F32 || type == ValType.F64; }
// @ts-ignore: decorator
@inline export function isCalleeSaved(reg: i32): bool { return reg == Reg.RBX || reg == Reg.R12 || reg == Reg.R13; }
// @ts-ignore: decorator
@inline export function sizeOf(type: i32): i32 { return type == ValType.I64 || type == ValType.F64 ? 8 : 4; }

export class ValueStack {
  asm: Assembler;
  /** The module's constant pool (float constants are loaded from it). */
  pool: ConstantPool = new ConstantPool();

  // The entries, bottom first, 16 bytes each in one buffer: kind (i32),
  // type (i32), then constant bits (CONST), local index (LOCAL) or register
  // number (REG) as an i64.
  private entries: usize = changetype<usize>(new ArrayBuffer(ENTRY_SIZE * 64));
  private capacity: i32 = 64;
  depth: i32 = 0;
  maxDepth: i32 = 0;
  /** How many LOCAL entries are on the stack (local.set scans only when some are). */
  localRefs: i32 = 0;

  /** Owner of each GPR / XMM register: a stack position, FREE, HELD or RESERVED. */
  gprOwner: StaticArray<i32> = new StaticArray<i32>(16);
  xmmOwner: StaticArray<i32> = new StaticArray<i32>(16);

  // Locals of the current function.
  localTypes: u8[] = [];
  paramCount: i32 = 0;
  declaredLocals: i32 = 0;
  /** The register each local lives in for the whole function, or -1 (its frame slot). */
  localRegs: i32[] = [];
  /** The locals that live in registers. */
  registerLocals: i32[] = [];
  /** Whether the function ever assigns each local (unassigned ones never need storing back). */
  assignedLocals: bool[] = [];
  /** Each local's bit in the masks below (its position in registerLocals), or -1. */
  localBits: i32[] = [];
  /** Register locals whose register holds a newer value than their slot. */
  dirtyLocals: i32 = 0;
  /** Register locals whose register was clobbered: the value is in the slot only. */
  staleLocals: i32 = 0;
  /** Register locals the function ever assigns. */
  assignedMask: i32 = 0;
  /** Register locals (not a cached global) that live in a callee-saved register: a call of the module's own functions keeps them. */
  calleeSavedLocals: i32 = 0;
  /** Bit k: the prologue saves CALLEE_SAVED[k] and every return restores it. */
  savedInPrologue: i32 = 0;
  /** Bit k: CALLEE_SAVED[k] is saved before and reloaded after each call that clobbers it. */
  savedAroundCalls: i32 = 0;
  /** rbp-relative address of the first declared local: FRAME_TOP, lowered by the save area when there is one. */
  frameTop: i32 = FRAME_TOP;
  /**
   * The local that stands for a global kept in a register (see
   * cacheGlobal), or -1; its "slot" is the global's cell in the vmctx.
   */
  globalLocal: i32 = -1;
  /** The global globalLocal stands for. */
  cachedGlobal: u32 = 0;
  private globalCell: Mem = 0;

  // The last operand popped with popOperand().
  operandKind: OperandKind = OperandKind.IMM;
  operandReg: i32 = 0;
  operandImm: i64 = 0;
  operandMem: Mem = 0;
  operandType: i32 = 0;
  /** False when operandReg is a local's register, which the reader must not change or release. */
  operandOwned: bool = true;

  constructor(asm: Assembler) {
    this.asm = asm;
  }

  /** Starts a function: no entries, every register free except the reserved ones. */
  resetStack(localTypes: u8[], paramCount: i32): void {
    this.localTypes = localTypes;
    this.paramCount = paramCount;
    this.declaredLocals = localTypes.length - paramCount;
    this.depth = 0;
    this.maxDepth = 0;
    this.localRefs = 0;
    for (let r = 0; r < 16; r++) {
      unchecked(this.gprOwner[r] = FREE);
      unchecked(this.xmmOwner[r] = FREE);
    }
    this.gprOwner[Reg.RSP] = RESERVED;
    this.gprOwner[Reg.RBP] = RESERVED;
    this.gprOwner[SCRATCH] = RESERVED;
    this.gprOwner[VMCTX] = RESERVED;
    this.gprOwner[MEMORY_BASE] = RESERVED;
    this.xmmOwner[SCRATCH_XMM] = RESERVED;
    this.registerLocals.length = 0;
    this.localRegs.length = localTypes.length;
    this.assignedLocals.length = localTypes.length;
    this.localBits.length = localTypes.length;
    for (let i = 0; i < localTypes.length; i++) {
      setAt(this.localRegs, i, -1);
      setAt(this.assignedLocals, i, false);
      setAt(this.localBits, i, -1);
    }
    this.dirtyLocals = 0;
    this.staleLocals = 0;
    this.assignedMask = 0;
    this.calleeSavedLocals = 0;
    this.savedInPrologue = 0;
    this.savedAroundCalls = 0;
    this.frameTop = FRAME_TOP;
    this.globalLocal = -1;
  }

  /**
   * Adds a local after the function's own that stands for defined global
   * `global` (its cell at `cell`), for pinLocal to keep in a register. Reads
   * of the global become reads of the local, so the value is loaded once
   * and again only after a call (which may change it: registers are
   * restored from the "slot", the cell, as for any register local). Writes
   * go through to the cell at once: the local is never dirty, so a trap or
   * a callee always sees the global's current value. Returns its index.
   */
  cacheGlobal(global: u32, type: i32, cell: Mem): i32 {
    const index = this.localTypes.length;
    this.localTypes.push(<u8>type);
    this.localRegs.push(-1);
    this.assignedLocals.push(false);
    this.localBits.push(-1);
    this.globalLocal = index;
    this.cachedGlobal = global;
    this.globalCell = cell;
    return index;
  }

  /** Keeps local `index` in `reg` for the whole function. */
  pinLocal(index: i32, reg: i32, assigned: bool): void {
    this.localRegs[index] = reg;
    this.assignedLocals[index] = assigned;
    this.localBits[index] = this.registerLocals.length;
    if (assigned) this.assignedMask |= 1 << this.registerLocals.length;
    if (index != this.globalLocal && !isFloat(this.localTypes[index]) && isCalleeSaved(reg)) this.calleeSavedLocals |= 1 << this.registerLocals.length;
    this.registerLocals.push(index);
    if (isFloat(this.localTypes[index])) this.xmmOwner[reg] = RESERVED;
    else this.gprOwner[reg] = RESERVED;
  }

  // @ts-ignore: decorator
  @inline localReg(index: i32): i32 { return unchecked(this.localRegs[index]); }

  /**
   * Stores the dirty register locals to their slots (before registers are
   * clobbered); with `calleeSavedKept`, for a call that keeps the
   * callee-saved registers, only those in the other registers.
   */
  // @ts-ignore: decorator
  @inline saveRegisterLocals(calleeSavedKept: bool = false): void {
    let dirty = this.dirtyLocals;
    if (calleeSavedKept) {
      dirty &= ~this.calleeSavedLocals;
      this.dirtyLocals &= this.calleeSavedLocals;
    } else {
      this.dirtyLocals = 0;
    }
    while (dirty) {
      const k = ctz(dirty);
      dirty &= dirty - 1;
      const index = unchecked(this.registerLocals[k]);
      this.store(this.localMem(index), unchecked(this.localTypes[index]), this.localReg(index));
    }
  }

  /**
   * After registers were clobbered: every register local is in its slot
   * only, until read; with `calleeSavedKept`, those in the callee-saved
   * registers keep theirs.
   */
  restoreRegisterLocals(calleeSavedKept: bool = false): void {
    const all = (1 << this.registerLocals.length) - 1;
    this.staleLocals |= calleeSavedKept ? all & ~this.calleeSavedLocals : all;
  }

  /** Before a call that clobbers every register: the callee-saved ones this function does not save in its prologue go to the save area. */
  saveAroundCall(): void {
    let saved = this.savedAroundCalls;
    while (saved) {
      const k = ctz(saved);
      saved &= saved - 1;
      this.asm.store(8, mem(Reg.RBP, FRAME_TOP - 8 * k), unchecked(CALLEE_SAVED[k]));
    }
  }

  /** After such a call: they come back from the save area. */
  reloadAroundCall(): void {
    let saved = this.savedAroundCalls;
    while (saved) {
      const k = ctz(saved);
      saved &= saved - 1;
      this.asm.load(8, unchecked(CALLEE_SAVED[k]), mem(Reg.RBP, FRAME_TOP - 8 * k));
    }
  }

  /** Before reading register local `index`: reloads it if a clobber left it stale. */
  // @ts-ignore: decorator
  @inline freshLocal(index: i32): i32 {
    const reg = this.localReg(index);
    if (this.staleLocals != 0) this.reloadLocal(index);
    return reg;
  }

  private reloadLocal(index: i32): void {
    const bit = 1 << unchecked(this.localBits[index]);
    if ((this.staleLocals & bit) == 0) return;
    this.staleLocals &= ~bit;
    this.load(unchecked(this.localTypes[index]), this.localReg(index), this.localMem(index));
  }

  /** Register local `index` is being assigned: its register is current, its slot is not. */
  writeLocal(index: i32): void {
    const bit = 1 << unchecked(this.localBits[index]);
    this.staleLocals &= ~bit;
    this.dirtyLocals |= bit & this.assignedMask;
  }

  /** At a control-flow boundary: every register local back in its register. */
  // @ts-ignore: decorator
  @inline syncRegisterLocals(): void {
    // Mostly none is stale: that case costs a test, not a call.
    if (this.staleLocals != 0) this.reloadStaleLocals();
  }

  private reloadStaleLocals(): void {
    let stale = this.staleLocals;
    while (stale) {
      const k = ctz(stale);
      stale &= stale - 1;
      const index = unchecked(this.registerLocals[k]);
      this.load(unchecked(this.localTypes[index]), this.localReg(index), this.localMem(index));
    }
    this.staleLocals = 0;
  }

  /** At a label: every path arrives with the locals in their registers, any assigned one maybe dirty. */
  joinRegisterLocals(): void {
    this.staleLocals = 0;
    this.dirtyLocals = this.assignedMask;
  }

  // ---- where things live ------------------------------------------------

  localMem(index: i32): Mem {
    if (index < this.paramCount) return mem(Reg.RBP, 16 + 8 * index);
    if (index == this.globalLocal) return this.globalCell;
    return mem(Reg.RBP, this.frameTop - 8 * (index - this.paramCount));
  }

  slotMem(position: i32): Mem {
    return mem(Reg.RBP, this.frameTop - 8 * this.declaredLocals - 8 * position);
  }

  // @ts-ignore: decorator
  @inline kindAt(position: i32): i32 { return load<i32>(this.entries + (<usize>position << 4)); }
  // @ts-ignore: decorator
  @inline typeAt(position: i32): i32 { return load<i32>(this.entries + (<usize>position << 4), 4); }
  // @ts-ignore: decorator
  @inline valueAt(position: i32): i64 { return load<i64>(this.entries + (<usize>position << 4), 8); }
  // @ts-ignore: decorator
  @inline setKind(position: i32, kind: i32): void { store<i32>(this.entries + (<usize>position << 4), kind); }
  // @ts-ignore: decorator
  @inline setType(position: i32, type: i32): void { store<i32>(this.entries + (<usize>position << 4), type, 4); }
  // @ts-ignore: decorator
  @inline setValue(position: i32, value: i64): void { store<i64>(this.entries + (<usize>position << 4), value, 8); }

  // ---- pushing ----------------------------------------------------------

  // @ts-ignore: decorator
  @inline private push(kind: i32, type: i32, value: i64): void {
    const position = this.depth;
    if (position == this.capacity) this.growEntries();
    const at = this.entries + (<usize>position << 4);
    store<i32>(at, kind);
    store<i32>(at, type, 4);
    store<i64>(at, value, 8);
    this.depth = position + 1;
    if (position >= this.maxDepth) this.maxDepth = position + 1;
  }

  private growEntries(): void {
    const capacity = this.capacity << 1;
    const bigger = changetype<usize>(new ArrayBuffer(ENTRY_SIZE * capacity));
    memory.copy(bigger, this.entries, <usize>(ENTRY_SIZE * this.capacity));
    this.entries = bigger;
    this.capacity = capacity;
  }

  // @ts-ignore: decorator
  @inline pushConst(type: i32, bits: i64): void { this.push(Kind.CONST, type, bits); }

  // @ts-ignore: decorator
  @inline pushLocal(index: i32): void {
    this.push(Kind.LOCAL, unchecked(this.localTypes[index]), index);
    this.localRefs++;
  }

  /** Pushes a HELD register as a new entry, which then owns it. */
  // @ts-ignore: decorator
  @inline pushReg(type: i32, reg: i32): void {
    const position = this.depth;
    this.push(Kind.REG, type, reg);
    if (isFloat(type)) unchecked(this.xmmOwner[reg] = position);
    else unchecked(this.gprOwner[reg] = position);
  }

  /** Pushes an entry whose value the caller already stored in its canonical slot. */
  pushStack(type: i32): void { this.push(Kind.STACK, type, 0); }

  // ---- registers --------------------------------------------------------

  /** A free GPR, HELD by the caller; spills the deepest register entry when none is free. */
  allocGpr(): Reg {
    for (let i = 0; i < GPR_ORDER.length; i++) {
      const reg = unchecked(GPR_ORDER[i]);
      if (unchecked(this.gprOwner[reg]) == FREE) {
        unchecked(this.gprOwner[reg] = HELD);
        return reg;
      }
    }
    const reg = this.spillDeepest(false);
    unchecked(this.gprOwner[reg] = HELD);
    return reg;
  }

  /** A free XMM register, HELD by the caller. */
  allocXmm(): Xmm {
    for (let reg = 0; reg < 16; reg++) {
      if (unchecked(this.xmmOwner[reg]) == FREE) {
        unchecked(this.xmmOwner[reg] = HELD);
        return reg;
      }
    }
    const reg = this.spillDeepest(true);
    unchecked(this.xmmOwner[reg] = HELD);
    return reg;
  }

  allocFor(type: i32): i32 {
    return isFloat(type) ? this.allocXmm() : this.allocGpr();
  }

  /** True when a register of the class is free without spilling. */
  hasFreeReg(float: bool): bool {
    if (float) {
      for (let reg = 0; reg < 16; reg++) if (unchecked(this.xmmOwner[reg]) == FREE) return true;
      return false;
    }
    for (let i = 0; i < GPR_ORDER.length; i++) if (unchecked(this.gprOwner[unchecked(GPR_ORDER[i])]) == FREE) return true;
    return false;
  }

  /** Spills the register entry nearest the bottom of the stack; returns its register, now FREE. */
  private spillDeepest(float: bool): i32 {
    for (let position = 0; position < this.depth; position++) {
      if (this.kindAt(position) == Kind.REG && isFloat(this.typeAt(position)) == float) {
        const reg = <i32>this.valueAt(position);
        this.spillEntry(position);
        return reg;
      }
    }
    // Every register is held by the instruction being compiled: a generator bug.
    abort("generator: out of registers");
    return 0;
  }

  /**
   * Makes `reg` HELD by the caller. An entry that owns it moves to another
   * register (or is spilled); the caller must not already hold it.
   */
  takeGpr(reg: Reg): void {
    const owner = unchecked(this.gprOwner[reg]);
    if (owner == FREE) { unchecked(this.gprOwner[reg] = HELD); return; }
    if (owner >= 0) {
      unchecked(this.gprOwner[reg] = HELD); // keep the allocator away from it
      if (this.hasFreeReg(false)) {
        const other = this.allocGpr();
        this.asm.mov(8, other, reg);
        this.setValue(owner, other);
        unchecked(this.gprOwner[other] = owner);
      } else {
        this.store(this.slotMem(owner), this.typeAt(owner), reg);
        this.setKind(owner, Kind.STACK);
      }
      return;
    }
    abort("generator: register taken twice");
  }

  /** Gives a HELD register back. */
  // @ts-ignore: decorator
  @inline release(reg: i32, float: bool): void {
    if (float) unchecked(this.xmmOwner[reg] = FREE);
    else unchecked(this.gprOwner[reg] = FREE);
  }

  releaseFor(type: i32, reg: i32): void { this.release(reg, isFloat(type)); }

  /** Releases the register of the last popped operand, if it was one. */
  releaseOperand(): void {
    if (this.operandKind == OperandKind.REG && this.operandOwned) this.release(this.operandReg, isFloat(this.operandType));
  }

  isHeld(reg: i32, float: bool): bool {
    return (float ? unchecked(this.xmmOwner[reg]) : unchecked(this.gprOwner[reg])) == HELD;
  }

  // ---- moves (never touch the flags) ------------------------------------

  /** `mov`/`movss`/`movsd` of a value of `type` from memory into a register. */
  // @ts-ignore: decorator
  @inline load(type: i32, reg: i32, m: Mem): void {
    if (isFloat(type)) this.asm.loadFloat(sizeOf(type), reg, m);
    else this.asm.load(sizeOf(type), reg, m);
  }

  /** A value of `type` from a register into memory. */
  // @ts-ignore: decorator
  @inline store(m: Mem, type: i32, reg: i32): void {
    if (isFloat(type)) this.asm.storeFloat(sizeOf(type), m, reg);
    else this.asm.store(sizeOf(type), m, reg);
  }

  /** A constant into a register. */
  loadConst(type: i32, reg: i32, bits: i64): void {
    const asm = this.asm;
    if (!isFloat(type)) {
      if (type == ValType.I64) asm.movImm(8, reg, bits);
      else asm.movImm(4, reg, <i64><u32>bits);
      return;
    }
    const size = sizeOf(type);
    if (size == 4) bits = <i64><u32>bits;
    if (bits == 0) { asm.packed(Packed.XOR, 4, reg, reg); return; } // xorps: zero, flags untouched
    // One rip-relative load from the constant pool, not movabs + movq:
    // shorter, no GPR, and no transfer from the integer side in a loop.
    asm.loadFloat(size, reg, memLabel(this.pool.constant(asm, <u64>bits)));
  }

  /** A constant into memory (8-byte slots; i32/f32 write their low four bytes). */
  // @ts-ignore: decorator
  @inline storeConst(m: Mem, type: i32, bits: i64): void {
    const asm = this.asm;
    if (sizeOf(type) == 4) { asm.storeImm(4, m, <i32>bits); return; }
    if (bits >= -2147483648 && bits <= 2147483647) { asm.storeImm(8, m, <i32>bits); return; }
    asm.movImm(8, SCRATCH, bits);
    asm.store(8, m, SCRATCH);
  }

  /** Copies the value of the entry at `position` into `reg` without changing the entry. */
  copyToReg(position: i32, reg: i32): void {
    const type = this.typeAt(position);
    const kind = this.kindAt(position);
    if (kind == Kind.CONST) { this.loadConst(type, reg, this.valueAt(position)); return; }
    let from = -1;
    if (kind == Kind.LOCAL) {
      const index = <i32>this.valueAt(position);
      if (this.localReg(index) < 0) { this.load(type, reg, this.localMem(index)); return; }
      from = this.freshLocal(index);
    } else if (kind == Kind.STACK) {
      this.load(type, reg, this.slotMem(position));
      return;
    } else {
      from = <i32>this.valueAt(position);
    }
    if (from != reg) {
      if (isFloat(type)) this.asm.movaps(reg, from);
      else this.asm.mov(8, reg, from);
    }
  }

  /** Copies the value of the entry at `position` into memory without changing the entry. */
  // @ts-ignore: decorator
  @inline copyToMem(position: i32, m: Mem): void {
    const type = this.typeAt(position);
    const kind = this.kindAt(position);
    if (kind == Kind.CONST) { this.storeConst(m, type, this.valueAt(position)); return; }
    if (kind == Kind.REG) { this.store(m, type, <i32>this.valueAt(position)); return; }
    if (kind == Kind.LOCAL && this.localReg(<i32>this.valueAt(position)) >= 0) {
      this.store(m, type, this.freshLocal(<i32>this.valueAt(position)));
      return;
    }
    const from = kind == Kind.LOCAL ? this.localMem(<i32>this.valueAt(position)) : this.slotMem(position);
    if (from == m) return;
    // With the value's own width: an i32 or f32 was stored with four bytes,
    // and an eight-byte load of it would wait for that store to retire (a
    // store-forwarding stall); the upper half of a 4-byte slot is undefined.
    const size = sizeOf(type);
    this.asm.load(size, SCRATCH, from);
    this.asm.store(size, m, SCRATCH);
  }

  // ---- spilling -----------------------------------------------------------

  /** Moves the entry at `position` to its canonical slot (constants stay latent). */
  spillEntry(position: i32): void {
    const kind = this.kindAt(position);
    if (kind == Kind.REG) {
      const reg = <i32>this.valueAt(position);
      const type = this.typeAt(position);
      this.store(this.slotMem(position), type, reg);
      this.release(reg, isFloat(type));
      this.setKind(position, Kind.STACK);
    } else if (kind == Kind.LOCAL) {
      this.copyToMem(position, this.slotMem(position));
      this.setKind(position, Kind.STACK);
      this.localRefs--;
    }
  }

  /** Spills every entry: the state at block boundaries, the same on every path. */
  spillAll(): void {
    for (let position = 0; position < this.depth; position++) this.spillEntry(position);
  }

  /** Spills the register entries below `limit` (before a call, which clobbers every register). */
  // @ts-ignore: decorator
  @inline spillRegisters(limit: i32): void {
    for (let position = 0; position < limit; position++) {
      if (this.kindAt(position) == Kind.REG) this.spillEntry(position);
    }
  }

  /** Before `local.set index`: the entries that still refer to the local's old value take it with them. */
  materializeLocal(index: i32): void {
    if (this.localRefs == 0) return;
    for (let position = 0; position < this.depth; position++) {
      if (this.kindAt(position) != Kind.LOCAL || <i32>this.valueAt(position) != index) continue;
      const type = this.typeAt(position);
      if (this.hasFreeReg(isFloat(type))) {
        const reg = this.allocFor(type);
        this.copyToReg(position, reg);
        this.localRefs--;
        this.setKind(position, Kind.REG);
        this.setValue(position, reg);
        if (isFloat(type)) unchecked(this.xmmOwner[reg] = position);
        else unchecked(this.gprOwner[reg] = position);
      } else {
        this.spillEntry(position);
      }
    }
  }

  // ---- popping ------------------------------------------------------------

  /** Removes the top entry, freeing its register. */
  // @ts-ignore: decorator
  @inline drop(): void {
    const position = --this.depth;
    const kind = this.kindAt(position);
    if (kind == Kind.REG) this.release(<i32>this.valueAt(position), isFloat(this.typeAt(position)));
    else if (kind == Kind.LOCAL) this.localRefs--;
  }

  /** Drops entries until `depth` remain. */
  truncate(depth: i32): void {
    while (this.depth > depth) this.drop();
  }

  /** Pops the top entry into a register the caller HOLDS and may overwrite. */
  popToReg(): i32 {
    const position = this.depth - 1;
    const kind = this.kindAt(position);
    const type = this.typeAt(position);
    if (kind == Kind.REG) {
      const reg = <i32>this.valueAt(position);
      if (isFloat(type)) unchecked(this.xmmOwner[reg] = HELD);
      else unchecked(this.gprOwner[reg] = HELD);
      this.depth = position;
      return reg;
    }
    // The entry is not in a register, so the allocation cannot spill it.
    const reg = this.allocFor(type);
    this.copyToReg(position, reg);
    if (kind == Kind.LOCAL) this.localRefs--;
    this.depth = position;
    return reg;
  }

  /** Pops the top entry into a specific GPR, HELD by the caller afterwards. */
  popToGpr(target: Reg): void {
    const position = this.depth - 1;
    if (this.kindAt(position) == Kind.REG && <i32>this.valueAt(position) == target) {
      unchecked(this.gprOwner[target] = HELD);
      this.depth = position;
      return;
    }
    this.takeGpr(target);
    this.copyToReg(position, target);
    this.drop();
  }

  /** Pops the top entry into `target`, which the caller already HOLDS. */
  popInto(target: i32): void {
    this.copyToReg(this.depth - 1, target);
    this.drop();
  }

  /** Pops the top entry for reading only: an immediate, a register (HELD; release it after) or memory. */
  // @ts-ignore: decorator
  @inline popOperand(): void {
    const position = this.depth - 1;
    const kind = this.kindAt(position);
    this.operandType = this.typeAt(position);
    this.operandOwned = true;
    this.depth = position;
    if (kind == Kind.CONST) {
      this.operandKind = OperandKind.IMM;
      this.operandImm = this.valueAt(position);
    } else if (kind == Kind.REG) {
      this.operandKind = OperandKind.REG;
      this.operandReg = <i32>this.valueAt(position);
      if (isFloat(this.operandType)) unchecked(this.xmmOwner[this.operandReg] = HELD);
      else unchecked(this.gprOwner[this.operandReg] = HELD);
    } else if (kind == Kind.LOCAL) {
      const index = <i32>this.valueAt(position);
      if (this.localReg(index) >= 0) {
        this.operandKind = OperandKind.REG;
        this.operandReg = this.freshLocal(index);
        this.operandOwned = false;
      } else {
        this.operandKind = OperandKind.MEM;
        this.operandMem = this.localMem(index);
      }
      this.localRefs--;
    } else {
      this.operandKind = OperandKind.MEM;
      this.operandMem = this.slotMem(position);
    }
  }

  /**
   * Exchanges the two top entries (for commutative operations that want a
   * constant on top). Not possible, and false, when one is in its slot: a
   * slot belongs to a position, not to a value.
   */
  swapTop(): bool {
    const upper = this.depth - 1;
    const lower = upper - 1;
    if (this.kindAt(upper) == Kind.STACK || this.kindAt(lower) == Kind.STACK) return false;
    const kind = this.kindAt(lower);
    const type = this.typeAt(lower);
    const value = this.valueAt(lower);
    this.setKind(lower, this.kindAt(upper));
    this.setType(lower, this.typeAt(upper));
    this.setValue(lower, this.valueAt(upper));
    this.setKind(upper, kind);
    this.setType(upper, type);
    this.setValue(upper, value);
    this.claimRegister(lower);
    this.claimRegister(upper);
    return true;
  }

  private claimRegister(position: i32): void {
    if (this.kindAt(position) != Kind.REG) return;
    const reg = <i32>this.valueAt(position);
    if (isFloat(this.typeAt(position))) unchecked(this.xmmOwner[reg] = position);
    else unchecked(this.gprOwner[reg] = position);
  }

  /**
   * For a commutative operation about to pop its right operand into
   * operand position and its left into a register it may overwrite: when
   * only the right one already is such a register (the left being a local,
   * a constant or in memory), exchange them, so that the right's register
   * takes the result and the left needs no copy.
   */
  preferOwnedLeft(): void {
    const upper = this.depth - 1;
    if (this.kindAt(upper) == Kind.REG && this.kindAt(upper - 1) != Kind.REG) this.swapTop();
  }

  /** True when the entry `fromTop` below the top is a constant. */
  isConstAt(fromTop: i32): bool {
    return this.kindAt(this.depth - 1 - fromTop) == Kind.CONST;
  }

  constAt(fromTop: i32): i64 {
    return this.valueAt(this.depth - 1 - fromTop);
  }
}
