// The in-memory form of a decoded WebAssembly module.
//
// The decoder fills it, the validator checks it, the generator reads it. It
// keeps function bodies as byte ranges into the original binary rather than
// as a tree: every later stage walks the bytes once, in order, which is what
// a single-pass compiler wants, and wasm byte offsets stay exact for error
// messages and for the native-to-wasm address map.

/** Value types, encoded as in the binary format. */
export const enum ValType {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  FuncRef = 0x70,
  ExternRef = 0x6f,
}

/** What an import or export refers to. */
export const enum ExternKind {
  Func = 0,
  Table = 1,
  Memory = 2,
  Global = 3,
}

export function valTypeName(t: u8): string {
  switch (<i32>t) {
    case ValType.I32: return "i32";
    case ValType.I64: return "i64";
    case ValType.F32: return "f32";
    case ValType.F64: return "f64";
    case ValType.FuncRef: return "funcref";
    case ValType.ExternRef: return "externref";
  }
  return "<0x" + t.toString(16) + ">";
}

export class FuncType {
  params: u8[] = [];
  results: u8[] = [];
  /** The register of each parameter in a direct call, -1 for a slot: generate/convention.ts fills it on first use. */
  paramRegisters: StaticArray<i8> | null = null;

  equals(other: FuncType): bool {
    if (this.params.length != other.params.length) return false;
    if (this.results.length != other.results.length) return false;
    for (let i = 0; i < this.params.length; i++) if (this.params[i] != other.params[i]) return false;
    for (let i = 0; i < this.results.length; i++) if (this.results[i] != other.results[i]) return false;
    return true;
  }

  toString(): string {
    let s = "[";
    for (let i = 0; i < this.params.length; i++) s += (i ? " " : "") + valTypeName(this.params[i]);
    s += "] -> [";
    for (let i = 0; i < this.results.length; i++) s += (i ? " " : "") + valTypeName(this.results[i]);
    return s + "]";
  }
}

/** Limits of a memory (in 64 KiB pages) or a table (in elements). */
export class Limits {
  min: u32 = 0;
  max: u32 = 0;
  hasMax: bool = false;
  /** Byte offset of the limits in the module binary. */
  offset: u32 = 0;
}

export class TableType {
  elemType: u8 = <u8>ValType.FuncRef;
  limits: Limits = new Limits();
}

export class MemoryType {
  limits: Limits = new Limits();
}

export class GlobalType {
  valType: u8 = <u8>ValType.I32;
  mutable: bool = false;
}

/**
 * A constant expression (global initialisers, segment offsets, element
 * expressions), already evaluated as far as the binary allows: one
 * instruction followed by `end`.
 */
export const enum ConstKind {
  I32 = 0,     // value in bits (low 32)
  I64 = 1,     // value in bits
  F32 = 2,     // bit pattern in bits (low 32)
  F64 = 3,     // bit pattern in bits
  GlobalGet = 4, // global index in index
  RefNull = 5,
  RefFunc = 6,   // function index in index
}

export class ConstExpr {
  kind: ConstKind = ConstKind.I32;
  bits: u64 = 0;
  index: u32 = 0;
  /** Byte offset of the expression in the module binary. */
  offset: u32 = 0;
}

export class Import {
  module: string = "";
  name: string = "";
  kind: ExternKind = ExternKind.Func;
  /** For functions: the type index. */
  typeIndex: u32 = 0;
  table: TableType | null = null;
  memory: MemoryType | null = null;
  global: GlobalType | null = null;
  offset: u32 = 0;
}

export class Export {
  name: string = "";
  kind: ExternKind = ExternKind.Func;
  index: u32 = 0;
  offset: u32 = 0;
}

export class Global {
  type: GlobalType = new GlobalType();
  init: ConstExpr = new ConstExpr();
}

export const enum SegmentMode {
  Active = 0,
  Passive = 1,
  Declarative = 2,
}

export class ElemSegment {
  mode: SegmentMode = SegmentMode.Active;
  tableIndex: u32 = 0;
  offsetExpr: ConstExpr = new ConstExpr();
  elemType: u8 = <u8>ValType.FuncRef;
  /** One expression per element: RefFunc or RefNull (or GlobalGet). */
  items: ConstExpr[] = [];
  offset: u32 = 0;
}

export class DataSegment {
  mode: SegmentMode = SegmentMode.Active;
  memoryIndex: u32 = 0;
  offsetExpr: ConstExpr = new ConstExpr();
  /** Where the bytes lie in the module binary. */
  dataStart: u32 = 0;
  dataLength: u32 = 0;
  offset: u32 = 0;
}

/** A function defined in the module (not imported). */
export class FunctionBody {
  typeIndex: u32 = 0;
  /** Declared locals after the parameters, expanded: one entry per local. */
  locals: u8[] = [];
  /** Byte range of the instruction sequence (after the local declarations), ending with `end`. */
  codeStart: u32 = 0;
  codeEnd: u32 = 0;
  /** Byte offset of the whole body entry (its size field) in the binary. */
  offset: u32 = 0;
}

export class CustomSection {
  name: string = "";
  start: u32 = 0;
  length: u32 = 0;
}

export class Module {
  /** The module binary; function bodies and data segments point into it. */
  bytes: Uint8Array;
  types: FuncType[] = [];
  imports: Import[] = [];
  /** Type index of every function in the function index space: imports first. */
  funcTypes: u32[] = [];
  numImportedFuncs: u32 = 0;
  tables: TableType[] = [];
  numImportedTables: u32 = 0;
  memories: MemoryType[] = [];
  numImportedMemories: u32 = 0;
  /** Every global in the global index space: imported ones have a default init. */
  globals: Global[] = [];
  numImportedGlobals: u32 = 0;
  exports: Export[] = [];
  startFunc: i32 = -1;
  /** Byte offset of the start section's function index. */
  startOffset: u32 = 0;
  elems: ElemSegment[] = [];
  /** From the data count section, -1 when absent. */
  dataCount: i32 = -1;
  datas: DataSegment[] = [];
  /** Defined functions, index i here is function index numImportedFuncs + i. */
  bodies: FunctionBody[] = [];
  customs: CustomSection[] = [];
  /** Functions that may be referenced by ref.func (declared in elems, exports or globals). */
  declaredFuncRefs: Set<u32> = new Set<u32>();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  funcType(funcIndex: u32): FuncType {
    return this.types[this.funcTypes[funcIndex]];
  }
}
