// Runs each benchmark program natively (linux-x64, guard-region mode, timed
// by the runtime's `time_ns` over rounds of `REPEAT` calls; once compiled by
// the baseline, once by the optimizing tier) and in this process's V8
// (the same script, timed with process.hrtime), after one warm-up call on
// each side; the figure is the best round's over PASSES passes over the
// engines (programs.ts). Checks that every side returns the same checksum.

import { readFileSync } from "node:fs";
import { formatSpec } from "../../sdk/host/script";
import { tier2Stats } from "../../sdk/host/compiler";
import { runScriptNatively } from "../spec/native-backend";
import { describeOutcome, Outcome, Script } from "../spec/script";
import { runScriptInV8 } from "../spec/v8-backend";
import { buildProgram } from "./build-programs";
import { BenchProgram, PASSES, REPEAT, ROUNDS } from "./programs";
import { runInWasmtime } from "./wasmtime";

export interface BenchResult {
  program: BenchProgram;
  /** Milliseconds per call, or why there is no figure. */
  nativeMs: number | string;
  /** The same native run with the modules compiled by the optimizing tier. */
  tier2Ms: number | string;
  /** Functions the optimizing tier compiled, and those it left to the baseline. */
  tier2Functions: number;
  tier2Fallbacks: number;
  v8Ms: number | string;
  /** Under Wasmtime's Cranelift (wasmtime.ts); undefined when the bench has no Wasmtime. */
  craneliftMs?: number | string;
  checksum: string;
  /** Set when both ran and the checksums differ. */
  mismatch?: string;
}

/** What AssemblyScript programs import, for the V8 side (the native runtime has its own). */
const assemblyScriptHost = {
  env: {
    abort(_message: number, _file: number, line: number, column: number) { throw new Error(`abort at ${line}:${column}`); },
    trace() {},
    seed() { return 0x5eed; },
  },
};

/** The best timed round's ms per call over every pass (each pass's outcomes after the warm-up), or what went wrong. */
function timing(passes: Outcome[][]): number | string {
  let best = Infinity;
  for (const outcome of passes.flatMap((outcomes) => outcomes.slice(2))) {
    if (outcome.kind !== "values" && outcome.kind !== "ok") return describeOutcome(outcome);
    if (outcome.timeNs === undefined) return "no time_ns in the output";
    best = Math.min(best, Number(outcome.timeNs) / 1e6 / REPEAT);
  }
  return best;
}

function checksumOf(outcome: Outcome): string | null {
  return outcome.kind === "values" ? outcome.values.map(formatSpec).join(" ") : null;
}

/** Runs `program` natively and in V8, and under Wasmtime when `withWasmtime`. */
export async function runBenchmark(program: BenchProgram, withWasmtime = false): Promise<BenchResult> {
  let bytes: Uint8Array;
  let path: string;
  try {
    path = buildProgram(program.name);
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    const text = `asc failed: ${(error as Error).message.split("\n")[0]}`;
    return { program, nativeMs: text, tier2Ms: text, tier2Functions: 0, tier2Fallbacks: 0, v8Ms: text, checksum: "" };
  }
  const n = { type: "i32" as const, bits: BigInt(program.n) };
  const script: Script = {
    components: [bytes],
    commands: [
      { op: "instantiate", component: 0, instance: 0 },
      { op: "invoke", instance: 0, name: "run", args: [n] },
      ...Array.from({ length: ROUNDS }, () => ({ op: "invoke" as const, instance: 0, name: "run", args: [n], repeat: REPEAT })),
    ],
  };
  // PASSES passes over the engines, each one's best round kept: a slow
  // stretch of a shared machine then falls on one pass of every engine
  // rather than on all rounds of one.
  const v8: Outcome[][] = [], native: Outcome[][] = [], optimized: Outcome[][] = [];
  let craneliftBest: number | string | undefined;
  let craneliftSum: string | undefined;
  for (let pass = 0; pass < PASSES; pass++) {
    v8.push(runScriptInV8(script, assemblyScriptHost));
    native.push(await runScriptNatively(script, "guard", { componentNames: [program.name], timeoutMs: 600_000, tier: 1 }));
    optimized.push(await runScriptNatively(script, "guard", { componentNames: [program.name], timeoutMs: 600_000, tier: 2 }));
    if (withWasmtime) {
      const cranelift = runInWasmtime(path, program.n, REPEAT, ROUNDS);
      if (typeof cranelift === "string") craneliftBest = cranelift;
      else if (typeof craneliftBest !== "string") {
        craneliftBest = craneliftBest === undefined ? cranelift.ms : Math.min(craneliftBest, cranelift.ms);
        craneliftSum = cranelift.checksum;
      }
    }
  }
  const { compiled, fellBack } = tier2Stats;
  const v8Sum = checksumOf(v8[0][2]), nativeSum = checksumOf(native[0][2]), tier2Sum = checksumOf(optimized[0][2]);
  const result: BenchResult = {
    program, nativeMs: timing(native), tier2Ms: timing(optimized), tier2Functions: compiled, tier2Fallbacks: fellBack,
    v8Ms: timing(v8), checksum: v8Sum ?? nativeSum ?? "",
  };
  if (v8Sum !== null && nativeSum !== null && v8Sum !== nativeSum) {
    result.mismatch = `checksums differ: native ${nativeSum}, V8 ${v8Sum}`;
  } else if (v8Sum !== null && tier2Sum !== null && v8Sum !== tier2Sum) {
    result.mismatch = `checksums differ: tier 2 ${tier2Sum}, V8 ${v8Sum}`;
  }
  if (withWasmtime) {
    result.craneliftMs = craneliftBest;
    if (craneliftSum !== undefined && v8Sum !== null && craneliftSum !== v8Sum) {
      result.mismatch = `checksums differ: Wasmtime ${craneliftSum}, V8 ${v8Sum}`;
    }
  }
  return result;
}
