// The test.priority server: a low-priority server (its manifest gives its
// thread priority 4) that answers a probe with the priority its thread
// runs at while serving it — the client's, if priority inheritance works
// (tests/os/runner/priority.ts).

import "../lib/abort";
import {
  msgReceive, msgReply, threadPriority, ERROR_INVALID_ARGUMENT, TEST_PRIORITY_PATH,
  TEST_PRIORITY_PROBE, TEST_PRIORITY_PROBE_REPLY_SIZE, TestPriorityProbeReply,
} from "../../../ipc/generated/index";
import { Server } from "../../../ipc/client/index";

const BUFFER_SIZE: u32 = 64;

export function _start(): void {
  const server = new Server(TEST_PRIORITY_PATH);
  if (!server.isServing) return;
  const channel = server.channel;
  const buffer = heap.alloc(BUFFER_SIZE);
  while (true) {
    const receiveId = msgReceive(channel, buffer, BUFFER_SIZE, 0);
    if (receiveId <= 0) continue;
    if (load<u32>(buffer) != TEST_PRIORITY_PROBE) { msgReply(receiveId, ERROR_INVALID_ARGUMENT, 0, 0); continue; }
    changetype<TestPriorityProbeReply>(buffer).priority = <u32>threadPriority();
    msgReply(receiveId, 0, buffer, TEST_PRIORITY_PROBE_REPLY_SIZE);
  }
}
