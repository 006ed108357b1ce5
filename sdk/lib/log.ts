// A component's lines on the kernel console (COM1), through log.write: the
// kernel prefixes each with the writing component's name.

import { logWrite } from "../../ipc/generated/index";

/** Writes one line. */
export function log(text: string): void {
  const bytes = String.UTF8.encode(text);
  logWrite(changetype<usize>(bytes), <u32>bytes.byteLength);
}
