// The runtime's own abort (asc --use abort=...): an AssemblyScript assertion
// or bounds check failing inside the runtime is a bug in the runtime, not
// in the program it runs, so it ends the process with status 70 as the
// native stubs do for their own faults. It touches no global of the
// runtime: it may run while one of them is being set up.

import { absolute } from "./native";
import { Sys, exitGroup, sys3 } from "./syscalls";

export function runtimeAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  const text = "fatal: runtime abort: " + (message != null ? message : "(no message)")
    + " at " + (file != null ? file : "(unknown file)") + ":" + line.toString() + ":" + column.toString() + "\n";
  const bytes = String.UTF8.encode(text);
  sys3(Sys.Write, 2, absolute(changetype<usize>(bytes)), <i64>bytes.byteLength);
  exitGroup(70);
  unreachable();
}
