// The `fuzzing-support` module that Binaryen's fuzz modules import from,
// built to match each module's imports and run identically in V8 and
// natively. The `log-*` functions fold their arguments into an exported
// global, `log-hash`, which the fuzzer reads after every call (a NaN is
// folded as one fixed value: its payload may legitimately differ). Every
// other import (`call-export`, `sleep`, ...) does nothing and returns zeros.

import { functionBody, funcType, leb, name, section, sleb, vector, WASM_HEADER } from "../spec/wasm-encoder";
import { Signature } from "../spec/wasm-reader";

export const SUPPORT_MODULE = "fuzzing-support";
export const LOG_HASH_EXPORT = "log-hash";

const FNV_PRIME = 0x100000001b3n;
const constOp: Record<string, number[]> = { i32: [0x41, 0], i64: [0x42, 0], f32: [0x43, 0, 0, 0, 0], f64: [0x44, 0, 0, 0, 0, 0, 0, 0, 0] };

/** Instructions that fold parameter `index` of type `type` into global 0. */
function fold(index: number, type: string): number[] {
  const get = [0x20, ...leb(index)];
  let bits: number[];
  if (type === "i32") bits = [...get, 0xad];
  else if (type === "i64") bits = get;
  else if (type === "f32") bits = [0x42, ...sleb(0x7fc00000n), ...get, 0xbc, 0xad, ...get, ...get, 0x5c, 0x1b]; // select(nan, bits, x != x)
  else bits = [0x42, ...sleb(0x7ff8000000000000n), ...get, 0xbd, ...get, ...get, 0x62, 0x1b];
  return [0x23, 0, ...bits, 0x85, 0x42, ...sleb(FNV_PRIME), 0x7e, 0x24, 0];
}

export interface SupportImport { name: string; signature: Signature; }

/** Null when an import cannot be provided (not a function, or reference types). */
export function supportModule(wanted: SupportImport[]): Uint8Array | null {
  const imports = wanted.filter((entry, index) => wanted.findIndex((other) => other.name === entry.name) === index);
  const numeric = (types: string[]) => types.every((t) => t in constOp);
  if (!imports.every((entry) => numeric(entry.signature.params) && numeric(entry.signature.results))) return null;
  const types = imports.map((entry) => funcType(entry.signature.params, entry.signature.results));
  const bodies = imports.map((entry) => {
    const code: number[] = [];
    if (entry.name.startsWith("log-")) entry.signature.params.forEach((type, index) => code.push(...fold(index, type)));
    for (const type of entry.signature.results) code.push(...constOp[type]);
    code.push(0x0b);
    return functionBody([], code);
  });
  const bytes = [...WASM_HEADER];
  bytes.push(...section(1, vector(types)));
  bytes.push(...section(3, vector(imports.map((_, index) => leb(index)))));
  bytes.push(...section(6, vector([[0x7e, 0x01, 0x42, 0x00, 0x0b]])));
  bytes.push(...section(7, vector([
    ...imports.map((entry, index) => [...name(entry.name), 0x00, ...leb(index)]),
    [...name(LOG_HASH_EXPORT), 0x03, 0x00],
  ])));
  bytes.push(...section(10, vector(bodies)));
  return new Uint8Array(bytes);
}
