// The test.relay server: like test.priority, a server of priority 4 (its
// manifest), which serves each request by sending test.priority a request
// of its own — the middle of a chain of servers
// (tests/os/runner/priority-chain.ts). While it waits for test.priority's
// answer it is reply-blocked, so whatever priority reaches it must pass on
// to test.priority.

import "../lib/abort";
import {
  msgSend, nameOpen, threadPriority, TEST_PRIORITY_PATH, TEST_RELAY_PATH, TestRelayForwardReply,
} from "../../../ipc/generated/index";
import { serveTestRelay, TestRelayHandlers } from "../../../ipc/generated/servers/test-relay";
import { Server } from "../../../ipc/client/index";

const BUFFER_SIZE: u32 = 64;

class Relay extends TestRelayHandlers {
  target: i32 = 0;
  request: usize = heap.alloc(8);
  answer: usize = heap.alloc(8);

  forward(forwarded: u32, reply: TestRelayForwardReply): i32 {
    if (this.target <= 0) this.target = nameOpen(TEST_PRIORITY_PATH, 5_000_000_000);
    if (this.target < 0) return this.target;
    store<u32>(this.request, forwarded);
    const status = msgSend(this.target, this.request, 4, this.answer, 4);
    if (status < 0) return status;
    reply.relayPriority = <u32>threadPriority();
    reply.serverPriority = load<u32>(this.answer);
    return 0;
  }
}

export function _start(): void {
  const server = new Server(TEST_RELAY_PATH);
  if (!server.isServing) return;
  serveTestRelay(new Relay(), server.channel, BUFFER_SIZE);
}
