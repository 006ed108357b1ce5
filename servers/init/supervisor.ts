// Starting, ending and restarting the components of init's list, each
// with the grant the list gives it (so every instance of an entry has the
// same identity, `init/NAME`: a restarted or new version gets the entry's
// state objects and may take its names over). init is
// the supervisor of every component it starts: the kernel tells it of each
// end by a PULSE_CODE_COMPONENT_ENDED pulse on its channel, and
// component.status says how the component ended (exit, fault with the wasm
// function and offset, kill).
//
// Invariant: `entry.running` is the only instance of the entry that init
// considers alive. Before init ends an instance itself (stop, restart,
// replace) it clears or replaces `running`, so the end pulse that follows
// names no entry and is ignored: every end is handled exactly once.
//
// A component that keeps dying — more than RESTART_LIMIT ends within
// RESTART_WINDOW — is given up rather than restarted in a tight loop.
//
// A replacement hands the names over before the old instance goes: the new
// instance takes them over (name.register with NAME_TAKE_OVER, which the
// client library's Server does), and init retires the old one only once
// component.status says it holds no names — so name.open always finds
// one of the two instances.

import { spawnGranted } from "../../ipc/client/spawn";
import {
  clockNow, componentKill, componentStatus, threadSleep, ComponentStatus, COMPONENT_STATUS_SIZE,
  COMPONENT_STATE_EXITED, COMPONENT_STATE_FAULTED, COMPONENT_STATE_KILLED, COMPONENT_STATE_RUNNING, errorName,
} from "../../ipc/generated/index";
import { Entry, Policy, findByComponent } from "./list";
import { trapMessage } from "../../sdk/compiler/src/traps";
import { log } from "../../sdk/lib/log";

const RESTART_LIMIT: i32 = 20;
const RESTART_WINDOW: i64 = 1_000_000_000;
/** How long a replacement waits for the new instance to take the names over, and how often it looks. */
const HAND_OVER_LIMIT: i64 = 5_000_000_000;
const HAND_OVER_POLL: i64 = 1_000_000;

/** The connection the kernel sends end pulses through (init's own channel). */
let endNotices: i32 = 0;
const status = heap.alloc(COMPONENT_STATUS_SIZE);

export function setEndNotices(connection: i32): void {
  endNotices = connection;
}

/** Loads and starts `entry` from its path with its grant: its new component id, or an error (negative). */
export function startEntry(entry: Entry): i32 {
  const id = spawnGranted(entry.path, endNotices, entry.grantText);
  if (id < 0) {
    log(entry.name + ": could not start " + entry.path + ": " + errorName(id));
    return id;
  }
  entry.running = <u32>id;
  entry.wanted = true;
  entry.starts++;
  log(entry.name + ": started from " + entry.path + " as component " + id.toString() + (entry.starts > 1 ? " (start " + entry.starts.toString() + ")" : ""));
  return id;
}

/** Ends instance `component` of `entry` on purpose; its end pulse will be ignored. */
export function endInstance(entry: Entry, component: u32, why: string): void {
  if (entry.running == component) entry.running = 0;
  const result = componentKill(component);
  entry.lastTrap = 0;
  entry.lastFunction = 0;
  entry.lastOffset = 0;
  log(entry.name + ": component " + component.toString() + " ended (" + why + ")" + (result < 0 ? ": " + errorName(result) : ""));
}

/**
 * Waits until instance `old` holds no names — `successor` took them over —
 * or `successor` is no longer running, or HAND_OVER_LIMIT passed: whether
 * the names moved (or there were none).
 */
export function awaitHandOver(old: u32, successor: u32): bool {
  const view = changetype<ComponentStatus>(status);
  const deadline = clockNow() + HAND_OVER_LIMIT;
  while (true) {
    if (componentStatus(old, status) != COMPONENT_STATE_RUNNING || view.names == 0) return true;
    if (componentStatus(successor, status) != COMPONENT_STATE_RUNNING || clockNow() > deadline) return false;
    threadSleep(HAND_OVER_POLL);
  }
}

/** How component `id` ended, as a phrase for the log; records a fault in `entry`. */
function describeEnd(entry: Entry, id: u32): string {
  const state = componentStatus(id, status);
  if (state < 0) return "ended (status: " + errorName(state) + ")";
  const view = changetype<ComponentStatus>(status);
  entry.lastTrap = 0;
  entry.lastFunction = 0;
  entry.lastOffset = 0;
  if (state == COMPONENT_STATE_FAULTED) {
    entry.lastTrap = view.trap;
    entry.lastFunction = view.functionIndex;
    entry.lastOffset = view.wasmOffset;
    return "faulted: " + trapMessage(view.trap) + " in wasm function " + view.functionIndex.toString()
      + " at wasm offset 0x" + view.wasmOffset.toString(16);
  }
  if (state == COMPONENT_STATE_EXITED) return "exited with status " + view.exitStatus.toString();
  if (state == COMPONENT_STATE_KILLED) return "was killed";
  return "ended (state " + state.toString() + ")";
}

/** The kernel's pulse: component `id` ended. Restarts it at once when its entry wants it. */
export function componentEnded(id: u32): void {
  const entry = findByComponent(id);
  if (entry == null) return;
  entry.running = 0;
  const how = describeEnd(entry, id);
  if (entry.policy == Policy.Once || !entry.wanted) {
    log(entry.name + ": component " + id.toString() + " " + how);
    return;
  }
  const now = clockNow();
  if (now - entry.windowStart > RESTART_WINDOW) {
    entry.windowStart = now;
    entry.recentRestarts = 0;
  }
  if (++entry.recentRestarts > RESTART_LIMIT) {
    entry.wanted = false;
    log(entry.name + ": component " + id.toString() + " " + how + "; it ended " + RESTART_LIMIT.toString() + " times within a second: given up");
    return;
  }
  log(entry.name + ": component " + id.toString() + " " + how + "; restarting");
  startEntry(entry);
}
