// The differential fuzzer: N random modules (generate.ts), each run in V8
// and natively with the same script — call every exported function with
// seeded arguments, read the log hash after each call, then the state hash
// and every exported global — and every outcome compared (compare.ts).
// Prints `fuzz: N modules, K exports compared, D disagreements`, where D
// counts modules with at least one disagreement; each such module is saved
// in build/fuzz/failures/ with a one-line description.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatSpec } from "../../sdk/host/script";
import { buildDir } from "../../sdk/host/paths";
import { runScriptNatively } from "../spec/native-backend";
import { pool } from "../spec/pool";
import { describeOutcome, Outcome, Script, ScriptCommand } from "../spec/script";
import { runScriptInV8 } from "../spec/v8-backend";
import { readModuleShape } from "../spec/wasm-reader";
import { fuzzArguments } from "./arguments";
import { agree } from "./compare";
import { diagnoseState } from "./diagnose";
import { generateModule, moduleName } from "./generate";
import { addStateHash, STATE_HASH_EXPORT } from "./instrument";
import { Random } from "./random";
import { LOG_HASH_EXPORT, SUPPORT_MODULE, supportModule } from "./support";

export type BoundsChoice = "guard" | "explicit" | "alternate";

export interface FuzzOptions {
  count: number;
  seed: number;
  /** Bounds mode of the native side; `alternate` switches module by module (default). */
  bounds?: BoundsChoice;
  /**
   * What runs against V8: the native code (default), or V8 again, which
   * proves the fuzzer's own plumbing without the native path.
   */
  backend?: "native" | "v8";
  /** Compiler tier of the native side (default: defaultTier(), so DELOS_TIER=2 fuzzes the optimizing tier). */
  tier?: 1 | 2;
  /** Run only module number `only` of the seed's batch (to reproduce one failure). */
  only?: number;
  /** Keep NaNs in the modules (generate.ts); by default they are de-NaN-ed. */
  nans?: boolean;
  /** Modules in flight at once (default 2). */
  jobs?: number;
  log?: (line: string) => void;
}

export interface FuzzTally {
  modules: number;
  exportsCompared: number;
  disagreements: number;
  /** How V8's calls ended, counted: `values`, `trap unreachable`, ... */
  endings: Map<string, number>;
  /** Modules not compared (imports the fuzzer cannot provide, or rejected by V8), with the reason. */
  skipped: string[];
}

export interface Plan { script: Script; exportCommands: Set<number>; stateHashCommand: number; }

/** The script for one fuzz module: support module, the module, every export called, state read back. */
export function planModule(instrumented: Uint8Array, seed: number, index: number): Plan | string {
  const shape = readModuleShape(instrumented);
  const foreign = shape.imports.find((entry) => entry.module !== SUPPORT_MODULE || entry.kind !== "func");
  if (foreign) return `imports ${foreign.kind} ${foreign.module}.${foreign.name}`;
  const support = supportModule(shape.imports.map((entry) => ({ name: entry.name, signature: entry.signature! })));
  if (!support) return "imports a function with reference types";
  const random = new Random((seed ^ 0x5bd1e995) + index * 7919);
  const commands: ScriptCommand[] = [
    { op: "instantiate", component: 0, instance: 0 },
    { op: "register", instance: 0, name: SUPPORT_MODULE },
    { op: "instantiate", component: 1, instance: 1 },
  ];
  const exportCommands = new Set<number>();
  for (const entry of shape.exports) {
    if (entry.kind !== "func" || entry.name.startsWith("delos:")) continue;
    const { params, results } = entry.signature;
    if (![...params, ...results].every((t) => t === "i32" || t === "i64" || t === "f32" || t === "f64")) continue;
    exportCommands.add(commands.push({ op: "invoke", instance: 1, name: entry.name, args: fuzzArguments(random, params as Array<"i32">) }) - 1);
    commands.push({ op: "get", instance: 0, name: LOG_HASH_EXPORT });
  }
  const stateHashCommand = commands.push({ op: "invoke", instance: 1, name: STATE_HASH_EXPORT, args: [] }) - 1;
  for (const entry of shape.exports) if (entry.kind === "global") commands.push({ op: "get", instance: 1, name: entry.name });
  return { script: { components: [support, instrumented], commands }, exportCommands, stateHashCommand };
}

function describe(command: ScriptCommand): string {
  if (command.op === "invoke") return `invoke ${command.name}(${command.args.map(formatSpec).join(" ")})`;
  if (command.op === "get") return `get ${command.instance === 0 ? LOG_HASH_EXPORT : command.name}`;
  return command.op === "instantiate" ? `instantiate ${command.component === 0 ? SUPPORT_MODULE : "the module"}` : command.op;
}

interface ModuleResult {
  compared: number;
  /** What V8's calls of the exports ended with: `values`, or the trap message. */
  endings?: string[];
  disagreement: string | null;
  skipped: string | null;
  lines: string[];
}

async function fuzzOne(seed: number, index: number, bounds: "guard" | "explicit", options: FuzzOptions): Promise<ModuleResult> {
  const backend = options.backend ?? "native";
  const name = moduleName(seed, index, options);
  const generated = await generateModule(seed, index, options);
  const instrumented = addStateHash(generated.bytes);
  try {
    new WebAssembly.Module(instrumented as Uint8Array<ArrayBuffer>);
  } catch (error) {
    return { compared: 0, disagreement: null, skipped: `${name}: V8 rejects it: ${(error as Error).message}`, lines: [] };
  }
  const plan = planModule(instrumented, seed, index);
  if (typeof plan === "string") return { compared: 0, disagreement: null, skipped: `${name}: ${plan}`, lines: [] };

  const runNative = async (script: Script) => backend === "v8" ? runScriptInV8(script)
    : await runScriptNatively(script, bounds, { componentNames: [SUPPORT_MODULE, name], timeoutMs: 60_000, tier: options.tier });
  const reference = runScriptInV8(plan.script);
  const native = await runNative(plan.script);
  const differences: string[] = [];
  let compared = 0;
  // When the module's instantiation fails (its start function traps), the rest cannot run on either side.
  const instantiated = reference[2].kind === "ok";
  plan.script.commands.forEach((command, i) => {
    if (!instantiated && i > 2) return;
    if (plan.exportCommands.has(i) && native[i].kind !== "not-run") compared++;
    if (!agree(reference[i], native[i])) differences.push(`${describe(command)}: V8 ${describeOutcome(reference[i])}, native ${describeOutcome(native[i])}`);
  });
  const endings = [...plan.exportCommands].filter((i) => instantiated).map((i) => reference[i].kind === "trap" ? `trap ${(reference[i] as { message: string }).message.split(" | ")[0]}` : reference[i].kind);
  if (!instantiated) endings.push("start function trapped");
  if (differences.length === 0) return { compared, endings, disagreement: null, skipped: null, lines: [] };

  const summary = `${name} (${bounds}): ${differences[0]}${differences.length > 1 ? ` (and ${differences.length - 1} more)` : ""}`;
  let diagnosis: string[] = [];
  if (!agree(reference[plan.stateHashCommand], native[plan.stateHashCommand])) {
    try {
      diagnosis = await diagnoseState(plan.script, plan.script.commands.slice(0, plan.stateHashCommand),
        { reference, native }, async (script) => runScriptInV8(script), runNative);
    } catch (error) {
      diagnosis = [`diagnosis failed: ${(error as Error).message}`];
    }
  }
  const directory = join(buildDir, "fuzz", "failures");
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `${name}.wasm`), generated.bytes);
  const where = diagnosis.length ? `\nwhere the final states differ:\n${diagnosis.join("\n")}\n` : "";
  writeFileSync(join(directory, `${name}.txt`), `${summary}\n\n${differences.join("\n")}\n${where}`);
  return { compared, endings, disagreement: summary, skipped: null, lines: [`  ✗ ${summary}`, ...diagnosis.map((line) => `      ${line}`)] };
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzTally> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  const tally: FuzzTally = { modules: 0, exportsCompared: 0, disagreements: 0, endings: new Map(), skipped: [] };
  const indices = options.only !== undefined ? [options.only] : Array.from({ length: options.count }, (_, i) => i);
  await pool(indices.length, options.jobs ?? 2, async (position) => {
    const index = indices[position];
    const choice = options.bounds ?? "alternate";
    const bounds = choice === "alternate" ? (index % 2 === 0 ? "guard" : "explicit") : choice;
    let result: ModuleResult;
    try {
      result = await fuzzOne(options.seed, index, bounds, options);
    } catch (error) {
      result = { compared: 0, disagreement: `${moduleName(options.seed, index, options)}: the fuzzer failed: ${(error as Error).message}`, skipped: null, lines: [] };
      result.lines.push(`  ✗ ${result.disagreement}`);
    }
    if (result.skipped) tally.skipped.push(result.skipped);
    else tally.modules++;
    tally.exportsCompared += result.compared;
    if (result.disagreement) tally.disagreements++;
    for (const ending of result.endings ?? []) tally.endings.set(ending, (tally.endings.get(ending) ?? 0) + 1);
    for (const line of result.lines) log(line);
    return result;
  });
  for (const reason of tally.skipped) log(`fuzz: skipped ${reason}`);
  const endings = [...tally.endings].sort((a, b) => b[1] - a[1]).map(([ending, n]) => `${n} ${ending}`).join(", ");
  if (endings) log(`fuzz: calls ended with ${endings}`);
  log(`fuzz: seed ${options.seed}, time ${((Date.now() - started) / 1000).toFixed(1)} s${tally.disagreements ? ", failures in build/fuzz/failures/" : ""}`);
  log(`fuzz: ${tally.modules} modules, ${tally.exportsCompared} exports compared, ${tally.disagreements} disagreements`);
  return tally;
}
