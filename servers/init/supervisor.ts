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
// one of the two instances. init answers the replace request then, and
// goes on serving in between (handOver), since the new instance may ask
// it something first (init.standby).
//
// Warm spares. An instance that sends init.standby once it is loaded and
// has done what it can do without its predecessor's state (instantiation,
// the runtime's start, reading its files) marks its entry as one that
// keeps a spare. SPARE_DELAY later, in the background, init starts another
// instance with the same grant — the spare — whose standby request it
// keeps unanswered: the spare waits in the kernel, in msg.send, holding
// no names, no state object and no device. When the running instance
// ends (a fault, a kill, init.restart), init answers the spare instead of
// loading a new instance: the spare opens the state object, registers the
// names (the old instance's went with its end, so no take-over is
// needed, and the kernel's rule that only the supervisor's own instances
// may take a name over is untouched) and serves. A restart then costs the
// spare's take-over, not a load and a start; a new spare follows
// SPARE_DELAY later, so that its load takes no time from the restart. A
// spare that is not ready when it is needed (just started, or not yet
// replaced after the last restart) is left waiting for the next end and
// the entry restarts the ordinary way.

import { spawnGranted } from "../../ipc/client/spawn";
import {
  clockNow, componentKill, componentStatus, msgReply, timerSet, ComponentStatus, COMPONENT_STATUS_SIZE,
  COMPONENT_STATE_EXITED, COMPONENT_STATE_FAULTED, COMPONENT_STATE_KILLED, COMPONENT_STATE_RUNNING, errorName,
} from "../../ipc/generated/index";
import { Entry, Policy, findByComponent, findBySpare, list } from "./list";
import { trapMessage } from "../../sdk/compiler/src/traps";
import { log } from "./lines";

// 40: the compositor's in-OS test ends it after each of 50 messages, some 50 ms apart under TCG, which a
// restart now keeps up with; a component that faults as it starts ends every few milliseconds and is given
// up within a fraction of a second all the same.
const RESTART_LIMIT: i32 = 40;
const RESTART_WINDOW: i64 = 1_000_000_000;
/** A deferred replace's answer: the running instance's id (InitReplaceReply). */
const replyBytes = memory.data(4);
/** How long a replacement waits for the new instance to take the names over, and how often init looks. */
const HAND_OVER_LIMIT: i64 = 5_000_000_000;
const HAND_OVER_POLL: i64 = 1_000_000;

/** How long after a spare is wanted init starts it: after the boot's first frame, and after a restart's first answers. */
const SPARE_DELAY: i64 = 200_000_000;
/** Spares of an entry that end before taking over, in a row, after which the entry keeps none. */
const SPARE_FAILURE_LIMIT: i32 = 3;

/** The connection the kernel sends end pulses through (init's own channel). */
let endNotices: i32 = 0;
/** The timer whose pulse starts the spares that are wanted, and whether it is armed. */
let spareTimer: i32 = 0;
let sparesDue = false;
const status = heap.alloc(COMPONENT_STATUS_SIZE);

export function setEndNotices(connection: i32): void {
  endNotices = connection;
}

export function setSpareTimer(timer: i32): void {
  spareTimer = timer;
}

/** Arms the spare timer, unless it is armed: the spares wanted are started SPARE_DELAY from now. */
export function scheduleSpares(): void {
  if (sparesDue || spareTimer <= 0) return;
  sparesDue = timerSet(spareTimer, SPARE_DELAY, 0) >= 0;
}

/** The spare timer's pulse: starts a spare of every entry that keeps one, runs, and has none. */
export function startSpares(): void {
  sparesDue = false;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!entry.keepsSpare || !entry.wanted || entry.running == 0 || entry.spare != 0) continue;
    const id = spawnGranted(entry.path, endNotices, entry.grantText);
    if (id < 0) {
      log(entry.name + ": could not start a spare from " + entry.path + ": " + errorName(id));
      continue;
    }
    entry.spare = <u32>id;
    entry.spareRequest = 0;
    log(entry.name + ": spare started from " + entry.path + " as component " + id.toString());
  }
}

/** Ends `entry`'s spare, if it has one (stopped, or replaced by a new version): its end pulse will be ignored. */
export function retireSpare(entry: Entry, why: string): void {
  const spare = entry.spare;
  if (spare == 0) return;
  entry.spare = 0;
  entry.spareRequest = 0;
  const result = componentKill(spare);
  log(entry.name + ": spare component " + spare.toString() + " ended (" + why + ")" + (result < 0 ? ": " + errorName(result) : ""));
}

/**
 * Makes `entry`'s spare its running instance, if it has one waiting: it
 * gets the answer to its standby request and takes over. `ended` tells how
 * the instance before it ended: one line says both, written once the
 * spare was answered, so that the line costs the take-over nothing (a
 * spare of a higher priority than init's runs first). False when there
 * is none (or it is gone), and the entry must be started afresh; nothing
 * is written then.
 */
export function promoteSpare(entry: Entry, ended: string): bool {
  const spare = entry.spare, request = entry.spareRequest;
  if (spare == 0 || request == 0) return false;
  entry.spare = 0;
  entry.spareRequest = 0;
  if (msgReply(<u32>request, 0, 0, 0) < 0) {
    componentKill(spare);
    return false;
  }
  entry.running = spare;
  entry.wanted = true;
  entry.starts++;
  entry.spareFailures = 0;
  log(entry.name + ": " + ended + "; spare component " + spare.toString() + " took over (start " + entry.starts.toString() + ")");
  scheduleSpares();
  return true;
}

/** The standby request of component `sender`: whether init keeps it waiting (it is a spare); else the entry it runs keeps a spare from now on. */
export function standingBy(sender: u32, receiveId: i32): bool {
  const spareOf = findBySpare(sender);
  if (spareOf != null) {
    spareOf.spareRequest = receiveId;
    return true;
  }
  const entry = findByComponent(sender);
  if (entry != null && entry.policy == Policy.Restart && entry.spareFailures < SPARE_FAILURE_LIMIT) {
    entry.keepsSpare = true;
    scheduleSpares();
  }
  return false;
}

/** A spare ended before it took over: forget it, and start another later unless they keep ending. */
function spareEnded(entry: Entry, id: u32): void {
  entry.spare = 0;
  entry.spareRequest = 0;
  log(entry.name + ": spare component " + id.toString() + " " + describeEnd(null, id));
  if (++entry.spareFailures >= SPARE_FAILURE_LIMIT) {
    entry.keepsSpare = false;
    log(entry.name + ": " + SPARE_FAILURE_LIMIT.toString() + " spares ended before taking over: no spare is kept");
    return;
  }
  scheduleSpares();
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

/**
 * Ends instance `component` of `entry` on purpose; its end pulse will be
 * ignored. What happened, for the log: `component N ended (why)`.
 */
export function endInstance(entry: Entry, component: u32, why: string): string {
  if (entry.running == component) entry.running = 0;
  const result = componentKill(component);
  entry.lastTrap = 0;
  entry.lastFunction = 0;
  entry.lastOffset = 0;
  return "component " + component.toString() + " ended (" + why + ")" + (result < 0 ? ": " + errorName(result) : "");
}

/** The timer whose pulse looks at the replacements waiting for their names to move, and whether it is armed. */
let handOverTimer: i32 = 0;
let handOversDue = false;

/** The timer init made for the hand-overs (init.ts); its pulse calls checkHandOvers. */
export function setHandOverTimer(timer: i32): void {
  handOverTimer = timer;
}

/**
 * Where a replacement's hand-over stands: 1 when instance `old` holds no
 * names (`successor` took them over, or there were none) or has ended, -1
 * when `successor` is no longer running or the deadline passed, 0 while it
 * goes on.
 */
function handOverState(old: u32, successor: u32, deadline: i64): i32 {
  const view = changetype<ComponentStatus>(status);
  if (componentStatus(old, status) != COMPONENT_STATE_RUNNING || view.names == 0) return 1;
  if (componentStatus(successor, status) != COMPONENT_STATE_RUNNING || clockNow() > deadline) return -1;
  return 0;
}

/**
 * Retires instance `old` of `entry` once `successor`, started from `path`,
 * holds its names, and then answers the replace request `request` (0:
 * none to answer). True when that is done at once (the old instance held
 * no names): the caller answers the request itself. Otherwise init does
 * not wait: it goes on serving, so that the successor's own requests
 * (init.standby) are answered, and looks again every HAND_OVER_POLL on its
 * timer, for HAND_OVER_LIMIT at most.
 */
export function handOver(entry: Entry, old: u32, successor: u32, path: string, request: i32): bool {
  entry.retiring = old;
  entry.successor = successor;
  entry.successorPath = path;
  entry.replaceRequest = 0;
  entry.handOverDeadline = clockNow() + HAND_OVER_LIMIT;
  // Without its timer init could not look again: the old instance goes at once.
  if (handOverTimer <= 0 || handOverState(old, successor, entry.handOverDeadline) != 0) {
    finishHandOver(entry);
    return true;
  }
  entry.replaceRequest = request;
  armHandOverTimer();
  return false;
}

function armHandOverTimer(): void {
  if (handOversDue || handOverTimer <= 0) return;
  handOversDue = timerSet(handOverTimer, HAND_OVER_POLL, 0) >= 0;
}

/** The hand-over timer's pulse: retires the instances whose names have moved or whose time is up. */
export function checkHandOvers(): void {
  handOversDue = false;
  let waiting = false;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (entry.retiring == 0) continue;
    if (handOverState(entry.retiring, entry.successor, entry.handOverDeadline) != 0) finishHandOver(entry);
    else waiting = true;
  }
  if (waiting) armHandOverTimer();
}

/**
 * Ends `entry`'s hand-over now, whether the names moved or not: the old
 * instance is retired and the replace request answered with the instance
 * running now.
 */
export function finishHandOver(entry: Entry): void {
  const old = entry.retiring;
  if (old == 0) return;
  const moved = handOverState(old, entry.successor, entry.handOverDeadline) > 0;
  entry.retiring = 0;
  log(entry.name + ": " + endInstance(entry, old, "retired: replaced by component " + entry.successor.toString() + " from "
    + entry.successorPath + (moved ? "" : ", which did not take its names over")));
  const request = entry.replaceRequest;
  entry.replaceRequest = 0;
  if (request != 0) {
    store<u32>(replyBytes, entry.running);
    msgReply(<u32>request, 0, replyBytes, 4);
  }
}

/** How component `id` ended, as a phrase for the log; records a fault in `entry` (none for a spare, which never served). */
function describeEnd(entry: Entry | null, id: u32): string {
  const state = componentStatus(id, status);
  if (state < 0) return "ended (status: " + errorName(state) + ")";
  const view = changetype<ComponentStatus>(status);
  if (entry != null) {
    entry.lastTrap = 0;
    entry.lastFunction = 0;
    entry.lastOffset = 0;
  }
  if (state == COMPONENT_STATE_FAULTED) {
    if (entry != null) {
      entry.lastTrap = view.trap;
      entry.lastFunction = view.functionIndex;
      entry.lastOffset = view.wasmOffset;
    }
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
  if (entry == null) {
    const spareOf = findBySpare(id);
    if (spareOf != null) spareEnded(spareOf, id);
    return;
  }
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
    retireSpare(entry, "given up");
    log(entry.name + ": component " + id.toString() + " " + how + "; it ended " + RESTART_LIMIT.toString() + " times within a second: given up");
    return;
  }
  const ended = "component " + id.toString() + " " + how;
  if (promoteSpare(entry, ended)) return;
  log(entry.name + ": " + ended + "; restarting");
  startEntry(entry);
}
