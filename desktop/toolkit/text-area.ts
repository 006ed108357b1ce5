// A multi-line text area: the text (text-buffer.ts) with a caret and a
// selection, edited by keys — the cursor keys, Home and End (Control: the
// whole text's), Page Up and Page Down, Backspace and Delete across line
// ends, Enter, Tab when it inserts tabs — and by the pointer (a press puts
// the caret, dragging selects); Control-A/C/X/V with the window's
// clipboard, Control-Z undo and Control-Y (or Control-Shift-Z) redo. It
// scrolls itself, both ways, to keep the caret in view; the wheel scrolls
// it, and a bar on the right shows where the view is. `findNext` selects
// the next occurrence of a text, which is how a match is highlighted.
//
// A change repaints the lines it touched when nothing scrolled and no line
// was added or removed (typing on one line repaints that line), else the
// whole area.

import { Rect } from "../lib/surface";
import { nextCharacter, previousCharacter } from "./characters";
import {
  KEY_BACKSPACE, KEY_DELETE, KEY_DOWN, KEY_END, KEY_ENTER, KEY_HOME, KEY_LEFT, KEY_PAGE_DOWN, KEY_PAGE_UP, KEY_RIGHT, KEY_TAB, KEY_UP, Key,
} from "./keys";
import { Painter } from "./painter";
import { SCROLL_BAR_WIDTH } from "./scroll-view";
import { TextBuffer, TextPosition } from "./text-buffer";
import { PointerAction, Widget } from "./widget";

/** Lines the wheel scrolls a step. */
const WHEEL_LINES: i32 = 3;
/** Columns a tab stop is wide, when Tab inserts spaces. */
const TAB_WIDTH: i32 = 4;

export class TextArea extends Widget {
  readonly buffer: TextBuffer = new TextBuffer();
  /** Where the caret is; `anchor` is the selection's other end (equal: nothing selected). */
  caret: TextPosition = new TextPosition();
  anchor: TextPosition = new TextPosition();
  /** The first line shown, and the pixels scrolled off the left edge. */
  firstLine: i32 = 0;
  scrollX: i32 = 0;
  /** Tab inserts spaces up to the next tab stop instead of moving the focus. */
  insertsTabs: bool = false;
  /** The x the caret keeps across Up, Down, Page Up and Page Down (-1: its own). */
  private goalX: i32 = -1;
  private dragging: bool = false;

  constructor(text: string = "") {
    super();
    this.focusable = true;
    this.buffer.setText(text);
  }

  get text(): string { return this.buffer.text; }

  /** Replaces the text (a file opened): the caret at the start, the changes forgotten. */
  setText(text: string): void {
    this.buffer.setText(text);
    this.caret = this.buffer.start;
    this.anchor = this.buffer.start;
    this.firstLine = 0;
    this.scrollX = 0;
    this.goalX = -1;
    this.invalidate();
  }

  get hasSelection(): bool { return !this.caret.equals(this.anchor); }
  get selectionStart(): TextPosition { return this.caret.compare(this.anchor) <= 0 ? this.caret : this.anchor; }
  get selectionEnd(): TextPosition { return this.caret.compare(this.anchor) <= 0 ? this.anchor : this.caret; }
  get selectedText(): string { return this.buffer.slice(this.anchor, this.caret); }

  /** Selects from `anchor` to `caret` (clamped to the text) and scrolls the caret into view. */
  select(anchor: TextPosition, caret: TextPosition): void {
    this.beforeChange();
    this.anchor = this.buffer.clamp(anchor);
    this.caret = this.buffer.clamp(caret);
    this.afterChange();
  }

  /** Replaces the selection by `text` (inserts it at the caret when nothing is selected). */
  insert(text: string): void {
    this.beforeChange();
    const end = this.buffer.replace(this.anchor, this.caret, text);
    this.caret = end;
    this.anchor = end.copy();
    this.goalX = -1;
    this.afterChange();
  }

  undo(): void { this.restore(this.buffer.undo()); }
  redo(): void { this.restore(this.buffer.redo()); }

  /**
   * Selects the next occurrence of `needle` after the selection (after the
   * caret when nothing is selected), going round to the start; false when
   * there is none.
   */
  findNext(needle: string): bool {
    const found = this.buffer.find(needle, this.hasSelection ? this.selectionEnd : this.caret);
    if (found == null) return false;
    this.select(found[0], found[1]);
    return true;
  }

  /** Lines that fit in the view (at least one). */
  get visibleLines(): i32 { return max(1, this.inner().height / this.theme.font.lineHeight); }

  key(key: Key): bool {
    const code = key.code;
    if (key.isControl(0x61)) { this.select(this.buffer.start, this.buffer.end); return true; } // a
    if (key.isControl(0x63)) { this.copy(); return true; } // c
    if (key.isControl(0x78)) { if (this.copy()) this.insert(""); return true; } // x
    if (key.isControl(0x76)) { this.insert(this.root.clipboardText()); return true; } // v
    if (key.isControl(0x7a)) { if (key.shift) this.redo(); else this.undo(); return true; } // z
    if (key.isControl(0x79)) { this.redo(); return true; } // y
    if (code == KEY_LEFT || code == KEY_RIGHT || code == KEY_UP || code == KEY_DOWN || code == KEY_HOME || code == KEY_END
      || code == KEY_PAGE_UP || code == KEY_PAGE_DOWN) {
      this.move(code, key.control, key.shift);
      return true;
    }
    if (code == KEY_BACKSPACE || code == KEY_DELETE) {
      if (!this.hasSelection) this.caret = code == KEY_BACKSPACE ? this.before(this.caret) : this.after(this.caret);
      this.insert("");
      return true;
    }
    if (code == KEY_ENTER && !key.control && !key.alt) { this.insert("\n"); return true; }
    if (code == KEY_TAB && this.insertsTabs && !key.control && !key.alt && !key.shift) {
      const column = this.selectionStart.column;
      this.insert(" ".repeat(TAB_WIDTH - column % TAB_WIDTH));
      return true;
    }
    const typed = key.typed;
    if (typed != 0) { this.insert(String.fromCodePoint(<i32>typed)); return true; }
    return false;
  }

  pointer(action: PointerAction, x: i32, y: i32): bool {
    if (action == PointerAction.Press) {
      this.root.capturePointer(this);
      this.dragging = true;
      const at = this.positionAt(x, y);
      this.goalX = -1;
      this.select(at, at);
    } else if (action == PointerAction.Move && this.dragging) {
      this.select(this.anchor, this.positionAt(x, y));
    } else if (action == PointerAction.Release) {
      this.dragging = false;
    }
    return true;
  }

  wheel(steps: i32): bool {
    this.scrollToLine(this.firstLine - steps * WHEEL_LINES);
    return true;
  }

  /** Shows line `line` at the top (within the text). */
  scrollToLine(line: i32): void {
    const to = max(0, min(line, this.buffer.lineCount - 1));
    if (to == this.firstLine) return;
    this.firstLine = to;
    this.invalidate();
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    const font = theme.font;
    const bounds = this.local;
    painter.fill(bounds, theme.field);
    painter.frame(bounds, 1, this.focused ? theme.accent : theme.border);
    const inner = this.inner();
    const lineHeight = font.lineHeight;
    // Only the lines inside the painter's clip.
    const clipTop = painter.clip.y - painter.originY - inner.y, clipBottom = painter.clip.bottom - painter.originY - inner.y;
    const first = this.firstLine + max(0, clipTop / lineHeight);
    const last = min(this.buffer.lineCount - 1, this.firstLine + min(this.visibleLines, clipBottom / lineHeight + 1));
    const start = this.selectionStart, end = this.selectionEnd;
    const textX = inner.x - this.scrollX;
    for (let line = first; line <= last; line++) {
      const top = inner.y + (line - this.firstLine) * lineHeight;
      const text = this.buffer.line(line);
      if (this.hasSelection && line >= start.line && line <= end.line) {
        const left = line == start.line ? font.measure(text.substring(0, start.column)) : 0;
        // A selected line end shows as a little space after the line.
        const right = line == end.line ? font.measure(text.substring(0, end.column)) : font.measure(text) + theme.padding;
        painter.fill(new Rect(textX + left, top, right - left, lineHeight).intersection(inner), theme.selection);
      }
      painter.text(font, textX, top, text, this.enabled ? theme.foreground : theme.disabled, inner);
    }
    if (this.focused && this.caret.line >= this.firstLine && this.caret.line < this.firstLine + this.visibleLines) {
      const caretX = textX + this.columnX(this.caret);
      painter.fill(new Rect(caretX, inner.y + (this.caret.line - this.firstLine) * lineHeight, 1, lineHeight).intersection(inner), theme.foreground);
    }
    const track = new Rect(bounds.width - 1 - SCROLL_BAR_WIDTH, 1, SCROLL_BAR_WIDTH, bounds.height - 2);
    painter.fill(track, theme.field);
    const total = max(this.buffer.lineCount, this.visibleLines);
    if (total > this.visibleLines) {
      const length = max(SCROLL_BAR_WIDTH, <i32>(<i64>track.height * this.visibleLines / total));
      const at = <i32>(<i64>(track.height - length) * this.firstLine / max(1, this.buffer.lineCount - 1));
      painter.fill(new Rect(track.x, track.y + at, SCROLL_BAR_WIDTH, length), theme.scrollbar);
    }
  }

  /** The text's area: inside the border and the padding, left of the scroll bar. */
  inner(): Rect {
    const padding = this.theme.padding;
    return new Rect(padding, 1, max(0, this.bounds.width - 2 * padding - SCROLL_BAR_WIDTH), max(0, this.bounds.height - 2));
  }

  /** Pixels from its line's start to a position. */
  columnX(position: TextPosition): i32 {
    return this.theme.font.measure(this.buffer.line(position.line).substring(0, position.column));
  }

  /** Where a point of its own coordinates falls in the text: the nearest position. */
  positionAt(x: i32, y: i32): TextPosition {
    const inner = this.inner();
    const offset = y - inner.y;
    const line = max(0, min(this.buffer.lineCount - 1, this.firstLine + (offset < 0 ? -1 : offset / this.theme.font.lineHeight)));
    return new TextPosition(line, this.columnAt(line, x - inner.x + this.scrollX));
  }

  /** The column of line `line` nearest to `x` pixels from the line's start. */
  private columnAt(line: i32, x: i32): i32 {
    const text = this.buffer.line(line);
    const font = this.theme.font;
    let previous = 0;
    for (let i = 0; i < text.length; i = nextCharacter(text, i)) {
      const next = font.measure(text.substring(0, nextCharacter(text, i)));
      if (x < (previous + next) / 2) return i;
      previous = next;
    }
    return text.length;
  }

  /** The position one character before (the previous line's end at a line's start). */
  private before(position: TextPosition): TextPosition {
    if (position.column > 0) return new TextPosition(position.line, previousCharacter(this.buffer.line(position.line), position.column));
    if (position.line == 0) return position.copy();
    return new TextPosition(position.line - 1, this.buffer.line(position.line - 1).length);
  }

  /** The position one character after (the next line's start at a line's end). */
  private after(position: TextPosition): TextPosition {
    const text = this.buffer.line(position.line);
    if (position.column < text.length) return new TextPosition(position.line, nextCharacter(text, position.column));
    if (position.line == this.buffer.lineCount - 1) return position.copy();
    return new TextPosition(position.line + 1, 0);
  }

  /** The caret moved by a cursor key; `extend`: the selection follows it. */
  private move(code: u32, control: bool, extend: bool): void {
    let to = this.caret;
    const vertical = code == KEY_UP || code == KEY_DOWN || code == KEY_PAGE_UP || code == KEY_PAGE_DOWN;
    if (vertical) {
      if (this.goalX < 0) this.goalX = this.columnX(this.caret);
      const page = this.visibleLines;
      const lines = code == KEY_UP ? -1 : code == KEY_DOWN ? 1 : code == KEY_PAGE_UP ? -page : page;
      const line = max(0, min(this.buffer.lineCount - 1, this.caret.line + lines));
      to = new TextPosition(line, this.columnAt(line, this.goalX));
      // A page scrolls the view by the same lines, so that the caret stays where it was on the screen.
      if (code == KEY_PAGE_UP || code == KEY_PAGE_DOWN) this.scrollToLine(this.firstLine + line - this.caret.line);
    } else {
      this.goalX = -1;
      if (!extend && this.hasSelection && (code == KEY_LEFT || code == KEY_RIGHT)) {
        // Left or Right with a selection: to its edge, as most toolkits do.
        to = code == KEY_LEFT ? this.selectionStart : this.selectionEnd;
      } else if (code == KEY_LEFT) to = this.before(this.caret);
      else if (code == KEY_RIGHT) to = this.after(this.caret);
      else if (code == KEY_HOME) to = control ? this.buffer.start : new TextPosition(this.caret.line, 0);
      else to = control ? this.buffer.end : new TextPosition(this.caret.line, this.buffer.line(this.caret.line).length);
    }
    const goal = this.goalX;
    this.select(extend ? this.anchor : to, to);
    this.goalX = goal;
  }

  private copy(): bool {
    if (!this.hasSelection) return false;
    return this.root.clipboardWrite(this.selectedText);
  }

  /** After undo or redo: the restored text selected. */
  private restore(range: TextPosition[] | null): void {
    if (range == null) return;
    this.beforeChange();
    this.anchor = range[0];
    this.caret = range[1];
    this.goalX = -1;
    // Lines may have come or gone: all of it.
    this.invalidate();
    this.afterChange();
  }

  // What a change repaints: the lines between the caret's and the anchor's, before and after.
  private changeFirst: i32 = 0;
  private changeLast: i32 = 0;
  private changeLines: i32 = 0;
  private changeScrollX: i32 = 0;
  private changeFirstLine: i32 = 0;

  private beforeChange(): void {
    this.changeFirst = min(this.caret.line, this.anchor.line);
    this.changeLast = max(this.caret.line, this.anchor.line);
    this.changeLines = this.buffer.lineCount;
    this.changeScrollX = this.scrollX;
    this.changeFirstLine = this.firstLine;
  }

  /** Keeps the caret in view, and repaints what changed. */
  private afterChange(): void {
    if (this.parent != null) this.revealCaret();
    if (this.changeLines != this.buffer.lineCount || this.changeScrollX != this.scrollX || this.changeFirstLine != this.firstLine) {
      this.invalidate();
      return;
    }
    const first = min(this.changeFirst, min(this.caret.line, this.anchor.line));
    const last = max(this.changeLast, max(this.caret.line, this.anchor.line));
    const lineHeight = this.theme.font.lineHeight;
    const inner = this.inner();
    const top = inner.y + (first - this.firstLine) * lineHeight;
    this.invalidateRect(new Rect(0, top, this.bounds.width, (last - first + 1) * lineHeight).intersection(inner));
  }

  private revealCaret(): void {
    const visible = this.visibleLines;
    if (this.caret.line < this.firstLine) this.firstLine = this.caret.line;
    else if (this.caret.line >= this.firstLine + visible) this.firstLine = this.caret.line - visible + 1;
    const width = this.inner().width;
    const caretX = this.columnX(this.caret);
    if (caretX - this.scrollX > width - 1) this.scrollX = caretX - width + 1;
    if (caretX < this.scrollX) this.scrollX = caretX;
    this.scrollX = max(0, this.scrollX);
  }
}
