// What `delos compile` and `delos run` share: reading a module file, asking
// the compiler what it exports, and the script that runs it as a program
// (docs/linux-runtime.md): instantiate it, then call `--invoke NAME ARGS`,
// or `_start` when it is a WASI command, or nothing more (its start function
// ran at instantiation).

import { existsSync, readFileSync, statSync } from "node:fs";
import { CompileError } from "../host/compiler";
import { describeModule, ExportDescription, isNumberType } from "../host/describe";
import { f32, f64, fromBits, i32, i64, ScriptBuilder, Value } from "../host/script";
import { UsageError } from "./command";

export interface ModuleFile {
  path: string;
  bytes: Uint8Array;
  exports: ExportDescription[];
}

/** Reads and validates a module; every problem is a one-line UsageError naming the file. */
export function readModule(path: string): ModuleFile {
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  if (!statSync(path).isFile()) throw new UsageError(`not a file: ${path}`);
  const bytes = new Uint8Array(readFileSync(path));
  try {
    return { path, bytes, exports: describeModule(bytes) };
  } catch (error) {
    if (error instanceof CompileError) throw new UsageError(`${path}: invalid module: ${error.message}`);
    throw error;
  }
}

export interface Invocation {
  name: string;
  args: string[];
}

/** The script that runs the module: instance 0 of component 0. */
export function programScript(module: ModuleFile, invocation: Invocation | null): Uint8Array {
  const script = new ScriptBuilder().instantiate(0, 0);
  if (invocation) {
    const target = module.exports.find((entry) => entry.name === invocation.name);
    if (!target) throw new UsageError(`${module.path} exports no function named ${JSON.stringify(invocation.name)}`);
    if (target.kind !== "func") throw new UsageError(`${module.path}: export ${JSON.stringify(invocation.name)} is a ${target.kind}, not a function`);
    const signature = `${invocation.name}(${target.params.join(", ")})`;
    if (invocation.args.length !== target.params.length)
      throw new UsageError(`${signature} takes ${target.params.length} argument${target.params.length === 1 ? "" : "s"}, ${invocation.args.length} given`);
    for (const type of [...target.params, ...target.results])
      if (!isNumberType(type)) throw new UsageError(`${signature} uses type ${type}, which cannot be passed or printed`);
    const values = invocation.args.map((text, index) => parseValue(text, target.params[index], `argument ${index + 1} of ${signature}`));
    script.invoke(0, invocation.name, values);
  } else if (module.exports.some((entry) => entry.name === "_start" && entry.kind === "func")) {
    script.start(0);
  }
  return script.bytes();
}

const integerPattern = /^[+-]?(0x[0-9a-f]+|0b[01]+|0o[0-7]+|[0-9]+)$/i;

/** Parses a command-line argument as a wasm value of `type`. */
export function parseValue(text: string, type: string, what: string): Value {
  const wrong = () => new UsageError(`${what} must be ${describeType(type)}, not ${JSON.stringify(text)}`);
  if (type === "i32" || type === "i64") {
    if (!integerPattern.test(text)) throw wrong();
    const negative = text.startsWith("-");
    const magnitude = BigInt(text.replace(/^[+-]/, ""));
    const value = negative ? -magnitude : magnitude;
    const bits = type === "i32" ? 32n : 64n;
    if (value < -(1n << (bits - 1n)) || value >= 1n << bits) throw new UsageError(`${what} is out of range for ${type}: ${text}`);
    return type === "i32" ? i32(value) : i64(value);
  }
  const lower = text.toLowerCase();
  let value: number;
  if (lower === "nan" || lower === "+nan") value = NaN;
  else if (lower === "-nan") return fromBits(type === "f32" ? "f32" : "f64", type === "f32" ? 0xffc00000n : 0xfff8000000000000n);
  else if (lower === "inf" || lower === "+inf" || lower === "infinity") value = Infinity;
  else if (lower === "-inf" || lower === "-infinity") value = -Infinity;
  else {
    value = text.trim() === "" ? NaN : Number(text);
    if (Number.isNaN(value)) throw wrong();
  }
  return type === "f32" ? f32(value) : f64(value);
}

function describeType(type: string): string {
  if (type === "i32") return "a 32-bit integer";
  if (type === "i64") return "a 64-bit integer";
  return `a number (${type})`;
}
