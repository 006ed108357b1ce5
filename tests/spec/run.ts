// The spec harness: converts the pinned spec tests, plans one script per
// file, runs it once per bounds mode (natively, or in V8 to prove the
// harness), judges every assertion and prints
//
//   spec: i32.wast guard 460/460
//   ...
//   spec: N passed, M failed
//
// Execution checks count once per mode; validation checks (assert_invalid,
// binary assert_malformed, run against our validator) count once. The full
// list of failures goes to build/spec/failures.txt (failures-v8.txt for V8).

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir, repoRoot } from "../../sdk/host/paths";
import { judge } from "./check";
import { convertSpec, SpecFile } from "./convert";
import { excludedFiles, excludedKinds } from "./exclusions";
import { runScriptNatively } from "./native-backend";
import { planSpecFile, SpecPlan } from "./plan";
import { pool } from "./pool";
import { Outcome, Script, ScriptCommand } from "./script";
import { explainV8Difference, v8Differences } from "./v8-differences";
import { runScriptInV8 } from "./v8-backend";
import { validationVerdict } from "./validation";
import { formatSpec } from "../../sdk/host/script";

export type BoundsMode = "guard" | "explicit";
export type Backend = "native" | "v8";

export interface SpecOptions {
  /** Only files whose name contains this text. */
  filter?: string;
  bounds?: BoundsMode[];
  backend?: Backend;
  /** Parallel native runs (default 2). */
  jobs?: number;
  /** Failure lines printed per file and mode (default 5); all go to failures.txt. */
  shownFailures?: number;
  /** Print per-file lines only for files with failures. */
  quiet?: boolean;
  log?: (line: string) => void;
}

export interface SpecTally {
  passed: number;
  failed: number;
  /** V8 backend only: disagreements explained in v8-differences.ts, not counted as failures. */
  explained: number;
  excluded: number;
}

const spectestSource = join(repoRoot, "tests", "spec", "spectest.wat");

/** tests/spec/spectest.wat assembled by wat2wasm into build/spec/spectest.wasm. */
export function spectestWasm(): string {
  const output = join(buildDir, "spec", "spectest.wasm");
  if (!existsSync(output) || statSync(output).mtimeMs < statSync(spectestSource).mtimeMs) {
    mkdirSync(join(buildDir, "spec"), { recursive: true });
    execFileSync("wat2wasm", [spectestSource, "-o", output]);
  }
  return output;
}

/** The name a spec file is printed under: `i32.wast`, `bulk-memory/bulk.wast`. */
export function displayName(file: string): string {
  return file.startsWith("bulk-memory.") ? `bulk-memory/${file.slice("bulk-memory.".length)}.wast` : `${file}.wast`;
}

function describeCommand(command: ScriptCommand): string {
  switch (command.op) {
    case "instantiate": return `instantiate module ${command.component}`;
    case "register": return `register ${JSON.stringify(command.name)}`;
    case "invoke": return `invoke ${JSON.stringify(command.name)}(${command.args.map(formatSpec).join(" ")})`;
    case "get": return `get ${JSON.stringify(command.name)}`;
    case "start": return "start";
  }
}

interface JobResult { lines: string[]; failures: string[]; passed: number; failed: number; explained: number; }

const compilerWasm = join(buildDir, "compiler.wasm");

/** Where every failure of a run is listed (one file per backend: both may run at once). */
function failuresFile(backend: Backend): string {
  return backend === "v8" ? "failures-v8.txt" : "failures.txt";
}

function judgeRun(plan: SpecPlan, mode: string, outcomes: Outcome[], backend: Backend, shown: number): JobResult {
  const more = `build/spec/${failuresFile(backend)}`;
  const result: JobResult = { lines: [], failures: [], passed: 0, failed: 0, explained: 0 };
  const file = displayName(plan.name);
  const printed: string[] = [];
  for (const check of plan.checks) {
    const outcome = outcomes[check.command];
    const verdict = judge(check, outcome);
    if (verdict.pass) { result.passed++; continue; }
    const where = `${file}:${check.line} ${mode} ${check.kind} ${describeCommand(plan.commands[check.command])}`;
    const reason = backend === "v8" ? explainV8Difference(plan.name, check, outcome) : null;
    if (reason) { result.explained++; result.failures.push(`${where}: ${verdict.detail} [V8 difference: ${reason}]`); continue; }
    result.failed++;
    result.failures.push(`${where}: ${verdict.detail}`);
    if (printed.length < shown) printed.push(`  ✗ ${where}: ${verdict.detail}`);
  }
  const total = plan.checks.length;
  const explained = result.explained ? ` (${result.explained} V8 differences explained)` : "";
  // When nothing ran for one reason (no native path yet, say), one line says so.
  const reasons = new Set(outcomes.map((o) => o.kind === "not-run" ? o.message : ""));
  if (result.passed === 0 && reasons.size === 1 && !reasons.has("")) {
    result.lines.push(`spec: ${file} ${mode} 0/${total} (not run: ${[...reasons][0]})`);
    return result;
  }
  result.lines.push(`spec: ${file} ${mode} ${result.passed}/${total}${explained}`, ...printed);
  if (result.failed > printed.length) result.lines.push(`  ... ${result.failed - printed.length} more in ${more}`);
  return result;
}

function validateAll(plan: SpecPlan, shown: number, backend: Backend): JobResult {
  const more = `build/spec/${failuresFile(backend)}`;
  const result: JobResult = { lines: [], failures: [], passed: 0, failed: 0, explained: 0 };
  if (plan.validations.length === 0) return result;
  const file = displayName(plan.name);
  const printed: string[] = [];
  if (!existsSync(compilerWasm)) {
    result.failed = plan.validations.length;
    result.failures.push(`${file}: ${plan.validations.length} validation checks not run: build/compiler.wasm is missing`);
    result.lines.push(`spec: ${file} validation 0/${plan.validations.length} (build/compiler.wasm is missing)`);
    return result;
  }
  for (const check of plan.validations) {
    const verdict = validationVerdict(new Uint8Array(readFileSync(check.file)));
    if (verdict.pass) { result.passed++; continue; }
    result.failed++;
    const line = `${file}:${check.line} ${check.kind} (${check.text}): ${verdict.detail}`;
    result.failures.push(line);
    if (printed.length < shown) printed.push(`  ✗ ${line}`);
  }
  result.lines.push(`spec: ${file} validation ${result.passed}/${plan.validations.length}`, ...printed);
  if (result.failed > printed.length) result.lines.push(`  ... ${result.failed - printed.length} more in ${more}`);
  return result;
}

export async function runSpec(options: SpecOptions = {}): Promise<SpecTally> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const backend = options.backend ?? "native";
  const modes: string[] = backend === "v8" ? ["v8"] : options.bounds ?? ["guard", "explicit"];
  const shown = options.shownFailures ?? 5;
  const started = Date.now();

  const files: SpecFile[] = convertSpec((line) => log(`spec: ${line}`))
    .filter((file) => !options.filter || displayName(file.name).includes(options.filter));
  const spectest = spectestWasm();
  const plans = files.map((file) => planSpecFile(file.name, file.json, file.dir, spectest));

  const tasks: Array<() => Promise<JobResult>> = [];
  for (const plan of plans) {
    const components = plan.components.map((path) => new Uint8Array(readFileSync(path)));
    const script: Script = { components, commands: plan.commands };
    // Files with validation checks only (utf8-*.wast, say) need no executable.
    for (const mode of plan.checks.length ? modes : []) {
      tasks.push(async () => {
        const outcomes = backend === "v8"
          ? runScriptInV8(script)
          : await runScriptNatively(script, mode as BoundsMode);
        return judgeRun(plan, mode, outcomes, backend, shown);
      });
    }
    tasks.push(async () => validateAll(plan, shown, backend));
  }

  // Results print in file order as soon as everything before them is done.
  const results: Array<JobResult | undefined> = new Array(tasks.length);
  let printedUpTo = 0;
  const flush = () => {
    while (printedUpTo < results.length && results[printedUpTo]) {
      const result = results[printedUpTo]!;
      if (!options.quiet || result.failed > 0) for (const line of result.lines) log(line);
      printedUpTo++;
    }
  };
  await pool(tasks.length, backend === "v8" ? 1 : options.jobs ?? 2, async (index) => {
    results[index] = await tasks[index]();
    flush();
    return results[index]!;
  });

  const tally: SpecTally = { passed: 0, failed: 0, explained: 0, excluded: 0 };
  const failures: string[] = [];
  for (const result of results as JobResult[]) {
    tally.passed += result.passed;
    tally.failed += result.failed;
    tally.explained += result.explained;
    failures.push(...result.failures);
  }
  mkdirSync(join(buildDir, "spec"), { recursive: true });
  writeFileSync(join(buildDir, "spec", failuresFile(backend)), failures.join("\n") + (failures.length ? "\n" : ""));

  for (const [file, reason] of Object.entries(excludedFiles)) log(`spec: excluded file ${file}: ${reason}`);
  const excludedCounts = new Map<string, number>();
  for (const plan of plans) for (const check of plan.excluded) excludedCounts.set(check.kind, (excludedCounts.get(check.kind) ?? 0) + 1);
  for (const [kind, reason] of Object.entries(excludedKinds)) {
    const count = excludedCounts.get(kind) ?? 0;
    tally.excluded += count;
    log(`spec: excluded ${count} ${kind}: ${reason}`);
  }
  if (backend === "v8") {
    log(`spec: ${tally.explained} V8 differences explained (tests/spec/v8-differences.ts: ${v8Differences.length} rules), not counted`);
  }
  log(`spec: time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`spec: ${tally.passed} passed, ${tally.failed} failed`);
  return tally;
}
