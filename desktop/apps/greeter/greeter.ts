// greeter: the smallest desktop program. It says hello on the console and
// ends with exit status 0; the shell's test runs it by name (`greeter`).

import "../../../sdk/lib/abort";
import { componentExit } from "../../../ipc/generated/index";
import { log } from "../../../sdk/lib/log";

export function _start(): void {
  log("hello from greeter");
  componentExit(0);
}
