// `npm run fuzz-kernel -- N [--seed S] [--workers W] [--batch B] [--attacks LIST] [--keep-going] [--log DIR]`:
// N system calls in all against the kernel, from the fuzz workers of
// tests/os/fuzz, in boots of at most B calls each (default 250,000); boot i
// runs with seed S + i. LIST: `all` (the default), `none`, or attack names
// separated by commas, each optionally prefixed by `-` to take it away
// from all (`-readonly,-stack`). Prints every boot's figures, the outcome
// counts of all boots, the calls per second, and for a failing boot the
// problems, the kernel's report and the command that replays it. Exits 1
// when any boot failed. --log DIR keeps each boot's serial log as DIR/fuzz-SEED.log.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ATTACKS, kernelSideFaults, runFuzz, type Attack, type FuzzRun } from "./fuzz-boot";

function usage(message: string): never {
  console.error(`fuzz-kernel: ${message}`);
  console.error("usage: npm run fuzz-kernel -- N [--seed S] [--workers W] [--batch B] [--attacks all|none|NAME,-NAME,...] [--keep-going] [--log DIR]");
  console.error(`attacks: ${ATTACKS.join(", ")}`);
  process.exit(2);
}

export function parseAttacks(text: string): Attack[] {
  if (text === "all") return [...ATTACKS];
  if (text === "none" || text === "") return [];
  const words = text.split(",").map((word) => word.trim()).filter((word) => word.length > 0);
  const removing = words.every((word) => word.startsWith("-"));
  const chosen = new Set<Attack>(removing ? ATTACKS : []);
  for (const word of words) {
    const name = word.replace(/^[-+]/, "") as Attack;
    if (!ATTACKS.includes(name)) usage(`unknown attack ${name}`);
    if (word.startsWith("-")) chosen.delete(name); else chosen.add(name);
  }
  return ATTACKS.filter((attack) => chosen.has(attack));
}

function parseArguments(argv: string[]) {
  let log = "", total = NaN, seed = Date.now() % 1_000_000_000, workers = 4, batch = 250_000, attacks: Attack[] = [...ATTACKS], keepGoing = false;
  const words = argv.flatMap((word) => /^--\w+=/.test(word) ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)] : [word]);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const value = () => { const next = words[++i]; if (next === undefined) usage(`${word} needs a value`); return next; };
    if (word === "--seed") seed = Number(value());
    else if (word === "--workers") workers = Number(value());
    else if (word === "--batch") batch = Number(value());
    else if (word === "--attacks") attacks = parseAttacks(value());
    else if (word === "--keep-going") keepGoing = true;
    else if (word === "--log") log = value();
    else if (/^\d+(e\d+)?$/.test(word)) total = Number(word);
    else usage(`unknown argument ${word}`);
  }
  if (!Number.isFinite(total) || total <= 0) usage("the number of calls is missing");
  if (!Number.isInteger(seed) || seed < 0) usage("the seed must be a non-negative integer");
  if (!(workers >= 1 && workers <= 16)) usage("workers: 1..16");
  if (!(batch >= 1)) usage("batch must be positive");
  return { total, seed, workers, batch, attacks, keepGoing, log };
}

function describe(run: FuzzRun): string {
  const rate = run.fuzzMs > 0 ? Math.round(run.calls / (run.fuzzMs / 1000)) : 0;
  return `seed ${run.settings.seed}: ${run.calls} calls in ${(run.fuzzMs / 1000).toFixed(1)} s of fuzzing (${rate} calls/s, ${run.accel}), boot ${(run.elapsedMs / 1000).toFixed(1)} s; `
    + `${run.workerEnds.length} worker ends, ${run.componentFaults.length} worker faults (${kernelSideFaults(run).length} in kernel code)`;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  console.log(`fuzz-kernel: ${options.total} calls, seed ${options.seed}, ${options.workers} workers, batches of ${options.batch}, attacks ${options.attacks.join(",") || "none"}`);
  const outcomes = new Map<string, number>();
  const perCall = new Map<string, number>();
  const ends = new Map<string, number>();
  let calls = 0, fuzzMs = 0, failed = 0, boots = 0;
  for (let done = 0; done < options.total;) {
    const size = Math.min(options.batch, options.total - done);
    const seed = options.seed + boots;
    boots++;
    const run = await runFuzz({ seed, calls: size, workers: options.workers, attacks: options.attacks });
    console.log(`boot ${boots}: ${describe(run)}`);
    if (options.log) { mkdirSync(options.log, { recursive: true }); writeFileSync(join(options.log, `fuzz-${seed}.log`), run.serial); }
    calls += run.calls;
    fuzzMs += run.fuzzMs;
    done += size;
    for (const [name, count] of run.outcomes) outcomes.set(name, (outcomes.get(name) ?? 0) + count);
    for (const [name, count] of run.perCall) perCall.set(name, (perCall.get(name) ?? 0) + count);
    for (const end of run.workerEnds) {
      const how = end.replace(/^.*?: /, "").replace(/ function -?\d+ offset 0x[0-9a-f]+$/, "").replace(/^exited -?\d+$/, "exited (component.exit)");
      ends.set(how, (ends.get(how) ?? 0) + 1);
    }
    for (const line of kernelSideFaults(run).slice(0, 3)) console.log(`  kernel-side fault: ${line}`);
    if (run.problems.length > 0) {
      failed++;
      console.log(`  FAILED (seed ${seed}):`);
      for (const problem of run.problems) console.log(`    ${problem}`);
      if (run.kernelReport.length > 0) { console.log("  the kernel's report:"); for (const line of run.kernelReport) console.log(`    ${line.trimEnd()}`); }
      console.log(`  replay: npm run fuzz-kernel -- ${size} --seed ${seed} --workers ${options.workers} --batch ${size} --attacks ${options.attacks.join(",") || "none"}`);
      if (!options.keepGoing) break;
    }
  }
  console.log(`fuzz-kernel: ${calls} calls in ${boots} boots, ${(fuzzMs / 1000).toFixed(1)} s of fuzzing: ${fuzzMs > 0 ? Math.round(calls / (fuzzMs / 1000)) : 0} calls/s`);
  console.log(`outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} ${count}`).join(", ")}`);
  console.log(`calls: ${[...perCall].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} ${count}`).join(", ")}`);
  console.log(`worker ends: ${[...ends].sort((a, b) => b[1] - a[1]).map(([how, count]) => `${how} ×${count}`).join(", ") || "none"}`);
  console.log(`fuzz-kernel: ${failed === 0 ? "ok" : `${failed} failing boot(s)`}`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
