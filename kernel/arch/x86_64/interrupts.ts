// Every interrupt and exception arrives here, from the link's vector stubs
// (link/vectors.ts) with the saved frame: exceptions go to exceptions.ts,
// the local APIC timer to the clock tick and the scheduler, device lines
// (I/O APIC, vectors LINE_VECTOR_BASE..) to the driver that attached them
// (object/interrupt.ts: a pulse), spurious interrupts nowhere. After a
// tick or a line, the scheduler may switch threads before the interrupted
// one resumes: a pulse that readied a driver of higher priority runs it
// now. Returns the stubs' action: 0 to resume, a trap kind to unwind.
//
// The tick, the lines and the switch belong to layers above arch/ (the
// clock, the objects, the scheduler): main registers them at boot
// (setInterruptHandlers), so that this file calls up through them and
// imports nothing above it. Until then an interrupt is unexpected.

import { endOfInterrupt, SPURIOUS_VECTOR, TIMER_VECTOR } from "./apic";
import { handleException } from "./exceptions";
import { LINE_VECTOR_BASE, LINE_VECTOR_LIMIT } from "./interrupt-lines";
import { FRAME_RIP, FRAME_VECTOR } from "./link-info";
import { load64 } from "./native";
import { PIC_VECTOR_BASE } from "./pic";

let unexpected: u64 = 0;

function countUnexpected(): void { unexpected++; }
function countUnexpectedLine(line: i32): void { unexpected++; }

let timerHandler: () => void = countUnexpected;
let lineHandler: (line: i32) => void = countUnexpectedLine;
let resumeHandler: () => void = countUnexpected;
function noTrap(rip: u64): i32 { return 0; }
let resumeTrap: (rip: u64) => i32 = noTrap;

/**
 * What the kernel does at an interrupt: `timer` at each tick, after its
 * end of interrupt (it may switch threads); `line` with the interrupt line
 * (GSI) of a device interrupt, before its end of interrupt (a
 * level-triggered line must be masked first); `resume` after a line's end
 * of interrupt, before the interrupted thread resumes (it may switch).
 */
export function setInterruptHandlers(timer: () => void, line: (line: i32) => void, resume: () => void): void {
  timerHandler = timer;
  lineHandler = line;
  resumeHandler = resume;
}

/**
 * What the interrupted thread does when it resumes at `rip` after a timer or
 * device interrupt: 0 to go on, or a trap kind to unwind with instead (a
 * direct handler whose component ended meanwhile, object/direct.ts).
 */
export function setResumeTrap(check: (rip: u64) => i32): void {
  resumeTrap = check;
}

export function unexpectedInterrupts(): u64 { return unexpected; }

export function handleInterrupt(frame: i64): i32 {
  const vector = <i32>load64(frame + FRAME_VECTOR);
  if (vector == TIMER_VECTOR) {
    endOfInterrupt();
    timerHandler();
    return resumeTrap(<u64>load64(frame + FRAME_RIP));
  }
  if (vector < 32) return handleException(frame, vector);
  if (vector >= LINE_VECTOR_BASE && vector < LINE_VECTOR_LIMIT) {
    // A level-triggered line is masked before the EOI, or it would fire again at once.
    lineHandler(vector - LINE_VECTOR_BASE);
    endOfInterrupt();
    resumeHandler();
    return resumeTrap(<u64>load64(frame + FRAME_RIP));
  }
  if (vector == SPURIOUS_VECTOR) return 0;
  unexpected++;
  // The masked legacy PICs can still raise their spurious vectors; they take no EOI.
  if (vector >= PIC_VECTOR_BASE + 16) endOfInterrupt();
  return 0;
}
