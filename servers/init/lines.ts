// init's lines on COM1, written by a thread of their own at the lowest
// priority. init runs above most of the system (priority 20), and a line
// costs it some 10 k instructions (the text, its encoding, the kernel's
// log.write): written on the spot, the line that tells a restart came
// before any lower-priority client of the restarted component was served
// (the keyboard driver's restart in `bench.js desktop`). Queued, it is
// written once everything above priority 1 waits; the kernel stamps it
// with that moment's time.
//
// The main thread queues and wakes the writer with a pulse; both run
// init's wasm under its component lock, which changes hands only in
// system calls, so the queue needs nothing more. A queue of
// QUEUE_LIMIT lines is full: a line then is written on the spot, so that a
// system busy above priority 1 for long holds no more than that back. Until
// the writer runs (init's start), or when it cannot be made, lines are
// written on the spot too.

import {
  channelCreate, connectionCreate, msgReceive, pulseSend, threadCreate, errorName, PULSE_SIZE,
} from "../../ipc/generated/index";
import { log as write } from "../../sdk/lib/log";

/** The writer's priority: below every component's (the desktop bench's is 2). */
const WRITER_PRIORITY: i32 = 1;
const QUEUE_LIMIT: i32 = 64;

const waiting = new Array<string>();
let wakeUp: i32 = 0;
let writerChannel: i32 = 0;
/** The writer waits for a pulse: the next line queued sends one. */
let writerIdle = false;

/** Starts the writer thread; until it runs, and if it cannot be made, lines are written on the spot. */
export function startLineWriter(): void {
  writerChannel = channelCreate(0);
  const connection = writerChannel > 0 ? connectionCreate(writerChannel) : writerChannel;
  if (connection < 0) { write("no line writer: channel: " + errorName(connection)); return; }
  const thread = threadCreate(writeLines.index, 0, WRITER_PRIORITY);
  if (thread < 0) { write("no line writer: thread.create: " + errorName(thread)); return; }
  wakeUp = connection;
}

/** Writes `text` as one of init's lines: queued for the writer, or on the spot (the file's header). */
export function log(text: string): void {
  if (wakeUp <= 0 || waiting.length >= QUEUE_LIMIT) { write(text); return; }
  waiting.push(text);
  if (writerIdle) {
    writerIdle = false;
    pulseSend(wakeUp, 0, 0);
  }
}

/** The writer thread: the queued lines, oldest first, for ever. */
function writeLines(_argument: i32): void {
  const pulse = heap.alloc(PULSE_SIZE);
  while (true) {
    if (waiting.length == 0) {
      writerIdle = true;
      msgReceive(writerChannel, pulse, PULSE_SIZE, 0);
      continue;
    }
    write(waiting.shift());
  }
}
