// Reads a `delos` component (docs/delos-format.md) into memory, validating
// everything the loader will later rely on: indices against their index
// spaces, constant expressions against their uses, code ranges against the
// code blob, the vmctx layout against the module's counts. After
// readComponent succeeds, instantiation can index every array without
// checking again. A corrupt component gives null and loaderError().

import {
  ConstExpr, ConstKind, ExternKind, FuncType, GlobalType, Limits, SegmentMode, TableType, ValType,
} from "../compiler/src/module";
import { VMCTX_HEADER_SIZE, VmctxLayout } from "../compiler/src/abi";
import {
  COMPONENT_EXPLICIT_BOUNDS, COMPONENT_KNOWN_FLAGS, COMPONENT_MAGIC, COMPONENT_MAX_VMCTX,
  COMPONENT_NONE, COMPONENT_PRIVILEGED, COMPONENT_VERSION, Section, sectionName,
} from "../compiler/src/link/format";
import { ByteReader } from "./reader";

const MAX_PAGES: u32 = 65536;

export class ComponentImport {
  module: string = "";
  name: string = "";
  kind: ExternKind = ExternKind.Func;
  /** Functions: the type index. */
  typeIndex: u32 = 0;
  /** Tables, memories and globals: index in their own index space. */
  index: u32 = 0;
}

export class ComponentFunction {
  typeIndex: u32 = 0;
  codeOffset: u32 = 0;
  codeSize: u32 = 0;
}

export class ComponentExport {
  name: string = "";
  kind: ExternKind = ExternKind.Func;
  index: u32 = 0;
  codeOffset: u32 = COMPONENT_NONE;
}

export class ElementSegment {
  mode: SegmentMode = SegmentMode.Active;
  tableIndex: u32 = 0;
  offset: ConstExpr = new ConstExpr();
  elemType: u8 = <u8>ValType.FuncRef;
  items: ConstExpr[] = [];
}

export class DataSegment {
  mode: SegmentMode = SegmentMode.Active;
  memoryIndex: u32 = 0;
  offset: ConstExpr = new ConstExpr();
  /** Where the bytes lie in CompiledComponent.bytes. */
  start: i32 = 0;
  length: u32 = 0;
}

/**
 * A compiled component as read from its bytes: code, types, imports,
 * exports, segments, vmctx layout and pc map, shared by every instance of
 * it. Not the running component: the kernel's `Component`
 * (kernel/component/component.ts) is one instance with its memory, threads
 * and rights, and holds its CompiledComponent in `compiled`.
 */
export class CompiledComponent {
  bytes: Uint8Array;
  explicitBounds: bool = false;
  privileged: bool = false;
  types: FuncType[] = [];
  imports: ComponentImport[] = [];
  /** Type index of every function, imports first. */
  funcTypes: u32[] = [];
  numImportedFuncs: u32 = 0;
  /** Defined functions; function index numImportedFuncs + i. */
  functions: ComponentFunction[] = [];
  /** Every table, imports first (at most one). */
  tables: TableType[] = [];
  numImportedTables: u32 = 0;
  /** Every memory, imports first (at most one). */
  memories: Limits[] = [];
  numImportedMemories: u32 = 0;
  /** Every global, imports first. */
  globals: GlobalType[] = [];
  numImportedGlobals: u32 = 0;
  /** Initialisers of the defined globals. */
  globalInits: ConstExpr[] = [];
  exports: ComponentExport[] = [];
  /** Function index of the start function, or -1. */
  start: i32 = -1;
  elements: ElementSegment[] = [];
  datas: DataSegment[] = [];
  layout: VmctxLayout = new VmctxLayout();
  /** The code blob's range in `bytes`. */
  codeStart: i32 = 0;
  codeLength: u32 = 0;
  /** The pc map, one entry per index, sorted by native offset. */
  pcNative: Uint32Array = new Uint32Array(0);
  pcFunction: Uint32Array = new Uint32Array(0);
  pcWasm: Uint32Array = new Uint32Array(0);
  /** Where the loader mapped the code (0 until then); every instance shares it. */
  mappedCode: u64 = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get functionCount(): u32 { return <u32>this.funcTypes.length; }

  funcType(funcIndex: u32): FuncType { return this.types[this.funcTypes[funcIndex]]; }

  findExport(name: string): ComponentExport | null {
    for (let i = 0; i < this.exports.length; i++) if (this.exports[i].name == name) return this.exports[i];
    return null;
  }

  /** Index of the last pc map entry at or before `nativeOffset`, or -1. */
  lookupPc(nativeOffset: u32): i32 {
    let low = 0;
    let high = this.pcNative.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.pcNative[middle] <= nativeOffset) { found = middle; low = middle + 1; }
      else high = middle - 1;
    }
    return found;
  }

  /** Function index of the defined function whose code holds `nativeOffset`, or -1. */
  functionAt(nativeOffset: u32): i32 {
    for (let i = 0; i < this.functions.length; i++) {
      const f = this.functions[i];
      if (nativeOffset >= f.codeOffset && nativeOffset - f.codeOffset < f.codeSize) return <i32>this.numImportedFuncs + i;
    }
    return -1;
  }
}

function isValType(type: u32): bool {
  return type == ValType.I32 || type == ValType.I64 || type == ValType.F32 || type == ValType.F64
    || type == ValType.FuncRef || type == ValType.ExternRef;
}

function isRefType(type: u32): bool {
  return type == ValType.FuncRef || type == ValType.ExternRef;
}

function readValType(reader: ByteReader): u8 {
  const type = reader.u8();
  if (!reader.failed && !isValType(type)) reader.fail("unknown value type 0x" + type.toString(16));
  return <u8>type;
}

function readLimits(reader: ByteReader, maximum: u32, what: string): Limits {
  const limits = new Limits();
  const flags = reader.u8();
  limits.min = reader.u32();
  limits.max = reader.u32();
  if (reader.failed) return limits;
  if (flags > 1) { reader.fail("bad " + what + " limits flags"); return limits; }
  limits.hasMax = flags == 1;
  if (!limits.hasMax && limits.max != 0) reader.fail(what + " maximum given without its flag");
  else if (limits.min > maximum || (limits.hasMax && limits.max > maximum)) reader.fail(what + " limits too large");
  else if (limits.hasMax && limits.max < limits.min) reader.fail(what + " maximum below its minimum");
  return limits;
}

function readTableType(reader: ByteReader): TableType {
  const table = new TableType();
  table.elemType = readValType(reader);
  if (!reader.failed && !isRefType(table.elemType)) reader.fail("table of a non-reference type");
  table.limits = readLimits(reader, 0xffffffff, "table");
  return table;
}

function readGlobalType(reader: ByteReader): GlobalType {
  const global = new GlobalType();
  global.valType = readValType(reader);
  const mutable = reader.u8();
  if (!reader.failed && mutable > 1) reader.fail("bad global mutability");
  global.mutable = mutable == 1;
  return global;
}

function readConstExpr(reader: ByteReader): ConstExpr {
  const expr = new ConstExpr();
  expr.offset = <u32>reader.position;
  const kind = reader.u8();
  const value = reader.u64();
  if (reader.failed) return expr;
  if (kind > <u32>ConstKind.RefFunc) { reader.fail("unknown constant expression kind " + kind.toString()); return expr; }
  expr.kind = <ConstKind>kind;
  switch (expr.kind) {
    case ConstKind.I32:
    case ConstKind.F32:
      if (value > 0xffffffff) reader.fail("32-bit constant with high bits set");
      expr.bits = value;
      break;
    case ConstKind.I64:
    case ConstKind.F64:
      expr.bits = value;
      break;
    case ConstKind.GlobalGet:
    case ConstKind.RefFunc:
      if (value > 0xffffffff) reader.fail("index too large");
      expr.index = <u32>value;
      break;
    default:
      if (value != 0) reader.fail("ref.null with a value");
  }
  return expr;
}

/** The value type a constant expression produces in `component`, or 0 when it is malformed there. */
function constExprType(component: CompiledComponent, expr: ConstExpr): u32 {
  switch (expr.kind) {
    case ConstKind.I32: return ValType.I32;
    case ConstKind.I64: return ValType.I64;
    case ConstKind.F32: return ValType.F32;
    case ConstKind.F64: return ValType.F64;
    case ConstKind.GlobalGet:
      // Only imported globals are initialised before any initialiser runs.
      if (expr.index >= component.numImportedGlobals) return 0;
      return <u32>component.globals[expr.index].valType;
    case ConstKind.RefNull: return ValType.FuncRef;
    case ConstKind.RefFunc: return expr.index < component.functionCount ? <u32>ValType.FuncRef : 0;
  }
  return 0;
}

function checkConstExpr(reader: ByteReader, component: CompiledComponent, expr: ConstExpr, type: u32, what: string): void {
  if (reader.failed) return;
  const actual = constExprType(component, expr);
  const matches = actual == type || (expr.kind == ConstKind.RefNull && isRefType(type));
  if (!matches) {
    reader.position = <i32>expr.offset;
    reader.fail(what + " has the wrong type or a bad index");
  }
}

/** Reads `id`'s header and returns a reader limited to its body (failed reader on error). */
function openSection(reader: ByteReader, id: Section): ByteReader {
  const actual = reader.u8();
  const size = reader.u32();
  if (reader.failed) return reader;
  if (actual != <u32>id) {
    reader.fail("expected the " + sectionName(id) + " section, found id " + actual.toString());
    return reader;
  }
  if (size > <u32>reader.remaining) {
    reader.fail(sectionName(id) + " section size " + size.toString() + " exceeds the component");
    return reader;
  }
  const start = reader.skip(size);
  return new ByteReader(reader.bytes, start, start + <i32>size);
}

function closeSection(outer: ByteReader, section: ByteReader, id: Section): bool {
  if (section.failed || outer.failed) return false;
  if (section.remaining != 0) {
    section.fail(sectionName(id) + " section has " + section.remaining.toString() + " bytes left over");
    return false;
  }
  return true;
}

function readTypes(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(8);
  for (let i = 0; i < count && !section.failed; i++) {
    const type = new FuncType();
    const params = section.count(1);
    for (let k = 0; k < params && !section.failed; k++) type.params.push(readValType(section));
    const results = section.count(1);
    for (let k = 0; k < results && !section.failed; k++) type.results.push(readValType(section));
    component.types.push(type);
  }
}

function readImports(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(10);
  for (let i = 0; i < count && !section.failed; i++) {
    const entry = new ComponentImport();
    entry.module = section.string();
    entry.name = section.string();
    const kind = section.u8();
    if (section.failed) return;
    if (kind > <u32>ExternKind.Global) { section.fail("unknown import kind " + kind.toString()); return; }
    entry.kind = <ExternKind>kind;
    switch (entry.kind) {
      case ExternKind.Func: {
        entry.typeIndex = section.u32();
        if (!section.failed && entry.typeIndex >= <u32>component.types.length) section.fail("unknown type " + entry.typeIndex.toString());
        entry.index = component.numImportedFuncs++;
        component.funcTypes.push(entry.typeIndex);
        break;
      }
      case ExternKind.Table: {
        entry.index = component.numImportedTables++;
        component.tables.push(readTableType(section));
        break;
      }
      case ExternKind.Memory: {
        entry.index = component.numImportedMemories++;
        component.memories.push(readLimits(section, MAX_PAGES, "memory"));
        break;
      }
      case ExternKind.Global: {
        entry.index = component.numImportedGlobals++;
        component.globals.push(readGlobalType(section));
        break;
      }
    }
    component.imports.push(entry);
  }
}

function readFunctions(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(12);
  for (let i = 0; i < count && !section.failed; i++) {
    const f = new ComponentFunction();
    f.typeIndex = section.u32();
    f.codeOffset = section.u32();
    f.codeSize = section.u32();
    if (!section.failed && f.typeIndex >= <u32>component.types.length) section.fail("unknown type " + f.typeIndex.toString());
    component.functions.push(f);
    component.funcTypes.push(f.typeIndex);
  }
}

function readTables(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(10);
  for (let i = 0; i < count && !section.failed; i++) component.tables.push(readTableType(section));
  if (!section.failed && component.tables.length > 1) section.fail("more than one table");
}

function readMemories(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(9);
  for (let i = 0; i < count && !section.failed; i++) component.memories.push(readLimits(section, MAX_PAGES, "memory"));
  if (!section.failed && component.memories.length > 1) section.fail("more than one memory");
}

function readGlobals(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(11);
  for (let i = 0; i < count && !section.failed; i++) {
    const type = readGlobalType(section);
    const init = readConstExpr(section);
    checkConstExpr(section, component, init, type.valType, "global initialiser");
    component.globals.push(type);
    component.globalInits.push(init);
  }
}

function readExports(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(13);
  for (let i = 0; i < count && !section.failed; i++) {
    const entry = new ComponentExport();
    entry.name = section.string();
    const kind = section.u8();
    entry.index = section.u32();
    entry.codeOffset = section.u32();
    if (section.failed) return;
    if (kind > <u32>ExternKind.Global) { section.fail("unknown export kind " + kind.toString()); return; }
    entry.kind = <ExternKind>kind;
    let space: u32 = 0;
    switch (entry.kind) {
      case ExternKind.Func: space = component.functionCount; break;
      case ExternKind.Table: space = <u32>component.tables.length; break;
      case ExternKind.Memory: space = <u32>component.memories.length; break;
      case ExternKind.Global: space = <u32>component.globals.length; break;
    }
    if (entry.index >= space) { section.fail("export " + entry.name + " names an unknown index"); return; }
    let expected = COMPONENT_NONE;
    if (entry.kind == ExternKind.Func && entry.index >= component.numImportedFuncs) {
      expected = component.functions[<i32>(entry.index - component.numImportedFuncs)].codeOffset;
    }
    if (entry.codeOffset != expected) { section.fail("export " + entry.name + " has a wrong code offset"); return; }
    component.exports.push(entry);
  }
}

function readStart(section: ByteReader, component: CompiledComponent): void {
  const start = section.u32();
  if (section.failed || start == COMPONENT_NONE) return;
  if (start >= component.functionCount) { section.fail("unknown start function"); return; }
  const type = component.funcType(start);
  if (type.params.length != 0 || type.results.length != 0) { section.fail("start function is not [] -> []"); return; }
  component.start = <i32>start;
}

function readSegmentMode(section: ByteReader, allowDeclarative: bool): SegmentMode {
  const mode = section.u8();
  if (!section.failed && (mode > 2 || (mode == 2 && !allowDeclarative))) section.fail("unknown segment mode " + mode.toString());
  return <SegmentMode>mode;
}

function readElements(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(19);
  for (let i = 0; i < count && !section.failed; i++) {
    const segment = new ElementSegment();
    segment.mode = readSegmentMode(section, true);
    segment.tableIndex = section.u32();
    segment.offset = readConstExpr(section);
    segment.elemType = readValType(section);
    if (section.failed) return;
    if (!isRefType(segment.elemType)) { section.fail("element segment of a non-reference type"); return; }
    if (segment.mode == SegmentMode.Active) {
      if (segment.tableIndex >= <u32>component.tables.length) { section.fail("element segment for an unknown table"); return; }
      if (component.tables[segment.tableIndex].elemType != segment.elemType) { section.fail("element segment type differs from its table"); return; }
      checkConstExpr(section, component, segment.offset, ValType.I32, "element segment offset");
    }
    const items = section.count(9);
    for (let k = 0; k < items && !section.failed; k++) {
      const item = readConstExpr(section);
      checkConstExpr(section, component, item, segment.elemType, "element");
      segment.items.push(item);
    }
    component.elements.push(segment);
  }
}

function readData(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(18);
  for (let i = 0; i < count && !section.failed; i++) {
    const segment = new DataSegment();
    segment.mode = readSegmentMode(section, false);
    segment.memoryIndex = section.u32();
    segment.offset = readConstExpr(section);
    segment.length = section.u32();
    segment.start = section.skip(segment.length);
    if (section.failed) return;
    if (segment.mode == SegmentMode.Active) {
      if (segment.memoryIndex >= <u32>component.memories.length) { section.fail("data segment for an unknown memory"); return; }
      checkConstExpr(section, component, segment.offset, ValType.I32, "data segment offset");
    }
    component.datas.push(segment);
  }
}

function readVmctx(section: ByteReader, component: CompiledComponent): void {
  const layout = component.layout;
  layout.typeIds = <i32>section.u32();
  layout.importedFuncs = <i32>section.u32();
  layout.globals = <i32>section.u32();
  layout.dataDropped = <i32>section.u32();
  layout.elemDropped = <i32>section.u32();
  const size = section.u32();
  if (section.failed) return;
  if (size > COMPONENT_MAX_VMCTX) { section.fail("vmctx too large"); return; }
  layout.size = <i32>size;
  // Each part starts where it may and is large enough for its entries; in
  // u64 arithmetic so that corrupt offsets cannot wrap.
  const starts: u64[] = [
    <u64><u32>layout.typeIds, <u64><u32>layout.importedFuncs, <u64><u32>layout.globals,
    <u64><u32>layout.dataDropped, <u64><u32>layout.elemDropped, <u64>size,
  ];
  const sizes: u64[] = [
    8 * <u64>component.types.length, 16 * <u64>component.numImportedFuncs, 8 * <u64>component.globals.length,
    8 * <u64>component.datas.length, 8 * <u64>component.elements.length,
  ];
  if (starts[0] < <u64>VMCTX_HEADER_SIZE) { section.fail("vmctx parts overlap its header"); return; }
  for (let i = 0; i < 5; i++) {
    if ((starts[i] & 7) != 0) { section.fail("vmctx part not 8-byte aligned"); return; }
    if (starts[i] + sizes[i] > starts[i + 1]) { section.fail("vmctx parts overlap or exceed its size"); return; }
  }
}

function readPcMap(section: ByteReader, component: CompiledComponent): void {
  const count = section.count(3);
  if (section.failed) return;
  const natives = new Uint32Array(count);
  const functions = new Uint32Array(count);
  const wasms = new Uint32Array(count);
  let native: u64 = 0;
  let func: i64 = 0;
  let wasm: i64 = 0;
  const functionCount = <i64>component.functionCount;
  const data = section.bytes.dataStart;
  for (let i = 0; i < count; i++) {
    // Most entries are three one-byte LEBs: decoded here without the reader's
    // per-byte checks (every process start reads the whole map); any longer
    // one goes through the reader, which checks it.
    const at = section.position;
    const bytes = data + <usize>at;
    const short = section.end - at >= 3 ? <u32>load<u8>(bytes) | <u32>load<u8>(bytes, 1) << 8 | <u32>load<u8>(bytes, 2) << 16 : 0x80;
    if ((short & 0x808080) == 0) {
      native += <u64>(short & 0x7f);
      func += <i64>((<i32>(short << 17)) >> 25); // bits 8-14, sign-extended from bit 6
      wasm += <i64>((<i32>(short << 9)) >> 25); // bits 16-22
      section.position = at + 3;
    } else {
      native += section.uleb();
      func += section.sleb();
      wasm += section.sleb();
      if (section.failed) return;
    }
    if (native > <u64>component.codeLength) { section.fail("pc map entry beyond the code"); return; }
    if (func < 0 || func >= functionCount) { section.fail("pc map entry for an unknown function"); return; }
    if (wasm < 0 || wasm > 0xffffffff) { section.fail("pc map wasm offset out of range"); return; }
    natives[i] = <u32>native;
    functions[i] = <u32>func;
    wasms[i] = <u32>wasm;
  }
  component.pcNative = natives;
  component.pcFunction = functions;
  component.pcWasm = wasms;
}

function checkFunctionCode(reader: ByteReader, component: CompiledComponent): void {
  for (let i = 0; i < component.functions.length; i++) {
    const f = component.functions[i];
    if (<u64>f.codeOffset + <u64>f.codeSize > <u64>component.codeLength) {
      reader.fail("function " + (<u32>i + component.numImportedFuncs).toString() + " lies outside the code");
      return;
    }
  }
}

/** Reads and validates a component; null (and loaderError()) when it is corrupt. */
export function readComponent(bytes: Uint8Array): CompiledComponent | null {
  const component = new CompiledComponent(bytes);
  const reader = new ByteReader(bytes, 0, bytes.length);
  const magic = reader.u32();
  const version = reader.u32();
  const flags = reader.u32();
  if (reader.failed) return null;
  if (magic != COMPONENT_MAGIC) { reader.position = 0; reader.fail("not a delos component (bad magic)"); return null; }
  if (version != COMPONENT_VERSION) { reader.position = 4; reader.fail("unsupported version " + version.toString()); return null; }
  if ((flags & ~COMPONENT_KNOWN_FLAGS) != 0) { reader.position = 8; reader.fail("unknown flags 0x" + flags.toString(16)); return null; }
  component.explicitBounds = (flags & COMPONENT_EXPLICIT_BOUNDS) != 0;
  component.privileged = (flags & COMPONENT_PRIVILEGED) != 0;

  for (let id = 1; id <= <i32>Section.Count; id++) {
    const section = openSection(reader, <Section>id);
    if (reader.failed) return null;
    switch (id) {
      case Section.Types: readTypes(section, component); break;
      case Section.Imports: readImports(section, component); break;
      case Section.Functions: readFunctions(section, component); break;
      case Section.Tables: readTables(section, component); break;
      case Section.Memories: readMemories(section, component); break;
      case Section.Globals: readGlobals(section, component); break;
      case Section.Exports: readExports(section, component); break;
      case Section.Start: readStart(section, component); break;
      case Section.Elements: readElements(section, component); break;
      case Section.Data: readData(section, component); break;
      case Section.Vmctx: readVmctx(section, component); break;
      case Section.Code: {
        component.codeStart = section.position;
        component.codeLength = <u32>section.remaining;
        section.position = section.end;
        checkFunctionCode(section, component);
        break;
      }
      case Section.PcMap: readPcMap(section, component); break;
    }
    if (!closeSection(reader, section, <Section>id)) return null;
  }
  if (reader.remaining != 0) { reader.fail("bytes after the last section"); return null; }
  return component;
}
