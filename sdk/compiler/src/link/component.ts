// Writes a compiled module as a `delos` component (docs/delos-format.md):
// what the kernel's loader and the linux runtime instantiate without the
// compiler. Deterministic: the output depends only on the module and the
// compiled code, never on addresses, time or iteration order of hashes.

import { CompiledCode, BoundsMode } from "../compiled";
import {
  ConstExpr, ConstKind, ExternKind, FuncType, GlobalType, Limits, Module, TableType,
} from "../module";
import {
  COMPONENT_EXPLICIT_BOUNDS, COMPONENT_MAGIC, COMPONENT_NONE, COMPONENT_PRIVILEGED,
  COMPONENT_VERSION, Section,
} from "./format";
import { uninitializedBytes } from "../io";

/**
 * A growable little-endian byte buffer. writeComponent sizes it up front
 * from the code, data and pc map, so that it rarely grows; its bytes are
 * never zeroed, since every byte up to `length` is written.
 */
class ComponentWriter {
  bytes: Uint8Array;
  length: i32 = 0;
  private sectionStart: i32 = 0;

  constructor(capacity: i32) {
    this.bytes = uninitializedBytes(max(capacity, 64));
  }

  /** Makes room for `count` more bytes. */
  @inline reserve(count: i32): void {
    if (this.length + count > this.bytes.length) this.grow(count);
  }

  private grow(count: i32): void {
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + count) capacity *= 2;
    const grown = uninitializedBytes(capacity);
    memory.copy(grown.dataStart, this.bytes.dataStart, <usize>this.length);
    this.bytes = grown;
  }

  /** Address of the next byte, for writes after reserve(); commit() takes them. */
  @inline cursor(): usize { return this.bytes.dataStart + <usize>this.length; }
  @inline commit(cursor: usize): void { this.length = <i32>(cursor - this.bytes.dataStart); }

  u8(value: u32): void {
    this.reserve(1);
    store<u8>(this.cursor(), <u8>value);
    this.length += 1;
  }

  u32(value: u32): void {
    this.reserve(4);
    store<u32>(this.cursor(), value);
    this.length += 4;
  }

  u64(value: u64): void {
    this.reserve(8);
    store<u64>(this.cursor(), value);
    this.length += 8;
  }

  raw(source: Uint8Array, start: i32, count: i32): void {
    this.reserve(count);
    memory.copy(this.cursor(), source.dataStart + <usize>start, <usize>count);
    this.length += count;
  }

  string(text: string): void {
    const length = String.UTF8.byteLength(text);
    this.reserve(4 + length);
    store<u32>(this.cursor(), <u32>length);
    String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, this.cursor() + 4);
    this.length += 4 + length;
  }

  beginSection(id: Section): void {
    this.u8(<u32>id);
    this.u32(0);
    this.sectionStart = this.length;
  }

  endSection(): void {
    store<u32>(this.bytes.dataStart + <usize>(this.sectionStart - 4), <u32>(this.length - this.sectionStart));
  }

  /** The bytes written: a view of the buffer, so write nothing after taking it. */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** Most bytes one pc map entry takes: a uleb of 32 bits and two slebs of 33. */
const PC_MAP_ENTRY_MAX: i32 = 5 + 5 + 5;

// @ts-ignore: decorator
@inline function writeUleb(at: usize, value: u32): usize {
  while (value >= 0x80) {
    store<u8>(at, <u8>(value | 0x80));
    value >>= 7;
    at++;
  }
  store<u8>(at, <u8>value);
  return at + 1;
}

// @ts-ignore: decorator
@inline function writeSleb(at: usize, value: i64): usize {
  while (value < -64 || value > 63) {
    store<u8>(at, <u8>(value | 0x80));
    value >>= 7;
    at++;
  }
  store<u8>(at, <u8>(value & 0x7f));
  return at + 1;
}

/** A generous estimate of the component's size, so that the writer seldom grows. */
function estimatedSize(code: CompiledCode): i32 {
  const module = code.module;
  let size = 1024 + code.code.length + code.pcMap.length * PC_MAP_ENTRY_MAX;
  size += (module.types.length + module.imports.length + module.exports.length) * 32;
  size += code.functions.length * 12 + (module.globals.length + module.datas.length + module.elems.length) * 32;
  for (let i = 0, n = module.elems.length; i < n; i++) size += unchecked(module.elems[i]).items.length * 9;
  for (let i = 0, n = module.datas.length; i < n; i++) size += <i32>unchecked(module.datas[i]).dataLength;
  return size;
}

function writeFuncType(out: ComponentWriter, type: FuncType): void {
  out.u32(<u32>type.params.length);
  for (let i = 0; i < type.params.length; i++) out.u8(type.params[i]);
  out.u32(<u32>type.results.length);
  for (let i = 0; i < type.results.length; i++) out.u8(type.results[i]);
}

function writeLimits(out: ComponentWriter, limits: Limits): void {
  out.u8(limits.hasMax ? 1 : 0);
  out.u32(limits.min);
  out.u32(limits.hasMax ? limits.max : 0);
}

function writeTableType(out: ComponentWriter, table: TableType): void {
  out.u8(table.elemType);
  writeLimits(out, table.limits);
}

function writeGlobalType(out: ComponentWriter, global: GlobalType): void {
  out.u8(global.valType);
  out.u8(global.mutable ? 1 : 0);
}

function writeConstExpr(out: ComponentWriter, expr: ConstExpr): void {
  let value: u64 = 0;
  switch (expr.kind) {
    case ConstKind.I32:
    case ConstKind.F32: value = expr.bits & 0xffffffff; break;
    case ConstKind.I64:
    case ConstKind.F64: value = expr.bits; break;
    case ConstKind.GlobalGet:
    case ConstKind.RefFunc: value = <u64>expr.index; break;
  }
  out.reserve(9);
  const at = out.cursor();
  store<u8>(at, <u8>expr.kind);
  store<u64>(at, value, 1);
  out.commit(at + 9);
}

/** The component bytes of `code` (its module, options, code blob and maps). */
export function writeComponent(code: CompiledCode): Uint8Array {
  const module = code.module;
  const out = new ComponentWriter(estimatedSize(code));
  out.u32(COMPONENT_MAGIC);
  out.u32(COMPONENT_VERSION);
  let flags: u32 = 0;
  if (code.options.bounds == BoundsMode.Explicit) flags |= COMPONENT_EXPLICIT_BOUNDS;
  if (code.options.privileged) flags |= COMPONENT_PRIVILEGED;
  out.u32(flags);

  out.beginSection(Section.Types);
  out.u32(<u32>module.types.length);
  for (let i = 0; i < module.types.length; i++) writeFuncType(out, module.types[i]);
  out.endSection();

  out.beginSection(Section.Imports);
  out.u32(<u32>module.imports.length);
  for (let i = 0; i < module.imports.length; i++) {
    const entry = module.imports[i];
    out.string(entry.module);
    out.string(entry.name);
    out.u8(<u32>entry.kind);
    switch (entry.kind) {
      case ExternKind.Func: out.u32(entry.typeIndex); break;
      case ExternKind.Table: writeTableType(out, entry.table!); break;
      case ExternKind.Memory: writeLimits(out, entry.memory!.limits); break;
      case ExternKind.Global: writeGlobalType(out, entry.global!); break;
    }
  }
  out.endSection();

  out.beginSection(Section.Functions);
  out.u32(<u32>code.functions.length);
  for (let i = 0; i < code.functions.length; i++) {
    const compiled = unchecked(code.functions[i]);
    out.u32(module.funcTypes[compiled.funcIndex]);
    out.u32(compiled.codeOffset);
    out.u32(compiled.codeSize);
  }
  out.endSection();

  out.beginSection(Section.Tables);
  out.u32(<u32>module.tables.length - module.numImportedTables);
  for (let i = <i32>module.numImportedTables; i < module.tables.length; i++) writeTableType(out, module.tables[i]);
  out.endSection();

  out.beginSection(Section.Memories);
  out.u32(<u32>module.memories.length - module.numImportedMemories);
  for (let i = <i32>module.numImportedMemories; i < module.memories.length; i++) writeLimits(out, module.memories[i].limits);
  out.endSection();

  out.beginSection(Section.Globals);
  out.u32(<u32>module.globals.length - module.numImportedGlobals);
  for (let i = <i32>module.numImportedGlobals; i < module.globals.length; i++) {
    const global = module.globals[i];
    writeGlobalType(out, global.type);
    writeConstExpr(out, global.init);
  }
  out.endSection();

  out.beginSection(Section.Exports);
  out.u32(<u32>module.exports.length);
  for (let i = 0; i < module.exports.length; i++) {
    const entry = module.exports[i];
    out.string(entry.name);
    out.u8(<u32>entry.kind);
    out.u32(entry.index);
    let codeOffset = COMPONENT_NONE;
    if (entry.kind == ExternKind.Func && entry.index >= module.numImportedFuncs) {
      codeOffset = code.functions[<i32>(entry.index - module.numImportedFuncs)].codeOffset;
    }
    out.u32(codeOffset);
  }
  out.endSection();

  out.beginSection(Section.Start);
  out.u32(module.startFunc < 0 ? COMPONENT_NONE : <u32>module.startFunc);
  out.endSection();

  out.beginSection(Section.Elements);
  out.u32(<u32>module.elems.length);
  for (let i = 0; i < module.elems.length; i++) {
    const segment = module.elems[i];
    out.u8(<u32>segment.mode);
    out.u32(segment.tableIndex);
    writeConstExpr(out, segment.offsetExpr);
    out.u8(segment.elemType);
    const items = segment.items;
    out.u32(<u32>items.length);
    for (let j = 0, n = items.length; j < n; j++) writeConstExpr(out, unchecked(items[j]));
  }
  out.endSection();

  out.beginSection(Section.Data);
  out.u32(<u32>module.datas.length);
  for (let i = 0, n = module.datas.length; i < n; i++) {
    const segment = unchecked(module.datas[i]);
    out.u8(<u32>segment.mode);
    out.u32(segment.memoryIndex);
    writeConstExpr(out, segment.offsetExpr);
    out.u32(segment.dataLength);
    out.raw(module.bytes, <i32>segment.dataStart, <i32>segment.dataLength);
  }
  out.endSection();

  out.beginSection(Section.Vmctx);
  const layout = code.layout;
  out.u32(<u32>layout.typeIds);
  out.u32(<u32>layout.importedFuncs);
  out.u32(<u32>layout.globals);
  out.u32(<u32>layout.dataDropped);
  out.u32(<u32>layout.elemDropped);
  out.u32(<u32>layout.size);
  out.endSection();

  out.beginSection(Section.Code);
  out.raw(code.code, 0, code.code.length);
  out.endSection();

  out.beginSection(Section.PcMap);
  const pcMap = code.pcMap;
  const count = pcMap.length;
  out.u32(<u32>count);
  out.reserve(count * PC_MAP_ENTRY_MAX);
  let at = out.cursor();
  let native: u32 = 0;
  let func: u32 = 0;
  let wasm: u32 = 0;
  let entry = pcMap.entries();
  const entriesEnd = entry + <usize>(12 * count);
  for (; entry < entriesEnd; entry += 12) {
    const nativeOffset = load<u32>(entry);
    const funcIndex = load<u32>(entry, 4);
    const wasmOffset = load<u32>(entry, 8);
    const nativeDelta = nativeOffset - native;
    const wasmDelta = wasmOffset - wasm;
    // Most entries (more than nine in ten) are one byte each: a site a
    // little after the last one, in the same function, near it in the wasm.
    // The two's complement difference is the true one when it is this small
    // (two offsets into one binary in memory differ by far less than 2^32).
    if ((nativeDelta | (wasmDelta + 64)) < 0x80 && funcIndex == func) {
      store<u8>(at, <u8>nativeDelta);
      store<u8>(at, 0, 1);
      store<u8>(at, <u8>(wasmDelta & 0x7f), 2);
      at += 3;
    } else {
      at = writeUleb(at, nativeDelta);
      at = writeSleb(at, <i64>funcIndex - <i64>func);
      at = writeSleb(at, <i64>wasmOffset - <i64>wasm);
    }
    native = nativeOffset;
    func = funcIndex;
    wasm = wasmOffset;
  }
  out.commit(at);
  out.endSection();

  return out.finish();
}
