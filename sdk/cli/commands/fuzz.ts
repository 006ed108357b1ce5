// `delos fuzz [N] [--seed S] [--bounds guard|explicit|alternate] [--backend native|v8] [--nans] [--only I] [--jobs N] [--tier 1|2]`:
// differential fuzzing of the compiler against V8 (tests/fuzz/run.ts); ends
// with `fuzz: N modules, K exports compared, D disagreements`; exit status 1
// when anything disagreed.

import { runFuzz, type BoundsChoice } from "../../../tests/fuzz/run";
import { CliCommand, optionValue, parseTier, UsageError } from "../command";

function integer(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${what} must be a non-negative integer, not ${JSON.stringify(text)}`);
  return value;
}

export const fuzz: CliCommand = {
  name: "fuzz",
  summary: "run N random modules (Binaryen -ttf) in V8 and natively and compare every export's results",
  usage: "delos fuzz [N] [--seed S] [--bounds guard|explicit|alternate] [--backend native|v8] [--nans] [--only I] [--jobs N] [--tier 1|2]",
  async run(args) {
    let count = 100;
    let seed = Math.floor(Math.random() * 0x7fffffff);
    let bounds: BoundsChoice = "alternate";
    let backend: "native" | "v8" = "native";
    let jobs = 2;
    let countGiven = false;
    let nans = false;
    let only: number | undefined;
    let tier: 1 | 2 | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--nans") nans = true;
      else if (arg === "--only") only = integer(optionValue(args, i++, arg), "--only");
      else if (arg === "--seed") seed = integer(optionValue(args, i++, arg), "--seed");
      else if (arg === "--tier") tier = parseTier(optionValue(args, i++, arg));
      else if (arg === "--jobs") jobs = Math.max(1, integer(optionValue(args, i++, arg), "--jobs"));
      else if (arg === "--bounds") {
        const value = optionValue(args, i++, arg);
        if (value !== "guard" && value !== "explicit" && value !== "alternate") throw new UsageError(`--bounds must be guard, explicit or alternate, not ${JSON.stringify(value)}`);
        bounds = value;
      } else if (arg === "--backend") {
        const value = optionValue(args, i++, arg);
        if (value !== "native" && value !== "v8") throw new UsageError(`--backend must be native or v8, not ${JSON.stringify(value)}`);
        backend = value;
      } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      else if (!countGiven) { count = integer(arg, "N"); countGiven = true; }
      else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
    const tally = await runFuzz({ count, seed, bounds, backend, jobs, nans, only, tier });
    return tally.disagreements === 0 && tally.modules > 0 ? 0 : 1;
  },
};
