// The client the direct-calls test (tests/os/runner/direct.ts) kills while
// its thread is in the echo server's direct handler: it tells the runner it
// is about to call, then orders the direct version (tests/os/echo-direct)
// to spin, a call that does not return while that server lives.

import "../lib/abort";
import {
  componentExit, msgSend, nameOpen, pulseSend, TEST_ECHO_PATH, TEST_ECHO_SQUARE, TEST_ECHO_SQUARE_REPLY_SIZE,
  TEST_ECHO_SQUARE_REQUEST_SIZE, TestEchoSquareRequest,
} from "../../../ipc/generated/index";
import { DIRECT_SPIN } from "../echo/server";
import { PULSE_CALLING, RUNNER_PATH } from "../lib/runner-path";

export function _start(): void {
  const runner = nameOpen(RUNNER_PATH, 1_000_000_000);
  if (runner < 0) componentExit(runner);
  const echo = nameOpen(TEST_ECHO_PATH, 1_000_000_000);
  if (echo < 0) componentExit(echo);
  const message = heap.alloc(TEST_ECHO_SQUARE_REQUEST_SIZE);
  changetype<TestEchoSquareRequest>(message).operation = TEST_ECHO_SQUARE;
  changetype<TestEchoSquareRequest>(message).value = DIRECT_SPIN;
  pulseSend(runner, PULSE_CALLING, 0);
  componentExit(msgSend(echo, message, TEST_ECHO_SQUARE_REQUEST_SIZE, message, TEST_ECHO_SQUARE_REPLY_SIZE));
}
