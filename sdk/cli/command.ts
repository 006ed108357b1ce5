// What a `delos` command is: a name, a one-line summary for `delos help`, a
// usage line, and a function from its arguments to an exit status. Each
// command lives in its own file under commands/; commands/index.ts is the
// table.

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<number> | number;
}

/** A mistake in how the command was called or what it was given: printed as one line, exit status 2. */
export class UsageError extends Error {}

/** Exit status for usage errors, unreadable or invalid input. */
export const EXIT_USAGE = 2;

/** Takes the value of option `name` at args[index + 1], or throws a UsageError. */
export function optionValue(args: string[], index: number, name: string): string {
  const value = args[index + 1];
  if (value === undefined) throw new UsageError(`${name} needs a value`);
  return value;
}

/** Parses `--bounds guard|explicit`. */
export function parseBounds(value: string): "guard" | "explicit" {
  if (value !== "guard" && value !== "explicit") throw new UsageError(`--bounds must be guard or explicit, not ${JSON.stringify(value)}`);
  return value;
}

/** Parses `--tier 1|2` (the baseline or the optimizing compiler tier). */
export function parseTier(value: string): 1 | 2 {
  if (value !== "1" && value !== "2") throw new UsageError(`--tier must be 1 or 2, not ${JSON.stringify(value)}`);
  return value === "1" ? 1 : 2;
}
