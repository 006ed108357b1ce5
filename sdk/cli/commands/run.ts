// `delos run FILE.wasm [--bounds guard|explicit] [--tier 1|2] [--invoke NAME [ARGS...]] [-- PROGRAM-ARGS]`:
// compiles the module for linux-x64 into a temporary directory and runs it
// natively, passing its output through and exiting with its status.

import { constants } from "node:os";
import { join } from "node:path";
import { CompileError } from "../../host/compiler";
import { defaultTier, linkLinux, runExecutable, temporaryDirectory, writeExecutable } from "../../host/linux";
import { CliCommand, optionValue, parseBounds, parseTier, UsageError } from "../command";
import { Invocation, programScript, readModule } from "../program";

export const run: CliCommand = {
  name: "run",
  summary: "compile a wasm module for this machine and run it; results print as TYPE:VALUE",
  usage: "delos run FILE.wasm [--bounds guard|explicit] [--tier 1|2] [--invoke NAME [ARGS...]] [-- PROGRAM-ARGS]",
  run(args) {
    let input: string | null = null;
    let bounds: "guard" | "explicit" = "guard";
    let tier = defaultTier();
    let invocation: Invocation | null = null;
    let programArgs: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--") { programArgs = args.slice(i + 1); break; }
      if (arg === "--bounds") bounds = parseBounds(optionValue(args, i++, arg));
      else if (arg === "--tier") tier = parseTier(optionValue(args, i++, arg));
      else if (arg === "--invoke") invocation = { name: optionValue(args, i++, arg), args: [] };
      else if (invocation) invocation.args.push(arg);
      else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      else if (input === null) input = arg;
      else throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (program arguments go after --)`);
    }
    if (input === null) throw new UsageError("no input module given");
    const module = readModule(input);
    const script = programScript(module, invocation);
    let executable: Uint8Array;
    try {
      executable = linkLinux([module.bytes], script, { bounds, tier });
    } catch (error) {
      if (error instanceof CompileError) throw new UsageError(`${input}: ${error.message.replace(/^module 0: /, "")}`);
      throw error;
    }
    const directory = temporaryDirectory();
    try {
      const path = join(directory.path, module.path.replace(/^.*\//, "").replace(/\.wasm$/, "") || "program");
      writeExecutable(path, executable);
      const result = runExecutable(path, { args: programArgs, inherit: true });
      if (result.status !== null) return result.status;
      process.stderr.write(`delos: ${input} was killed by ${result.signal}\n`);
      const number = result.signal ? (constants.signals as Record<string, number>)[result.signal] : undefined;
      return 128 + (number ?? 0);
    } finally {
      directory.remove();
    }
  },
};
