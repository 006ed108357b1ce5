// The pointer test's probe (tests/desktop/pointer.test.ts): a window of
// WIDTH × HEIGHT that prints on COM1 each left-button press and release it
// receives, numbered, with the pointer's place in the window, and the
// pointer's place whenever it changed (at most every WAIT_MILLISECONDS);
// and a thread that, once the window is shown, has init kill the pointer
// driver (tablet) at random intervals of 100 to 400 ms for KILL_SECONDS,
// then says how many kills it made. The host clicks and drags through QMP
// meanwhile: every press and release must arrive once, in order, where it
// was made, and the pointer must end where the last move put it, however
// many driver instances carried the events.

import "../lib/abort";
import { clockCycles, clockNow, componentExit, threadCreate, threadSleep } from "../../../ipc/generated/system";
import {
  INPUT_BUTTON_LEFT, INPUT_PRESSED, INPUT_RELEASED, WINDOW_EVENT_BUTTON, WINDOW_EVENT_CLOSE, WINDOW_EVENT_POINTER,
} from "../../../ipc/generated/abi";
import { Window } from "../../../desktop/lib/window";
import { line } from "../lib/log";
import { Random } from "../fuzz/random";
import { connectInit, initRestart, initStatus, initStatusReply } from "../runner/init-client";

const WIDTH: i32 = 400;
const HEIGHT: i32 = 300;
const COLOUR: u32 = 0x3c6e47;
const WAIT_MILLISECONDS: u32 = 200;
const KILL_SECONDS: i64 = 20;
const KILL_MINIMUM: i64 = 100_000_000;
const KILL_SPREAD: u64 = 300;

const random = new Random(0);

function killerThread(argument: u32): void {
  let kills: u32 = 0;
  const end = clockNow() + KILL_SECONDS * 1_000_000_000;
  line("killing the pointer driver");
  while (clockNow() < end) {
    threadSleep(KILL_MINIMUM + <i64>(random.next() % KILL_SPREAD) * 1_000_000);
    if (initStatus("tablet") < 0 || initStatusReply.component == 0) continue;
    if (initRestart(initStatusReply.component) > 0) kills++;
  }
  line("kills ended: " + kills.toString() + " pointer driver kills");
}

export function _start(): void {
  random.state = <u64>clockCycles();
  if (connectInit() < 0) { line("cannot reach init"); componentExit(1); }
  const window = new Window(1, WIDTH, HEIGHT, "Pointer probe");
  if (window.error < 0) { line("cannot make the window's surface: error " + window.error.toString()); componentExit(1); }
  window.surface.fill(window.surface.bounds, COLOUR);
  window.changedAll();
  let presses: u32 = 0, releases: u32 = 0;
  let x: i32 = -1, y: i32 = -1, shownX: i32 = -1, shownY: i32 = -1;
  let started = false;
  while (true) {
    const count = window.show(WAIT_MILLISECONDS);
    if (count < 0) { line("window.show: error " + count.toString()); componentExit(1); }
    if (!started) {
      // The window is on the screen: the kills start.
      started = true;
      const thread = threadCreate(<u32>killerThread.index, 0, 25);
      line(thread > 0 ? "ready" : "cannot start the killer thread: error " + thread.toString());
    }
    for (let i: u32 = 0; i < <u32>count; i++) {
      const event = window.event(i);
      if (event.kind == WINDOW_EVENT_CLOSE) { window.close(); componentExit(0); }
      if (event.kind == WINDOW_EVENT_POINTER || event.kind == WINDOW_EVENT_BUTTON) { x = event.x; y = event.y; }
      if (event.kind != WINDOW_EVENT_BUTTON || event.code != INPUT_BUTTON_LEFT) continue;
      if (event.value == INPUT_PRESSED) line("press " + (++presses).toString() + " at " + x.toString() + "," + y.toString());
      else if (event.value == INPUT_RELEASED) line("release " + (++releases).toString() + " at " + x.toString() + "," + y.toString());
    }
    if (x != shownX || y != shownY) {
      shownX = x; shownY = y;
      line("at " + x.toString() + "," + y.toString());
    }
  }
}
