// The `delos` command line: looks the command up in commands/index.ts and
// runs it. A UsageError (bad arguments, missing or invalid input) prints one
// line `delos: MESSAGE` and exits with status 2.

import { EXIT_USAGE, UsageError } from "./command";
import { commands } from "./commands/index";

async function main(args: string[]): Promise<number> {
  const name = args[0];
  if (name === undefined || name === "--help" || name === "-h") return commands.find((entry) => entry.name === "help")!.run([]);
  const command = commands.find((entry) => entry.name === name);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)} (delos help lists the commands)`);
  return command.run(args.slice(1));
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`delos: ${error.message}\n`);
  process.exitCode = EXIT_USAGE;
}
