// A scroll view: shows part of one child taller than itself, with a
// scroll bar on the right. The wheel scrolls it by three rows a step, a
// press on the bar's track pages, and a descendant asking to be revealed
// (a list's selected row, a focused field) is scrolled into view.

import { Rect } from "../lib/surface";
import { Painter } from "./painter";
import { PointerAction, Widget } from "./widget";

export const SCROLL_BAR_WIDTH = 10;
const WHEEL_ROWS = 3;

export class ScrollView extends Widget {
  /** Pixels of the content above the view's top. */
  scrollY: i32 = 0;

  /** Makes `content` its child: as wide as the view less the bar, `height` tall. */
  setContent<T extends Widget>(content: T, height: i32): T {
    this.children.length = 0;
    return this.add(content, 0, 0, this.bounds.width - SCROLL_BAR_WIDTH, height);
  }

  get contentY(): i32 { return -this.scrollY; }
  get contentHeight(): i32 { return this.children.length == 0 ? 0 : this.children[0].bounds.height; }
  get maximumScroll(): i32 { return max(0, this.contentHeight - this.bounds.height); }

  scrollTo(y: i32): void {
    const to = max(0, min(y, this.maximumScroll));
    if (to == this.scrollY) return;
    this.scrollY = to;
    this.invalidate();
  }

  wheel(steps: i32): bool {
    this.scrollTo(this.scrollY - steps * WHEEL_ROWS * this.theme.rowHeight);
    return true;
  }

  reveal(rect: Rect): void {
    // `rect` is in this view's coordinates, its content already shifted by -scrollY.
    if (rect.y < 0) this.scrollTo(this.scrollY + rect.y);
    else if (rect.bottom > this.bounds.height) this.scrollTo(this.scrollY + rect.bottom - this.bounds.height);
    super.reveal(new Rect(rect.x, max(0, min(rect.y, this.bounds.height - rect.height)), rect.width, min(rect.height, this.bounds.height)));
  }

  pointer(action: PointerAction, x: i32, y: i32): bool {
    if (action != PointerAction.Press || x < this.bounds.width - SCROLL_BAR_WIDTH) return false;
    const thumb = this.thumb();
    if (y < thumb.y) this.scrollTo(this.scrollY - this.bounds.height);
    else if (y >= thumb.bottom) this.scrollTo(this.scrollY + this.bounds.height);
    return true;
  }

  /** The bar's thumb, in its own coordinates: its length the part shown, its place the part's place. */
  thumb(): Rect {
    const height = this.bounds.height, total = max(this.contentHeight, height);
    const length = max(SCROLL_BAR_WIDTH, <i32>(<i64>height * height / total));
    const travel = height - length;
    const at = this.maximumScroll == 0 ? 0 : <i32>(<i64>travel * this.scrollY / this.maximumScroll);
    return new Rect(this.bounds.width - SCROLL_BAR_WIDTH, at, SCROLL_BAR_WIDTH, length);
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    painter.fill(new Rect(this.bounds.width - SCROLL_BAR_WIDTH, 0, SCROLL_BAR_WIDTH, this.bounds.height), theme.field);
    if (this.maximumScroll > 0) painter.fill(this.thumb(), theme.scrollbar);
  }
}
