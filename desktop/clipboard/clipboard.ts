// The clipboard server: serves the clipboard protocol
// (ipc/table/protocols/desktop.ts) on /desktop/clipboard. The text lives
// in a state object, not in this instance, so it outlives the app that
// copied it and this server's own restarts and replacements. The object
// holds two slots: a write fills the one not shown and then flips the
// header's word naming the current slot, so a crash in the middle of a
// write leaves the previous text whole.
//
//   0   u32 serial (writes so far)     4   u32 current slot (0 or 1)
//   8   u32 length of slot 0           12  u32 length of slot 1
//   16  slot 0 (CLIPBOARD_MAXIMUM bytes), then slot 1

import "../../sdk/lib/abort";
import {
  memoryMap, stateOpen, errorName, CLIPBOARD_MAXIMUM, CLIPBOARD_PATH, ERROR_TOO_LARGE, MAP_WRITABLE, ClipboardReadReply, ClipboardWriteReply,
} from "../../ipc/generated/index";
import { ClipboardHandlers, serveClipboard } from "../../ipc/generated/servers/clipboard";
import { Server } from "../../ipc/client/server";
import { log } from "../../sdk/lib/log";
import { pageAligned, pageRounded } from "../system/pages";

const HEADER: u32 = 16;
const STATE_BYTES: u32 = HEADER + 2 * CLIPBOARD_MAXIMUM;
/** A request's or a reply's fixed part and the longest text. */
const CAPACITY: u32 = CLIPBOARD_MAXIMUM + 64;

class Clipboard extends ClipboardHandlers {
  constructor(readonly state: usize) { super(); }

  private slot(index: u32): usize { return this.state + HEADER + <usize>index * <usize>CLIPBOARD_MAXIMUM; }

  write(text: usize, textLength: u32, reply: ClipboardWriteReply): i32 {
    if (textLength > CLIPBOARD_MAXIMUM) return ERROR_TOO_LARGE;
    const next = 1 - load<u32>(this.state, 4);
    memory.copy(this.slot(next), text, textLength);
    store<u32>(this.state + 8 + <usize>next * 4, textLength);
    store<u32>(this.state, next, 4);
    const serial = load<u32>(this.state) + 1;
    store<u32>(this.state, serial);
    reply.serial = serial;
    return 0;
  }

  read(reply: ClipboardReadReply): i32 {
    const current = load<u32>(this.state, 4) & 1;
    const length = min(load<u32>(this.state + 8 + <usize>current * 4), CLIPBOARD_MAXIMUM);
    reply.serial = load<u32>(this.state);
    reply.length = length;
    memory.copy(reply.text, this.slot(current), length);
    return <i32>length;
  }
}

export function _start(): void {
  const object = stateOpen("clipboard", STATE_BYTES);
  if (object < 0) { log("state.open clipboard: " + errorName(object)); return; }
  const state = pageAligned(STATE_BYTES);
  const mapped = memoryMap(object, <u32>state, pageRounded(STATE_BYTES), MAP_WRITABLE);
  if (mapped < 0) { log("memory.map of the clipboard's state: " + errorName(mapped)); return; }
  const server = new Server(CLIPBOARD_PATH);
  if (!server.isServing) { log("cannot serve " + CLIPBOARD_PATH + ": " + errorName(server.error)); return; }
  log("serving " + CLIPBOARD_PATH + " (" + load<u32>(state).toString() + " writes so far)");
  const failed = serveClipboard(new Clipboard(state), server.channel, CAPACITY);
  log("receiving on " + CLIPBOARD_PATH + " failed: " + errorName(failed));
}
