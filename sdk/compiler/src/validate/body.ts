// Validation of function bodies: the spec's algorithm (an operand stack of
// value types and a stack of control frames), run while decoding each
// instruction, in one pass over the body bytes.
//
// The stacks are flat typed arrays reused from body to body, grown by
// doubling, so the inner loop allocates nothing; only an error builds a
// string. Type 0 on the operand stack is the spec's "unknown" type: what pops
// produce below the height of a frame whose code is unreachable. The
// validator is itself the cursor over the body (it extends Reader), so the
// hot loop reads the position and the bytes through one object.
//
// The baseline compiler validates each body just before compiling it, and
// the walk that validates also counts what its register choice needs
// (generate/locals.ts), so that no second pass reads the body for it: each
// local's uses weighted by the loops around them, whether it is assigned,
// each global's reads and the weight of the calls; and which declared locals
// may be read before they are set, which the prologue must zero.
//
// A local needs no zero when its first access is a set and every read comes
// while the frame (block, loop, if or else arm) that holds the set directly
// is still open: the instructions of a frame run in order from its start
// (branches only leave a frame or go back to the start of a loop), so every
// path to such a read passes through the set. Each frame gets a serial
// number, so that a frame closed and another opened at the same depth (or an
// if's else arm) is told apart.

import { Module, FuncType, FunctionBody, ValType, valTypeName } from "../module";
import { Op, PrefixedOp, PREFIXED, opcodeName } from "../opcodes";
import { Reader } from "../reader";
import {
  NUMERIC_SIGNATURES, SATURATING_SIGNATURES, FIRST_NUMERIC, FIRST_MEMORY,
  FIRST_STORE, MEMORY_TYPES, MEMORY_NATURAL_ALIGNMENT, OPCODE_CLASSES, OpClass, signatureArity, signatureFirst,
  signatureSecond, signatureResult,
} from "./signatures";

/** Deepest nesting of blocks, loops and ifs accepted in one body. */
export const MAX_CONTROL_DEPTH: i32 = 100000;
export const MAX_BR_TABLE_TARGETS: u32 = 65520;

// How a call of an imported function treats registers (BodyValidator.importKinds).
/** An ordinary import: every register, the callee-saved ones included, is clobbered. */
export const CALLEE_CLOBBERS: u8 = 0;
/** A delos:native intrinsic, expanded inline or calling a System V service: rbx, r12 and r13 survive. */
export const CALLEE_INLINE: u8 = 1;
/** An x86 intrinsic with fixed registers of its own (switch_context clobbers everything). */
export const CALLEE_FIXED: u8 = 2;

const I32: u8 = <u8>ValType.I32;
const I64: u8 = <u8>ValType.I64;
const F32: u8 = <u8>ValType.F32;
const F64: u8 = <u8>ValType.F64;
const UNKNOWN: u8 = 0;
/** Stands for "no value at all" in messages. */
const NOTHING: u8 = 0xff;
/** Block types are kept as the s33 of the binary: a type index, or negative for the one-byte forms. */
const EMPTY_BLOCK: i32 = -64;

// A control frame is FRAME_SIZE consecutive i32 in `frames`.
const FRAME_KIND = 0;        // Op.Block, Op.Loop, Op.If or Op.Else (the function's own frame is a Block)
const FRAME_TYPE = 1;        // block type
const FRAME_HEIGHT = 2;      // operand stack height at entry, parameters excluded
const FRAME_UNREACHABLE = 3; // 1 once the rest of the frame is unreachable
const FRAME_SERIAL = 4;      // which frame this is (an else arm gets a new one)
const FRAME_SIZE = 5;

// The usage record of a local, 1 << LOCAL_RECORD_SHIFT bytes: weight (u32),
// assigned (u8), first access (u8), and for a local set first, the depth
// (i32) and serial (u32) of the frame that holds that set.
export const LOCAL_RECORD_SHIFT: i32 = 4;
export const RECORD_ASSIGNED: usize = 4;
export const RECORD_FIRST: usize = 5;
const RECORD_DEPTH: usize = 8;
const RECORD_SERIAL: usize = 12;
/** First accesses: none yet; a set, and every read so far inside its frame; a read that may come first. */
export const UNSEEN: u8 = 0;
export const SET_FIRST: u8 = 1;
export const READ_FIRST: u8 = 2;

// @ts-ignore: decorator
@inline function loopWeight(loopDepth: i32): u32 {
  return 1 << (3 * <u32>min(loopDepth, 3));
}

export class BodyValidator extends Reader {
  module: Module;
  types: FuncType[];
  values: StaticArray<u8> = new StaticArray<u8>(1024);
  /** values.length, kept apart so that a push compares with a field. */
  valueCapacity: i32 = 1024;
  valueCount: i32 = 0;
  frames: StaticArray<i32> = new StaticArray<i32>(64 * FRAME_SIZE);
  frameCount: i32 = 0;
  /** Copies of the innermost frame's FRAME_HEIGHT and FRAME_UNREACHABLE, which every pop reads. */
  height: i32 = 0;
  unreachable: bool = false;
  /** The innermost frame's FRAME_SERIAL, and the last serial given. */
  serial: i32 = 0;
  lastSerial: i32 = 0;
  locals: StaticArray<u8> = new StaticArray<u8>(256);
  localCount: u32 = 0;
  /** Where the instruction being validated starts. */
  opOffset: u32 = 0;
  hasMemory: bool;
  hasTable: bool;

  // Usage of the body being validated (see the file's comment). `usage`
  // holds a record per local, one spare record (the generator gives it to a
  // cached global), then a u32 weight per global.
  usageBuffer: StaticArray<u8> = new StaticArray<u8>(1024);
  usage: usize = 0;
  globalWeights: usize = 0;
  /**
   * The defined integer global read most (weighted), the lowest index among
   * equals, or -1 when the body reads none; kept as the reads are counted,
   * so that the register choice does not scan every global per body.
   */
  heaviestGlobal: i32 = -1;
  heaviestGlobalWeight: u32 = 0;
  /** What a use weighs at the current loop depth: 8 per loop, up to three. */
  useWeight: u32 = 1;
  loopDepth: i32 = 0;
  /** The uses' weight of every call and call_indirect. */
  callWeight: u32 = 0;
  /**
   * The uses' weight of the calls that clobber every register, the
   * callee-saved ones included (an ordinary import; see
   * docs/compiler-abi.md): 0 when the body makes none.
   */
  clobberWeight: u32 = 0;
  /**
   * Per imported function, how its calls treat registers (CALLEE_CLOBBERS,
   * CALLEE_INLINE, CALLEE_FIXED); set by the generator when the module has
   * intrinsics. An import past its end is an ordinary one.
   */
  importKinds: StaticArray<u8> = new StaticArray<u8>(0);
  /** The body calls an import of kind CALLEE_FIXED. */
  callsFixed: bool = false;

  constructor(module: Module) {
    super(module.bytes, 0, 0);
    this.module = module;
    this.types = module.types;
    this.hasMemory = module.memories.length > 0;
    this.hasTable = module.tables.length > 0;
  }

  // --- errors ---

  /** Records an error at the instruction being validated. */
  reject(text: string): void { this.failAt(this.opOffset, text); }

  /** The name of the instruction at opOffset, read again from the bytes: only errors need it. */
  opName(): string {
    const module = this.module;
    const op = <u32>module.bytes[this.opOffset];
    if (op != <u32>Op.Prefix) return opcodeName(op);
    const reader = new Reader(module.bytes, this.opOffset + 1, <u32>module.bytes.length);
    return opcodeName(PREFIXED | reader.u32());
  }

  mismatch(expected: u8, actual: u8): void {
    if (this.failed) return;
    this.reject("type mismatch: " + this.opName() + " expects " + typeName(expected) + ", found " +
      (actual == NOTHING ? "an empty stack" : typeName(actual)));
  }

  // --- operand stack ---

  @inline push(type: u8): void {
    const count = this.valueCount;
    if (count == this.valueCapacity) this.growValues();
    unchecked(this.values[count] = type);
    this.valueCount = count + 1;
  }

  growValues(): void {
    const grown = new StaticArray<u8>(this.values.length * 2);
    memory.copy(changetype<usize>(grown), changetype<usize>(this.values), this.values.length);
    this.values = grown;
    this.valueCapacity = grown.length;
  }

  /** Pops a value that must have type `expected`; returns the type found (UNKNOWN below an unreachable frame). */
  @inline pop(expected: u8): u8 {
    const count = this.valueCount;
    if (count > this.height) {
      const actual = unchecked(this.values[count - 1]);
      this.valueCount = count - 1;
      if (actual != expected && actual != UNKNOWN) this.mismatch(expected, actual);
      return actual;
    }
    if (!this.unreachable) this.mismatch(expected, NOTHING);
    return UNKNOWN;
  }

  /** Pops a value of any type. */
  popAny(): u8 {
    const count = this.valueCount;
    if (count > this.height) {
      this.valueCount = count - 1;
      return unchecked(this.values[count - 1]);
    }
    if (!this.unreachable && !this.failed)
      this.reject("type mismatch: " + this.opName() + " expects a value, found an empty stack");
    return UNKNOWN;
  }

  // --- block types ---

  @inline paramCount(blockType: i32): i32 {
    return blockType >= 0 ? unchecked(this.types[blockType]).params.length : 0;
  }
  @inline param(blockType: i32, index: i32): u8 {
    return unchecked(unchecked(this.types[blockType]).params[index]);
  }
  @inline resultCount(blockType: i32): i32 {
    return blockType >= 0 ? unchecked(this.types[blockType]).results.length : (blockType == EMPTY_BLOCK ? 0 : 1);
  }
  @inline result(blockType: i32, index: i32): u8 {
    return blockType >= 0 ? unchecked(unchecked(this.types[blockType]).results[index]) : <u8>(blockType + 0x80);
  }

  readBlockType(): i32 {
    const byte = this.peek();
    if (byte == 0x40) { this.pos++; return EMPTY_BLOCK; }
    if (byte >= <u32>ValType.F64 && byte <= <u32>ValType.I32) { this.pos++; return <i32>byte - 0x80; }
    const start = this.pos;
    const value = this.s33();
    if (this.failed) return EMPTY_BLOCK;
    if (value < 0) { this.failAt(start, "malformed block type 0x" + (<u32>value & 0x7f).toString(16)); return EMPTY_BLOCK; }
    if (value >= <i64>this.types.length) { this.failAt(start, "unknown type " + value.toString() + " (block type)"); return EMPTY_BLOCK; }
    return <i32>value;
  }

  // --- control frames ---

  // @ts-ignore: decorator
  @inline pushFrame(kind: u32, blockType: i32): void {
    const count = this.frameCount;
    if (count >= MAX_CONTROL_DEPTH) { this.reject("control nesting too deep (limit " + MAX_CONTROL_DEPTH.toString() + ")"); return; }
    if ((count + 1) * FRAME_SIZE > this.frames.length) {
      const grown = new StaticArray<i32>(this.frames.length * 2);
      memory.copy(changetype<usize>(grown), changetype<usize>(this.frames), this.frames.length << 2);
      this.frames = grown;
    }
    const frame = count * FRAME_SIZE;
    unchecked(this.frames[frame + FRAME_KIND] = <i32>kind);
    unchecked(this.frames[frame + FRAME_TYPE] = blockType);
    unchecked(this.frames[frame + FRAME_HEIGHT] = this.valueCount);
    unchecked(this.frames[frame + FRAME_UNREACHABLE] = 0);
    const serial = ++this.lastSerial;
    unchecked(this.frames[frame + FRAME_SERIAL] = serial);
    this.serial = serial;
    this.height = this.valueCount;
    this.unreachable = false;
    this.frameCount = count + 1;
    if (kind == Op.Loop) this.useWeight = loopWeight(++this.loopDepth);
  }

  /** The frame `depth` labels out (0 = innermost), as an index into `frames`; -1 if there is none. */
  labelFrame(depth: u32): i32 {
    if (depth >= <u32>this.frameCount) { this.reject("unknown label " + depth.toString()); return -1; }
    return (this.frameCount - 1 - <i32>depth) * FRAME_SIZE;
  }

  @inline labelCount(frame: i32): i32 {
    const blockType = unchecked(this.frames[frame + FRAME_TYPE]);
    return unchecked(this.frames[frame + FRAME_KIND]) == Op.Loop ? this.paramCount(blockType) : this.resultCount(blockType);
  }

  @inline labelType(frame: i32, index: i32): u8 {
    const blockType = unchecked(this.frames[frame + FRAME_TYPE]);
    return unchecked(this.frames[frame + FRAME_KIND]) == Op.Loop ? this.param(blockType, index) : this.result(blockType, index);
  }

  popLabel(frame: i32): void {
    for (let i = this.labelCount(frame) - 1; i >= 0; i--) this.pop(this.labelType(frame, i));
  }

  pushLabel(frame: i32): void {
    const count = this.labelCount(frame);
    for (let i = 0; i < count; i++) this.push(this.labelType(frame, i));
  }

  /** The rest of the innermost frame is unreachable: its stack becomes polymorphic. */
  setUnreachable(): void {
    const frame = (this.frameCount - 1) * FRAME_SIZE;
    this.valueCount = this.height;
    unchecked(this.frames[frame + FRAME_UNREACHABLE] = 1);
    this.unreachable = true;
  }

  /** At else or end: the frame's results must be exactly what is left on its stack. */
  // @ts-ignore: decorator
  @inline popFrameResults(frame: i32): void {
    const blockType = unchecked(this.frames[frame + FRAME_TYPE]);
    for (let i = this.resultCount(blockType) - 1; i >= 0; i--) this.pop(this.result(blockType, i));
    const extra = this.valueCount - unchecked(this.frames[frame + FRAME_HEIGHT]);
    if (extra > 0 && !this.failed)
      this.reject("type mismatch: " + extra.toString() + " value" + (extra > 1 ? "s" : "") + " left on the stack at " + this.opName());
  }

  // --- bodies ---

  /** Validates one body; on error errorText and errorOffset (of the Reader) say what and where. */
  validate(body: FunctionBody): bool {
    this.pos = body.codeStart;
    this.end = body.codeEnd;
    this.setLocals(body);
    this.valueCount = 0;
    this.frameCount = 0;
    this.opOffset = this.pos;
    this.resetUsage();
    this.pushFrame(Op.Block, <i32>body.typeIndex);
    return this.run() && !this.failed;
  }

  setLocals(body: FunctionBody): void {
    const params = this.types[body.typeIndex].params;
    const declared = body.locals;
    const count = params.length + declared.length;
    if (count > this.locals.length) this.locals = new StaticArray<u8>(max(count, this.locals.length * 2));
    for (let i = 0; i < params.length; i++) unchecked(this.locals[i] = unchecked(params[i]));
    memory.copy(changetype<usize>(this.locals) + params.length, declared.dataStart, declared.length);
    this.localCount = <u32>count;
  }

  /** Clears the usage records for the body whose locals setLocals has just set. */
  resetUsage(): void {
    const recordBytes = (<i32>this.localCount + 1) << LOCAL_RECORD_SHIFT;
    const bytes = recordBytes + 4 * this.module.globals.length;
    if (bytes > this.usageBuffer.length) this.usageBuffer = new StaticArray<u8>(max(bytes, this.usageBuffer.length * 2));
    this.usage = changetype<usize>(this.usageBuffer);
    this.globalWeights = this.usage + <usize>recordBytes;
    memory.fill(this.usage, 0, <usize>bytes);
    this.useWeight = 1;
    this.loopDepth = 0;
    this.callWeight = 0;
    this.clobberWeight = 0;
    this.callsFixed = false;
    this.heaviestGlobal = -1;
    this.heaviestGlobalWeight = 0;
  }

  /** Counts a use of local `index`: a set or tee when `assigns`. */
  @inline countLocal(index: u32, assigns: bool): void {
    const record = this.usage + (<usize>index << LOCAL_RECORD_SHIFT);
    store<u32>(record, load<u32>(record) + this.useWeight);
    const first = load<u8>(record, RECORD_FIRST);
    if (assigns) {
      store<u8>(record, 1, RECORD_ASSIGNED);
      if (first == UNSEEN) {
        store<u8>(record, SET_FIRST, RECORD_FIRST);
        store<i32>(record, this.frameCount - 1, RECORD_DEPTH);
        store<i32>(record, this.serial, RECORD_SERIAL);
      }
    } else if (first != READ_FIRST) {
      if (first == UNSEEN || !this.frameOpen(load<i32>(record, RECORD_DEPTH), load<i32>(record, RECORD_SERIAL))) {
        store<u8>(record, READ_FIRST, RECORD_FIRST);
      }
    }
  }

  /** Whether the frame at `depth` (0 = the function's) is still the one numbered `serial`. */
  @inline frameOpen(depth: i32, serial: i32): bool {
    return depth < this.frameCount && unchecked(this.frames[depth * FRAME_SIZE + FRAME_SERIAL]) == serial;
  }

  /** The instruction loop: returns true after the body's final end. */
  run(): bool {
    const base = this.base;
    // An error moves the cursor to the end, so one test ends the loop both
    // at the end of the body and after an error.
    while (true) {
      const offset = this.pos;
      if (offset >= this.end) {
        if (!this.failed) this.failAt(offset, "unexpected end of section or function: END opcode expected");
        return false;
      }
      const op = <u32>load<u8>(base + offset);
      this.pos = offset + 1;
      this.opOffset = offset;
      switch (<i32>unchecked(OPCODE_CLASSES[op])) {
        case OpClass.LOCAL_GET: {
          const index = this.u32();
          if (index >= this.localCount) { this.unknownLocal(index); break; }
          this.push(unchecked(this.locals[index]));
          this.countLocal(index, false);
          break;
        }
        case OpClass.NUMERIC: this.numeric(unchecked(NUMERIC_SIGNATURES[op - FIRST_NUMERIC])); break;
        case OpClass.MEMORY: this.memoryAccess(op); break;
        case OpClass.LOCAL_SET: {
          const index = this.u32();
          if (index >= this.localCount) { this.unknownLocal(index); break; }
          this.pop(unchecked(this.locals[index]));
          this.countLocal(index, true);
          break;
        }
        case OpClass.LOCAL_TEE: {
          const index = this.u32();
          if (index >= this.localCount) { this.unknownLocal(index); break; }
          const type = unchecked(this.locals[index]);
          // The value stays: when the top has the local's type, nothing moves.
          const count = this.valueCount;
          if (count <= this.height || unchecked(this.values[count - 1]) != type) {
            this.pop(type);
            this.push(type);
          }
          this.countLocal(index, true);
          break;
        }
        case OpClass.I32_CONST: this.skipI32(); this.push(I32); break;
        case OpClass.I64_CONST: this.skipI64(); this.push(I64); break;
        case OpClass.F32_CONST: this.fixed32(); this.push(F32); break;
        case OpClass.F64_CONST: this.fixed64(); this.push(F64); break;
        case OpClass.BLOCK: this.blockStart(op); break;
        case OpClass.ELSE: this.elseBranch(); break;
        case OpClass.END: {
          this.blockEnd();
          if (this.frameCount == 0 && !this.failed) {
            if (this.pos != this.end) { this.failAt(this.pos, "section size mismatch: operators remaining after the end of the function"); return false; }
            return true;
          }
          break;
        }
        case OpClass.BR: {
          const frame = this.labelFrame(this.u32());
          if (frame < 0) break;
          this.popLabel(frame);
          this.setUnreachable();
          break;
        }
        case OpClass.BR_IF: {
          const frame = this.labelFrame(this.u32());
          if (frame < 0) break;
          this.pop(I32);
          this.popLabel(frame);
          this.pushLabel(frame);
          break;
        }
        case OpClass.BR_TABLE: this.brTable(); break;
        case OpClass.RETURN: this.popLabel(0); this.setUnreachable(); break;
        case OpClass.UNREACHABLE: this.setUnreachable(); break;
        case OpClass.NOP: break;
        case OpClass.CALL: {
          const index = this.u32();
          if (index >= <u32>this.module.funcTypes.length) { this.reject("unknown function " + index.toString()); break; }
          this.call(unchecked(this.types[unchecked(this.module.funcTypes[index])]));
          // A call followed by `unreachable` (asc's `abort` before a throw)
          // does not come back to the code after it: nothing is reloaded
          // after it, so it does not weigh against keeping locals in registers.
          const returns = this.pos >= this.end || this.peek() != <u32>Op.Unreachable;
          if (returns) this.callWeight += this.useWeight;
          if (index < this.module.numImportedFuncs) {
            const kind = index < <u32>this.importKinds.length ? unchecked(this.importKinds[index]) : CALLEE_CLOBBERS;
            if (kind == CALLEE_FIXED) this.callsFixed = true;
            else if (kind == CALLEE_CLOBBERS && returns) this.clobberWeight += this.useWeight;
          }
          break;
        }
        case OpClass.CALL_INDIRECT: {
          const typeIndex = this.u32();
          this.zeroByte();
          if (!this.hasTable) { this.reject("unknown table 0"); break; }
          if (typeIndex >= <u32>this.types.length) { this.reject("unknown type " + typeIndex.toString()); break; }
          this.pop(I32);
          this.call(unchecked(this.types[typeIndex]));
          // It keeps the callee-saved registers as a direct call does (generate/call.ts).
          this.callWeight += this.useWeight;
          break;
        }
        case OpClass.DROP: this.popAny(); break;
        case OpClass.SELECT: this.select(); break;
        case OpClass.GLOBAL_GET: {
          const index = this.u32();
          if (index >= <u32>this.module.globals.length) { this.reject("unknown global " + index.toString()); break; }
          const valType = unchecked(this.module.globals[index]).type.valType;
          this.push(valType);
          // Reads only: a write costs the same either way (it goes through to the cell).
          const cell = this.globalWeights + (<usize>index << 2);
          const weight = load<u32>(cell) + this.useWeight;
          store<u32>(cell, weight);
          // Weights only grow, so the heaviest so far, the lower index first among equals, is the heaviest at the end.
          if ((weight > this.heaviestGlobalWeight || (weight == this.heaviestGlobalWeight && <i32>index < this.heaviestGlobal))
            && index >= this.module.numImportedGlobals && valType != F32 && valType != F64) {
            this.heaviestGlobal = <i32>index;
            this.heaviestGlobalWeight = weight;
          }
          break;
        }
        case OpClass.GLOBAL_SET: {
          const index = this.u32();
          if (index >= <u32>this.module.globals.length) { this.reject("unknown global " + index.toString()); break; }
          const type = unchecked(this.module.globals[index]).type;
          if (!type.mutable) { this.reject("global is immutable: global.set of global " + index.toString()); break; }
          this.pop(type.valType);
          break;
        }
        case OpClass.MEMORY_SIZE: {
          this.zeroByte();
          if (!this.hasMemory) { this.reject("unknown memory 0"); break; }
          this.push(I32);
          break;
        }
        case OpClass.MEMORY_GROW: {
          this.zeroByte();
          if (!this.hasMemory) { this.reject("unknown memory 0"); break; }
          this.pop(I32);
          this.push(I32);
          break;
        }
        case OpClass.PREFIX: this.prefixed(); break;
        case OpClass.REFERENCE:
          this.reject("illegal opcode 0x" + op.toString(16) + " (" + opcodeName(op) + "): reference types are not enabled");
          break;
        // ILLEGAL among the cases, so that the jump table starts at 0.
        case OpClass.ILLEGAL:
        default:
          this.reject("illegal opcode 0x" + op.toString(16));
      }
    }
    return false;
  }

  unknownLocal(index: u32): void { this.reject("unknown local " + index.toString()); }

  /** The reserved memory or table index byte of MVP and bulk-memory instructions. */
  zeroByte(): void {
    const offset = this.pos;
    if (this.u8() != 0 && !this.failed) this.failAt(offset, "zero flag expected");
  }

  /**
   * A numeric instruction. The operands are the top one or two bytes of the
   * stack, in push order, so that one compare checks both operands of a
   * binary instruction (bits 8-23 of the signature, first then second),
   * and the result replaces them in place; underflow and mismatches take
   * the general path.
   */
  // @ts-ignore: decorator
  @inline numeric(signature: u32): void {
    const count = this.valueCount;
    const top = changetype<usize>(this.values) + <usize>count;
    if (signatureArity(signature) == 2) {
      if (count - 2 >= this.height && <u32>load<u16>(top - 2) == ((signature >> 8) & 0xffff)) {
        store<u8>(top - 2, <u8>(signature >> 24));
        this.valueCount = count - 1;
        return;
      }
    } else if (count > this.height && <u32>load<u8>(top - 1) == ((signature >> 8) & 0xff)) {
      store<u8>(top - 1, <u8>(signature >> 24));
      return;
    }
    this.numericSlow(signature);
  }

  numericSlow(signature: u32): void {
    if (signatureArity(signature) == 2) this.pop(signatureSecond(signature));
    this.pop(signatureFirst(signature));
    this.push(signatureResult(signature));
  }

  @inline memoryAccess(op: u32): void {
    const index = op - FIRST_MEMORY;
    const alignOffset = this.pos;
    const align = this.u32();
    this.u32(); // static offset: any u32
    if (this.failed) return;
    if (!this.hasMemory) { this.reject("unknown memory 0"); return; }
    if (align > <u32>unchecked(MEMORY_NATURAL_ALIGNMENT[index])) {
      this.failAt(alignOffset, "alignment must not be larger than natural: " + opcodeName(op) + " with alignment 2^" + align.toString());
      return;
    }
    const type = unchecked(MEMORY_TYPES[index]);
    // As for numeric instructions: the address (and the stored value) are
    // checked in place, the general path takes underflow and mismatches.
    const count = this.valueCount;
    const top = changetype<usize>(this.values) + <usize>count;
    if (op >= FIRST_STORE) {
      if (count - 2 >= this.height && <u32>load<u16>(top - 2) == (<u32>I32 | (<u32>type << 8))) {
        this.valueCount = count - 2;
        return;
      }
      this.pop(type);
      this.pop(I32);
    } else {
      if (count > this.height && load<u8>(top - 1) == I32) {
        store<u8>(top - 1, type);
        return;
      }
      this.pop(I32);
      this.push(type);
    }
  }

  @inline call(type: FuncType): void {
    const params = type.params;
    const count = this.valueCount;
    const arity = params.length;
    // The arguments are the top `arity` bytes of the stack, in parameter
    // order: compared in place; underflow and mismatches take the pops.
    let matched = 0;
    if (count - arity >= this.height) {
      const top = changetype<usize>(this.values) + <usize>(count - arity);
      const expected = params.dataStart;
      while (matched < arity && load<u8>(top + <usize>matched) == load<u8>(expected + <usize>matched)) matched++;
    }
    if (matched == arity) this.valueCount = count - arity;
    else for (let i = arity - 1; i >= 0; i--) this.pop(unchecked(params[i]));
    const results = type.results;
    for (let i = 0; i < results.length; i++) this.push(unchecked(results[i]));
  }

  select(): void {
    this.pop(I32);
    const second = this.popAny();
    const first = this.popAny();
    if (first != second && first != UNKNOWN && second != UNKNOWN) {
      if (!this.failed) this.reject("type mismatch: select operands differ: " + typeName(first) + " and " + typeName(second));
      return;
    }
    this.push(first == UNKNOWN ? second : first);
  }

  // @ts-ignore: decorator
  @inline blockStart(op: u32): void {
    // Nearly every block type is one byte: 0x40 (none) or a value type,
    // kept as the byte less 0x80 (EMPTY_BLOCK for 0x40).
    const pos = this.pos;
    if (pos < this.end) {
      const byte = <u32>load<u8>(this.base + pos);
      if (byte == 0x40 || (byte >= <u32>ValType.F64 && byte <= <u32>ValType.I32)) {
        this.pos = pos + 1;
        if (op == Op.If) this.pop(I32);
        this.pushFrame(op, <i32>byte - 0x80);
        return;
      }
    }
    const blockType = this.readBlockType();
    if (this.failed) return;
    if (op == Op.If) this.pop(I32);
    const count = this.paramCount(blockType);
    for (let i = count - 1; i >= 0; i--) this.pop(this.param(blockType, i));
    this.pushFrame(op, blockType);
    for (let i = 0; i < count; i++) this.push(this.param(blockType, i));
  }

  elseBranch(): void {
    const frame = (this.frameCount - 1) * FRAME_SIZE;
    if (unchecked(this.frames[frame + FRAME_KIND]) != Op.If) { this.reject("else without a matching if"); return; }
    this.popFrameResults(frame);
    const blockType = unchecked(this.frames[frame + FRAME_TYPE]);
    unchecked(this.frames[frame + FRAME_KIND] = Op.Else);
    unchecked(this.frames[frame + FRAME_UNREACHABLE] = 0);
    // The else arm is a frame of its own: a set in the then arm covers nothing in it.
    const serial = ++this.lastSerial;
    unchecked(this.frames[frame + FRAME_SERIAL] = serial);
    this.serial = serial;
    this.unreachable = false;
    this.valueCount = this.height;
    const count = this.paramCount(blockType);
    for (let i = 0; i < count; i++) this.push(this.param(blockType, i));
  }

  // @ts-ignore: decorator
  @inline blockEnd(): void {
    const frame = (this.frameCount - 1) * FRAME_SIZE;
    const kind = unchecked(this.frames[frame + FRAME_KIND]);
    const type = unchecked(this.frames[frame + FRAME_TYPE]);
    // A block type of one byte whose results are exactly what is left on
    // the frame's stack (and not an if without else that yields a value):
    // the values stay where they are, as the frame's results.
    if (type < 0) {
      const count = this.valueCount;
      const height = this.height;
      if (type == EMPTY_BLOCK ? count == height
        : count == height + 1 && kind != Op.If && <i32>unchecked(this.values[height]) == type + 0x80) {
        this.popFrame(frame, kind);
        return;
      }
    }
    this.blockEndSlow(frame);
  }

  /** Drops the innermost frame (at `frame`, of `kind`): the loop weight and the outer frame's height, reachability and serial back in force. */
  // @ts-ignore: decorator
  @inline private popFrame(frame: i32, kind: i32): void {
    if (kind == Op.Loop) this.useWeight = loopWeight(--this.loopDepth);
    if (--this.frameCount > 0) {
      const outer = frame - FRAME_SIZE;
      this.height = unchecked(this.frames[outer + FRAME_HEIGHT]);
      this.unreachable = unchecked(this.frames[outer + FRAME_UNREACHABLE]) != 0;
      this.serial = unchecked(this.frames[outer + FRAME_SERIAL]);
    }
  }

  blockEndSlow(frame: i32): void {
    this.popFrameResults(frame);
    const blockType = unchecked(this.frames[frame + FRAME_TYPE]);
    if (unchecked(this.frames[frame + FRAME_KIND]) == Op.If && !this.sameParamsAndResults(blockType)) {
      if (!this.failed) this.reject("type mismatch: if without else must produce its parameters as results");
      return;
    }
    this.valueCount = this.height;
    this.popFrame(frame, unchecked(this.frames[frame + FRAME_KIND]));
    const results = this.resultCount(blockType);
    for (let i = 0; i < results; i++) this.push(this.result(blockType, i));
  }

  sameParamsAndResults(blockType: i32): bool {
    const count = this.paramCount(blockType);
    if (count != this.resultCount(blockType)) return false;
    for (let i = 0; i < count; i++) if (this.param(blockType, i) != this.result(blockType, i)) return false;
    return true;
  }

  /**
   * br_table: every target must have exactly the default target's label
   * types (the rule of the spec this compiler follows, from before
   * subtyping relaxed it to "each target accepts the operands").
   */
  brTable(): void {
    const countOffset = this.pos;
    const count = this.count(1);
    if (this.failed) return;
    if (count > MAX_BR_TABLE_TARGETS) { this.failAt(countOffset, "br_table has too many targets: " + count.toString() + " (limit " + MAX_BR_TABLE_TARGETS.toString() + ")"); return; }
    // The default target comes last in the binary: skip to it, then come back.
    const targets = this.pos;
    for (let i: u32 = 0; i < count; i++) this.u32();
    const defaultFrame = this.labelFrame(this.u32());
    if (defaultFrame < 0 || this.failed) return;
    const after = this.pos;
    const arity = this.labelCount(defaultFrame);
    this.pos = targets;
    for (let i: u32 = 0; i < count && !this.failed; i++) {
      const frame = this.labelFrame(this.u32());
      if (frame < 0) return;
      if (frame == defaultFrame) continue;
      let same = this.labelCount(frame) == arity;
      for (let k = 0; same && k < arity; k++) same = this.labelType(frame, k) == this.labelType(defaultFrame, k);
      if (!same) { this.reject("type mismatch: br_table targets have different label types"); return; }
    }
    if (this.failed) return;
    this.pos = after;
    this.pop(I32);
    this.popLabel(defaultFrame);
    this.setUnreachable();
  }

  prefixed(): void {
    const sub = this.u32();
    if (this.failed) return;
    if (sub <= <u32>PrefixedOp.I64TruncSatF64U) { this.numeric(unchecked(SATURATING_SIGNATURES[sub])); return; }
    const module = this.module;
    switch (sub) {
      case PrefixedOp.MemoryInit: {
        const segment = this.u32();
        this.zeroByte();
        if (this.failed) return;
        if (!this.hasMemory) { this.reject("unknown memory 0"); return; }
        if (!this.dataSegment(segment)) return;
        this.popOperands3();
        return;
      }
      case PrefixedOp.DataDrop: {
        const segment = this.u32();
        if (this.failed || !this.dataSegment(segment)) return;
        return;
      }
      case PrefixedOp.MemoryCopy: {
        this.zeroByte();
        this.zeroByte();
        if (this.failed) return;
        if (!this.hasMemory) { this.reject("unknown memory 0"); return; }
        this.popOperands3();
        return;
      }
      case PrefixedOp.MemoryFill: {
        this.zeroByte();
        if (this.failed) return;
        if (!this.hasMemory) { this.reject("unknown memory 0"); return; }
        this.popOperands3();
        return;
      }
      case PrefixedOp.TableInit: {
        const segment = this.u32();
        this.zeroByte();
        if (this.failed) return;
        if (!this.hasTable) { this.reject("unknown table 0"); return; }
        if (segment >= <u32>module.elems.length) { this.reject("unknown elem segment " + segment.toString()); return; }
        this.popOperands3();
        return;
      }
      case PrefixedOp.ElemDrop: {
        const segment = this.u32();
        if (this.failed) return;
        if (segment >= <u32>module.elems.length) { this.reject("unknown elem segment " + segment.toString()); return; }
        return;
      }
      case PrefixedOp.TableCopy: {
        this.zeroByte();
        this.zeroByte();
        if (this.failed) return;
        if (!this.hasTable) { this.reject("unknown table 0"); return; }
        this.popOperands3();
        return;
      }
      case PrefixedOp.TableGrow:
      case PrefixedOp.TableSize:
      case PrefixedOp.TableFill:
        this.reject("illegal opcode 0xfc " + sub.toString() + " (" + opcodeName(PREFIXED | sub) + "): reference types are not enabled");
        return;
    }
    this.reject("illegal opcode 0xfc " + sub.toString());
  }

  /** memory.init and data.drop name a data segment, which needs the data count section. */
  dataSegment(segment: u32): bool {
    const dataCount = this.module.dataCount;
    if (dataCount < 0) { this.reject("data count section required by " + this.opName()); return false; }
    if (segment >= <u32>dataCount) { this.reject("unknown data segment " + segment.toString()); return false; }
    return true;
  }

  popOperands3(): void {
    this.pop(I32);
    this.pop(I32);
    this.pop(I32);
  }
}

function typeName(type: u8): string {
  return type == UNKNOWN ? "unknown" : valTypeName(type);
}
