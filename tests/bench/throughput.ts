// Compile throughput, in MB of wasm per second: the compiler running in V8
// (runCompiler, a fresh instance per module as every host use does) and the
// compiler compiled to linux-x64 (build/compiler-cli.wasm, the WASI command,
// one process per module, so process start-up is included). The corpus is
// the compiler's own wasm (library and command forms), the linux runtime
// and the benchmark programs.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Command, runCompiler } from "../../sdk/host/compiler";
import { linkLinux, temporaryDirectory, writeExecutable } from "../../sdk/host/linux";
import { buildDir } from "../../sdk/host/paths";
import { ScriptBuilder } from "../../sdk/host/script";

export interface Throughput {
  bytes: number;
  /** MB/s, or why there is no figure. */
  v8: number | string;
  native: number | string;
  /** How many native outputs are byte-identical to the V8-hosted compiler's. */
  identical?: string;
}

const MB = 1024 * 1024;

export function corpus(programs: string[]): string[] {
  const own = ["compiler.wasm", "compiler-cli.wasm", "runtime-linux.wasm"].map((name) => join(buildDir, name));
  return [...own, ...programs].filter((path) => existsSync(path));
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

export function measureThroughput(paths: string[]): Throughput {
  const inputs = paths.map((path) => new Uint8Array(readFileSync(path)));
  const bytes = inputs.reduce((sum, input) => sum + input.length, 0);
  const result: Throughput = { bytes, v8: "", native: "" };

  // V8: one warm-up pass (V8 tiers the compiler's code up), then the best of three.
  const outputs: Uint8Array[] = [];
  try {
    for (const input of inputs) outputs.push(runCompiler(Command.Compile, [input]));
    let best = Infinity;
    for (let pass = 0; pass < 3; pass++) {
      const started = process.hrtime.bigint();
      for (const input of inputs) runCompiler(Command.Compile, [input]);
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
    }
    result.v8 = bytes / MB / best;
  } catch (error) {
    result.v8 = `the compiler in V8 failed: ${message(error)}`;
  }

  // Native: the WASI command compiled to an executable, one process per module.
  const cli = join(buildDir, "compiler-cli.wasm");
  if (!existsSync(cli)) {
    result.native = "build/compiler-cli.wasm is missing";
    return result;
  }
  const directory = temporaryDirectory("delos-bench-");
  try {
    const executable = join(directory.path, "compiler");
    writeExecutable(executable, linkLinux([new Uint8Array(readFileSync(cli))], new ScriptBuilder().instantiate(0, 0).start(0).bytes()));
    let seconds = 0;
    let identical = 0;
    for (const [index, path] of paths.entries()) {
      const output = join(directory.path, `${basename(path)}.out`);
      const started = process.hrtime.bigint();
      const run = spawnSync(executable, [String(Command.Compile), path, "-o", output], { encoding: "utf8", timeout: 600_000 });
      seconds += Number(process.hrtime.bigint() - started) / 1e9;
      if (run.status !== 0) throw new Error(`${basename(path)}: status ${run.status ?? run.signal}: ${(run.stderr || run.stdout).trim()}`);
      if (outputs[index] && Buffer.compare(readFileSync(output), outputs[index]) === 0) identical++;
    }
    result.native = bytes / MB / seconds;
    if (outputs.length) result.identical = `${identical}/${paths.length}`;
  } catch (error) {
    result.native = `the native compiler failed: ${message(error)}`;
  } finally {
    directory.remove();
  }
  return result;
}
