// `npm run bench`: the benchmark suite (each program natively and in V8,
// the native/V8 time ratio, their geometric mean) and compile throughput.
// Prints figures only; nothing is asserted about them, and a missing native
// path is reported, not fatal.

import { basename } from "node:path";
import { buildProgram } from "./build-programs";
import { benchPrograms, REPEAT } from "./programs";
import { runBenchmark } from "./suite";
import { corpus, measureThroughput } from "./throughput";
import { benchBoot } from "../boot/bench";
import { benchKernel } from "./kernel";
import { benchFs } from "./fs";
import { benchDesktop } from "./desktop";

const log = (line: string) => process.stdout.write(`${line}\n`);
const figure = (value: number | string) => typeof value === "number" ? value.toFixed(1).padStart(9) : "        —";
// `npm run bench -- compiler`: the programs and compile throughput, no boot.
const compilerOnly = process.argv[2] === "compiler";
const filter = compilerOnly ? undefined : process.argv[2];

log(`bench: each program: one warm-up call, then ${REPEAT} timed calls; ms per call; native is linux-x64 in guard-region mode`);
log(`bench: ${"program".padEnd(11)} ${"kind".padEnd(8)} ${"native ms".padStart(9)} ${"V8 ms".padStart(9)} ${"native/V8".padStart(9)}  checksum`);
const ratios: number[] = [];
const problems: string[] = [];
for (const program of benchPrograms) {
  if (filter && !program.name.includes(filter)) continue;
  const result = await runBenchmark(program);
  let ratio = "        —";
  if (typeof result.nativeMs === "number" && typeof result.v8Ms === "number" && !result.mismatch) {
    ratios.push(result.nativeMs / result.v8Ms);
    ratio = (result.nativeMs / result.v8Ms).toFixed(2).padStart(9);
  }
  log(`bench: ${program.name.padEnd(11)} ${program.kind.padEnd(8)} ${figure(result.nativeMs)} ${figure(result.v8Ms)} ${ratio}  ${result.checksum}`);
  if (typeof result.nativeMs === "string") problems.push(`${program.name}: native: ${result.nativeMs}`);
  if (typeof result.v8Ms === "string") problems.push(`${program.name}: V8: ${result.v8Ms}`);
  if (result.mismatch) problems.push(`${program.name}: ${result.mismatch}`);
}
if (ratios.length) {
  const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
  log(`bench: geometric mean native/V8 ${geomean.toFixed(2)} over ${ratios.length} programs (goal ≤ 1.3)`);
} else {
  log("bench: geometric mean native/V8 — (no program ran on both sides)");
}
for (const problem of problems) log(`bench: ✗ ${problem}`);

if (!filter) {
  const paths = corpus(benchPrograms.map((program) => { try { return buildProgram(program.name); } catch { return ""; } }).filter(Boolean));
  log(`bench: compile corpus: ${paths.map((path) => basename(path)).join(", ")}`);
  const throughput = measureThroughput(paths);
  const rate = (value: number | string) => typeof value === "number" ? `${value.toFixed(2)} MB/s` : `— (${value})`;
  log(`bench: compile throughput over ${(throughput.bytes / 1024).toFixed(0)} KiB of wasm`);
  log(`bench:   compiler in V8      ${rate(throughput.v8)}`);
  log(`bench:   compiler native     ${rate(throughput.native)} wall clock, start-up included, one process per module (best of 3 each)${throughput.identical ? `; outputs identical to V8's: ${throughput.identical}` : ""}`);
  if (throughput.nativeCompileOnly !== undefined && throughput.startupMs !== undefined) {
    log(`bench:   compiler native     ${rate(throughput.nativeCompileOnly)} start-up excluded: an empty module's whole run (${throughput.startupMs.toFixed(1)} ms) subtracted per module (goal ≥ 30 MB/s)`);
  }
}

if (compilerOnly) process.exit(0);
if (!filter || filter === "boot") await benchBoot(log);
if (!filter || filter === "kernel") await benchKernel(log);
if (!filter || filter === "fs") await benchFs(log);
if (!filter || filter === "desktop") await benchDesktop(log);
