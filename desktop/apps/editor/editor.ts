// The text editor's window: the editor's view (view.ts) over a window,
// its files through the file server's client library (document.ts). The
// file server can be restarted between any two requests (the library
// re-sends them) and the compositor at any time (the window library
// re-sends the window's declaration); the text, its undo history and the
// session live here.
//
// The window relays out on a resize: the text takes the room the two rows
// of controls leave.
//
// A second thread serves /desktop/editor/ID (protocol.ts): a program that
// started the editor asks it there to open a file. The request is handed
// to the window's thread, which waits for window events a short while at
// a time during the first seconds, when such a request comes, and without
// a limit after; a request later still is taken with the next event.

import "../../../sdk/lib/abort";
import { clockNow, componentExit, componentSelf, errorName, threadCreate, threadPriority } from "../../../ipc/generated/index";
import { Server } from "../../../ipc/client/index";
import { INPUT_RELEASED, WINDOW_EVENT_CLOSE, WINDOW_EVENT_KEY, WINDOW_WAIT_FOREVER } from "../../../ipc/generated/abi";
import { log } from "../../../sdk/lib/log";
import { FilesClient } from "../../../sdk/lib/files";
import { AppWindow } from "../../toolkit/app-window";
import { Key } from "../../toolkit/keys";
import { filesServer } from "../../lib/home";
import { TextFiles } from "./document";
import { EditorView } from "./view";
import { EDITOR_ERROR_PATH_TOO_LONG, EDITOR_PATH } from "./generated/protocols/editor";
import { EditorHandlers, EDITOR_SERVER_BUFFER_MINIMUM, serveEditor } from "./generated/servers/editor";

const FONT_PATH = "fonts/mono-14.atlas";
const WIDTH: i32 = 640;
const HEIGHT: i32 = 440;
/** The longest path an open request may carry, in bytes. */
const OPEN_PATH_MAXIMUM: u32 = 1024;
/** How long after the start open requests are looked for often, and how often. */
const STARTER_NANOSECONDS: i64 = 30_000_000_000;
const STARTER_POLL_MILLISECONDS: u32 = 100;

/** The path the open server was last asked for, waiting for the window's thread (length 0: none). */
const requestedPath: usize = heap.alloc(OPEN_PATH_MAXIMUM);
let requestedLength: u32 = 0;

class OpenServer extends EditorHandlers {
  open(path: usize, pathLength: u32): i32 {
    if (pathLength > OPEN_PATH_MAXIMUM) return EDITOR_ERROR_PATH_TOO_LONG;
    // The component's threads run one at a time (docs/kernel.md): no torn hand-over.
    memory.copy(requestedPath, path, pathLength);
    requestedLength = pathLength;
    return 0;
  }
}

function serveOpenThread(channel: u32): void {
  const failed = serveEditor(new OpenServer(), channel, EDITOR_SERVER_BUFFER_MINIMUM + OPEN_PATH_MAXIMUM);
  log("editor: serving open requests ended: " + errorName(failed));
}

/** Registers /desktop/editor/ID and serves it on a thread of its own: false when it cannot. */
function startOpenServer(): bool {
  const server = new Server(EDITOR_PATH + "/" + componentSelf().toString());
  if (!server.isServing) { log("editor: cannot serve " + server.path + ": " + errorName(server.error)); return false; }
  const thread = threadCreate(<u32>serveOpenThread.index, <u32>server.channel, threadPriority());
  if (thread < 0) { log("editor: cannot start the open server's thread: " + errorName(thread)); return false; }
  return true;
}

export function _start(): void {
  const app = AppWindow.open("editor", FONT_PATH, WIDTH, HEIGHT, "Editor");
  if (app == null) { componentExit(1); return; }
  const window = app.window;
  const view = new EditorView(app.root, new TextFiles(new FilesClient(filesServer())));
  const started = clockNow();
  const serving = startOpenServer();
  let title = "";
  while (true) {
    if (requestedLength > 0) {
      const path = String.UTF8.decodeUnsafe(requestedPath, requestedLength);
      requestedLength = 0;
      view.path.setText(path);
      view.open(path);
    }
    if (view.title != title) { title = view.title; window.title = title; }
    app.repaint();
    const count = window.show(serving && clockNow() - started < STARTER_NANOSECONDS ? STARTER_POLL_MILLISECONDS : WINDOW_WAIT_FOREVER);
    if (count < 0) { log("editor: window.show: " + errorName(count)); componentExit(1); }
    for (let i: u32 = 0; i < <u32>count; i++) {
      const event = window.event(i);
      if (event.kind == WINDOW_EVENT_CLOSE) { window.close(); componentExit(0); }
      if (app.resized(event)) { view.layout(window.width, window.height); continue; }
      if (event.kind == WINDOW_EVENT_KEY && event.value != INPUT_RELEASED && view.shortcut(new Key(event.code, event.text))) continue;
      app.input.deliver(event, app.root);
    }
  }
}
