// The kernel's abort (asc --use abort=kernel/abort/kernelAbort): an
// AssemblyScript assertion, a failed bounds check of the standard library
// or an allocation that found no memory is a kernel bug. It is reported on
// the console and the machine halts; nothing is allocated on the way.

import * as console from "./console";

export function kernelAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  console.begin();
  console.text("abort: ");
  console.text(message != null ? message : "(no message)");
  console.text(" at ");
  console.text(file != null ? file : "(unknown file)");
  console.text(":");
  console.decimal(<u64>line);
  console.text(":");
  console.decimal(<u64>column);
  console.end();
  console.line("halted");
  console.halt();
}
