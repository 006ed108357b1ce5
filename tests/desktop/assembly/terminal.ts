// Test program for the terminal core (desktop/terminal), run in V8 by
// tests/desktop/terminal.test.ts: the host feeds byte streams, reads the
// grid, the scrollback and the replies back, and has the view draw into a
// surface whose pixels it compares with its own layout of the same atlas.

import { Rect, Surface } from "../../../desktop/lib/surface";
import { Font } from "../../../desktop/lib/text";
import { resolveColour } from "../../../desktop/terminal/palette";
import { Terminal } from "../../../desktop/terminal/terminal";
import { TerminalView } from "../../../desktop/terminal/view";
import { keyBytes } from "../../../desktop/terminal/keyboard";
import { INPUT_EVENT_SIZE, InputEvent } from "../../../ipc/generated/abi";

let font: Font | null = null;
let terminal = new Terminal(1, 1);
let view: TerminalView | null = null;
let damage = new Rect();

export function allocate(bytes: u32): usize { return heap.alloc(bytes); }
export function openFont(data: usize, length: u32): i32 { font = Font.open(data, length); return font != null ? 1 : 0; }

export function newTerminal(columns: i32, rows: i32, scrollback: i32): void { terminal = new Terminal(columns, rows, scrollback); view = null; }
export function feed(bytes: usize, length: u32): void { terminal.write(bytes, length); }
export function lineText(y: i32): string { return terminal.text(y); }
export function scrollbackLength(): i32 { return terminal.screen.scrollback.length; }
export function scrollbackText(index: i32): string { return terminal.screen.scrollback[index].text(); }
export function cursorX(): i32 { return terminal.cursorX; }
export function cursorY(): i32 { return terminal.cursorY; }
export function cursorVisible(): i32 { return terminal.cursorVisible ? 1 : 0; }
export function cellCharacter(x: i32, y: i32): u32 { return terminal.line(y).characters[x]; }
export function cellFlags(x: i32, y: i32): u32 { return terminal.line(y).flags[x]; }
/** The 0xRRGGBB the cell's foreground draws as (bold brightens the basic eight). */
export function cellForeground(x: i32, y: i32): u32 {
  const line = terminal.line(y);
  return resolveColour(line.foregrounds[x], true, (line.flags[x] & 1) != 0);
}
export function cellBackground(x: i32, y: i32): u32 { return resolveColour(terminal.line(y).backgrounds[x], false, false); }
export function replies(): string {
  let text = "";
  for (let i = 0; i < terminal.replies.length; i++) text += String.fromCharCode(terminal.replies[i]);
  terminal.replies.length = 0;
  return text;
}

/** A view of the terminal on a new surface of `width` × `height` pixels filled with `colour`; its pixels' address. */
export function newView(width: i32, height: i32, colour: u32, originX: i32, originY: i32): usize {
  const surface = Surface.allocate(width, height);
  surface.fill(surface.bounds, colour);
  view = new TerminalView(terminal, font!, surface, originX, originY);
  return surface.pixels;
}
export function cellWidth(): i32 { return view!.cellWidth; }
export function cellHeight(): i32 { return view!.cellHeight; }
export function render(): void { damage = view!.render(); }
export function scrollView(lines: i32): void { view!.scrollBy(lines); }
export function setFocused(focused: i32): void { view!.focused = focused != 0; }
export function damageX(): i32 { return damage.x; }
export function damageY(): i32 { return damage.y; }
export function damageWidth(): i32 { return damage.width; }
export function damageHeight(): i32 { return damage.height; }

const event = changetype<InputEvent>(heap.alloc(INPUT_EVENT_SIZE));
/** The bytes the terminal sends for an inputEvent of these fields. */
export function bytesOfKey(kind: u32, code: u32, value: u32, text: u32): string {
  event.kind = kind;
  event.code = code;
  event.value = value;
  event.text = text;
  return keyBytes(event);
}

export function resize(columns: i32, rows: i32): void { terminal.resize(columns, rows); }
/** Selects from cell (anchorColumn, anchorRow) to (headColumn, headRow) of the view's rows; the selection's text. */
export function select(anchorColumn: i32, anchorRow: i32, headColumn: i32, headRow: i32): string {
  const selection = view!.selection;
  selection.start(view!.historyRowAt(anchorRow), anchorColumn);
  selection.extend(view!.historyRowAt(headRow), headColumn);
  view!.invalidate();
  return selection.text(terminal.screen);
}
export function clearSelection(): void { view!.selection.clear(); view!.invalidate(); }
