// The in-OS test of the display driver (the runner starts it with init
// first): display.mode grants the framebuffer, which maps and keeps what is
// written; display.modes lists 1024x768 and 1280x800; display.setMode
// switches to 1280x800 and back while the picture's bytes stay; a size not
// offered is NO_MODE and the driver answers on.

import "../../sdk/lib/abort";
import {
  componentExit, handleClose, msgSend, nameOpen, DISPLAY_PATH, DISPLAY_MODE, DISPLAY_MODES, DISPLAY_SET_MODE,
  DISPLAY_MODE_REPLY_SIZE, DISPLAY_MODES_REQUEST_SIZE, DISPLAY_MODES_REPLY_SIZE, DISPLAY_SET_MODE_REQUEST_SIZE,
  DISPLAY_SET_MODE_REPLY_SIZE, DISPLAY_ERROR_NO_MODE, DisplayModeReply, DisplayModesReply, DisplayModesRequest,
  DisplaySetModeReply, DisplaySetModeRequest,
} from "../../ipc/generated/index";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { mapFresh } from "../lib/device/map";

const connection = nameOpen(DISPLAY_PATH, 5_000_000_000);
const request = heap.alloc(64);
const reply = heap.alloc(64);

function mode(): DisplayModeReply {
  store<u32>(request, DISPLAY_MODE);
  const status = msgSend(connection, request, 4, reply, DISPLAY_MODE_REPLY_SIZE);
  expect(status >= 0, "display.mode answered (" + status.toString() + ")");
  return changetype<DisplayModeReply>(reply);
}

function setMode(width: u32, height: u32): i32 {
  const setRequest = changetype<DisplaySetModeRequest>(request);
  setRequest.operation = DISPLAY_SET_MODE;
  setRequest.width = width;
  setRequest.height = height;
  return msgSend(connection, request, DISPLAY_SET_MODE_REQUEST_SIZE, reply, DISPLAY_SET_MODE_REPLY_SIZE);
}

function offers(width: u32, height: u32): bool {
  for (let index: u32 = 0; index < 64; index++) {
    const modesRequest = changetype<DisplayModesRequest>(request);
    modesRequest.operation = DISPLAY_MODES;
    modesRequest.index = index;
    const status = msgSend(connection, request, DISPLAY_MODES_REQUEST_SIZE, reply, DISPLAY_MODES_REPLY_SIZE);
    if (status == DISPLAY_ERROR_NO_MODE) return false;
    expect(status >= 0 && index < changetype<DisplayModesReply>(reply).count, "display.modes " + index.toString());
    if (changetype<DisplayModesReply>(reply).width == width && changetype<DisplayModesReply>(reply).height == height) return true;
  }
  return false;
}

export function _start(): void {
  expect(connection >= 0, "name.open " + DISPLAY_PATH);
  const first = mode();
  const width = first.width, height = first.height, pitch = first.pitch, bytes = first.bytes, handle = first.handle;
  log("mode " + width.toString() + "x" + height.toString() + " pitch " + pitch.toString() + ", framebuffer " + bytes.toString() + " bytes");
  expect(width >= 640 && height >= 480 && pitch >= width * 4 && <u64>bytes >= <u64>pitch * height, "a sane mode and framebuffer");
  const framebuffer = mapFresh(handle, bytes);
  expect(framebuffer != 0, "the framebuffer maps writable");
  // A mark at the end of the 1024x768 picture's bytes: it stays across the mode changes (NO_CLEAR).
  const mark = framebuffer + <usize>pitch * (height - 1) + 4 * <usize>(width - 1);
  const saved = load<u32>(mark);
  store<u32>(mark, 0x00c0ffee);
  expect(load<u32>(mark) == 0x00c0ffee, "a pixel written reads back");
  expect(offers(1024, 768) && offers(1280, 800), "1024x768 and 1280x800 are offered");
  expect(setMode(1280, 800) >= 0 && changetype<DisplaySetModeReply>(reply).pitch == 1280 * 4, "display.setMode 1280x800");
  const second = mode();
  expect(second.width == 1280 && second.height == 800 && second.pitch == 5120, "display.mode tells 1280x800");
  handleClose(second.handle);
  expect(setMode(1000, 700) == DISPLAY_ERROR_NO_MODE, "a size not offered is NO_MODE");
  expect(setMode(width, height) >= 0, "back to " + width.toString() + "x" + height.toString());
  const third = mode();
  expect(third.width == width && third.height == height, "display.mode tells the first mode again");
  handleClose(third.handle);
  expect(load<u32>(mark) == 0x00c0ffee, "the framebuffer's bytes stayed through the mode changes");
  store<u32>(mark, saved);
  componentExit(0);
}
