// swatch: a window of colour swatches. Its colours follow from its
// component id and the palette chosen by a digit key (1-9), so that two
// instances look different and the same instance always draws the same
// picture for the same palette; a click leaves a white dot where it
// landed. It answers the window manager: a resize asked for is made, a
// close asked for closes the window and ends the app.

import "../../../sdk/lib/abort";
import { componentExit, componentSelf } from "../../../ipc/generated/system";
import {
  INPUT_PRESSED, INPUT_TEXT_MASK, WINDOW_EVENT_BUTTON, WINDOW_EVENT_CLOSE, WINDOW_EVENT_KEY, WINDOW_EVENT_RESIZE,
  WINDOW_WAIT_FOREVER,
} from "../../../ipc/generated/abi";
import { log } from "../../../sdk/lib/log";
import { Rect, rgb } from "../../lib/surface";
import { Window } from "../../lib/window";

const COLUMNS: i32 = 4;
const ROWS: i32 = 3;

/** The swatch at (column, row) of `palette` for the app with `seed`. */
function swatch(seed: u32, palette: u32, column: i32, row: i32): u32 {
  const base = (seed * 0x9e3779b1) ^ (palette * 0x85ebca6b);
  const index = <u32>(row * COLUMNS + column);
  return rgb((base >> 16) + index * 40, (base >> 8) + index * 17 + palette * 30, base + index * 90);
}

function paint(window: Window, seed: u32, palette: u32): void {
  const surface = window.surface;
  const width = surface.width / COLUMNS, height = surface.height / ROWS;
  surface.fill(surface.bounds, 0x202020);
  for (let row = 0; row < ROWS; row++) {
    for (let column = 0; column < COLUMNS; column++) {
      surface.fill(new Rect(column * width + 2, row * height + 2, width - 4, height - 4), swatch(seed, palette, column, row));
    }
  }
  window.changedAll();
}

export function _start(): void {
  const seed = <u32>componentSelf();
  const window = new Window(1, 240, 150, "Swatch " + seed.toString());
  if (window.error < 0) { log("cannot make the window's surface: error " + window.error.toString()); componentExit(1); }
  let palette: u32 = 1;
  paint(window, seed, palette);
  while (true) {
    const count = window.show(WINDOW_WAIT_FOREVER);
    if (count < 0) { log("window.show: error " + count.toString()); componentExit(1); }
    for (let i: u32 = 0; i < <u32>count; i++) {
      const event = window.event(i);
      if (event.kind == WINDOW_EVENT_CLOSE) {
        window.close();
        componentExit(0);
      } else if (event.kind == WINDOW_EVENT_KEY && event.value == INPUT_PRESSED) {
        const character = event.text & INPUT_TEXT_MASK;
        if (character >= 0x31 && character <= 0x39) { palette = character - 0x30; paint(window, seed, palette); }
      } else if (event.kind == WINDOW_EVENT_BUTTON && event.value == INPUT_PRESSED) {
        const dot = new Rect(event.x - 2, event.y - 2, 5, 5);
        window.surface.fill(dot, 0xffffff);
        window.changed(dot);
      } else if (event.kind == WINDOW_EVENT_RESIZE) {
        if (window.resize(<i32>event.code, <i32>event.value) == 0) paint(window, seed, palette);
      }
    }
  }
}
