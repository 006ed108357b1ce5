// Commands of the compiler, shared by the library entry (index.ts) and the
// command-line entry (main.ts). Each command reads the inputs in io.ts and
// sets the output or the message; it returns 0 on success.

import { inputs, setMessage, setOutput } from "./io";
import { decodeModule } from "./decode";
import { validateModule } from "./validate";
import { describeCommand } from "./describe";
import { compileCommand, linkLinuxCommand } from "./link/commands";
import { irCommand } from "./opt/command";

export const enum Command {
  /** Decode and validate inputs[0]; output is empty. */
  Validate = 1,
  /** Compile inputs[0] to the `delos` component format (link/commands.ts); flags bit 0: explicit bounds. */
  Compile = 2,
  /** A linux-x64 executable from [runtime, script, modules...] (link/commands.ts); flags bit 0: explicit bounds. */
  LinkLinux = 3,
  /** Export signatures of inputs[0] (describe.ts). */
  Describe = 4,
  /** The optimizing tier's verified SSA form of inputs[0] as text (opt/command.ts); flags bit 0: summary only. */
  Ir = 5,
}

export const enum Status {
  Ok = 0,
  Invalid = 1,
  Unsupported = 2,
}

export function runCommand(command: i32, flags: i32): i32 {
  if (command == Command.Validate) return validate();
  if (command == Command.Describe) return describeCommand();
  if (command == Command.Compile) return compileCommand(flags);
  if (command == Command.LinkLinux) return linkLinuxCommand(flags);
  if (command == Command.Ir) return irCommand(flags);
  setMessage("unknown compiler command " + command.toString());
  return Status.Unsupported;
}

function validate(): i32 {
  const module = decodeModule(inputs[0]);
  if (module == null) return Status.Invalid;
  if (!validateModule(module!)) return Status.Invalid;
  setOutput(new Uint8Array(0));
  return Status.Ok;
}
