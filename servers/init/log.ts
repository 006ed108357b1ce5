// init's lines on the kernel console (the kernel prefixes them with `init: `).

import { logWrite } from "../../ipc/generated/index";

export function log(text: string): void {
  const bytes = String.UTF8.encode(text);
  logWrite(changetype<usize>(bytes), <u32>bytes.byteLength);
}
