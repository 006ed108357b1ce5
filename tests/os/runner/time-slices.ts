// Time slices under a higher priority that wakes at every tick (docs/kernel.md,
// "Scheduling"): two spinners (tests/os/spinner, priority 12) share the
// processor while the runner, at 20, sleeps half a tick again and again, so
// that it preempts whichever spinner runs at every tick. A thread preempted
// by a higher priority runs out what was left of its slice when it comes
// back, and one whose slice is over goes to the back of its queue; were the
// slice renewed whenever a thread is switched back to (or the preempted one
// put back at the front with its slice over), the spinner running when the
// waking began would keep the processor, and the other would get none of it.
// Each spinner's CPU ticks (system.components) over a second of waking tell.

import { threadSetPriority, threadSleep, PRIORITY_DEFAULT, TICK_HZ } from "../../../ipc/generated/index";
import { Check } from "./check";
import { awaitPulse, cpuTicks, killSpinner } from "./supervision";
import { spawnComponent } from "./grants";
import { PULSE_SPINNING } from "../lib/runner-path";

/** The runner's priority meanwhile: above the spinners' 12. */
const WAKER_PRIORITY: i32 = 20;
/** How many times the runner wakes: one a tick, a second in all. */
const WAKES: i32 = <i32>TICK_HZ;
const TICK_NANOSECONDS: i64 = 1_000_000_000 / <i64>TICK_HZ;
export function timeSlices(check: Check): void {
  // Above the spinners before they start: they never block.
  threadSetPriority(WAKER_PRIORITY);
  const first = spawnComponent("spinner");
  const second = first < 0 ? -1 : spawnComponent("spinner");
  if (check.succeeded(first, "component.spawn of the first spinner") && check.succeeded(second, "component.spawn of the second spinner")
    && check.ok(awaitPulse(PULSE_SPINNING, <u32>first) >= 0 && awaitPulse(PULSE_SPINNING, <u32>second) >= 0, "both spinners spinning")) {
    const firstBefore = cpuTicks(<u32>first), secondBefore = cpuTicks(<u32>second);
    for (let i = 0; i < WAKES; i++) threadSleep(TICK_NANOSECONDS / 2);
    const firstTicks = cpuTicks(<u32>first) - firstBefore, secondTicks = cpuTicks(<u32>second) - secondBefore;
    const fewer = min<i64>(firstTicks, secondTicks), more = max<i64>(firstTicks, secondTicks);
    // Round robin at one priority: even shares, give or take the slices the waking moves about.
    const shares = firstTicks.toString() + " and " + secondTicks.toString();
    if (check.ok(fewer > 0 && fewer * 3 >= more, "the two spinners' CPU ticks over " + WAKES.toString()
      + " wakes of a higher priority, one a tick: " + shares + " (each at least a third of the other's)")) {
      check.summary = "two spinners at 12 under a thread at 20 waking every tick: " + shares + " CPU ticks";
    }
  }
  if (first >= 0) killSpinner(check, <u32>first);
  if (second >= 0) killSpinner(check, <u32>second);
  threadSetPriority(PRIORITY_DEFAULT);
}
