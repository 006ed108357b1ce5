// The input client of a driver whose events come from nothing that must
// be committed with them (a pointer's absolute position, its buttons):
// `push` numbers an event for this instance and queues it, `flush` hands
// the queue to the compositor. The queue and its cursor may live in a
// state object, so that a restarted instance re-sends what its
// predecessor numbered and the compositor did not yet apply.
//
// The cursor — the queue's committed end and the next sequence number —
// is one 64-bit word, so pushing an event is one store after the entry
// is written: a driver killed at any instruction has queued the event
// wholly or not at all. A driver whose events follow from device state
// it must keep with them (the keyboard: a byte read, the modifiers it
// changed) keeps the queue's end in its own commit instead and uses
// InputQueue and InputSender directly (drivers/keyboard/state.ts).

import { componentSelf } from "../../../ipc/generated/index";
import { InputQueue } from "./queue";
import { InputSender } from "./sender";

// The client's memory: the cursor's word (tail, then the instance's next
// sequence number), the instance the sequence belongs to, then the queue.
const CLIENT_CURSOR: u32 = 0;
const CLIENT_INSTANCE: u32 = 8;
const CLIENT_QUEUE: u32 = 16;

export class InputClient {
  readonly queue: InputQueue;
  readonly sender: InputSender;
  readonly instance: u32;

  /** The bytes a client of `capacity` queued events needs. */
  static bytes(capacity: u32): u32 { return CLIENT_QUEUE + InputQueue.bytes(capacity); }

  /**
   * A client over `InputClient.bytes(capacity)` bytes at `base`, zeroed
   * when new (or left by an earlier instance, whose events it sends
   * first). This instance numbers its own events from 1.
   */
  constructor(readonly base: usize, capacity: u32) {
    this.queue = new InputQueue(base + CLIENT_QUEUE, capacity);
    this.sender = new InputSender();
    this.instance = <u32>componentSelf();
    if (load<u32>(base, CLIENT_INSTANCE) != this.instance) {
      // Sequence 1 of this instance; the earlier instance's events stay queued under its numbers.
      store<u64>(base, <u64>this.tail | (<u64>1 << 32), CLIENT_CURSOR);
      store<u32>(base, this.instance, CLIENT_INSTANCE);
    }
  }

  /** The queue's committed end. */
  get tail(): u32 { return <u32>load<u64>(this.base, CLIENT_CURSOR); }

  /** The sequence number the next event of this instance gets. */
  get nextSequence(): u32 { return <u32>(load<u64>(this.base, CLIENT_CURSOR) >> 32); }

  /** Queues an event: false when the queue is full (flush first). */
  push(kind: u32, code: u32, value: u32, text: u32): bool {
    const tail = this.tail;
    if (this.queue.room(tail) == 0) return false;
    const sequence = this.nextSequence;
    this.queue.write(tail, this.instance, sequence, kind, code, value, text);
    store<u64>(this.base, <u64>(tail + 1) | (<u64>(sequence + 1) << 32), CLIENT_CURSOR);
    return true;
  }

  /** Hands every queued event to the compositor; returns once each was applied. */
  flush(): void {
    this.sender.sendAll(this.queue, this.tail);
  }
}
