// The pointer driver's state object: what must outlive an instance so that
// a kill at any instruction loses no event the device wrote and doubles
// none (README.md, "Nothing lost, nothing doubled").
//
//   0      current    u32  which checkpoint copy is committed (0 or 1)
//   4      starts     u32  instances started on this object
//   8      adoptions  u32  instances that took the device's queue over
//   12     resets     u32  instances that had to reset the device
//   16     checkpoint copies 0 and 1, CHECKPOINT_SIZE each
//   CLIENT the InputClient's queue of numbered events (drivers/lib/input)
//
// The device's rings and buffers are not here but in the DMA state object
// "tablet-queue" (state.dma), which the device goes on filling while no
// instance runs. A checkpoint holds how far the driver consumed them
// (`taken`, the used index), what it made of them (the input queue's
// cursor: its end and the next sequence number; the position of the
// report under way) and is committed in one store: `begin()` copies the
// committed copy over the other, the driver consumes buffers into that
// copy and writes their events past the queue's committed end, and
// `commit()` flips `current`. Only then are the buffers offered to the
// device again (Virtqueue.release), so a buffer back in the device's hands
// was always committed first.

import { CURSOR_BYTES, InputClient } from "../lib/input/index";
import { Checkpoints } from "../../ipc/client/index";

export const STATE_NAME = "tablet";
/** The DMA state object of the event queue's rings and buffers. */
export const QUEUE_STATE_NAME = "tablet-queue";
/** Events queued for the compositor, at most. */
export const QUEUE_CAPACITY: u32 = 256;

const CURRENT: u32 = 0;
const STARTS: u32 = 4;
const ADOPTIONS: u32 = 8;
const RESETS: u32 = 12;
const CHECKPOINTS: u32 = 16;

// The checkpoint: the input client's cursor, then the driver's own fields.
const CURSOR: u32 = 0;
const TAKEN: u32 = CURSOR_BYTES;
const X: u32 = TAKEN + 4;
const Y: u32 = X + 4;
const MOVED: u32 = Y + 4;
const EVENTS: u32 = MOVED + 4;
const CHECKPOINT_SIZE: u32 = EVENTS + 4;

const CLIENT: u32 = (CHECKPOINTS + 2 * CHECKPOINT_SIZE + 7) & ~7;
export const STATE_SIZE: u32 = (CLIENT + InputClient.bytes(QUEUE_CAPACITY) + 4095) & ~4095;

/** One copy of the checkpoint. A view: `changetype<Checkpoint>(address)`. */
// @ts-ignore: decorator
@unmanaged export class Checkpoint {
  /** Where the input client's cursor lies in this copy. */
  get cursor(): usize { return changetype<usize>(this) + CURSOR; }
  /** The device's used index up to which buffers were consumed. */
  get taken(): u16 { return <u16>load<u32>(changetype<usize>(this), TAKEN); }
  set taken(value: u16) { store<u32>(changetype<usize>(this), <u32>value, TAKEN); }
  /** The absolute position reported so far (the device's units), and whether it is not yet queued. */
  get x(): u32 { return load<u32>(changetype<usize>(this), X); }
  set x(value: u32) { store<u32>(changetype<usize>(this), value, X); }
  get y(): u32 { return load<u32>(changetype<usize>(this), Y); }
  set y(value: u32) { store<u32>(changetype<usize>(this), value, Y); }
  get moved(): bool { return load<u32>(changetype<usize>(this), MOVED) != 0; }
  set moved(value: bool) { store<u32>(changetype<usize>(this), value ? 1 : 0, MOVED); }
  /** Device events consumed by every instance. */
  get events(): u32 { return load<u32>(changetype<usize>(this), EVENTS); }
  set events(value: u32) { store<u32>(changetype<usize>(this), value, EVENTS); }
}

/** The state object mapped at `base` (STATE_SIZE bytes). */
export class TabletState {
  private readonly checkpoints: Checkpoints;

  constructor(readonly base: usize) {
    this.checkpoints = new Checkpoints(base + CURRENT, base + CHECKPOINTS, CHECKPOINT_SIZE);
  }

  /** Where the InputClient's memory lies (InputClient.bytes(QUEUE_CAPACITY)). */
  get client(): usize { return this.base + CLIENT; }

  get starts(): u32 { return load<u32>(this.base, STARTS); }
  get adoptions(): u32 { return load<u32>(this.base, ADOPTIONS); }
  get resets(): u32 { return load<u32>(this.base, RESETS); }

  /** Counts this instance's start, and whether it adopted the queue or reset the device. */
  started(adopted: bool): void {
    store<u32>(this.base, this.starts + 1, STARTS);
    if (adopted) store<u32>(this.base, this.adoptions + 1, ADOPTIONS);
    else store<u32>(this.base, this.resets + 1, RESETS);
  }

  get committed(): Checkpoint { return changetype<Checkpoint>(this.checkpoints.committed); }

  /** Starts a change in the working copy, a copy of the committed one. */
  begin(): Checkpoint { return changetype<Checkpoint>(this.checkpoints.begin()); }

  /** Makes the working copy the committed one: one store. */
  commit(): void { this.checkpoints.commit(); }
}
