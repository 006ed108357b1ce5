// The fuzzer's heartbeat: at priority 30, above every worker that keeps to
// its manifest's priority, it wakes every 10 ms and writes a line every
// 200 ms by the clock: `beat N gap G` (G: the longest time in ms between two
// of its wake-ups since the last line). The host checks that the lines keep
// coming while the kernel is attacked and that no gap is long: a kernel that
// left interrupts off, or a worker that took a priority it was not given,
// stops the beat (tests/kernel/fuzz-boot.ts).

import "../lib/abort";
import { clockNow, threadSleep } from "../../../ipc/generated/index";
import { line } from "../lib/log";

const WAKE_NANOSECONDS: i64 = 10_000_000;
const LINE_NANOSECONDS: i64 = 200_000_000;

export function _start(): void {
  let beats: u32 = 0;
  let lastLine = clockNow();
  let lastWake = lastLine;
  let longest: i64 = 0;
  while (true) {
    threadSleep(WAKE_NANOSECONDS);
    const now = clockNow();
    if (now - lastWake > longest) longest = now - lastWake;
    lastWake = now;
    if (now - lastLine >= LINE_NANOSECONDS) {
      beats++;
      line("beat " + beats.toString() + " gap " + (longest / 1_000_000).toString());
      lastLine = now;
      longest = 0;
    }
  }
}
