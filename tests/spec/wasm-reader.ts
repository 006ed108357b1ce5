// Reads just enough of a WebAssembly binary for the test harnesses: the type
// of every export (function signatures and global types), so that the V8
// backend can call functions with exact bit patterns and the fuzzer can
// choose arguments. Assumes a valid module; no validation happens here.

export type ValueType = "i32" | "i64" | "f32" | "f64" | "funcref" | "externref";

export interface Signature { params: ValueType[]; results: ValueType[]; }

export type ExportType =
  | { kind: "func"; name: string; signature: Signature }
  | { kind: "global"; name: string; type: ValueType; mutable: boolean }
  | { kind: "table"; name: string }
  | { kind: "memory"; name: string };

export interface ModuleShape {
  /** Imports in order; functions carry their signature. */
  imports: Array<{ module: string; name: string; kind: "func" | "table" | "memory" | "global"; signature?: Signature }>;
  exports: ExportType[];
}

const valueTypes: Record<number, ValueType> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x70: "funcref", 0x6f: "externref" };
// ignoreBOM: a name may start with U+FEFF (names.wast has such an export).
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const kinds = ["func", "table", "memory", "global"] as const;

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number { return this.bytes[this.at++]; }
  u32(): number {
    let result = 0, shift = 0, b: number;
    do { b = this.byte(); result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  }
  skipLeb(): void { while (this.byte() & 0x80); }
  name(): string {
    const length = this.u32();
    const text = utf8.decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
  valueType(): ValueType { return valueTypes[this.byte()] ?? "externref"; }
  limits(): void { const flags = this.byte(); this.u32(); if (flags & 1) this.u32(); }
  /** Skips a constant expression up to and including its `end`. */
  constExpr(): void {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) this.skipLeb();
      else if (op === 0x43) this.at += 4;
      else if (op === 0x44) this.at += 8;
      else if (op === 0xd0) this.byte();
    }
  }
}

/** The imports and the typed exports of a module binary. */
export function readModuleShape(bytes: Uint8Array): ModuleShape {
  const reader = new Reader(bytes);
  reader.at = 8;
  const types: Signature[] = [];
  const funcTypes: number[] = [];
  const globals: Array<{ type: ValueType; mutable: boolean }> = [];
  const shape: ModuleShape = { imports: [], exports: [] };
  const exports: Array<{ name: string; kind: number; index: number }> = [];
  while (reader.at < bytes.length) {
    const id = reader.byte();
    const size = reader.u32();
    const end = reader.at + size;
    if (id === 1) {
      for (let count = reader.u32(); count > 0; count--) {
        reader.byte(); // 0x60
        const params: ValueType[] = [];
        for (let n = reader.u32(); n > 0; n--) params.push(reader.valueType());
        const results: ValueType[] = [];
        for (let n = reader.u32(); n > 0; n--) results.push(reader.valueType());
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let count = reader.u32(); count > 0; count--) {
        const module = reader.name(), name = reader.name(), kind = reader.byte();
        shape.imports.push({ module, name, kind: kinds[kind] });
        if (kind === 0) funcTypes.push(reader.u32());
        else if (kind === 1) { reader.byte(); reader.limits(); }
        else if (kind === 2) reader.limits();
        else { const type = reader.valueType(); globals.push({ type, mutable: reader.byte() === 1 }); }
      }
    } else if (id === 3) {
      for (let count = reader.u32(); count > 0; count--) funcTypes.push(reader.u32());
    } else if (id === 6) {
      for (let count = reader.u32(); count > 0; count--) {
        const type = reader.valueType();
        globals.push({ type, mutable: reader.byte() === 1 });
        reader.constExpr();
      }
    } else if (id === 7) {
      for (let count = reader.u32(); count > 0; count--) {
        const name = reader.name(), kind = reader.byte();
        exports.push({ name, kind, index: reader.u32() });
      }
    }
    reader.at = end;
  }
  let imported = 0;
  for (const entry of shape.imports) if (entry.kind === "func") entry.signature = types[funcTypes[imported++]];
  for (const { name, kind, index } of exports) {
    if (kind === 0) shape.exports.push({ kind: "func", name, signature: types[funcTypes[index]] });
    else if (kind === 3) shape.exports.push({ kind: "global", name, ...globals[index] });
    else shape.exports.push({ kind: kinds[kind] as "table" | "memory", name });
  }
  return shape;
}
