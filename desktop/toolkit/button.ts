// A push button: pressed by the left button released over it, or by Space
// or Enter while it has the focus; then its listener is told.

import { Rect } from "../lib/surface";
import { KEY_ENTER, KEY_SPACE, Key } from "./keys";
import { Painter } from "./painter";
import { PointerAction, Widget } from "./widget";

export class Button extends Widget {
  /** The pointer went down on it and has not been released. */
  private held: bool = false;
  /** The held pointer is over it. */
  private over: bool = false;
  /** Times it was pressed. */
  presses: i32 = 0;

  constructor(private caption: string) {
    super();
    this.focusable = true;
  }

  get text(): string { return this.caption; }
  set text(text: string) { this.caption = text; this.invalidate(); }

  get isPressed(): bool { return this.held && this.over; }

  press(): void {
    this.presses++;
    this.activate(0);
  }

  key(key: Key): bool {
    if ((key.code == KEY_SPACE || key.code == KEY_ENTER) && !key.control && !key.alt) { this.press(); return true; }
    return false;
  }

  pointer(action: PointerAction, x: i32, y: i32): bool {
    const inside = this.local.contains(x, y);
    if (action == PointerAction.Press) {
      this.held = true;
      this.over = true;
      this.root.capturePointer(this);
    } else if (action == PointerAction.Move) {
      if (this.held && inside != this.over) { this.over = inside; this.invalidate(); return true; }
      return this.held;
    } else {
      const pressed = this.held && inside;
      this.held = false;
      this.over = false;
      if (pressed) this.press();
    }
    this.invalidate();
    return true;
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    const bounds = this.local;
    painter.fill(bounds, this.isPressed ? theme.buttonPressed : theme.button);
    painter.frame(bounds, 1, this.focused ? theme.accent : theme.border);
    if (this.focused) painter.frame(new Rect(1, 1, bounds.width - 2, bounds.height - 2), 1, theme.accent);
    const font = theme.font;
    const width = font.measure(this.caption);
    const x = (bounds.width - width) / 2 + (this.isPressed ? 1 : 0);
    const top = (bounds.height - font.lineHeight) / 2 + (this.isPressed ? 1 : 0);
    painter.text(font, x, top, this.caption, this.enabled ? theme.foreground : theme.disabled, new Rect(2, 2, bounds.width - 4, bounds.height - 4));
  }
}
