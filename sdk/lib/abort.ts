// Components' abort (sdk/build/build.mjs gives every component `--use
// abort=sdk/lib/abort/abort`; a component imports this file once): a failed
// assertion or bounds check of AssemblyScript's library is reported on the
// console and ends the component by a trap, so that its supervisor sees a
// fault like any other.

import { log } from "./log";

export function abort(message: string | null, file: string | null, line: u32, column: u32): void {
  log("abort: " + (message != null ? message : "(no message)") + " at "
    + (file != null ? file : "(unknown file)") + ":" + line.toString() + ":" + column.toString());
  unreachable();
}
