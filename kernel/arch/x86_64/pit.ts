// The 8254 programmable interval timer, used at boot only: to measure the
// TSC's frequency. Channel 2 counts down 11932 ticks of its 1.193182 MHz
// clock (10 ms) in mode 0 with its gate held high through port 0x61, whose
// bit 5 shows the channel's output going high at zero; the TSC cycles in
// between, scaled, are the TSC's frequency (the least of a few windows).

import { inb, outb, rdtsc } from "./cpu";

const PIT_HZ: u64 = 1193182;
const CHANNEL2: i32 = 0x42;
const COMMAND: i32 = 0x43;
const GATE: i32 = 0x61;
const GATE_ON: i32 = 0x01;
const SPEAKER: i32 = 0x02;
const OUTPUT: i32 = 0x20;
/** Channel 2, low then high byte, mode 0 (interrupt on terminal count), binary. */
const CHANNEL2_MODE0: i32 = 0xb0;
const INTERVAL_HZ: u64 = 100;
/** Upper bound on polls of the output bit, so that a machine without a PIT does not hang. */
const POLL_LIMIT: i32 = 50000000;

/** Windows measured at most, and how close (in parts per 1024) two must agree to stop early. */
const MOST_WINDOWS: i32 = 8;
const AGREEMENT: u64 = 4;

/**
 * The TSC's frequency in Hz, or 0 when the PIT never answered. A window
 * can only come out long, never short: the PIT counts in real time, and a
 * virtual processor stopped by its host between reading the TSC and
 * starting the count, or between the count's end and the poll that sees
 * it, adds cycles (under TCG on a loaded host a 10 ms window once read
 * 15 ms, and every later rate by clock.now came out half again too high).
 * So the least of several windows is taken, stopping once two in a row
 * agree to 0.4%.
 */
export function measureTscHz(): u64 {
  let least: u64 = U64.MAX_VALUE, previous: u64 = 0;
  for (let window = 0; window < MOST_WINDOWS; window++) {
    const cycles = windowCycles();
    if (cycles == 0) return 0;
    if (cycles < least) least = cycles;
    const difference = cycles > previous ? cycles - previous : previous - cycles;
    if (window > 0 && difference * 1024 <= least * AGREEMENT) break;
    previous = cycles;
  }
  return least * INTERVAL_HZ;
}

/** TSC cycles while channel 2 counts one interval, or 0 when the PIT never answered. */
function windowCycles(): u64 {
  const latch = <i32>(PIT_HZ / INTERVAL_HZ);
  outb(GATE, (inb(GATE) & ~SPEAKER) | GATE_ON);
  outb(COMMAND, CHANNEL2_MODE0);
  outb(CHANNEL2, latch & 0xff);
  const start = <u64>rdtsc();
  outb(CHANNEL2, latch >> 8);
  let polls = 0;
  while ((inb(GATE) & OUTPUT) == 0) {
    if (++polls > POLL_LIMIT) return 0;
  }
  // The count was latch ticks of PIT_HZ: scale to exactly 1 / INTERVAL_HZ.
  return (<u64>rdtsc() - start) * PIT_HZ / <u64>latch / INTERVAL_HZ;
}
