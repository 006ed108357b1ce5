// `delos spec [FILTER] [--bounds guard|explicit|both] [--backend native|v8] [--tier 1|2] [--jobs N]`:
// runs the pinned WebAssembly spec tests (tests/spec/run.ts) and ends with
// `spec: N passed, M failed`; exit status 1 when anything failed. `--tier 2`
// compiles the modules with the optimizing tier (as DELOS_TIER=2 does) and
// adds how many functions it compiled and how many it left to the baseline.

import { runSpec, type BoundsMode } from "../../../tests/spec/run";
import { SpecSuiteMissing } from "../../../tests/spec/convert";
import { CliCommand, optionValue, parseBounds, parseTier, UsageError } from "../command";
import { tier2Totals } from "../../host/compiler";

export const spec: CliCommand = {
  name: "spec",
  summary: "run the WebAssembly spec tests natively in both bounds modes (or in V8 with --backend v8)",
  usage: "delos spec [FILTER] [--bounds guard|explicit|both] [--backend native|v8] [--tier 1|2] [--jobs N]",
  async run(args) {
    let filter: string | undefined;
    let bounds: BoundsMode[] = ["guard", "explicit"];
    let backend: "native" | "v8" = "native";
    let jobs = 2;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--bounds") {
        const value = optionValue(args, i++, arg);
        bounds = value === "both" ? ["guard", "explicit"] : [parseBounds(value)];
      } else if (arg === "--backend") {
        const value = optionValue(args, i++, arg);
        if (value !== "native" && value !== "v8") throw new UsageError(`--backend must be native or v8, not ${JSON.stringify(value)}`);
        backend = value;
      } else if (arg === "--tier") {
        process.env.DELOS_TIER = String(parseTier(optionValue(args, i++, arg)));
      } else if (arg === "--jobs") {
        jobs = Number(optionValue(args, i++, arg));
        if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError("--jobs needs a positive integer");
      } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      else if (filter === undefined) filter = arg;
      else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
    let tally;
    try {
      tally = await runSpec({ filter, bounds, backend, jobs });
    } catch (error) {
      if (error instanceof SpecSuiteMissing) throw new UsageError(error.message);
      throw error;
    }
    if (process.env.DELOS_TIER === "2") {
      console.log(`tier 2: ${tier2Totals.compiled} function compilations, ${tier2Totals.fellBack} fell back to the baseline`);
    }
    return tally.failed === 0 && tally.passed > 0 ? 0 : 1;
  },
};
