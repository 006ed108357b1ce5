// The static link of the runtime into a linux-x64 executable. The runtime is
// an ordinary compiled module (privileged: it may use delos:native), but
// nothing instantiates it at run time: its vmctx, memory object, table object
// and table elements are written into the read-write segment fully formed,
// with absolute code addresses; _start only reserves its memory and copies
// its data segments.

import {
  ELEMENT_CODE, ELEMENT_SIZE, ELEMENT_TYPE_ID, ELEMENT_VMCTX, GUARD_RESERVATION, INTRINSICS_MODULE, MEMORY_BASE,
  MEMORY_LENGTH, MEMORY_MAX_PAGES, MEMORY_RESERVED, PAGE_SIZE, TABLE_ELEMENTS, TABLE_LENGTH, TABLE_MAX,
  THREAD_SELF, VMCTX_MEMORY, VMCTX_RUNTIME, VMCTX_TABLE,
} from "../../abi";
import { CompiledCode } from "../../compiled";
import { setMessage } from "../../io";
import { ConstExpr, ConstKind, ExternKind, Module, SegmentMode, ValType } from "../../module";
import { LinuxLayout } from "./layout";

/** Parameters of the runtime's `main` (docs/linux-runtime.md, "Entering the runtime"). */
export const MAIN_PARAMETERS: i32 = 8;

/** What the linker needs to know about the runtime, checked once. */
export class RuntimeInfo {
  code: CompiledCode;
  main: u32 = 0;
  /** `_initialize` (AssemblyScript's exported start), or -1. */
  initialize: i32 = -1;
  /** env.abort's function index, or -1. */
  abortImport: i32 = -1;
  hasMemory: bool = false;
  memoryPages: u32 = 0;
  memoryMaxPages: u32 = 65536;
  tableLength: u32 = 0;
  tableMax: u32 = 0xffffffff;
  /** Memory offset of each data segment (meaningful for active ones). */
  dataOffsets: u32[] = [];

  constructor(code: CompiledCode) { this.code = code; }

  /** The runtime's data segment lengths, as the layout wants them (0 for passive segments). */
  dataLengths(): u32[] {
    const module = this.code.module;
    const lengths = new Array<u32>(module.datas.length);
    for (let i = 0; i < module.datas.length; i++)
      lengths[i] = module.datas[i].mode == SegmentMode.Active ? module.datas[i].dataLength : 0;
    return lengths;
  }
}

function exportedFunction(module: Module, name: string): i32 {
  for (let i = 0; i < module.exports.length; i++) {
    const entry = module.exports[i];
    if (entry.kind == ExternKind.Func && entry.name == name) return <i32>entry.index;
  }
  return -1;
}

/** A constant i32 offset, or -1 (with the message set) when it is not one. */
function constantOffset(expr: ConstExpr, what: string): i64 {
  if (expr.kind == ConstKind.I32) return <i64><u32>expr.bits;
  setMessage("runtime: the offset of " + what + " must be a constant");
  return -1;
}

/** Checks that the runtime can be linked statically and gathers what the linker needs; null with a message when not. */
export function inspectRuntime(code: CompiledCode): RuntimeInfo | null {
  const module = code.module;
  const info = new RuntimeInfo(code);
  for (let i = 0; i < module.imports.length; i++) {
    const entry = module.imports[i];
    if (entry.module == INTRINSICS_MODULE) continue;
    if (entry.kind == ExternKind.Func && entry.module == "env" && entry.name == "abort") continue;
    setMessage("runtime: imports " + entry.module + "." + entry.name + ", which the static linker does not provide");
    return null;
  }
  for (let f: u32 = 0; f < module.numImportedFuncs; f++) {
    if (importOfFunction(module, f) == "env.abort") info.abortImport = <i32>f;
  }

  const main = exportedFunction(module, "main");
  if (main < 0) {
    setMessage("runtime: exports no function main");
    return null;
  }
  const type = module.funcType(<u32>main);
  let shapeOk = type.params.length == MAIN_PARAMETERS && type.results.length == 1 && type.results[0] == ValType.I32;
  for (let i = 0; shapeOk && i < type.params.length; i++) shapeOk = type.params[i] == ValType.I64;
  if (!shapeOk) {
    setMessage("runtime: main must be [i64 x 8] -> [i32], not " + type.toString());
    return null;
  }
  info.main = <u32>main;
  info.initialize = exportedFunction(module, "_initialize");
  if (info.initialize >= 0 && module.funcType(<u32>info.initialize).params.length != 0) {
    setMessage("runtime: _initialize must take no parameters");
    return null;
  }

  if (module.memories.length > 0) {
    const limits = module.memories[0].limits;
    info.hasMemory = true;
    info.memoryPages = limits.min;
    info.memoryMaxPages = limits.hasMax ? limits.max : 65536;
  }
  if (module.tables.length > 1) {
    setMessage("runtime: more than one table");
    return null;
  }
  if (module.tables.length == 1) {
    const limits = module.tables[0].limits;
    info.tableLength = limits.min;
    info.tableMax = limits.hasMax ? limits.max : 0xffffffff;
  }
  for (let i = 0; i < module.globals.length; i++) {
    const kind = module.globals[i].init.kind;
    if (kind == ConstKind.GlobalGet || kind == ConstKind.RefFunc) {
      setMessage("runtime: global " + i.toString() + " needs an initialiser the static linker does not evaluate");
      return null;
    }
  }
  const memoryBytes = <i64>info.memoryPages * <i64>PAGE_SIZE;
  for (let i = 0; i < module.datas.length; i++) {
    const segment = module.datas[i];
    info.dataOffsets.push(0);
    if (segment.mode != SegmentMode.Active) continue;
    const offset = constantOffset(segment.offsetExpr, "data segment " + i.toString());
    if (offset < 0) return null;
    if (offset + <i64>segment.dataLength > memoryBytes) {
      setMessage("runtime: data segment " + i.toString() + " does not fit in the initial memory");
      return null;
    }
    info.dataOffsets[i] = <u32>offset;
  }
  for (let i = 0; i < module.elems.length; i++) {
    const segment = module.elems[i];
    if (segment.mode != SegmentMode.Active) continue;
    const offset = constantOffset(segment.offsetExpr, "element segment " + i.toString());
    if (offset < 0) return null;
    if (offset + <i64>segment.items.length > <i64>info.tableLength) {
      setMessage("runtime: element segment " + i.toString() + " does not fit in the table");
      return null;
    }
  }
  return info;
}

/** "module.name" of imported function `funcIndex`. */
function importOfFunction(module: Module, funcIndex: u32): string {
  let seen: u32 = 0;
  for (let i = 0; i < module.imports.length; i++) {
    const entry = module.imports[i];
    if (entry.kind != ExternKind.Func) continue;
    if (seen == funcIndex) return entry.module + "." + entry.name;
    seen++;
  }
  return "";
}

/**
 * The runtime's canonical type ids: 1 + the index of the first structurally
 * equal type. They are compared only against the runtime's own table.
 */
function typeIds(module: Module): u64[] {
  const ids = new Array<u64>(module.types.length);
  for (let i = 0; i < module.types.length; i++) {
    let first = i;
    for (let j = 0; j < i; j++) {
      if (module.types[j].equals(module.types[i])) { first = j; break; }
    }
    ids[i] = <u64>(first + 1);
  }
  return ids;
}

/** Where each runtime function's code is (0 for intrinsics, which have no code). */
export function functionAddress(info: RuntimeInfo, funcIndex: u32, runtimeCode: u64, abortStub: u64): u64 {
  const module = info.code.module;
  if (funcIndex < module.numImportedFuncs) return <i32>funcIndex == info.abortImport ? abortStub : 0;
  return runtimeCode + <u64>info.code.functions[funcIndex - module.numImportedFuncs].codeOffset;
}

function put64(bytes: Uint8Array, at: u64, value: u64): void {
  store<u64>(bytes.dataStart + <usize>at, value);
}

/**
 * The initialised part of the read-write segment: the thread block, the
 * runtime's memory object (base filled in by _start), table object, vmctx
 * and table elements.
 */
export function writeReadWrite(info: RuntimeInfo, layout: LinuxLayout, runtimeCode: u64, abortStub: u64): Uint8Array {
  const module = info.code.module;
  const vmctxLayout = info.code.layout;
  const bytes = new Uint8Array(<i32>layout.readWriteFileSize);
  const base = layout.readWrite;

  put64(bytes, layout.threadBlock - base + <u64>THREAD_SELF, layout.threadBlock);

  if (info.hasMemory) {
    const memory = layout.memoryObject - base;
    put64(bytes, memory + <u64>MEMORY_BASE, 0);
    put64(bytes, memory + <u64>MEMORY_LENGTH, <u64>info.memoryPages * <u64>PAGE_SIZE);
    put64(bytes, memory + <u64>MEMORY_MAX_PAGES, <u64>info.memoryMaxPages);
    put64(bytes, memory + <u64>MEMORY_RESERVED, GUARD_RESERVATION);
    put64(bytes, layout.vmctx - base + <u64>VMCTX_MEMORY, layout.memoryObject);
  }
  if (module.tables.length > 0) {
    const table = layout.tableObject - base;
    put64(bytes, table + <u64>TABLE_ELEMENTS, layout.elements);
    put64(bytes, table + <u64>TABLE_LENGTH, <u64>info.tableLength);
    put64(bytes, table + <u64>TABLE_MAX, <u64>info.tableMax);
    put64(bytes, layout.vmctx - base + <u64>VMCTX_TABLE, layout.tableObject);
  }

  const vmctx = layout.vmctx - base;
  put64(bytes, vmctx + <u64>VMCTX_RUNTIME, layout.services);
  const ids = typeIds(module);
  for (let i = 0; i < ids.length; i++) put64(bytes, vmctx + <u64>vmctxLayout.typeId(<u32>i), ids[i]);
  for (let f: u32 = 0; f < module.numImportedFuncs; f++) {
    if (<i32>f != info.abortImport) continue;
    put64(bytes, vmctx + <u64>vmctxLayout.importCode(f), abortStub);
    put64(bytes, vmctx + <u64>vmctxLayout.importVmctx(f), layout.vmctx);
  }
  for (let g = 0; g < module.globals.length; g++) {
    const init = module.globals[g].init;
    let value: u64 = init.bits;
    if (init.kind == ConstKind.I32 || init.kind == ConstKind.F32) value = <u64><u32>init.bits;
    if (init.kind == ConstKind.RefNull) value = 0;
    put64(bytes, vmctx + <u64>vmctxLayout.global(<u32>g), value);
  }
  // Active segments count as applied (dropped); passive ones stay available.
  for (let i = 0; i < module.datas.length; i++)
    if (module.datas[i].mode == SegmentMode.Active) put64(bytes, vmctx + <u64>vmctxLayout.dataSegment(<u32>i), 1);
  for (let i = 0; i < module.elems.length; i++) {
    const segment = module.elems[i];
    if (segment.mode == SegmentMode.Passive) continue;
    put64(bytes, vmctx + <u64>vmctxLayout.elemSegment(<u32>i), 1);
    if (segment.mode != SegmentMode.Active) continue;
    const offset = <u64><u32>segment.offsetExpr.bits;
    for (let j = 0; j < segment.items.length; j++) {
      const item = segment.items[j];
      if (item.kind != ConstKind.RefFunc) continue;
      const element = layout.elements - base + (offset + <u64>j) * <u64>ELEMENT_SIZE;
      put64(bytes, element + <u64>ELEMENT_TYPE_ID, ids[module.funcTypes[item.index]]);
      put64(bytes, element + <u64>ELEMENT_CODE, functionAddress(info, item.index, runtimeCode, abortStub));
      put64(bytes, element + <u64>ELEMENT_VMCTX, layout.vmctx);
    }
  }
  return bytes;
}
