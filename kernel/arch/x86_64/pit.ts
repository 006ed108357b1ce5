// The 8254 programmable interval timer, used once: to measure the TSC's
// frequency. Channel 2 counts down 11932 ticks of its 1.193182 MHz clock
// (10 ms) in mode 0 with its gate held high through port 0x61, whose bit 5
// shows the channel's output going high at zero; the TSC cycles in between,
// scaled, are the TSC's frequency.

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

/** The TSC's frequency in Hz, or 0 when the PIT never answered. */
export function measureTscHz(): u64 {
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
  const cycles = <u64>rdtsc() - start;
  return cycles * PIT_HZ / <u64>latch;
}
