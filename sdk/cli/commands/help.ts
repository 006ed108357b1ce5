// `delos help [COMMAND]`: the list of commands, or one command's usage.

import { CliCommand, UsageError } from "../command";
import { commands } from "./index";

export const help: CliCommand = {
  name: "help",
  summary: "list the commands, or show how to use one",
  usage: "delos help [COMMAND]",
  run(args) {
    if (args.length > 0) {
      const command = commands.find((entry) => entry.name === args[0]);
      if (!command) throw new UsageError(`no command named ${JSON.stringify(args[0])} (delos help lists them)`);
      process.stdout.write(`${command.usage}\n  ${command.summary}\n`);
      return 0;
    }
    const width = Math.max(...commands.map((entry) => entry.name.length));
    process.stdout.write("usage: delos COMMAND [ARGS...]\n\ncommands:\n");
    for (const command of commands) process.stdout.write(`  ${command.name.padEnd(width)}  ${command.summary}\n`);
    process.stdout.write("\ndelos help COMMAND shows a command's arguments.\n");
    return 0;
  },
};
