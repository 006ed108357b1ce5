// The compiler as a command-line program (a WASI command), for running the
// compiler natively — on the host as a linux-x64 executable, and on Delos.
//
//   compiler COMMAND [--flags N] INPUT... -o OUTPUT
//
// COMMAND is a number from driver.ts's Command; inputs are read whole and
// handed to the driver exactly as the Node host hands them, so both produce
// the same bytes.

import { addInputBytes, getMessage, getOutput } from "./io";
import { runCommand } from "./driver";
import { commandLine, exit, printError, readFile, writeFile } from "./wasi";

function main(): u32 {
  const args = commandLine();
  let command = -1;
  let flags = 0;
  let output = "";
  const paths = new Array<string>();
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (arg == "-o" && i + 1 < args.length) output = args[++i];
    else if (arg == "--flags" && i + 1 < args.length) flags = I32.parseInt(args[++i]);
    else if (command < 0) command = I32.parseInt(arg);
    else paths.push(arg);
  }
  if (command <= 0 || output.length == 0) {
    printError("usage: compiler COMMAND [--flags N] INPUT... -o OUTPUT");
    return 2;
  }
  for (let i = 0; i < paths.length; i++) {
    const bytes = readFile(paths[i]);
    if (bytes == null) return 2;
    addInputBytes(bytes!);
  }
  const status = runCommand(command, flags);
  if (status != 0) {
    printError(getMessage());
    return 1;
  }
  return writeFile(output, getOutput()) ? 0 : 1;
}

exit(main());
