// The kernel side of the thread and clock system calls (ipc/table
// calls.ts: thread.*, clock.*). The generated dispatch has checked the
// arguments' ranges it knows; these check the rest (priorities and the
// component's ceiling, entries).

import * as abi from "../generated/abi";
import { Thread, isPriority } from "../object/thread";
import { exitCurrent, highestReadyPriority, setOwnPriority, sleepCurrent, yieldCurrent, yieldToReadyAddress } from "../sched/scheduler";
import { THREAD_COMPONENT, THREAD_PRIORITY } from "../sched/layout";
import { FAST_PATH_DECLINED, enterFastPath, leaveKernel } from "../sched/entry";
import { cyclesToNanos } from "../sched/timeouts";
import { createThreadOf } from "../component/run";
import { LIMIT_CEILING } from "../component/manifest";
import { threadEnded } from "../component/end";
import { now, tscAtEntry } from "../time";

/** thread.create: a thread of the caller's component running table element `entry` with `argument`. */
export function threadCreate(caller: Thread, entry: u32, argument: u32, priority: i32): i32 {
  if (!isPriority(priority)) return abi.ERROR_INVALID_ARGUMENT;
  return createThreadOf(caller.component!, entry, <i32>argument, priority);
}

/** thread.exit: ends the calling thread (and its component with its last thread). */
export function threadExit(caller: Thread): void {
  threadEnded(caller);
  exitCurrent();
}

/** thread.sleep: waits at least `duration` nanoseconds (0: a yield). */
export function threadSleep(caller: Thread, duration: i64): i32 {
  if (duration < 0) return abi.ERROR_INVALID_ARGUMENT;
  sleepCurrent(duration);
  return 0;
}

/**
 * thread.yield's fast path (object/fast-path.ts says how fast paths work):
 * a component thread yields with no shadow-stack frame, so the switch moves
 * none. Kernel threads and the idle thread take the general path.
 */
// @ts-ignore: decorator
@inline export function threadYieldFast(): i64 {
  const caller = enterFastPath();
  if (caller == 0 || load<usize>(caller + THREAD_COMPONENT) == 0) return FAST_PATH_DECLINED;
  // POINT OF NO RETURN
  if (highestReadyPriority() >= load<i32>(caller + THREAD_PRIORITY)) yieldToReadyAddress(caller);
  leaveKernel();
  return 0;
}

export function threadYield(caller: Thread): i32 {
  yieldCurrent();
  return 0;
}

export function threadSelf(caller: Thread): i32 { return <i32>caller.id; }

/** thread.priority: the priority it runs at now (lent by a client while serving it). */
export function threadPriority(caller: Thread): i32 { return caller.priority; }

/** thread.set_priority: the caller's own priority, up to its component's ceiling (its parent's grant). */
export function threadSetPriority(caller: Thread, priority: i32): i32 {
  if (!isPriority(priority)) return abi.ERROR_INVALID_ARGUMENT;
  if (<i64>priority > caller.component!.limit(LIMIT_CEILING)) return abi.ERROR_ACCESS_DENIED;
  return setOwnPriority(caller, priority);
}

/** clock.now: nanoseconds since the kernel's entry. */
export function clockNow(caller: Thread): i64 { return <i64>cyclesToNanos(now() - tscAtEntry()); }

export function clockCycles(caller: Thread): i64 { return <i64>now(); }
