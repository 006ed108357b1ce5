// `npm run bench`: the benchmark suite (each program natively, in V8 and,
// when it can be had, under Wasmtime's Cranelift; the time ratios and their
// geometric means) and compile throughput.
// Prints figures only; nothing is asserted about them, and a missing native
// path is reported, not fatal.

import { basename } from "node:path";
import { buildProgram } from "./build-programs";
import { benchPrograms, PASSES, REPEAT, ROUNDS } from "./programs";
import { runBenchmark } from "./suite";
import { corpus, measureThroughput } from "./throughput";
import { benchBoot } from "../boot/bench";
import { benchKernel } from "./kernel";
import { benchFs } from "./fs";
import { benchDesktop } from "./desktop";
import { wasmtimeReady } from "./wasmtime";

const log = (line: string) => process.stdout.write(`${line}\n`);
const figure = (value: number | string) => typeof value === "number" ? value.toFixed(1).padStart(9) : "        —";
// `npm run bench -- compiler`: the programs and compile throughput, no boot;
// `npm run bench -- NAME...`: the programs whose names contain one of the NAMEs.
const compilerOnly = process.argv[2] === "compiler";
const filters = compilerOnly ? [] : process.argv.slice(2);

log(`bench: each program: one warm-up call, then ${ROUNDS} timed rounds of ${REPEAT} calls, in ${PASSES} passes over the engines; ms per call in the best round; native is linux-x64 in guard-region mode`);
const wasmtime = wasmtimeReady(log);
const withWasmtime = wasmtime === true;
log(withWasmtime
  ? "bench: Cranelift is Wasmtime 49's optimizing compiler (opt level speed), from its Python package in build/bench-venv"
  : `bench: no Cranelift column: ${wasmtime}`);
const craneliftHead = withWasmtime ? ` ${"Cranelift ms".padStart(12)} ${"native/Cranelift".padStart(16)} ${"tier2/Cranelift".padStart(15)}` : "";
log(`bench: ${"program".padEnd(11)} ${"kind".padEnd(8)} ${"native ms".padStart(9)} ${"tier2 ms".padStart(9)} ${"V8 ms".padStart(9)} ${"native/V8".padStart(9)} ${"tier2/V8".padStart(9)}${craneliftHead}  tier-2 functions (fell back)  checksum`);
const ratios: number[] = [];
const tier2Ratios: number[] = [];
const craneliftRatios: number[] = [];
const tier2CraneliftRatios: number[] = [];
const problems: string[] = [];
/** `a / b` right-aligned in `width`, and pushed onto `into`, when both are figures and the checksums agree. */
const quotient = (a: number | string | undefined, b: number | string | undefined, width: number, into: number[], agree: boolean) => {
  if (typeof a !== "number" || typeof b !== "number" || !agree) return "—".padStart(width);
  into.push(a / b);
  return (a / b).toFixed(2).padStart(width);
};
for (const program of benchPrograms) {
  if (filters.length && !filters.some((name) => program.name.includes(name))) continue;
  const result = await runBenchmark(program, withWasmtime);
  const agree = !result.mismatch;
  const ratio = quotient(result.nativeMs, result.v8Ms, 9, ratios, agree);
  const tier2Ratio = quotient(result.tier2Ms, result.v8Ms, 9, tier2Ratios, agree);
  const cranelift = withWasmtime
    ? ` ${figure(result.craneliftMs ?? "").padStart(12)} ${quotient(result.nativeMs, result.craneliftMs, 16, craneliftRatios, agree)} ${quotient(result.tier2Ms, result.craneliftMs, 15, tier2CraneliftRatios, agree)}`
    : "";
  const functions = `${result.tier2Functions} (${result.tier2Fallbacks})`.padStart(28);
  log(`bench: ${program.name.padEnd(11)} ${program.kind.padEnd(8)} ${figure(result.nativeMs)} ${figure(result.tier2Ms)} ${figure(result.v8Ms)} ${ratio} ${tier2Ratio}${cranelift}  ${functions}  ${result.checksum}`);
  if (typeof result.tier2Ms === "string") problems.push(`${program.name}: tier 2: ${result.tier2Ms}`);
  if (typeof result.nativeMs === "string") problems.push(`${program.name}: native: ${result.nativeMs}`);
  if (typeof result.v8Ms === "string") problems.push(`${program.name}: V8: ${result.v8Ms}`);
  if (typeof result.craneliftMs === "string") problems.push(`${program.name}: ${result.craneliftMs}`);
  if (result.mismatch) problems.push(`${program.name}: ${result.mismatch}`);
}
const geomean = (values: number[]) => Math.exp(values.reduce((sum, r) => sum + Math.log(r), 0) / values.length);
if (ratios.length) {
  log(`bench: geometric mean native/V8 ${geomean(ratios).toFixed(2)} over ${ratios.length} programs (goal ≤ 1.3)`);
  if (tier2Ratios.length) {
    log(`bench: geometric mean tier2/V8 ${geomean(tier2Ratios).toFixed(2)} over ${tier2Ratios.length} programs; tier2/baseline ${(geomean(tier2Ratios) / geomean(ratios)).toFixed(2)}`);
  }
} else {
  log("bench: geometric mean native/V8 — (no program ran on both sides)");
}
if (craneliftRatios.length) {
  log(`bench: geometric mean native/Cranelift ${geomean(craneliftRatios).toFixed(2)} over ${craneliftRatios.length} programs, highest ${Math.max(...craneliftRatios).toFixed(2)} (the baseline)`);
}
if (tier2CraneliftRatios.length) {
  log(`bench: geometric mean tier2/Cranelift ${geomean(tier2CraneliftRatios).toFixed(2)} over ${tier2CraneliftRatios.length} programs, highest ${Math.max(...tier2CraneliftRatios).toFixed(2)} (the tier images install; goal ≤ 1.0, none above 1.5)`);
}
for (const problem of problems) log(`bench: ✗ ${problem}`);

if (!filters.length) {
  const paths = corpus(benchPrograms.map((program) => { try { return buildProgram(program.name); } catch { return ""; } }).filter(Boolean));
  log(`bench: compile corpus: ${paths.map((path) => basename(path)).join(", ")}`);
  const throughput = measureThroughput(paths);
  const rate = (value: number | string) => typeof value === "number" ? `${value.toFixed(2)} MB/s` : `— (${value})`;
  log(`bench: compile throughput over ${(throughput.bytes / 1024).toFixed(0)} KiB of wasm`);
  log(`bench:   compiler in V8      ${rate(throughput.v8)}`);
  log(`bench:   compiler in V8      ${rate(throughput.v8Tier2)} with the optimizing tier (functions it cannot lower compiled by the baseline)`);
  log(`bench:   compiler native     ${rate(throughput.native)} wall clock, start-up included, one process per module (best of 3 each)${throughput.identical ? `; outputs identical to V8's: ${throughput.identical}` : ""}`);
  if (throughput.nativeCompileOnly !== undefined && throughput.startupMs !== undefined) {
    log(`bench:   compiler native     ${rate(throughput.nativeCompileOnly)} start-up excluded: an empty module's whole run (${throughput.startupMs.toFixed(1)} ms) subtracted per module`);
    if (throughput.nativeTier2CompileOnly !== undefined) log(`bench:   compiler native     ${rate(throughput.nativeTier2CompileOnly)} start-up excluded, with the optimizing tier`);
  }
  // The goal's figure, on its own line whatever the corpus figures gave.
  if (throughput.ownBytes !== undefined) {
    const instructions = throughput.ownInstructions;
    const count = typeof instructions === "number"
      ? `; ${(instructions / 1e6).toFixed(1)} M instructions, ${(instructions / throughput.ownBytes).toFixed(0)} per wasm byte (Callgrind)`
      : instructions ? ` (no instruction count: ${instructions})` : "";
    const own = throughput.ownCompileOnly ?? "no run was longer than the start-up";
    log(`bench:   compiler native     ${rate(own)} on its own wasm (${(throughput.ownBytes / 1024).toFixed(0)} KiB, compiler.wasm), wall clock, start-up excluded, best of 5${count}`);
    // The wall clock of an 8 ms run moves with the machine's load (and so
    // does the start-up subtracted from it); processor time barely does.
    if (throughput.ownTaskClock !== undefined) log(`bench:   compiler native     ${rate(throughput.ownTaskClock)} on its own wasm by the task clock, start-up excluded (perf stat, mean of 10 runs, the empty module's subtracted; goal ≥ 30 MB/s)`);
  }
}

if (compilerOnly) process.exit(0);
if (!filters.length || filters.includes("boot")) await benchBoot(log);
if (!filters.length || filters.includes("kernel")) await benchKernel(log);
if (!filters.length || filters.includes("fs")) await benchFs(log);
if (!filters.length || filters.includes("desktop")) await benchDesktop(log);
