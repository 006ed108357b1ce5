// The decoder: turns a module binary into the Module IR (module.ts).
//
// It checks everything the binary format itself requires (the spec's
// "malformed" cases): header, section ids, order and sizes, vector counts,
// LEB128 strictness, UTF-8 names, value type and flag bytes, constant
// expression shape, and the counts that must agree between sections.
// Function bodies are not decoded here beyond their local declarations: the
// validator reads each instruction stream in one pass (validate/body.ts).
// Type rules (the spec's "invalid" cases) are left to validate.ts.

import {
  Module, FuncType, Limits, TableType, MemoryType, GlobalType, Global, Import, Export,
  ElemSegment, DataSegment, FunctionBody, CustomSection, ConstExpr, ConstKind, ValType,
  ExternKind, SegmentMode,
} from "./module";
import { Op } from "./opcodes";
import { Reader } from "./reader";
import { formatError } from "./validate/errors";
import { setMessage } from "./io";
import { setAt } from "./lists";

// Resource limits: larger inputs are rejected, so that hostile input can
// neither exhaust memory nor time (most are V8's).
export const MAX_TYPES: u32 = 1000000;
export const MAX_FUNCTIONS: u32 = 1000000;
export const MAX_IMPORTS: u32 = 1000000;
export const MAX_EXPORTS: u32 = 1000000;
export const MAX_GLOBALS: u32 = 1000000;
export const MAX_SEGMENTS: u32 = 1000000;
export const MAX_PARAMS: u32 = 1000;
export const MAX_RESULTS: u32 = 1000;
export const MAX_FUNCTION_LOCALS: u32 = 50000;
/** Locals are expanded one byte each: this bounds the memory and time that costs. */
export const MAX_MODULE_LOCALS: u64 = 50000000;
export const MAX_BODY_SIZE: u32 = 7654321;
/** Element segment items, over all segments (each becomes a ConstExpr). */
export const MAX_ELEMENT_ITEMS: u64 = 10000000;

const enum SectionId {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
  DataCount = 12,
}

/** Position of each known section in the required order (data count sits between element and code). */
function sectionRank(id: u32): u32 {
  if (id == SectionId.DataCount) return 10;
  if (id == SectionId.Code) return 11;
  if (id == SectionId.Data) return 12;
  return id;
}

/** Decodes a module binary; on malformed input sets the message (io.ts) and returns null. */
export function decodeModule(bytes: Uint8Array): Module | null {
  const decoder = new Decoder(bytes);
  if (decoder.decode()) return decoder.module;
  setMessage(formatError(decoder.reader.errorOffset, decoder.context, decoder.reader.errorText));
  return null;
}

class Decoder {
  module: Module;
  reader: Reader;
  /** "section N" while inside a section, for error messages. */
  context: string = "";
  section: u32 = 0;
  definedFunctions: u32 = 0;
  hasFunctionSection: bool = false;
  hasCodeSection: bool = false;
  hasDataSection: bool = false;
  totalLocals: u64 = 0;
  totalElementItems: u64 = 0;

  constructor(bytes: Uint8Array) {
    this.module = new Module(bytes);
    this.reader = new Reader(bytes, 0, <u32>bytes.length);
  }

  fail(text: string): bool { this.reader.fail(text); return false; }
  failAt(offset: u32, text: string): bool { this.reader.failAt(offset, text); return false; }

  decode(): bool {
    const r = this.reader;
    if (r.remaining() < 4 || r.fixed32() != 0x6d736100) return this.failAt(0, "magic header not detected");
    if (r.remaining() < 4) return this.fail("unexpected end: binary version missing");
    if (r.fixed32() != 1) return this.failAt(4, "unknown binary version");
    const binaryEnd = r.end;
    let lastRank: u32 = 0;
    while (r.pos < binaryEnd) {
      const sectionStart = r.pos;
      this.context = "";
      const id = r.u8();
      if (id > <u32>SectionId.DataCount) return this.failAt(sectionStart, "malformed section id " + id.toString());
      this.section = id;
      this.context = "section " + id.toString();
      const size = r.u32();
      if (r.failed) return false;
      if (size > binaryEnd - r.pos) return this.failAt(sectionStart, "unexpected end: section size " + size.toString() + " exceeds the binary (length out of bounds)");
      const sectionEnd = r.pos + size;
      if (id != SectionId.Custom) {
        const rank = sectionRank(id);
        if (rank <= lastRank) return this.failAt(sectionStart, "unexpected content after last section: section out of order or repeated (junk after last section)");
        lastRank = rank;
      }
      r.end = sectionEnd;
      if (!this.decodeSection(id, sectionEnd) || r.failed) return false;
      if (r.pos != sectionEnd) return this.fail("section size mismatch: " + (sectionEnd - r.pos).toString() + " bytes left unread");
      r.end = binaryEnd;
    }
    this.context = "";
    return this.checkCounts();
  }

  checkCounts(): bool {
    const module = this.module;
    if (this.definedFunctions != <u32>module.bodies.length)
      return this.failAt(this.reader.end, "function and code section have inconsistent lengths (" +
        this.definedFunctions.toString() + " vs " + module.bodies.length.toString() + ")");
    if (module.dataCount >= 0 && module.dataCount != module.datas.length)
      return this.failAt(this.reader.end, "data count and data section have inconsistent lengths (" +
        module.dataCount.toString() + " vs " + module.datas.length.toString() + ")");
    return true;
  }

  decodeSection(id: u32, end: u32): bool {
    switch (id) {
      case SectionId.Custom: return this.customSection(end);
      case SectionId.Type: return this.typeSection();
      case SectionId.Import: return this.importSection();
      case SectionId.Function: return this.functionSection();
      case SectionId.Table: return this.tableSection();
      case SectionId.Memory: return this.memorySection();
      case SectionId.Global: return this.globalSection();
      case SectionId.Export: return this.exportSection();
      case SectionId.Start: return this.startSection();
      case SectionId.Element: return this.elementSection();
      case SectionId.DataCount: return this.dataCountSection();
      case SectionId.Code: return this.codeSection();
      case SectionId.Data: return this.dataSection();
    }
    return false;
  }

  /** A vector count: each item takes at least `minItemSize` bytes, and at most `limit` items. */
  count(minItemSize: u32, limit: u32, what: string): u32 {
    const r = this.reader;
    const start = r.pos;
    const n = r.count(minItemSize);
    if (n > limit) { r.failAt(start, "too many " + what + ": " + n.toString() + " (limit " + limit.toString() + ")"); return 0; }
    return n;
  }

  customSection(end: u32): bool {
    const r = this.reader;
    const custom = new CustomSection();
    custom.name = r.name();
    if (r.failed) return false;
    custom.start = r.pos;
    custom.length = end - r.pos;
    r.pos = end;
    this.module.customs.push(custom);
    return true;
  }

  valType(): u8 {
    const r = this.reader;
    const start = r.pos;
    const byte = r.u8();
    if (byte >= <u32>ValType.F64 && byte <= <u32>ValType.I32) return <u8>byte;
    if (!r.failed) r.failAt(start, "malformed value type 0x" + byte.toString(16));
    return 0;
  }

  typeSection(): bool {
    const r = this.reader;
    const module = this.module;
    const n = this.count(3, MAX_TYPES, "types");
    for (let i: u32 = 0; i < n && !r.failed; i++) {
      const start = r.pos;
      const form = r.u8();
      if (form != 0x60) return this.failAt(start, "malformed function type: expected 0x60, found 0x" + form.toString(16) + " (integer representation too long)");
      const type = new FuncType();
      const params = this.count(1, MAX_PARAMS, "parameters");
      for (let k: u32 = 0; k < params && !r.failed; k++) type.params.push(this.valType());
      const results = this.count(1, MAX_RESULTS, "results");
      for (let k: u32 = 0; k < results && !r.failed; k++) type.results.push(this.valType());
      module.types.push(type);
    }
    return !r.failed;
  }

  limits(limits: Limits): void {
    const r = this.reader;
    const start = r.pos;
    limits.offset = start;
    const flags = r.u8();
    if (flags > 1) { if (!r.failed) r.failAt(start, "malformed limits flags 0x" + flags.toString(16) + " (integer too large)"); return; }
    limits.min = r.u32();
    limits.hasMax = flags == 1;
    if (limits.hasMax) limits.max = r.u32();
  }

  tableType(): TableType {
    const r = this.reader;
    const table = new TableType();
    const start = r.pos;
    const elemType = r.u8();
    if (elemType != ValType.FuncRef && !r.failed) r.failAt(start, "malformed reference type 0x" + elemType.toString(16) + ": only funcref tables are supported");
    table.elemType = <u8>elemType;
    this.limits(table.limits);
    return table;
  }

  globalType(): GlobalType {
    const r = this.reader;
    const global = new GlobalType();
    global.valType = this.valType();
    const start = r.pos;
    const mutability = r.u8();
    if (mutability > 1 && !r.failed) r.failAt(start, "malformed mutability 0x" + mutability.toString(16));
    global.mutable = mutability == 1;
    return global;
  }

  importSection(): bool {
    const r = this.reader;
    const module = this.module;
    const n = this.count(4, MAX_IMPORTS, "imports");
    for (let i: u32 = 0; i < n && !r.failed; i++) {
      const item = new Import();
      item.offset = r.pos;
      item.module = r.name();
      item.name = r.name();
      const kindOffset = r.pos;
      const kind = r.u8();
      if (r.failed) return false;
      switch (kind) {
        case ExternKind.Func: {
          item.typeIndex = r.u32();
          module.funcTypes.push(item.typeIndex);
          module.numImportedFuncs++;
          break;
        }
        case ExternKind.Table: {
          const table = this.tableType();
          item.table = table;
          module.tables.push(table);
          module.numImportedTables++;
          break;
        }
        case ExternKind.Memory: {
          const memory = new MemoryType();
          this.limits(memory.limits);
          item.memory = memory;
          module.memories.push(memory);
          module.numImportedMemories++;
          break;
        }
        case ExternKind.Global: {
          const global = new Global();
          global.type = this.globalType();
          item.global = global.type;
          module.globals.push(global);
          module.numImportedGlobals++;
          break;
        }
        default: return this.failAt(kindOffset, "malformed import kind " + kind.toString());
      }
      item.kind = <ExternKind>kind;
      module.imports.push(item);
    }
    return !r.failed;
  }

  functionSection(): bool {
    const r = this.reader;
    const module = this.module;
    const n = this.count(1, MAX_FUNCTIONS, "functions");
    if (<u64>n + module.funcTypes.length > MAX_FUNCTIONS) return this.fail("too many functions");
    for (let i: u32 = 0; i < n && !r.failed; i++) module.funcTypes.push(r.u32());
    this.definedFunctions = n;
    this.hasFunctionSection = true;
    return !r.failed;
  }

  tableSection(): bool {
    const r = this.reader;
    const n = this.count(2, MAX_SEGMENTS, "tables");
    for (let i: u32 = 0; i < n && !r.failed; i++) this.module.tables.push(this.tableType());
    return !r.failed;
  }

  memorySection(): bool {
    const r = this.reader;
    const n = this.count(2, MAX_SEGMENTS, "memories");
    for (let i: u32 = 0; i < n && !r.failed; i++) {
      const memory = new MemoryType();
      this.limits(memory.limits);
      this.module.memories.push(memory);
    }
    return !r.failed;
  }

  /**
   * A constant expression: exactly one constant instruction and `end`, read
   * into `expr` (the one its owner already holds, rather than a new one).
   * Its type and the indices it names are checked by the validator.
   */
  constExpr(expr: ConstExpr): void {
    const r = this.reader;
    expr.offset = r.pos;
    const op = r.u8();
    switch (op) {
      case Op.I32Const: expr.kind = ConstKind.I32; expr.bits = <u64><u32>r.i32(); break;
      case Op.I64Const: expr.kind = ConstKind.I64; expr.bits = <u64>r.i64(); break;
      case Op.F32Const: expr.kind = ConstKind.F32; expr.bits = <u64>r.fixed32(); break;
      case Op.F64Const: expr.kind = ConstKind.F64; expr.bits = r.fixed64(); break;
      case Op.GlobalGet: expr.kind = ConstKind.GlobalGet; expr.index = r.u32(); break;
      case Op.RefFunc: expr.kind = ConstKind.RefFunc; expr.index = r.u32(); break;
      case Op.RefNull: {
        expr.kind = ConstKind.RefNull;
        const typeOffset = r.pos;
        const type = r.u8();
        if (type != ValType.FuncRef && !r.failed) r.failAt(typeOffset, "malformed reference type 0x" + type.toString(16));
        break;
      }
      case Op.End: if (!r.failed) r.failAt(expr.offset, "type mismatch: constant expression is empty"); return;
      default: if (!r.failed) r.failAt(expr.offset, "constant expression required: opcode 0x" + op.toString(16) + " is not constant"); return;
    }
    const endOffset = r.pos;
    if (r.u8() != Op.End && !r.failed) r.failAt(endOffset, "constant expression required: one instruction and end expected");
  }

  globalSection(): bool {
    const r = this.reader;
    const module = this.module;
    const n = this.count(3, MAX_GLOBALS, "globals");
    if (<u64>n + module.globals.length > MAX_GLOBALS) return this.fail("too many globals");
    for (let i: u32 = 0; i < n && !r.failed; i++) {
      const global = new Global();
      global.type = this.globalType();
      this.constExpr(global.init);
      if (global.init.kind == ConstKind.RefFunc) module.declaredFuncRefs.add(global.init.index);
      module.globals.push(global);
    }
    return !r.failed;
  }

  exportSection(): bool {
    const r = this.reader;
    const module = this.module;
    const n = this.count(3, MAX_EXPORTS, "exports");
    for (let i: u32 = 0; i < n && !r.failed; i++) {
      const item = new Export();
      item.offset = r.pos;
      item.name = r.name();
      const kindOffset = r.pos;
      const kind = r.u8();
      if (r.failed) return false;
      if (kind > <u32>ExternKind.Global) return this.failAt(kindOffset, "malformed export kind " + kind.toString());
      item.kind = <ExternKind>kind;
      item.index = r.u32();
      if (kind == ExternKind.Func) module.declaredFuncRefs.add(item.index);
      module.exports.push(item);
    }
    return !r.failed;
  }

  startSection(): bool {
    this.module.startOffset = this.reader.pos;
    const index = this.reader.u32();
    if (index > <u32>i32.MAX_VALUE) return this.fail("unknown function " + index.toString() + " (start)");
    this.module.startFunc = <i32>index;
    return !this.reader.failed;
  }

  elementSection(): bool {
    const r = this.reader;
    const module = this.module;
    const n = this.count(2, MAX_SEGMENTS, "element segments");
    for (let i: u32 = 0; i < n && !r.failed; i++) {
      const segment = new ElemSegment();
      segment.offset = r.pos;
      const flags = r.u32();
      if (r.failed) return false;
      // Bit 0: passive or declarative; bit 1: explicit table index (active)
      // or declarative; bit 2: element expressions instead of function indices.
      if (flags > 7) return this.failAt(segment.offset, "malformed elements segment kind " + flags.toString());
      if ((flags & 1) == 0) {
        segment.mode = SegmentMode.Active;
        if (flags & 2) segment.tableIndex = r.u32();
        this.constExpr(segment.offsetExpr);
      } else {
        segment.mode = flags & 2 ? SegmentMode.Declarative : SegmentMode.Passive;
      }
      const expressions = (flags & 4) != 0;
      if (flags & 3) {
        const typeOffset = r.pos;
        const type = r.u8();
        if (r.failed) return false;
        if (expressions && type != ValType.FuncRef) return this.failAt(typeOffset, "malformed reference type 0x" + type.toString(16));
        if (!expressions && type != 0) return this.failAt(typeOffset, "malformed element kind 0x" + type.toString(16));
      }
      segment.elemType = <u8>ValType.FuncRef;
      const itemsOffset = r.pos;
      const count = r.count(expressions ? 3 : 1);
      this.totalElementItems += count;
      if (this.totalElementItems > MAX_ELEMENT_ITEMS) return this.failAt(itemsOffset, "too many element segment items in the module (limit " + MAX_ELEMENT_ITEMS.toString() + ")");
      for (let k: u32 = 0; k < count && !r.failed; k++) {
        const item = new ConstExpr();
        if (expressions) this.constExpr(item);
        else {
          item.offset = r.pos;
          item.kind = ConstKind.RefFunc;
          item.index = r.u32();
        }
        if (item.kind == ConstKind.RefFunc) module.declaredFuncRefs.add(item.index);
        segment.items.push(item);
      }
      module.elems.push(segment);
    }
    return !r.failed;
  }

  dataCountSection(): bool {
    const r = this.reader;
    const count = r.u32();
    if (count > MAX_SEGMENTS) return this.fail("too many data segments: " + count.toString());
    this.module.dataCount = <i32>count;
    return !r.failed;
  }

  codeSection(): bool {
    const r = this.reader;
    const module = this.module;
    const sectionStart = r.pos;
    const n = this.count(2, MAX_FUNCTIONS, "function bodies");
    if (r.failed) return false;
    if (n != this.definedFunctions)
      return this.failAt(sectionStart, "function and code section have inconsistent lengths (" +
        this.definedFunctions.toString() + " vs " + n.toString() + ")");
    const sectionEnd = r.end;
    for (let i: u32 = 0; i < n; i++) {
      const body = new FunctionBody();
      body.offset = r.pos;
      body.typeIndex = module.funcTypes[module.numImportedFuncs + i];
      const size = r.u32();
      if (r.failed) return false;
      if (size > r.remaining()) return this.failAt(body.offset, "unexpected end: function body size " + size.toString() + " exceeds the section (length out of bounds)");
      if (size > MAX_BODY_SIZE) return this.failAt(body.offset, "function body too large: " + size.toString() + " bytes (limit " + MAX_BODY_SIZE.toString() + ")");
      const bodyEnd = r.pos + size;
      r.end = bodyEnd;
      if (!this.locals(body)) return false;
      body.codeStart = r.pos;
      body.codeEnd = bodyEnd;
      if (bodyEnd == body.codeStart) return this.failAt(bodyEnd, "unexpected end of section or function: function body has no end");
      r.pos = bodyEnd;
      r.end = sectionEnd;
      module.bodies.push(body);
    }
    return true;
  }

  /** The local declarations of a body: groups of (count, type), expanded into body.locals. */
  locals(body: FunctionBody): bool {
    const r = this.reader;
    const groupsOffset = r.pos;
    const groups = r.count(2);
    if (r.failed) return false;
    let total: u64 = 0;
    const start = r.pos;
    for (let g: u32 = 0; g < groups; g++) {
      const offset = r.pos;
      total += r.u32();
      this.valType();
      if (r.failed) return false;
      if (total > MAX_FUNCTION_LOCALS) return this.failAt(offset, "too many locals: " + total.toString() + " (limit " + MAX_FUNCTION_LOCALS.toString() + ")");
    }
    this.totalLocals += total;
    if (this.totalLocals > MAX_MODULE_LOCALS) return this.failAt(groupsOffset, "too many locals in the module (limit " + MAX_MODULE_LOCALS.toString() + ")");
    if (total == 0) return true;
    // Second pass, now that the counts are known good: expand.
    const locals = new Array<u8>(<i32>total);
    const end = r.pos;
    r.pos = start;
    let at = 0;
    for (let g: u32 = 0; g < groups; g++) {
      const count = <i32>r.u32();
      const type = <u8>r.u8();
      for (let k = 0; k < count; k++) setAt(locals, at + k, type);
      at += count;
    }
    r.pos = end;
    body.locals = locals;
    return true;
  }

  /**
   * Whether a data segment whose first field is 1 is bulk memory's passive
   * segment, or the MVP's active segment for memory 1 (invalid: there is one
   * memory at most). The byte strings can be read both ways, and the MVP
   * spec tests include such a segment crafted to be well formed both ways.
   * With a data count section the bulk-memory reading always wins; without
   * one, the MVP reading wins only when it is well formed and ends exactly
   * where the passive reading ends.
   */
  passiveDataSegment(): bool {
    if (this.module.dataCount >= 0) return true;
    const r = this.reader;
    const passive = new Reader(this.module.bytes, r.pos, r.end);
    passive.skip(passive.u32());
    const mvp = new Reader(this.module.bytes, r.pos, r.end);
    const op = mvp.u8();
    if (op == Op.I32Const) mvp.i32();
    else if (op == Op.I64Const) mvp.i64();
    else if (op == Op.F32Const) mvp.fixed32();
    else if (op == Op.F64Const) mvp.fixed64();
    else if (op == Op.GlobalGet) mvp.u32();
    else return true;
    if (mvp.u8() != Op.End) return true;
    mvp.skip(mvp.u32());
    return mvp.failed || passive.failed || mvp.pos != passive.pos;
  }

  dataSection(): bool {
    const r = this.reader;
    const module = this.module;
    const n = this.count(2, MAX_SEGMENTS, "data segments");
    if (module.dataCount >= 0 && <u32>module.dataCount != n)
      return this.fail("data count and data section have inconsistent lengths (" +
        module.dataCount.toString() + " vs " + n.toString() + ")");
    for (let i: u32 = 0; i < n && !r.failed; i++) {
      const segment = new DataSegment();
      segment.offset = r.pos;
      const flags = r.u32();
      if (r.failed) return false;
      if (flags > 2) return this.failAt(segment.offset, "malformed data segment kind " + flags.toString());
      if (flags == 1 && !this.passiveDataSegment()) {
        // In the MVP this field was a memory index; see passiveDataSegment.
        segment.mode = SegmentMode.Active;
        segment.memoryIndex = flags;
        this.constExpr(segment.offsetExpr);
      } else if (flags == 1) {
        segment.mode = SegmentMode.Passive;
      } else {
        segment.mode = SegmentMode.Active;
        if (flags == 2) segment.memoryIndex = r.u32();
        this.constExpr(segment.offsetExpr);
      }
      const length = r.u32();
      segment.dataStart = r.pos;
      segment.dataLength = length;
      if (!r.skip(length)) return false;
      module.datas.push(segment);
    }
    return !r.failed;
  }
}
