// Operand and result types of the instructions whose typing is fixed: the
// numeric instructions (0x45-0xC4 and the 0xFC saturating truncations) and
// the loads and stores. Tables rather than a switch keep the validator's
// inner loop short; the generator can use them too. Also the class of every
// opcode byte, which the validator dispatches on: a dense switch becomes one
// jump table, where a switch over the sparse opcodes is a chain of compares.
//
// A numeric signature packs into one u32: operand count in bits 0-7, first
// operand type in bits 8-15, second operand type in 16-23, result type in
// 24-31 (types as in the binary format).

import { ValType } from "../module";
import { Op } from "../opcodes";

export const FIRST_NUMERIC: u32 = <u32>Op.I32Eqz;
export const LAST_NUMERIC: u32 = <u32>Op.I64Extend32S;

@inline export function signatureArity(signature: u32): u32 { return signature & 0xff; }
@inline export function signatureFirst(signature: u32): u8 { return <u8>(signature >> 8); }
@inline export function signatureSecond(signature: u32): u8 { return <u8>(signature >> 16); }
@inline export function signatureResult(signature: u32): u8 { return <u8>(signature >> 24); }

function unary(operand: u8, result: u8): u32 { return 1 | (<u32>operand << 8) | (<u32>result << 24); }
function binary(operand: u8, result: u8): u32 { return 2 | (<u32>operand << 8) | (<u32>operand << 16) | (<u32>result << 24); }

function fill(table: StaticArray<u32>, first: u32, last: u32, signature: u32): void {
  for (let op = first; op <= last; op++) table[op - FIRST_NUMERIC] = signature;
}

function buildNumeric(): StaticArray<u32> {
  const t = new StaticArray<u32>(LAST_NUMERIC - FIRST_NUMERIC + 1);
  const i32 = <u8>ValType.I32, i64 = <u8>ValType.I64, f32 = <u8>ValType.F32, f64 = <u8>ValType.F64;
  fill(t, <u32>Op.I32Eqz, <u32>Op.I32Eqz, unary(i32, i32));
  fill(t, <u32>Op.I32Eq, <u32>Op.I32GeU, binary(i32, i32));
  fill(t, <u32>Op.I64Eqz, <u32>Op.I64Eqz, unary(i64, i32));
  fill(t, <u32>Op.I64Eq, <u32>Op.I64GeU, binary(i64, i32));
  fill(t, <u32>Op.F32Eq, <u32>Op.F32Ge, binary(f32, i32));
  fill(t, <u32>Op.F64Eq, <u32>Op.F64Ge, binary(f64, i32));
  fill(t, <u32>Op.I32Clz, <u32>Op.I32Popcnt, unary(i32, i32));
  fill(t, <u32>Op.I32Add, <u32>Op.I32Rotr, binary(i32, i32));
  fill(t, <u32>Op.I64Clz, <u32>Op.I64Popcnt, unary(i64, i64));
  fill(t, <u32>Op.I64Add, <u32>Op.I64Rotr, binary(i64, i64));
  fill(t, <u32>Op.F32Abs, <u32>Op.F32Sqrt, unary(f32, f32));
  fill(t, <u32>Op.F32Add, <u32>Op.F32Copysign, binary(f32, f32));
  fill(t, <u32>Op.F64Abs, <u32>Op.F64Sqrt, unary(f64, f64));
  fill(t, <u32>Op.F64Add, <u32>Op.F64Copysign, binary(f64, f64));
  fill(t, <u32>Op.I32WrapI64, <u32>Op.I32WrapI64, unary(i64, i32));
  fill(t, <u32>Op.I32TruncF32S, <u32>Op.I32TruncF32U, unary(f32, i32));
  fill(t, <u32>Op.I32TruncF64S, <u32>Op.I32TruncF64U, unary(f64, i32));
  fill(t, <u32>Op.I64ExtendI32S, <u32>Op.I64ExtendI32U, unary(i32, i64));
  fill(t, <u32>Op.I64TruncF32S, <u32>Op.I64TruncF32U, unary(f32, i64));
  fill(t, <u32>Op.I64TruncF64S, <u32>Op.I64TruncF64U, unary(f64, i64));
  fill(t, <u32>Op.F32ConvertI32S, <u32>Op.F32ConvertI32U, unary(i32, f32));
  fill(t, <u32>Op.F32ConvertI64S, <u32>Op.F32ConvertI64U, unary(i64, f32));
  fill(t, <u32>Op.F32DemoteF64, <u32>Op.F32DemoteF64, unary(f64, f32));
  fill(t, <u32>Op.F64ConvertI32S, <u32>Op.F64ConvertI32U, unary(i32, f64));
  fill(t, <u32>Op.F64ConvertI64S, <u32>Op.F64ConvertI64U, unary(i64, f64));
  fill(t, <u32>Op.F64PromoteF32, <u32>Op.F64PromoteF32, unary(f32, f64));
  fill(t, <u32>Op.I32ReinterpretF32, <u32>Op.I32ReinterpretF32, unary(f32, i32));
  fill(t, <u32>Op.I64ReinterpretF64, <u32>Op.I64ReinterpretF64, unary(f64, i64));
  fill(t, <u32>Op.F32ReinterpretI32, <u32>Op.F32ReinterpretI32, unary(i32, f32));
  fill(t, <u32>Op.F64ReinterpretI64, <u32>Op.F64ReinterpretI64, unary(i64, f64));
  fill(t, <u32>Op.I32Extend8S, <u32>Op.I32Extend16S, unary(i32, i32));
  fill(t, <u32>Op.I64Extend8S, <u32>Op.I64Extend32S, unary(i64, i64));
  return t;
}

/** Signature of numeric opcode op, at index op - FIRST_NUMERIC. */
export const NUMERIC_SIGNATURES: StaticArray<u32> = buildNumeric();

/** Signature of the saturating truncation with 0xFC sub-opcode 0-7. */
export const SATURATING_SIGNATURES: StaticArray<u32> = buildSaturating();

function buildSaturating(): StaticArray<u32> {
  const i32 = <u8>ValType.I32, i64 = <u8>ValType.I64, f32 = <u8>ValType.F32, f64 = <u8>ValType.F64;
  return [
    unary(f32, i32), unary(f32, i32), unary(f64, i32), unary(f64, i32),
    unary(f32, i64), unary(f32, i64), unary(f64, i64), unary(f64, i64),
  ];
}

export const FIRST_MEMORY: u32 = <u32>Op.I32Load;
export const LAST_MEMORY: u32 = <u32>Op.I64Store32;
export const FIRST_STORE: u32 = <u32>Op.I32Store;

/** Value type of each load/store (opcode - FIRST_MEMORY). */
export const MEMORY_TYPES: StaticArray<u8> = [
  0x7f, 0x7e, 0x7d, 0x7c,                 // i32 i64 f32 f64 .load
  0x7f, 0x7f, 0x7f, 0x7f,                 // i32.load8/16 _s _u
  0x7e, 0x7e, 0x7e, 0x7e, 0x7e, 0x7e,     // i64.load8/16/32 _s _u
  0x7f, 0x7e, 0x7d, 0x7c,                 // i32 i64 f32 f64 .store
  0x7f, 0x7f, 0x7e, 0x7e, 0x7e,           // i32.store8/16, i64.store8/16/32
];

/** log2 of the access size of each load/store: the largest alignment allowed. */
export const MEMORY_NATURAL_ALIGNMENT: StaticArray<u8> = [
  2, 3, 2, 3,
  0, 0, 1, 1,
  0, 0, 1, 1, 2, 2,
  2, 3, 2, 3,
  0, 1, 0, 1, 2,
];

/** What the validator does for an opcode byte (OPCODE_CLASSES). */
export const enum OpClass {
  ILLEGAL = 0,
  NUMERIC = 1,
  MEMORY = 2,
  LOCAL_GET = 3,
  LOCAL_SET = 4,
  LOCAL_TEE = 5,
  I32_CONST = 6,
  I64_CONST = 7,
  F32_CONST = 8,
  F64_CONST = 9,
  BLOCK = 10,
  ELSE = 11,
  END = 12,
  BR = 13,
  BR_IF = 14,
  BR_TABLE = 15,
  RETURN = 16,
  UNREACHABLE = 17,
  NOP = 18,
  CALL = 19,
  CALL_INDIRECT = 20,
  DROP = 21,
  SELECT = 22,
  GLOBAL_GET = 23,
  GLOBAL_SET = 24,
  MEMORY_SIZE = 25,
  MEMORY_GROW = 26,
  PREFIX = 27,
  /** Reference-types instructions, refused with their name. */
  REFERENCE = 28,
}

function classifyRange(table: StaticArray<u8>, first: u32, last: u32, opClass: OpClass): void {
  for (let op = first; op <= last; op++) table[op] = <u8>opClass;
}

function classify(table: StaticArray<u8>, op: u32, opClass: OpClass): void {
  table[op] = <u8>opClass;
}

function buildClasses(): StaticArray<u8> {
  const t = new StaticArray<u8>(256);
  classifyRange(t, FIRST_NUMERIC, LAST_NUMERIC, OpClass.NUMERIC);
  classifyRange(t, FIRST_MEMORY, LAST_MEMORY, OpClass.MEMORY);
  classify(t, Op.LocalGet, OpClass.LOCAL_GET);
  classify(t, Op.LocalSet, OpClass.LOCAL_SET);
  classify(t, Op.LocalTee, OpClass.LOCAL_TEE);
  classify(t, Op.I32Const, OpClass.I32_CONST);
  classify(t, Op.I64Const, OpClass.I64_CONST);
  classify(t, Op.F32Const, OpClass.F32_CONST);
  classify(t, Op.F64Const, OpClass.F64_CONST);
  classify(t, Op.Block, OpClass.BLOCK);
  classify(t, Op.Loop, OpClass.BLOCK);
  classify(t, Op.If, OpClass.BLOCK);
  classify(t, Op.Else, OpClass.ELSE);
  classify(t, Op.End, OpClass.END);
  classify(t, Op.Br, OpClass.BR);
  classify(t, Op.BrIf, OpClass.BR_IF);
  classify(t, Op.BrTable, OpClass.BR_TABLE);
  classify(t, Op.Return, OpClass.RETURN);
  classify(t, Op.Unreachable, OpClass.UNREACHABLE);
  classify(t, Op.Nop, OpClass.NOP);
  classify(t, Op.Call, OpClass.CALL);
  classify(t, Op.CallIndirect, OpClass.CALL_INDIRECT);
  classify(t, Op.Drop, OpClass.DROP);
  classify(t, Op.Select, OpClass.SELECT);
  classify(t, Op.GlobalGet, OpClass.GLOBAL_GET);
  classify(t, Op.GlobalSet, OpClass.GLOBAL_SET);
  classify(t, Op.MemorySize, OpClass.MEMORY_SIZE);
  classify(t, Op.MemoryGrow, OpClass.MEMORY_GROW);
  classify(t, Op.Prefix, OpClass.PREFIX);
  classify(t, Op.SelectTyped, OpClass.REFERENCE);
  classify(t, Op.TableGet, OpClass.REFERENCE);
  classify(t, Op.TableSet, OpClass.REFERENCE);
  classify(t, Op.RefNull, OpClass.REFERENCE);
  classify(t, Op.RefIsNull, OpClass.REFERENCE);
  classify(t, Op.RefFunc, OpClass.REFERENCE);
  return t;
}

/** The OpClass of each opcode byte. */
export const OPCODE_CLASSES: StaticArray<u8> = buildClasses();
