// Damage: the parts of a window that changed since it was last painted.
// A few rectangles, merged when they overlap or touch, so that typing in
// one field and a clock ticking in a corner repaint two small areas and
// not the rectangle spanning both; past DAMAGE_RECTANGLES they collapse
// into their union.

import { Rect } from "../lib/surface";

export const DAMAGE_RECTANGLES = 8;

export class Damage {
  readonly rects: Rect[] = [];

  get isEmpty(): bool { return this.rects.length == 0; }

  add(rect: Rect): void {
    if (rect.isEmpty) return;
    let merged = rect.copy();
    // Merging can make a rectangle meet others it did not: repeat until none meets it.
    for (let changed = true; changed;) {
      changed = false;
      for (let i = 0; i < this.rects.length; i++) {
        if (touches(this.rects[i], merged)) {
          merged = merged.union(this.rects[i]);
          this.rects.splice(i, 1);
          changed = true;
          break;
        }
      }
    }
    this.rects.push(merged);
    if (this.rects.length > DAMAGE_RECTANGLES) {
      const all = this.bounds();
      this.rects.length = 0;
      this.rects.push(all);
    }
  }

  /** The smallest rectangle covering every damaged one. */
  bounds(): Rect {
    let all = new Rect();
    for (let i = 0; i < this.rects.length; i++) all = all.union(this.rects[i]);
    return all;
  }

  /** The damage so far, and none left. */
  take(): Rect[] {
    const taken = this.rects.slice(0);
    this.rects.length = 0;
    return taken;
  }
}

/** Overlapping or sharing an edge. */
function touches(a: Rect, b: Rect): bool {
  return a.x <= b.right && b.x <= a.right && a.y <= b.bottom && b.y <= a.bottom;
}
