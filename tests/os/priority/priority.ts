// The test.priority server: a low-priority server (its manifest gives its
// thread priority 4) that answers a probe with the priority its thread
// runs at while serving it — the client's, if priority inheritance works
// (tests/os/runner/priority.ts) — and holds a `hold` request until the
// runner's release pulse, so that a chain of servers can be left standing
// while the runner changes the priority at its head
// (tests/os/runner/priority-chain.ts).

import "../lib/abort";
import {
  msgReceive, msgReply, nameOpen, pulseSend, threadPriority, ERROR_INVALID_ARGUMENT, Pulse, RECEIVE_ID_PULSE,
  TEST_PRIORITY_PATH, TEST_PRIORITY_PROBE, TEST_PRIORITY_HOLD, TEST_PRIORITY_PROBE_REPLY_SIZE, TestPriorityProbeReply,
  TestPriorityHoldReply, TEST_PRIORITY_HOLD_REPLY_SIZE,
} from "../../../ipc/generated/index";
import { Server } from "../../../ipc/client/index";
import { RUNNER_PATH, PULSE_HOLDING, PULSE_RELEASE } from "../lib/runner-path";

const BUFFER_SIZE: u32 = 64;

/** The request being held (its receive id), 0 when none. */
let held: i32 = 0;
let runner: i32 = 0;

function hold(receiveId: i32): void {
  if (held != 0) { msgReply(receiveId, ERROR_INVALID_ARGUMENT, 0, 0); return; }
  if (runner <= 0) runner = nameOpen(RUNNER_PATH, 1_000_000_000);
  held = receiveId;
  pulseSend(runner, PULSE_HOLDING, receiveId);
}

function release(buffer: usize): void {
  if (held == 0) return;
  changetype<TestPriorityHoldReply>(buffer).priority = <u32>threadPriority();
  msgReply(held, 0, buffer, TEST_PRIORITY_HOLD_REPLY_SIZE);
  held = 0;
}

export function _start(): void {
  const server = new Server(TEST_PRIORITY_PATH);
  if (!server.isServing) return;
  const channel = server.channel;
  const buffer = heap.alloc(BUFFER_SIZE);
  while (true) {
    const receiveId = msgReceive(channel, buffer, BUFFER_SIZE, 0);
    if (receiveId == RECEIVE_ID_PULSE) {
      if (changetype<Pulse>(buffer).code == PULSE_RELEASE) release(buffer);
      continue;
    }
    if (receiveId < 0) continue;
    const operation = load<u32>(buffer);
    if (operation == TEST_PRIORITY_HOLD) { hold(receiveId); continue; }
    if (operation != TEST_PRIORITY_PROBE) { msgReply(receiveId, ERROR_INVALID_ARGUMENT, 0, 0); continue; }
    changetype<TestPriorityProbeReply>(buffer).priority = <u32>threadPriority();
    msgReply(receiveId, 0, buffer, TEST_PRIORITY_PROBE_REPLY_SIZE);
  }
}
