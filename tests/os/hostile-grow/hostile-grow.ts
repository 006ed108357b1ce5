// A hostile app that asks for memory.grow with its stack nearly used up,
// for the hostile-stack test (tests/os/runner/hostile.ts). It recurses,
// calling memory.grow(0) at every level; kernel code runs on the caller's
// stack, so the kernel must refuse the grow (-1) once less than its reserve
// is left, before it changes anything, and give the interrupt flag back:
// the app then spins for ever without a system call, and the runner,
// sleeping meanwhile, must still wake (the timer ticks) and find it
// running. Reaching its own stack limit first ends it with a trap, which
// the test counts as a failure.

import "../lib/abort";

let sink: i32 = 0;

function spin(): void {
  while (true) sink++;
}

function descend(level: i32): i32 {
  if (memory.grow(0) < 0) spin();
  return descend(level + 1) + level;
}

export function _start(): void {
  sink = descend(0);
}
