// The events an input driver has numbered and not yet seen applied by the
// compositor, oldest first, in memory the driver gives (a state object,
// so that they outlive the instance that numbered them).
//
// Each entry keeps the instance that numbered the event and its sequence
// number, so an instance re-sends its predecessors' events under their
// numbers and the compositor applies none of them twice
// (ipc/table/protocols/input.ts). Positions count up for ever (u32,
// wrapping); entry p lives in slot p % capacity.
//
// One writer appends, one sender removes, and each moves one word: the
// sender stores `head` (here, at the start of the memory) once a reply
// said the events before it were applied; the writer's end of the queue,
// `tail`, is not kept here but in the writer's own state, so that a writer
// can commit its events together with what made them in one store (the
// keyboard driver's checkpoint; InputClient's cursor). Entries at or past
// the committed tail are not yet events: a writer killed while writing
// them leaves them unseen.

import { InputEvent, INPUT_EVENT_SIZE } from "../../../ipc/generated/index";

/** The bytes of one entry: instance, sequence number, then the inputEvent record. */
export const INPUT_ENTRY_SIZE: u32 = 8 + INPUT_EVENT_SIZE;
const ENTRY_INSTANCE: u32 = 0;
const ENTRY_SEQUENCE: u32 = 4;
const ENTRY_EVENT: u32 = 8;
/** The inputEvent's code, then its value: one 64-bit word at this offset. */
const EVENT_CODE: usize = 4;
/** The queue's header: head, then room for the entries 8-aligned. */
const QUEUE_ENTRIES: u32 = 8;

/** A queue of numbered events over memory at `base`: `InputQueue.bytes(capacity)` bytes, zeroed when new. */
export class InputQueue {
  constructor(readonly base: usize, readonly capacity: u32) {}

  /** The bytes a queue of `capacity` entries needs. */
  static bytes(capacity: u32): u32 { return QUEUE_ENTRIES + capacity * INPUT_ENTRY_SIZE; }

  /** The position of the oldest event not yet applied. */
  get head(): u32 { return load<u32>(this.base); }

  /** Moves the head (the sender, once a reply said the events before `position` were applied): one store. */
  set head(position: u32) { store<u32>(this.base, position); }

  /** How many entries can be written past `tail` without overwriting an event not yet applied. */
  room(tail: u32): u32 { return this.capacity - (tail - this.head); }

  /** The entry at `position`. */
  entry(position: u32): usize {
    return this.base + QUEUE_ENTRIES + <usize>(position % this.capacity) * INPUT_ENTRY_SIZE;
  }

  instanceAt(position: u32): u32 { return load<u32>(this.entry(position), ENTRY_INSTANCE); }
  sequenceAt(position: u32): u32 { return load<u32>(this.entry(position), ENTRY_SEQUENCE); }
  eventAt(position: u32): InputEvent { return changetype<InputEvent>(this.entry(position) + ENTRY_EVENT); }

  /** Changes the code and value of the event at `position` in one store (a kill leaves the old pair or the new). */
  rewrite(position: u32, code: u32, value: u32): void {
    store<u64>(changetype<usize>(this.eventAt(position)) + EVENT_CODE, <u64>code | (<u64>value << 32));
  }

  /** Writes an event at `position` (at or past the committed tail, with room for it), numbered `sequence` by `instance`. */
  write(position: u32, instance: u32, sequence: u32, kind: u32, code: u32, value: u32, text: u32): void {
    const entry = this.entry(position);
    store<u32>(entry, instance, ENTRY_INSTANCE);
    store<u32>(entry, sequence, ENTRY_SEQUENCE);
    const event = changetype<InputEvent>(entry + ENTRY_EVENT);
    event.kind = kind;
    event.code = code;
    event.value = value;
    event.text = text;
  }
}
