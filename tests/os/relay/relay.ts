// The test.relay server: like test.priority, a server of priority 4 (its
// manifest), which serves each request by sending test.priority a request
// of its own — the middle of a chain of servers
// (tests/os/runner/priority-chain.ts). While it waits for test.priority's
// answer it is reply-blocked, so whatever priority reaches it must pass on
// to test.priority.

import "../lib/abort";
import {
  msgReceive, msgReply, msgSend, nameOpen, threadPriority, ERROR_INVALID_ARGUMENT, TEST_PRIORITY_PATH,
  TEST_RELAY_PATH, TEST_RELAY_FORWARD, TEST_RELAY_FORWARD_REQUEST_SIZE, TEST_RELAY_FORWARD_REPLY_SIZE,
  TestRelayForwardRequest, TestRelayForwardReply,
} from "../../../ipc/generated/index";
import { Server } from "../../../ipc/client/index";

const BUFFER_SIZE: u32 = 64;

export function _start(): void {
  const server = new Server(TEST_RELAY_PATH);
  if (!server.isServing) return;
  const channel = server.channel;
  const buffer = heap.alloc(BUFFER_SIZE);
  const request = heap.alloc(8);
  const answer = heap.alloc(8);
  let target: i32 = 0;
  while (true) {
    const receiveId = msgReceive(channel, buffer, BUFFER_SIZE, 0);
    if (receiveId <= 0) continue;
    if (load<u32>(buffer) != TEST_RELAY_FORWARD) { msgReply(receiveId, ERROR_INVALID_ARGUMENT, 0, 0); continue; }
    if (target <= 0) target = nameOpen(TEST_PRIORITY_PATH, 5_000_000_000);
    if (target < 0) { msgReply(receiveId, target, 0, 0); continue; }
    store<u32>(request, changetype<TestRelayForwardRequest>(buffer).forwarded);
    const status = msgSend(target, request, 4, answer, 4);
    if (status < 0) { msgReply(receiveId, status, 0, 0); continue; }
    const reply = changetype<TestRelayForwardReply>(buffer);
    reply.relayPriority = <u32>threadPriority();
    reply.serverPriority = load<u32>(answer);
    msgReply(receiveId, 0, buffer, TEST_RELAY_FORWARD_REPLY_SIZE);
  }
}
