// Tests of the runtime's script runner (sdk/runtime/linux/runner.ts): every
// command in plain output and in spec output, value printing, traps, link
// errors, linking between components, repeat timing, and the exit statuses
// of docs/linux-runtime.md. Modules are written in the text format and
// assembled with wabt's wat2wasm; scripts come from sdk/host/script.ts.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { runLinux, temporaryDirectory, type RunResult } from "../../sdk/host/linux";
import {
  f32, f64, formatPlain, fromBits, i32, i64, parseSpecOutput, ScriptBuilder, type Value,
} from "../../sdk/host/script";

/** Assembles a module from the text format. */
function wat(text: string): Uint8Array {
  const directory = temporaryDirectory("delos-wat-");
  try {
    const source = join(directory.path, "module.wat");
    const output = join(directory.path, "module.wasm");
    writeFileSync(source, text);
    execFileSync("wat2wasm", [source, "-o", output]);
    return new Uint8Array(readFileSync(output));
  } finally {
    directory.remove();
  }
}

const values = `(module
  (global $counter (mut i32) (i32.const 0))
  (global (export "g32") i32 (i32.const -7))
  (global (export "g64") (mut i64) (i64.const -9000000000))
  (global (export "gf32") f32 (f32.const 0.1))
  (global (export "gf64") f64 (f64.const -0))
  (func (export "i32") (param i32) (result i32) local.get 0)
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "f64") (param f64) (result f64) local.get 0)
  (func (export "multi") (result i32 i64 f32 f64)
    i32.const -1 i64.const -2 f32.const 1.5 f64.const -nan)
  (func (export "nothing"))
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "count") (result i32)
    global.get $counter i32.const 1 i32.add global.set $counter global.get $counter)
  (func (export "sum") (param i32 i64 f32 f64) (result f64)
    local.get 0 f64.convert_i32_s local.get 1 f64.convert_i64_s f64.add
    local.get 2 f64.promote_f32 f64.add local.get 3 f64.add)
)`;

const provider = `(module
  (memory (export "memory") 1 2)
  (data (i32.const 8) "\\2a")
  (global (export "base") i32 (i32.const 8))
  (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "twice") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
)`;

const consumer = `(module
  (import "provider" "twice" (func $twice (param i32) (result i32)))
  (import "provider" "memory" (memory 1))
  (import "provider" "base" (global $base i32))
  (data (global.get $base) "\\07")
  (func (export "run") (param i32) (result i32) local.get 0 call $twice)
)`;

const wrongType = `(module
  (import "provider" "twice" (func (param i64) (result i32)))
)`;

const starts = `(module
  (import "provider" "memory" (memory 1))
  (func $start i32.const 100 i32.const 99 i32.store8 unreachable)
  (start $start)
)`;

const command = `(module
  (global $ran (mut i32) (i32.const 0))
  (func (export "_start") i32.const 1 global.set $ran)
  (func (export "ran") (result i32) global.get $ran)
)`;

function lines(result: RunResult): string[] {
  return result.stdout.split("\n").filter((line) => line !== "");
}

export function register(test: TestFunction): void {
  let modules: { values: Uint8Array; provider: Uint8Array; consumer: Uint8Array; wrongType: Uint8Array; starts: Uint8Array; command: Uint8Array } | null = null;
  const module = () => modules ??= {
    values: wat(values), provider: wat(provider), consumer: wat(consumer), wrongType: wat(wrongType),
    starts: wat(starts), command: wat(command),
  };

  test("plain output prints each result as TYPE:VALUE", (t) => {
    const cases: Array<[string, Value]> = [
      ["i32", i32(-1)], ["i32", i32(0x7fffffff)], ["i64", i64(-9007199254740993n)], ["i64", i64(0)],
      ["f32", f32(0.1)], ["f32", f32(-3.4028234663852886e38)], ["f32", fromBits("f32", 1)], ["f32", fromBits("f32", 0x7fc00000)],
      ["f64", f64(1.5)], ["f64", f64(1e21)], ["f64", f64(5e-324)], ["f64", f64(-0)], ["f64", f64(Infinity)],
      ["f64", f64(-Infinity)], ["f64", f64(NaN)], ["f64", f64(0.000001)], ["f64", f64(1e-7)], ["f64", f64(123456789012345680000)],
    ];
    const script = new ScriptBuilder().instantiate(0, 0);
    for (const [name, value] of cases) script.invoke(0, name, [value]);
    const result = runLinux([module().values], script.bytes());
    t.eq(result.stderr, "");
    t.eq(result.status, 0);
    t.eq(lines(result), cases.map(([, value]) => formatPlain(value)));
    t.ok(lines(result).includes("f64:nan") && lines(result).includes("f64:-inf") && lines(result).includes("f64:-0")
      && lines(result).includes("f64:1e+21") && lines(result).includes("f32:0.1"), lines(result).join(" "));
  });

  test("plain output: several results, globals, no results, arguments of every type", (t) => {
    const script = new ScriptBuilder().instantiate(0, 0)
      .invoke(0, "multi").get(0, "g32").get(0, "g64").get(0, "gf32").get(0, "gf64").invoke(0, "nothing")
      .invoke(0, "sum", [i32(-1), i64(1n << 40n), f32(0.5), f64(0.25)]);
    const result = runLinux([module().values], script.bytes());
    t.eq(lines(result), ["i32:-1", "i64:-2", "f32:1.5", "f64:nan", "i32:-7", "i64:-9000000000", "f32:0.1", "f64:-0",
      `f64:${(1 << 30) * 1024 - 1 + 0.75}`]);
    t.eq(result.status, 0);
  });

  test("plain output: repeat prints the results once, then time_ns", (t) => {
    const result = runLinux([module().values], new ScriptBuilder().instantiate(0, 0).invoke(0, "count", [], 1000).invoke(0, "count").bytes());
    const output = lines(result);
    t.eq(output[0], "i32:1000", "the function ran 1000 times");
    t.ok(/^time_ns: \d+$/.test(output[1]), output[1]);
    t.eq(output[2], "i32:1001");
  });

  test("plain output: a trap ends the run with status 3", (t) => {
    const script = new ScriptBuilder().instantiate(0, 0).invoke(0, "div", [i32(1), i32(0)]).invoke(0, "i32", [i32(5)]);
    const result = runLinux([module().values], script.bytes());
    t.ok(/^trap: integer divide by zero\n  at function \d+, wasm offset 0x[0-9a-f]+\n$/.test(result.stderr), result.stderr);
    t.eq(result.stdout, "", "nothing runs after the trap");
    t.eq(result.status, 3);
  });

  test("plain output: a link error ends the run with status 4", (t) => {
    const result = runLinux([module().consumer], new ScriptBuilder().instantiate(0, 0).bytes());
    t.eq(result.stderr, "link error: unknown import provider.twice\n");
    t.eq(result.status, 4);
  });

  test("plain output: a command that cannot run ends the run with status 2", (t) => {
    let result = runLinux([module().values], new ScriptBuilder().instantiate(0, 0).invoke(0, "missing").bytes());
    t.eq(result.stderr, "error: no function export \"missing\"\n");
    t.eq(result.status, 2);
    result = runLinux([module().values], new ScriptBuilder().instantiate(0, 0).invoke(0, "i32", [i64(1)]).bytes());
    t.eq(result.stderr, "error: \"i32\" has type [i32] -> [i32]\n");
    t.eq(result.status, 2);
    result = runLinux([module().values], new ScriptBuilder().instantiate(3, 0).bytes());
    t.eq(result.stderr, "error: no component 3 in the payload\n");
    t.eq(result.status, 2);
  });

  test("spec output: one line per command, raw bits, the run goes on after failures", (t) => {
    const script = new ScriptBuilder({ spec: true })
      .instantiate(0, 0)                                    // 0
      .invoke(0, "i32", [i32(-1)])                           // 1
      .invoke(0, "f32", [f32(0.1)])                          // 2
      .invoke(0, "multi")                                    // 3
      .invoke(0, "nothing")                                  // 4
      .invoke(0, "div", [i32(1), i32(0)])                    // 5
      .invoke(0, "missing")                                  // 6
      .get(0, "gf64")                                        // 7
      .invoke(0, "count", [], 50)                            // 8
      .invoke(7, "i32", [i32(1)])                            // 9
      .invoke(0, "i64", [i64(-2)]);                          // 10
    const result = runLinux([module().values], script.bytes());
    t.eq(result.status, 0);
    const output = lines(result);
    t.eq(output.slice(0, 8), [
      "#0 ok", "#1 i32:4294967295", "#2 f32:0x3dcccccd", "#3 i32:4294967295 i64:18446744073709551614 f32:0x3fc00000 f64:0xfff8000000000000",
      "#4 ok", "#5 trap: integer divide by zero", "#6 error: no function export \"missing\"", "#7 f64:0x8000000000000000",
    ]);
    t.ok(/^#8 i32:50 time_ns: \d+$/.test(output[8]), output[8]);
    t.eq(output.slice(9), ["#9 error: no instance 7", "#10 i64:18446744073709551614"]);
    const parsed = parseSpecOutput(result.stdout);
    t.eq(parsed.size, 11, "the host reader sees every line");
    const timed = parsed.get(8);
    t.ok(timed?.kind === "values" && timed.values[0].bits === 50n && timed.timeNs !== undefined, "time_ns is read");
  });

  test("spec output: linking between instances through register", (t) => {
    const m = module();
    const script = new ScriptBuilder({ spec: true })
      .instantiate(1, 1)                 // 0: the consumer before the provider is registered
      .instantiate(0, 0)                 // 1
      .register(0, "provider")           // 2
      .instantiate(2, 2)                 // 3: wrong function type
      .instantiate(1, 1)                 // 4
      .invoke(1, "run", [i32(21)])       // 5
      .invoke(0, "load", [i32(8)])       // 6: the consumer's data segment wrote the shared memory
      .instantiate(3, 3)                 // 7: a start function that traps after writing memory
      .invoke(0, "load", [i32(100)])     // 8
      .invoke(3, "run", [i32(1)]);       // 9: the trapped instance does not exist
    const result = runLinux([m.provider, m.consumer, m.wrongType, m.starts], script.bytes());
    t.eq(lines(result), [
      "#0 unlinkable: unknown import provider.twice",
      "#1 ok",
      "#2 ok",
      "#3 unlinkable: incompatible import type for provider.twice (expected [i64] -> [i32], found [i32] -> [i32])",
      "#4 ok",
      "#5 i32:42",
      "#6 i32:7",
      "#7 trap: unreachable",
      "#8 i32:99",
      "#9 error: no instance 3",
    ]);
  });

  test("start calls the exported _start", (t) => {
    const result = runLinux([module().command], new ScriptBuilder({ spec: true }).instantiate(0, 0).invoke(0, "ran").start(0).invoke(0, "ran").bytes());
    t.eq(lines(result), ["#0 ok", "#1 i32:0", "#2 ok", "#3 i32:1"]);
    const missing = runLinux([module().values], new ScriptBuilder({ spec: true }).instantiate(0, 0).start(0).bytes());
    t.eq(lines(missing), ["#0 ok", "#1 error: no function export \"_start\""]);
  });

  test("explicit bounds mode runs the same script", (t) => {
    const m = module();
    const script = new ScriptBuilder({ spec: true }).instantiate(0, 0).register(0, "provider").instantiate(1, 1)
      .invoke(1, "run", [i32(4)]).invoke(0, "load", [i32(65536)]);
    const result = runLinux([m.provider, m.consumer], script.bytes(), { bounds: "explicit" });
    t.eq(lines(result), ["#0 ok", "#1 ok", "#2 ok", "#3 i32:8", "#4 trap: out of bounds memory access"]);
  });
}
