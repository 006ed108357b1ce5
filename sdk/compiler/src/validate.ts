// The validator: checks a decoded module against the type rules of the spec
// (its "invalid" cases) for the MVP, sign extension, non-trapping
// float-to-int, bulk memory, multi-value and mutable globals. Reference
// types and multi-memory are not enabled: at most one table (of funcref)
// and one memory.
//
// Module-level rules live here; function bodies are decoded and validated
// instruction by instruction in validate/body.ts. The first error wins and
// is reported through setMessage (io.ts) with its byte offset.

import { Module, ConstExpr, ConstKind, ValType, Limits, SegmentMode, ExternKind, valTypeName } from "./module";
import { setMessage } from "./io";
import { BodyValidator } from "./validate/body";
import { formatError } from "./validate/errors";

/** Largest memory, in 64 KiB pages: 4 GiB. */
export const MAX_MEMORY_PAGES: u32 = 65536;

/**
 * Validates `module`; false with the message set. With `bodies` false the
 * function bodies are left out: the baseline compiler validates each one
 * just before compiling it (validateBody), in the same order, so the first
 * error is the same.
 */
export function validateModule(module: Module, bodies: bool = true): bool {
  const validator = new ModuleValidator(module);
  if (validator.validate() && (!bodies || validator.bodies())) return true;
  const context = validator.contextIndex >= 0 ? validator.context + " " + validator.contextIndex.toString() : validator.context;
  setMessage(formatError(validator.errorOffset, context, validator.errorText));
  return false;
}

class ModuleValidator {
  module: Module;
  /** Where the error is: a kind of item ("function", "export", ...) and its index, or -1. */
  context: string = "";
  contextIndex: i64 = -1;
  errorText: string = "";
  errorOffset: u32 = 0;

  constructor(module: Module) { this.module = module; }

  fail(offset: u32, context: string, index: i64, text: string): bool {
    this.errorOffset = offset;
    this.context = context;
    this.contextIndex = index;
    this.errorText = text;
    return false;
  }

  validate(): bool {
    return this.imports() && this.functions() && this.tablesAndMemories() && this.globals() &&
      this.exports() && this.start() && this.elems() && this.datas();
  }

  imports(): bool {
    const module = this.module;
    for (let i = 0; i < module.imports.length; i++) {
      const item = module.imports[i];
      if (item.kind == ExternKind.Func && item.typeIndex >= <u32>module.types.length)
        return this.fail(item.offset, "import", i, "unknown type " + item.typeIndex.toString());
    }
    return true;
  }

  functions(): bool {
    const module = this.module;
    for (let i = <i32>module.numImportedFuncs; i < module.funcTypes.length; i++) {
      const typeIndex = module.funcTypes[i];
      if (typeIndex >= <u32>module.types.length) {
        const body = module.bodies.length > i - <i32>module.numImportedFuncs ? module.bodies[i - <i32>module.numImportedFuncs].offset : 0;
        return this.fail(body, "function", i, "unknown type " + typeIndex.toString());
      }
    }
    return true;
  }

  limits(limits: Limits, maximum: u64, what: string, context: string): bool {
    // The one table or memory: the context names it with its index 0.
    if (<u64>limits.min > maximum || (limits.hasMax && <u64>limits.max > maximum))
      return this.fail(limits.offset, context, 0, what + " size must be at most " + maximum.toString() + " pages (4GiB)");
    if (limits.hasMax && limits.min > limits.max)
      return this.fail(limits.offset, context, 0, "size minimum must not be greater than maximum (" + limits.min.toString() + " > " + limits.max.toString() + ")");
    return true;
  }

  tablesAndMemories(): bool {
    const module = this.module;
    if (module.tables.length > 1) return this.fail(module.tables[1].limits.offset, "", -1, "multiple tables: " + module.tables.length.toString() + " (reference types are not enabled)");
    if (module.memories.length > 1) return this.fail(module.memories[1].limits.offset, "", -1, "multiple memories: " + module.memories.length.toString() + " (multi-memory is not enabled)");
    if (module.tables.length == 1 && !this.limits(module.tables[0].limits, u32.MAX_VALUE, "table", "table")) return false;
    if (module.memories.length == 1 && !this.limits(module.memories[0].limits, MAX_MEMORY_PAGES, "memory", "memory")) return false;
    return true;
  }

  /**
   * The type of a constant expression, or 0 when it is not valid. Only
   * imported, immutable globals may be read, as the spec at this level
   * requires.
   */
  constType(expr: ConstExpr, context: string, index: i64): u8 {
    const module = this.module;
    switch (expr.kind) {
      case ConstKind.I32: return <u8>ValType.I32;
      case ConstKind.I64: return <u8>ValType.I64;
      case ConstKind.F32: return <u8>ValType.F32;
      case ConstKind.F64: return <u8>ValType.F64;
      case ConstKind.RefNull: return <u8>ValType.FuncRef;
      case ConstKind.RefFunc: {
        if (expr.index >= <u32>module.funcTypes.length) { this.fail(expr.offset, context, index, "unknown function " + expr.index.toString()); return 0; }
        return <u8>ValType.FuncRef;
      }
      case ConstKind.GlobalGet: {
        if (expr.index >= module.numImportedGlobals) {
          this.fail(expr.offset, context, index, "unknown global " + expr.index.toString() + " (a constant expression may only read imported globals)");
          return 0;
        }
        const type = module.globals[expr.index].type;
        if (type.mutable) { this.fail(expr.offset, context, index, "constant expression required: global " + expr.index.toString() + " is mutable"); return 0; }
        return type.valType;
      }
    }
    return 0;
  }

  constOfType(expr: ConstExpr, expected: u8, context: string, index: i64): bool {
    const type = this.constType(expr, context, index);
    if (type == 0) return false;
    if (type != expected) return this.fail(expr.offset, context, index, "type mismatch: constant expression has type " + valTypeName(type) + ", expected " + valTypeName(expected));
    return true;
  }

  globals(): bool {
    const module = this.module;
    for (let i = <i32>module.numImportedGlobals; i < module.globals.length; i++) {
      const global = module.globals[i];
      if (!this.constOfType(global.init, global.type.valType, "global", i)) return false;
    }
    return true;
  }

  exports(): bool {
    const module = this.module;
    const names = new Set<string>();
    for (let i = 0; i < module.exports.length; i++) {
      const item = module.exports[i];
      if (names.has(item.name)) return this.fail(item.offset, "export", i, "duplicate export name \"" + item.name + "\"");
      names.add(item.name);
      let count: u32 = 0;
      let what = "";
      switch (item.kind) {
        case ExternKind.Func: count = module.funcTypes.length; what = "function"; break;
        case ExternKind.Table: count = module.tables.length; what = "table"; break;
        case ExternKind.Memory: count = module.memories.length; what = "memory"; break;
        case ExternKind.Global: count = module.globals.length; what = "global"; break;
      }
      if (item.index >= count) return this.fail(item.offset, "export", i, "unknown " + what + " " + item.index.toString());
    }
    return true;
  }

  start(): bool {
    const module = this.module;
    if (module.startFunc < 0) return true;
    const index = <u32>module.startFunc;
    if (index >= <u32>module.funcTypes.length) return this.fail(module.startOffset, "start", -1, "unknown function " + index.toString());
    const type = module.funcType(index);
    if (type.params.length || type.results.length) return this.fail(module.startOffset, "start", -1, "start function must have type [] -> [], not " + type.toString());
    return true;
  }

  elems(): bool {
    const module = this.module;
    for (let i = 0; i < module.elems.length; i++) {
      const segment = module.elems[i];
      const context = "element segment";
      if (segment.mode == SegmentMode.Active) {
        if (segment.tableIndex >= <u32>module.tables.length) return this.fail(segment.offset, context, i, "unknown table " + segment.tableIndex.toString());
        if (module.tables[segment.tableIndex].elemType != segment.elemType) return this.fail(segment.offset, context, i, "type mismatch: element type differs from the table's");
        if (!this.constOfType(segment.offsetExpr, <u8>ValType.I32, context, i)) return false;
      }
      for (let k = 0; k < segment.items.length; k++) {
        if (!this.constOfType(segment.items[k], segment.elemType, context, i)) return false;
      }
    }
    return true;
  }

  datas(): bool {
    const module = this.module;
    for (let i = 0; i < module.datas.length; i++) {
      const segment = module.datas[i];
      if (segment.mode != SegmentMode.Active) continue;
      const context = "data segment";
      if (segment.memoryIndex >= <u32>module.memories.length) return this.fail(segment.offset, context, i, "unknown memory " + segment.memoryIndex.toString());
      if (!this.constOfType(segment.offsetExpr, <u8>ValType.I32, context, i)) return false;
    }
    return true;
  }

  bodies(): bool {
    const module = this.module;
    const validator = new BodyValidator(module);
    for (let i = 0; i < module.bodies.length; i++) {
      if (!validator.validate(module.bodies[i])) {
        return this.fail(validator.errorOffset, "function", <i64>i + module.numImportedFuncs, validator.errorText);
      }
    }
    return true;
  }
}

/** Validates body `bodyIndex` with `validator`; false with the message set as validateModule sets it. */
export function validateBody(validator: BodyValidator, module: Module, bodyIndex: i32): bool {
  if (validator.validate(module.bodies[bodyIndex])) return true;
  const context = "function " + (<i64>bodyIndex + module.numImportedFuncs).toString();
  setMessage(formatError(validator.errorOffset, context, validator.errorText));
  return false;
}
