// The linux-x64 target from the host's side: asks the compiler (running in
// Node) for a static executable holding the runtime, the compiled components
// and a script (docs/linux-runtime.md), writes it, and runs it natively.
//
// Everything that wants native results — `delos run`, the spec harness, the
// fuzzer, the benchmarks — goes through linkLinux and runExecutable, so the
// executable is produced and started the same way everywhere.

import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, runCompiler } from "./compiler";
import { buildDir } from "./paths";

export type BoundsMode = "guard" | "explicit";

/** Flag bits of the LinkLinux and Compile commands. */
export const LINK_EXPLICIT_BOUNDS = 1;
/** Compile only: a privileged component, which may import delos:native (the kernel, the linux runtime). */
export const COMPILE_PRIVILEGED = 2;
/** The modules go through the optimizing tier (functions it cannot lower yet through the baseline). */
export const COMPILE_TIER2 = 4;

/** Which compiler tier: 1 the baseline, 2 the optimizing tier. */
export type Tier = 1 | 2;

/** The tier when the caller names none: DELOS_TIER=2 in the environment selects the optimizing tier. */
export function defaultTier(): Tier {
  const value = process.env.DELOS_TIER;
  if (value === undefined || value === "" || value === "1") return 1;
  if (value === "2") return 2;
  throw new Error(`DELOS_TIER must be 1 or 2, not ${JSON.stringify(value)}`);
}

export interface LinkOptions {
  /** How generated code checks memory accesses (default: guard regions). */
  bounds?: BoundsMode;
  /** A runtime of the test's own instead of build/runtime-linux.wasm. */
  runtime?: Uint8Array;
  /** Compiler tier of the modules (default: defaultTier()). */
  tier?: Tier;
}

let runtime: Uint8Array | null = null;

/** The linux runtime's wasm (build/runtime-linux.wasm), read once. */
export function runtimeWasm(): Uint8Array {
  if (!runtime) {
    const path = join(buildDir, "runtime-linux.wasm");
    if (!existsSync(path)) throw new Error(`${path} is missing: run node sdk/build/build.mjs`);
    runtime = new Uint8Array(readFileSync(path));
  }
  return runtime;
}

function boundsFlags(options: LinkOptions): number {
  return (options.bounds === "explicit" ? LINK_EXPLICIT_BOUNDS : 0) | ((options.tier ?? defaultTier()) === 2 ? COMPILE_TIER2 : 0);
}

/**
 * A static linux-x64 executable running `script` over `modules` (component i
 * of the script is modules[i]). Throws CompileError naming the module when
 * one does not decode, validate or compile.
 */
export function linkLinux(modules: Uint8Array[], script: Uint8Array, options: LinkOptions = {}): Uint8Array {
  return runCompiler(Command.LinkLinux, [options.runtime ?? runtimeWasm(), script, ...modules], boundsFlags(options));
}

export interface ComponentOptions extends LinkOptions {
  /** Allow delos:native imports (only for the kernel and the linux runtime). */
  privileged?: boolean;
}

/** One module compiled to the `delos` component format (docs/delos-format.md). */
export function compileComponent(module: Uint8Array, options: ComponentOptions = {}): Uint8Array {
  return runCompiler(Command.Compile, [module], boundsFlags(options) | (options.privileged ? COMPILE_PRIVILEGED : 0));
}

/** Writes an executable file (mode 0755). */
export function writeExecutable(path: string, bytes: Uint8Array): void {
  writeFileSync(path, bytes);
  chmodSync(path, 0o755);
}

export interface RunOptions {
  /** Program arguments after argv[0]. */
  args?: string[];
  /** Kill the process after this many milliseconds (default: no limit). */
  timeoutMs?: number;
  /** Let the program write straight to this process's stdout/stderr instead of capturing. */
  inherit?: boolean;
  cwd?: string;
  input?: string | Uint8Array;
}

export interface RunResult {
  /** Exit status, or null when the process was killed by a signal. */
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs an executable to completion. */
export function runExecutable(path: string, options: RunOptions = {}): RunResult {
  const result = spawnSync(path, options.args ?? [], {
    cwd: options.cwd,
    input: options.input,
    timeout: options.timeoutMs,
    killSignal: "SIGKILL",
    stdio: options.inherit ? "inherit" : "pipe",
    maxBuffer: 256 * 1024 * 1024,
    encoding: "utf8",
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code !== "ETIMEDOUT") throw result.error;
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
    timedOut: (result.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT",
  };
}

/** A fresh temporary directory, and a function that removes it. */
export function temporaryDirectory(prefix = "delos-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Links, writes to a temporary file, runs and cleans up: the one-call form for harnesses. */
export function runLinux(modules: Uint8Array[], script: Uint8Array, options: LinkOptions & RunOptions = {}): RunResult {
  const executable = linkLinux(modules, script, options);
  const directory = temporaryDirectory();
  try {
    const path = join(directory.path, "program");
    writeExecutable(path, executable);
    return runExecutable(path, options);
  } finally {
    directory.remove();
  }
}
