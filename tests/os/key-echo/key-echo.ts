// key-echo: a window that shows the line being typed into it and, at each
// Enter, prints the line on the console ("key-echo: line N: TEXT") and
// tells the desktop killer (tests/os/desktop-killer) which line is done.
// It holds its text in its own memory and is never restarted: the test
// kills the keyboard driver, the compositor, the display driver and the
// pointer driver around it, and the line must arrive exactly, each key
// once and in order, through the compositor's window events.

import "../lib/abort";
import { componentExit, payloadRead } from "../../../ipc/generated/system";
import {
  INPUT_ALT, INPUT_META, INPUT_PRESSED, INPUT_REPEATED, INPUT_TEXT_MASK, WINDOW_EVENT_CLOSE, WINDOW_EVENT_KEY, WINDOW_WAIT_FOREVER,
} from "../../../ipc/generated/abi";
import { NamedConnection } from "../../../ipc/client/named-connection";
import { Rect } from "../../../desktop/lib/surface";
import { Font } from "../../../desktop/lib/text";
import { Window } from "../../../desktop/lib/window";
import { line } from "../lib/log";

export const KILLER_PATH = "/test/desktop-killer";
/** Pulse code to the killer: value is the number of lines done. */
export const PULSE_LINE: i32 = 1;
const FONT_PATH = "fonts/sans-13.atlas";
const NEWLINE: u32 = 0x0a;
const BACKGROUND: u32 = 0xf4f1e8;
const INK: u32 = 0x202020;

function readFont(): Font | null {
  const size = payloadRead(FONT_PATH, 0, 0, 0);
  if (size < 0) { line("cannot read " + FONT_PATH + ": error " + size.toString()); return null; }
  const data = heap.alloc(<usize>size);
  payloadRead(FONT_PATH, 0, data, <u32>size);
  return Font.open(data, <u32>size);
}

/** The character a key event adds to the line, as the keyboard test's receiver spells it ("" for none). */
function spell(text: u32): string {
  const character = text & INPUT_TEXT_MASK;
  if (character == 0) return "";
  if (character < 0x20 || character == 0x7f) return "^" + String.fromCharCode(character ^ 0x40);
  const prefix = (text & (INPUT_ALT | INPUT_META)) != 0 ? "M-" : "";
  return prefix + (character < 0x7f ? String.fromCharCode(character) : "?");
}

function paint(window: Window, font: Font | null, text: string): void {
  const surface = window.surface;
  surface.fill(surface.bounds, BACKGROUND);
  // The line's end, as much as fits.
  if (font != null) {
    let shown = text;
    while (shown.length > 0 && font.measure(shown) > surface.width - 8) shown = shown.substring(1);
    font.draw(surface, 4, 4, shown, INK, new Rect(0, 0, surface.width, surface.height));
  }
  window.changedAll();
}

export function _start(): void {
  const font = readFont();
  const window = new Window(1, 480, 28, "Echo");
  if (window.error < 0) { line("cannot make the window's surface: error " + window.error.toString()); componentExit(1); }
  const killer = new NamedConnection(KILLER_PATH);
  let text = "";
  let lines: i64 = 0;
  paint(window, font, text);
  while (true) {
    const count = window.show(WINDOW_WAIT_FOREVER);
    if (count < 0) { line("window.show: error " + count.toString()); componentExit(1); }
    let changed = false;
    for (let i: u32 = 0; i < <u32>count; i++) {
      const event = window.event(i);
      if (event.kind == WINDOW_EVENT_CLOSE) { window.close(); componentExit(0); }
      if (event.kind != WINDOW_EVENT_KEY || (event.value != INPUT_PRESSED && event.value != INPUT_REPEATED)) continue;
      if ((event.text & INPUT_TEXT_MASK) == NEWLINE) {
        lines++;
        line("line " + lines.toString() + ": " + text);
        killer.pulse(PULSE_LINE, lines);
        text = "";
      } else {
        text += spell(event.text);
      }
      changed = true;
    }
    if (changed) paint(window, font, text);
  }
}
