// The devices image's probe (component.manifest): the in-OS end of the
// host test of the pointer and display drivers. Its lines, which the host
// reads:
//
//   probe: serving /desktop/input
//   probe: event KIND CODE VALUE                   every input event applied, in order
//   probe: drew WxH pitch P                        after the left button: the mode set and the picture drawn
//   probe: display restarted OLD -> NEW mode WxH   after the right button: the new instance's mode
//
// The picture is a function of the position (`pixel`, which the host test
// computes too), so the host knows every pixel without being told.

import "../lib/abort";
import {
  handleClose, memoryMap, msgSend, nameOpen, MAP_WRITABLE, INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_BUTTON_RIGHT, INPUT_PRESSED,
  INPUT_EVENT_SIZE, INPUT_PATH, INPUT_ERROR_SEQUENCE_GAP, InputEventsReply, DISPLAY_PATH, DISPLAY_MODE,
  DISPLAY_MODE_REPLY_SIZE, DISPLAY_SET_MODE, DISPLAY_SET_MODE_REQUEST_SIZE, DISPLAY_SET_MODE_REPLY_SIZE,
  DisplayModeReply, DisplaySetModeRequest, ERROR_INVALID_ARGUMENT,
} from "../../../ipc/generated/index";
import { InputHandlers, serveInput } from "../../../ipc/generated/servers/input";
import { Server } from "../../../ipc/client/index";
import { log } from "../../../sdk/lib/log";
import { connectInit, initRestart, initStatus, initStatusReply } from "../runner/init-client";

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 800;
const WASM_PAGE: u32 = 65536;

const request = heap.alloc(64);
const reply = heap.alloc(64);

/** The picture's pixel at (x, y): red across, green down, blue a checkerboard of 64-pixel squares. */
function pixel(x: u32, y: u32, width: u32, height: u32): u32 {
  const red = x * 255 / (width - 1), green = y * 255 / (height - 1);
  const blue: u32 = ((x >> 6) + (y >> 6)) % 2 == 0 ? 0x40 : 0xc0;
  return red << 16 | green << 8 | blue;
}

const current = changetype<DisplayModeReply>(reply);

/** display.mode on a fresh connection: true with `current` filled. */
function mode(): bool {
  const display = nameOpen(DISPLAY_PATH, 5_000_000_000);
  if (display < 0) { log("name.open " + DISPLAY_PATH + ": error " + display.toString()); return false; }
  store<u32>(request, DISPLAY_MODE);
  const status = msgSend(display, request, 4, reply, DISPLAY_MODE_REPLY_SIZE);
  handleClose(display);
  if (status < 0) { log("display.mode: error " + status.toString()); return false; }
  return true;
}

function draw(): void {
  const display = nameOpen(DISPLAY_PATH, 5_000_000_000);
  const set = changetype<DisplaySetModeRequest>(request);
  set.operation = DISPLAY_SET_MODE;
  set.width = WIDTH;
  set.height = HEIGHT;
  const status = display < 0 ? display : msgSend(display, request, DISPLAY_SET_MODE_REQUEST_SIZE, reply, DISPLAY_SET_MODE_REPLY_SIZE);
  if (display > 0) handleClose(display);
  if (status < 0) { log("display.setMode: error " + status.toString()); return; }
  if (!mode()) return;
  const pitch = current.pitch, bytes = current.bytes, handle = current.handle;
  const previous = memory.grow(<i32>((bytes + WASM_PAGE - 1) / WASM_PAGE));
  const framebuffer = <usize>previous * <usize>WASM_PAGE;
  if (previous < 0 || memoryMapWritable(handle, framebuffer, bytes) < 0) { log("cannot map the framebuffer"); return; }
  for (let y: u32 = 0; y < HEIGHT; y++) {
    const row = framebuffer + <usize>y * <usize>pitch;
    for (let x: u32 = 0; x < WIDTH; x++) store<u32>(row + 4 * <usize>x, pixel(x, y, WIDTH, HEIGHT));
  }
  log("drew " + WIDTH.toString() + "x" + HEIGHT.toString() + " pitch " + pitch.toString());
}

function restartDisplay(): void {
  if (connectInit() < 0 || initStatus("display") < 0) { log("init.status display failed"); return; }
  const old = initStatusReply.component;
  const fresh = initRestart(old);
  if (fresh < 0 || !mode()) { log("display restart failed: " + fresh.toString()); return; }
  log("display restarted " + old.toString() + " -> " + fresh.toString() + " mode " + current.width.toString() + "x" + current.height.toString());
  handleClose(current.handle);
}

/** Maps `bytes` of `handle` writable at page-aligned `address`. */
function memoryMapWritable(handle: u32, address: usize, bytes: u32): i32 {
  return memoryMap(<i32>handle, <u32>address, (bytes + 4095) & ~<u32>4095, MAP_WRITABLE);
}

/** One driver instance's last applied event: enough for the one tablet of this image (a new instance restarts it). */
class Probe extends InputHandlers {
  instance: u32 = 0;
  applied: u32 = 0;

  events(instance: u32, first: u32, events: usize, eventsLength: u32, reply: InputEventsReply): i32 {
    if (eventsLength == 0 || eventsLength % INPUT_EVENT_SIZE != 0) return ERROR_INVALID_ARGUMENT;
    if (instance != this.instance) { this.instance = instance; this.applied = 0; }
    if (first > this.applied + 1) return INPUT_ERROR_SEQUENCE_GAP;
    const count = eventsLength / INPUT_EVENT_SIZE;
    let action: u32 = 0;
    for (let i: u32 = 0; i < count; i++) {
      if (first + i <= this.applied) continue;
      const event = events + <usize>(i * INPUT_EVENT_SIZE);
      const kind = load<u32>(event), code = load<u32>(event, 4), value = load<u32>(event, 8);
      log("event " + kind.toString() + " " + code.toString() + " " + value.toString());
      if (kind == INPUT_BUTTON && value == INPUT_PRESSED) action = code;
    }
    this.applied = max(this.applied, first + count - 1);
    reply.applied = this.applied;
    if (action == INPUT_BUTTON_LEFT) draw();
    else if (action == INPUT_BUTTON_RIGHT) restartDisplay();
    return 0;
  }
}

export function _start(): void {
  const server = new Server(INPUT_PATH);
  if (!server.isServing) { log("cannot serve " + INPUT_PATH); return; }
  log("serving " + INPUT_PATH);
  serveInput(new Probe(), server.channel, 4096);
}
