// A dialog: a message and a row of buttons over the window, modal (the
// root's popup: it gets every key and pointer event while open). The
// buttons take the focus in turn (Tab, Left, Right); Enter or Space
// chooses the focused one, Escape the last (the cancelling one by
// convention: "Delete", "Cancel"), a click the one clicked. Choosing closes
// it, gives the focus back to the widget that had it, and tells the
// listener the button's index.

import { Rect } from "../lib/surface";
import { Button } from "./button";
import { KEY_ENTER, KEY_ESCAPE, KEY_LEFT, KEY_RIGHT, KEY_SPACE, KEY_TAB, Key } from "./keys";
import { Painter } from "./painter";
import { Root } from "./root";
import { PointerAction, Widget } from "./widget";

export class Dialog extends Widget {
  readonly buttons: Button[] = [];
  /** The button the pointer went down on. */
  private held: Button | null = null;
  private previousFocus: Widget | null = null;
  private host: Root | null = null;

  constructor(readonly message: string, captions: string[]) {
    super();
    for (let i = 0; i < captions.length; i++) this.buttons.push(new Button(captions[i]));
  }

  get isOpen(): bool { return this.host != null && this.host!.popup === this; }

  /** Opens it centred over `root`'s window, the first button focused. */
  open(root: Root): void {
    const theme = root.rootTheme;
    const font = theme.font;
    const gap = theme.padding * 2;
    const buttonHeight = theme.rowHeight + 6;
    let buttonWidth = 60;
    for (let i = 0; i < this.buttons.length; i++) buttonWidth = max(buttonWidth, font.measure(this.buttons[i].text) + 4 * theme.padding);
    const buttonsWidth = this.buttons.length * buttonWidth + (this.buttons.length - 1) * gap;
    const width = min(root.bounds.width, max(font.measure(this.message), buttonsWidth) + 4 * gap);
    const height = min(root.bounds.height, theme.rowHeight + buttonHeight + 3 * gap);
    this.bounds = new Rect((root.bounds.width - width) / 2, (root.bounds.height - height) / 2, width, height);
    this.children.length = 0;
    for (let i = 0; i < this.buttons.length; i++) {
      const button = this.buttons[i];
      button.parent = this;
      button.bounds = new Rect(width - 2 * gap - buttonsWidth + i * (buttonWidth + gap), height - gap - buttonHeight, buttonWidth, buttonHeight);
      this.children.push(button);
    }
    this.host = root;
    this.previousFocus = root.focusedWidget();
    root.openPopup(this, true);
    if (this.buttons.length > 0) root.giveFocus(this.buttons[0]);
  }

  /** Closes it, telling the listener `index` (-1: nothing chosen, the dialog was closed by its program). */
  close(index: i32 = -1): void {
    const root = this.host;
    if (root == null || root.popup !== this) return;
    root.closePopup();
    root.giveFocus(this.previousFocus);
    this.host = null;
    if (index >= 0) this.activate(index);
  }

  /** The index of the focused button (-1: none). */
  get focusedButton(): i32 {
    for (let i = 0; i < this.buttons.length; i++) if (this.buttons[i].focused) return i;
    return -1;
  }

  key(key: Key): bool {
    const count = this.buttons.length;
    if (count == 0) return false;
    const at = max(0, this.focusedButton);
    const code = key.code;
    if (code == KEY_ESCAPE) this.close(count - 1);
    else if (code == KEY_ENTER || code == KEY_SPACE) this.close(at);
    else if (code == KEY_RIGHT || (code == KEY_TAB && !key.shift)) this.root.giveFocus(this.buttons[(at + 1) % count]);
    else if (code == KEY_LEFT || code == KEY_TAB) this.root.giveFocus(this.buttons[(at + count - 1) % count]);
    else return false;
    return true;
  }

  pointer(action: PointerAction, x: i32, y: i32): bool {
    if (action == PointerAction.Press) {
      this.held = null;
      for (let i = 0; i < this.buttons.length; i++) if (this.buttons[i].bounds.contains(x, y)) this.held = this.buttons[i];
    }
    const held = this.held;
    if (held == null) return true;
    const inside = held.bounds.contains(x, y);
    held.pointer(action, x - held.bounds.x, y - held.bounds.y);
    // The button captured the pointer for itself; the dialog, as the popup, keeps it so that a release outside reaches it.
    if (action == PointerAction.Press) this.root.capturePointer(this);
    if (action == PointerAction.Release) {
      this.held = null;
      if (inside) this.close(this.buttons.indexOf(held));
    }
    return true;
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    const bounds = this.local;
    painter.fill(bounds, theme.background);
    painter.frame(bounds, 1, theme.border);
    const gap = theme.padding * 2;
    painter.text(theme.font, 2 * gap, gap, this.message, theme.foreground, new Rect(gap, gap, bounds.width - 2 * gap, theme.rowHeight));
  }
}
