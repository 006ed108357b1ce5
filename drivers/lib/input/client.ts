// The input client of a driver whose events come from nothing that must
// be committed with them (a pointer's absolute position, its buttons):
// `push` numbers an event for this instance and queues it, `flush` hands
// the queue to the compositor and waits until it applied them, `trySend`
// sends what it can without waiting for a compositor. The queue and its
// cursor may live in a state object, so that a restarted instance re-sends
// what its predecessor numbered and the compositor did not yet apply.
//
// Pointer motion is merged: a position pushed while the last queued event
// is a position of this instance not yet sent replaces it in place (only
// where the pointer ends up matters, and a drag's intermediate positions
// pile up only while the compositor is slow or gone). Its x and y are one
// 64-bit store, so a kill leaves the old position or the new, never half.
//
// When the queue is full something must give, and it is never a key:
//   - motion stops at MOTION_RESERVE free entries, which it leaves to
//     buttons, wheel steps and keys: a dropped position loses a point of
//     the pointer's path, and the next position that finds room puts the
//     pointer where it is;
//   - a button or a wheel step is dropped only when the queue is full (a
//     compositor gone for that long has missed the click anyway);
//   - a key is refused (`push` returns false): its driver flushes and
//     pushes it again, since a lost key is a wrong letter in a document.
// Each drop is counted (`dropped`) and told on the console.
//
// The cursor — the queue's committed end and the next sequence number —
// is one 64-bit word, so pushing an event is one store after the entry
// is written: a driver killed at any instruction has queued the event
// wholly or not at all. A driver whose events follow from device state
// it must keep with them (the keyboard: a byte read, the modifiers it
// changed) keeps the queue's end in its own commit instead and uses
// InputQueue and InputSender directly (drivers/keyboard/state.ts); or it
// keeps the cursor's CURSOR_BYTES in each copy of its own checkpoint and
// moves `cursor` to the copy it works on (drivers/tablet/state.ts), so
// that the events it pushes are committed with the rest of the copy.

import { componentSelf, INPUT_KEY, INPUT_POINTER } from "../../../ipc/generated/index";
import { log } from "../../../sdk/lib/log";
import { InputQueue } from "./queue";
import { InputSender } from "./sender";

// The client's memory: the cursor's word (tail, then the instance's next
// sequence number), the instance the sequence belongs to, then the queue.
const CLIENT_CURSOR: u32 = 0;
const CLIENT_INSTANCE: u32 = 8;
const CLIENT_QUEUE: u32 = 16;
/** The bytes of the cursor (the cursor's word and the instance) where a driver keeps it in its own checkpoint. */
export const CURSOR_BYTES: u32 = CLIENT_QUEUE;
/** The entries motion leaves free for buttons, wheel steps and keys, out of every 4 of the capacity. */
const MOTION_RESERVE_QUARTERS: u32 = 1;

export class InputClient {
  readonly queue: InputQueue;
  readonly sender: InputSender;
  readonly instance: u32;
  /** Events dropped because the queue was full (motion before anything else, never a key). */
  dropped: u32 = 0;
  /** Positions merged into one not yet sent. */
  merged: u32 = 0;
  private readonly motionRoom: u32;
  /** Where the cursor lives: at `base`, or in the checkpoint copy its driver works on. */
  cursor: usize;

  /** The bytes a client of `capacity` queued events needs. */
  static bytes(capacity: u32): u32 { return CLIENT_QUEUE + InputQueue.bytes(capacity); }

  /**
   * A client over `InputClient.bytes(capacity)` bytes at `base`, zeroed
   * when new (or left by an earlier instance, whose events it sends
   * first). This instance numbers its own events from 1. The cursor is
   * at `base`, or at `cursor` (CURSOR_BYTES of a driver's checkpoint).
   */
  constructor(readonly base: usize, capacity: u32, cursor: usize = 0) {
    this.queue = new InputQueue(base + CLIENT_QUEUE, capacity);
    this.sender = new InputSender();
    this.instance = <u32>componentSelf();
    this.motionRoom = capacity * MOTION_RESERVE_QUARTERS / 4 + 1;
    this.cursor = cursor != 0 ? cursor : base;
    if (load<u32>(this.cursor, CLIENT_INSTANCE) != this.instance) {
      // Sequence 1 of this instance; the earlier instance's events stay queued under its numbers.
      store<u64>(this.cursor, <u64>this.tail | (<u64>1 << 32), CLIENT_CURSOR);
      store<u32>(this.cursor, this.instance, CLIENT_INSTANCE);
    }
    // Nothing this instance queued was sent yet; its predecessors' events are never merged into.
    this.sender.sent = this.tail;
  }

  /** The queue's end as the cursor says (committed, when it is the committed copy's). */
  get tail(): u32 { return <u32>load<u64>(this.cursor, CLIENT_CURSOR); }

  /** The sequence number the next event of this instance gets. */
  get nextSequence(): u32 { return <u32>(load<u64>(this.cursor, CLIENT_CURSOR) >> 32); }

  /**
   * Queues an event, merging a position into an unsent one and dropping
   * by the policy above when the queue is full: false only for a key that
   * found no room (flush, then push it again).
   */
  push(kind: u32, code: u32, value: u32, text: u32): bool {
    const tail = this.tail;
    const queue = this.queue;
    if (kind == INPUT_POINTER && tail != queue.head && <i32>(tail - this.sender.sent) > 0) {
      // The last event is queued and was never in a request.
      const last = tail - 1;
      if (queue.instanceAt(last) == this.instance && queue.eventAt(last).kind == INPUT_POINTER) {
        queue.rewrite(last, code, value);
        this.merged++;
        return true;
      }
    }
    const room = queue.room(tail);
    if (room == 0 || (kind == INPUT_POINTER && room <= this.motionRoom)) {
      if (kind == INPUT_KEY) return false;
      this.dropped++;
      if (this.dropped == 1 || this.dropped % 256 == 0) {
        log("input: the queue is full (no compositor takes events): " + this.dropped.toString() + " dropped, motion first");
      }
      return true;
    }
    const sequence = this.nextSequence;
    queue.write(tail, this.instance, sequence, kind, code, value, text);
    store<u64>(this.cursor, <u64>(tail + 1) | (<u64>(sequence + 1) << 32), CLIENT_CURSOR);
    return true;
  }

  /** Hands every queued event to the compositor; returns once each was applied. */
  flush(): void {
    this.sender.sendAll(this.queue, this.tail);
  }

  /** Sends what the compositor takes now, without waiting for one: true when nothing is left queued. */
  trySend(): bool {
    return this.sender.sendAvailable(this.queue, this.tail);
  }
}
