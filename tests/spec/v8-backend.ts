// Runs a Script with Node's WebAssembly API instead of native code, with the
// semantics the linux-x64 runtime gives scripts in spec-output mode: the same
// commands, the same outcomes, trap messages translated to the ABI's words
// (traps.ts). It proves the harnesses before the native path exists, and it
// is the reference side of the differential fuzzer and the benchmarks.
//
// Known differences from the native runtime, all from V8 implementing later
// proposals: segment bounds are checked while initialising (bulk memory), so
// a segment that does not fit traps after earlier segments were written,
// instead of failing to link with no effect; and V8 does not tell apart some
// trap kinds (traps.ts lists them as alternatives).

import { functionWrapper, globalWrapper } from "./bit-wrappers";
import { Outcome, Script, ScriptCommand } from "./script";
import { abiMessageOfV8 } from "./traps";
import { mask, Value } from "./values";
import { ModuleShape, readModuleShape, Signature } from "./wasm-reader";

type Exports = Record<string, WebAssembly.ExportValue>;
type HostModules = Record<string, Record<string, unknown>>;

interface LiveInstance { exports: Exports; shape: ModuleShape; }

/** What a thrown error means for a script command. */
function outcomeOfError(error: unknown): Outcome {
  if (error instanceof WebAssembly.RuntimeError) return { kind: "trap", message: abiMessageOfV8(error.message) };
  if (error instanceof RangeError && /call stack/i.test(error.message)) return { kind: "trap", message: abiMessageOfV8(error.message) };
  if (error instanceof WebAssembly.LinkError) return { kind: "unlinkable", message: error.message.replace(/^WebAssembly\.Instance\(\): /, "") };
  if (error instanceof WebAssembly.CompileError) return { kind: "error", message: error.message };
  return { kind: "error", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

export class V8Runner {
  private readonly registry = new Map<string, Exports>();
  private readonly instances = new Map<number, LiveInstance>();
  private readonly wrappers = new Map<string, WebAssembly.Module>();
  private readonly compiled = new Map<number, WebAssembly.Module>();

  constructor(private readonly script: Script, hostModules: HostModules = {}) {
    for (const [name, fields] of Object.entries(hostModules)) this.registry.set(name, fields as Exports);
  }

  run(): Outcome[] {
    return this.script.commands.map((command) => {
      try {
        return this.execute(command);
      } catch (error) {
        return outcomeOfError(error);
      }
    });
  }

  private execute(command: ScriptCommand): Outcome {
    switch (command.op) {
      case "instantiate": return this.instantiate(command.component, command.instance);
      case "register": {
        this.registry.set(command.name, this.instance(command.instance).exports);
        return { kind: "ok" };
      }
      case "invoke": return this.invoke(command.instance, command.name, command.args, command.repeat ?? 1);
      case "get": return this.get(command.instance, command.name);
      case "start": {
        const start = this.instance(command.instance).exports._start;
        if (typeof start !== "function") return { kind: "error", message: "no exported _start" };
        start();
        return { kind: "ok" };
      }
    }
  }

  private instance(index: number): LiveInstance {
    const live = this.instances.get(index);
    if (!live) throw new Error(`instance ${index} does not exist`);
    return live;
  }

  private instantiate(component: number, index: number): Outcome {
    const bytes = this.script.components[component];
    let module = this.compiled.get(component);
    if (!module) {
      module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      this.compiled.set(component, module);
    }
    const imports: Record<string, Record<string, unknown>> = {};
    for (const { module: from, name } of WebAssembly.Module.imports(module)) {
      const provider = this.registry.get(from);
      if (!provider || !(name in provider)) return { kind: "unlinkable", message: `unknown import ${from}.${name}` };
      (imports[from] ??= {})[name] = provider[name];
    }
    const instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
    this.instances.set(index, { exports: instance.exports, shape: readModuleShape(bytes) });
    return { kind: "ok" };
  }

  private wrapper(key: string, build: () => Uint8Array | null): WebAssembly.Module | null {
    let module = this.wrappers.get(key);
    if (!module) {
      const bytes = build();
      if (!bytes) return null;
      module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      this.wrappers.set(key, module);
    }
    return module;
  }

  private invoke(index: number, name: string, args: Value[], repeat: number): Outcome {
    const live = this.instance(index);
    const target = live.exports[name];
    const shape = live.shape.exports.find((e) => e.name === name);
    if (typeof target !== "function" || shape?.kind !== "func") return { kind: "error", message: `no exported function ${name}` };
    const signature: Signature = shape.signature;
    const module = this.wrapper(`${signature.params}->${signature.results}`, () => functionWrapper(signature));
    if (!module) return { kind: "error", message: `cannot call ${name}: reference types in its signature` };
    const call = new WebAssembly.Instance(module, { target: { function: target } }).exports.call as (...args: unknown[]) => unknown;
    const jsArgs = args.map((arg) => arg.type === "i64" || arg.type === "f64" ? BigInt.asIntN(64, arg.bits) : Number(BigInt.asIntN(32, arg.bits)));
    let result: unknown;
    const started = process.hrtime.bigint();
    for (let n = 0; n < Math.max(1, repeat); n++) result = call(...jsArgs);
    const elapsed = process.hrtime.bigint() - started;
    const raw = signature.results.length === 1 ? [result] : signature.results.length === 0 ? [] : result as unknown[];
    const values = signature.results.map((type, i) => ({ type, bits: mask(type as Value["type"], BigInt(raw[i] as number | bigint)) }) as Value);
    return repeat > 1 ? { kind: "values", values, timeNs: elapsed } : { kind: "values", values };
  }

  private get(index: number, name: string): Outcome {
    const live = this.instance(index);
    const target = live.exports[name];
    const shape = live.shape.exports.find((e) => e.name === name);
    if (!(target instanceof WebAssembly.Global) || shape?.kind !== "global") return { kind: "error", message: `no exported global ${name}` };
    const module = this.wrapper(`global ${shape.type} ${shape.mutable}`, () => globalWrapper(shape.type, shape.mutable));
    if (!module) return { kind: "error", message: `cannot read ${name}: reference type` };
    const call = new WebAssembly.Instance(module, { target: { global: target } }).exports.call as () => number | bigint;
    return { kind: "values", values: [{ type: shape.type as Value["type"], bits: mask(shape.type as Value["type"], BigInt(call())) }] };
  }
}

/** Runs a whole script in V8: one outcome per command. */
export function runScriptInV8(script: Script, hostModules: HostModules = {}): Outcome[] {
  return new V8Runner(script, hostModules).run();
}
