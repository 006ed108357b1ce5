// A window's root widget: it owns the surface the window's pixels live in,
// the damage, the keyboard focus, the pointer's capture, the open popup
// menu and the clipboard. The window glue hands it every inputEvent the
// window receives (`handle`) and, when it has damage, asks it to paint
// (`repaint`) and passes the rectangles on to the compositor.
//
// Pointer coordinates are the window's pixels, as the compositor delivers
// them. Tab and Shift-Tab move the focus along the tab order; the focused
// widget gets every other key first.

import { INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_KEY, INPUT_POINTER, INPUT_RELEASED, INPUT_WHEEL, InputEvent } from "../../ipc/generated/abi";
import { Rect, Surface } from "../lib/surface";
import { Clipboard } from "./clipboard";
import { Damage } from "./damage";
import { KEY_TAB, Key } from "./keys";
import { Painter } from "./painter";
import { Theme } from "./theme";
import { PointerAction, Widget } from "./widget";

export class Root extends Widget {
  readonly damage: Damage = new Damage();
  pointerX: i32 = 0;
  pointerY: i32 = 0;
  private focusWidget: Widget | null = null;
  private captured: Widget | null = null;
  /** A popup (an open menu) above everything, in window coordinates; it gets every event while open. */
  popup: Widget | null = null;
  /** The popup stays open when the pointer is pressed outside it (a dialog), rather than closing (a menu). */
  popupModal: bool = false;

  constructor(public surface: Surface, readonly rootTheme: Theme, readonly clipboard: Clipboard) {
    super();
    this.bounds = surface.bounds;
    this.damaged(this.bounds);
  }

  ownTheme(): Theme { return this.rootTheme; }
  damaged(rect: Rect): void { this.damage.add(rect.intersection(this.bounds)); }
  focusedWidget(): Widget | null { return this.focusWidget; }

  giveFocus(widget: Widget | null): void {
    if (widget === this.focusWidget) return;
    const previous = this.focusWidget;
    this.focusWidget = widget;
    if (previous != null) previous.focusChanged();
    if (widget != null) {
      widget.focusChanged();
      widget.reveal(new Rect(0, 0, widget.bounds.width, widget.bounds.height));
    }
  }

  capturePointer(widget: Widget): void { this.captured = widget; }
  clipboardText(): string { return this.clipboard.read(); }
  clipboardWrite(text: string): bool { return this.clipboard.write(text); }

  /** The focusable widgets in tab order. */
  tabOrder(): Widget[] {
    const order = new Array<Widget>();
    for (let i = 0; i < this.children.length; i++) this.children[i].collectFocusable(order);
    return order;
  }

  /** The focus to the next (or previous) widget of the tab order, round. */
  moveFocus(backwards: bool): void {
    const order = this.tabOrder();
    if (order.length == 0) return;
    const at = this.focusWidget == null ? -1 : order.indexOf(this.focusWidget!);
    let next: i32;
    if (at < 0) next = backwards ? order.length - 1 : 0;
    else next = (at + (backwards ? order.length - 1 : 1)) % order.length;
    this.giveFocus(order[next]);
  }

  /** Opens `popup` (its bounds in window coordinates) above the widgets; `modal`: a press outside does not close it. */
  openPopup(popup: Widget, modal: bool = false): void {
    this.closePopup();
    popup.parent = this;
    this.popup = popup;
    this.popupModal = modal;
    popup.invalidate();
  }

  closePopup(): void {
    const popup = this.popup;
    if (popup == null) return;
    popup.invalidate();
    this.popup = null;
  }

  /** One input event of the window (an inputEvent record). */
  handle(event: InputEvent): void {
    const kind = event.kind;
    if (kind == INPUT_KEY) {
      if (event.value != INPUT_RELEASED) this.keyPressed(new Key(event.code, event.text));
    } else if (kind == INPUT_POINTER) {
      this.pointerX = <i32>event.code;
      this.pointerY = <i32>event.value;
      this.pointerAction(PointerAction.Move);
    } else if (kind == INPUT_BUTTON) {
      if (event.code == INPUT_BUTTON_LEFT) this.pointerAction(event.value == INPUT_RELEASED ? PointerAction.Release : PointerAction.Press);
    } else if (kind == INPUT_WHEEL) {
      if (event.code == 0) this.wheelAt(<i32>event.value);
    }
  }

  keyPressed(key: Key): void {
    const popup = this.popup;
    if (popup != null) { popup.key(key); return; }
    const focus = this.focusWidget;
    if (focus != null && focus.key(key)) return;
    if (key.code == KEY_TAB && !key.control && !key.alt) this.moveFocus(key.shift);
  }

  private pointerAction(action: PointerAction): void {
    const x = this.pointerX, y = this.pointerY;
    const popup = this.popup;
    if (popup != null) {
      if (popup.bounds.contains(x, y) || this.captured === popup) {
        if (action == PointerAction.Press) this.captured = popup;
        if (action == PointerAction.Release) this.captured = null;
        popup.pointer(action, x - popup.bounds.x, y - popup.bounds.y);
      } else if (action == PointerAction.Press && !this.popupModal) {
        this.closePopup();
      }
      return;
    }
    const captured = this.captured;
    if (captured != null) {
      captured.pointer(action, x - captured.windowX, y - captured.windowY);
      if (action == PointerAction.Release) this.captured = null;
      return;
    }
    const target = this.widgetAt(x, y);
    if (action == PointerAction.Press) {
      if (target.focusable) this.giveFocus(target);
      this.captured = target;
    }
    if (target !== this) target.pointer(action, x - target.windowX, y - target.windowY);
  }

  private wheelAt(steps: i32): void {
    for (let widget: Widget | null = this.widgetAt(this.pointerX, this.pointerY); widget != null; widget = widget.parent) {
      if (widget.wheel(steps)) return;
    }
  }

  /**
   * Draws the damaged parts: the background, then every widget meeting
   * them, in tree order, each clipped to the damage and its ancestors; the
   * popup last. Returns the rectangles drawn (none: nothing changed).
   */
  repaint(): Rect[] {
    const drawn = this.damage.take();
    for (let i = 0; i < drawn.length; i++) {
      const clip = drawn[i];
      const painter = new Painter(this.surface, clip, 0, 0);
      painter.fill(clip, this.rootTheme.background);
      paintChildren(this, painter);
      const popup = this.popup;
      if (popup != null && !popup.bounds.intersection(clip).isEmpty) paintTree(popup, painter.within(popup.bounds, popup.bounds.x, popup.bounds.y));
    }
    return drawn;
  }
}

function paintChildren(widget: Widget, painter: Painter): void {
  for (let i = 0; i < widget.children.length; i++) {
    const child = widget.children[i];
    const x = widget.contentX + child.bounds.x, y = widget.contentY + child.bounds.y;
    const childPainter = painter.within(new Rect(x, y, child.bounds.width, child.bounds.height), x, y);
    if (!childPainter.clip.isEmpty) paintTree(child, childPainter);
  }
}

function paintTree(widget: Widget, painter: Painter): void {
  widget.paint(painter);
  paintChildren(widget, painter);
}
