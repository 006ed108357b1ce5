// Menus: a popup list of items above the window's widgets, opened by a
// menu button (or by an app at any place, `Menu.openAt`). While it is
// open it gets every key and pointer event: Up and Down move the
// highlight, Enter or a click chooses, Escape or a press outside closes
// it. Choosing tells the listener the item's index and closes the menu.

import { Rect } from "../lib/surface";
import { Button } from "./button";
import { KEY_DOWN, KEY_END, KEY_ENTER, KEY_ESCAPE, KEY_HOME, KEY_SPACE, KEY_UP, Key } from "./keys";
import { Painter } from "./painter";
import { Root } from "./root";
import { Listener, PointerAction, Widget } from "./widget";

export class Menu extends Widget {
  /** The highlighted item, -1 when none. */
  highlighted: i32 = -1;
  /** The last item chosen, -1 when none yet. */
  chosen: i32 = -1;

  constructor(readonly items: string[]) { super(); }

  get isOpen(): bool { return this.parent != null && changetype<Root>(this.parent!).popup === this; }

  /** Opens it in `root` with its top-left at (x, y) of the window, as wide as its widest item. */
  openAt(root: Root, x: i32, y: i32): void {
    const theme = root.rootTheme;
    let width = 0;
    for (let i = 0; i < this.items.length; i++) width = max(width, theme.font.measure(this.items[i]));
    width += 4 * theme.padding;
    const height = this.items.length * theme.rowHeight + 2;
    // Kept inside the window where it fits.
    x = max(0, min(x, root.bounds.width - width));
    y = max(0, min(y, root.bounds.height - height));
    this.bounds = new Rect(x, y, width, height);
    this.highlighted = this.items.length > 0 ? 0 : -1;
    root.openPopup(this);
  }

  close(): void {
    if (this.isOpen) changetype<Root>(this.parent!).closePopup();
  }

  choose(index: i32): void {
    if (index < 0 || index >= this.items.length) return;
    this.chosen = index;
    this.close();
    this.activate(index);
  }

  private highlight(index: i32): void {
    if (this.items.length == 0) return;
    index = (index + this.items.length) % this.items.length;
    if (index == this.highlighted) return;
    this.highlighted = index;
    this.invalidate();
  }

  private itemAt(y: i32): i32 {
    const index = (y - 1) / this.theme.rowHeight;
    return y >= 1 && index < this.items.length ? index : -1;
  }

  key(key: Key): bool {
    switch (key.code) {
      case KEY_UP: this.highlight(this.highlighted - 1); break;
      case KEY_DOWN: this.highlight(this.highlighted + 1); break;
      case KEY_HOME: this.highlight(0); break;
      case KEY_END: this.highlight(this.items.length - 1); break;
      case KEY_ENTER: case KEY_SPACE: this.choose(this.highlighted); break;
      case KEY_ESCAPE: this.close(); break;
    }
    return true;
  }

  pointer(action: PointerAction, x: i32, y: i32): bool {
    const index = this.local.contains(x, y) ? this.itemAt(y) : -1;
    if (action == PointerAction.Move && index >= 0) this.highlight(index);
    if (action == PointerAction.Release && index >= 0) this.choose(index);
    return true;
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    const bounds = this.local;
    painter.fill(bounds, theme.field);
    painter.frame(bounds, 1, theme.border);
    for (let i = 0; i < this.items.length; i++) {
      const row = new Rect(1, 1 + i * theme.rowHeight, bounds.width - 2, theme.rowHeight);
      if (i == this.highlighted) painter.fill(row, theme.accent);
      painter.text(theme.font, 2 * theme.padding, row.y + 2, this.items[i], i == this.highlighted ? theme.accentText : theme.foreground, row);
    }
  }
}

/** Opens the menu below the button when the button is pressed. */
class MenuOpener extends Listener {
  constructor(readonly menu: Menu) { super(); }
  activated(source: Widget, index: i32): void {
    this.menu.openAt(changetype<Root>(source.root), source.windowX, source.windowY + source.bounds.height);
  }
}

/** A button that opens a menu. */
export class MenuButton extends Button {
  constructor(caption: string, readonly menu: Menu) {
    super(caption);
    this.listener = new MenuOpener(menu);
  }
}
