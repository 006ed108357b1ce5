// Damage: the parts of the screen to compose again. A short list of
// rectangles, so that two far-apart changes (a window dragged across the
// screen) recompose two small areas rather than the box around both;
// rectangles that meet are merged, and past DAMAGE_RECTANGLES the two
// whose union wastes least are joined.

import { Rect } from "../lib/surface";

/** The most rectangles kept apart. */
export const DAMAGE_RECTANGLES: i32 = 8;

export class Damage {
  readonly rects: Rect[] = [];

  constructor(readonly bounds: Rect) {}

  get isEmpty(): bool { return this.rects.length == 0; }

  /** Adds `rect`, clipped to the screen. */
  add(rect: Rect): void {
    let area = rect.intersection(this.bounds);
    if (area.isEmpty) return;
    // Merge with every rectangle it meets, until it meets none.
    let merged = true;
    while (merged) {
      merged = false;
      for (let i = 0; i < this.rects.length; i++) {
        const other = this.rects[i];
        if (!other.intersection(area).isEmpty || touches(other, area)) {
          area = area.union(other);
          this.rects.splice(i, 1);
          merged = true;
          break;
        }
      }
    }
    this.rects.push(area);
    if (this.rects.length > DAMAGE_RECTANGLES) this.joinCheapest();
  }

  /** All of the screen. */
  addAll(): void { this.add(this.bounds); }

  clear(): void { this.rects.length = 0; }

  /** The pixels the damage covers (rectangles never overlap). */
  get area(): i64 {
    let total: i64 = 0;
    for (let i = 0; i < this.rects.length; i++) total += <i64>this.rects[i].width * <i64>this.rects[i].height;
    return total;
  }

  private joinCheapest(): void {
    let best = i64.MAX_VALUE, first = 0, second = 1;
    for (let i = 0; i < this.rects.length; i++) {
      for (let k = i + 1; k < this.rects.length; k++) {
        const a = this.rects[i], b = this.rects[k];
        const union = a.union(b);
        const waste = <i64>union.width * <i64>union.height - <i64>a.width * <i64>a.height - <i64>b.width * <i64>b.height;
        if (waste < best) { best = waste; first = i; second = k; }
      }
    }
    const joined = this.rects[first].union(this.rects[second]);
    this.rects.splice(second, 1);
    this.rects.splice(first, 1);
    this.add(joined);
  }
}

/** Two rectangles share an edge (their union is exactly both). */
function touches(a: Rect, b: Rect): bool {
  if (a.y == b.y && a.height == b.height) return a.right == b.x || b.right == a.x;
  if (a.x == b.x && a.width == b.width) return a.bottom == b.y || b.bottom == a.y;
  return false;
}
