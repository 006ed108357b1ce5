// A line of text, left-aligned and centred vertically in its bounds.

import { Painter } from "./painter";
import { Widget } from "./widget";

export class Label extends Widget {
  constructor(private content: string) { super(); }

  get text(): string { return this.content; }
  set text(text: string) {
    if (text == this.content) return;
    this.content = text;
    this.invalidate();
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    const top = (this.bounds.height - theme.font.lineHeight) / 2;
    painter.text(theme.font, 0, top, this.content, this.enabled ? theme.foreground : theme.disabled, this.local);
  }
}
