// The other side of the thread-switch benchmark: at the runner's priority
// (its manifest gives 25), it yields in a loop, so that each of the
// runner's yields switches to it and each of its yields switches back
// (tests/os/runner/bench.ts). The runner kills it when done.

import "../lib/abort";
import { threadYield } from "../../../ipc/generated/index";

export function _start(): void {
  while (true) threadYield();
}
