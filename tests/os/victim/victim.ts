// The victim of the hostile-overflow test (tests/os/runner/hostile.ts): a
// component whose stack holds data of its own while an attacker's thread
// overflows its stack. Thread stacks are regions handed out first fit, so
// it first starts FILLERS threads that only sleep — they take whatever
// holes earlier components left — and then the deep thread, whose stack
// is thus the last region made; the attacker's, made next, lies right
// above it. The deep thread recurses LEVELS deep — about 100 KB of
// frames, each keeping values derived from its level in locals on the
// native stack — tells the runner it is at the bottom (exit of the main
// thread is not used: a pulse), sleeps while the attack happens, then
// checks every level's values on the way back. Exit status 0: its stack
// is as it left it; 1: a value changed (a changed return address would
// end it with a trap instead, which the test sees as well).

import "../lib/abort";
import { componentExit, connectionCreate, nameOpen, pulseSend, threadCreate, threadSleep, PRIORITY_DEFAULT } from "../../../ipc/generated/index";
import { PULSE_VICTIM_READY, RUNNER_PATH } from "../lib/runner-path";

const FILLERS: i32 = 24;
const LEVELS: i32 = 1200;
const BOTTOM_SLEEP: i64 = 400_000_000;
let damaged = false;
let runner: i32 = 0;

function mix(level: i32, salt: i64): i64 {
  return (<i64>level * 0x9e3779b97f4a7c15) ^ salt;
}

function descend(level: i32): i64 {
  // Locals kept across the call: they live in this frame while the thread sleeps at the bottom.
  // Small frames (under 128 bytes), so that the attacks' 128 bytes reach a return address.
  const a = mix(level, 0x1234567);
  const b = mix(level, 0x7654321);
  let below: i64 = 0;
  if (level < LEVELS) {
    below = descend(level + 1);
  } else {
    pulseSend(runner, PULSE_VICTIM_READY, 0);
    threadSleep(BOTTOM_SLEEP);
  }
  if (a != mix(level, 0x1234567) || b != mix(level, 0x7654321)) damaged = true;
  return below ^ a ^ b;
}

function filler(_argument: i32): void {
  while (true) threadSleep(1_000_000_000);
}

function deep(_argument: i32): void {
  const checksum = descend(0);
  componentExit(damaged || checksum == 0 ? 1 : 0);
}

export function _start(): void {
  runner = nameOpen(RUNNER_PATH, 5_000_000_000);
  if (runner < 0) componentExit(runner);
  for (let i = 0; i < FILLERS; i++) threadCreate(<u32>filler.index, 0, PRIORITY_DEFAULT);
  threadCreate(<u32>deep.index, 0, PRIORITY_DEFAULT);
  while (true) threadSleep(1_000_000_000);
}
