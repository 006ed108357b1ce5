// A one-line text field: a caret, a selection (Shift with the cursor keys,
// Home and End, Control-A, or dragging the pointer), typing replaces the
// selection, Backspace and Delete, and cut, copy and paste (Control-X, -C,
// -V) through the window's clipboard. Enter tells the listener. Text wider
// than the field scrolls to keep the caret in view.
//
// Positions are UTF-16 indices of `text`; the caret never stops inside a
// surrogate pair.

import { Rect } from "../lib/surface";
import { nextCharacter, previousCharacter } from "./characters";
import { KEY_BACKSPACE, KEY_DELETE, KEY_END, KEY_ENTER, KEY_HOME, KEY_LEFT, KEY_RIGHT, Key } from "./keys";
import { Painter } from "./painter";
import { PointerAction, Widget } from "./widget";

export class TextField extends Widget {
  private content: string = "";
  /** Where the caret is; `anchor` is the selection's other end (equal: nothing selected). */
  caret: i32 = 0;
  anchor: i32 = 0;
  /** Pixels of text scrolled off the left edge. */
  scrollX: i32 = 0;
  private dragging: bool = false;

  constructor(text: string = "") {
    super();
    this.focusable = true;
    this.setText(text);
  }

  get text(): string { return this.content; }

  /** Replaces the text; the caret goes to its end, nothing selected. */
  setText(text: string): void {
    this.content = text;
    this.caret = this.anchor = text.length;
    this.changed();
  }

  get selectionStart(): i32 { return min(this.caret, this.anchor); }
  get selectionEnd(): i32 { return max(this.caret, this.anchor); }
  get selectedText(): string { return this.content.substring(this.selectionStart, this.selectionEnd); }

  select(anchor: i32, caret: i32): void {
    this.anchor = this.clampIndex(anchor);
    this.caret = this.clampIndex(caret);
    this.changed();
  }

  /** Replaces the selection by `text` (inserts it at the caret when nothing is selected). */
  insert(text: string): void {
    const start = this.selectionStart;
    this.content = this.content.substring(0, start) + text + this.content.substring(this.selectionEnd);
    this.caret = this.anchor = start + text.length;
    this.changed();
  }

  key(key: Key): bool {
    const code = key.code;
    if (key.isControl(0x61)) { this.select(0, this.content.length); return true; } // a
    if (key.isControl(0x63)) { this.copy(); return true; } // c
    if (key.isControl(0x78)) { if (this.copy()) this.insert(""); return true; } // x
    if (key.isControl(0x76)) { this.insert(this.root.clipboardText()); return true; } // v
    if (code == KEY_LEFT || code == KEY_RIGHT || code == KEY_HOME || code == KEY_END) {
      let to = this.caret;
      if (!key.shift && this.caret != this.anchor && (code == KEY_LEFT || code == KEY_RIGHT)) {
        // Left or Right with a selection: to its edge, as most toolkits do.
        to = code == KEY_LEFT ? this.selectionStart : this.selectionEnd;
      } else if (code == KEY_LEFT) to = previousCharacter(this.content, this.caret);
      else if (code == KEY_RIGHT) to = nextCharacter(this.content, this.caret);
      else to = code == KEY_HOME ? 0 : this.content.length;
      this.caret = to;
      if (!key.shift) this.anchor = to;
      this.changed();
      return true;
    }
    if (code == KEY_BACKSPACE || code == KEY_DELETE) {
      if (this.caret == this.anchor) this.caret = code == KEY_BACKSPACE ? previousCharacter(this.content, this.caret) : nextCharacter(this.content, this.caret);
      this.insert("");
      return true;
    }
    if (code == KEY_ENTER) { this.activate(0); return true; }
    const typed = key.typed;
    if (typed != 0) { this.insert(String.fromCodePoint(<i32>typed)); return true; }
    return false;
  }

  pointer(action: PointerAction, x: i32, y: i32): bool {
    if (action == PointerAction.Press) {
      this.root.capturePointer(this);
      this.dragging = true;
      const at = this.indexAt(x);
      this.select(at, at);
    } else if (action == PointerAction.Move && this.dragging) {
      this.select(this.anchor, this.indexAt(x));
    } else if (action == PointerAction.Release) {
      this.dragging = false;
    }
    return true;
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    const font = theme.font;
    const bounds = this.local;
    painter.fill(bounds, theme.field);
    painter.frame(bounds, 1, this.focused ? theme.accent : theme.border);
    const inner = this.inner();
    const textX = inner.x - this.scrollX;
    const top = (bounds.height - font.lineHeight) / 2;
    if (this.caret != this.anchor) {
      const left = textX + this.offsetOf(this.selectionStart);
      const right = textX + this.offsetOf(this.selectionEnd);
      painter.fill(new Rect(left, top, right - left, font.lineHeight).intersection(inner), theme.selection);
    }
    painter.text(font, textX, top, this.content, this.enabled ? theme.foreground : theme.disabled, inner);
    if (this.focused) painter.fill(new Rect(textX + this.offsetOf(this.caret), top, 1, font.lineHeight).intersection(inner), theme.foreground);
  }

  /** The text's area: inside the border and the padding. */
  inner(): Rect {
    const padding = this.theme.padding;
    return new Rect(padding, 1, this.bounds.width - 2 * padding, this.bounds.height - 2);
  }

  /** Pixels from the text's start to index `index`. */
  offsetOf(index: i32): i32 { return this.theme.font.measure(this.content.substring(0, index)); }

  /** The index nearest to x (its own coordinates). */
  indexAt(x: i32): i32 {
    const target = x - this.inner().x + this.scrollX;
    let previous = 0;
    for (let i = 0; i < this.content.length; i = nextCharacter(this.content, i)) {
      const next = this.offsetOf(nextCharacter(this.content, i));
      if (target < (previous + next) / 2) return i;
      previous = next;
    }
    return this.content.length;
  }

  private copy(): bool {
    if (this.caret == this.anchor) return false;
    return this.root.clipboardWrite(this.selectedText);
  }

  private clampIndex(index: i32): i32 { return max(0, min(index, this.content.length)); }

  /** Keeps the caret in view, and repaints. */
  private changed(): void {
    if (this.parent != null) {
      const width = this.inner().width;
      const caretAt = this.offsetOf(this.caret);
      if (caretAt - this.scrollX > width - 1) this.scrollX = caretAt - width + 1;
      if (caretAt < this.scrollX) this.scrollX = caretAt;
      this.scrollX = max(0, this.scrollX);
    }
    this.invalidate();
  }
}
