// A list of text rows, one selected: the cursor keys, Home, End, Page Up
// and Page Down move the selection, a click selects a row, Enter or a
// second click on the selected row tells the listener. Its height is all
// its rows; put it in a scroll view to show part of it (the selected row
// is kept in view through `reveal`).

import { Rect } from "../lib/surface";
import { KEY_DOWN, KEY_END, KEY_ENTER, KEY_HOME, KEY_PAGE_DOWN, KEY_PAGE_UP, KEY_UP, Key } from "./keys";
import { Painter } from "./painter";
import { PointerAction, Widget } from "./widget";

export class ListView extends Widget {
  protected rows: string[] = [];
  /** The selected row, -1 when none. */
  selected: i32 = -1;

  constructor() {
    super();
    this.focusable = true;
  }

  get items(): string[] { return this.rows; }

  /** Replaces the rows; the selection stays on its index where it still exists. */
  setItems(items: string[]): void {
    this.rows = items;
    if (this.selected >= items.length) this.selected = items.length - 1;
    this.invalidate();
  }

  /** Replaces one row's text (a live list: only that row is repainted). */
  setItem(index: i32, text: string): void {
    if (index < 0 || index >= this.rows.length || this.rows[index] == text) return;
    this.rows[index] = text;
    this.invalidateRect(this.rowRect(index));
  }

  get rowHeight(): i32 { return this.theme.rowHeight; }

  /** The height that shows every row. */
  get contentHeight(): i32 { return this.rows.length * this.rowHeight; }

  rowRect(index: i32): Rect { return new Rect(0, index * this.rowHeight, this.bounds.width, this.rowHeight); }

  select(index: i32): void {
    if (this.rows.length == 0) return;
    index = max(0, min(index, this.rows.length - 1));
    if (index == this.selected) return;
    if (this.selected >= 0) this.invalidateRect(this.rowRect(this.selected));
    this.selected = index;
    this.invalidateRect(this.rowRect(index));
    this.reveal(this.rowRect(index));
  }

  key(key: Key): bool {
    const page = max(1, this.visibleRect().height / this.rowHeight - 1);
    switch (key.code) {
      case KEY_UP: this.select(this.selected - 1); return true;
      case KEY_DOWN: this.select(this.selected + 1); return true;
      case KEY_HOME: this.select(0); return true;
      case KEY_END: this.select(this.rows.length - 1); return true;
      case KEY_PAGE_UP: this.select(this.selected - page); return true;
      case KEY_PAGE_DOWN: this.select(this.selected + page); return true;
      case KEY_ENTER: if (this.selected >= 0) this.activate(this.selected); return true;
    }
    return false;
  }

  pointer(action: PointerAction, x: i32, y: i32): bool {
    if (action != PointerAction.Press) return true;
    const row = y / this.rowHeight;
    if (y < 0 || row >= this.rows.length) return true;
    if (row == this.selected) this.activate(row);
    else this.select(row);
    return true;
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    painter.fill(this.local, theme.field);
    // Only the rows inside the painter's clip.
    const first = max(0, (painter.clip.y - painter.originY) / this.rowHeight);
    const last = min(this.rows.length - 1, (painter.clip.bottom - painter.originY) / this.rowHeight);
    for (let i = first; i <= last; i++) {
      const row = this.rowRect(i);
      const selected = i == this.selected;
      if (selected) painter.fill(row, this.focused ? theme.accent : theme.selection);
      this.paintRow(painter, i, row, selected && this.focused ? theme.accentText : theme.foreground);
    }
  }

  /** Draws row `index`'s text in `row` (its background is drawn): a subclass draws it its own way. */
  protected paintRow(painter: Painter, index: i32, row: Rect, colour: u32): void {
    const theme = this.theme;
    painter.text(theme.font, theme.padding, row.y + 2, this.rows[index], colour, row);
  }
}
