// The WebAssembly opcodes the compiler knows, by name.
//
// Supported: the MVP, sign extension (0xC0-0xC4), and under the 0xFC prefix
// the non-trapping float-to-int conversions (0-7) and bulk memory (8-14).
// The reference-types opcodes (typed select 0x1C, table.get/set, ref.*,
// table.grow/size/fill) are named too, because ref.null and ref.func appear
// in element segment expressions, but the validator rejects them inside
// function bodies: reference types are not enabled.
// Prefixed opcodes are written as PREFIXED | sub-opcode in one u32.

export const enum Op {
  Unreachable = 0x00,
  Nop = 0x01,
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  Else = 0x05,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  BrTable = 0x0e,
  Return = 0x0f,
  Call = 0x10,
  CallIndirect = 0x11,

  Drop = 0x1a,
  Select = 0x1b,
  SelectTyped = 0x1c,

  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  GlobalGet = 0x23,
  GlobalSet = 0x24,
  TableGet = 0x25,
  TableSet = 0x26,

  I32Load = 0x28,
  I64Load = 0x29,
  F32Load = 0x2a,
  F64Load = 0x2b,
  I32Load8S = 0x2c,
  I32Load8U = 0x2d,
  I32Load16S = 0x2e,
  I32Load16U = 0x2f,
  I64Load8S = 0x30,
  I64Load8U = 0x31,
  I64Load16S = 0x32,
  I64Load16U = 0x33,
  I64Load32S = 0x34,
  I64Load32U = 0x35,
  I32Store = 0x36,
  I64Store = 0x37,
  F32Store = 0x38,
  F64Store = 0x39,
  I32Store8 = 0x3a,
  I32Store16 = 0x3b,
  I64Store8 = 0x3c,
  I64Store16 = 0x3d,
  I64Store32 = 0x3e,
  MemorySize = 0x3f,
  MemoryGrow = 0x40,

  I32Const = 0x41,
  I64Const = 0x42,
  F32Const = 0x43,
  F64Const = 0x44,

  I32Eqz = 0x45,
  I32Eq = 0x46,
  I32Ne = 0x47,
  I32LtS = 0x48,
  I32LtU = 0x49,
  I32GtS = 0x4a,
  I32GtU = 0x4b,
  I32LeS = 0x4c,
  I32LeU = 0x4d,
  I32GeS = 0x4e,
  I32GeU = 0x4f,

  I64Eqz = 0x50,
  I64Eq = 0x51,
  I64Ne = 0x52,
  I64LtS = 0x53,
  I64LtU = 0x54,
  I64GtS = 0x55,
  I64GtU = 0x56,
  I64LeS = 0x57,
  I64LeU = 0x58,
  I64GeS = 0x59,
  I64GeU = 0x5a,

  F32Eq = 0x5b,
  F32Ne = 0x5c,
  F32Lt = 0x5d,
  F32Gt = 0x5e,
  F32Le = 0x5f,
  F32Ge = 0x60,

  F64Eq = 0x61,
  F64Ne = 0x62,
  F64Lt = 0x63,
  F64Gt = 0x64,
  F64Le = 0x65,
  F64Ge = 0x66,

  I32Clz = 0x67,
  I32Ctz = 0x68,
  I32Popcnt = 0x69,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32Mul = 0x6c,
  I32DivS = 0x6d,
  I32DivU = 0x6e,
  I32RemS = 0x6f,
  I32RemU = 0x70,
  I32And = 0x71,
  I32Or = 0x72,
  I32Xor = 0x73,
  I32Shl = 0x74,
  I32ShrS = 0x75,
  I32ShrU = 0x76,
  I32Rotl = 0x77,
  I32Rotr = 0x78,

  I64Clz = 0x79,
  I64Ctz = 0x7a,
  I64Popcnt = 0x7b,
  I64Add = 0x7c,
  I64Sub = 0x7d,
  I64Mul = 0x7e,
  I64DivS = 0x7f,
  I64DivU = 0x80,
  I64RemS = 0x81,
  I64RemU = 0x82,
  I64And = 0x83,
  I64Or = 0x84,
  I64Xor = 0x85,
  I64Shl = 0x86,
  I64ShrS = 0x87,
  I64ShrU = 0x88,
  I64Rotl = 0x89,
  I64Rotr = 0x8a,

  F32Abs = 0x8b,
  F32Neg = 0x8c,
  F32Ceil = 0x8d,
  F32Floor = 0x8e,
  F32Trunc = 0x8f,
  F32Nearest = 0x90,
  F32Sqrt = 0x91,
  F32Add = 0x92,
  F32Sub = 0x93,
  F32Mul = 0x94,
  F32Div = 0x95,
  F32Min = 0x96,
  F32Max = 0x97,
  F32Copysign = 0x98,

  F64Abs = 0x99,
  F64Neg = 0x9a,
  F64Ceil = 0x9b,
  F64Floor = 0x9c,
  F64Trunc = 0x9d,
  F64Nearest = 0x9e,
  F64Sqrt = 0x9f,
  F64Add = 0xa0,
  F64Sub = 0xa1,
  F64Mul = 0xa2,
  F64Div = 0xa3,
  F64Min = 0xa4,
  F64Max = 0xa5,
  F64Copysign = 0xa6,

  I32WrapI64 = 0xa7,
  I32TruncF32S = 0xa8,
  I32TruncF32U = 0xa9,
  I32TruncF64S = 0xaa,
  I32TruncF64U = 0xab,
  I64ExtendI32S = 0xac,
  I64ExtendI32U = 0xad,
  I64TruncF32S = 0xae,
  I64TruncF32U = 0xaf,
  I64TruncF64S = 0xb0,
  I64TruncF64U = 0xb1,
  F32ConvertI32S = 0xb2,
  F32ConvertI32U = 0xb3,
  F32ConvertI64S = 0xb4,
  F32ConvertI64U = 0xb5,
  F32DemoteF64 = 0xb6,
  F64ConvertI32S = 0xb7,
  F64ConvertI32U = 0xb8,
  F64ConvertI64S = 0xb9,
  F64ConvertI64U = 0xba,
  F64PromoteF32 = 0xbb,
  I32ReinterpretF32 = 0xbc,
  I64ReinterpretF64 = 0xbd,
  F32ReinterpretI32 = 0xbe,
  F64ReinterpretI64 = 0xbf,

  I32Extend8S = 0xc0,
  I32Extend16S = 0xc1,
  I64Extend8S = 0xc2,
  I64Extend16S = 0xc3,
  I64Extend32S = 0xc4,

  RefNull = 0xd0,
  RefIsNull = 0xd1,
  RefFunc = 0xd2,

  /** Prefix byte of the sub-opcodes below; a u32 LEB128 sub-opcode follows it. */
  Prefix = 0xfc,
}

/** Marks a prefixed opcode: Prefixed | sub-opcode. */
export const PREFIXED: u32 = 0xfc00;

/** Sub-opcodes after the 0xFC prefix. */
export const enum PrefixedOp {
  I32TruncSatF32S = 0,
  I32TruncSatF32U = 1,
  I32TruncSatF64S = 2,
  I32TruncSatF64U = 3,
  I64TruncSatF32S = 4,
  I64TruncSatF32U = 5,
  I64TruncSatF64S = 6,
  I64TruncSatF64U = 7,
  MemoryInit = 8,
  DataDrop = 9,
  MemoryCopy = 10,
  MemoryFill = 11,
  TableInit = 12,
  ElemDrop = 13,
  TableCopy = 14,
  // Reference types, not enabled:
  TableGrow = 15,
  TableSize = 16,
  TableFill = 17,
}

/** The text-format name of an opcode (prefixed ones as PREFIXED | sub), for error messages. */
export function opcodeName(op: u32): string {
  if (op >= PREFIXED) return prefixedName(op - PREFIXED);
  if (op >= <u32>Op.I32Eqz && op <= <u32>Op.I64Extend32S) return NUMERIC_NAMES[op - <u32>Op.I32Eqz];
  if (op >= <u32>Op.I32Load && op <= <u32>Op.I64Store32) return MEMORY_NAMES[op - <u32>Op.I32Load];
  switch (op) {
    case Op.Unreachable: return "unreachable";
    case Op.Nop: return "nop";
    case Op.Block: return "block";
    case Op.Loop: return "loop";
    case Op.If: return "if";
    case Op.Else: return "else";
    case Op.End: return "end";
    case Op.Br: return "br";
    case Op.BrIf: return "br_if";
    case Op.BrTable: return "br_table";
    case Op.Return: return "return";
    case Op.Call: return "call";
    case Op.CallIndirect: return "call_indirect";
    case Op.Drop: return "drop";
    case Op.Select: return "select";
    case Op.SelectTyped: return "select (typed)";
    case Op.LocalGet: return "local.get";
    case Op.LocalSet: return "local.set";
    case Op.LocalTee: return "local.tee";
    case Op.GlobalGet: return "global.get";
    case Op.GlobalSet: return "global.set";
    case Op.TableGet: return "table.get";
    case Op.TableSet: return "table.set";
    case Op.MemorySize: return "memory.size";
    case Op.MemoryGrow: return "memory.grow";
    case Op.I32Const: return "i32.const";
    case Op.I64Const: return "i64.const";
    case Op.F32Const: return "f32.const";
    case Op.F64Const: return "f64.const";
    case Op.RefNull: return "ref.null";
    case Op.RefIsNull: return "ref.is_null";
    case Op.RefFunc: return "ref.func";
  }
  return "opcode 0x" + op.toString(16);
}

function prefixedName(sub: u32): string {
  switch (sub) {
    case PrefixedOp.I32TruncSatF32S: return "i32.trunc_sat_f32_s";
    case PrefixedOp.I32TruncSatF32U: return "i32.trunc_sat_f32_u";
    case PrefixedOp.I32TruncSatF64S: return "i32.trunc_sat_f64_s";
    case PrefixedOp.I32TruncSatF64U: return "i32.trunc_sat_f64_u";
    case PrefixedOp.I64TruncSatF32S: return "i64.trunc_sat_f32_s";
    case PrefixedOp.I64TruncSatF32U: return "i64.trunc_sat_f32_u";
    case PrefixedOp.I64TruncSatF64S: return "i64.trunc_sat_f64_s";
    case PrefixedOp.I64TruncSatF64U: return "i64.trunc_sat_f64_u";
    case PrefixedOp.MemoryInit: return "memory.init";
    case PrefixedOp.DataDrop: return "data.drop";
    case PrefixedOp.MemoryCopy: return "memory.copy";
    case PrefixedOp.MemoryFill: return "memory.fill";
    case PrefixedOp.TableInit: return "table.init";
    case PrefixedOp.ElemDrop: return "elem.drop";
    case PrefixedOp.TableCopy: return "table.copy";
    case PrefixedOp.TableGrow: return "table.grow";
    case PrefixedOp.TableSize: return "table.size";
    case PrefixedOp.TableFill: return "table.fill";
  }
  return "opcode 0xfc " + sub.toString();
}

const MEMORY_NAMES: StaticArray<string> = [
  "i32.load", "i64.load", "f32.load", "f64.load",
  "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u",
  "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u", "i64.load32_s", "i64.load32_u",
  "i32.store", "i64.store", "f32.store", "f64.store",
  "i32.store8", "i32.store16", "i64.store8", "i64.store16", "i64.store32",
];

const NUMERIC_NAMES: StaticArray<string> = [
  "i32.eqz", "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s", "i32.gt_u",
  "i32.le_s", "i32.le_u", "i32.ge_s", "i32.ge_u",
  "i64.eqz", "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u",
  "i64.le_s", "i64.le_u", "i64.ge_s", "i64.ge_u",
  "f32.eq", "f32.ne", "f32.lt", "f32.gt", "f32.le", "f32.ge",
  "f64.eq", "f64.ne", "f64.lt", "f64.gt", "f64.le", "f64.ge",
  "i32.clz", "i32.ctz", "i32.popcnt", "i32.add", "i32.sub", "i32.mul", "i32.div_s", "i32.div_u",
  "i32.rem_s", "i32.rem_u", "i32.and", "i32.or", "i32.xor", "i32.shl", "i32.shr_s", "i32.shr_u",
  "i32.rotl", "i32.rotr",
  "i64.clz", "i64.ctz", "i64.popcnt", "i64.add", "i64.sub", "i64.mul", "i64.div_s", "i64.div_u",
  "i64.rem_s", "i64.rem_u", "i64.and", "i64.or", "i64.xor", "i64.shl", "i64.shr_s", "i64.shr_u",
  "i64.rotl", "i64.rotr",
  "f32.abs", "f32.neg", "f32.ceil", "f32.floor", "f32.trunc", "f32.nearest", "f32.sqrt",
  "f32.add", "f32.sub", "f32.mul", "f32.div", "f32.min", "f32.max", "f32.copysign",
  "f64.abs", "f64.neg", "f64.ceil", "f64.floor", "f64.trunc", "f64.nearest", "f64.sqrt",
  "f64.add", "f64.sub", "f64.mul", "f64.div", "f64.min", "f64.max", "f64.copysign",
  "i32.wrap_i64", "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
  "i64.extend_i32_s", "i64.extend_i32_u",
  "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u",
  "f32.convert_i32_s", "f32.convert_i32_u", "f32.convert_i64_s", "f32.convert_i64_u", "f32.demote_f64",
  "f64.convert_i32_s", "f64.convert_i32_u", "f64.convert_i64_s", "f64.convert_i64_u", "f64.promote_f32",
  "i32.reinterpret_f32", "i64.reinterpret_f64", "f32.reinterpret_i32", "f64.reinterpret_i64",
  "i32.extend8_s", "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s",
];
