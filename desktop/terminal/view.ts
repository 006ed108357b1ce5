// Draws a terminal's grid into a surface with a monospace font: each cell
// a rectangle of its background with its character's glyph clipped to it,
// the cursor as the cell's colours swapped. Only dirty cells are drawn
// (and the cells the cursor left and entered), and `render` says which
// rectangle changed, for the window's damage.
//
// The view can look back into the scrollback (`scrollBy`): it then shows
// history lines above the screen's and draws them all whenever anything
// changed, since the lines it shows move as output arrives.

import { Rect, Surface } from "../lib/surface";
import { Font } from "../lib/text";
import { resolveColour } from "./palette";
import { FLAG_BOLD, FLAG_INVERSE, FLAG_UNDERLINE, Line } from "./screen";
import { Selection, historyRow } from "./selection";
import { Terminal } from "./terminal";

/** The width of a cell drawn with `font` (monospace: the advance of M, rounded up); its height is the font's line height. */
export function cellWidth(font: Font): i32 { return (font.advanceOf(0x4d) + 63) >> 6; }

export class TerminalView {
  readonly cellWidth: i32;
  readonly cellHeight: i32;
  /** Lines of history shown above the screen's top (0: the live screen). */
  scrollOffset: i32 = 0;
  /** The cursor is drawn (the window has the keyboard focus). */
  focused: bool = true;
  /** Text selected with the pointer, drawn with its colours swapped. */
  readonly selection: Selection = new Selection();

  private drawnCursorX: i32 = -1;
  private drawnCursorY: i32 = -1;
  private drawnScrollback: i32 = -1;
  private drawnDropped: i64 = -1;
  private everything: bool = true;

  constructor(readonly terminal: Terminal, readonly font: Font, readonly surface: Surface, readonly originX: i32 = 0, readonly originY: i32 = 0) {
    this.cellWidth = cellWidth(font);
    this.cellHeight = font.lineHeight;
  }

  /** The rectangle of cell (column, row). */
  cellRect(column: i32, row: i32): Rect {
    return new Rect(this.originX + column * this.cellWidth, this.originY + row * this.cellHeight, this.cellWidth, this.cellHeight);
  }

  /** Looks `lines` further back into the scrollback (negative: towards the live screen), within what there is. */
  scrollBy(lines: i32): void {
    const offset = max(0, min(this.scrollOffset + lines, this.terminal.screen.scrollback.length));
    if (offset != this.scrollOffset) { this.scrollOffset = offset; this.everything = true; }
  }

  /** The history row (selection.ts) shown on row `row` of the view. */
  historyRowAt(row: i32): i64 {
    return historyRow(this.terminal.screen, row) - <i64>this.scrollOffset;
  }

  /** The cell under pixel (x, y) of the surface, kept inside the grid: its column, and its row in the view. */
  columnAt(x: i32): i32 { return max(0, min((x - this.originX) / this.cellWidth, this.terminal.columns - 1)); }
  rowAt(y: i32): i32 { return max(0, min((y - this.originY) / this.cellHeight, this.terminal.rows - 1)); }

  /** Everything is drawn at the next render (the surface was drawn over). */
  invalidate(): void { this.everything = true; }

  /** Draws what changed since the last render; returns the rectangle drawn (empty: nothing). */
  render(): Rect {
    const terminal = this.terminal;
    const screen = terminal.screen;
    // Scrolled back, the lines shown move whenever anything changes: draw them all.
    if (this.scrollOffset > 0 && (screen.scrollback.length != this.drawnScrollback || screen.dropped != this.drawnDropped || this.anyDirty())) {
      this.everything = true;
    }
    const cursorX = this.cursorShown() ? terminal.cursorX : -1;
    const cursorY = this.cursorShown() ? terminal.cursorY : -1;
    const moved = cursorX != this.drawnCursorX || cursorY != this.drawnCursorY;
    let damage = new Rect();
    const selection = this.selection;
    for (let row = 0; row < terminal.rows; row++) {
      const line = this.shownLine(row);
      const rowInHistory = this.historyRowAt(row);
      const cursorRow = moved && (row == this.drawnCursorY || row == cursorY);
      if (!this.everything && !cursorRow && !line.anyDirty) continue;
      for (let column = 0; column < terminal.columns; column++) {
        const cursorHere = column == cursorX && row == cursorY;
        const cursorWas = column == this.drawnCursorX && row == this.drawnCursorY;
        if (!this.everything && !unchecked(line.dirty[column]) && !(moved && (cursorHere || cursorWas))) continue;
        this.drawCell(line, column, row, cursorHere != selection.contains(rowInHistory, column));
        damage = damage.union(this.cellRect(column, row));
      }
    }
    for (let row = 0; row < terminal.rows; row++) terminal.line(row).clearDirty();
    this.drawnCursorX = cursorX;
    this.drawnCursorY = cursorY;
    this.drawnScrollback = screen.scrollback.length;
    this.drawnDropped = screen.dropped;
    this.everything = false;
    return damage;
  }

  private cursorShown(): bool {
    return this.focused && this.terminal.cursorVisible && this.scrollOffset == 0;
  }

  private anyDirty(): bool {
    for (let row = 0; row < this.terminal.rows; row++) if (this.terminal.line(row).anyDirty) return true;
    return false;
  }

  /** The line shown on row `row`: history while scrolled back, else the screen's. */
  private shownLine(row: i32): Line {
    const screen = this.terminal.screen;
    const index = row - this.scrollOffset;
    if (index >= 0) return screen.line(index);
    return screen.scrollback[screen.scrollback.length + index];
  }

  /** Draws a cell; `swapped`: its colours swapped (the cursor, or selected). */
  private drawCell(line: Line, column: i32, row: i32, swapped: bool): void {
    const flags = unchecked(line.flags[column]);
    const bold = (flags & FLAG_BOLD) != 0;
    let foreground = resolveColour(unchecked(line.foregrounds[column]), true, bold);
    let background = resolveColour(unchecked(line.backgrounds[column]), false, false);
    if (((flags & FLAG_INVERSE) != 0) != swapped) {
      const swap = foreground;
      foreground = background;
      background = swap;
    }
    const rect = this.cellRect(column, row);
    this.surface.fill(rect, background);
    const character = unchecked(line.characters[column]);
    if (character != 32) this.font.draw(this.surface, rect.x, rect.y, String.fromCodePoint(<i32>character), foreground, rect);
    if ((flags & FLAG_UNDERLINE) != 0) this.surface.fill(new Rect(rect.x, rect.y + this.font.ascent + 1, rect.width, 1), foreground);
  }
}
