// What an instance exports and another imports: functions, tables, memories
// and globals as they exist at run time, plus the namespaces (a registered
// instance's exports, a host module) that imports are resolved against.
//
// Memory and table objects are the blocks of docs/compiler-abi.md; they live
// in the loader's memory (`object` is a local pointer) and are handed to
// native code by their absolute address.

import { ExternKind, FuncType, GlobalType } from "../compiler/src/module";
import { MEMORY_BASE, MEMORY_LENGTH, PAGE_SIZE, TABLE_LENGTH } from "../compiler/src/abi";

export class FunctionInstance {
  code: u64;
  vmctx: u64;
  type: FuncType;
  /** The canonical signature id of `type`. */
  typeId: u64;

  constructor(code: u64, vmctx: u64, type: FuncType, typeId: u64) {
    this.code = code;
    this.vmctx = vmctx;
    this.type = type;
    this.typeId = typeId;
  }
}

export class MemoryInstance {
  /** Local pointer to the memory object. */
  object: usize;
  /** Absolute address of the memory object. */
  address: u64;
  hasMax: bool;
  max: u32;

  constructor(object: usize, address: u64, hasMax: bool, max: u32) {
    this.object = object;
    this.address = address;
    this.hasMax = hasMax;
    this.max = max;
  }

  get base(): u64 { return load<u64>(this.object + MEMORY_BASE); }
  /** Current length in bytes (memory.grow changes it). */
  get length(): u64 { return load<u64>(this.object + MEMORY_LENGTH); }
  get pages(): u32 { return <u32>(this.length / <u64>PAGE_SIZE); }
}

export class TableInstance {
  /** Local pointer to the table object. */
  object: usize;
  address: u64;
  /** Local pointer to the first element (the object holds its absolute address). */
  elements: usize;
  elemType: u8;
  hasMax: bool;
  max: u32;

  constructor(object: usize, address: u64, elements: usize, elemType: u8, hasMax: bool, max: u32) {
    this.object = object;
    this.address = address;
    this.elements = elements;
    this.elemType = elemType;
    this.hasMax = hasMax;
    this.max = max;
  }

  get length(): u32 { return <u32>load<u64>(this.object + TABLE_LENGTH); }
}

export class GlobalInstance {
  /** Absolute address of the 8-byte cell holding the value. */
  address: u64;
  type: GlobalType;

  constructor(address: u64, type: GlobalType) {
    this.address = address;
    this.type = type;
  }
}

/** One export: exactly one of the four references is set, as `kind` says. */
export class ExternValue {
  kind: ExternKind = ExternKind.Func;
  func: FunctionInstance | null = null;
  table: TableInstance | null = null;
  memory: MemoryInstance | null = null;
  global: GlobalInstance | null = null;

  static ofFunction(func: FunctionInstance): ExternValue {
    const value = new ExternValue();
    value.kind = ExternKind.Func;
    value.func = func;
    return value;
  }
  static ofTable(table: TableInstance): ExternValue {
    const value = new ExternValue();
    value.kind = ExternKind.Table;
    value.table = table;
    return value;
  }
  static ofMemory(memory: MemoryInstance): ExternValue {
    const value = new ExternValue();
    value.kind = ExternKind.Memory;
    value.memory = memory;
    return value;
  }
  static ofGlobal(global: GlobalInstance): ExternValue {
    const value = new ExternValue();
    value.kind = ExternKind.Global;
    value.global = global;
    return value;
  }
}

/** Names to externs: a registered instance's exports or a host module. */
export class Namespace {
  private names: string[] = [];
  private values: ExternValue[] = [];

  get size(): i32 { return this.names.length; }

  /** Adds or replaces `name`. */
  define(name: string, value: ExternValue): void {
    for (let i = 0; i < this.names.length; i++) {
      if (this.names[i] == name) { this.values[i] = value; return; }
    }
    this.names.push(name);
    this.values.push(value);
  }

  lookup(name: string): ExternValue | null {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] == name) return this.values[i];
    return null;
  }
}
