// A busy component of medium priority (its manifest gives 12) for the
// priority-inheritance test: it tells the runner it is spinning (a pulse to
// /test/runner), then computes without blocking until it is killed. While
// it spins, nothing of a lower priority runs — unless a higher priority is
// lent to it (tests/os/runner/priority.ts). It makes no system call for
// long stretches (CHUNK iterations, a good fraction of a second under TCG),
// so that only an interrupt's own preemption takes the processor from it
// within a stretch (tests/os/runner/interrupts.ts).

import "../lib/abort";
import { clockNow, componentExit, nameOpen, pulseSend } from "../../../ipc/generated/index";
import { RUNNER_PATH, PULSE_SPINNING } from "../lib/runner-path";

/** Iterations between two looks at the clock. */
const CHUNK: i32 = 1 << 24;
/** Stop anyway after this long, should nobody kill it. */
const LIMIT_NANOSECONDS: i64 = 20_000_000_000;

let sink: u64 = 0;

export function _start(): void {
  const runner = nameOpen(RUNNER_PATH, 1_000_000_000);
  if (runner < 0) componentExit(runner);
  pulseSend(runner, PULSE_SPINNING, 0);
  const start = clockNow();
  let value: u64 = 1;
  while (clockNow() - start < LIMIT_NANOSECONDS) {
    for (let i = 0; i < CHUNK; i++) value = value * 6364136223846793005 + 1442695040888963407;
    sink = value;
  }
  componentExit(1);
}
