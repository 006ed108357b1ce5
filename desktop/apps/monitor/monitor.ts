// The system monitor's window: the monitor's view (desktop/monitor/view.ts,
// toolkit widgets) over the window's surface, a new sample of every running
// component each second, and the buttons acting through init
// (desktop/monitor/actions.ts). The window waits for events until the next
// sample is due, so a second passes between samples whatever the user does.
// Its layout is fixed: a resize asked for is not made.

import "../../../sdk/lib/abort";
import { clockNow, componentExit, errorName } from "../../../ipc/generated/index";
import { WINDOW_EVENT_CLOSE } from "../../../ipc/generated/abi";
import { log } from "../../../sdk/lib/log";
import { readFontFile } from "../../lib/font-file";
import { Window } from "../../lib/window";
import { InitActions } from "../../monitor/actions";
import { Sampler } from "../../monitor/sampler";
import { MonitorView } from "../../monitor/view";
import { ClipboardConnection } from "../../toolkit/clipboard-client";
import { Root } from "../../toolkit/root";
import { Theme } from "../../toolkit/theme";
import { WindowInput } from "../../toolkit/window-events";

const FONT_PATH = "fonts/mono-14.atlas";
const WIDTH: i32 = 800;
const HEIGHT: i32 = 420;
const SAMPLE_NANOSECONDS: i64 = 1_000_000_000;

export function _start(): void {
  const font = readFontFile(FONT_PATH);
  if (font == null) { componentExit(1); return; }
  const window = new Window(1, WIDTH, HEIGHT, "System monitor");
  if (window.error < 0) { log("monitor: cannot make the window's surface: " + errorName(window.error)); componentExit(1); }
  const root = new Root(window.surface, new Theme(font!), new ClipboardConnection());
  const sampler = new Sampler();
  const view = new MonitorView(root, new InitActions(sampler));
  const input = new WindowInput();
  let next = clockNow();
  while (true) {
    const now = clockNow();
    if (now >= next) {
      const rows = sampler.sample();
      if (rows != null) view.update(rows);
      else view.status.text = "Cannot sample the system: " + errorName(sampler.error);
      next = max(next + SAMPLE_NANOSECONDS, now + 1);
    }
    const drawn = root.repaint();
    for (let i = 0; i < drawn.length; i++) window.changed(drawn[i]);
    const wait = <u32>max<i64>(1, (next - clockNow() + 999_999) / 1_000_000);
    const count = window.show(wait);
    if (count < 0) { log("monitor: window.show: " + errorName(count)); componentExit(1); }
    for (let i: u32 = 0; i < <u32>count; i++) {
      const event = window.event(i);
      if (event.kind == WINDOW_EVENT_CLOSE) { window.close(); componentExit(0); }
      input.deliver(event, root);
    }
  }
}
