// The pathname space: servers register a channel under a path
// (`/test/echo`), clients resolve a path to a new connection. Names, not
// handles, are what survives a server's restart: the next instance
// registers the same path, and a client that lost its server opens it
// again (waiting in name.open until it is there).
//
// Invariants:
//  - a path is `/` followed by one or more non-empty segments of
//    letters, digits, `-`, `_` and `.`, without `.` or `..` segments, at
//    most NAME_MAXIMUM bytes; each names at most one channel;
//  - a name lives while its channel is open and its registering component
//    runs: closing the channel (its last handle) or the component's end
//    drops it, so name.open never connects to a dead channel;
//  - threads waiting in name.open wait in one queue and are all woken by
//    every registration; each checks its own path again;
//  - a name moves from one channel to another only by a take-over
//    (NAME_TAKE_OVER), in one step: name.open finds the old channel or the
//    new one, never nothing. The holder must be the caller itself, a
//    component the caller supervises, or a component of the caller's
//    identity — which only a supervisor of the same identity can have
//    given both (component/authority.ts): a new version or a restarted
//    instance it started. Nothing a component writes in its own manifest
//    counts. The caller's rights must cover the path like any
//    registration. The old channel keeps its connections and its waiting
//    senders: the old instance may still serve them, and they fail with
//    DEAD_SERVER when it is retired (its clients then re-resolve the name
//    and find the new instance).

import { Component } from "../component/component";
import { WaitQueue } from "../sched/wait-queue";
import { cyclesToNanos } from "../sched/timeouts";
import { now } from "../time";
import { BlockReason, Thread, WakeReason, block, wake } from "./thread";
import { Channel } from "./channel";
import { Connection } from "./connection";
import { handlesOf } from "./handle";
import * as abi from "../generated/abi";

class Name {
  constructor(readonly path: string, public channel: Channel, public owner: Component) {}
}

const names = new Array<Name>();
const waiters = new WaitQueue();

function isSegmentCharacter(c: i32): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f || c == 0x2e;
}

/** Whether `path` is a well-formed absolute path (see the invariants). */
export function isValidPath(path: string): bool {
  const length = path.length;
  if (length < 2 || length > abi.NAME_MAXIMUM || path.charCodeAt(0) != 0x2f) return false;
  let segmentStart = 1;
  for (let i = 1; i <= length; i++) {
    const c = i < length ? path.charCodeAt(i) : 0x2f;
    if (c == 0x2f) {
      const segment = i - segmentStart;
      if (segment == 0) return false;
      if (segment <= 2 && path.charCodeAt(segmentStart) == 0x2e && (segment == 1 || path.charCodeAt(segmentStart + 1) == 0x2e)) return false;
      segmentStart = i + 1;
    } else if (!isSegmentCharacter(c)) {
      return false;
    }
  }
  return true;
}

function find(path: string): Name | null {
  for (let i = 0; i < names.length; i++) if (names[i].path == path) return names[i];
  return null;
}

/** Whether `caller` may take a name over from `holder`: itself, a component it supervises, or another instance its supervisor gave its identity. */
function mayTakeOver(caller: Component, holder: Component): bool {
  return holder === caller || holder.supervisor === caller || holder.identity == caller.identity;
}

/** name.register */
export function nameRegister(caller: Thread, path: string, channel: Channel, flags: u32): i32 {
  if ((flags & ~abi.NAME_TAKE_OVER) != 0 || !isValidPath(path)) return abi.ERROR_INVALID_ARGUMENT;
  if (!channel.isOpen) return abi.ERROR_BAD_HANDLE;
  const component = caller.component!;
  const existing = find(path);
  if (existing == null) {
    names.push(new Name(path, channel, component));
  } else {
    if ((flags & abi.NAME_TAKE_OVER) == 0 || !mayTakeOver(component, existing.owner)) return abi.ERROR_ALREADY_EXISTS;
    existing.channel = channel;
    existing.owner = component;
  }
  // Everyone waiting for a name looks again.
  while (true) {
    const waiter = waiters.takeFirst();
    if (waiter == null) break;
    wake(waiter, WakeReason.Woken);
  }
  return 0;
}

/** name.unregister */
export function nameUnregister(caller: Thread, path: string): i32 {
  for (let i = 0; i < names.length; i++) {
    if (names[i].path != path) continue;
    if (names[i].owner !== caller.component) return abi.ERROR_ACCESS_DENIED;
    names.splice(i, 1);
    return 0;
  }
  return abi.ERROR_NOT_FOUND;
}

/** name.open: a connection to the channel named `path`, waiting up to `timeout` nanoseconds for it. */
export function nameOpen(caller: Thread, path: string, timeout: i64): i32 {
  if (!isValidPath(path)) return abi.ERROR_INVALID_ARGUMENT;
  const start = now();
  while (true) {
    const name = find(path);
    if (name != null) return handlesOf(caller.component!).add(new Connection(name.channel), abi.CONNECTION_RIGHTS);
    if (timeout == 0) return abi.ERROR_NOT_FOUND;
    let left: i64 = -1;
    if (timeout > 0) {
      const elapsed = <i64>cyclesToNanos(now() - start);
      if (elapsed >= timeout) return abi.ERROR_TIMED_OUT;
      left = timeout - elapsed;
    }
    if (block(BlockReason.Name, left, waiters) == WakeReason.TimedOut) {
      if (find(path) == null) return abi.ERROR_TIMED_OUT;
    }
  }
  return abi.ERROR_NOT_FOUND;
}

/** How many names `component` holds (component.status). */
export function namesHeldBy(component: Component): i32 {
  let count = 0;
  for (let i = 0; i < names.length; i++) if (names[i].owner === component) count++;
  return count;
}

/** Every registered path, in the order of registration (system.list). */
export function registeredPaths(): string[] {
  const paths = new Array<string>(names.length);
  for (let i = 0; i < names.length; i++) paths[i] = names[i].path;
  return paths;
}

/** Drops every name of `channel` (it closed). */
export function dropNames(channel: Channel): void {
  for (let i = names.length - 1; i >= 0; i--) if (names[i].channel === channel) names.splice(i, 1);
}

/** The channel registered under `path`, if any (the kernel's own lookups). */
export function lookupName(path: string): Channel | null {
  const name = find(path);
  return name == null ? null : name.channel;
}

/** A component is ending (component/end.ts): every name it registered goes. */
export function dropComponentNames(component: Component): void {
  for (let i = names.length - 1; i >= 0; i--) if (names[i].owner === component) names.splice(i, 1);
}
