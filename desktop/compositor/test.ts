// The compositor's in-OS test: restart without loss. Two swatch apps open
// windows; the test, as an input driver (/desktop/input), drags them by
// their title bars, clicks, types, minimizes and restores, and Alt+Tabs —
// a fixed scenario whose end is always the same scene — and reads the
// composed frame (window.frame). Then the compositor is killed by init
// (init.restart): the same windows come back in the same places, stacking
// and focus, with their contents, and neither app restarts. Then, in the
// manner of littlefs's power-loss tests, for k = 1..50 the compositor ends
// itself after its k-th message (window.injectFault) while the scenario
// runs again, and each final frame must be the unkilled run's, pixel for
// pixel (but for the clock). Last, Alt+F4 closes both windows and both
// apps exit 0.

import "../../sdk/lib/abort";
import {
  Handle, channelCreate, clockNow, componentExit, componentSelf, componentStatus, connectionCreate, handleClose, memoryMap, memoryUnmap,
  msgReceive, msgSend, nameOpen, threadSleep,
} from "../../ipc/generated/system";
import {
  COMPONENT_STATE_EXITED, COMPONENT_STATE_RUNNING, COMPONENT_STATUS_SIZE, ComponentStatus, INPUT_ALT, INPUT_BUTTON,
  INPUT_BUTTON_LEFT, INPUT_EVENT_SIZE, INPUT_KEY, INPUT_POINTER, INPUT_PRESSED, INPUT_RELEASED, InputEvent, PAGE_SIZE,
  PULSE_SIZE, Pulse, WINDOW_FOCUSED, WINDOW_INFO_SIZE, WINDOW_MINIMIZED, WINDOW_SHOWN, WINDOW_WAITING, WindowInfo,
} from "../../ipc/generated/abi";
import {
  WINDOW_FRAME, WINDOW_FRAME_REPLY_SIZE, WINDOW_INJECT_FAULT, WINDOW_INJECT_FAULT_REQUEST_SIZE, WINDOW_LIST,
  WINDOW_LIST_REPLY_WINDOWS, WINDOW_PATH, WindowFrameReply, WindowListReply,
} from "../../ipc/generated/protocols/window";
import { INPUT_EVENTS, INPUT_EVENTS_REQUEST_EVENTS, INPUT_PATH } from "../../ipc/generated/protocols/input";
import { INIT_PATH, INIT_RESTART, INIT_RESTART_REQUEST_SIZE } from "../../ipc/generated/protocols/init";
import { NamedConnection } from "../../ipc/client/named-connection";
import { spawnGranted } from "../../ipc/client/spawn";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { pixelToPointer } from "./manager";
import { clockRect, entryRect, minimizeButton } from "./theme";

const WIDTH: i32 = 1024;
const HEIGHT: i32 = 768;
const KILLS: u32 = 50;
const SETTLE_LIMIT: i64 = 10_000_000_000;
const KEY_1: u32 = 0x1e;
const KEY_2: u32 = 0x1f;
const KEY_TAB: u32 = 0x2b;
const KEY_F4: u32 = 0x3d;

const windows = new NamedConnection(WINDOW_PATH);
const input = new NamedConnection(INPUT_PATH);
const request = heap.alloc(64);
const reply = heap.alloc(WINDOW_LIST_REPLY_WINDOWS + 32 * WINDOW_INFO_SIZE);
const frameBytes: u32 = <u32>(WIDTH * HEIGHT * 4);
const frameRegion = heap.alloc(<usize>frameBytes + <usize>PAGE_SIZE);
const frameAddress = (frameRegion + <usize>PAGE_SIZE - 1) & ~(<usize>PAGE_SIZE - 1);
let sequence: u32 = 0;
let instance: u32 = 0;

/** Sends one input event as this test's driver instance, numbered in order; re-sent after a restart, applied once. */
function send(kind: u32, code: u32, value: u32, text: u32): void {
  sequence++;
  store<u32>(request, INPUT_EVENTS);
  store<u32>(request, instance, 4);
  store<u32>(request, sequence, 8);
  const event = changetype<InputEvent>(request + INPUT_EVENTS_REQUEST_EVENTS);
  event.kind = kind; event.code = code; event.value = value; event.text = text;
  const result = input.send(request, INPUT_EVENTS_REQUEST_EVENTS + INPUT_EVENT_SIZE, reply, 4);
  expect(result >= 0 && load<u32>(reply) == sequence, "input event " + sequence.toString() + " applied (status " + result.toString() + ")");
}

function move(x: i32, y: i32): void { send(INPUT_POINTER, pixelToPointer(x, WIDTH), pixelToPointer(y, HEIGHT), 0); }
function press(): void { send(INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_PRESSED, 0); }
function release(): void { send(INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_RELEASED, 0); }
function click(x: i32, y: i32): void { move(x, y); press(); release(); }
function key(code: u32, text: u32): void { send(INPUT_KEY, code, INPUT_PRESSED, text); send(INPUT_KEY, code, INPUT_RELEASED, text); }

/** Drags from (x, y) by (dx, dy) in four steps. */
function drag(x: i32, y: i32, dx: i32, dy: i32): void {
  move(x, y);
  press();
  for (let step = 1; step <= 4; step++) move(x + dx * step / 4, y + dy * step / 4);
  release();
}

/** window.list into `reply`: how many windows. */
function list(): u32 {
  store<u32>(request, WINDOW_LIST);
  const result = windows.send(request, 4, reply, WINDOW_LIST_REPLY_WINDOWS + 32 * WINDOW_INFO_SIZE);
  expect(result >= 0, "window.list: status " + result.toString());
  return changetype<WindowListReply>(reply).count;
}

function windowAt(index: u32): WindowInfo { return changetype<WindowInfo>(reply + WINDOW_LIST_REPLY_WINDOWS + <usize>index * WINDOW_INFO_SIZE); }

/** The list's index of the window of `client`. */
function indexOf(client: u32): u32 {
  const count = list();
  for (let i: u32 = 0; i < count; i++) if (windowAt(i).client == client) return i;
  expect(false, "no window of component " + client.toString());
  return 0;
}

/** Waits until both windows are shown by the running instance and their clients wait for events. */
function settle(): void {
  const until = clockNow() + SETTLE_LIMIT;
  while (clockNow() < until) {
    const count = list();
    let idle = count == 2;
    for (let i: u32 = 0; i < count && idle; i++) idle = (windowAt(i).flags & (WINDOW_SHOWN | WINDOW_WAITING)) == (WINDOW_SHOWN | WINDOW_WAITING);
    if (idle) return;
    threadSleep(10_000_000);
  }
  expect(false, "the windows did not settle within 10 s");
}

/** A hash of the composed frame, all but the clock; `instanceSeen`: the instance that answered. */
let instanceSeen: u32 = 0;
function frameHash(): u32 {
  store<u32>(request, WINDOW_FRAME);
  const result = windows.send(request, 4, reply, WINDOW_FRAME_REPLY_SIZE);
  expect(result >= 0, "window.frame: status " + result.toString());
  const frame = changetype<WindowFrameReply>(reply);
  expect(frame.width == <u32>WIDTH && frame.height == <u32>HEIGHT, "the frame is the screen's size");
  instanceSeen = frame.instance;
  const memory = <Handle>frame.memory;
  const stride = frame.stride;
  expect(memoryMap(memory, <u32>frameAddress, frameBytes, 0) >= 0, "the frame maps read-only");
  const clock = clockRect(WIDTH, HEIGHT);
  let hash: u32 = 0x811c9dc5;
  for (let y = 0; y < HEIGHT; y++) {
    const row = frameAddress + <usize>y * stride;
    for (let x = 0; x < WIDTH; x++) {
      if (clock.contains(x, y)) continue;
      hash = (hash ^ load<u32>(row + (<usize>x << 2))) * 0x01000193;
    }
  }
  memoryUnmap(<u32>frameAddress, frameBytes);
  handleClose(memory);
  return hash;
}

/** Clicks the taskbar entry of `client`'s window: it comes to the top, restored and focused. */
function raise(client: u32): void {
  const entry = entryRect(WIDTH, HEIGHT, <i32>indexOf(client))!;
  click(entry.x + 10, entry.y + 10);
}

/** The scene the scenario always ends in, from wherever the windows are: A at (300, 200), B at (120, 150) on top, focused. */
function scenario(first: u32, second: u32): void {
  raise(first);
  const a = windowAt(indexOf(first));
  drag(a.x + 40, a.y - 11, 300 - a.x, 200 - a.y);
  raise(second);
  const b = windowAt(indexOf(second));
  drag(b.x + 40, b.y - 11, 120 - b.x, 150 - b.y);
  click(120 + 20, 150 + 20);
  key(KEY_2, 0x32);
  const minimize = minimizeButton(300, 200, 240);
  click(minimize.x + 4, minimize.y + 4);
  raise(first);
  key(KEY_1, 0x31);
  key(KEY_TAB, INPUT_ALT);
  move(900, 700);
}

function injectFault(after: u32): void {
  store<u32>(request, WINDOW_INJECT_FAULT);
  store<u32>(request, after, 4);
  expect(windows.send(request, WINDOW_INJECT_FAULT_REQUEST_SIZE, reply, 0) >= 0, "window.injectFault");
}

/** Where both windows are, their stacking and focus, as text to compare. */
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

function running(id: u32): bool {
  const status = heap.alloc(COMPONENT_STATUS_SIZE);
  const state = componentStatus(id, status);
  heap.free(status);
  return state == COMPONENT_STATE_RUNNING;
}

export function _start(): void {
  instance = <u32>componentSelf();
  const notices = channelCreate(0);
  const supervisor = connectionCreate(notices);
  const first = spawnGranted("apps/swatch.wasm", supervisor, "open " + WINDOW_PATH);
  expect(first > 0, "the first swatch starts: " + first.toString());
  settleOne();
  const second = spawnGranted("apps/swatch.wasm", supervisor, "open " + WINDOW_PATH);
  expect(second > 0, "the second swatch starts: " + second.toString());
  settle();

  scenario(<u32>first, <u32>second);
  settle();
  const expected = layout();
  const unkilled = frameHash();
  const firstInstance = instanceSeen;
  log("unkilled run: " + expected + "frame hash " + unkilled.toString(16));
  expect(expected.includes("300,200") && expected.includes("120,150"), "the drags put the windows where the scenario says: " + expected);

  // Killed by init: the same scene, from the clients' re-sent declarations and the state object.
  const init = nameOpen(INIT_PATH, 5_000_000_000);
  store<u32>(request, INIT_RESTART);
  store<u32>(request, firstInstance, 4);
  expect(msgSend(init, request, INIT_RESTART_REQUEST_SIZE, reply, 4) >= 0, "init.restart of the compositor");
  settle();
  expect(layout() == expected, "after the restart, the same places, stacking and focus: " + layout());
  expect(frameHash() == unkilled && instanceSeen != firstInstance, "after the restart, the same frame from a new instance");

  // Killed after its k-th message, for k = 1..KILLS.
  let restarts: u32 = 0;
  const started = clockNow();
  for (let k: u32 = 1; k <= KILLS; k++) {
    const before = instanceSeen;
    injectFault(k);
    scenario(<u32>first, <u32>second);
    settle();
    injectFault(0);
    settle();
    const hash = frameHash();
    if (instanceSeen != before) restarts++;
    expect(layout() == expected, "killed after message " + k.toString() + ": the same places, stacking and focus: " + layout());
    expect(hash == unkilled, "killed after message " + k.toString() + ": the same frame (" + hash.toString(16) + ", unkilled " + unkilled.toString(16) + ")");
  }
  log("killed after each of messages 1.." + KILLS.toString() + ": " + restarts.toString() + " restarts, every frame the unkilled one's, in "
    + ((clockNow() - started) / 1_000_000).toString() + " ms");
  expect(restarts >= KILLS - 5, "nearly every k ended an instance: " + restarts.toString());
  expect(running(<u32>first) && running(<u32>second), "neither app restarted");

  // Alt+F4 asks each focused window to close; the apps close them and exit 0.
  key(KEY_F4, INPUT_ALT);
  key(KEY_F4, INPUT_ALT);
  const pulse = changetype<Pulse>(heap.alloc(PULSE_SIZE));
  for (let ended = 0; ended < 2; ended++) expect(msgReceive(notices, changetype<usize>(pulse), PULSE_SIZE, 0) == 0, "an app's end");
  const status = changetype<ComponentStatus>(heap.alloc(COMPONENT_STATUS_SIZE));
  expect(componentStatus(<u32>first, changetype<usize>(status)) == COMPONENT_STATE_EXITED && status.exitStatus == 0, "the first app exited 0");
  expect(componentStatus(<u32>second, changetype<usize>(status)) == COMPONENT_STATE_EXITED && status.exitStatus == 0, "the second app exited 0");
  expect(list() == 0, "no window left");
  componentExit(0);
}

/** Waits until the first window is shown and waiting, so that the two open in a known order. */
function settleOne(): void {
  const until = clockNow() + SETTLE_LIMIT;
  while (clockNow() < until) {
    if (list() == 1 && (windowAt(0).flags & WINDOW_WAITING) != 0) return;
    threadSleep(10_000_000);
  }
  expect(false, "the first window did not show within 10 s");
}
