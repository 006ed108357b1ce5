// The desktop restart test's killer (tests/desktop/restart.test.ts), in
// the restart image with the whole desktop: it starts a swatch window and
// a key-echo window (which takes the focus), waits until both are shown
// and the keyboard driver is in step with the keyboard, says `ready`, then
//   phase 1  kills the keyboard driver through init at random intervals
//            of 100 to 400 ms until key-echo says line 1 is done;
//   phase 2  kills the compositor and the keyboard driver in turn until
//            line 2 is done;
//   phase 3  kills the compositor, the display driver and the pointer
//            driver, one at a time, and after each checks that the same
//            windows are back in the same places, stacking and focus, the
//            composed frame is the same (but for the clock), and neither
//            app restarted: a `same` line the host checks, after which
//            the host has STILL_NANOSECONDS to take a screendump.

import "../lib/abort";
import {
  Handle, channelCreate, clockCycles, clockNow, componentStatus, connectionCreate, handleClose, memoryMap, memoryUnmap, msgReceive,
  msgSend, nameOpen, threadSleep, threadTimeout,
} from "../../../ipc/generated/system";
import {
  COMPONENT_STATE_RUNNING, COMPONENT_STATUS_SIZE, KEYBOARD_PATH, KEYBOARD_STATUS, KEYBOARD_STATUS_REPLY_SIZE,
  KEYBOARD_STATUS_REQUEST_SIZE, KeyboardStatusReply, PAGE_SIZE, PULSE_SIZE, Pulse, RECEIVE_ID_PULSE, TIMEOUT_RECEIVE,
  WINDOW_FOCUSED, WINDOW_INFO_SIZE, WINDOW_MINIMIZED, WINDOW_SHOWN, WINDOW_WAITING, WindowInfo,
} from "../../../ipc/generated/index";
import {
  WINDOW_FRAME, WINDOW_FRAME_REPLY_SIZE, WINDOW_LIST, WINDOW_LIST_REPLY_WINDOWS, WINDOW_PATH, WindowFrameReply, WindowListReply,
} from "../../../ipc/generated/protocols/window";
import { Server } from "../../../ipc/client/server";
import { NamedConnection } from "../../../ipc/client/named-connection";
import { spawnGranted } from "../../../ipc/client/spawn";
import { clockRect } from "../../../desktop/compositor/theme";
import { line } from "../lib/log";
import { Random } from "../fuzz/random";
import { connectInit, initRestart, initStatus, initStatusReply } from "../runner/init-client";
import { KILLER_PATH, PULSE_LINE } from "../key-echo/key-echo";

const KILL_MINIMUM: i64 = 100_000_000;
const KILL_SPREAD: u64 = 300;
/** What the keyboard driver's status reports for LEDs not yet acknowledged. */
const LEDS_UNKNOWN: u32 = 0xff;
/** How long the screen stays as it is after a `same` line, for the host's screendump. */
const STILL_NANOSECONDS: i64 = 3_000_000_000;
const SETTLE_LIMIT: i64 = 20_000_000_000;
const WIDTH: i32 = 1024;
const HEIGHT: i32 = 768;

const pulse = changetype<Pulse>(heap.alloc(PULSE_SIZE));
const request = heap.alloc(64);
const reply = heap.alloc(WINDOW_LIST_REPLY_WINDOWS + 32 * WINDOW_INFO_SIZE);
const frameBytes: u32 = <u32>(WIDTH * HEIGHT * 4);
const frameAddress = (heap.alloc(<usize>frameBytes + <usize>PAGE_SIZE) + <usize>PAGE_SIZE - 1) & ~(<usize>PAGE_SIZE - 1);
const windows = new NamedConnection(WINDOW_PATH);
const random = new Random(0);
let channel: i32 = 0;
let linesDone: i64 = 0;

/** True when the keyboard driver answers and knows the keyboard's LEDs (it is in step with the keyboard). */
function keyboardReady(): bool {
  const connection = nameOpen(KEYBOARD_PATH, 5_000_000_000);
  if (connection < 0) return false;
  const status = changetype<KeyboardStatusReply>(reply);
  store<u32>(request, KEYBOARD_STATUS);
  const result = msgSend(connection, request, KEYBOARD_STATUS_REQUEST_SIZE, reply, KEYBOARD_STATUS_REPLY_SIZE);
  handleClose(connection);
  return result >= 0 && status.leds != LEDS_UNKNOWN;
}

/** Waits up to `nanoseconds` for key-echo's line pulses: the highest line done so far. */
function awaitLines(nanoseconds: i64): i64 {
  threadTimeout(TIMEOUT_RECEIVE, nanoseconds);
  while (msgReceive(channel, changetype<usize>(pulse), PULSE_SIZE, 0) == RECEIVE_ID_PULSE) {
    if (pulse.code == PULSE_LINE && pulse.value > linesDone) linesDone = pulse.value;
    threadTimeout(TIMEOUT_RECEIVE, 0);
  }
  return linesDone;
}

/** Has init restart the running instance of `name`: the new instance's id, or 0 when none ran. */
function kill(name: string): u32 {
  if (initStatus(name) < 0 || initStatusReply.component == 0) return 0;
  const killed = initStatusReply.component;
  const next = initRestart(killed);
  line("kill " + name + ": component " + killed.toString() + " -> " + next.toString());
  return next > 0 ? <u32>next : 0;
}

/** window.list into `reply`: how many windows (0 when the compositor did not answer). */
function list(): u32 {
  store<u32>(request, WINDOW_LIST);
  const result = windows.send(request, 4, reply, WINDOW_LIST_REPLY_WINDOWS + 32 * WINDOW_INFO_SIZE);
  return result < 0 ? 0 : changetype<WindowListReply>(reply).count;
}

function windowAt(index: u32): WindowInfo { return changetype<WindowInfo>(reply + WINDOW_LIST_REPLY_WINDOWS + <usize>index * WINDOW_INFO_SIZE); }

/** Waits until `count` windows are shown by the running compositor and their clients wait for events. */
function settle(count: u32): bool {
  const until = clockNow() + SETTLE_LIMIT;
  while (clockNow() < until) {
    const listed = list();
    let idle = listed == count;
    for (let i: u32 = 0; i < listed && idle; i++) idle = (windowAt(i).flags & (WINDOW_SHOWN | WINDOW_WAITING)) == (WINDOW_SHOWN | WINDOW_WAITING);
    if (idle) return true;
    threadSleep(10_000_000);
  }
  return false;
}

/** The windows' clients, places, sizes, stacking, focus and minimized, as text to compare. */
function layout(): string {
  const count = list();
  let text = "";
  for (let i: u32 = 0; i < count; i++) {
    const w = windowAt(i);
    text += w.client.toString() + "@" + w.x.toString() + "," + w.y.toString() + " " + w.width.toString() + "x" + w.height.toString()
      + " layer " + w.layer.toString() + ((w.flags & WINDOW_FOCUSED) != 0 ? " focused" : "") + ((w.flags & WINDOW_MINIMIZED) != 0 ? " minimized" : "") + "; ";
  }
  return text;
}

/** The compositor instance that answered the last frameHash. */
let compositorSeen: u32 = 0;

/** A hash of the composed frame, all but the clock (0 when the compositor did not answer). */
function frameHash(): u32 {
  store<u32>(request, WINDOW_FRAME);
  if (windows.send(request, 4, reply, WINDOW_FRAME_REPLY_SIZE) < 0) return 0;
  const frame = changetype<WindowFrameReply>(reply);
  compositorSeen = frame.instance;
  const memory = <Handle>frame.memory;
  const stride = frame.stride;
  if (frame.width != <u32>WIDTH || frame.height != <u32>HEIGHT || memoryMap(memory, <u32>frameAddress, frameBytes, 0) < 0) {
    handleClose(memory);
    return 0;
  }
  const clock = clockRect(WIDTH, HEIGHT);
  let hash: u32 = 0x811c9dc5;
  for (let y = 0; y < HEIGHT; y++) {
    const row = frameAddress + <usize>y * stride;
    for (let x = 0; x < WIDTH; x++) {
      if (!clock.contains(x, y)) hash = (hash ^ load<u32>(row + (<usize>x << 2))) * 0x01000193;
    }
  }
  memoryUnmap(<u32>frameAddress, frameBytes);
  handleClose(memory);
  return hash;
}

function running(id: u32): bool {
  const status = heap.alloc(COMPONENT_STATUS_SIZE);
  const state = componentStatus(id, status);
  heap.free(status);
  return state == COMPONENT_STATE_RUNNING;
}

export function _start(): void {
  random.state = <u64>clockCycles();
  const server = new Server(KILLER_PATH);
  if (!server.isServing || connectInit() < 0) { line("cannot serve " + KILLER_PATH + " or reach init"); return; }
  channel = server.channel;
  const notices = channelCreate(0);
  const supervisor = connectionCreate(notices);
  const swatch = spawnGranted("apps/swatch.wasm", supervisor, "open " + WINDOW_PATH);
  if (swatch <= 0 || !settle(1)) { line("the swatch window did not show: " + swatch.toString()); return; }
  const echo = spawnGranted("test/key-echo.wasm", supervisor, "open " + WINDOW_PATH + "\nopen " + KILLER_PATH + "\nread fonts/*");
  if (echo <= 0 || !settle(2)) { line("the key-echo window did not show: " + echo.toString()); return; }
  while (!keyboardReady()) awaitLines(10_000_000);
  line("ready: swatch " + swatch.toString() + ", key-echo " + echo.toString() + ", " + layout());

  let keyboardKills: u32 = 0, compositorKills: u32 = 0;
  line("phase 1");
  while (awaitLines(KILL_MINIMUM + <i64>(random.next() % KILL_SPREAD) * 1_000_000) < 1) if (kill("keyboard") > 0) keyboardKills++;
  line("phase 1 ended: " + keyboardKills.toString() + " keyboard kills");

  line("phase 2");
  let turn: u32 = 0;
  while (awaitLines(KILL_MINIMUM + <i64>(random.next() % KILL_SPREAD) * 1_000_000) < 2) {
    if (turn++ % 2 == 0) { if (kill("compositor") > 0) compositorKills++; } else if (kill("keyboard") > 0) keyboardKills++;
  }
  line("phase 2 ended: " + keyboardKills.toString() + " keyboard kills, " + compositorKills.toString() + " compositor kills");

  line("phase 3");
  if (!settle(2)) { line("the windows did not settle after phase 2"); return; }
  const expected = layout();
  const hash = frameHash();
  line("before: " + expected + "frame " + hash.toString(16) + " from compositor " + compositorSeen.toString());
  threadSleep(STILL_NANOSECONDS);
  const victims: string[] = ["compositor", "display", "tablet"];
  for (let i = 0; i < victims.length; i++) {
    const before = compositorSeen;
    const next = kill(victims[i]);
    // A restarted driver serves again within moments; a compositor must first be shown every window again.
    threadSleep(500_000_000);
    const settled = settle(2);
    const now = layout();
    const after = frameHash();
    const sameApps = running(<u32>swatch) && running(<u32>echo);
    const newCompositor = victims[i] != "compositor" || compositorSeen != before;
    line("after killing " + victims[i] + " (now " + next.toString() + "): "
      + (settled && now == expected && after == hash && sameApps && newCompositor && next > 0 ? "same" : "DIFFERENT")
      + ": " + now + "frame " + after.toString(16) + ", apps running " + (sameApps ? "yes" : "no") + ", compositor " + compositorSeen.toString());
    threadSleep(STILL_NANOSECONDS);
  }
  line("phase 3 ended");
  while (true) awaitLines(1_000_000_000);
}
