// init's abort (asc --use abort=servers/init/abort/abort): a failed
// assertion or bounds check of AssemblyScript's library is reported on the
// console and ends init by a trap, which the kernel reports like any
// component's fault.

import { logWrite } from "../../ipc/generated/index";

export function abort(message: string | null, file: string | null, line: u32, column: u32): void {
  const text = "abort: " + (message != null ? message : "(no message)") + " at "
    + (file != null ? file : "(unknown file)") + ":" + line.toString() + ":" + column.toString();
  const bytes = String.UTF8.encode(text);
  logWrite(changetype<usize>(bytes), <u32>bytes.byteLength);
  unreachable();
}
