// The kernel's clock tick: the local APIC timer interrupts TICK_HZ times a
// second. The handler counts, and every TICK_REPORT ticks (once reports
// are started) writes `timer: N ticks, S s by the TSC` on the console —
// from the tick itself, so that busy components do not delay or skip a
// line. Interrupts arrive only where no kernel code is half done (kernel
// code runs with them off), so printing here interleaves with nothing; the
// console allocates nothing.

import * as console from "./console";
import { cyclesToMicros, now } from "./time";

export const TICK_HZ: u32 = 100;
/** A timer line every this many ticks. */
export const TICK_REPORT: u64 = 50;

let ticks: u64 = 0;
let reportsFrom: u64 = 0;

export function tick(): void {
  ticks++;
  if (reportsFrom != 0 && ticks % TICK_REPORT == 0) report();
}

export function tickCount(): u64 { return ticks; }

/** Starts the timer lines, with seconds counted from now. */
export function startTickReports(): void { reportsFrom = now(); }

function report(): void {
  console.begin();
  console.text("timer: ");
  console.decimal(ticks);
  console.text(" ticks, ");
  console.seconds(cyclesToMicros(now() - reportsFrom));
  console.text(" s by the TSC");
  console.end();
}
