// The terminal window: the terminal emulator's core (desktop/terminal) in a
// window, drawn with the monospace glyph atlas. Keys become the bytes a
// VT100 sends and go to the shell (/desktop/shell) with the session this
// app holds, and the shell's output is written on the grid; so the shell can
// be restarted or replaced between any two keys, and the compositor too
// (the window library re-sends the window's declaration).
//
// The window's content is the grid and nothing else: a resize asked for is
// answered with the largest whole number of cells that fits. The wheel and
// Shift+PgUp/PgDn look back into the scrollback; dragging with the left
// button selects text, Ctrl+Shift+C copies it to the clipboard server,
// Ctrl+Shift+V and the middle button paste its text as if typed.
//
// The first declaration of the window already shows the shell's banner and
// prompt, and is sent only once the shell answered: the compositor's
// `desktop: ready` (desktop/README.md) comes when that declaration is on the
// screen and held, that is when the prompt takes keys.

import "../../../sdk/lib/abort";
import { componentExit } from "../../../ipc/generated/system";
import {
  INPUT_BUTTON_LEFT, INPUT_BUTTON_MIDDLE, INPUT_PRESSED, INPUT_RELEASED, WINDOW_EVENT_BUTTON, WINDOW_EVENT_CLOSE,
  WINDOW_EVENT_FOCUS, WINDOW_EVENT_KEY, WINDOW_EVENT_POINTER, WINDOW_EVENT_RESIZE, WINDOW_EVENT_WHEEL, WINDOW_WAIT_FOREVER, WindowEvent,
} from "../../../ipc/generated/abi";
import { errorName } from "../../../ipc/generated/index";
import { log } from "../../../sdk/lib/log";
import { readFontFile } from "../../lib/font-file";
import { Font } from "../../lib/text";
import { Window } from "../../lib/window";
import { ShellClient } from "../../terminal/shell-client";
import { Terminal } from "../../terminal/terminal";
import { TerminalView, cellWidth } from "../../terminal/view";
import { keyBytes } from "../../terminal/keyboard";
import { ClipboardConnection } from "../../toolkit/clipboard-client";
import { KEY_PAGE_DOWN, KEY_PAGE_UP, Key, letterKey } from "../../toolkit/keys";
import { WindowInput } from "../../toolkit/window-events";

const FONT_PATH = "fonts/mono-14.atlas";
const COLUMNS: i32 = 100;
const ROWS: i32 = 24;
/** Lines the wheel scrolls per step. */
const WHEEL_LINES: i32 = 3;
const TITLE = "Terminal";

class TerminalWindow {
  readonly clipboard: ClipboardConnection = new ClipboardConnection();
  readonly input: WindowInput = new WindowInput();
  /** The left button is held: a selection is being dragged. */
  selecting: bool = false;
  /** Bytes typed during the events of one reply, sent to the shell together. */
  typed: string = "";

  constructor(readonly font: Font, readonly terminal: Terminal, readonly shell: ShellClient, readonly window: Window, public view: TerminalView) {}

  /** A terminal of COLUMNS × ROWS cells, its window and its session with the shell. */
  static open(font: Font): TerminalWindow {
    const terminal = new Terminal(COLUMNS, ROWS);
    const window = new Window(1, COLUMNS * cellWidth(font), ROWS * font.lineHeight, TITLE);
    return new TerminalWindow(font, terminal, new ShellClient(terminal), window, new TerminalView(terminal, font, window.surface));
  }

  /**
   * Sends what was typed (and what the terminal answers, DSR and DA) to the
   * shell, if anything, or `always`; its output goes on the grid.
   */
  flush(always: bool = false): void {
    const replies = this.terminal.replies;
    let input = this.typed;
    this.typed = "";
    if (replies.length > 0) {
      const bytes = new Uint8Array(replies.length);
      for (let i = 0; i < replies.length; i++) bytes[i] = replies[i];
      replies.length = 0;
      input += String.UTF8.decode(bytes.buffer);
    }
    if (input.length == 0 && !always) return;
    this.shell.send(input);
    if (this.shell.status != 0) {
      this.terminal.writeString("\r\n[the shell did not answer: " + errorName(this.shell.status) + "]\r\n");
    }
    if (this.view.selection.active) this.view.invalidate();
  }

  /** Draws what changed and tells the window. */
  render(): void {
    const damage = this.view.render();
    if (!damage.isEmpty) this.window.changed(damage);
  }

  /** Text as if typed: line ends as Enter sends them. */
  paste(text: string): void {
    this.typed += text.replaceAll("\r\n", "\r").replaceAll("\n", "\r");
  }

  key(event: WindowEvent): void {
    if (event.value == INPUT_RELEASED) return;
    const key = new Key(event.code, event.text);
    if (key.shift && !key.control && (key.code == KEY_PAGE_UP || key.code == KEY_PAGE_DOWN)) {
      this.view.scrollBy((key.code == KEY_PAGE_UP ? 1 : -1) * max(1, this.terminal.rows / 2));
      return;
    }
    if (key.control && key.shift && key.code == letterKey(0x63)) { // Ctrl+Shift+C
      if (this.view.selection.active) this.clipboard.write(this.view.selection.text(this.terminal.screen));
      return;
    }
    if (key.control && key.shift && key.code == letterKey(0x76)) { // Ctrl+Shift+V
      this.paste(this.clipboard.read());
      return;
    }
    const bytes = keyBytes(this.input.key(event)!);
    if (bytes.length == 0) return;
    // Typing shows the live screen again.
    this.view.scrollBy(-this.view.scrollOffset);
    this.typed += bytes;
  }

  pointer(event: WindowEvent): void {
    const view = this.view;
    const row = view.historyRowAt(view.rowAt(event.y)), column = view.columnAt(event.x);
    if (event.kind == WINDOW_EVENT_BUTTON && event.code == INPUT_BUTTON_LEFT) {
      if (event.value == INPUT_PRESSED) {
        if (view.selection.active) view.invalidate();
        view.selection.start(row, column);
        this.selecting = true;
      } else {
        this.selecting = false;
      }
    } else if (event.kind == WINDOW_EVENT_BUTTON && event.code == INPUT_BUTTON_MIDDLE && event.value == INPUT_PRESSED) {
      this.paste(this.clipboard.read());
    } else if (event.kind == WINDOW_EVENT_POINTER && this.selecting) {
      if (view.selection.extend(row, column)) view.invalidate();
    }
  }

  /** The window was given another size: the grid takes as many whole cells as fit. */
  resize(width: i32, height: i32): void {
    const columns = max(1, width / this.view.cellWidth), rows = max(1, height / this.view.cellHeight);
    if (this.window.resize(columns * this.view.cellWidth, rows * this.view.cellHeight) < 0) return;
    this.terminal.resize(columns, rows);
    const scrollOffset = this.view.scrollOffset;
    const selection = this.view.selection;
    this.view = new TerminalView(this.terminal, this.font, this.window.surface);
    this.view.scrollBy(scrollOffset);
    this.view.selection.start(selection.anchorRow, selection.anchorColumn);
    if (selection.active) this.view.selection.extend(selection.headRow, selection.headColumn);
  }

  handle(event: WindowEvent): void {
    const kind = event.kind;
    if (kind == WINDOW_EVENT_KEY) this.key(event);
    else if (kind == WINDOW_EVENT_POINTER || kind == WINDOW_EVENT_BUTTON) this.pointer(event);
    else if (kind == WINDOW_EVENT_WHEEL && event.code == 0) this.view.scrollBy(<i32>event.value * WHEEL_LINES);
    else if (kind == WINDOW_EVENT_FOCUS) this.view.focused = event.code == 1;
    else if (kind == WINDOW_EVENT_RESIZE) this.resize(<i32>event.code, <i32>event.value);
    else if (kind == WINDOW_EVENT_CLOSE) { this.window.close(); componentExit(0); }
  }
}

export function _start(): void {
  const font = readFontFile(FONT_PATH);
  if (font == null) { componentExit(1); return; }
  const app = TerminalWindow.open(font!);
  if (app.window.error < 0) { log("terminal: cannot make the window's surface: " + errorName(app.window.error)); componentExit(1); }
  // The banner and the first prompt, drawn before the window is first declared.
  app.flush(true);
  app.render();
  while (true) {
    const count = app.window.show(WINDOW_WAIT_FOREVER);
    if (count < 0) { log("terminal: window.show: " + errorName(count)); componentExit(1); }
    for (let i: u32 = 0; i < <u32>count; i++) app.handle(app.window.event(i));
    app.flush();
    app.render();
  }
}
