// The smallest program: it tells the runner it runs and ends. The load
// benchmark (tests/os/runner/bench.ts) times it from component.spawn to
// that pulse: wasm to running, once compiled on Delos and once from the
// kernel's cache of native code.

import "../lib/abort";
import { clockCycles, nameOpen, pulseSend } from "../../../ipc/generated/index";
import { RUNNER_PATH, PULSE_HELLO } from "../lib/runner-path";

export function _start(): void {
  const cycles = clockCycles();
  const runner = nameOpen(RUNNER_PATH, 1_000_000_000);
  if (runner >= 0) pulseSend(runner, PULSE_HELLO, cycles);
}
