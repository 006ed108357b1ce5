// The desktop's figures (tests/bench/desktop.ts reads them from COM1, one
// `desktop-bench: NAME NANOSECONDS CYCLES` line each, clock.now and
// clock.cycles differences; under `-icount shift=0` both count
// instructions):
//   first-frame       kernel entry (clock.now's zero) to the compositor's
//                     first answer to window.frame, which it gives only
//                     with the whole screen composed;
//   restart-NAME      init told to kill the keyboard driver, the
//                     compositor, the display driver or the pointer
//                     driver (tablet, which answers its status on
//                     /dev/tablet), to the first request a new instance
//                     answered (one line per run;
//                     the compositor answers window.list before it draws;
//                     with init's warm spare ready, the new instance is
//                     the spare taking over);
//   restart-compositor-frame
//                     the same kill of the compositor to the new
//                     instance's first composed frame (window.frame);
//   key-to-pixel      a key sent as an input driver to the moment the
//                     composed frame shows it in the key-echo window;
//   drag-frame        one pointer motion of a window drag, composed and
//                     shown (its inverse is the frames per second);
//   idle-memory       bytes of physical memory in use with the desktop
//                     idle (the value in place of nanoseconds), then a
//                     `memory NAME BYTES` line for each component (its
//                     linear memory and the objects it made) and one
//                     `memory-kernel heap H stacks S code C` line (the
//                     kernel's heap, every thread's stack, compiled code).
// It runs at a priority below every component it measures, so that its
// polling takes no time from them: what it times is done when it runs.
// Figures only; nothing is asserted.

import "../lib/abort";
import {
  Handle, channelCreate, clockCycles, clockNow, connectionCreate, handleClose, memoryMap, memoryUnmap, systemComponents, systemInfo, threadSleep,
} from "../../../ipc/generated/system";
import {
  INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_EVENT_SIZE, INPUT_KEY, INPUT_POINTER, INPUT_PRESSED, INPUT_RELEASED, InputEvent,
  KEYBOARD_PATH, KEYBOARD_STATUS, KEYBOARD_STATUS_REPLY_SIZE, KEYBOARD_STATUS_REQUEST_SIZE, PAGE_SIZE, SYSTEM_INFO_SIZE, SystemInfo,
  WINDOW_INFO_SIZE, WINDOW_SHOWN, WINDOW_WAITING, WindowInfo, componentSelf, COMPONENT_INFO_SIZE, ComponentInfo,
} from "../../../ipc/generated/index";
import {
  WINDOW_FRAME, WINDOW_FRAME_REPLY_SIZE, WINDOW_LIST, WINDOW_LIST_REPLY_WINDOWS, WINDOW_PATH, WindowFrameReply, WindowListReply,
} from "../../../ipc/generated/protocols/window";
import { INPUT_EVENTS, INPUT_EVENTS_REQUEST_EVENTS, INPUT_PATH } from "../../../ipc/generated/protocols/input";
import { DISPLAY_MODE, DISPLAY_MODE_REPLY_SIZE, DISPLAY_MODE_REQUEST_SIZE, DISPLAY_PATH, DisplayModeReply } from "../../../ipc/generated/protocols/display";
import { TABLET_PATH, TABLET_STATUS, TABLET_STATUS_REPLY_SIZE, TABLET_STATUS_REQUEST_SIZE } from "../../../drivers/tablet/generated/protocols/tablet";
import { NamedConnection } from "../../../ipc/client/named-connection";
import { spawnGranted } from "../../../ipc/client/spawn";
import { pixelToPointer } from "../../../desktop/compositor/manager";
import { line } from "../lib/log";
import { connectInit, initRestart, initStatus, initStatusReply } from "../runner/init-client";

const RESTARTS: i32 = 5;
const KEYS: i32 = 10;
const DRAG_STEPS: i32 = 60;
const WIDTH: i32 = 1024;
const HEIGHT: i32 = 768;
const POLL_NANOSECONDS: i64 = 100_000;
/** The pause after each restart: long enough for init to start its spare again (servers/init/supervisor.ts). */
const SETTLE_NANOSECONDS: i64 = 1_000_000_000;
const SETTLE_LIMIT: i64 = 30_000_000_000;

const request = heap.alloc(INPUT_EVENTS_REQUEST_EVENTS + INPUT_EVENT_SIZE);
const reply = heap.alloc(WINDOW_LIST_REPLY_WINDOWS + 32 * WINDOW_INFO_SIZE);
const frameBytes: u32 = <u32>(WIDTH * HEIGHT * 4);
/** Where the composed frame is mapped to be read: taken after the idle memory is measured, so as not to count in it. */
let frameAddress: usize = 0;
const windows = new NamedConnection(WINDOW_PATH);
const input = new NamedConnection(INPUT_PATH);
const keyboard = new NamedConnection(KEYBOARD_PATH);
const display = new NamedConnection(DISPLAY_PATH);
const tablet = new NamedConnection(TABLET_PATH);
let sequence: u32 = 0;

function figure(name: string, nanoseconds: i64, cycles: u64): void {
  line(name + " " + nanoseconds.toString() + " " + cycles.toString());
}

/** Sends one input event as this component's driver instance: the status. */
function send(kind: u32, code: u32, value: u32, text: u32): i32 {
  sequence++;
  store<u32>(request, INPUT_EVENTS);
  store<u32>(request, <u32>componentSelf(), 4);
  store<u32>(request, sequence, 8);
  const event = changetype<InputEvent>(request + INPUT_EVENTS_REQUEST_EVENTS);
  event.kind = kind; event.code = code; event.value = value; event.text = text;
  return input.send(request, INPUT_EVENTS_REQUEST_EVENTS + INPUT_EVENT_SIZE, reply, 4);
}

function list(): u32 {
  store<u32>(request, WINDOW_LIST);
  const result = windows.send(request, 4, reply, WINDOW_LIST_REPLY_WINDOWS + 32 * WINDOW_INFO_SIZE);
  return result < 0 ? 0 : changetype<WindowListReply>(reply).count;
}

function windowAt(index: u32): WindowInfo { return changetype<WindowInfo>(reply + WINDOW_LIST_REPLY_WINDOWS + <usize>index * WINDOW_INFO_SIZE); }

/** The window of `client` (its fields copied out of the reply), after waiting until `count` windows are shown and waiting. */
function settledWindow(count: u32, client: u32): WindowInfo | null {
  const until = clockNow() + SETTLE_LIMIT;
  while (clockNow() < until) {
    const listed = list();
    let idle = listed == count;
    for (let i: u32 = 0; i < listed && idle; i++) idle = (windowAt(i).flags & (WINDOW_SHOWN | WINDOW_WAITING)) == (WINDOW_SHOWN | WINDOW_WAITING);
    if (idle) {
      for (let i: u32 = 0; i < listed; i++) {
        if (windowAt(i).client != client) continue;
        const copy = changetype<WindowInfo>(heap.alloc(WINDOW_INFO_SIZE));
        memory.copy(changetype<usize>(copy), changetype<usize>(windowAt(i)), WINDOW_INFO_SIZE);
        return copy;
      }
    }
    threadSleep(10_000_000);
  }
  return null;
}

/** A hash of the composed frame's pixels in (x, y, width, height); 0 when the compositor did not answer. */
function regionHash(x: i32, y: i32, width: i32, height: i32): u32 {
  store<u32>(request, WINDOW_FRAME);
  if (windows.send(request, 4, reply, WINDOW_FRAME_REPLY_SIZE) < 0) return 0;
  const frame = changetype<WindowFrameReply>(reply);
  const memory = <Handle>frame.memory;
  const stride = frame.stride;
  let hash: u32 = 0x811c9dc5;
  if (memoryMap(memory, <u32>frameAddress, frameBytes, 0) >= 0) {
    for (let row = y; row < y + height; row++) {
      for (let column = x; column < x + width; column++) hash = (hash ^ load<u32>(frameAddress + <usize>row * stride + (<usize>column << 2))) * 0x01000193;
    }
    memoryUnmap(<u32>frameAddress, frameBytes);
  }
  handleClose(memory);
  return hash;
}

/**
 * Kills the running instance of `name` through init and times until
 * `answered` gets an answer from a new one; then, when `drawn` is given,
 * until it answers too (as figure restart-NAME-frame).
 */
function restart(name: string, answered: () => bool, drawn: (() => bool) | null = null): void {
  if (initStatus(name) < 0 || initStatusReply.component == 0) { line("restart-" + name + ": not running"); return; }
  line("restart-" + name + " begins");
  const startNs = clockNow();
  const startCycles = clockCycles();
  const next = initRestart(initStatusReply.component);
  if (next <= 0) { line("restart-" + name + ": init.restart: " + next.toString()); return; }
  while (!answered()) threadSleep(POLL_NANOSECONDS);
  const servedNs = clockNow(), servedCycles = clockCycles();
  if (drawn != null) while (!drawn()) threadSleep(POLL_NANOSECONDS);
  const drawnNs = clockNow(), drawnCycles = clockCycles();
  figure("restart-" + name, servedNs - startNs, servedCycles - startCycles);
  if (drawn != null) figure("restart-" + name + "-frame", drawnNs - startNs, drawnCycles - startCycles);
}

/** The compositor answers window.frame, with the whole screen composed (the granted back buffer is not kept). */
function frameAnswers(): bool {
  store<u32>(request, WINDOW_FRAME);
  const result = windows.send(request, 4, reply, WINDOW_FRAME_REPLY_SIZE);
  if (result >= 0) handleClose(<Handle>changetype<WindowFrameReply>(reply).memory);
  return result >= 0;
}

function keyboardAnswers(): bool {
  store<u32>(request, KEYBOARD_STATUS);
  return keyboard.send(request, KEYBOARD_STATUS_REQUEST_SIZE, reply, KEYBOARD_STATUS_REPLY_SIZE) >= 0;
}

function compositorAnswers(): bool {
  store<u32>(request, WINDOW_LIST);
  return windows.send(request, 4, reply, WINDOW_LIST_REPLY_WINDOWS + 32 * WINDOW_INFO_SIZE) >= 0;
}

function displayAnswers(): bool {
  store<u32>(request, DISPLAY_MODE);
  const result = display.send(request, DISPLAY_MODE_REQUEST_SIZE, reply, DISPLAY_MODE_REPLY_SIZE);
  // The reply grants the framebuffer's memory: not kept.
  if (result >= 0) handleClose(<Handle>changetype<DisplayModeReply>(reply).handle);
  return result >= 0;
}

function tabletAnswers(): bool {
  store<u32>(request, TABLET_STATUS);
  return tablet.send(request, TABLET_STATUS_REQUEST_SIZE, reply, TABLET_STATUS_REPLY_SIZE) >= 0;
}

export function _start(): void {
  // The first frame: the compositor answers window.frame only with it composed.
  while (!frameAnswers()) threadSleep(POLL_NANOSECONDS);
  figure("first-frame", clockNow(), 0);
  if (connectInit() < 0) { line("cannot reach init"); return; }

  const notices = channelCreate(0);
  const supervisor = connectionCreate(notices);
  const swatch = spawnGranted("apps/swatch.wasm", supervisor, "open " + WINDOW_PATH);
  const swatchWindow = settledWindow(1, <u32>swatch);
  const echo = spawnGranted("test/key-echo.wasm", supervisor, "open " + WINDOW_PATH + "\nread fonts/*");
  const echoWindow = settledWindow(2, <u32>echo);
  if (swatchWindow == null || echoWindow == null) { line("the windows did not show"); return; }
  threadSleep(1_000_000_000);
  const info = changetype<SystemInfo>(heap.alloc(SYSTEM_INFO_SIZE));
  systemInfo(changetype<usize>(info));
  figure("idle-memory", <i64>(info.framesUsed * <u64>PAGE_SIZE), 0);
  line("memory-kernel heap " + info.heapBytes.toString() + " stacks " + info.stackBytes.toString() + " code " + info.codeBytes.toString());
  const components = heap.alloc(64 * COMPONENT_INFO_SIZE);
  const count = min<i32>(systemComponents(components, 64 * COMPONENT_INFO_SIZE), 64);
  for (let i = 0; i < count; i++) {
    const component = changetype<ComponentInfo>(components + <usize>i * COMPONENT_INFO_SIZE);
    const name = component.name;
    let length: u32 = 0;
    while (length < 48 && load<u8>(name + length) != 0) length++;
    line("memory " + String.UTF8.decodeUnsafe(name, length) + " " + (<u64>component.pages * 65536 + <u64>component.objectPages * 4096).toString());
  }
  frameAddress = (heap.alloc(<usize>frameBytes + <usize>PAGE_SIZE) + <usize>PAGE_SIZE - 1) & ~(<usize>PAGE_SIZE - 1);

  // Each restart begins with the system settled, its warm spares started again (servers/init keeps one of each
  // driver, started in the background 200 ms after it was taken), as restarts seconds apart find it.
  for (let run = 0; run < RESTARTS; run++) {
    restart("keyboard", keyboardAnswers);
    threadSleep(SETTLE_NANOSECONDS);
    restart("compositor", compositorAnswers, frameAnswers);
    threadSleep(SETTLE_NANOSECONDS);
    restart("display", displayAnswers);
    threadSleep(SETTLE_NANOSECONDS);
    restart("tablet", tabletAnswers);
    threadSleep(SETTLE_NANOSECONDS);
  }
  settledWindow(2, <u32>echo);

  // Key to pixel: a letter typed into key-echo (focused, on top), until its window's pixels change.
  for (let key = 0; key < KEYS; key++) {
    const before = regionHash(echoWindow.x, echoWindow.y, <i32>echoWindow.width, <i32>echoWindow.height);
    const startNs = clockNow();
    const startCycles = clockCycles();
    send(INPUT_KEY, 0x04 + <u32>key, INPUT_PRESSED, 0x61 + <u32>key);
    while (regionHash(echoWindow.x, echoWindow.y, <i32>echoWindow.width, <i32>echoWindow.height) == before && clockNow() - startNs < 5_000_000_000) threadSleep(POLL_NANOSECONDS);
    figure("key-to-pixel", clockNow() - startNs, clockCycles() - startCycles);
    send(INPUT_KEY, 0x04 + <u32>key, INPUT_RELEASED, 0x61 + <u32>key);
  }

  // A drag of the swatch window by its title bar: each motion is composed and shown before the reply.
  const x = swatchWindow.x + 40, y = swatchWindow.y - 11;
  send(INPUT_POINTER, pixelToPointer(x, WIDTH), pixelToPointer(y, HEIGHT), 0);
  send(INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_PRESSED, 0);
  const startNs = clockNow();
  const startCycles = clockCycles();
  for (let step = 1; step <= DRAG_STEPS; step++) {
    send(INPUT_POINTER, pixelToPointer(x + step * 4, WIDTH), pixelToPointer(y + step * 2, HEIGHT), 0);
  }
  figure("drag-frame", (clockNow() - startNs) / DRAG_STEPS, (clockCycles() - startCycles) / <u64>DRAG_STEPS);
  send(INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_RELEASED, 0);
  line("done");
}
