// Hands an InputQueue's events to the compositor (`/desktop/input`, the
// input protocol), oldest first, and forgets each once a reply says it
// was applied.
//
// A request carries consecutive events of one instance, at most
// INPUT_EVENTS_MAXIMUM; the reply's `applied` moves the queue's head past
// every event of that instance up to it. The connection is a
// NamedConnection: when the compositor dies the same request goes to its
// next instance, which applies only what its ledger has not
// (ipc/client/input-ledger.ts), so a re-send applies nothing twice.
//
// `sendAll` waits out a missing compositor; `sendAvailable` does not: a
// driver that must keep serving its device (the pointer) sends what it
// can and tries again later. `sent` tells which events went out in a
// request at least once, so that a writer changes only those that did not
// (InputClient's motion merging).

import {
  errorName, threadSleep, TIMEOUT_NONE, INPUT_EVENT_SIZE, INPUT_EVENTS, INPUT_EVENTS_MAXIMUM, INPUT_EVENTS_REPLY_SIZE,
  INPUT_EVENTS_REQUEST_SIZE, INPUT_ERROR_SEQUENCE_GAP, INPUT_PATH, InputEventsReply, InputEventsRequest,
} from "../../../ipc/generated/index";
import { NamedConnection } from "../../../ipc/client/named-connection";
import { log } from "../../../sdk/lib/log";
import { InputQueue } from "./queue";

/** How long the sender waits before trying again after a reply that applied nothing, or no compositor. */
const RETRY_DELAY: i64 = 20_000_000;

export class InputSender {
  readonly connection: NamedConnection;
  /** Requests sent, answered or not. */
  requests: u32 = 0;
  /** Events the compositor refused with SEQUENCE_GAP: it had forgotten their instance (never with a ledger of enough instances). */
  lost: u32 = 0;
  /** The queue position after the last event put in a request: events before it may have been applied. */
  sent: u32 = 0;
  private readonly request: InputEventsRequest;
  private readonly reply: InputEventsReply;

  constructor(path: string = INPUT_PATH) {
    this.connection = new NamedConnection(path);
    this.request = changetype<InputEventsRequest>(heap.alloc(INPUT_EVENTS_REQUEST_SIZE + INPUT_EVENTS_MAXIMUM * INPUT_EVENT_SIZE));
    this.reply = changetype<InputEventsReply>(heap.alloc(INPUT_EVENTS_REPLY_SIZE));
  }

  /**
   * Sends one request of the oldest events in `queue` before `tail` (the
   * writer's committed end) and moves the head by its reply: how many
   * events it moved past, or an error when the compositor could not be
   * reached. A request that moved nothing returns after RETRY_DELAY when
   * `wait`, so that a caller's loop does not spin.
   */
  sendOnce(queue: InputQueue, tail: u32, wait: bool = true): i32 {
    const head = queue.head;
    if (head == tail) return 0;
    const instance = queue.instanceAt(head);
    const first = queue.sequenceAt(head);
    let count: u32 = 0;
    while (head + count != tail && count < INPUT_EVENTS_MAXIMUM
      && queue.instanceAt(head + count) == instance && queue.sequenceAt(head + count) == first + count) {
      memory.copy(this.request.events + count * INPUT_EVENT_SIZE, changetype<usize>(queue.eventAt(head + count)), INPUT_EVENT_SIZE);
      count++;
    }
    const request = this.request;
    request.operation = INPUT_EVENTS;
    request.instance = instance;
    request.first = first;
    if (<i32>(head + count - this.sent) > 0) this.sent = head + count;
    this.requests++;
    const result = this.connection.send(changetype<usize>(request), INPUT_EVENTS_REQUEST_SIZE + count * INPUT_EVENT_SIZE,
      changetype<usize>(this.reply), INPUT_EVENTS_REPLY_SIZE);
    if (result == INPUT_ERROR_SEQUENCE_GAP) {
      // The compositor's ledger no longer knows this instance: these events can never be applied.
      log("input: the compositor refused events " + first.toString() + ".." + (first + count - 1).toString()
        + " of instance " + instance.toString() + " (SEQUENCE_GAP): dropped");
      this.lost += count;
      queue.head = head + count;
      return <i32>count;
    }
    if (result < 0) {
      if (wait) threadSleep(RETRY_DELAY);
      return result;
    }
    const applied = this.reply.applied;
    let next = head;
    while (next != tail && queue.instanceAt(next) == instance && queue.sequenceAt(next) <= applied) next++;
    if (next == head && wait) threadSleep(RETRY_DELAY);
    queue.head = next;
    return <i32>(next - head);
  }

  /** Sends until every event before `tail` is applied; errors are waited out and tried again. */
  sendAll(queue: InputQueue, tail: u32): void {
    let failures: u32 = 0;
    while (queue.head != tail) {
      const result = this.sendOnce(queue, tail);
      if (result < 0 && failures++ % 50 == 0) log("input: sending to " + this.connection.path + ": " + errorName(result) + "; trying again");
    }
  }

  /**
   * Sends while the compositor is there and applies what it gets, without
   * waiting for one to register: true when every event before `tail` is
   * applied, false when some are left for a later call.
   */
  sendAvailable(queue: InputQueue, tail: u32): bool {
    const timeout = this.connection.resolveTimeout;
    this.connection.resolveTimeout = TIMEOUT_NONE;
    let result: i32 = 1;
    while (queue.head != tail && result > 0) result = this.sendOnce(queue, tail, false);
    this.connection.resolveTimeout = timeout;
    return queue.head == tail;
  }
}
