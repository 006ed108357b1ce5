// The linux-x64 runtime: the AssemblyScript half of every executable the
// linux-x64 target writes (docs/linux-runtime.md). The native `_start`
// calls `main` once, with where everything is; main sets up the loader on
// Linux, offers the host modules, and runs the payload's script.

import "./abort";
import { Linker } from "../../loader/linker";
import { registerHostModules } from "./host";
import { flushAll, stderr } from "./output";
import { Payload } from "./payload";
import { LinuxPlatform } from "./platform";
import { openPreopens, readInitialStack } from "./process";
import { EXIT_ERROR, Runner } from "./runner";

export function main(
  payload: i64, payloadLength: i64, initialStack: i64, services: i64,
  codeRanges: i64, codeRangeCapacity: i64, threadBlock: i64, vmctx: i64,
): i32 {
  readInitialStack(initialStack);
  openPreopens();
  const platform = new LinuxPlatform(services, codeRanges, codeRangeCapacity, threadBlock);
  const linker = new Linker(platform);
  registerHostModules(linker, vmctx);
  const contents = new Payload(payload, <u64>payloadLength);
  if (!contents.open()) {
    stderr.text("error: ").line(contents.error);
    flushAll();
    return EXIT_ERROR;
  }
  const runner = new Runner(linker, platform, contents);
  const status = runner.run(contents.script());
  flushAll();
  return status;
}
