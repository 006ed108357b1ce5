// Timers: a kernel object that sends a pulse through a connection when it
// expires, once or every `interval` (QNX timers delivering pulses).
//
// Invariants:
//  - a timer is armed (in the scheduler's deadline list, sched/timeouts.ts)
//    only while it has a delay set and a handle names it: closing its last
//    handle (a component's end closes them all) disarms it for good;
//  - it fires from the clock tick, so at most a tick (10 ms) late; a pulse
//    that finds the channel's queue full is dropped (the next period
//    brings another), and one to a closed channel is dropped too;
//  - a periodic timer re-arms from its previous deadline, so it does not
//    drift, but skips the periods it missed rather than firing them late.

import * as abi from "../generated/abi";
import { Timeout, arm, disarm, nanosToCycles } from "../sched/timeouts";
import { now } from "../time";
import { Connection } from "./connection";
import { KernelObject, handlesOf } from "./handle";
import { sendKernelPulse } from "./pulse";
import { Thread } from "./thread";

class TimerTimeout extends Timeout {
  timer: Timer | null = null;
  fire(deadline: u64): void {
    const timer = this.timer;
    if (timer != null) timer.expire(deadline);
  }
}

export class Timer extends KernelObject {
  readonly connection: Connection;
  readonly code: i32;
  readonly value: i64;
  /** TSC cycles between pulses, 0 for one pulse. */
  interval: u64 = 0;
  closed: bool = false;
  private readonly timeout: TimerTimeout = new TimerTimeout();

  constructor(connection: Connection, code: i32, value: i64) {
    super(abi.OBJECT_TYPE_TIMER);
    this.connection = connection;
    this.code = code;
    this.value = value;
    this.timeout.timer = this;
  }

  /** Arms the first pulse `delay` cycles from now (0: disarms), then every `interval` cycles. */
  set(delay: u64, interval: u64): void {
    disarm(this.timeout);
    this.interval = interval;
    if (delay == 0 || this.closed) return;
    arm(this.timeout, now() + delay);
  }

  /** The deadline `deadline` passed (from the tick, interrupts off). */
  expire(deadline: u64): void {
    sendKernelPulse(this.connection, this.code, this.value);
    if (this.interval == 0 || this.closed) return;
    let next = deadline + this.interval;
    const current = now();
    if (next <= current) next = current + this.interval - (current - deadline) % this.interval;
    arm(this.timeout, next);
  }

  lastHandleClosed(): void {
    this.closed = true;
    disarm(this.timeout);
  }
}

/** timer.create: a disarmed timer that will pulse `code` and `value` through `connection`. */
export function timerCreate(caller: Thread, connection: Connection, code: i32, value: i64): i32 {
  if (code < 0 || code > abi.PULSE_CODE_MAXIMUM) return abi.ERROR_INVALID_ARGUMENT;
  return handlesOf(caller.component!).add(new Timer(connection, code, value), abi.TIMER_RIGHTS);
}

/** timer.set: first pulse after `delay` nanoseconds (0 disarms), then every `interval` (0: once). */
export function timerSet(caller: Thread, timer: Timer, delay: i64, interval: i64): i32 {
  if (delay < 0 || interval < 0) return abi.ERROR_INVALID_ARGUMENT;
  // Periods under a tick would only pile up pulses the tick cannot deliver apart.
  if (interval > 0 && interval < 1000000) return abi.ERROR_INVALID_ARGUMENT;
  timer.set(delay == 0 ? 0 : nanosToCycles(<u64>delay), interval == 0 ? 0 : nanosToCycles(<u64>interval));
  return 0;
}
