// Instantiation: turns a component into a running instance, in the order of
// docs/delos-format.md ("Instantiation"): imports, vmctx, memory and table,
// globals, segments (all bounds checked before any is written), then the
// start function. A failure before the start function is a link error
// (null, loaderError() says `unknown import ...`, `incompatible import type
// for ...`, `data segment does not fit`, ...) and changes nothing another
// instance can see.

import {
  ConstExpr, ConstKind, ExternKind, GlobalType, Limits, SegmentMode, TableType,
} from "../compiler/src/module";
import {
  ELEMENT_CODE, ELEMENT_SIZE, ELEMENT_TYPE_ID, ELEMENT_VMCTX, GUARD_RESERVATION, INTRINSICS_MODULE, X86_MODULE,
  MEMORY_BASE, MEMORY_LENGTH, MEMORY_MAX_PAGES, MEMORY_OBJECT_SIZE, MEMORY_RESERVED, PAGE_SIZE,
  TABLE_ELEMENTS, TABLE_LENGTH, TABLE_MAX, TABLE_OBJECT_SIZE, VMCTX_INSTANCE, VMCTX_MEMORY,
  VMCTX_MEMORY_BASE, VMCTX_RUNTIME, VMCTX_TABLE,
} from "../compiler/src/abi";
import { CompiledComponent } from "./component";
import { setLoaderError } from "./error";
import {
  ExternValue, FunctionInstance, GlobalInstance, MemoryInstance, Namespace, TableInstance,
} from "./extern";
import { Linker } from "./linker";
import { Access } from "./platform";

/** The largest table the loader allocates (elements are 24 bytes each). */
const MAX_TABLE_ELEMENTS: u32 = 10_000_000;

export class Instance {
  component: CompiledComponent;
  linker: Linker;
  /** Local pointer to the vmctx, and its absolute address. */
  vmctx: usize = 0;
  vmctxAddress: u64 = 0;
  memory: MemoryInstance | null = null;
  table: TableInstance | null = null;
  /** The resolved imports, by their index in each space. */
  importedFuncs: FunctionInstance[] = [];
  importedGlobals: GlobalInstance[] = [];
  exports: Namespace = new Namespace();
  /**
   * The loader's blocks that native code reaches only by address: the
   * vmctx, the memory and table objects, the table's elements. Nothing
   * else refers to them, so under a collecting runtime (the kernel's) they
   * stay alive through this list for as long as the instance does.
   */
  readonly blocks: ArrayBuffer[] = [];

  constructor(component: CompiledComponent, linker: Linker) {
    this.component = component;
    this.linker = linker;
  }

  typeId(typeIndex: u32): u64 {
    return load<u64>(this.vmctx + <usize>this.component.layout.typeId(typeIndex));
  }

  /** Function `index` of this instance as something callable from anywhere. */
  function(index: u32): FunctionInstance {
    const component = this.component;
    if (index < component.numImportedFuncs) return this.importedFuncs[index];
    const defined = component.functions[<i32>(index - component.numImportedFuncs)];
    const typeIndex = defined.typeIndex;
    return new FunctionInstance(component.mappedCode + <u64>defined.codeOffset, this.vmctxAddress,
      component.types[typeIndex], this.typeId(typeIndex));
  }

  global(index: u32): GlobalInstance {
    if (index < this.component.numImportedGlobals) return this.importedGlobals[index];
    const cell = this.vmctxAddress + <u64>this.component.layout.global(index);
    return new GlobalInstance(cell, this.component.globals[index]);
  }

  /** Looks up an export by name. */
  findExport(name: string): ExternValue | null {
    return this.exports.lookup(name);
  }

  /** Runs the start function, if any: the trap kind, 0 when it returned. */
  runStart(): i32 {
    if (this.component.start < 0) return 0;
    const results = new Array<u64>();
    return this.linker.call(this.function(<u32>this.component.start), [], results);
  }
}

function limitsMatch(currentMin: u64, hasMax: bool, max: u32, required: Limits): bool {
  if (currentMin < <u64>required.min) return false;
  if (!required.hasMax) return true;
  return hasMax && max <= required.max;
}

function incompatible(module: string, name: string, why: string): bool {
  setLoaderError("incompatible import type for " + module + "." + name + " (" + why + ")");
  return false;
}

/** Resolves every import into the instance and its vmctx; false on a link error. */
function resolveImports(instance: Instance): bool {
  const component = instance.component;
  const linker = instance.linker;
  const layout = component.layout;
  let funcIndex: u32 = 0;
  for (let i = 0; i < component.imports.length; i++) {
    const entry = component.imports[i];
    if (entry.module == INTRINSICS_MODULE || entry.module == X86_MODULE) {
      if (!component.privileged) {
        setLoaderError("incompatible import type for " + entry.module + "." + entry.name + " (intrinsics are for privileged components)");
        return false;
      }
      // The generator expanded the intrinsic inline; keep the index spaces aligned.
      if (entry.kind == ExternKind.Func) {
        const type = component.types[entry.typeIndex];
        instance.importedFuncs.push(new FunctionInstance(0, 0, type, linker.signatures.id(type)));
        funcIndex++;
        continue;
      }
      setLoaderError("incompatible import type for " + entry.module + "." + entry.name + " (intrinsics are functions)");
      return false;
    }
    const value = linker.resolve(entry.module, entry.name);
    if (value == null) {
      setLoaderError("unknown import " + entry.module + "." + entry.name);
      return false;
    }
    if (value.kind != entry.kind) return incompatible(entry.module, entry.name, "different kind");
    switch (entry.kind) {
      case ExternKind.Func: {
        const func = value.func!;
        const expected = component.types[entry.typeIndex];
        if (!func.type.equals(expected)) {
          return incompatible(entry.module, entry.name, "expected " + expected.toString() + ", found " + func.type.toString());
        }
        instance.importedFuncs.push(func);
        store<u64>(instance.vmctx + <usize>layout.importCode(funcIndex), func.code);
        store<u64>(instance.vmctx + <usize>layout.importVmctx(funcIndex), func.vmctx);
        funcIndex++;
        break;
      }
      case ExternKind.Table: {
        const table = value.table!;
        const expected: TableType = component.tables[entry.index];
        if (table.elemType != expected.elemType) return incompatible(entry.module, entry.name, "element type");
        if (!limitsMatch(<u64>table.length, table.hasMax, table.max, expected.limits)) return incompatible(entry.module, entry.name, "limits");
        instance.table = table;
        break;
      }
      case ExternKind.Memory: {
        const memory = value.memory!;
        if (!limitsMatch(<u64>memory.pages, memory.hasMax, memory.max, component.memories[entry.index])) {
          return incompatible(entry.module, entry.name, "limits");
        }
        instance.memory = memory;
        break;
      }
      case ExternKind.Global: {
        const global = value.global!;
        const expected: GlobalType = component.globals[entry.index];
        if (global.type.valType != expected.valType || global.type.mutable != expected.mutable) {
          return incompatible(entry.module, entry.name, "global type");
        }
        instance.importedGlobals.push(global);
        store<u64>(instance.vmctx + <usize>layout.global(entry.index), global.address);
        break;
      }
    }
  }
  return true;
}

/**
 * The address space memory 0 reserves: the guard region in guard-region
 * mode; in explicit-bounds mode only the largest length the memory may grow
 * to, so that an access a missing check lets through reaches past the
 * reservation instead of into a guard region that would pass for a trap.
 */
function memoryReservation(component: CompiledComponent, pageSize: u64): u64 {
  if (!component.explicitBounds) return GUARD_RESERVATION;
  const limits = component.memories[0];
  const bytes = <u64>(limits.hasMax ? limits.max : 65536) * <u64>PAGE_SIZE;
  return bytes == 0 ? pageSize : (bytes + pageSize - 1) & ~(pageSize - 1);
}

function createMemory(instance: Instance): bool {
  const component = instance.component;
  if (component.memories.length == 0 || component.numImportedMemories != 0) return true;
  const limits = component.memories[0];
  const platform = instance.linker.platform;
  const reserved = memoryReservation(component, platform.pageSize);
  const base = platform.reserve(reserved);
  if (base == 0) { setLoaderError("cannot reserve memory"); return false; }
  const length = <u64>limits.min * <u64>PAGE_SIZE;
  if (length > 0 && !platform.protect(base, length, Access.ReadWrite)) {
    setLoaderError("cannot commit " + limits.min.toString() + " pages of memory");
    return false;
  }
  const block = new ArrayBuffer(MEMORY_OBJECT_SIZE);
  instance.blocks.push(block);
  const object = changetype<usize>(block);
  store<u64>(object + MEMORY_BASE, base);
  store<u64>(object + MEMORY_LENGTH, length);
  store<u64>(object + MEMORY_MAX_PAGES, limits.hasMax ? <u64>limits.max : 65536);
  store<u64>(object + MEMORY_RESERVED, reserved);
  instance.memory = new MemoryInstance(object, platform.address(object), limits.hasMax, limits.max);
  return true;
}

function createTable(instance: Instance): bool {
  const component = instance.component;
  if (component.tables.length == 0 || component.numImportedTables != 0) return true;
  const type = component.tables[0];
  if (type.limits.min > MAX_TABLE_ELEMENTS) { setLoaderError("table of " + type.limits.min.toString() + " elements is too large"); return false; }
  const platform = instance.linker.platform;
  const elementsBlock = new ArrayBuffer(<i32>(type.limits.min * <u32>ELEMENT_SIZE));
  const objectBlock = new ArrayBuffer(TABLE_OBJECT_SIZE);
  instance.blocks.push(elementsBlock);
  instance.blocks.push(objectBlock);
  const elements = changetype<usize>(elementsBlock);
  const object = changetype<usize>(objectBlock);
  store<u64>(object + TABLE_ELEMENTS, platform.address(elements));
  store<u64>(object + TABLE_LENGTH, <u64>type.limits.min);
  store<u64>(object + TABLE_MAX, type.limits.hasMax ? <u64>type.limits.max : 0xffffffff);
  instance.table = new TableInstance(object, platform.address(object), elements, type.elemType, type.limits.hasMax, type.limits.max);
  return true;
}

/** Maps the component's code once; every instance of it shares the pages. */
function mapCode(instance: Instance): bool {
  const component = instance.component;
  if (component.mappedCode != 0 || component.codeLength == 0) return true;
  const platform = instance.linker.platform;
  const page = platform.pageSize;
  const size = (<u64>component.codeLength + page - 1) & ~(page - 1);
  const base = platform.reserve(size);
  if (base == 0 || !platform.protect(base, size, Access.ReadWrite)) { setLoaderError("cannot map code"); return false; }
  platform.copyIn(base, component.bytes.dataStart + <usize>component.codeStart, <usize>component.codeLength);
  if (!platform.protect(base, size, Access.ReadExecute)) { setLoaderError("cannot make code executable"); return false; }
  const end = base + <u64>component.codeLength;
  const registered = component.explicitBounds ? platform.registerExplicitCode(base, end) : platform.registerCode(base, end);
  if (!registered) { setLoaderError("too many code ranges"); return false; }
  component.mappedCode = base;
  instance.linker.mapped.push(component);
  return true;
}

/** The value of a constant expression, as raw bits. */
function evaluate(instance: Instance, expr: ConstExpr): u64 {
  switch (expr.kind) {
    case ConstKind.I32:
    case ConstKind.F32:
    case ConstKind.I64:
    case ConstKind.F64: return expr.bits;
    case ConstKind.GlobalGet: return instance.linker.platform.load64(instance.global(expr.index).address);
    case ConstKind.RefFunc: return instance.function(expr.index).code;
  }
  return 0;
}

/** Checks every active segment fits, then writes them: element segments first, then data. */
function applySegments(instance: Instance): bool {
  const component = instance.component;
  const layout = component.layout;
  for (let i = 0; i < component.elements.length; i++) {
    const segment = component.elements[i];
    if (segment.mode != SegmentMode.Active) continue;
    const offset = evaluate(instance, segment.offset) & 0xffffffff;
    if (offset + <u64>segment.items.length > <u64>instance.table!.length) {
      setLoaderError("elements segment does not fit");
      return false;
    }
  }
  for (let i = 0; i < component.datas.length; i++) {
    const segment = component.datas[i];
    if (segment.mode != SegmentMode.Active) continue;
    const offset = evaluate(instance, segment.offset) & 0xffffffff;
    if (offset + <u64>segment.length > instance.memory!.length) {
      setLoaderError("data segment does not fit");
      return false;
    }
  }
  for (let i = 0; i < component.elements.length; i++) {
    const segment = component.elements[i];
    if (segment.mode == SegmentMode.Passive) continue;
    store<u64>(instance.vmctx + <usize>layout.elemSegment(<u32>i), 1);
    if (segment.mode != SegmentMode.Active) continue;
    const table = instance.table!;
    const offset = <u32>evaluate(instance, segment.offset);
    for (let k = 0; k < segment.items.length; k++) {
      const element = table.elements + <usize>(offset + <u32>k) * <usize>ELEMENT_SIZE;
      writeElement(instance, element, segment.items[k]);
    }
  }
  const platform = instance.linker.platform;
  for (let i = 0; i < component.datas.length; i++) {
    const segment = component.datas[i];
    if (segment.mode != SegmentMode.Active) continue;
    store<u64>(instance.vmctx + <usize>layout.dataSegment(<u32>i), 1);
    const offset = evaluate(instance, segment.offset) & 0xffffffff;
    if (segment.length == 0) continue;
    platform.copyIn(instance.memory!.base + offset, component.bytes.dataStart + <usize>segment.start, <usize>segment.length);
  }
  return true;
}

function writeElement(instance: Instance, element: usize, item: ConstExpr): void {
  if (item.kind == ConstKind.RefFunc) {
    const func = instance.function(item.index);
    store<u64>(element + ELEMENT_TYPE_ID, func.typeId);
    store<u64>(element + ELEMENT_CODE, func.code);
    store<u64>(element + ELEMENT_VMCTX, func.vmctx);
  } else {
    // ref.null, or a funcref global (whose value is not an element): a null element.
    store<u64>(element + ELEMENT_TYPE_ID, 0);
    store<u64>(element + ELEMENT_CODE, 0);
    store<u64>(element + ELEMENT_VMCTX, 0);
  }
}

function buildExports(instance: Instance): void {
  const component = instance.component;
  for (let i = 0; i < component.exports.length; i++) {
    const entry = component.exports[i];
    let value: ExternValue;
    switch (entry.kind) {
      case ExternKind.Func: value = ExternValue.ofFunction(instance.function(entry.index)); break;
      case ExternKind.Table: value = ExternValue.ofTable(instance.table!); break;
      case ExternKind.Memory: value = ExternValue.ofMemory(instance.memory!); break;
      default: value = ExternValue.ofGlobal(instance.global(entry.index)); break;
    }
    instance.exports.define(entry.name, value);
  }
}

/**
 * Instantiates `component` against `linker` up to, not including, its start
 * function (call Instance.runStart next). Null on a link error, with
 * loaderError() saying why.
 */
export function instantiate(component: CompiledComponent, linker: Linker): Instance | null {
  const instance = new Instance(component, linker);
  const platform = linker.platform;
  const layout = component.layout;
  const vmctxBlock = new ArrayBuffer(layout.size);
  instance.blocks.push(vmctxBlock);
  const vmctx = changetype<usize>(vmctxBlock);
  instance.vmctx = vmctx;
  instance.vmctxAddress = platform.address(vmctx);

  if (!resolveImports(instance)) return null;
  for (let i = 0; i < component.types.length; i++) {
    store<u64>(vmctx + <usize>layout.typeId(<u32>i), linker.signatures.id(component.types[i]));
  }
  if (!createMemory(instance) || !createTable(instance) || !mapCode(instance)) return null;

  const memory = instance.memory;
  if (memory != null) {
    store<u64>(vmctx + VMCTX_MEMORY_BASE, memory.base);
    store<u64>(vmctx + VMCTX_MEMORY, memory.address);
  }
  const table = instance.table;
  if (table != null) store<u64>(vmctx + VMCTX_TABLE, table.address);
  store<u64>(vmctx + VMCTX_RUNTIME, platform.services());
  store<u64>(vmctx + VMCTX_INSTANCE, <u64>changetype<usize>(instance));

  for (let i = 0; i < component.globalInits.length; i++) {
    const index = component.numImportedGlobals + <u32>i;
    store<u64>(vmctx + <usize>layout.global(index), evaluate(instance, component.globalInits[i]));
  }
  if (!applySegments(instance)) return null;
  buildExports(instance);
  return instance;
}
