// The runner as a supervisor and pulse receiver. It registers a channel as
// /test/runner: the programs it starts send it pulses there (lib/runner-
// path.ts), and the kernel sends the end pulse of every component the
// runner spawned through a connection to the same channel.
//
// Waiting never hangs the runner: an end is awaited by polling
// component.status with a deadline, and to see whether a pulse arrived the
// runner sends itself a marker pulse and receives until the marker (pulses
// queue in order). Pulses received on the way are remembered.

import {
  clockNow, componentKill, componentStatus, connectionCreate, msgReceive, pulseSend, systemComponents, threadSleep,
  ComponentInfo, ComponentStatus, COMPONENT_INFO_SIZE, COMPONENT_STATUS_SIZE, COMPONENT_STATE_KILLED, COMPONENT_STATE_RUNNING, PULSE_CODE_COMPONENT_ENDED, PULSE_SIZE, Pulse,
  RECEIVE_ID_PULSE, ERROR_TIMED_OUT, TIMEOUT_NONE, TIMEOUT_RECEIVE, threadTimeout,
} from "../../../ipc/generated/index";
import { Server, spawnGranted } from "../../../ipc/client/index";
import { RUNNER_PATH, PULSE_MARKER } from "../lib/runner-path";
import { Check } from "./check";

let channel: i32 = 0;
let self: i32 = 0;
const buffer = heap.alloc(64);
export const status = changetype<ComponentStatus>(heap.alloc(COMPONENT_STATUS_SIZE));

/** Pulses received and not yet taken: code and value, in arrival order. */
const pulseCodes = new Array<i32>();
const pulseValues = new Array<i64>();

/** Sets up /test/runner; false when the kernel refused. */
export function startSupervision(): bool {
  const server = new Server(RUNNER_PATH);
  if (!server.isServing) return false;
  channel = server.channel;
  self = connectionCreate(channel);
  return self >= 0;
}

/** Starts a program of the payload with the runner as its supervisor and `grant` (grants.ts): its id, or an error. */
export function spawn(path: string, grant: string): i32 {
  return spawnGranted(path, self, grant);
}

/** Receives one pulse (blocking) and remembers it; its code. */
function receivePulse(): i32 {
  while (true) {
    const id = msgReceive(channel, buffer, 64, 0);
    if (id != RECEIVE_ID_PULSE) continue;
    const pulse = changetype<Pulse>(buffer);
    pulseCodes.push(pulse.code);
    pulseValues.push(pulse.value);
    return pulse.code;
  }
}

/** Receives every pulse queued now (up to a marker of our own). */
export function drainPulses(): void {
  pulseSend(self, PULSE_MARKER, 0);
  while (receivePulse() != PULSE_MARKER) {}
  pulseCodes.pop();
  pulseValues.pop();
}

/**
 * Receives every pulse queued now without waiting and remembers it: how
 * many. Unlike drainPulses it needs no room in the queue for a marker (a
 * flood may have filled it).
 */
export function receiveQueued(): i32 {
  let count = 0;
  while (true) {
    threadTimeout(TIMEOUT_RECEIVE, TIMEOUT_NONE);
    const id = msgReceive(channel, buffer, 64, 0);
    if (id < 0) return count;
    if (id != RECEIVE_ID_PULSE) continue;
    const pulse = changetype<Pulse>(buffer);
    pulseCodes.push(pulse.code);
    pulseValues.push(pulse.value);
    count++;
  }
}

/** Forgets every remembered pulse of `code`: how many there were. */
export function dropPulses(code: i32): i32 {
  let dropped = 0;
  while (takePulse(code, 0, true) >= 0) dropped++;
  return dropped;
}

/** Takes a remembered pulse of `code` (and `value`, unless any value will do): its value, or -1. */
export function takePulse(code: i32, value: i64, anyValue: bool): i64 {
  for (let i = 0; i < pulseCodes.length; i++) {
    if (pulseCodes[i] == code && (anyValue || pulseValues[i] == value)) {
      const found = pulseValues[i];
      pulseCodes.splice(i, 1);
      pulseValues.splice(i, 1);
      return found;
    }
  }
  return -1;
}

/** Blocks until a pulse of `code` arrives (or one is remembered); its value. The end pulse of `watch` ends the wait: -1 unless the pulse was queued before it (the end pulse stays remembered). */
export function awaitPulse(code: i32, watch: u32): i64 {
  while (true) {
    const found = takePulse(code, 0, true);
    if (found >= 0) return found;
    if (watch != 0 && takePulse(PULSE_CODE_COMPONENT_ENDED, <i64>watch, false) >= 0) {
      // End notices overtake queued pulses (docs/ipc.md): the one awaited may still be queued behind.
      drainPulses();
      const late = takePulse(code, 0, true);
      // The end pulse stays for takeEndPulse.
      pulseCodes.push(PULSE_CODE_COMPONENT_ENDED);
      pulseValues.push(<i64>watch);
      return late;
    }
    receivePulse();
  }
}

/** Did the end pulse of `component` arrive? Takes it. */
export function takeEndPulse(component: u32): bool {
  drainPulses();
  return takePulse(PULSE_CODE_COMPONENT_ENDED, <i64>component, false) >= 0;
}

/** Waits up to `timeout` ns for `component` to end: its state (COMPONENT_STATE_*), status filled; or an error. */
export function awaitEnd(component: u32, timeout: i64): i32 {
  const deadline = clockNow() + timeout;
  while (true) {
    const state = componentStatus(component, changetype<usize>(status));
    if (state != COMPONENT_STATE_RUNNING) return state;
    if (clockNow() > deadline) return ERROR_TIMED_OUT;
    threadSleep(1_000_000);
  }
}

/** The most components cpuTicks asks system.components for. */
const LISTED: i32 = 64;

/** The CPU ticks of running component `id` (system.components), or -1 when it is not listed. */
export function cpuTicks(id: u32): i64 {
  const records = heap.alloc(<usize>LISTED * COMPONENT_INFO_SIZE);
  const count = min<i32>(systemComponents(records, <u32>LISTED * COMPONENT_INFO_SIZE), LISTED);
  let ticks: i64 = -1;
  for (let i = 0; i < count; i++) {
    const record = changetype<ComponentInfo>(records + <usize>i * COMPONENT_INFO_SIZE);
    if (record.id == id) ticks = <i64>record.cpuTicks;
  }
  heap.free(records);
  return ticks;
}

/** Kills `spinner` (tests/os/spinner, spawned by the runner) and checks that it ends KILLED and that its end pulse came. */
export function killSpinner(check: Check, spinner: u32): void {
  check.succeeded(componentKill(spinner), "component.kill of the spinner");
  check.equal(awaitEnd(spinner, 5_000_000_000), COMPONENT_STATE_KILLED, "the spinner's end state");
  check.ok(takeEndPulse(spinner), "no end pulse for the killed spinner");
}
