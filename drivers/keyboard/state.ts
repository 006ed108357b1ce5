// The keyboard driver's state object: everything that must outlive an
// instance, laid out so that a kill at any instruction loses nothing and
// doubles nothing (README.md, "Nothing lost, nothing doubled").
//
//   0      taken     u32  bytes taken from the data port and counted
//   4      current   u32  which checkpoint copy is committed (0 or 1)
//   8      starts    u32  instances started on this object
//   12     written   u32  bytes written to the keyboard, counted before each write
//   16     checkpoint copies 0 and 1, CHECKPOINT_SIZE each
//   RING   RING_SLOTS portTaken records {value, tag}: byte n in slot n % RING_SLOTS, tag n + 1
//   QUEUE  the InputQueue of numbered events (drivers/lib/input)
//
// Three steps, each ending in one store:
//   1. take: port.take writes byte n and tag n + 1 into its slot (one
//      system call), then `taken` = n + 1. A new instance finds a slot
//      whose tag is taken + 1 — taken but not counted — and counts it.
//   2. decode: the committed checkpoint is copied over the other copy, the
//      byte is decoded into that copy (the decoder's state, its events
//      written into the queue past the committed tail), and `current`
//      flips to it. Before the flip nothing decoded is visible.
//   3. send: the sender moves the queue's head once the compositor said
//      the events before it were applied.

import { InputQueue } from "../lib/input/index";
import { Checkpoints } from "../../ipc/client/index";

export const STATE_NAME = "keyboard";

const TAKEN: u32 = 0;
const CURRENT: u32 = 4;
const STARTS: u32 = 8;
const WRITTEN: u32 = 12;
const CHECKPOINTS: u32 = 16;

/** Bytes taken and not yet decoded at most: the ring's slots. */
export const RING_SLOTS: u32 = 64;
/** Events numbered and not yet applied at most. */
export const QUEUE_CAPACITY: u32 = 256;

// The checkpoint: the decoder's whole state, what it has decoded and the queue's end.
const DECODED: u32 = 0;
const TAIL: u32 = 4;
const INSTANCE: u32 = 8;
const NEXT_SEQUENCE: u32 = 12;
const PREFIX: u32 = 16;
const MODIFIERS: u32 = 20;
const LOCKS: u32 = 24;
const REPEAT_KEY: u32 = 28;
const COMMAND_PHASE: u32 = 32;
const SCRIPT: u32 = 36;
const SCRIPT_LENGTH: u32 = 40;
const SCRIPT_AT: u32 = 44;
const LEDS: u32 = 48;
const LED_COMMANDS: u32 = 52;
const NUMBERED: u32 = 56;
const REPEATS: u32 = 60;
const IN_STEP: u32 = 64;
const CONFIGURED: u32 = 68;
/** A bit per usage: the keys held down. */
const DOWN: u32 = 72;
export const CHECKPOINT_SIZE: u32 = DOWN + 32;

const RING: u32 = CHECKPOINTS + 2 * CHECKPOINT_SIZE;
const QUEUE: u32 = RING + RING_SLOTS * 8;
export const STATE_SIZE: u32 = (QUEUE + InputQueue.bytes(QUEUE_CAPACITY) + 4095) & ~4095;

/** The decoder's state as one copy holds it. A view: `changetype<Checkpoint>(address)`. */
// @ts-ignore: decorator
@unmanaged export class Checkpoint {
  /** Bytes of the ring decoded: the next one to decode is byte `decoded`. */
  get decoded(): u32 { return load<u32>(changetype<usize>(this), DECODED); }
  set decoded(value: u32) { store<u32>(changetype<usize>(this), value, DECODED); }
  /** The queue's committed end. */
  get tail(): u32 { return load<u32>(changetype<usize>(this), TAIL); }
  set tail(value: u32) { store<u32>(changetype<usize>(this), value, TAIL); }
  /** The instance whose sequence numbers `nextSequence` continues. */
  get instance(): u32 { return load<u32>(changetype<usize>(this), INSTANCE); }
  set instance(value: u32) { store<u32>(changetype<usize>(this), value, INSTANCE); }
  get nextSequence(): u32 { return load<u32>(changetype<usize>(this), NEXT_SEQUENCE); }
  set nextSequence(value: u32) { store<u32>(changetype<usize>(this), value, NEXT_SEQUENCE); }
  /** 0, PREFIX_EXTENDED after E0, or the bytes of a Pause sequence still to come after E1. */
  get prefix(): u32 { return load<u32>(changetype<usize>(this), PREFIX); }
  set prefix(value: u32) { store<u32>(changetype<usize>(this), value, PREFIX); }
  /** The modifier keys held: bit i for usage 0xE0 + i. */
  get modifiers(): u32 { return load<u32>(changetype<usize>(this), MODIFIERS); }
  set modifiers(value: u32) { store<u32>(changetype<usize>(this), value, MODIFIERS); }
  /** The locks on, as KEYBOARD_LED_* bits. */
  get locks(): u32 { return load<u32>(changetype<usize>(this), LOCKS); }
  set locks(value: u32) { store<u32>(changetype<usize>(this), value, LOCKS); }
  /** The key the typematic repeat repeats (0: none). */
  get repeatKey(): u32 { return load<u32>(changetype<usize>(this), REPEAT_KEY); }
  set repeatKey(value: u32) { store<u32>(changetype<usize>(this), value, REPEAT_KEY); }
  /** Where the exchange of commands with the keyboard is: COMMANDS_IDLE, _SYNC or _SCRIPT (decoder.ts). */
  get commandPhase(): u32 { return load<u32>(changetype<usize>(this), COMMAND_PHASE); }
  set commandPhase(value: u32) { store<u32>(changetype<usize>(this), value, COMMAND_PHASE); }
  /** Up to four bytes for the keyboard, the first in the low byte. */
  get script(): u32 { return load<u32>(changetype<usize>(this), SCRIPT); }
  set script(value: u32) { store<u32>(changetype<usize>(this), value, SCRIPT); }
  get scriptLength(): u32 { return load<u32>(changetype<usize>(this), SCRIPT_LENGTH); }
  set scriptLength(value: u32) { store<u32>(changetype<usize>(this), value, SCRIPT_LENGTH); }
  /** The script's byte written last, whose ACK is awaited. */
  get scriptAt(): u32 { return load<u32>(changetype<usize>(this), SCRIPT_AT); }
  set scriptAt(value: u32) { store<u32>(changetype<usize>(this), value, SCRIPT_AT); }
  /** The LEDs the keyboard acknowledged last. */
  get leds(): u32 { return load<u32>(changetype<usize>(this), LEDS); }
  set leds(value: u32) { store<u32>(changetype<usize>(this), value, LEDS); }
  get ledCommands(): u32 { return load<u32>(changetype<usize>(this), LED_COMMANDS); }
  set ledCommands(value: u32) { store<u32>(changetype<usize>(this), value, LED_COMMANDS); }
  /** Events numbered by every instance. */
  get numbered(): u32 { return load<u32>(changetype<usize>(this), NUMBERED); }
  set numbered(value: u32) { store<u32>(changetype<usize>(this), value, NUMBERED); }
  get repeats(): u32 { return load<u32>(changetype<usize>(this), REPEATS); }
  set repeats(value: u32) { store<u32>(changetype<usize>(this), value, REPEATS); }
  /**
   * 0, or 1 + the count of bytes written to the keyboard (KeyboardState's
   * `written`) when its every reply had come and the exchange stood idle:
   * a successor that finds the count unchanged knows that no byte of its
   * predecessor is still on its way, and need not bring the keyboard into
   * step again (decoder.ts, beginCommands).
   */
  get inStep(): u32 { return load<u32>(changetype<usize>(this), IN_STEP); }
  set inStep(value: u32) { store<u32>(changetype<usize>(this), value, IN_STEP); }
  /**
   * 1 once an instance wrote the controller's configuration (i8042.ts,
   * configure): the controller keeps it, so a successor need not write it
   * again. Committed with the instance's first checkpoint, so an instance
   * killed before it leaves 0 and its successor writes it.
   */
  get configured(): u32 { return load<u32>(changetype<usize>(this), CONFIGURED); }
  set configured(value: u32) { store<u32>(changetype<usize>(this), value, CONFIGURED); }

  isDown(usage: u32): bool {
    return (load<u8>(changetype<usize>(this) + DOWN + (usage >> 3)) >> (usage & 7) & 1) != 0;
  }

  setDown(usage: u32, down: bool): void {
    const address = changetype<usize>(this) + DOWN + (usage >> 3);
    const bit = <u8>(<u32>1 << (usage & 7));
    store<u8>(address, down ? load<u8>(address) | bit : load<u8>(address) & ~bit);
  }
}

/** The state object mapped at `base` (STATE_SIZE bytes). */
export class KeyboardState {
  readonly queue: InputQueue;
  private readonly checkpoints: Checkpoints;

  constructor(readonly base: usize) {
    this.queue = new InputQueue(base + QUEUE, QUEUE_CAPACITY);
    this.checkpoints = new Checkpoints(base + CURRENT, base + CHECKPOINTS, CHECKPOINT_SIZE);
  }

  get taken(): u32 { return load<u32>(this.base, TAKEN); }
  get starts(): u32 { return load<u32>(this.base, STARTS); }
  /** Where the count of bytes written to the keyboard lives (decoder.ts counts each before it writes it). */
  get writtenAddress(): usize { return this.base + WRITTEN; }

  /** Counts this instance's start. */
  started(): void { store<u32>(this.base, this.starts + 1, STARTS); }

  /** The ring slot of byte `n`. */
  slot(n: u32): usize { return this.base + RING + <usize>(n % RING_SLOTS) * 8; }

  /** Byte `n` of the ring (taken, so its slot holds it). */
  byte(n: u32): u32 { return load<u32>(this.slot(n)) & 0xff; }

  /** Whether byte `n`'s slot holds it: its tag is n + 1. */
  holds(n: u32): bool { return load<u32>(this.slot(n), 4) == n + 1; }

  /** Counts byte `taken` as taken once its slot holds it: one store. */
  countTaken(): void { store<u32>(this.base, this.taken + 1, TAKEN); }

  /**
   * At an instance's start: a byte the last instance took but did not
   * count (killed between port.take and countTaken) is counted now.
   */
  recover(): u32 {
    let recovered: u32 = 0;
    while (this.holds(this.taken)) { this.countTaken(); recovered++; }
    return recovered;
  }

  get committed(): Checkpoint { return changetype<Checkpoint>(this.checkpoints.committed); }
  get working(): Checkpoint { return changetype<Checkpoint>(this.checkpoints.working); }

  /** Starts a change: the working copy becomes a copy of the committed one. */
  begin(): Checkpoint { return changetype<Checkpoint>(this.checkpoints.begin()); }

  /** Makes the working copy the committed one: one store. */
  commit(): void { this.checkpoints.commit(); }
}
