// What a module exports, as the compiler's Describe command reports it
// (sdk/compiler/src/describe.ts): host tools check and parse `--invoke`
// arguments against these signatures instead of decoding wasm themselves.

import { Command, runCompiler } from "./compiler";
import type { ValueType } from "./script";

export type ExportKind = "func" | "table" | "memory" | "global";

export interface ExportDescription {
  name: string;
  kind: ExportKind;
  /** Parameter and result types of an exported function (empty otherwise). */
  params: string[];
  results: string[];
}

const kinds: ExportKind[] = ["func", "table", "memory", "global"];
const typeNames: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x70: "funcref", 0x6f: "externref" };

/** Validates the module and lists its exports; throws CompileError with the compiler's message when invalid. */
export function describeModule(bytes: Uint8Array): ExportDescription[] {
  const output = runCompiler(Command.Describe, [bytes]);
  const view = new DataView(output.buffer, output.byteOffset, output.byteLength);
  let at = 0;
  const u32 = () => { const value = view.getUint32(at, true); at += 4; return value; };
  const types = () => {
    const count = u32();
    const list: string[] = [];
    for (let i = 0; i < count; i++) list.push(typeNames[output[at + i]] ?? `0x${output[at + i].toString(16)}`);
    at += count;
    return list;
  };
  const exports: ExportDescription[] = [];
  for (let count = u32(), i = 0; i < count; i++) {
    const kind = kinds[output[at++]];
    const length = u32();
    const name = new TextDecoder().decode(output.subarray(at, at + length));
    at += length;
    const params = kind === "func" ? types() : [];
    const results = kind === "func" ? types() : [];
    exports.push({ name, kind, params, results });
  }
  return exports;
}

/** Whether a type can be written on a command line and in a script. */
export function isNumberType(type: string): type is ValueType {
  return type === "i32" || type === "i64" || type === "f32" || type === "f64";
}
