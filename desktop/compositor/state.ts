// The window manager's state object: every decision the window manager made
// (where each window is, the stacking, the focus, which are minimized, the
// pointer and a drag in progress, the launcher menu), the events not yet
// acknowledged by each window's client, and the input ledger (the last
// event applied from each input driver instance). It lives in a state
// object (state.open "windows"), so a new compositor instance finds it as
// the last one left it and puts every window back where it was; nothing in
// it refers to the instance (no handles, no addresses).
//
// The object is an InputLedger (ipc/client/input-ledger.ts) whose extra
// bytes are the window manager's state: two copies, one committed. A
// change (`begin` .. `commit`) writes the working copy only, and `commit`
// makes it the committed one by one store, so an input event's effects
// (a window moved, a key queued for a client) and the ledger's record that
// it was applied become visible together or not at all
// (desktop/compositor/README.md, "Exactly once"). Between changes every
// read and write goes to the committed copy.
//
// Layout of one copy of the window manager's state, all little-endian u32
// or i32 at fixed offsets from its start:
//
//   0    magic "DWM1", version
//   8    screen width, height
//   16   pointer x, y, buttons held (bit b: INPUT_BUTTON_* b)
//   28   focus: slot + 1 (0: none)
//   32   drag: kind, slot, offset x, offset y, width, height (DRAG_*)
//   56   menu open (0 or 1)
//   60   stack: count, then STATE_SLOTS slot numbers, bottom first (from 64)
//   324  windows placed so far (where the next one goes)
//   512  STATE_SLOTS window slots of SLOT_SIZE bytes:
//        used, client, window, x, y (its content's top-left), width, height
//        (last declared), minimized, next event's sequence number, first
//        queued event's, then WINDOW_EVENTS_MAXIMUM windowEvent records (a ring
//        indexed by sequence number)

import { WINDOW_EVENTS_MAXIMUM, WINDOW_EVENT_SIZE, WINDOW_LIST_MAXIMUM } from "../../ipc/generated/abi";
import { InputLedger } from "../../ipc/client/input-ledger";

export const STATE_MAGIC: u32 = 0x314d5744; // "DWM1"
export const STATE_VERSION: u32 = 2;
export const STATE_SLOTS: i32 = <i32>WINDOW_LIST_MAXIMUM;

const MAGIC: usize = 0;
const VERSION: usize = 4;
const SCREEN_WIDTH: usize = 8;
const SCREEN_HEIGHT: usize = 12;
const POINTER_X: usize = 16;
const POINTER_Y: usize = 20;
const BUTTONS: usize = 24;
const FOCUS: usize = 28;
const DRAG_KIND: usize = 32;
const DRAG_SLOT: usize = 36;
const DRAG_X: usize = 40;
const DRAG_Y: usize = 44;
const DRAG_WIDTH: usize = 48;
const DRAG_HEIGHT: usize = 52;
const MENU_OPEN: usize = 56;
const STACK_COUNT: usize = 60;
const STACK: usize = 64;
const PLACED: usize = 324;
const SLOTS: usize = 512;

const SLOT_USED: usize = 0;
const SLOT_CLIENT: usize = 4;
const SLOT_WINDOW: usize = 8;
const SLOT_X: usize = 12;
const SLOT_Y: usize = 16;
const SLOT_WIDTH: usize = 20;
const SLOT_HEIGHT: usize = 24;
const SLOT_MINIMIZED: usize = 28;
const SLOT_NEXT_EVENT: usize = 32;
const SLOT_FIRST_EVENT: usize = 36;
const SLOT_EVENTS: usize = 40;
export const SLOT_SIZE: usize = SLOT_EVENTS + <usize>WINDOW_EVENTS_MAXIMUM * <usize>WINDOW_EVENT_SIZE;

/** The bytes of one copy of the window manager's state. */
export const MANAGER_BYTES: u32 = <u32>(SLOTS + <usize>STATE_SLOTS * SLOT_SIZE);

/** The state object's size in bytes: the ledger with both copies. */
export const STATE_SIZE: u32 = InputLedger.bytes(MANAGER_BYTES);

/** Drag kinds: none; moving a window by its title bar; resizing it by its grip; a button held over its content. */
export const DRAG_NONE: i32 = 0;
export const DRAG_MOVE: i32 = 1;
export const DRAG_RESIZE: i32 = 2;
export const DRAG_CONTENT: i32 = 3;

/** Typed access to the state object at `object` (mapped writable, STATE_SIZE bytes; zeroed when new). */
export class State {
  readonly ledger: InputLedger;
  /** The copy reads and writes go to: the working one during a change, else the committed one. */
  base: usize;
  private changing: bool = false;

  constructor(object: usize) {
    this.ledger = new InputLedger(object, MANAGER_BYTES);
    this.base = this.ledger.committedExtra;
  }

  /** Starts a change: from here to `commit`, writes go to a copy of the committed state that no one else sees. */
  begin(): void {
    this.ledger.begin();
    this.base = this.ledger.extra;
    this.changing = true;
  }

  /** Makes the change the committed state, with the input it applied (one store). */
  commit(): void {
    if (!this.changing) return;
    this.ledger.commit();
    this.base = this.ledger.committedExtra;
    this.changing = false;
  }

  /** Drops the change: the committed state stays as it was. */
  abandon(): void {
    this.base = this.ledger.committedExtra;
    this.changing = false;
  }

  /** True when the object holds a state of this version (a fresh object is zeroed). */
  get isValid(): bool { return load<u32>(this.base + MAGIC) == STATE_MAGIC && load<u32>(this.base + VERSION) == STATE_VERSION; }

  /** Starts afresh: no windows, the pointer in the screen's middle. */
  reset(width: i32, height: i32): void {
    memory.fill(this.base, 0, <usize>MANAGER_BYTES);
    store<u32>(this.base + MAGIC, STATE_MAGIC);
    store<u32>(this.base + VERSION, STATE_VERSION);
    this.setI(SCREEN_WIDTH, width);
    this.setI(SCREEN_HEIGHT, height);
    this.setI(POINTER_X, width / 2);
    this.setI(POINTER_Y, height / 2);
  }

  // @ts-ignore: decorator
  @inline private i(offset: usize): i32 { return load<i32>(this.base + offset); }
  // @ts-ignore: decorator
  @inline private setI(offset: usize, value: i32): void { store<i32>(this.base + offset, value); }

  get screenWidth(): i32 { return this.i(SCREEN_WIDTH); }
  get screenHeight(): i32 { return this.i(SCREEN_HEIGHT); }
  get pointerX(): i32 { return this.i(POINTER_X); }
  set pointerX(value: i32) { this.setI(POINTER_X, value); }
  get pointerY(): i32 { return this.i(POINTER_Y); }
  set pointerY(value: i32) { this.setI(POINTER_Y, value); }
  get buttons(): u32 { return <u32>this.i(BUTTONS); }
  set buttons(value: u32) { this.setI(BUTTONS, <i32>value); }
  /** The focused slot, -1 for none. */
  get focus(): i32 { return this.i(FOCUS) - 1; }
  set focus(slot: i32) { this.setI(FOCUS, slot + 1); }
  get dragKind(): i32 { return this.i(DRAG_KIND); }
  set dragKind(value: i32) { this.setI(DRAG_KIND, value); }
  get dragSlot(): i32 { return this.i(DRAG_SLOT); }
  set dragSlot(value: i32) { this.setI(DRAG_SLOT, value); }
  get dragX(): i32 { return this.i(DRAG_X); }
  set dragX(value: i32) { this.setI(DRAG_X, value); }
  get dragY(): i32 { return this.i(DRAG_Y); }
  set dragY(value: i32) { this.setI(DRAG_Y, value); }
  get dragWidth(): i32 { return this.i(DRAG_WIDTH); }
  set dragWidth(value: i32) { this.setI(DRAG_WIDTH, value); }
  get dragHeight(): i32 { return this.i(DRAG_HEIGHT); }
  set dragHeight(value: i32) { this.setI(DRAG_HEIGHT, value); }
  get menuOpen(): bool { return this.i(MENU_OPEN) != 0; }
  set menuOpen(value: bool) { this.setI(MENU_OPEN, value ? 1 : 0); }
  get placed(): i32 { return this.i(PLACED); }
  set placed(value: i32) { this.setI(PLACED, value); }

  // The stack, bottom first.
  get stackCount(): i32 { return this.i(STACK_COUNT); }
  stackAt(index: i32): i32 { return this.i(STACK + (<usize>index << 2)); }

  /** Puts `slot` on top of the stack (taking it out of where it was). */
  raise(slot: i32): void {
    this.unstack(slot);
    const count = this.stackCount;
    this.setI(STACK + (<usize>count << 2), slot);
    this.setI(STACK_COUNT, count + 1);
  }

  /** Takes `slot` out of the stack. */
  unstack(slot: i32): void {
    const count = this.stackCount;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const at = this.stackAt(i);
      if (at != slot) { this.setI(STACK + (<usize>kept << 2), at); kept++; }
    }
    this.setI(STACK_COUNT, kept);
  }

  // Window slots.
  // @ts-ignore: decorator
  @inline slotAddress(slot: i32): usize { return this.base + SLOTS + <usize>slot * SLOT_SIZE; }
  private slotI(slot: i32, field: usize): i32 { return load<i32>(this.slotAddress(slot) + field); }
  private setSlotI(slot: i32, field: usize, value: i32): void { store<i32>(this.slotAddress(slot) + field, value); }

  isUsed(slot: i32): bool { return this.slotI(slot, SLOT_USED) != 0; }
  client(slot: i32): u32 { return <u32>this.slotI(slot, SLOT_CLIENT); }
  window(slot: i32): u32 { return <u32>this.slotI(slot, SLOT_WINDOW); }
  x(slot: i32): i32 { return this.slotI(slot, SLOT_X); }
  y(slot: i32): i32 { return this.slotI(slot, SLOT_Y); }
  width(slot: i32): i32 { return this.slotI(slot, SLOT_WIDTH); }
  height(slot: i32): i32 { return this.slotI(slot, SLOT_HEIGHT); }
  isMinimized(slot: i32): bool { return this.slotI(slot, SLOT_MINIMIZED) != 0; }
  setPosition(slot: i32, x: i32, y: i32): void { this.setSlotI(slot, SLOT_X, x); this.setSlotI(slot, SLOT_Y, y); }
  setSize(slot: i32, width: i32, height: i32): void { this.setSlotI(slot, SLOT_WIDTH, width); this.setSlotI(slot, SLOT_HEIGHT, height); }
  setMinimized(slot: i32, minimized: bool): void { this.setSlotI(slot, SLOT_MINIMIZED, minimized ? 1 : 0); }

  /** The slot of (client, window), or -1. */
  find(client: u32, window: u32): i32 {
    for (let slot = 0; slot < STATE_SLOTS; slot++) {
      if (this.isUsed(slot) && this.client(slot) == client && this.window(slot) == window) return slot;
    }
    return -1;
  }

  /** The slot `take` would give next, or -1 when all are used. */
  freeSlot(): i32 {
    for (let slot = 0; slot < STATE_SLOTS; slot++) if (!this.isUsed(slot)) return slot;
    return -1;
  }

  /** Takes a free slot for (client, window): the slot, or -1 when all are used. */
  take(client: u32, window: u32): i32 {
    const slot = this.freeSlot();
    if (slot >= 0) {
      memory.fill(this.slotAddress(slot), 0, SLOT_SIZE);
      this.setSlotI(slot, SLOT_USED, 1);
      this.setSlotI(slot, SLOT_CLIENT, <i32>client);
      this.setSlotI(slot, SLOT_WINDOW, <i32>window);
      this.setSlotI(slot, SLOT_NEXT_EVENT, 1);
      this.setSlotI(slot, SLOT_FIRST_EVENT, 1);
    }
    return slot;
  }

  free(slot: i32): void {
    this.unstack(slot);
    memory.fill(this.slotAddress(slot), 0, SLOT_SIZE);
  }

  // Each window's events, numbered from 1: [firstEvent, nextEvent) are kept.
  nextEvent(slot: i32): u32 { return <u32>this.slotI(slot, SLOT_NEXT_EVENT); }
  firstEvent(slot: i32): u32 { return <u32>this.slotI(slot, SLOT_FIRST_EVENT); }

  /** The windowEvent record of sequence number `sequence` (one of those kept). */
  eventAddress(slot: i32, sequence: u32): usize {
    return this.slotAddress(slot) + SLOT_EVENTS + <usize>(sequence % WINDOW_EVENTS_MAXIMUM) * <usize>WINDOW_EVENT_SIZE;
  }

  /** Queues an event (the oldest is dropped when WINDOW_EVENTS_MAXIMUM are kept): its record, to fill. */
  queueEvent(slot: i32): usize {
    const next = this.nextEvent(slot);
    if (next - this.firstEvent(slot) >= WINDOW_EVENTS_MAXIMUM) this.setSlotI(slot, SLOT_FIRST_EVENT, <i32>(this.firstEvent(slot) + 1));
    this.setSlotI(slot, SLOT_NEXT_EVENT, <i32>(next + 1));
    return this.eventAddress(slot, next);
  }

  /** Forgets the events up to `sequence`, which the client says it received. */
  acknowledge(slot: i32, sequence: u32): void {
    const next = this.nextEvent(slot);
    const first = min(sequence + 1, next);
    if (first > this.firstEvent(slot)) this.setSlotI(slot, SLOT_FIRST_EVENT, <i32>first);
  }
}
