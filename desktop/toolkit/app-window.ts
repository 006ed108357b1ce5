// A window of toolkit widgets, as the desktop's apps open it: the glyph
// atlas read from the payload, the window (desktop/lib/window.ts), its root
// widget with the desktop's clipboard, and the parts of the event loop
// every such app has — repainting the damage and telling the window,
// delivering input, and a resize: a new surface for the root, all of it
// damaged, after which the app lays its widgets out again.

import { errorName } from "../../ipc/generated/index";
import { WINDOW_EVENT_RESIZE, WindowEvent } from "../../ipc/generated/abi";
import { log } from "../../sdk/lib/log";
import { readFontFile } from "../lib/font-file";
import { Window } from "../lib/window";
import { ClipboardConnection } from "./clipboard-client";
import { Root } from "./root";
import { Theme } from "./theme";
import { WindowInput } from "./window-events";

export class AppWindow {
  readonly input: WindowInput = new WindowInput();

  constructor(readonly window: Window, readonly root: Root) {}

  /** A window of width × height titled `title` with the atlas at payload `fontPath`, or null (told on the console as `app`'s). */
  static open(app: string, fontPath: string, width: i32, height: i32, title: string): AppWindow | null {
    const font = readFontFile(fontPath);
    if (font == null) return null;
    const window = new Window(1, width, height, title);
    if (window.error < 0) { log(app + ": cannot make the window's surface: " + errorName(window.error)); return null; }
    return new AppWindow(window, new Root(window.surface, new Theme(font), new ClipboardConnection()));
  }

  /** Draws the damaged widgets and tells the window what changed. */
  repaint(): void {
    const drawn = this.root.repaint();
    for (let i = 0; i < drawn.length; i++) this.window.changed(drawn[i]);
  }

  /**
   * A resize event makes the window the size asked for and gives the root
   * the new surface: true when it did (the app then lays its widgets out
   * for `window.width` × `window.height`); false for other events, or when
   * the surface could not be made (the window keeps its size).
   */
  resized(event: WindowEvent): bool {
    if (event.kind != WINDOW_EVENT_RESIZE) return false;
    if (this.window.resize(<i32>event.code, <i32>event.value) < 0) return false;
    const root = this.root;
    root.surface = this.window.surface;
    root.bounds = this.window.surface.bounds;
    root.damaged(root.bounds);
    return true;
  }
}
