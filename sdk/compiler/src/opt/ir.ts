// The optimizing tier's intermediate form: one function in SSA, built from
// its validated wasm body (build.ts), checked by verify.ts and printed by
// print.ts for tests.
//
// A function is a list of basic blocks and a flat list of instructions; an
// instruction's index in that list is the name of the value it defines
// (`v12`). Blocks hold the indices of their instructions in order: phis
// first, then the body, then exactly one terminator. A phi has one operand
// per entry of its block's `preds`, in the same order; a predecessor appears
// once per edge (a br_table can reach one block through several edges).
//
// Operations are the wasm opcodes themselves (numeric, memory, variable and
// call instructions keep their meaning and their trap semantics: a div_s
// still traps on zero and on overflow, a load on an out-of-bounds address),
// plus the few that SSA needs, numbered above the prefixed opcodes: Param,
// Phi, Result (one result of a multi-value call) and the terminators Jump,
// Branch, Switch, Return and Trap. Locals have no operations: each
// local.get is the SSA value that reaches it. Every instruction that may
// trap keeps the byte offset of its wasm instruction, for the pc map.

import { Op, PREFIXED, PrefixedOp } from "../opcodes";
import { FIRST_MEMORY, FIRST_STORE, LAST_MEMORY } from "../validate/signatures";

/** The operations that are not wasm opcodes. */
export const enum IrOp {
  /** Parameter `imm` of the function. */
  Param = 0x10000,
  /** Merge of one value per predecessor edge. */
  Phi = 0x10001,
  /** Result `imm` of the multi-value call in args[0]. */
  Result = 0x10002,
  /** Unconditional jump to targets[0]. */
  Jump = 0x10003,
  /** To targets[0] if args[0] (i32) is not zero, else to targets[1]. */
  Branch = 0x10004,
  /** To targets[args[0]], or the last target when args[0] is out of range (br_table). */
  Switch = 0x10005,
  /** Returns args (the function's results). */
  Return = 0x10006,
  /** Traps: wasm `unreachable`. */
  Trap = 0x10007,
}

/** The type of an instruction that defines no value. */
export const NO_TYPE: u8 = 0;

/** One operation; defines a value when `type` is not NO_TYPE. */
export class Inst {
  op: u32 = 0;
  type: u8 = NO_TYPE;
  /** The block it belongs to. */
  block: i32 = -1;
  /** Operands: value indices. */
  args: i32[] = [];
  /** Successor blocks, for terminators. */
  targets: i32[] = [];
  /**
   * The immediate: a constant's bits, a memory access's static offset, a
   * local, global, function or type index, a parameter's or result's index.
   */
  imm: u64 = 0;
  /** The second immediate: a call_indirect's table, a segment, a load's alignment. */
  imm2: u32 = 0;
  /** Byte offset of the wasm instruction in the module binary. */
  offset: u32 = 0;
}

export class Block {
  index: i32 = 0;
  /** Predecessor blocks, one entry per incoming edge. */
  preds: i32[] = [];
  /** Instruction indices: phis, body, terminator. */
  insts: i32[] = [];
  /** Whether this block heads a wasm loop (has a back edge). */
  loopHeader: bool = false;
}

export class IrFunction {
  /** Index in the function index space. */
  funcIndex: u32 = 0;
  params: u8[] = [];
  results: u8[] = [];
  blocks: Block[] = [];
  insts: Inst[] = [];

  /** Appends an instruction to `block` (the caller keeps the block order right). */
  add(block: i32, op: u32, type: u8): i32 {
    const inst = new Inst();
    inst.op = op;
    inst.type = type;
    inst.block = block;
    const index = this.insts.length;
    this.insts.push(inst);
    if (block >= 0) this.blocks[block].insts.push(index);
    return index;
  }

  newBlock(): i32 {
    const block = new Block();
    block.index = this.blocks.length;
    this.blocks.push(block);
    return block.index;
  }

  /** The last instruction of a block, or -1 when it is empty. */
  last(block: i32): i32 {
    const insts = this.blocks[block].insts;
    return insts.length > 0 ? insts[insts.length - 1] : -1;
  }
}

/** Whether `block` starts with a phi (an edge into it has copies to make). */
export function hasPhis(func: IrFunction, block: i32): bool {
  const insts = func.blocks[block].insts;
  return insts.length > 0 && func.insts[insts[0]].op == IrOp.Phi;
}

export function isTerminator(op: u32): bool {
  return op >= <u32>IrOp.Jump && op <= <u32>IrOp.Trap;
}

export function isLoad(op: u32): bool {
  return op >= FIRST_MEMORY && op < FIRST_STORE;
}

export function isStore(op: u32): bool {
  return op >= FIRST_STORE && op <= LAST_MEMORY;
}

/** Whether an operation can trap (its offset goes into the pc map). */
export function canTrap(op: u32): bool {
  if (op >= FIRST_MEMORY && op <= LAST_MEMORY) return true;
  switch (op) {
    case Op.I32DivS: case Op.I32DivU: case Op.I32RemS: case Op.I32RemU:
    case Op.I64DivS: case Op.I64DivU: case Op.I64RemS: case Op.I64RemU:
    case Op.I32TruncF32S: case Op.I32TruncF32U: case Op.I32TruncF64S: case Op.I32TruncF64U:
    case Op.I64TruncF32S: case Op.I64TruncF32U: case Op.I64TruncF64S: case Op.I64TruncF64U:
    case Op.Call: case Op.CallIndirect: case Op.MemoryGrow:
    case IrOp.Trap:
    case PREFIXED | PrefixedOp.MemoryInit: case PREFIXED | PrefixedOp.MemoryCopy:
    case PREFIXED | PrefixedOp.MemoryFill: case PREFIXED | PrefixedOp.TableInit:
    case PREFIXED | PrefixedOp.TableCopy:
      return true;
  }
  return false;
}

/**
 * Whether instruction `inst` of `func` is pure: isPure of its operation,
 * or an integer division or remainder by a constant that cannot trap
 * (not 0, and not -1 for a signed division, which overflows on the most
 * negative dividend), which may then be merged and moved like any other.
 */
export function isPureInst(func: IrFunction, inst: Inst): bool {
  if (isPure(inst.op)) return true;
  if (!isDivision(inst.op)) return false;
  const divisor = func.insts[inst.args[1]];
  if (divisor.op != Op.I32Const && divisor.op != Op.I64Const) return false;
  const d: i64 = divisor.op == Op.I32Const ? <i64><i32>divisor.imm : <i64>divisor.imm;
  return d != 0 && !(d == -1 && (inst.op == Op.I32DivS || inst.op == Op.I64DivS));
}

/** Whether an operation is an integer division or remainder (both widths, both signs). */
export function isDivision(op: u32): bool {
  switch (op) {
    case Op.I32DivS: case Op.I32DivU: case Op.I32RemS: case Op.I32RemU:
    case Op.I64DivS: case Op.I64DivU: case Op.I64RemS: case Op.I64RemU:
      return true;
  }
  return false;
}

/**
 * Whether an operation is pure: no effect, no trap, its value depends on
 * its operands and immediates only (so equal ones may be merged and moved).
 */
export function isPure(op: u32): bool {
  if (op == Op.I32Const || op == Op.I64Const || op == Op.F32Const || op == Op.F64Const || op == Op.Select) return true;
  if (op >= <u32>Op.I32Eqz && op <= <u32>Op.I64Extend32S) return !canTrap(op);
  return op >= PREFIXED && op <= (PREFIXED | PrefixedOp.I64TruncSatF64U);
}
