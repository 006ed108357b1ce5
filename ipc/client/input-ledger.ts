// The server side of the input protocol's exactly-once rule
// (ipc/table/protocols/input.ts): which events of which driver instance
// the server (the compositor) has applied, kept in memory the server gives
// it — a state object, so that a restarted server knows it.
//
// A server must apply an event and count it as applied in one step, or a
// kill between the two applies it twice (counted after) or never (counted
// before). A store is one step, a list of stores is not; so the ledger is
// kept twice, as in shadow paging: `begin` copies the committed copy over
// the working one, the server changes only the working copy (and its own
// bytes beside it, `extra`, which the ledger keeps with the numbers), and
// `commit` makes the working copy the committed one by storing one word.
// A server killed at any instruction before that store left the committed
// copy as it was; after it, the new numbers and the server's own bytes
// hold together. What the server writes outside the ledger before the
// commit (a text buffer, a queue of events for windows) must be found only
// through what `extra` says (a length, a queue's end), so that bytes
// written but not committed are as if never written.
//
// The ledger holds LEDGER_INSTANCES instances. A new instance takes the
// slot of the one whose numbers changed longest ago: component ids are
// never reused, and a driver's instance stops sending once a later one
// holds its events, so only an instance silent for as long as 64 others
// numbered events loses its slot (its next request is then a SEQUENCE_GAP).
//
//   const ledger = new InputLedger(stateAddress, EXTRA_BYTES);
//   events(instance, first, events, length, reply) {
//     ledger.begin();
//     const skip = ledger.skip(instance, first, count);
//     if (skip < 0) return skip;                          // INPUT_ERROR_SEQUENCE_GAP
//     for (let i = skip; i < count; i++) apply(event i);  // into what `ledger.extra` describes
//     ledger.record(instance, first + count - 1);
//     ledger.commit();
//     reply.applied = ledger.applied(instance);
//     return 0;
//   }

import { INPUT_ERROR_SEQUENCE_GAP } from "../generated/protocols/input";
import { Checkpoints } from "./checkpoints";

/** How many driver instances the ledger tells apart. */
export const LEDGER_INSTANCES: u32 = 64;

// One copy: the change counter, then per slot (instance, applied, changed at), then the server's extra bytes.
const COPY_STAMP: u32 = 0;
const COPY_SLOTS: u32 = 8;
const SLOT_SIZE: u32 = 12;
const SLOT_INSTANCE: u32 = 0;
const SLOT_APPLIED: u32 = 4;
const SLOT_CHANGED: u32 = 8;
const COPY_EXTRA: u32 = COPY_SLOTS + LEDGER_INSTANCES * SLOT_SIZE;
// The ledger: the committed copy's number (0 or 1), then the two copies, 8-aligned.
const LEDGER_COPIES: u32 = 8;

/**
 * The applied sequence number of each driver instance, committed with the
 * server's own bytes in one store. Over zeroed memory (a new state
 * object) it knows no instance.
 */
export class InputLedger {
  private readonly copies: Checkpoints;

  /** The ledger over `bytes(extraBytes)` bytes at `base`, with `extraBytes` of the server's own kept with it. */
  constructor(readonly base: usize, readonly extraBytes: u32) {
    this.copies = new Checkpoints(base, base + LEDGER_COPIES, (COPY_EXTRA + extraBytes + 7) & ~7);
  }

  /** The bytes a ledger with `extraBytes` of the server's own needs. */
  static bytes(extraBytes: u32): u32 {
    return LEDGER_COPIES + 2 * ((COPY_EXTRA + extraBytes + 7) & ~7);
  }

  private get committedCopy(): usize { return this.copies.committed; }
  private get workingCopy(): usize { return this.copies.working; }

  /** Starts a change: the working copy becomes the committed one's copy. */
  begin(): void { this.copies.begin(); }

  /** The working copy's extra bytes: the server's own state, committed with the numbers. */
  get extra(): usize { return this.workingCopy + COPY_EXTRA; }

  /** The committed copy's extra bytes (what a server reads when it starts). */
  get committedExtra(): usize { return this.committedCopy + COPY_EXTRA; }

  /** The slot of `instance` in `copy`, or 0. */
  private slotIn(copy: usize, instance: u32): usize {
    const slots = copy + COPY_SLOTS;
    for (let i: u32 = 0; i < LEDGER_INSTANCES; i++) {
      const slot = slots + i * SLOT_SIZE;
      if (instance != 0 && load<u32>(slot, SLOT_INSTANCE) == instance) return slot;
    }
    return 0;
  }

  /** The highest sequence number of `instance` committed as applied (0: none): what the reply tells the driver. */
  applied(instance: u32): u32 {
    const slot = this.slotIn(this.committedCopy, instance);
    return slot == 0 ? 0 : load<u32>(slot, SLOT_APPLIED);
  }

  /**
   * Of `count` events of `instance` numbered from `first`, how many lead
   * the request and were applied already, by the working copy (the server
   * skips them); or
   * INPUT_ERROR_SEQUENCE_GAP when `first` is more than one above the
   * last applied, and events would be skipped.
   */
  skip(instance: u32, first: u32, count: u32): i32 {
    const slot = this.slotIn(this.workingCopy, instance);
    const applied: u32 = slot == 0 ? 0 : load<u32>(slot, SLOT_APPLIED);
    if (first > applied + 1) return INPUT_ERROR_SEQUENCE_GAP;
    const known = applied + 1 - first;
    return <i32>(known < count ? known : count);
  }

  /** Records in the working copy that the events of `instance` up to `sequence` are applied. */
  record(instance: u32, sequence: u32): void {
    const copy = this.workingCopy;
    const stamp = load<u32>(copy, COPY_STAMP) + 1;
    store<u32>(copy, stamp, COPY_STAMP);
    let slot = this.slotIn(copy, instance);
    if (slot == 0) {
      // The empty slot, else the one changed longest ago.
      const slots = copy + COPY_SLOTS;
      slot = slots;
      for (let i: u32 = 0; i < LEDGER_INSTANCES; i++) {
        const candidate = slots + i * SLOT_SIZE;
        if (load<u32>(candidate, SLOT_INSTANCE) == 0) { slot = candidate; break; }
        if (stamp - load<u32>(candidate, SLOT_CHANGED) > stamp - load<u32>(slot, SLOT_CHANGED)) slot = candidate;
      }
      store<u32>(slot, instance, SLOT_INSTANCE);
      store<u32>(slot, sequence, SLOT_APPLIED);
    } else if (sequence > load<u32>(slot, SLOT_APPLIED)) {
      store<u32>(slot, sequence, SLOT_APPLIED);
    }
    store<u32>(slot, stamp, SLOT_CHANGED);
  }

  /** Makes the working copy the committed one: one store. */
  commit(): void { this.copies.commit(); }
}
