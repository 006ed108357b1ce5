// Handles: what a component holds instead of pointers to kernel objects.
// A handle is a positive 32-bit number, an index into its component's
// handle table and a generation; its entry holds the object and the rights
// this handle grants.
//
// Invariants:
//  - a handle number is never 0 or negative (negative numbers are errors),
//    and a closed handle's number does not name the next object put in its
//    slot (the generation changes on every close);
//  - `object.handleCount` is the number of open entries naming the object,
//    in all tables; when it drops to 0 the object's `lastHandleClosed`
//    runs, once per time it drops (an object can be re-reached only through
//    a name or a state object, which keep their own reference);
//  - rights only shrink: duplicate and transfer copy a subset;
//  - a component's table is emptied once, by the component end hook
//    (`releaseComponentObjects`), before its memory goes.
//
// Each component's message-passing state (this table, and the clients
// waiting for its replies) hangs off `Component.ipc` as ComponentObjects.

import { Component, onComponentEnd } from "../component/component";
import { LIMIT_HANDLES } from "../component/manifest";
import { Thread } from "./thread";
import { storedAt } from "./array";
import { store32, store64 } from "../arch/x86_64/native";
import * as abi from "../generated/abi";

/** Handles one component may hold at once, whatever its `handles` limit. */
export const HANDLE_LIMIT: i32 = 4096;
const INDEX_MASK: i32 = 0xffff;
const GENERATION_MASK: u32 = 0x7fff;

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
  object: KernelObject | null = null;
  rights: u32 = 0;
  /** The handle's number while open; 0 when the slot is free. */
  number: i32 = 0;
  generation: u32 = 1;

  constructor(readonly index: i32) {}
}

export class HandleTable {
  private entries: HandleEntry[] = [];
  /** entries.length, read by every lookup without a call. */
  private size: i32 = 0;
  private free: i32[] = [];
  /** The error of the last lookup that failed (negative). */
  error: i32 = 0;
  /** Open handles. */
  count: i32 = 0;
  /** Open handles allowed: the component's `handles` limit. */
  limit: i32 = HANDLE_LIMIT;

  /** The entry `handle` names, if it is open, names an object of `type` (0: any) and has every right in `rights`; else null and `error`. */
  lookup(handle: i32, type: u32, rights: u32): HandleEntry | null {
    const index = (handle & INDEX_MASK) - 1;
    if (handle <= 0 || index < 0 || index >= this.size) {
      this.error = abi.ERROR_BAD_HANDLE;
      return null;
    }
    const entry = storedAt(this.entries, index);
    const object = entry.object;
    if (object == null || entry.number != handle) {
      this.error = abi.ERROR_BAD_HANDLE;
      return null;
    }
    if (type != 0 && object.type != type) {
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
    let entry: HandleEntry;
    if (this.free.length > 0) {
      entry = this.entries[this.free.pop()];
    } else {
      if (this.entries.length >= HANDLE_LIMIT) return abi.ERROR_NO_MEMORY;
      entry = new HandleEntry(this.entries.length);
      this.entries.push(entry);
      this.size = this.entries.length;
    }
    entry.object = object;
    entry.rights = rights;
    entry.number = <i32>((entry.generation & GENERATION_MASK) << 16) | (entry.index + 1);
    object.handleCount++;
    this.count++;
    return entry.number;
  }

  /** Closes an open entry of this table. */
  close(entry: HandleEntry): void {
    const object = entry.object;
    if (object == null) return;
    entry.object = null;
    entry.number = 0;
    entry.generation = (entry.generation + 1) & GENERATION_MASK;
    if (entry.generation == 0) entry.generation = 1;
    this.free.push(entry.index);
    this.count--;
    object.handleCount--;
    if (object.handleCount == 0) object.lastHandleClosed();
  }

  /** Closes every handle (the component ended). */
  closeAll(): void {
    for (let i = 0; i < this.entries.length; i++) this.close(this.entries[i]);
  }

  /** The open entries' objects, for the end hook (a copy: closing changes the table). */
  openObjects(): KernelObject[] {
    const out = new Array<KernelObject>();
    for (let i = 0; i < this.entries.length; i++) {
      const object = this.entries[i].object;
      if (object != null) out.push(object);
    }
    return out;
  }
}

/** What a component holds for message passing. */
export class ComponentObjects {
  readonly handles: HandleTable = new HandleTable();
  /** Clients whose messages this component received and has not replied to yet (their ids are the receive ids). */
  readonly replyPending: Thread[] = [];
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

export function handleInfo(caller: Thread, entry: HandleEntry, info: u64): i32 {
  const object = entry.object!;
  writeU32(info + <u64>abi.HANDLE_INFO_OBJECT_TYPE, object.type);
  writeU32(info + <u64>abi.HANDLE_INFO_RIGHTS, entry.rights);
  writeU64(info + <u64>abi.HANDLE_INFO_BYTES, object.bytes);
  return <i32>object.type;
}

// Records in a component's memory, at checked absolute addresses.
// @ts-ignore: decorator
@inline export function writeU32(address: u64, value: u32): void { store32(<i64>address, <i32>value); }
// @ts-ignore: decorator
@inline export function writeU64(address: u64, value: u64): void { store64(<i64>address, <i64>value); }

// The end hook: a component's handles close when it ends (channels fail
// their senders, memory objects lose a reference); the clients waiting for
// its replies fail with DEAD_SERVER; then its supervisor is told.
const endActions = new Array<(component: Component) => void>();
const finalActions = new Array<(component: Component) => void>();

/** Lets another object file act at a component's end, before its handles close (mappings, names, replies). */
export function beforeHandlesClose(action: (component: Component) => void): void {
  endActions.push(action);
}

/** Lets another object file act at a component's end, once its handles are closed (the end pulse). */
export function afterHandlesClose(action: (component: Component) => void): void {
  finalActions.push(action);
}

export function releaseComponentObjects(component: Component): void {
  if (component.ipc != null) {
    for (let i = 0; i < endActions.length; i++) {
      const action = endActions[i];
      action(component);
    }
    handlesOf(component).closeAll();
  }
  for (let i = 0; i < finalActions.length; i++) {
    const action = finalActions[i];
    action(component);
  }
}

onComponentEnd(releaseComponentObjects);
