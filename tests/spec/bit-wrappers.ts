// Small modules that let JavaScript call wasm functions and read wasm
// globals with exact bit patterns. JavaScript numbers lose NaN payloads (and
// V8 may quiet signalling NaNs) when a float crosses into JS, so the V8
// backend never lets one cross: a wrapper imports the target, takes and
// returns floats as integers (f32 as i32, f64 as i64) and reinterprets them
// inside wasm, where bits are preserved.

import { funcType, leb, name, section, valueTypeCodes, vector, WASM_HEADER } from "./wasm-encoder";
import { Signature, ValueType } from "./wasm-reader";

const code = valueTypeCodes;
const carrier: Record<string, string> = { i32: "i32", i64: "i64", f32: "i32", f64: "i64" };
const REINTERPRET_TO_FLOAT: Record<string, number> = { f32: 0xbe, f64: 0xbf };
const REINTERPRET_TO_INT: Record<string, number> = { f32: 0xbc, f64: 0xbd };

/** One module: the given types, imports and a single function exported as `call`. */
function assemble(types: number[][], imports: number[][], importedFunctions: number, body: number[]): Uint8Array {
  const bytes = [...WASM_HEADER];
  bytes.push(...section(1, vector(types)));
  bytes.push(...section(2, vector(imports)));
  bytes.push(...section(3, vector([leb(types.length - 1)])));
  bytes.push(...section(7, vector([[...name("call"), 0x00, ...leb(importedFunctions)]])));
  bytes.push(...section(10, vector([[...leb(body.length), ...body]])));
  return new Uint8Array(bytes);
}

function supported(types: ValueType[]): boolean {
  return types.every((t) => t in code);
}

/**
 * A module importing `target.function` of the given signature and exporting
 * `call`, which takes and returns the same values with floats as integers.
 * Null when the signature uses reference types.
 */
export function functionWrapper(signature: Signature): Uint8Array | null {
  const { params, results } = signature;
  if (!supported(params) || !supported(results)) return null;
  const targetType = funcType(params, results);
  const wrapperType = funcType(params.map((t) => carrier[t]), results.map((t) => carrier[t]));
  const body: number[] = [];
  // Locals that hold the results while they are reordered for reinterpretation.
  body.push(...leb(results.length), ...results.flatMap((t) => [1, code[t]]));
  params.forEach((t, i) => {
    body.push(0x20, ...leb(i));
    if (t in REINTERPRET_TO_FLOAT) body.push(REINTERPRET_TO_FLOAT[t]);
  });
  body.push(0x10, 0x00);
  for (let j = results.length - 1; j >= 0; j--) body.push(0x21, ...leb(params.length + j));
  results.forEach((t, j) => {
    body.push(0x20, ...leb(params.length + j));
    if (t in REINTERPRET_TO_INT) body.push(REINTERPRET_TO_INT[t]);
  });
  body.push(0x0b);
  return assemble([targetType, wrapperType], [[...name("target"), ...name("function"), 0x00, 0x00]], 1, body);
}

/** A module importing global `target.global` and exporting `call() -> bits`. */
export function globalWrapper(type: ValueType, mutable: boolean): Uint8Array | null {
  if (!(type in code)) return null;
  const body = [0x00, 0x23, 0x00];
  if (type in REINTERPRET_TO_INT) body.push(REINTERPRET_TO_INT[type]);
  body.push(0x0b);
  return assemble([funcType([], [carrier[type]])], [[...name("target"), ...name("global"), 0x03, code[type], mutable ? 1 : 0]], 0, body);
}
