// Deadlines by the TSC: blocked threads' timeouts and kernel timers, in one
// list sorted by deadline, checked on every clock tick (10 ms at 100 Hz, so
// a deadline passes at most a tick late). A Timeout is anything with a
// deadline and a `fire`; a thread's own Timeout wakes it with TimedOut.

import { tscFrequency } from "../time";

export abstract class Timeout {
  /** TSC value at which it fires; 0 while not armed. */
  deadline: u64 = 0;
  /** Its deadline passed (it is disarmed already: firing may arm it again). */
  abstract fire(deadline: u64): void;
// @ts-ignore: decorator
  @inline get isArmed(): bool { return this.deadline != 0; }
}

const armed = new Array<Timeout>();

/** TSC cycles in `nanoseconds`, saturating (a deadline of years is never). */
export function nanosToCycles(nanoseconds: u64): u64 {
  const hz = tscFrequency();
  const seconds = nanoseconds / 1000000000;
  if (seconds > <u64>100000000) return <u64>0x7fffffffffffffff;
  return seconds * hz + nanoseconds % 1000000000 * hz / 1000000000;
}

export function cyclesToNanos(cycles: u64): u64 {
  const hz = tscFrequency();
  if (hz == 0) return 0;
  return cycles / hz * 1000000000 + cycles % hz * 1000000000 / hz;
}

/** Arms `timeout` to fire at TSC `deadline` (re-arming moves it). */
export function arm(timeout: Timeout, deadline: u64): void {
  if (timeout.isArmed) disarm(timeout);
  if (deadline == 0) deadline = 1;
  timeout.deadline = deadline;
  let at = armed.length;
  while (at > 0 && armed[at - 1].deadline > deadline) at--;
  armed.push(timeout);
  for (let i = armed.length - 1; i > at; i--) armed[i] = armed[i - 1];
  armed[at] = timeout;
}

export function disarm(timeout: Timeout): void {
  if (!timeout.isArmed) return;
  timeout.deadline = 0;
  for (let i = 0; i < armed.length; i++) {
    if (armed[i] !== timeout) continue;
    for (let k = i; k + 1 < armed.length; k++) armed[k] = armed[k + 1];
    armed.length = armed.length - 1;
    return;
  }
}

/** Fires every timeout whose deadline is at or before `now`, earliest first. */
export function fireExpired(now: u64): void {
  while (armed.length > 0 && armed[0].deadline <= now) {
    const timeout = armed[0];
    const deadline = timeout.deadline;
    disarm(timeout);
    timeout.fire(deadline);
  }
}

/** The earliest armed deadline, 0 when none. */
export function nextDeadline(): u64 {
  return armed.length > 0 ? armed[0].deadline : 0;
}
