// Handles: what a component holds instead of pointers to kernel objects.
// A handle is a positive 31-bit number; its entry holds the object and the
// rights this handle grants.
//
// Numbers come from a count per table, so a closed handle's number is not
// handed out again before 2^31 - 1 later creations in that table (a
// handle kept past its close cannot reach the object put there next, in
// any realistic run). The table is a power-of-two array of slots: number
// n lives in slot n & mask, so a lookup is one load and one compare. A
// new handle takes the next number whose slot is free (numbers whose slot
// is taken are skipped, never issued); the array doubles when half full,
// and since live numbers differ in their low bits they differ in more of
// them too, so growing never makes two share a slot.
//
// Invariants:
//  - a handle number is never 0 or negative (negative numbers are errors);
//  - `object.handleCount` is the number of open entries naming the object,
//    in all tables; when it drops to 0 the object's `lastHandleClosed`
//    runs, once per time it drops (an object can be re-reached only through
//    a name or a state object, which keep their own reference);
//  - rights only shrink: duplicate and transfer copy a subset;
//  - a component's table is emptied once, by its end (component/end.ts:
//    `closeAll`), before its memory goes.
//
// Each component's message-passing state (this table, and the clients
// waiting for its replies) hangs off `Component.ipc` as ComponentObjects.

import { Component } from "../component/component";
import { LIMIT_HANDLES } from "../component/manifest";
import { Thread } from "./thread";
import { storedAt } from "./array";
import { writeUser } from "../component/copy";
import * as abi from "../generated/abi";

/** Handles one component may hold at once, whatever its `handles` limit. */
export const HANDLE_LIMIT: i32 = 4096;
/** Slots of a new table; it doubles when half of them hold handles. */
const FIRST_SLOTS: i32 = 16;
/** The largest handle number; the count comes round to 1 after it. */
const LAST_NUMBER: u32 = 0x7fffffff;

/** Anything a handle can name: channels, connections, memory objects. */
export abstract class KernelObject {
  /** Handles naming it, in every table. */
  handleCount: i32 = 0;

  constructor(readonly type: u32) {}

  /** The last handle naming it was closed. */
  lastHandleClosed(): void {}

  /** Bytes, for handle.info (memory objects). */
  get bytes(): u64 { return 0; }
}

export class HandleEntry {
  constructor(
    readonly object: KernelObject,
    readonly rights: u32,
    /** The handle's number. */
    readonly number: i32,
  ) {}
}

export class HandleTable {
  private slots: Array<HandleEntry | null> = new Array<HandleEntry | null>(FIRST_SLOTS);
  /** slots.length - 1, read by every lookup without a call. */
  private mask: i32 = FIRST_SLOTS - 1;
  /** The number the next handle gets if its slot is free. */
  private next: u32 = 1;
  /** The error of the last lookup that failed (negative). */
  error: i32 = 0;
  /** Open handles. */
  count: i32 = 0;
  /** Open handles allowed: the component's `handles` limit. */
  limit: i32 = HANDLE_LIMIT;
  /**
   * The native fast path's lookups, remembered (arch/x86_64/link/fast-path.ts):
   * the connection msg.send found last (a handle with SEND) and the channel
   * msg.reply_receive or msg.reply_wait found last (with RECEIVE), each as
   * its handle's number and the object's address. A handle's number is not
   * issued again while it is open, and close() forgets a remembered one, so
   * a remembered number still names that object with those rights. None is
   * -1, which no handle argument equals: the native code compares the
   * argument zero-extended to 64 bits.
   */
  sendHandle: i64 = -1;
  sendObject: usize = 0;
  receiveHandle: i64 = -1;
  receiveObject: usize = 0;

  /** The entry `handle` names, if it is open, names an object of `type` (0: any) and has every right in `rights`; else null and `error`. */
  lookup(handle: i32, type: u32, rights: u32): HandleEntry | null {
    const entry = storedAt(this.slots, handle & this.mask);
    if (entry == null || entry.number != handle || handle <= 0) {
      this.error = abi.ERROR_BAD_HANDLE;
      return null;
    }
    if (type != 0 && entry.object.type != type) {
      this.error = abi.ERROR_WRONG_TYPE;
      return null;
    }
    if ((entry.rights & rights) != rights) {
      this.error = abi.ERROR_ACCESS_DENIED;
      return null;
    }
    return entry;
  }

  /** Opens a handle to `object` with `rights`: its number, or ERROR_QUOTA_EXCEEDED when the table holds its limit. */
  add(object: KernelObject, rights: u32): i32 {
    if (this.count >= this.limit) return abi.ERROR_QUOTA_EXCEEDED;
    if (2 * (this.count + 1) > this.slots.length) this.grow();
    let number = this.next;
    while (storedAt(this.slots, <i32>number & this.mask) != null) number = number < LAST_NUMBER ? number + 1 : 1;
    this.next = number < LAST_NUMBER ? number + 1 : 1;
    const entry = new HandleEntry(object, rights, <i32>number);
    this.slots[<i32>number & this.mask] = entry;
    object.handleCount++;
    this.count++;
    return <i32>number;
  }

  /** Doubles the slots, each open entry moving to the slot its number names. */
  private grow(): void {
    const old = this.slots;
    const slots = new Array<HandleEntry | null>(old.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const entry = storedAt(old, i);
      if (entry != null) slots[entry.number & mask] = entry;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Closes an open entry of this table. */
  close(entry: HandleEntry): void {
    const at = entry.number & this.mask;
    if (storedAt(this.slots, at) !== entry) return;
    this.slots[at] = null;
    this.count--;
    if (<i64>entry.number == this.sendHandle) { this.sendHandle = -1; this.sendObject = 0; }
    if (<i64>entry.number == this.receiveHandle) { this.receiveHandle = -1; this.receiveObject = 0; }
    const object = entry.object;
    object.handleCount--;
    if (object.handleCount == 0) object.lastHandleClosed();
  }

  /** Closes every handle (the component ended). */
  closeAll(): void {
    for (let i = 0; i < this.slots.length; i++) {
      const entry = storedAt(this.slots, i);
      if (entry != null) this.close(entry);
    }
  }

  /** The open entries' objects, for a component's end (a copy: closing changes the table). */
  openObjects(): KernelObject[] {
    const out = new Array<KernelObject>();
    for (let i = 0; i < this.slots.length; i++) {
      const entry = storedAt(this.slots, i);
      if (entry != null) out.push(entry.object);
    }
    return out;
  }
}

/** What a component holds for message passing. */
export class ComponentObjects {
  readonly handles: HandleTable = new HandleTable();
}

/** The message-passing state of `component`, made on first use. */
// @ts-ignore: decorator
@inline export function objectsOf(component: Component): ComponentObjects {
  const objects = component.ipc;
  return objects != null ? changetype<ComponentObjects>(objects) : createObjects(component);
}

function createObjects(component: Component): ComponentObjects {
  const objects = new ComponentObjects();
  objects.handles.limit = <i32>min<i64>(component.limit(LIMIT_HANDLES), HANDLE_LIMIT);
  component.ipc = objects;
  component.handleTableLink = changetype<usize>(objects.handles);
  return objects;
}

// @ts-ignore: decorator
@inline export function handlesOf(component: Component): HandleTable {
  return objectsOf(component).handles;
}

// The system calls (ipc/table/calls.ts, "handle.*").

export function handleClose(caller: Thread, entry: HandleEntry): i32 {
  handlesOf(caller.component!).close(entry);
  return 0;
}

export function handleDuplicate(caller: Thread, entry: HandleEntry, rights: u32): i32 {
  if ((rights & ~entry.rights) != 0) return abi.ERROR_ACCESS_DENIED;
  return handlesOf(caller.component!).add(entry.object!, rights);
}

// The handleInfo record is assembled here, then copied into the caller's memory.
const infoRecord = memory.data(<i32>abi.HANDLE_INFO_SIZE, 8);

export function handleInfo(caller: Thread, entry: HandleEntry, info: u64): i32 {
  const object = entry.object!;
  store<u32>(infoRecord + <usize>abi.HANDLE_INFO_OBJECT_TYPE, object.type);
  store<u32>(infoRecord + <usize>abi.HANDLE_INFO_RIGHTS, entry.rights);
  store<u64>(infoRecord + <usize>abi.HANDLE_INFO_BYTES, object.bytes);
  if (!writeUser(info, infoRecord, abi.HANDLE_INFO_SIZE)) return abi.ERROR_BAD_ADDRESS;
  return <i32>object.type;
}
