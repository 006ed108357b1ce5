// The widget tree. A widget has bounds in its parent's coordinates, draws
// itself in its own (painter.ts) and handles keys when it has the focus
// and pointer events over it. Whatever changes how it looks calls
// `invalidate`, which adds its rectangle to the window's damage (root.ts);
// nothing is drawn until the root paints the damage.

import { Rect } from "../lib/surface";
import { Key } from "./keys";
import { Painter } from "./painter";
import { Theme } from "./theme";

/** Told when a widget is used: a button pressed, a list row or a menu item chosen, Enter in a text field. */
export class Listener {
  /** `index`: the row or item for lists and menus, 0 otherwise. */
  activated(source: Widget, index: i32): void {}
}

export const enum PointerAction { Press, Release, Move }

export class Widget {
  bounds: Rect = new Rect();
  parent: Widget | null = null;
  readonly children: Widget[] = [];
  /** Takes the keyboard focus (tab order: the tree's order). */
  focusable: bool = false;
  enabled: bool = true;
  listener: Listener | null = null;

  /** The window's root widget, which the others reach through their parents. */
  get root(): Widget {
    let widget: Widget = this;
    while (widget.parent != null) widget = widget.parent!;
    return widget;
  }

  /** The theme: the root's. */
  get theme(): Theme { return this.root.ownTheme(); }
  ownTheme(): Theme { return this.parent!.theme; }

  add<T extends Widget>(child: T, x: i32, y: i32, width: i32, height: i32): T {
    child.parent = this;
    child.bounds = new Rect(x, y, width, height);
    this.children.push(child);
    child.invalidate();
    return child;
  }

  /** Moves or resizes it: the old and the new place are damaged. */
  setBounds(x: i32, y: i32, width: i32, height: i32): void {
    this.invalidate();
    this.bounds = new Rect(x, y, width, height);
    this.invalidate();
  }

  /** Where its children's (0, 0) is, in its own coordinates (a scroll view moves it). */
  get contentX(): i32 { return 0; }
  get contentY(): i32 { return 0; }

  /** Its top-left in the window's coordinates. */
  get windowX(): i32 { return this.parent == null ? this.bounds.x : this.parent!.windowX + this.parent!.contentX + this.bounds.x; }
  get windowY(): i32 { return this.parent == null ? this.bounds.y : this.parent!.windowY + this.parent!.contentY + this.bounds.y; }

  /** The part of it the window shows: its bounds cut by every ancestor's, in window coordinates. */
  visibleRect(): Rect {
    const own = new Rect(this.windowX, this.windowY, this.bounds.width, this.bounds.height);
    return this.parent == null ? own : own.intersection(this.parent!.visibleRect());
  }

  /** Its bounds in its own coordinates. */
  get local(): Rect { return new Rect(0, 0, this.bounds.width, this.bounds.height); }

  /** It must be drawn again. */
  invalidate(): void { this.invalidateRect(this.local); }

  /** Part of it (its own coordinates) must be drawn again. */
  invalidateRect(rect: Rect): void {
    const root = this.root;
    if (root === this) { root.damaged(rect); return; }
    const absolute = new Rect(this.windowX + rect.x, this.windowY + rect.y, rect.width, rect.height);
    root.damaged(absolute.intersection(this.visibleRect()));
  }

  /** The root's: a rectangle of the window to repaint. */
  damaged(rect: Rect): void {}

  get focused(): bool { return this.root.focusedWidget() === this; }
  focusedWidget(): Widget | null { return null; }

  /** Asks the root for the focus. */
  focus(): void { this.root.giveFocus(this); }
  giveFocus(widget: Widget | null): void {}

  /** The window's clipboard text (the root's clipboard). */
  clipboardText(): string { return this.root === this ? "" : this.root.clipboardText(); }
  /** Puts `text` on the window's clipboard; false when it could not. */
  clipboardWrite(text: string): bool { return this.root === this ? false : this.root.clipboardWrite(text); }

  /** The root's: routes pointer events to `widget` until every button is up. */
  capturePointer(widget: Widget): void {}

  /** Draws it in its own coordinates; the painter clips to the damage and its bounds. */
  paint(painter: Painter): void {}

  /** A key while it has the focus; true when used. */
  key(key: Key): bool { return false; }

  /** A pointer event at (x, y) of its own coordinates; true when used. */
  pointer(action: PointerAction, x: i32, y: i32): bool { return false; }

  /** The wheel turned `steps` over it (positive: away from the user); true when used. */
  wheel(steps: i32): bool { return false; }

  /** It gained or lost the focus. */
  focusChanged(): void { this.invalidate(); }

  /** `rect` of a descendant (this widget's coordinates) should be shown: scroll views scroll to it. */
  reveal(rect: Rect): void {
    if (this.parent == null) return;
    this.parent!.reveal(new Rect(this.parent!.contentX + this.bounds.x + rect.x, this.parent!.contentY + this.bounds.y + rect.y,
      rect.width, rect.height));
  }

  /** The deepest enabled widget under (x, y) of its own coordinates, itself when no child is. */
  widgetAt(x: i32, y: i32): Widget {
    for (let i = this.children.length - 1; i >= 0; i--) {
      const child = this.children[i];
      if (child.enabled && child.bounds.contains(x - this.contentX, y - this.contentY)) {
        return child.widgetAt(x - this.contentX - child.bounds.x, y - this.contentY - child.bounds.y);
      }
    }
    return this;
  }

  /** Its focusable descendants (and itself), in tree order: the tab order. */
  collectFocusable(into: Widget[]): void {
    if (!this.enabled) return;
    if (this.focusable) into.push(this);
    for (let i = 0; i < this.children.length; i++) this.children[i].collectFocusable(into);
  }

  protected activate(index: i32): void {
    const listener = this.listener;
    if (listener != null) listener.activated(this, index);
  }
}
