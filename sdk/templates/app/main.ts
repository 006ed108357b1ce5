// {{NAME}}: a desktop app. It says hello on the console and ends with exit
// status 0.

import "{{ROOT}}sdk/lib/abort";
import { componentExit } from "{{ROOT}}ipc/generated/index";
import { log } from "{{ROOT}}sdk/lib/log";

export function _start(): void {
  log("hello from {{NAME}}");
  componentExit(0);
}
