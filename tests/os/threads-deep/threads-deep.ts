// A component whose thread blocks with more shadow-stack frames than the
// kernel keeps for it, for the component-threads test
// (tests/os/runner/threads.ts): with a second thread waiting to run, the
// first recurses LEVELS frames deep, each holding managed locals (several
// KiB of frames, where a thread's slot holds 2 KiB), and sleeps at the
// bottom. When the second thread takes the component lock the kernel
// cannot set those frames aside, so the component must fault with `call
// stack exhausted`; should the sleep return, the component exits with
// status 1, which the test counts as a failure.

import "../lib/abort";
import { componentExit, threadCreate, threadSleep, PRIORITY_DEFAULT } from "../../../ipc/generated/index";

const LEVELS: i32 = 400;

function idle(_argument: i32): void {
  while (true) threadSleep(10_000_000);
}

function recurse(level: i32): i32 {
  const a = level.toString();
  const b = [level, level + 1];
  if (level == 0) return threadSleep(1_000_000);
  const status = recurse(level - 1);
  return status + a.length + b.length - a.length - b.length;
}

export function _start(): void {
  const id = threadCreate(<u32>idle.index, 0, PRIORITY_DEFAULT);
  if (id < 0) componentExit(id);
  recurse(LEVELS);
  componentExit(1);
}
