// Bootstrap: the compiler compiles its own command-line form
// (build/compiler-cli.wasm) to a linux-x64 executable while running in V8;
// that native compiler, given the same inputs, must write byte-identical
// output to the compiler running in V8 — for its own wasm, for the library
// form, for programs, in both bounds modes, for a whole linux-x64 link, and
// with the same message for an invalid module.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Command, CompileError, runCompiler } from "../../sdk/host/compiler";
import { COMPILE_PRIVILEGED, LINK_EXPLICIT_BOUNDS, linkLinux, runtimeWasm, temporaryDirectory, writeExecutable } from "../../sdk/host/linux";
import { buildDir } from "../../sdk/host/paths";
import { ScriptBuilder } from "../../sdk/host/script";
import { buildProgram } from "../bench/build-programs";
import type { TestFunction } from "../harness";

const TIMEOUT_MS = 300_000;

export interface Job { name: string; command: Command; flags: number; inputs: string[]; }

/** What the native compiler writes for a job, or its failure. */
export function runNative(executable: string, job: Job, output: string): { status: number | null; stderr: string } {
  const args = [String(job.command), "--flags", String(job.flags), ...job.inputs, "-o", output];
  const run = spawnSync(executable, args, { encoding: "utf8", timeout: TIMEOUT_MS });
  return { status: run.status, stderr: `${run.stderr ?? ""}${run.signal ? ` (killed by ${run.signal})` : ""}`.trim() };
}

export function firstDifference(a: Uint8Array, b: Uint8Array): string {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return `first difference at byte ${i} of ${a.length} (V8) / ${b.length} (native)`;
  return `lengths ${a.length} (V8) / ${b.length} (native)`;
}

export function register(test: TestFunction) {
  test("the native compiler writes byte-identical output to the compiler in V8", (t) => {
    const cli = join(buildDir, "compiler-cli.wasm");
    t.ok(existsSync(cli), "build/compiler-cli.wasm exists");
    if (!existsSync(cli)) return;
    const directory = temporaryDirectory("delos-bootstrap-");
    try {
      const executable = join(directory.path, "compiler");
      const start = new ScriptBuilder().instantiate(0, 0).start(0).bytes();
      writeExecutable(executable, linkLinux([new Uint8Array(readFileSync(cli))], start));

      const runtime = join(directory.path, "runtime-linux.wasm");
      writeFileSync(runtime, runtimeWasm());
      const script = join(directory.path, "script.bin");
      writeFileSync(script, new ScriptBuilder({ spec: true }).instantiate(0, 0).invoke(0, "run", [{ type: "i32", bits: 30n }]).bytes());
      const fib = buildProgram("fib");
      const jobs: Job[] = [
        { name: "its own wasm", command: Command.Compile, flags: 0, inputs: [cli] },
        { name: "its own wasm, explicit bounds", command: Command.Compile, flags: LINK_EXPLICIT_BOUNDS, inputs: [cli] },
        { name: "the library form", command: Command.Compile, flags: 0, inputs: [join(buildDir, "compiler.wasm")] },
        { name: "the linux runtime (privileged)", command: Command.Compile, flags: COMPILE_PRIVILEGED, inputs: [runtime] },
        ...["strings", "nbody", "maps"].map((name) => ({ name, command: Command.Compile, flags: 0, inputs: [buildProgram(name)] })),
        { name: "a whole linux-x64 link", command: Command.LinkLinux, flags: 0, inputs: [runtime, script, fib] },
      ];
      for (const job of jobs) {
        const output = join(directory.path, `${basename(job.inputs[job.inputs.length - 1])}.${job.command}.${job.flags}.out`);
        let expected: Uint8Array;
        try {
          expected = runCompiler(job.command, job.inputs.map((path) => new Uint8Array(readFileSync(path))), job.flags);
        } catch (error) {
          t.fail(`${job.name}: the compiler in V8 failed: ${error instanceof Error ? error.message : error}`);
          continue;
        }
        const native = runNative(executable, job, output);
        if (native.status !== 0) {
          t.fail(`${job.name}: the native compiler exited with ${native.status}: ${native.stderr}`);
          continue;
        }
        const actual = new Uint8Array(readFileSync(output));
        t.ok(Buffer.compare(actual, expected) === 0, `${job.name}: ${Buffer.compare(actual, expected) === 0 ? `${actual.length} identical bytes` : firstDifference(expected, actual)}`);
      }

      // An invalid module: both reject it with the same message.
      const invalid = join(directory.path, "invalid.wasm");
      writeFileSync(invalid, new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00]));
      let message = "";
      try {
        runCompiler(Command.Compile, [new Uint8Array(readFileSync(invalid))]);
      } catch (error) {
        if (error instanceof CompileError) message = error.message;
      }
      const rejected = runNative(executable, { name: "invalid", command: Command.Compile, flags: 0, inputs: [invalid] }, join(directory.path, "invalid.out"));
      t.eq(rejected.status, 1, "the native compiler rejects an invalid module with status 1");
      t.eq(rejected.stderr, message, "with the message of the compiler in V8");
    } finally {
      directory.remove();
    }
  }, { timeout: TIMEOUT_MS * 4 });
}
