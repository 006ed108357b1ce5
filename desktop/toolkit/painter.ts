// Drawing for widgets: a surface seen through a clip rectangle, with an
// origin, so that a widget draws in its own coordinates and never outside
// the part of the window being repainted (the damage) or its ancestors.

import { Rect, Surface } from "../lib/surface";
import { Font } from "../lib/text";

export class Painter {
  constructor(readonly surface: Surface, readonly clip: Rect, readonly originX: i32, readonly originY: i32) {}

  /** A painter for a child at (x, y) of this one's coordinates, clipped to `bounds` (also in this one's). */
  within(bounds: Rect, x: i32, y: i32): Painter {
    const absolute = new Rect(this.originX + bounds.x, this.originY + bounds.y, bounds.width, bounds.height);
    return new Painter(this.surface, this.clip.intersection(absolute), this.originX + x, this.originY + y);
  }

  private absolute(rect: Rect): Rect {
    return new Rect(this.originX + rect.x, this.originY + rect.y, rect.width, rect.height).intersection(this.clip);
  }

  fill(rect: Rect, colour: u32): void { this.surface.fill(this.absolute(rect), colour); }

  /** The outline of `rect`, `thickness` pixels wide, inside it. */
  frame(rect: Rect, thickness: i32, colour: u32): void {
    const t = min(thickness, min(rect.width, rect.height));
    if (t <= 0) return;
    this.fill(new Rect(rect.x, rect.y, rect.width, t), colour);
    this.fill(new Rect(rect.x, rect.bottom - t, rect.width, t), colour);
    this.fill(new Rect(rect.x, rect.y + t, t, rect.height - 2 * t), colour);
    this.fill(new Rect(rect.right - t, rect.y + t, t, rect.height - 2 * t), colour);
  }

  /** `text` with its line's top-left at (x, top), cut to `within` (this painter's coordinates) and the clip. */
  text(font: Font, x: i32, top: i32, text: string, colour: u32, within: Rect): void {
    const area = this.absolute(within);
    if (area.isEmpty) return;
    font.draw(this.surface, this.originX + x, this.originY + top, text, colour, area);
  }
}
