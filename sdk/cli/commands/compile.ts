// `delos compile FILE.wasm -o OUT [--target linux-x64|delos] [--bounds guard|explicit] [--tier 1|2] [--privileged]`:
// a static linux-x64 executable that runs the module as `delos run` would
// (without --invoke), or the module alone in the `delos` component format
// (--privileged: it may import delos:native, as the kernel does).

import { CompileError } from "../../host/compiler";
import { compileComponent, defaultTier, linkLinux, writeExecutable } from "../../host/linux";
import { writeFileSync } from "node:fs";
import { CliCommand, optionValue, parseBounds, parseTier, UsageError } from "../command";
import { programScript, readModule } from "../program";

export const compile: CliCommand = {
  name: "compile",
  summary: "compile a wasm module to a linux-x64 executable or a delos component",
  usage: "delos compile FILE.wasm -o OUT [--target linux-x64|delos] [--bounds guard|explicit] [--tier 1|2] [--privileged]",
  run(args) {
    let input: string | null = null;
    let output: string | null = null;
    let target = "linux-x64";
    let bounds: "guard" | "explicit" = "guard";
    let privileged = false;
    let tier = defaultTier();
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === "-o") output = optionValue(args, i++, arg);
      else if (arg === "--target") target = optionValue(args, i++, arg);
      else if (arg === "--bounds") bounds = parseBounds(optionValue(args, i++, arg));
      else if (arg === "--tier") tier = parseTier(optionValue(args, i++, arg));
      else if (arg === "--privileged") privileged = true;
      else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      else if (input === null) input = arg;
      else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}: one module at a time`);
    }
    if (input === null) throw new UsageError("no input module given");
    if (output === null) throw new UsageError("no output given (-o OUT)");
    if (target !== "linux-x64" && target !== "delos") throw new UsageError(`--target must be linux-x64 or delos, not ${JSON.stringify(target)}`);
    if (privileged && target !== "delos") throw new UsageError("--privileged is for --target delos only");
    const module = readModule(input);
    try {
      if (target === "delos") writeFileSync(output, compileComponent(module.bytes, { bounds, privileged, tier }));
      else writeExecutable(output, linkLinux([module.bytes], programScript(module, null), { bounds, tier }));
    } catch (error) {
      if (error instanceof CompileError) throw new UsageError(`${input}: ${error.message.replace(/^module 0: /, "")}`);
      throw error;
    }
    return 0;
  },
};
