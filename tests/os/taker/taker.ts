// A component of another identity than the runner's, which the runner
// supervises (tests/os/runner/name-take-over.ts). Its rights (its
// manifest, and the runner's grant) cover the paths of the test, so only
// the take-over rule decides:
//   1. it tries to take over /test/takeover, which the runner holds (the
//      runner neither has its identity nor is supervised by it: refused);
//   2. it registers /test/taker (which its supervisor then takes over);
// and tells the runner each result by a pulse (the value: the result as a
// u32), then waits, serving nothing, until the runner kills it.

import "../lib/abort";
import {
  channelCreate, componentExit, msgReceive, nameOpen, nameRegister, pulseSend, NAME_TAKE_OVER,
} from "../../../ipc/generated/index";
import { RUNNER_PATH, PULSE_TAKER_TOOK, PULSE_TAKER_REGISTERED, TAKE_OVER_PATH, TAKER_PATH } from "../lib/runner-path";

export function _start(): void {
  const runner = nameOpen(RUNNER_PATH, 1_000_000_000);
  if (runner < 0) componentExit(runner);
  const channel = channelCreate(0);
  if (channel < 0) componentExit(channel);
  pulseSend(runner, PULSE_TAKER_TOOK, <i64><u32>nameRegister(TAKE_OVER_PATH, channel, NAME_TAKE_OVER));
  pulseSend(runner, PULSE_TAKER_REGISTERED, <i64><u32>nameRegister(TAKER_PATH, channel, 0));
  const buffer = heap.alloc(64);
  while (true) msgReceive(channel, buffer, 64, 0);
}
