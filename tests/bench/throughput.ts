// Compile throughput, in MB of wasm per second: the compiler running in V8
// (runCompiler, a fresh instance per module as every host use does) and the
// compiler compiled to linux-x64 (build/compiler-cli.wasm, the WASI command,
// one process per module, each timed as the best of three runs). The native
// figure the goal is about takes the start-up out: the whole run of the same
// executable on an empty 8-byte module (exec, the runtime's set-up, loading
// the compiler, reading and writing the files; best of five) is subtracted
// from each module's run. The corpus is
// the compiler's own wasm (library and command forms) and the benchmark
// programs. The goal's own figure is measured apart: the compiler's wasm
// (build/compiler.wasm) alone, best of five native runs less the start-up,
// and, when they are installed, the processor time the compile takes beyond
// the empty module's (perf's task clock, the mean of ten runs each, which a
// loaded machine disturbs far less than the wall clock) and the instructions
// (Callgrind's count, steady where timings on a shared machine are not).

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Command, runCompiler } from "../../sdk/host/compiler";
import { COMPILE_TIER2, linkLinux, temporaryDirectory, writeExecutable } from "../../sdk/host/linux";
import { buildDir } from "../../sdk/host/paths";
import { ScriptBuilder } from "../../sdk/host/script";

export interface Throughput {
  bytes: number;
  /** MB/s, or why there is no figure. */
  v8: number | string;
  /** The compiler in V8 with the optimizing tier (flag COMPILE_TIER2). */
  v8Tier2: number | string;
  native: number | string;
  /** Native with the optimizing tier, start-up subtracted as for nativeCompileOnly. */
  nativeTier2CompileOnly?: number;
  /** Native, with each process's start-up (an empty module's run, best of five) subtracted from its run. */
  nativeCompileOnly?: number;
  /** Milliseconds to start the native compiler and compile an empty module. */
  startupMs?: number;
  /** The compiler's own wasm alone, native, start-up excluded (best of five): the goal's figure. */
  ownCompileOnly?: number;
  /** Its size in bytes. */
  ownBytes?: number;
  /** The same figure from the task clock (perf stat, mean of ten runs each, the empty module's subtracted), or why there is none. */
  ownTaskClock?: number | string;
  /** Instructions the native compiler executes on its own wasm beyond the empty module's run (Callgrind), or why there is no count. */
  ownInstructions?: number | string;
  /** How many native outputs are byte-identical to the V8-hosted compiler's. */
  identical?: string;
}

const MB = 1024 * 1024;

export function corpus(programs: string[]): string[] {
  const own = ["compiler.wasm", "compiler-cli.wasm"].map((name) => join(buildDir, name));
  return [...own, ...programs].filter((path) => existsSync(path));
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

export function measureThroughput(paths: string[]): Throughput {
  const inputs = paths.map((path) => new Uint8Array(readFileSync(path)));
  const bytes = inputs.reduce((sum, input) => sum + input.length, 0);
  const result: Throughput = { bytes, v8: "", v8Tier2: "", native: "" };

  // V8: one warm-up pass (V8 tiers the compiler's code up), then the best of three.
  const outputs: Uint8Array[] = [];
  const v8Rate = (flags: number, keep: Uint8Array[]): number | string => {
    try {
      for (const input of inputs) keep.push(runCompiler(Command.Compile, [input], flags));
      let best = Infinity;
      for (let pass = 0; pass < 3; pass++) {
        const started = process.hrtime.bigint();
        for (const input of inputs) runCompiler(Command.Compile, [input], flags);
        best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
      }
      return bytes / MB / best;
    } catch (error) {
      return `the compiler in V8 failed: ${message(error)}`;
    }
  };
  result.v8 = v8Rate(0, outputs);
  result.v8Tier2 = v8Rate(COMPILE_TIER2, []);

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
    // Start-up: the best of five runs on the smallest module there is.
    const empty = join(directory.path, "empty.wasm");
    writeFileSync(empty, new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    let startup = Infinity;
    for (let run = 0; run < 5; run++) {
      const started = process.hrtime.bigint();
      const result = spawnSync(executable, [String(Command.Compile), empty, "-o", `${empty}.out`], { encoding: "utf8", timeout: 60_000 });
      if (result.status !== 0) throw new Error(`empty module: status ${result.status ?? result.signal}: ${(result.stderr || result.stdout).trim()}`);
      startup = Math.min(startup, Number(process.hrtime.bigint() - started) / 1e9);
    }
    // The best of three per module, like V8's passes: one slow run on a loaded machine is noise, not the compiler.
    const nativeSeconds = (flags: number): number => {
      let seconds = 0;
      for (const path of paths) {
        const output = join(directory.path, `${basename(path)}.out`);
        let best = Infinity;
        for (let run = 0; run < 3; run++) {
          const started = process.hrtime.bigint();
          const result = spawnSync(executable, [String(Command.Compile), "--flags", String(flags), path, "-o", output], { encoding: "utf8", timeout: 600_000 });
          best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
          if (result.status !== 0) throw new Error(`${basename(path)}: status ${result.status ?? result.signal}: ${(result.stderr || result.stdout).trim()}`);
        }
        seconds += best;
      }
      return seconds;
    };
    const own = paths.find((path) => basename(path) === "compiler.wasm");
    if (own) {
      const output = join(directory.path, "own.out");
      let best = Infinity;
      for (let run = 0; run < 5; run++) {
        const started = process.hrtime.bigint();
        const result = spawnSync(executable, [String(Command.Compile), own, "-o", output], { encoding: "utf8", timeout: 600_000 });
        best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
        if (result.status !== 0) throw new Error(`compiler.wasm: status ${result.status ?? result.signal}: ${(result.stderr || result.stdout).trim()}`);
      }
      result.ownBytes = statSync(own).size;
      if (best > startup) result.ownCompileOnly = result.ownBytes / MB / (best - startup);
      result.ownTaskClock = taskClockRate(executable, own, empty, result.ownBytes, directory.path);
      result.ownInstructions = countInstructions(executable, own, empty, directory.path);
    }
    const tier2Seconds = nativeSeconds(COMPILE_TIER2);
    const seconds = nativeSeconds(0);
    let identical = 0;
    for (const [index, path] of paths.entries()) {
      const output = join(directory.path, `${basename(path)}.out`);
      if (outputs[index] && Buffer.compare(readFileSync(output), outputs[index]) === 0) identical++;
    }
    if (tier2Seconds - startup * paths.length > 0) result.nativeTier2CompileOnly = bytes / MB / (tier2Seconds - startup * paths.length);
    result.native = bytes / MB / seconds;
    result.startupMs = startup * 1000;
    const compiling = seconds - startup * paths.length;
    if (compiling > 0) result.nativeCompileOnly = bytes / MB / compiling;
    if (outputs.length) result.identical = `${identical}/${paths.length}`;
  } catch (error) {
    result.native = `the native compiler failed: ${message(error)}`;
  } finally {
    directory.remove();
  }
  return result;
}

/** Callgrind's instruction count of one native compile. */
function callgrindCount(executable: string, input: string, directory: string): number {
  const out = join(directory, "callgrind.out");
  const result = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${out}`, executable, String(Command.Compile), input, "-o", join(directory, "callgrind.bin")],
    { encoding: "utf8", timeout: 600_000 });
  if (result.error) throw result.error;
  const match = /Collected : (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !match) throw new Error(`callgrind on ${basename(input)}: status ${result.status ?? result.signal}`);
  return Number(match[1]);
}

/** Instructions the native compiler executes on `input` beyond its run on the empty module, or why there is no count. */
function countInstructions(executable: string, input: string, empty: string, directory: string): number | string {
  try {
    return callgrindCount(executable, input, directory) - callgrindCount(executable, empty, directory);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "valgrind is not installed" : message(error);
  }
}

/** Mean task clock, in ms, of ten runs of the native compiler on `input` (perf stat). */
function taskClockMs(executable: string, input: string, directory: string): number {
  const result = spawnSync("perf", ["stat", "-x,", "-e", "task-clock", "-r", "10", executable, String(Command.Compile), input, "-o", join(directory, "perf.bin")],
    { encoding: "utf8", timeout: 600_000 });
  if (result.error) throw result.error;
  const line = result.stderr.split("\n").find((text) => text.includes("task-clock"));
  const ms = line ? Number(line.split(",")[0]) : NaN;
  if (result.status !== 0 || !Number.isFinite(ms)) throw new Error(`perf stat on ${basename(input)}: status ${result.status ?? result.signal}: ${result.stderr.trim().split("\n")[0]}`);
  return ms;
}

/** MB/s of the compile of `input` by the task clock, the empty module's run subtracted, or why there is no figure. */
function taskClockRate(executable: string, input: string, empty: string, bytes: number, directory: string): number | string {
  try {
    const ms = taskClockMs(executable, input, directory) - taskClockMs(executable, empty, directory);
    return ms > 0 ? bytes / MB / (ms / 1000) : "the compile took no longer than the empty module";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "perf is not installed" : message(error);
  }
}
