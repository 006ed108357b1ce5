// Support for the code generator's tests (codegen-*.test.ts): assemble a wat
// module, run a list of calls natively (through the linux-x64 executable, in
// one bounds mode) and in Node's V8, and compare the outcomes: values bit
// for bit (any NaN matches any NaN, since V8 and the spec allow different
// payloads), traps by message.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BoundsMode, runLinux, temporaryDirectory } from "../../sdk/host/linux";
import { ScriptBuilder, Value, ValueType, fromBits, formatSpec, parseSpecOutput } from "../../sdk/host/script";
import { abiMessageOfV8, trapMatches } from "../spec/traps";

export { i32, i64, f32, f64, fromBits } from "../../sdk/host/script";
export type { Value } from "../../sdk/host/script";

export const BOTH_MODES: BoundsMode[] = ["guard", "explicit"];

/** A wat module as a wasm binary (wat2wasm). */
export function wat(text: string): Uint8Array {
  const directory = temporaryDirectory("delos-codegen-");
  try {
    const source = join(directory.path, "module.wat");
    const output = join(directory.path, "module.wasm");
    writeFileSync(source, text);
    execFileSync("wat2wasm", [source, "-o", output], { stdio: ["ignore", "ignore", "pipe"] });
    return new Uint8Array(readFileSync(output));
  } finally {
    directory.remove();
  }
}

export interface Call {
  name: string;
  args: Value[];
}

/** What a call did: its results, or the message of the trap it raised. */
export type Outcome = { values: Value[] } | { trap: string };

/** Runs the calls natively, in order, on one instance. */
export function runNative(wasm: Uint8Array, calls: Call[], bounds: BoundsMode): Outcome[] {
  const script = new ScriptBuilder({ spec: true }).instantiate(0, 0);
  const first = script.count;
  for (const call of calls) script.invoke(0, call.name, call.args);
  const run = runLinux([wasm], script.bytes(), { bounds, timeoutMs: 60_000 });
  const results = parseSpecOutput(run.stdout);
  const instantiated = results.get(0);
  if (!instantiated || instantiated.kind !== "ok") {
    throw new Error(`instantiation failed: ${JSON.stringify(instantiated)} status ${run.status} ${run.stderr}`);
  }
  return calls.map((call, i) => {
    const result = results.get(first + i);
    if (!result) return { trap: `no result (status ${run.status}, signal ${run.signal}): ${run.stderr.slice(0, 200)}` };
    if (result.kind === "values") return { values: result.values };
    if (result.kind === "ok") return { values: [] };
    if (result.kind === "trap") return { trap: result.message };
    return { trap: `${result.kind}: ${result.message}` };
  });
}

function toJs(value: Value): number | bigint {
  const view = new DataView(new ArrayBuffer(8));
  switch (value.type) {
    case "i32": return Number(BigInt.asIntN(32, value.bits));
    case "i64": return BigInt.asIntN(64, value.bits);
    case "f32": view.setUint32(0, Number(value.bits), true); return view.getFloat32(0, true);
    case "f64": view.setBigUint64(0, value.bits, true); return view.getFloat64(0, true);
  }
}

function fromJs(type: ValueType, value: unknown): Value {
  const view = new DataView(new ArrayBuffer(8));
  switch (type) {
    case "i32": return fromBits("i32", BigInt(value as number));
    case "i64": return fromBits("i64", value as bigint);
    case "f32": view.setFloat32(0, value as number, true); return fromBits("f32", view.getUint32(0, true));
    case "f64": view.setFloat64(0, value as number, true); return fromBits("f64", view.getBigUint64(0, true));
  }
}

const typeNames: Record<number, ValueType> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };

/** The result types of each exported function, read from the binary with V8's reflection-free route: a tiny parser of the type, function and export sections. */
function exportResultTypes(wasm: Uint8Array): Map<string, ValueType[]> {
  let at = 8;
  const leb = (): number => {
    let result = 0, shift = 0, byte: number;
    do { byte = wasm[at++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    return result >>> 0;
  };
  const types: ValueType[][] = [];
  const funcTypes: number[] = [];
  const exports = new Map<string, ValueType[]>();
  let importedFuncs = 0;
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = leb();
    const end = at + size;
    if (id === 1) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        at++; // 0x60
        const params = leb(); at += params;
        const results = leb();
        const list: ValueType[] = [];
        for (let k = 0; k < results; k++) list.push(typeNames[wasm[at++]]);
        types.push(list);
      }
    } else if (id === 2) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        { const module = leb(); at += module; } { const name = leb(); at += name; }
        const kind = wasm[at++];
        if (kind === 0) { funcTypes.push(leb()); importedFuncs++; }
        else if (kind === 1) { at++; const flags = wasm[at++]; leb(); if (flags & 1) leb(); }
        else if (kind === 2) { const flags = wasm[at++]; leb(); if (flags & 1) leb(); }
        else { at += 2; }
      }
    } else if (id === 3) {
      const count = leb();
      for (let i = 0; i < count; i++) funcTypes.push(leb());
    } else if (id === 7) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const length = leb();
        const name = new TextDecoder().decode(wasm.subarray(at, at + length));
        at += length;
        const kind = wasm[at++];
        const index = leb();
        if (kind === 0) exports.set(name, types[funcTypes[index]]);
      }
    }
    at = end;
  }
  void importedFuncs;
  return exports;
}

/** Runs the calls in V8 (Node's WebAssembly), in order, on one instance. */
export function runV8(wasm: Uint8Array, calls: Call[]): Outcome[] {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), {});
  const resultTypes = exportResultTypes(wasm);
  return calls.map((call) => {
    const fn = instance.exports[call.name] as (...args: Array<number | bigint>) => unknown;
    const types = resultTypes.get(call.name) ?? [];
    try {
      const result = fn(...call.args.map(toJs));
      const list = types.length === 1 ? [result] : types.length === 0 ? [] : (result as unknown[]);
      return { values: types.map((type, i) => fromJs(type, list[i])) };
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) return { trap: abiMessageOfV8(error.message) };
      throw error;
    }
  });
}

function isNaNValue(value: Value): boolean {
  if (value.type === "f32") return (value.bits & 0x7f800000n) === 0x7f800000n && (value.bits & 0x7fffffn) !== 0n;
  if (value.type === "f64") return (value.bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (value.bits & 0xfffffffffffffn) !== 0n;
  return false;
}

function sameValue(a: Value, b: Value): boolean {
  if (a.type !== b.type) return false;
  if (isNaNValue(a) && isNaNValue(b)) return true;
  return a.bits === b.bits;
}

export function describeOutcome(outcome: Outcome): string {
  return "trap" in outcome ? `trap: ${outcome.trap}` : outcome.values.map(formatSpec).join(" ") || "(none)";
}

/** Mismatch descriptions between native outcomes and expected ones (V8's, or written by hand). */
export function compareOutcomes(calls: Call[], native: Outcome[], expected: Outcome[], label: string): string[] {
  const problems: string[] = [];
  calls.forEach((call, i) => {
    const got = native[i];
    const want = expected[i];
    let ok: boolean;
    if ("trap" in want) ok = "trap" in got && trapMatches(got.trap, want.trap);
    else ok = "values" in got && got.values.length === want.values.length && got.values.every((v, k) => sameValue(v, want.values[k]));
    if (!ok) problems.push(`${label} ${call.name}(${call.args.map(formatSpec).join(", ")}): got ${describeOutcome(got)}, want ${describeOutcome(want)}`);
  });
  return problems;
}

/** Runs the calls natively in every bounds mode and in V8; returns every disagreement. */
export function differential(wasm: Uint8Array, calls: Call[], modes: BoundsMode[] = BOTH_MODES): string[] {
  const expected = runV8(wasm, calls);
  const problems: string[] = [];
  for (const mode of modes) problems.push(...compareOutcomes(calls, runNative(wasm, calls, mode), expected, mode));
  return problems;
}

/** Runs the calls natively in every bounds mode against hand-written outcomes. */
export function expectOutcomes(wasm: Uint8Array, calls: Call[], expected: Outcome[], modes: BoundsMode[] = BOTH_MODES): string[] {
  const problems: string[] = [];
  for (const mode of modes) problems.push(...compareOutcomes(calls, runNative(wasm, calls, mode), expected, mode));
  return problems;
}
