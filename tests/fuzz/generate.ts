// Random valid modules from Binaryen's translate-to-fuzz mode (`wasm-opt
// -ttf`, npm package binaryen), fed with bytes from the seeded generator and
// restricted to the features the Delos compiler supports. `--denan` makes
// every float operation turn a NaN into 0: the spec lets NaN payloads differ
// between engines, and one differing payload, once stored or reinterpreted,
// would make everything after it differ too.
//
// Modules are cached in build/fuzz/modules/, named after the seed and their
// number, so a fixed-seed batch costs Binaryen's start-up (about a second a
// module) only once.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir, repoRoot } from "../../sdk/host/paths";
import { Random } from "./random";

/** The features of docs/compiler-abi.md's compiler, in wasm-opt's words. */
export const FUZZ_FEATURES = [
  "--mvp-features",
  "--enable-sign-ext",
  "--enable-nontrapping-float-to-int",
  "--enable-bulk-memory",
  "--enable-mutable-globals",
  "--enable-multivalue",
];

const wasmOpt = join(repoRoot, "node_modules", "binaryen", "bin", "wasm-opt");

export interface FuzzModule { seed: number; index: number; bytes: Uint8Array; }

export interface GenerateOptions {
  /** Keep NaNs (no --denan): payload differences then count as disagreements wherever they lead. */
  nans?: boolean;
}

export function moduleName(seed: number, index: number, options: GenerateOptions = {}): string {
  return `seed-${seed}-${index}${options.nans ? "-nans" : ""}`;
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wasmOpt, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on("error", reject);
    child.on("close", (status) => status === 0 ? resolve() : reject(new Error(`wasm-opt failed (${status}): ${stderr.trim()}`)));
  });
}

const pending = new Map<string, Promise<void>>();

/** Writes the module's file unless it is there; the file appears whole (renamed into place). */
async function ensureModule(seed: number, index: number, output: string, options: GenerateOptions): Promise<void> {
  if (existsSync(output)) return;
  const directory = join(buildDir, "fuzz", "modules");
  mkdirSync(directory, { recursive: true });
  const random = new Random((Math.imul(seed, 0x9e3779b1) + Math.imul(index, 0x85ebca6b)) >>> 0);
  // Input size drives module size: from a few functions to a few dozen.
  const unique = `${moduleName(seed, index, options)}.${process.pid}`;
  const input = join(directory, `${unique}.input`);
  const partial = join(directory, `${unique}.partial`);
  writeFileSync(input, random.bytes(1024 + random.below(12 * 1024)));
  try {
    await run([input, "-ttf", ...(options.nans ? [] : ["--denan"]), ...FUZZ_FEATURES, "-o", partial]);
    renameSync(partial, output);
  } finally {
    rmSync(input, { force: true });
    rmSync(partial, { force: true });
  }
}

/** Module number `index` of the batch seeded with `seed`: the same bytes every time. */
export async function generateModule(seed: number, index: number, options: GenerateOptions = {}): Promise<FuzzModule> {
  const output = join(buildDir, "fuzz", "modules", `${moduleName(seed, index, options)}.wasm`);
  let job = pending.get(output);
  if (!job) {
    job = ensureModule(seed, index, output, options);
    pending.set(output, job);
  }
  try {
    await job;
  } finally {
    pending.delete(output);
  }
  return { seed, index, bytes: new Uint8Array(readFileSync(output)) };
}
