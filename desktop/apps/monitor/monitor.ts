// The system monitor's window: the monitor's view (desktop/monitor/view.ts,
// toolkit widgets) over the window's surface, a new sample of every running
// component each second, and the buttons acting through init
// (desktop/monitor/actions.ts). The window waits for events until the next
// sample is due, so a second passes between samples whatever the user does.
// A resize is made: the view lays its widgets out again for the new size
// (the list takes the height, the path field the width).

import "../../../sdk/lib/abort";
import { clockNow, componentExit, errorName } from "../../../ipc/generated/index";
import { WINDOW_EVENT_CLOSE } from "../../../ipc/generated/abi";
import { log } from "../../../sdk/lib/log";
import { InitActions } from "../../monitor/actions";
import { Sampler } from "../../monitor/sampler";
import { MonitorView } from "../../monitor/view";
import { AppWindow } from "../../toolkit/app-window";

const FONT_PATH = "fonts/mono-14.atlas";
const WIDTH: i32 = 800;
const HEIGHT: i32 = 420;
const SAMPLE_NANOSECONDS: i64 = 1_000_000_000;

export function _start(): void {
  const app = AppWindow.open("monitor", FONT_PATH, WIDTH, HEIGHT, "System monitor");
  if (app == null) { componentExit(1); return; }
  const window = app.window;
  const sampler = new Sampler();
  const view = new MonitorView(app.root, new InitActions(sampler));
  let next = clockNow();
  while (true) {
    const now = clockNow();
    if (now >= next) {
      const rows = sampler.sample();
      if (rows != null) view.update(rows);
      else view.status.text = "Cannot sample the system: " + errorName(sampler.error);
      next = max(next + SAMPLE_NANOSECONDS, now + 1);
    }
    app.repaint();
    const wait = <u32>max<i64>(1, (next - clockNow() + 999_999) / 1_000_000);
    const count = window.show(wait);
    if (count < 0) { log("monitor: window.show: " + errorName(count)); componentExit(1); }
    for (let i: u32 = 0; i < <u32>count; i++) {
      const event = window.event(i);
      if (event.kind == WINDOW_EVENT_CLOSE) { window.close(); componentExit(0); }
      if (app.resized(event)) { view.layout(window.width, window.height); continue; }
      app.input.deliver(event, app.root);
    }
  }
}
