// The installer window: the installer's view (view.ts) over a window, the
// installer (servers/install) through its protocol (client.ts). While an
// installation runs, the window waits for events at most POLL_MS, then asks
// the installer how far it is; otherwise it waits for events.

import "../../../sdk/lib/abort";
import { componentExit, errorName } from "../../../ipc/generated/index";
import { WINDOW_EVENT_CLOSE, WINDOW_WAIT_FOREVER } from "../../../ipc/generated/abi";
import { log } from "../../../sdk/lib/log";
import { AppWindow } from "../../toolkit/app-window";
import { InstallerConnection } from "./client";
import { InstallerView } from "./view";

const FONT_PATH = "fonts/mono-14.atlas";
const WIDTH: i32 = 640;
const HEIGHT: i32 = 360;
/** How often a running installation's progress is asked for. */
const POLL_MS: u32 = 250;

export function _start(): void {
  const app = AppWindow.open("installer", FONT_PATH, WIDTH, HEIGHT, "Installer");
  if (app == null) { componentExit(1); return; }
  const window = app.window;
  const view = new InstallerView(app.root, new InstallerConnection());
  view.refresh();
  while (true) {
    app.repaint();
    const count = window.show(view.running ? POLL_MS : WINDOW_WAIT_FOREVER);
    if (count < 0) { log("installer: window.show: " + errorName(count)); componentExit(1); }
    for (let i: u32 = 0; i < <u32>count; i++) {
      const event = window.event(i);
      if (event.kind == WINDOW_EVENT_CLOSE) { window.close(); componentExit(0); }
      if (app.resized(event)) { view.layout(window.width, window.height); continue; }
      app.input.deliver(event, app.root);
    }
    view.poll();
  }
}
