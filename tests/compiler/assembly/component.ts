// Test program for the component writer and the loader, run in V8 by
// tests/compiler/component.test.ts. It builds modules by hand (no decoder or
// generator needed), writes them as components, reads them back, corrupts
// them, and instantiates them on a platform that keeps every "absolute"
// address inside this program's own memory and never runs native code.
//
// Each exported test returns 0 on success, otherwise a failure whose text
// is at messagePtr()/messageLength().

import {
  ConstExpr, ConstKind, DataSegment, ElemSegment, Export, ExternKind, FuncType, Global, GlobalType,
  Import, MemoryType, Module, SegmentMode, TableType, ValType,
} from "../../../sdk/compiler/src/module";
import { BoundsMode, CompiledCode, CompiledFunction, CompileOptions, PcMapEntry } from "../../../sdk/compiler/src/compiled";
import {
  ELEMENT_CODE, ELEMENT_SIZE, ELEMENT_TYPE_ID, ELEMENT_VMCTX, VMCTX_MEMORY_BASE, VMCTX_RUNTIME,
  VMCTX_TABLE, vmctxLayout,
} from "../../../sdk/compiler/src/abi";
import { writeComponent } from "../../../sdk/compiler/src/link/component";
import {
  Access, CompiledComponent, Linker, Platform, instantiate, loaderError, readComponent,
} from "../../../sdk/loader/index";

// ---------------------------------------------------------------------------
// Reporting

let message = "";
let messageBytes = new ArrayBuffer(0);

function failure(text: string): i32 {
  message = text;
  messageBytes = String.UTF8.encode(text);
  return 1;
}
export function messagePtr(): usize { return changetype<usize>(messageBytes); }
export function messageLength(): i32 { return messageBytes.byteLength; }

// ---------------------------------------------------------------------------
// A platform inside this program's memory

const SERVICES: u64 = 0x5e5e;

class TestPlatform extends Platform {
  reserved: i32 = 0;
  codeRanges: i32 = 0;
  invocations: i32 = 0;

  address(local: usize): u64 { return <u64>local; }
  reserve(bytes: u64): u64 {
    this.reserved++;
    // A memory reservation is 8 GiB; the tests use at most 2 pages of it.
    const size = bytes > 0x40000 ? 0x20000 : <i32>bytes;
    return <u64>changetype<usize>(new ArrayBuffer(size));
  }
  protect(address: u64, bytes: u64, access: Access): bool { return true; }
  copyIn(destination: u64, source: usize, length: usize): void { memory.copy(<usize>destination, source, length); }
  load64(address: u64): u64 { return load<u64>(<usize>address); }
  store64(address: u64, value: u64): void { store<u64>(<usize>address, value); }
  registerCode(start: u64, end: u64): bool { this.codeRanges++; return true; }
  services(): u64 { return SERVICES; }
  invoke(code: u64, vmctx: u64, slots: u64, count: i32): i32 { this.invocations++; return 0; }
  trapPc(): u64 { return 0; }
}

// ---------------------------------------------------------------------------
// Building modules by hand

function funcType(params: u8[], results: u8[]): FuncType {
  const type = new FuncType();
  type.params = params;
  type.results = results;
  return type;
}

function constant(kind: ConstKind, bits: u64, index: u32): ConstExpr {
  const expr = new ConstExpr();
  expr.kind = kind;
  expr.bits = bits;
  expr.index = index;
  return expr;
}

function addImport(module: Module, from: string, name: string, kind: ExternKind): Import {
  const entry = new Import();
  entry.module = from;
  entry.name = name;
  entry.kind = kind;
  module.imports.push(entry);
  return entry;
}

function importFunc(module: Module, from: string, name: string, typeIndex: u32): void {
  addImport(module, from, name, ExternKind.Func).typeIndex = typeIndex;
  module.funcTypes.push(typeIndex);
  module.numImportedFuncs++;
}

function importGlobal(module: Module, from: string, name: string, valType: u8, mutable: bool): void {
  const type = new GlobalType();
  type.valType = valType;
  type.mutable = mutable;
  addImport(module, from, name, ExternKind.Global).global = type;
  const global = new Global();
  global.type = type;
  module.globals.push(global);
  module.numImportedGlobals++;
}

function importMemory(module: Module, from: string, name: string, min: u32, hasMax: bool, max: u32): void {
  const type = new MemoryType();
  type.limits.min = min;
  type.limits.hasMax = hasMax;
  type.limits.max = max;
  addImport(module, from, name, ExternKind.Memory).memory = type;
  module.memories.push(type);
  module.numImportedMemories++;
}

function importTable(module: Module, from: string, name: string, min: u32): void {
  const type = new TableType();
  type.limits.min = min;
  addImport(module, from, name, ExternKind.Table).table = type;
  module.tables.push(type);
  module.numImportedTables++;
}

function defineGlobal(module: Module, valType: u8, mutable: bool, init: ConstExpr): void {
  const global = new Global();
  global.type.valType = valType;
  global.type.mutable = mutable;
  global.init = init;
  module.globals.push(global);
}

function defineMemory(module: Module, min: u32, hasMax: bool, max: u32): void {
  const type = new MemoryType();
  type.limits.min = min;
  type.limits.hasMax = hasMax;
  type.limits.max = max;
  module.memories.push(type);
}

function defineTable(module: Module, min: u32, hasMax: bool, max: u32): void {
  const type = new TableType();
  type.limits.min = min;
  type.limits.hasMax = hasMax;
  type.limits.max = max;
  module.tables.push(type);
}

function exportOf(module: Module, name: string, kind: ExternKind, index: u32): void {
  const entry = new Export();
  entry.name = name;
  entry.kind = kind;
  entry.index = index;
  module.exports.push(entry);
}

function elementSegment(module: Module, mode: SegmentMode, offset: ConstExpr, functions: i32[]): void {
  const segment = new ElemSegment();
  segment.mode = mode;
  segment.offsetExpr = offset;
  for (let i = 0; i < functions.length; i++) {
    segment.items.push(functions[i] < 0 ? constant(ConstKind.RefNull, 0, 0) : constant(ConstKind.RefFunc, 0, <u32>functions[i]));
  }
  module.elems.push(segment);
}

/** A data segment whose bytes are `start..start+length` of the module's bytes. */
function dataSegment(module: Module, mode: SegmentMode, offset: ConstExpr, start: u32, length: u32): void {
  const segment = new DataSegment();
  segment.mode = mode;
  segment.offsetExpr = offset;
  segment.dataStart = start;
  segment.dataLength = length;
  module.datas.push(segment);
}

/** Compiled code for `module`'s defined functions: 16 bytes each, pc map entries inside them. */
function compile(module: Module, bounds: BoundsMode, privileged: bool): CompiledCode {
  const options = new CompileOptions();
  options.bounds = bounds;
  options.privileged = privileged;
  const code = new CompiledCode(module, options, vmctxLayout(module));
  const defined = module.funcTypes.length - <i32>module.numImportedFuncs;
  code.code = new Uint8Array(defined * 16 + 8);
  for (let i = 0; i < code.code.length; i++) code.code[i] = <u8>(i * 7 + 3);
  for (let i = 0; i < defined; i++) {
    const f = new CompiledFunction();
    f.funcIndex = module.numImportedFuncs + <u32>i;
    f.codeOffset = <u32>(8 + i * 16);
    f.codeSize = 16;
    code.functions.push(f);
    // Two entries per function; wasm offsets go down as well as up.
    for (let k = 0; k < 2; k++) {
      const entry = new PcMapEntry();
      entry.nativeOffset = f.codeOffset + <u32>(k * 5);
      entry.funcIndex = f.funcIndex;
      entry.wasmOffset = <u32>(1000 - i * 40 + k * 300);
      code.pcMap.push(entry);
    }
  }
  return code;
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text));
}

/** A module using every part of the format. */
function fullModule(): Module {
  const module = new Module(bytesOf("....hello, components....\u00e9"));
  module.types.push(funcType([], []));
  module.types.push(funcType([<u8>ValType.I32, <u8>ValType.I64], [<u8>ValType.F32, <u8>ValType.F64]));
  module.types.push(funcType([<u8>ValType.I32], [<u8>ValType.I32]));
  importFunc(module, "env", "f\u00e9", 1);
  importGlobal(module, "env", "g", <u8>ValType.I32, false);
  importGlobal(module, "env", "h", <u8>ValType.F64, true);
  importMemory(module, "env", "memory", 1, true, 3);
  importTable(module, "env", "table", 4);
  for (let i = 0; i < 3; i++) module.funcTypes.push(<u32>i);
  defineGlobal(module, <u8>ValType.I32, true, constant(ConstKind.GlobalGet, 0, 0));
  defineGlobal(module, <u8>ValType.I64, false, constant(ConstKind.I64, 0x8000000000000001, 0));
  defineGlobal(module, <u8>ValType.F32, false, constant(ConstKind.F32, 0x7fc00001, 0));
  defineGlobal(module, <u8>ValType.F64, true, constant(ConstKind.F64, 0xfff0000000000000, 0));
  defineGlobal(module, <u8>ValType.FuncRef, false, constant(ConstKind.RefFunc, 0, 2));
  defineGlobal(module, <u8>ValType.ExternRef, false, constant(ConstKind.RefNull, 0, 0));
  exportOf(module, "run", ExternKind.Func, 1);
  exportOf(module, "imported", ExternKind.Func, 0);
  exportOf(module, "memory", ExternKind.Memory, 0);
  exportOf(module, "table", ExternKind.Table, 0);
  exportOf(module, "counter", ExternKind.Global, 2);
  module.startFunc = 1;
  elementSegment(module, SegmentMode.Active, constant(ConstKind.I32, 1, 0), [0, 1, -1]);
  elementSegment(module, SegmentMode.Passive, new ConstExpr(), [3, 2]);
  elementSegment(module, SegmentMode.Declarative, new ConstExpr(), [2]);
  dataSegment(module, SegmentMode.Active, constant(ConstKind.GlobalGet, 0, 0), 4, 17);
  dataSegment(module, SegmentMode.Passive, new ConstExpr(), 0, 4);
  dataSegment(module, SegmentMode.Active, constant(ConstKind.I32, 0xfff0, 0), 0, 0);
  return module;
}

// ---------------------------------------------------------------------------
// Round trip

function sameTypes(a: u8[], b: u8[]): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

function sameExpr(a: ConstExpr, b: ConstExpr): bool {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ConstKind.I32:
    case ConstKind.F32: return (a.bits & 0xffffffff) == b.bits;
    case ConstKind.I64:
    case ConstKind.F64: return a.bits == b.bits;
    case ConstKind.GlobalGet:
    case ConstKind.RefFunc: return a.index == b.index;
  }
  return true;
}

function compareComponent(module: Module, code: CompiledCode, component: CompiledComponent): string | null {
  if (component.explicitBounds != (code.options.bounds == BoundsMode.Explicit)) return "bounds flag";
  if (component.privileged != code.options.privileged) return "privileged flag";
  if (component.types.length != module.types.length) return "type count";
  for (let i = 0; i < module.types.length; i++) {
    if (!sameTypes(component.types[i].params, module.types[i].params)) return "type " + i.toString() + " params";
    if (!sameTypes(component.types[i].results, module.types[i].results)) return "type " + i.toString() + " results";
  }
  if (component.imports.length != module.imports.length) return "import count";
  for (let i = 0; i < module.imports.length; i++) {
    const a = module.imports[i];
    const b = component.imports[i];
    if (a.module != b.module || a.name != b.name || a.kind != b.kind) return "import " + i.toString();
    if (a.kind == ExternKind.Func && a.typeIndex != b.typeIndex) return "import " + i.toString() + " type";
  }
  if (component.funcTypes.length != module.funcTypes.length) return "function count";
  for (let i = 0; i < module.funcTypes.length; i++) if (component.funcTypes[i] != module.funcTypes[i]) return "function type " + i.toString();
  for (let i = 0; i < code.functions.length; i++) {
    if (component.functions[i].codeOffset != code.functions[i].codeOffset) return "code offset " + i.toString();
    if (component.functions[i].codeSize != code.functions[i].codeSize) return "code size " + i.toString();
  }
  if (component.tables.length != module.tables.length || component.numImportedTables != module.numImportedTables) return "tables";
  for (let i = 0; i < module.tables.length; i++) {
    const a = module.tables[i].limits;
    const b = component.tables[i].limits;
    if (a.min != b.min || a.hasMax != b.hasMax || (a.hasMax && a.max != b.max)) return "table limits";
  }
  if (component.memories.length != module.memories.length || component.numImportedMemories != module.numImportedMemories) return "memories";
  for (let i = 0; i < module.memories.length; i++) {
    const a = module.memories[i].limits;
    const b = component.memories[i];
    if (a.min != b.min || a.hasMax != b.hasMax || (a.hasMax && a.max != b.max)) return "memory limits";
  }
  if (component.globals.length != module.globals.length || component.numImportedGlobals != module.numImportedGlobals) return "globals";
  for (let i = 0; i < module.globals.length; i++) {
    const a = module.globals[i].type;
    const b = component.globals[i];
    if (a.valType != b.valType || a.mutable != b.mutable) return "global " + i.toString() + " type";
    if (i >= <i32>module.numImportedGlobals) {
      if (!sameExpr(module.globals[i].init, component.globalInits[i - <i32>module.numImportedGlobals])) return "global " + i.toString() + " init";
    }
  }
  if (component.exports.length != module.exports.length) return "export count";
  for (let i = 0; i < module.exports.length; i++) {
    const a = module.exports[i];
    const b = component.exports[i];
    if (a.name != b.name || a.kind != b.kind || a.index != b.index) return "export " + a.name;
  }
  if (component.findExport("run") == null || component.findExport("nothing") != null) return "findExport";
  if (component.start != module.startFunc) return "start";
  if (component.elements.length != module.elems.length) return "element count";
  for (let i = 0; i < module.elems.length; i++) {
    const a = module.elems[i];
    const b = component.elements[i];
    if (a.mode != b.mode || a.items.length != b.items.length) return "element segment " + i.toString();
    if (a.mode == SegmentMode.Active && !sameExpr(a.offsetExpr, b.offset)) return "element offset " + i.toString();
    for (let k = 0; k < a.items.length; k++) if (!sameExpr(a.items[k], b.items[k])) return "element item";
  }
  if (component.datas.length != module.datas.length) return "data count";
  for (let i = 0; i < module.datas.length; i++) {
    const a = module.datas[i];
    const b = component.datas[i];
    if (a.mode != b.mode || a.dataLength != b.length) return "data segment " + i.toString();
    if (a.mode == SegmentMode.Active && !sameExpr(a.offsetExpr, b.offset)) return "data offset " + i.toString();
    for (let k: u32 = 0; k < a.dataLength; k++) {
      if (module.bytes[a.dataStart + k] != component.bytes[b.start + <i32>k]) return "data bytes " + i.toString();
    }
  }
  const layout = code.layout;
  const read = component.layout;
  if (layout.typeIds != read.typeIds || layout.importedFuncs != read.importedFuncs || layout.globals != read.globals
    || layout.dataDropped != read.dataDropped || layout.elemDropped != read.elemDropped || layout.size != read.size) return "vmctx layout";
  if (<i32>component.codeLength != code.code.length) return "code length";
  for (let i = 0; i < code.code.length; i++) if (component.bytes[component.codeStart + i] != code.code[i]) return "code bytes";
  if (component.pcNative.length != code.pcMap.length) return "pc map count";
  for (let i = 0; i < code.pcMap.length; i++) {
    const entry = code.pcMap[i];
    if (component.pcNative[i] != entry.nativeOffset || component.pcFunction[i] != entry.funcIndex
      || component.pcWasm[i] != entry.wasmOffset) return "pc map entry " + i.toString();
    if (component.lookupPc(entry.nativeOffset + 1) != i) return "lookupPc " + i.toString();
  }
  if (component.lookupPc(0) != -1) return "lookupPc before the first entry";
  return null;
}

export function testRoundTrip(): i32 {
  const module = fullModule();
  for (let variant = 0; variant < 4; variant++) {
    const code = compile(module, variant & 1 ? BoundsMode.Explicit : BoundsMode.Guard, (variant & 2) != 0);
    const bytes = writeComponent(code);
    const again = writeComponent(code);
    if (bytes.length != again.length) return failure("writer is not deterministic (length)");
    for (let i = 0; i < bytes.length; i++) if (bytes[i] != again[i]) return failure("writer is not deterministic at byte " + i.toString());
    const component = readComponent(bytes);
    if (component == null) return failure("round trip rejected: " + loaderError());
    const difference = compareComponent(module, code, component);
    if (difference != null) return failure("round trip differs: " + difference);
  }
  return 0;
}

/** The full module's component, for the host side of the tests. */
let sample = new Uint8Array(0);
export function sampleComponent(): usize {
  sample = writeComponent(compile(fullModule(), BoundsMode.Guard, false));
  return sample.dataStart;
}
export function sampleLength(): i32 { return sample.length; }

// ---------------------------------------------------------------------------
// Corrupt components: rejected with a message, never a crash

let input = new Uint8Array(0);
export function inputAlloc(length: i32): usize {
  input = new Uint8Array(length);
  return input.dataStart;
}

/** Reads the input: 1 when accepted, 0 when rejected (message set). */
export function readInput(): i32 {
  const component = readComponent(input);
  if (component == null) { failure(loaderError()); return 0; }
  return 1;
}

/** Every truncation is rejected; every single-byte change is rejected or read without a crash. */
export function testCorruption(): i32 {
  const bytes = writeComponent(compile(fullModule(), BoundsMode.Guard, false));
  for (let length = 0; length < bytes.length; length++) {
    if (readComponent(bytes.subarray(0, length)) != null) return failure("truncation to " + length.toString() + " bytes accepted");
    if (!loaderError().startsWith("invalid component: ")) return failure("bad message: " + loaderError());
  }
  const copy = new Uint8Array(bytes.length);
  const changes: u8[] = [0xff, 0x01, 0x80, 0x7f];
  for (let at = 0; at < bytes.length; at++) {
    for (let k = 0; k < changes.length; k++) {
      copy.set(bytes);
      copy[at] ^= changes[k];
      readComponent(copy);
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------
// Instantiation on the test platform

/** A provider: exports a function of type 1, a memory (1..3 pages), a table of 4, two globals. */
function providerModule(): Module {
  const module = new Module(bytesOf("provider data"));
  module.types.push(funcType([], []));
  module.types.push(funcType([<u8>ValType.I32, <u8>ValType.I64], [<u8>ValType.F32, <u8>ValType.F64]));
  module.funcTypes.push(0);
  module.funcTypes.push(1);
  defineMemory(module, 1, true, 3);
  defineTable(module, 4, false, 0);
  defineGlobal(module, <u8>ValType.I32, false, constant(ConstKind.I32, 0x10, 0));
  defineGlobal(module, <u8>ValType.F64, true, constant(ConstKind.F64, 0x4000000000000000, 0));
  exportOf(module, "f\u00e9", ExternKind.Func, 1);
  exportOf(module, "memory", ExternKind.Memory, 0);
  exportOf(module, "table", ExternKind.Table, 0);
  exportOf(module, "g", ExternKind.Global, 0);
  exportOf(module, "h", ExternKind.Global, 1);
  exportOf(module, "run", ExternKind.Func, 0);
  dataSegment(module, SegmentMode.Active, constant(ConstKind.I32, 0, 0), 0, 8);
  return module;
}

function loadComponent(module: Module): CompiledComponent {
  const component = readComponent(writeComponent(compile(module, BoundsMode.Guard, false)));
  if (component == null) unreachable();
  return component!;
}

function setUp(platform: TestPlatform): Linker {
  const linker = new Linker(platform);
  const provider = instantiate(loadComponent(providerModule()), linker);
  if (provider == null) unreachable();
  linker.register("env", provider!.exports);
  return linker;
}

export function testInstantiate(): i32 {
  const platform = new TestPlatform();
  const linker = setUp(platform);
  const provider = linker.resolve("env", "run")!.func!;
  const component = loadComponent(fullModule());
  const instance = instantiate(component, linker);
  if (instance == null) return failure("full module did not link: " + loaderError());
  const inst = instance!;
  const layout = component.layout;
  const vmctx = inst.vmctx;
  const memory = linker.resolve("env", "memory")!.memory!;
  const table = linker.resolve("env", "table")!.table!;
  if (load<u64>(vmctx + VMCTX_MEMORY_BASE) != memory.base) return failure("vmctx memory base");
  if (load<u64>(vmctx + VMCTX_TABLE) != table.address) return failure("vmctx table");
  if (load<u64>(vmctx + VMCTX_RUNTIME) != SERVICES) return failure("vmctx runtime services");
  // Type ids: canonical, shared with the provider (its type 1 equals ours).
  const imported = linker.resolve("env", "f\u00e9")!.func!;
  if (inst.typeId(1) != imported.typeId) return failure("type ids are not canonical");
  if (inst.typeId(0) == inst.typeId(1) || inst.typeId(0) == 0) return failure("type ids collide");
  if (load<u64>(vmctx + layout.importCode(0)) != imported.code) return failure("import code slot");
  if (load<u64>(vmctx + layout.importVmctx(0)) != imported.vmctx) return failure("import vmctx slot");
  const g = linker.resolve("env", "g")!.global!;
  if (load<u64>(vmctx + layout.global(0)) != g.address) return failure("imported global pointer");
  if (load<u64>(vmctx + layout.global(2)) != 0x10) return failure("global.get initialiser");
  if (load<u64>(vmctx + layout.global(3)) != 0x8000000000000001) return failure("i64 initialiser");
  if (load<u64>(vmctx + layout.global(4)) != 0x7fc00001) return failure("f32 initialiser");
  // Elements 1..3 of the shared table: the imported function, function 1, null.
  const e1 = table.elements + ELEMENT_SIZE;
  if (load<u64>(e1 + ELEMENT_CODE) != imported.code || load<u64>(e1 + ELEMENT_VMCTX) != imported.vmctx
    || load<u64>(e1 + ELEMENT_TYPE_ID) != imported.typeId) return failure("element 1");
  const run = inst.findExport("run")!.func!;
  const e2 = table.elements + 2 * ELEMENT_SIZE;
  if (load<u64>(e2 + ELEMENT_CODE) != run.code || load<u64>(e2 + ELEMENT_VMCTX) != inst.vmctxAddress) return failure("element 2");
  if (run.code != component.mappedCode + 8) return failure("exported function code address");
  if (load<u64>(table.elements + 3 * ELEMENT_SIZE + ELEMENT_CODE) != 0) return failure("null element");
  // Data segment at global g (0x10): "hello, components" over the provider's memory.
  const base = <usize>memory.base;
  if (load<u8>(base + 0x10) != 0x68 || load<u8>(base + 0x20) != 0x73) return failure("data segment bytes");
  if (load<u8>(base) != 0x70) return failure("provider data segment");
  // Active and declarative segments are dropped, passive ones are not.
  if (load<u64>(vmctx + layout.elemSegment(0)) == 0 || load<u64>(vmctx + layout.elemSegment(1)) != 0
    || load<u64>(vmctx + layout.elemSegment(2)) == 0) return failure("element segment dropped flags");
  if (load<u64>(vmctx + layout.dataSegment(0)) == 0 || load<u64>(vmctx + layout.dataSegment(1)) != 0) return failure("data segment dropped flags");
  // Re-exports and exports.
  const again = inst.findExport("imported")!.func!;
  if (again.code != imported.code || again.vmctx != imported.vmctx) return failure("re-exported import");
  if (inst.findExport("counter")!.global!.address != inst.vmctxAddress + <u64>layout.global(2)) return failure("exported global cell");
  // The start function runs through the platform.
  const before = platform.invocations;
  if (inst.runStart() != 0 || platform.invocations != before + 1) return failure("start function");
  // A second instance shares the code.
  const ranges = platform.codeRanges;
  const second = instantiate(component, linker);
  if (second == null || platform.codeRanges != ranges) return failure("second instance mapped the code again");
  // The pc map lookup.
  const location = linker.locate(component.mappedCode + 8 + 6);
  if (location == null || location.funcIndex != 1 || location.wasmOffset != 1300) return failure("locate pc");
  if (linker.locate(component.mappedCode + 100000) != null) return failure("locate outside");
  return 0;
}

/** Instantiates a variant of a consumer and expects the link error `expected` (prefix). */
function expectLinkError(linker: Linker, module: Module, expected: string): string | null {
  const instance = instantiate(loadComponent(module), linker);
  if (instance != null) return "linked, expected " + expected;
  if (!loaderError().startsWith(expected)) return "got \"" + loaderError() + "\", expected " + expected;
  return null;
}

function consumer(): Module {
  const module = new Module(bytesOf("xyz"));
  module.types.push(funcType([], []));
  module.types.push(funcType([<u8>ValType.I32, <u8>ValType.I64], [<u8>ValType.F32, <u8>ValType.F64]));
  return module;
}

export function testLinkErrors(): i32 {
  const platform = new TestPlatform();
  const linker = setUp(platform);
  let module = consumer();
  importFunc(module, "env", "missing", 0);
  let error = expectLinkError(linker, module, "unknown import env.missing");
  if (error != null) return failure(error);

  module = consumer();
  importFunc(module, "nowhere", "f", 0);
  error = expectLinkError(linker, module, "unknown import nowhere.f");
  if (error != null) return failure(error);

  module = consumer();
  importFunc(module, "env", "f\u00e9", 0);
  error = expectLinkError(linker, module, "incompatible import type for env.f\u00e9");
  if (error != null) return failure(error);

  module = consumer();
  importGlobal(module, "env", "g", <u8>ValType.I32, true);
  error = expectLinkError(linker, module, "incompatible import type for env.g");
  if (error != null) return failure(error);

  module = consumer();
  importGlobal(module, "env", "h", <u8>ValType.F32, true);
  error = expectLinkError(linker, module, "incompatible import type for env.h");
  if (error != null) return failure(error);

  module = consumer();
  importFunc(module, "env", "memory", 0);
  error = expectLinkError(linker, module, "incompatible import type for env.memory");
  if (error != null) return failure(error);

  // Memory limits: the provider has 1 page now and a maximum of 3.
  module = consumer();
  importMemory(module, "env", "memory", 2, false, 0);
  error = expectLinkError(linker, module, "incompatible import type for env.memory");
  if (error != null) return failure(error);
  module = consumer();
  importMemory(module, "env", "memory", 1, true, 2);
  error = expectLinkError(linker, module, "incompatible import type for env.memory");
  if (error != null) return failure(error);
  module = consumer();
  importMemory(module, "env", "memory", 0, true, 3);
  if (instantiate(loadComponent(module), linker) == null) return failure("memory 0..3 should match 1..3: " + loaderError());

  module = consumer();
  importTable(module, "env", "table", 5);
  error = expectLinkError(linker, module, "incompatible import type for env.table");
  if (error != null) return failure(error);

  module = consumer();
  importFunc(module, "delos:native", "syscall", 0);
  error = expectLinkError(linker, module, "incompatible import type for delos:native.syscall");
  if (error != null) return failure(error);

  // Segments: nothing is written unless every segment fits.
  const table = linker.resolve("env", "table")!.table!;
  const memory = linker.resolve("env", "memory")!.memory!;
  module = consumer();
  importTable(module, "env", "table", 0);
  importMemory(module, "env", "memory", 1, false, 0);
  module.funcTypes.push(0);
  elementSegment(module, SegmentMode.Active, constant(ConstKind.I32, 0, 0), [0]);
  elementSegment(module, SegmentMode.Active, constant(ConstKind.I32, 4, 0), [0]);
  error = expectLinkError(linker, module, "elements segment does not fit");
  if (error != null) return failure(error);
  if (load<u64>(table.elements + ELEMENT_CODE) != 0) return failure("a failed instantiation wrote the table");

  module = consumer();
  importTable(module, "env", "table", 0);
  importMemory(module, "env", "memory", 1, false, 0);
  module.funcTypes.push(0);
  elementSegment(module, SegmentMode.Active, constant(ConstKind.I32, 0, 0), [0]);
  dataSegment(module, SegmentMode.Active, constant(ConstKind.I32, 0x100, 0), 0, 3);
  dataSegment(module, SegmentMode.Active, constant(ConstKind.I32, 0xfffe, 0), 0, 3);
  error = expectLinkError(linker, module, "data segment does not fit");
  if (error != null) return failure(error);
  if (load<u64>(table.elements + ELEMENT_CODE) != 0) return failure("a failed instantiation wrote the table (data)");
  if (load<u8>(<usize>memory.base + 0x100) != 0) return failure("a failed instantiation wrote the memory");

  // An offset of 0xffffffff must not wrap around.
  module = consumer();
  importMemory(module, "env", "memory", 1, false, 0);
  dataSegment(module, SegmentMode.Active, constant(ConstKind.I32, 0xffffffff, 0), 0, 1);
  error = expectLinkError(linker, module, "data segment does not fit");
  if (error != null) return failure(error);

  // An empty segment at the very end fits.
  module = consumer();
  importMemory(module, "env", "memory", 1, false, 0);
  dataSegment(module, SegmentMode.Active, constant(ConstKind.I32, 0x10000, 0), 0, 0);
  if (instantiate(loadComponent(module), linker) == null) return failure("empty segment at the end: " + loaderError());
  return 0;
}
