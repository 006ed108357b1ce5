// The driver's side of the input protocol (ipc/table/protocols/input.ts),
// kept here until the shared input client library for drivers
// (drivers/lib/input) lands. Events are numbered per driver instance from
// 1 as they are sent and kept until a reply says the compositor applied
// them; after DEAD_SERVER (the compositor restarted) the kept ones go again,
// and the compositor, which remembers the last number it applied from this
// instance, applies none twice.
//
// While no compositor serves /desktop/input, events wait here: pointer
// motion coalesces into the latest position (only where the pointer is
// matters), presses, releases and wheel steps are kept in order, up to
// PENDING_MAXIMUM (the oldest go beyond, told on the console).

import {
  componentSelf, handleClose, msgSend, nameOpen, Handle, ERROR_DEAD_SERVER, INPUT_PATH, INPUT_EVENTS, INPUT_EVENT_SIZE,
  INPUT_EVENTS_MAXIMUM, INPUT_EVENTS_REQUEST_EVENTS, INPUT_EVENTS_REPLY_SIZE, INPUT_ERROR_SEQUENCE_GAP, INPUT_POINTER,
  InputEventsReply, InputEventsRequest, TIMEOUT_NONE,
} from "../../ipc/generated/index";
import { log } from "../../sdk/lib/log";

const PENDING_MAXIMUM: i32 = 1024;

export class InputClient {
  private connection: Handle = 0;
  private readonly instance: u32 = <u32>componentSelf();
  /** The number the next event sent gets. */
  private nextSequence: u32 = 1;
  /** Sent and not yet applied: events nextSequence - sentCount .. nextSequence - 1, 16 bytes each. */
  private readonly request: usize = heap.alloc(INPUT_EVENTS_REQUEST_EVENTS + INPUT_EVENTS_MAXIMUM * INPUT_EVENT_SIZE);
  private readonly reply: usize = heap.alloc(INPUT_EVENTS_REPLY_SIZE);
  private sentCount: u32 = 0;
  /** Not numbered yet: a ring of PENDING_MAXIMUM events of four words (kind, code, value, text); no allocation per event. */
  private readonly pending: StaticArray<u32> = new StaticArray<u32>(PENDING_MAXIMUM * 4);
  private pendingFirst: i32 = 0;
  private pendingCount: i32 = 0;
  dropped: u32 = 0;
  /** The highest sequence number the compositor applied. */
  applied: u32 = 0;

  get waiting(): bool { return this.sentCount > 0 || this.pendingCount > 0; }

  /** Word `word` of pending event `index` (0: the oldest). */
  private at(index: i32, word: i32): i32 { return ((this.pendingFirst + index) % PENDING_MAXIMUM) * 4 + word; }

  /** Queues an event; pointer motion replaces a pointer event still waiting at the end of the queue. */
  add(kind: u32, code: u32, value: u32, text: u32): void {
    const pending = this.pending;
    if (kind == INPUT_POINTER && this.pendingCount > 0 && pending[this.at(this.pendingCount - 1, 0)] == INPUT_POINTER) {
      pending[this.at(this.pendingCount - 1, 1)] = code;
      pending[this.at(this.pendingCount - 1, 2)] = value;
      return;
    }
    if (this.pendingCount == PENDING_MAXIMUM) {
      this.pendingFirst = (this.pendingFirst + 1) % PENDING_MAXIMUM;
      this.pendingCount--;
      this.dropped++;
      if (this.dropped == 1 || this.dropped % 256 == 0) log("no compositor takes input: " + this.dropped.toString() + " events dropped");
    }
    const slot = this.at(this.pendingCount, 0);
    pending[slot] = kind;
    pending[slot + 1] = code;
    pending[slot + 2] = value;
    pending[slot + 3] = text;
    this.pendingCount++;
  }

  /** Sends what waits, as long as a compositor answers: true when nothing is left waiting. */
  flush(): bool {
    while (this.waiting) {
      if (this.connection <= 0) {
        const opened = nameOpen(INPUT_PATH, TIMEOUT_NONE);
        if (opened < 0) return false;
        this.connection = opened;
      }
      this.number();
      const request = changetype<InputEventsRequest>(this.request);
      request.operation = INPUT_EVENTS;
      request.instance = this.instance;
      request.first = this.nextSequence - this.sentCount;
      const status = msgSend(this.connection, this.request, INPUT_EVENTS_REQUEST_EVENTS + this.sentCount * INPUT_EVENT_SIZE,
        this.reply, INPUT_EVENTS_REPLY_SIZE);
      if (status == ERROR_DEAD_SERVER) {
        handleClose(this.connection);
        this.connection = 0;
        continue;
      }
      if (status < 0) {
        // A gap cannot come from this driver, which numbers without holes; anything else is the compositor's trouble.
        if (status == INPUT_ERROR_SEQUENCE_GAP) log("the compositor reports a sequence gap at " + request.first.toString());
        else log("input.events: error " + status.toString());
        return false;
      }
      this.forget(changetype<InputEventsReply>(this.reply).applied);
    }
    return true;
  }

  /** Numbers pending events into the request, behind those sent and not applied, up to a request's room. */
  private number(): void {
    while (this.sentCount < INPUT_EVENTS_MAXIMUM && this.pendingCount > 0) {
      const event = this.request + INPUT_EVENTS_REQUEST_EVENTS + <usize>(this.sentCount * INPUT_EVENT_SIZE);
      for (let i = 0; i < 4; i++) store<u32>(event + 4 * <usize>i, this.pending[this.at(0, i)]);
      this.pendingFirst = (this.pendingFirst + 1) % PENDING_MAXIMUM;
      this.pendingCount--;
      this.sentCount++;
      this.nextSequence++;
    }
  }

  /** The compositor applied up to `applied`: those events are dropped from the request. */
  private forget(applied: u32): void {
    this.applied = applied;
    const first = this.nextSequence - this.sentCount;
    if (applied < first) return;
    const done = min<u32>(applied - first + 1, this.sentCount);
    const events = this.request + INPUT_EVENTS_REQUEST_EVENTS;
    memory.copy(events, events + <usize>(done * INPUT_EVENT_SIZE), <usize>((this.sentCount - done) * INPUT_EVENT_SIZE));
    this.sentCount -= done;
  }
}
