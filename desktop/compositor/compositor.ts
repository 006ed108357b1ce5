// The compositor and window manager: serves the window protocol to
// applications (/desktop/window) and the input protocol to input drivers
// (/desktop/input), one thread each, and composes the desktop into its back
// buffer (screen.ts). The window manager's decisions and the input ledger
// live in the state object "windows" (state.ts); each window's title and
// surface come with its client's pending declaration, and the mapping of a
// surface is kept only while the client's declarations name the same one.
// So a new instance — after a crash, a kill or a replacement — opens the
// same state object, and the clients' re-sent declarations put every window
// back where it was, with its contents. The back buffer is a state object
// too (screen.ts): a new instance adopts the picture its predecessor left
// whole and composes only what changes.
//
// A declaration with nothing to tell its window is held (REPLY_LATER) until
// the window has events or its wait runs out; a timer pulse every
// TICK_NANOSECONDS ends waits and moves the taskbar's clock: the time of
// day (UTC) counted on from the clock driver's last answer (drivers/clock,
// the CMOS real-time clock, asked by a thread of its own), or the time
// since boot until the driver answers.

import "../../sdk/lib/abort";
import {
  Handle, clockNow, componentSelf, componentSpawn, connectionCreate, handleClose, handleInfo, msgGrant, msgReply,
  msgSend, nameOpen, payloadRead, stateOpen, threadCreate, threadPriority, threadSleep, timerCreate, timerSet,
} from "../../ipc/generated/system";
import {
  ERROR_INVALID_ARGUMENT, HANDLE_INFO_SIZE, HandleInfo, MAP_WRITABLE, Pulse, RIGHT_MAP,
  WINDOW_EVENTS_MAXIMUM, WINDOW_EVENT_SIZE, WINDOW_FOCUSED, WINDOW_INFO_SIZE, WINDOW_MINIMIZED, WINDOW_SHOWN,
  WINDOW_SIZE_MAXIMUM, WINDOW_TITLE_MAXIMUM, WINDOW_WAITING, WINDOW_WAIT_FOREVER, WindowInfo,
} from "../../ipc/generated/abi";
import {
  WINDOW_ERROR_BAD_SURFACE, WINDOW_ERROR_TOO_MANY_WINDOWS, WINDOW_LIST_REPLY_WINDOWS, WINDOW_PATH,
  WINDOW_SHOW_REPLY_EVENTS, WindowFrameReply, WindowListReply, WindowShowReply,
} from "../../ipc/generated/protocols/window";
import { INPUT_PATH, InputEventsReply } from "../../ipc/generated/protocols/input";
import { DISPLAY_MODE, DISPLAY_MODE_REPLY_SIZE, DISPLAY_MODE_REQUEST_SIZE, DISPLAY_PATH, DisplayModeReply } from "../../ipc/generated/protocols/display";
import { TIMEOUT_FOREVER } from "../../ipc/generated/abi";
import { CLOCK_PATH, CLOCK_TIME, CLOCK_TIME_REPLY_SIZE, CLOCK_TIME_REQUEST_SIZE, ClockTimeReply } from "../../drivers/clock/generated/protocols/clock";
import { WindowHandlers, serveWindow } from "../../ipc/generated/servers/window";
import { InputHandlers, serveInput } from "../../ipc/generated/servers/input";
import { Server } from "../../ipc/client/server";
import { REPLY_LATER } from "../../ipc/client/serve";
import { spawnGranted } from "../../ipc/client/spawn";
import { log } from "../../sdk/lib/log";
import { Rect } from "../lib/surface";
import { Font } from "../lib/text";
import { LauncherApp, appOf, payloadApps } from "./launcher";
import { LauncherEntry, WindowManager } from "./manager";
import { Scene } from "./scene";
import { Screen, mapObject, unmapObject } from "./screen";
import { STATE_SIZE, STATE_SLOTS, State } from "./state";

/** The screen's size until the display driver tells its mode: the boot mode of Delos's images. */
const SCREEN_WIDTH: i32 = 1024;
const SCREEN_HEIGHT: i32 = 768;
const FONT_PATH = "fonts/sans-13.atlas";
const TICK_CODE: i32 = 1;
const TICK_NANOSECONDS: i64 = 250_000_000;
/** How often the wall clock is asked again (the processor's clock and the RTC drift apart slowly). */
const CLOCK_REFRESH_NANOSECONDS: i64 = 60_000_000_000;
/** Enough for a declaration with the longest title, and a list reply of every window. */
const BUFFER_BYTES: u32 = 2048;

/** What this instance knows of a window beyond the state object: its mapped surface and its held declaration. */
class Shown {
  surface: Handle = 0;
  address: usize = 0;
  bytes: u32 = 0;
  surfaceSerial: u32 = 0;
  /** The held declaration's receive id (0: none), and when its wait runs out (i64.MAX_VALUE: never). */
  held: u32 = 0;
  deadline: i64 = i64.MAX_VALUE;
}

class Compositor {
  readonly shown: StaticArray<Shown> = new StaticArray<Shown>(STATE_SLOTS);
  readonly reply: usize = heap.alloc(WINDOW_SHOW_REPLY_EVENTS + WINDOW_EVENTS_MAXIMUM * WINDOW_EVENT_SIZE);
  readonly info: HandleInfo = changetype<HandleInfo>(heap.alloc(HANDLE_INFO_SIZE));
  /** Messages until the injected fault (0: none armed). */
  faultAfter: u32 = 0;
  /** The payload's window apps, which the launcher menu lists (readLauncher: read when the menu first needs them). */
  apps: LauncherApp[] = [];
  /** The whole screen was composed once; the ready moment was told. */
  composedAll: bool = false;
  ready: bool = false;
  /** Messages being handled that may change what the screen shows (the screen's marks, screen.ts). */
  changes: i32 = 0;
  /** When the windows an adopted picture shows but no client declared again are composed away (0: not due). */
  undeclaredDue: i64 = 0;
  /** The taskbar's clock counts on from it; until the clock driver answers, it shows the time since boot. */
  readonly wall: WallClock = new WallClock();

  constructor(readonly manager: WindowManager, readonly scene: Scene, readonly screen: Screen) {
    for (let i = 0; i < STATE_SLOTS; i++) this.shown[i] = new Shown();
  }

  /** The surface `handle` for a window of width × height, mapped (a known surface keeps its mapping): false if unusable. */
  mapSurface(slot: i32, handle: Handle, surfaceSerial: u32, width: u32, height: u32): bool {
    const shown = this.shown[slot];
    const bytes = width * height * 4;
    if (shown.address != 0 && shown.surfaceSerial == surfaceSerial && shown.bytes >= bytes) {
      if (handle != 0) handleClose(handle);
      return true;
    }
    if (handle == 0 || handleInfo(handle, changetype<usize>(this.info)) < 0 || this.info.bytes < <u64>bytes
      || (this.info.rights & RIGHT_MAP) == 0) {
      if (handle != 0) handleClose(handle);
      return false;
    }
    const address = mapObject(handle, bytes, 0);
    if (address == 0) { handleClose(handle); return false; }
    this.unmap(slot);
    shown.surface = handle;
    shown.address = address;
    shown.bytes = bytes;
    shown.surfaceSerial = surfaceSerial;
    return true;
  }

  unmap(slot: i32): void {
    const shown = this.shown[slot];
    if (shown.address == 0) return;
    unmapObject(shown.address, shown.bytes);
    handleClose(shown.surface);
    shown.address = 0;
    shown.surface = 0;
  }

  /** Writes the events of `slot` after `acknowledged` into `reply`: the reply's length. */
  fillEvents(slot: i32, reply: usize): u32 {
    const s = this.manager.state;
    const first = s.firstEvent(slot), next = s.nextEvent(slot);
    const view = changetype<WindowShowReply>(reply);
    view.first = first;
    view.count = next - first;
    for (let sequence = first; sequence < next; sequence++) {
      memory.copy(reply + WINDOW_SHOW_REPLY_EVENTS + <usize>(sequence - first) * WINDOW_EVENT_SIZE, s.eventAddress(slot, sequence), WINDOW_EVENT_SIZE);
    }
    return WINDOW_SHOW_REPLY_EVENTS + (next - first) * WINDOW_EVENT_SIZE;
  }

  /** Answers a held declaration (events, or none when `empty`). A client gone by now loses nothing: its events stay queued. */
  answer(slot: i32, empty: bool): void {
    const shown = this.shown[slot];
    if (shown.held == 0) return;
    let length = WINDOW_SHOW_REPLY_EVENTS;
    if (empty) { store<u32>(this.reply, 0); store<u32>(this.reply, 0, 4); } else length = this.fillEvents(slot, this.reply);
    msgReply(shown.held, 0, this.reply, length);
    shown.held = 0;
  }

  /** After any change: held declarations with events are answered, launches started, damage composed and shown. */
  settle(): void {
    const s = this.manager.state;
    const now = clockNow();
    for (let slot = 0; slot < STATE_SLOTS; slot++) {
      const shown = this.shown[slot];
      if (shown.held == 0) continue;
      if (!s.isUsed(slot)) this.answer(slot, true);
      else if (s.nextEvent(slot) != s.firstEvent(slot)) this.answer(slot, false);
      else if (now >= shown.deadline) this.answer(slot, true);
    }
    const launches = this.manager.launches;
    while (launches.length > 0) {
      const path = launches.shift();
      const app = appOf(this.apps, path);
      const id = spawnGranted(path, 0, app != null ? app.grant : "open " + WINDOW_PATH);
      if (id < 0) log("cannot start " + path + ": error " + id.toString());
    }
    if (this.manager.damage.area >= <i64>this.manager.width * <i64>this.manager.height) this.composedAll = true;
    const composed = this.scene.compose();
    this.screen.present(composed);
    if (this.changes == 0) this.screen.composed();
    if (!this.ready && this.isReady()) {
      this.ready = true;
      log("desktop: ready (instance " + componentSelf().toString() + ", frame " + this.scene.frames.toString() + ")");
    }
  }

  /**
   * The moment the desktop is ready for the user, which COM1 tells once per
   * instance: the display shows a frame in which the whole screen was
   * composed, at least one window is on it, and every window's declaration
   * is shown and held — its client drew its content before declaring it
   * (the terminal its prompt) and now waits for events, so a key typed from
   * here on reaches it.
   */
  isReady(): bool {
    if (!this.composedAll || !this.screen.attached) return false;
    const s = this.manager.state;
    let windows = 0;
    for (let slot = 0; slot < STATE_SLOTS; slot++) {
      if (!s.isUsed(slot)) continue;
      if (this.shown[slot].address == 0 || this.shown[slot].held == 0) return false;
      windows++;
    }
    return windows > 0;
  }

  /** Before a message that may change what the screen shows: the picture is not whole until `handled`. */
  begin(): void {
    this.changes++;
    this.screen.changing();
  }

  /** After a message that may have changed something (`begin` before it): settles, then counts it (counted). */
  handled(): void {
    this.changes--;
    this.settle();
    this.counted();
  }

  /** Counts a message handled: the injected fault, when armed, ends the instance after the last one's changes. */
  counted(): void {
    if (this.faultAfter == 0) return;
    this.faultAfter--;
    if (this.faultAfter == 0) {
      log("injected fault: ending this instance");
      unreachable();
    }
  }

  tick(): void {
    this.begin();
    const now = clockNow();
    if (this.undeclaredDue != 0 && now >= this.undeclaredDue) {
      this.undeclaredDue = 0;
      this.manager.damageUndeclared();
    }
    const wall = this.wall;
    if (wall.seconds >= 0) {
      const seconds = (wall.seconds + (now - wall.uptime) / 1_000_000_000) % 86400;
      this.manager.setClock(two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60) + " UTC");
    } else {
      const seconds = now / 1_000_000_000;
      const minutes = seconds / 60;
      this.manager.setClock("up " + (minutes / 60).toString() + ":" + two(minutes % 60) + ":" + two(seconds % 60));
    }
    this.changes--;
    this.settle();
  }
}

/** The wall-clock time as the clock driver last told it: `seconds` since 1970 at clock.now `uptime` (seconds -1: not yet told). */
class WallClock {
  seconds: i64 = -1;
  uptime: i64 = 0;
}

function two(value: i64): string { return value < 10 ? "0" + value.toString() : value.toString(); }

let compositor: Compositor | null = null;

class WindowServer extends WindowHandlers {
  show(window: u32, width: u32, height: u32, surfaceSerial: u32, serial: u32, damageX: i32, damageY: i32, damageWidth: i32,
    damageHeight: i32, acknowledged: u32, wait: u32, title: usize, titleLength: u32, surface: Handle, reply: WindowShowReply): i32 {
    const c = compositor!;
    const m = c.manager;
    const client = this.info.component;
    if (width == 0 || height == 0 || width > WINDOW_SIZE_MAXIMUM || height > WINDOW_SIZE_MAXIMUM) {
      if (surface != 0) handleClose(surface);
      return ERROR_INVALID_ARGUMENT;
    }
    c.begin();
    const text = String.UTF8.decodeUnsafe(title, min(titleLength, WINDOW_TITLE_MAXIMUM));
    let slot = m.state.find(client, window);
    if (slot < 0) slot = m.state.freeSlot();
    if (slot < 0) { if (surface != 0) handleClose(surface); c.handled(); return WINDOW_ERROR_TOO_MANY_WINDOWS; }
    if (!c.mapSurface(slot, surface, surfaceSerial, width, height)) { c.handled(); return WINDOW_ERROR_BAD_SURFACE; }
    // The window's place and the events its client acknowledged change together (state.ts).
    m.state.begin();
    const shownSlot = m.declareWindow(client, window, <i32>width, <i32>height, text, c.shown[slot].address, serial,
      new Rect(damageX, damageY, damageWidth, damageHeight));
    if (shownSlot != slot) { m.state.abandon(); c.unmap(slot); c.handled(); return WINDOW_ERROR_TOO_MANY_WINDOWS; }
    m.state.acknowledge(slot, acknowledged);
    m.state.commit();
    const shown = c.shown[slot];
    // A declaration still held for this window (its client sent another before the reply) gets an empty answer.
    c.answer(slot, true);
    let result: i32;
    if (m.state.nextEvent(slot) != m.state.firstEvent(slot) || wait == 0) {
      result = <i32>c.fillEvents(slot, changetype<usize>(reply)) - <i32>WINDOW_SHOW_REPLY_EVENTS;
    } else {
      shown.held = <u32>this.receiveId;
      shown.deadline = wait == WINDOW_WAIT_FOREVER ? i64.MAX_VALUE : clockNow() + <i64>wait * 1_000_000;
      result = REPLY_LATER;
    }
    c.handled();
    return result;
  }

  close(window: u32): i32 {
    const c = compositor!;
    c.begin();
    const slot = c.manager.state.find(this.info.component, window);
    if (slot >= 0) {
      c.answer(slot, true);
      c.unmap(slot);
      c.manager.state.begin();
      c.manager.close(slot);
      c.manager.state.commit();
    }
    c.handled();
    return 0;
  }

  list(reply: WindowListReply): i32 {
    const c = compositor!;
    const s = c.manager.state;
    let count: u32 = 0;
    const records = changetype<usize>(reply) + WINDOW_LIST_REPLY_WINDOWS;
    for (let slot = 0; slot < STATE_SLOTS; slot++) {
      if (!s.isUsed(slot)) continue;
      const info = changetype<WindowInfo>(records + <usize>count * WINDOW_INFO_SIZE);
      info.client = s.client(slot);
      info.window = s.window(slot);
      info.x = s.x(slot);
      info.y = s.y(slot);
      info.width = <u32>s.width(slot);
      info.height = <u32>s.height(slot);
      info.serial = c.manager.views[slot].serial;
      info.flags = (s.focus == slot ? WINDOW_FOCUSED : 0) | (s.isMinimized(slot) ? WINDOW_MINIMIZED : 0)
        | (c.shown[slot].held != 0 ? WINDOW_WAITING : 0) | (c.shown[slot].address != 0 ? WINDOW_SHOWN : 0);
      let layer: u32 = 0;
      for (let i = 0; i < s.stackCount; i++) if (s.stackAt(i) == slot) layer = <u32>i;
      info.layer = layer;
      info.reserved = 0;
      count++;
    }
    reply.count = count;
    reply.pointerX = s.pointerX;
    reply.pointerY = s.pointerY;
    // A list changes nothing, so it composes nothing: a new instance answers it before its first frame is drawn.
    c.counted();
    return <i32>(count * WINDOW_INFO_SIZE);
  }

  frame(reply: WindowFrameReply): i32 {
    const c = compositor!;
    const screen = c.screen;
    if (screen.memory == 0) return WINDOW_ERROR_BAD_SURFACE;
    // The frame handed out is composed: a new instance's first one included.
    c.settle();
    const granted = msgGrant(<u32>this.receiveId, screen.memory, RIGHT_MAP);
    if (granted < 0) return granted;
    reply.memory = <u32>granted;
    reply.width = <u32>screen.width;
    reply.height = <u32>screen.height;
    reply.stride = <u32>screen.back.stride;
    reply.frames = c.scene.frames;
    reply.instance = <u32>componentSelf();
    c.counted();
    return 0;
  }

  injectFault(after: u32): i32 {
    compositor!.faultAfter = after;
    return 0;
  }

  pulse(pulse: Pulse): void {
    if (pulse.code == TICK_CODE && pulse.component == 0) compositor!.tick();
  }
}

class InputServer extends InputHandlers {
  events(instance: u32, first: u32, events: usize, eventsLength: u32, reply: InputEventsReply): i32 {
    const c = compositor!;
    if (eventsLength == 0 || eventsLength % 16 != 0) return ERROR_INVALID_ARGUMENT;
    c.begin();
    const applied = c.manager.inputBatch(instance, first, events, eventsLength / 16);
    if (applied < 0) { c.handled(); return applied; }
    reply.applied = <u32>applied;
    c.handled();
    return 0;
  }
}

/** The input protocol's thread. */
function serveInputThread(channel: i32): void {
  serveInput(new InputServer(), channel, BUFFER_BYTES);
}

/**
 * The display's thread: waits until the display driver serves /dev/display
 * (it may start after the compositor, or never, as in the test image), asks
 * for the mode and the framebuffer, and from then on the screen shows each
 * composed frame there. The driver keeps the framebuffer's memory across
 * its restarts, so the mapping stays valid; nothing here needs redoing.
 */
function attachDisplayThread(_: i32): void {
  const connection = nameOpen(DISPLAY_PATH, TIMEOUT_FOREVER);
  if (connection < 0) { log("cannot open " + DISPLAY_PATH + ": error " + connection.toString()); return; }
  const request = heap.alloc(DISPLAY_MODE_REQUEST_SIZE);
  store<u32>(request, DISPLAY_MODE);
  const reply = heap.alloc(DISPLAY_MODE_REPLY_SIZE);
  const status = msgSend(connection, request, DISPLAY_MODE_REQUEST_SIZE, reply, DISPLAY_MODE_REPLY_SIZE);
  handleClose(connection);
  if (status < 0) { log("display.mode: error " + status.toString()); return; }
  const mode = changetype<DisplayModeReply>(reply);
  const screen = compositor!.screen;
  if (!screen.attach(<Handle>mode.handle, <i32>mode.width, <i32>mode.height, <i32>mode.pitch)) {
    log("the display's mode " + mode.width.toString() + "x" + mode.height.toString() + " is not the screen's "
      + screen.width.toString() + "x" + screen.height.toString() + "; frames stay in the back buffer");
    handleClose(<Handle>mode.handle);
    return;
  }
  log("showing frames on the display, " + mode.width.toString() + "x" + mode.height.toString());
}

/**
 * The wall clock's thread: asks the clock driver (/dev/clock, the CMOS
 * real-time clock) for the time when it serves, and again every
 * CLOCK_REFRESH_NANOSECONDS (a restarted driver is found again), so that
 * the window thread's ticks count on from the last answer without waiting
 * for a driver.
 */
function wallClockThread(_: i32): void {
  const request = heap.alloc(CLOCK_TIME_REQUEST_SIZE);
  const reply = changetype<ClockTimeReply>(heap.alloc(CLOCK_TIME_REPLY_SIZE));
  let connection = 0;
  while (true) {
    if (connection <= 0) connection = nameOpen(CLOCK_PATH, TIMEOUT_FOREVER);
    if (connection < 0) { log("cannot open " + CLOCK_PATH + ": error " + connection.toString() + "; the clock shows the time since boot"); return; }
    store<u32>(request, CLOCK_TIME);
    const status = msgSend(connection, request, CLOCK_TIME_REQUEST_SIZE, changetype<usize>(reply), CLOCK_TIME_REPLY_SIZE);
    if (status >= 0) {
      const wall = compositor!.wall;
      wall.uptime = <i64>reply.uptime;
      wall.seconds = <i64>reply.seconds;
    } else {
      handleClose(connection);
      connection = 0;
    }
    threadSleep(status >= 0 ? CLOCK_REFRESH_NANOSECONDS : 1_000_000_000);
  }
}

/** The launcher menu's entries, read when the menu is first opened or drawn: the payload's window apps. */
function readLauncher(): LauncherEntry[] {
  const apps = payloadApps();
  compositor!.apps = apps;
  const entries = new Array<LauncherEntry>(apps.length);
  for (let i = 0; i < apps.length; i++) entries[i] = apps[i].entry;
  return entries;
}

/** The atlas the title bars and the taskbar are written with, read from the payload; null (no text) if it is missing. */
function readFont(): Font | null {
  const size = payloadRead(FONT_PATH, 0, 0, 0);
  if (size < 0) { log("cannot read " + FONT_PATH + ": error " + size.toString() + "; drawing no text"); return null; }
  const data = heap.alloc(<usize>size);
  payloadRead(FONT_PATH, 0, data, <u32>size);
  const font = Font.open(data, <u32>size);
  if (font == null) log(FONT_PATH + ": glyph atlas refused; drawing no text");
  return font;
}

export function _start(): void {
  const stateHandle = stateOpen("windows", STATE_SIZE);
  if (stateHandle < 0) { log("state.open windows: error " + stateHandle.toString()); return; }
  const stateAddress = mapObject(stateHandle, STATE_SIZE, MAP_WRITABLE);
  if (stateAddress == 0) { log("cannot map the state object"); return; }
  // A new instance adopts the picture its predecessor left whole (screen.ts): nothing is composed again but what
  // changes from here on, and the windows whose clients do not declare them again within a tick.
  const screen = new Screen(SCREEN_WIDTH, SCREEN_HEIGHT);
  const manager = new WindowManager(new State(stateAddress), SCREEN_WIDTH, SCREEN_HEIGHT, screen.adopted);
  manager.launcherLoader = readLauncher;
  compositor = new Compositor(manager, new Scene(manager, screen.back, readFont()), screen);
  if (screen.adopted && manager.damage.isEmpty) {
    compositor!.composedAll = true;
    compositor!.undeclaredDue = clockNow() + TICK_NANOSECONDS;
    log("adopted the picture of the last instance");
  }

  const windows = new Server(WINDOW_PATH);
  const input = new Server(INPUT_PATH);
  if (!windows.isServing || !input.isServing) { log("cannot serve " + WINDOW_PATH + " and " + INPUT_PATH); return; }
  const ticks = connectionCreate(windows.channel);
  const timer = ticks > 0 ? timerCreate(ticks, TICK_CODE, 0) : ticks;
  // The first tick comes at once: it composes the whole screen, after whatever request is already waiting (a new
  // instance serves before it draws; the clients' re-sent declarations compose the frame as well).
  if (timer > 0) timerSet(timer, 1, TICK_NANOSECONDS);
  else compositor!.tick();
  const thread = threadCreate(<u32>serveInputThread.index, <u32>input.channel, threadPriority());
  if (thread < 0) log("cannot start the input thread: error " + thread.toString());
  const display = threadCreate(<u32>attachDisplayThread.index, 0, threadPriority());
  if (display < 0) log("cannot start the display thread: error " + display.toString());
  const wallClock = threadCreate(<u32>wallClockThread.index, 0, threadPriority());
  if (wallClock < 0) log("cannot start the wall clock's thread: error " + wallClock.toString());
  serveWindow(new WindowServer(), windows.channel, BUFFER_BYTES);
}
