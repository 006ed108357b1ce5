// A component whose shadow-stack exports are malformed, for the
// component-threads test (tests/os/runner/threads.ts): the build
// (malformed-exports.mjs) points its `__heap_base` export at a constant
// past the end of its memory. The kernel must refuse to load it, naming
// the export; should it run, it exits with status 1, which the test
// counts as a failure.

import "../lib/abort";
import { componentExit } from "../../../ipc/generated/index";

export function _start(): void {
  componentExit(1);
}
