// A hostile app that makes system calls with its stack nearly used up, for
// the hostile-stack test (tests/os/runner/hostile.ts). It recurses,
// sending the echo server a request at every level. Kernel code runs on
// the caller's stack: once less than the kernel's reserve is left, the
// send must be refused before it changes anything — a trap of this app
// in kernel code on its behalf (`call stack exhausted`, no wasm function)
// — and never stop half-way, with the echo server taken off its channel's
// receivers and blocked for ever. The runner then checks the trap and that
// the echo server still answers.

import "../lib/abort";
import {
  componentExit, msgSend, nameOpen, TEST_ECHO_PATH, TEST_ECHO_SQUARE, TEST_ECHO_SQUARE_REQUEST_SIZE,
  TEST_ECHO_SQUARE_REPLY_SIZE,
} from "../../../ipc/generated/index";

const request = heap.alloc(16);
const reply = heap.alloc(16);
let echo: i32 = 0;

function descend(level: u32): u32 {
  store<u32>(request, TEST_ECHO_SQUARE);
  store<u32>(request, level & 0xffff, 4);
  const status = msgSend(echo, <u32>request, TEST_ECHO_SQUARE_REQUEST_SIZE, <u32>reply, TEST_ECHO_SQUARE_REPLY_SIZE);
  if (status < 0) componentExit(status);
  return descend(level + 1) + <u32>load<u64>(reply);
}

export function _start(): void {
  echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  if (echo < 0) componentExit(echo);
  componentExit(<i32>descend(0));
}
