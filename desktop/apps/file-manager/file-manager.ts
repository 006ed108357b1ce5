// The file manager's window: the file manager's view (view.ts) over a
// window, the file server through its client library (browser.ts), files
// opened in the editor (opener.ts). Like the editor it survives a restart
// of the file server (the library re-sends) and of the compositor (the
// window library re-sends), and relays out on a resize.

import "../../../sdk/lib/abort";
import { componentExit, errorName } from "../../../ipc/generated/index";
import { INPUT_RELEASED, WINDOW_EVENT_CLOSE, WINDOW_EVENT_KEY, WINDOW_WAIT_FOREVER } from "../../../ipc/generated/abi";
import { log } from "../../../sdk/lib/log";
import { FilesClient } from "../../../sdk/lib/files";
import { AppWindow } from "../../toolkit/app-window";
import { Key } from "../../toolkit/keys";
import { filesServer } from "../../lib/home";
import { Browser } from "./browser";
import { EditorOpener } from "./opener";
import { FileManagerView } from "./view";

const FONT_PATH = "fonts/mono-14.atlas";
const WIDTH: i32 = 720;
const HEIGHT: i32 = 420;

export function _start(): void {
  const app = AppWindow.open("file-manager", FONT_PATH, WIDTH, HEIGHT, "Files");
  if (app == null) { componentExit(1); return; }
  const window = app.window;
  const view = new FileManagerView(app.root, new Browser(new FilesClient(filesServer())), new EditorOpener());
  view.refresh();
  while (true) {
    app.repaint();
    const count = window.show(WINDOW_WAIT_FOREVER);
    if (count < 0) { log("file-manager: window.show: " + errorName(count)); componentExit(1); }
    for (let i: u32 = 0; i < <u32>count; i++) {
      const event = window.event(i);
      if (event.kind == WINDOW_EVENT_CLOSE) { window.close(); componentExit(0); }
      if (app.resized(event)) { view.layout(window.width, window.height); continue; }
      if (event.kind == WINDOW_EVENT_KEY && event.value != INPUT_RELEASED && view.shortcut(new Key(event.code, event.text))) continue;
      app.input.deliver(event, app.root);
    }
  }
}
