// The test.priority server: a low-priority server (its manifest gives its
// thread priority 4) that answers a probe with the priority its thread
// runs at while serving it — the client's, if priority inheritance works
// (tests/os/runner/priority.ts) — and holds a `hold` request until the
// runner's release pulse, so that a chain of servers can be left standing
// while the runner changes the priority at its head
// (tests/os/runner/priority-chain.ts).

import "../lib/abort";
import {
  msgReply, nameOpen, pulseSend, threadPriority, ERROR_INVALID_ARGUMENT, Pulse, TEST_PRIORITY_PATH,
  TEST_PRIORITY_HOLD_REPLY_SIZE, TestPriorityHoldReply, TestPriorityProbeReply,
} from "../../../ipc/generated/index";
import { serveTestPriority, TestPriorityHandlers } from "../../../ipc/generated/servers/test-priority";
import { REPLY_LATER, Server } from "../../../ipc/client/index";
import { RUNNER_PATH, PULSE_HOLDING, PULSE_RELEASE } from "../lib/runner-path";

const BUFFER_SIZE: u32 = 64;

class Priority extends TestPriorityHandlers {
  /** The request being held (its receive id), 0 when none. */
  held: i32 = 0;
  runner: i32 = 0;
  /** The held request's reply: the receive buffer holds the release pulse then. */
  heldReply: usize = heap.alloc(TEST_PRIORITY_HOLD_REPLY_SIZE);

  probe(reply: TestPriorityProbeReply): i32 {
    reply.priority = <u32>threadPriority();
    return 0;
  }

  hold(reply: TestPriorityHoldReply): i32 {
    if (this.held != 0) return ERROR_INVALID_ARGUMENT;
    if (this.runner <= 0) this.runner = nameOpen(RUNNER_PATH, 1_000_000_000);
    this.held = this.receiveId;
    pulseSend(this.runner, PULSE_HOLDING, this.receiveId);
    return REPLY_LATER;
  }

  pulse(pulse: Pulse): void {
    if (pulse.code != PULSE_RELEASE || this.held == 0) return;
    changetype<TestPriorityHoldReply>(this.heldReply).priority = <u32>threadPriority();
    msgReply(this.held, 0, this.heldReply, TEST_PRIORITY_HOLD_REPLY_SIZE);
    this.held = 0;
  }
}

export function _start(): void {
  const server = new Server(TEST_PRIORITY_PATH);
  if (!server.isServing) return;
  serveTestPriority(new Priority(), server.channel, BUFFER_SIZE);
}
