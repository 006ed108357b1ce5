// The window manager: what input does to windows. It takes the input
// drivers' events through one plain function (`input`) and the clients'
// declarations through another (`declare`), decides — stacking, positions,
// sizes, focus, minimized — in the state object (state.ts), queues the
// events each window's client is owed there, and records what changed on
// the screen as damage for the scene (scene.ts) to compose. It keeps
// nothing of its own a restart would lose: what it holds beside the state
// object (each window's title and surface) comes back with the clients'
// next declarations.
//
// Pointer: a press on a title bar raises and focuses its window and drags
// it; on the grip, resizes it (the client is asked for the new size when
// the button is released); on the close button, asks the client to close;
// on the minimize button, minimizes it; on the content, raises and focuses
// and goes to the client. The taskbar's launcher opens the menu, its window
// list raises (and restores) a window. Keyboard: Alt+Tab focuses and raises
// the window lowest in the stack, Alt+F4 asks the focused window to close,
// other keys go to the focused window.

import { INPUT_ERROR_SEQUENCE_GAP } from "../../ipc/generated/protocols/input";
import {
  INPUT_EVENT_SIZE, InputEvent, INPUT_ALT, INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_KEY, INPUT_POINTER, INPUT_POINTER_MAXIMUM, INPUT_PRESSED,
  INPUT_RELEASED, INPUT_WHEEL, WINDOW_EVENT_BUTTON, WINDOW_EVENT_CLOSE, WINDOW_EVENT_FOCUS, WINDOW_EVENT_KEY,
  WINDOW_EVENT_POINTER, WINDOW_EVENT_RESIZE, WINDOW_EVENT_WHEEL, WindowEvent,
} from "../../ipc/generated/abi";
import { Rect } from "../lib/surface";
import { Damage } from "./damage";
import { DRAG_CONTENT, DRAG_MOVE, DRAG_NONE, DRAG_RESIZE, STATE_SLOTS, State } from "./state";
import {
  MINIMUM_HEIGHT, MINIMUM_WIDTH, TASKBAR_HEIGHT, closeButton, cursorRect, entryRect, gripRect, launcherRect, menuItemRect,
  menuRect, minimizeButton, outerRect, taskbarRect, titleRect, clockRect,
} from "./theme";

/** USB HID usages the window manager acts on. */
export const KEY_TAB: u32 = 0x2b;
export const KEY_F4: u32 = 0x3d;

/** What the window manager knows of a window beyond the state object: what its last declaration said. */
export class WindowView {
  title: string = "";
  /** The content's pixels (width × height, rows width × 4 apart), 0 until a declaration brings them. */
  pixels: usize = 0;
  serial: u32 = 0;
}

/** An entry of the launcher menu: its label and the payload file it starts. */
export class LauncherEntry {
  constructor(readonly label: string, readonly path: string) {}
}

/** Pointer coordinates (0..INPUT_POINTER_MAXIMUM) to a pixel of a screen `size` pixels across. */
export function pointerToPixel(coordinate: u32, size: i32): i32 {
  return <i32>((<u64>min(coordinate, INPUT_POINTER_MAXIMUM) * <u64>size) >> 15);
}

/** The smallest pointer coordinate that lands on pixel `pixel` of a screen `size` pixels across (pointerToPixel's inverse). */
export function pixelToPointer(pixel: i32, size: i32): u32 {
  return <u32>((<u64>pixel * 32768 + <u64>size - 1) / <u64>size);
}

export class WindowManager {
  readonly views: StaticArray<WindowView> = new StaticArray<WindowView>(STATE_SLOTS);
  readonly damage: Damage;
  /** Payload files the launcher menu asked to start, for the compositor to spawn. */
  readonly launches: string[] = [];
  /**
   * Reads the launcher menu's entries when they are first needed (the
   * compositor's reads the payload's app manifests), so that a new
   * instance serves before it reads them; null once read, or with none.
   */
  launcherLoader: (() => LauncherEntry[]) | null = null;
  private entries: LauncherEntry[] = [];

  /** The launcher menu's entries. */
  get launcher(): LauncherEntry[] {
    const loader = this.launcherLoader;
    if (loader != null) {
      this.launcherLoader = null;
      this.entries = loader();
    }
    return this.entries;
  }
  clock: string = "";

  /**
   * Over `state`; a state of another screen size, or none yet, is started
   * afresh. The whole screen is damaged, unless `composed`: the target
   * already shows this state (a predecessor's picture, screen.ts) and the
   * state is kept.
   */
  constructor(readonly state: State, width: i32, height: i32, composed: bool = false) {
    this.damage = new Damage(new Rect(0, 0, width, height));
    for (let slot = 0; slot < STATE_SLOTS; slot++) this.views[slot] = new WindowView();
    let kept = true;
    if (!state.isValid || state.screenWidth != width || state.screenHeight != height) {
      state.begin();
      state.reset(width, height);
      state.commit();
      kept = false;
    }
    if (!composed || !kept) this.damage.addAll();
  }

  /**
   * Damages the windows whose clients did not declare them to this
   * instance: an adopted picture (screen.ts) still shows them, a picture
   * composed now would not.
   */
  damageUndeclared(): void {
    for (let slot = 0; slot < STATE_SLOTS; slot++) {
      if (this.state.isUsed(slot) && this.views[slot].pixels == 0) this.damage.add(this.outer(slot));
    }
  }

  get width(): i32 { return this.state.screenWidth; }
  get height(): i32 { return this.state.screenHeight; }

  /** Is the slot's window on the screen: used, not minimized, and its surface declared to this instance? */
  isVisible(slot: i32): bool {
    return this.state.isUsed(slot) && !this.state.isMinimized(slot) && this.views[slot].pixels != 0;
  }

  outer(slot: i32): Rect {
    const s = this.state;
    return outerRect(s.x(slot), s.y(slot), s.width(slot), s.height(slot));
  }

  /**
   * A client's declaration of its window: the slot that shows it, or -1
   * when every slot is taken. A new window goes on top, takes the focus,
   * and is placed in a cascade; a known one keeps its place. `damage`
   * is in the content's coordinates.
   */
  declareWindow(client: u32, window: u32, width: i32, height: i32, title: string, pixels: usize, serial: u32, damage: Rect): i32 {
    const s = this.state;
    let slot = s.find(client, window);
    if (slot < 0) {
      slot = s.take(client, window);
      if (slot < 0) return -1;
      const step = s.placed % 8;
      s.placed = s.placed + 1;
      s.setPosition(slot, 48 + step * 32, 56 + step * 32);
      s.setSize(slot, width, height);
      s.raise(slot);
      this.views[slot] = new WindowView();
      this.setFocus(slot);
    }
    const view = this.views[slot];
    if (view.pixels == 0 || view.pixels != pixels || s.width(slot) != width || s.height(slot) != height) {
      // Newly shown (or shown again by a new instance), or another surface: all of it.
      this.damage.add(this.outer(slot));
      s.setSize(slot, width, height);
      this.damage.add(this.outer(slot));
      this.damage.add(taskbarRect(this.width, this.height));
    } else if (view.serial != serial && !s.isMinimized(slot)) {
      const area = damage.intersection(new Rect(0, 0, width, height));
      this.damage.add(new Rect(s.x(slot) + area.x, s.y(slot) + area.y, area.width, area.height));
    }
    if (view.title != title) {
      this.damage.add(titleRect(s.x(slot), s.y(slot), width));
      this.damage.add(taskbarRect(this.width, this.height));
    }
    view.title = title;
    view.pixels = pixels;
    view.serial = serial;
    return slot;
  }

  /** Takes the window off the screen and forgets it. */
  close(slot: i32): void {
    const s = this.state;
    this.damage.add(this.outer(slot));
    this.damage.add(taskbarRect(this.width, this.height));
    const focused = s.focus == slot;
    if (s.dragSlot == slot) s.dragKind = DRAG_NONE;
    s.free(slot);
    this.views[slot] = new WindowView();
    if (focused) { s.focus = -1; this.focusTopmost(); }
  }

  /**
   * A batch of `count` inputEvent records at `events` from input driver
   * `instance`, numbered from `first`: applies those above the last one
   * applied from that instance, in one change of the state object that
   * records them in its ledger as it commits (state.ts), so that each is
   * applied once even when the compositor is killed at any instruction.
   * The last sequence number applied, or INPUT_ERROR_SEQUENCE_GAP when
   * `first` would skip events.
   */
  inputBatch(instance: u32, first: u32, events: usize, count: u32): i32 {
    const s = this.state;
    if (first == 0 || count == 0) return INPUT_ERROR_SEQUENCE_GAP;
    s.begin();
    const skip = s.ledger.skip(instance, first, count);
    if (skip < 0) { s.abandon(); return skip; }
    for (let i = <u32>skip; i < count; i++) {
      const event = changetype<InputEvent>(events + <usize>i * <usize>INPUT_EVENT_SIZE);
      this.input(event.kind, event.code, event.value, event.text);
    }
    s.ledger.record(instance, first + count - 1);
    s.commit();
    return <i32>s.ledger.applied(instance);
  }

  /** Applies one input event (an inputEvent's fields). */
  input(kind: u32, code: u32, value: u32, text: u32): void {
    if (kind == INPUT_POINTER) this.pointerMoved(pointerToPixel(code, this.width), pointerToPixel(value, this.height));
    else if (kind == INPUT_BUTTON) this.button(code, value);
    else if (kind == INPUT_KEY) this.key(code, value, text);
    else if (kind == INPUT_WHEEL) {
      const focus = this.state.focus;
      if (focus >= 0) this.queue(focus, WINDOW_EVENT_WHEEL, code, value, 0, true);
    }
  }

  /** The clock's text; damages the clock when it changed. */
  setClock(text: string): void {
    if (text == this.clock) return;
    this.clock = text;
    this.damage.add(clockRect(this.width, this.height));
  }

  // Pointer.

  private pointerMoved(x: i32, y: i32): void {
    const s = this.state;
    if (x == s.pointerX && y == s.pointerY) return;
    this.damage.add(cursorRect(s.pointerX, s.pointerY));
    s.pointerX = x;
    s.pointerY = y;
    this.damage.add(cursorRect(x, y));
    const slot = s.dragSlot;
    if (s.dragKind == DRAG_MOVE) {
      this.damage.add(this.outer(slot));
      // The title bar stays reachable: its top below the screen's top, above the taskbar.
      const top = max(TASKBAR_HEIGHT - 6, min(y - s.dragY, this.height - TASKBAR_HEIGHT));
      s.setPosition(slot, x - s.dragX, top);
      this.damage.add(this.outer(slot));
    } else if (s.dragKind == DRAG_RESIZE) {
      this.damage.add(this.resizeOutline());
      s.dragWidth = max(MINIMUM_WIDTH, x - s.x(slot) + s.dragX);
      s.dragHeight = max(MINIMUM_HEIGHT, y - s.y(slot) + s.dragY);
      this.damage.add(this.resizeOutline());
    } else if (s.dragKind == DRAG_CONTENT || (s.dragKind == DRAG_NONE && s.focus >= 0 && this.inContent(s.focus, x, y))) {
      this.queue(s.dragKind == DRAG_CONTENT ? slot : s.focus, WINDOW_EVENT_POINTER, 0, 0, 0, true);
    }
  }

  /** The outline a resize in progress shows: the window's outer rectangle at the size it would get. */
  resizeOutline(): Rect {
    const s = this.state;
    const slot = s.dragSlot;
    return outerRect(s.x(slot), s.y(slot), s.dragWidth, s.dragHeight);
  }

  private button(code: u32, value: u32): void {
    const s = this.state;
    const bit: u32 = 1 << code;
    if (value == INPUT_PRESSED) {
      if ((s.buttons & bit) != 0) return;
      s.buttons = s.buttons | bit;
      if (s.dragKind == DRAG_NONE) this.press(code);
      else if (s.dragKind == DRAG_CONTENT) this.queue(s.dragSlot, WINDOW_EVENT_BUTTON, code, INPUT_PRESSED, 0, true);
      return;
    }
    if (value != INPUT_RELEASED || (s.buttons & bit) == 0) return;
    s.buttons = s.buttons & ~bit;
    const slot = s.dragSlot;
    if (s.dragKind == DRAG_CONTENT) this.queue(slot, WINDOW_EVENT_BUTTON, code, INPUT_RELEASED, 0, true);
    if (s.buttons != 0) return;
    if (s.dragKind == DRAG_RESIZE) {
      this.damage.add(this.resizeOutline());
      if (s.dragWidth != s.width(slot) || s.dragHeight != s.height(slot)) {
        this.queue(slot, WINDOW_EVENT_RESIZE, <u32>s.dragWidth, <u32>s.dragHeight, 0, false);
      }
    }
    s.dragKind = DRAG_NONE;
  }

  /** A first button pressed with no drag going on: what is under the pointer decides. */
  private press(code: u32): void {
    const s = this.state;
    const x = s.pointerX, y = s.pointerY;
    if (s.menuOpen) {
      const count = this.launcher.length;
      s.menuOpen = false;
      this.damage.add(menuRect(this.width, this.height, count));
      for (let i = 0; i < count; i++) {
        if (menuItemRect(this.width, this.height, count, i).contains(x, y)) { this.launches.push(this.launcher[i].path); return; }
      }
      if (launcherRect(this.width, this.height).contains(x, y)) return;
    }
    if (taskbarRect(this.width, this.height).contains(x, y)) { this.pressTaskbar(x, y); return; }
    const slot = this.windowAt(x, y);
    if (slot < 0) return;
    const left = s.x(slot), top = s.y(slot), width = s.width(slot), height = s.height(slot);
    if (code == INPUT_BUTTON_LEFT && closeButton(left, top, width).contains(x, y)) {
      this.queue(slot, WINDOW_EVENT_CLOSE, 0, 0, 0, false);
      return;
    }
    if (code == INPUT_BUTTON_LEFT && minimizeButton(left, top, width).contains(x, y)) { this.minimize(slot); return; }
    this.raiseAndFocus(slot);
    if (code == INPUT_BUTTON_LEFT && titleRect(left, top, width).contains(x, y)) {
      s.dragKind = DRAG_MOVE;
      s.dragSlot = slot;
      s.dragX = x - left;
      s.dragY = y - top;
    } else if (code == INPUT_BUTTON_LEFT && gripRect(left, top, width, height).contains(x, y)) {
      s.dragKind = DRAG_RESIZE;
      s.dragSlot = slot;
      s.dragX = left + width - x;
      s.dragY = top + height - y;
      s.dragWidth = width;
      s.dragHeight = height;
    } else if (this.inContent(slot, x, y)) {
      s.dragKind = DRAG_CONTENT;
      s.dragSlot = slot;
      this.queue(slot, WINDOW_EVENT_BUTTON, code, INPUT_PRESSED, 0, true);
    }
  }

  private pressTaskbar(x: i32, y: i32): void {
    const s = this.state;
    if (launcherRect(this.width, this.height).contains(x, y)) {
      s.menuOpen = true;
      this.damage.add(menuRect(this.width, this.height, this.launcher.length));
      return;
    }
    let index = 0;
    for (let slot = 0; slot < STATE_SLOTS; slot++) {
      if (!s.isUsed(slot)) continue;
      const entry = entryRect(this.width, this.height, index++);
      if (entry == null) return;
      if (!entry.contains(x, y)) continue;
      if (s.isMinimized(slot)) {
        s.setMinimized(slot, false);
        this.damage.add(this.outer(slot));
      }
      this.raiseAndFocus(slot);
      return;
    }
  }

  /** The topmost visible window whose outer rectangle holds (x, y), or -1. */
  windowAt(x: i32, y: i32): i32 {
    const s = this.state;
    for (let i = s.stackCount - 1; i >= 0; i--) {
      const slot = s.stackAt(i);
      if (this.isVisible(slot) && this.outer(slot).contains(x, y)) return slot;
    }
    return -1;
  }

  private inContent(slot: i32, x: i32, y: i32): bool {
    const s = this.state;
    return new Rect(s.x(slot), s.y(slot), s.width(slot), s.height(slot)).contains(x, y);
  }

  // Keyboard.

  private key(code: u32, value: u32, text: u32): void {
    const s = this.state;
    if ((text & INPUT_ALT) != 0 && (code == KEY_TAB || code == KEY_F4)) {
      // The window manager's keys: their releases and repeats go nowhere either.
      if (value != INPUT_PRESSED) return;
      if (code == KEY_TAB) this.cycle();
      else if (s.focus >= 0) this.queue(s.focus, WINDOW_EVENT_CLOSE, 0, 0, 0, false);
      return;
    }
    if (s.focus >= 0) this.queue(s.focus, WINDOW_EVENT_KEY, code, value, text, false);
  }

  /** Alt+Tab: the lowest window not minimized comes to the top and takes the focus. */
  private cycle(): void {
    const s = this.state;
    for (let i = 0; i < s.stackCount; i++) {
      const slot = s.stackAt(i);
      if (!s.isMinimized(slot)) {
        if (slot != s.focus || i != s.stackCount - 1) this.raiseAndFocus(slot);
        return;
      }
    }
  }

  // Decisions.

  raiseAndFocus(slot: i32): void {
    const s = this.state;
    if (s.stackCount == 0 || s.stackAt(s.stackCount - 1) != slot) {
      s.raise(slot);
      this.damage.add(this.outer(slot));
    }
    this.setFocus(slot);
  }

  minimize(slot: i32): void {
    const s = this.state;
    if (s.isMinimized(slot)) return;
    s.setMinimized(slot, true);
    this.damage.add(this.outer(slot));
    this.damage.add(taskbarRect(this.width, this.height));
    if (s.focus == slot) this.focusTopmost();
  }

  /** Gives the focus to `slot` (-1: none), telling both windows. */
  setFocus(slot: i32): void {
    const s = this.state;
    const old = s.focus;
    if (old == slot) return;
    s.focus = slot;
    if (old >= 0 && s.isUsed(old)) {
      this.queue(old, WINDOW_EVENT_FOCUS, 0, 0, 0, false);
      this.damage.add(this.outer(old));
    }
    if (slot >= 0) {
      this.queue(slot, WINDOW_EVENT_FOCUS, 1, 0, 0, false);
      this.damage.add(this.outer(slot));
    }
    this.damage.add(taskbarRect(this.width, this.height));
  }

  /** The focus goes to the topmost window not minimized, if any. */
  private focusTopmost(): void {
    const s = this.state;
    for (let i = s.stackCount - 1; i >= 0; i--) {
      const slot = s.stackAt(i);
      if (!s.isMinimized(slot)) { this.setFocus(slot); return; }
    }
    this.setFocus(-1);
  }

  /** Queues an event for the slot's client; `atPointer`: with the pointer's position in its content. */
  private queue(slot: i32, kind: u32, code: u32, value: u32, text: u32, atPointer: bool): void {
    const s = this.state;
    const event = changetype<WindowEvent>(s.queueEvent(slot));
    event.kind = kind;
    event.code = code;
    event.value = value;
    event.text = text;
    event.x = atPointer ? s.pointerX - s.x(slot) : 0;
    event.y = atPointer ? s.pointerY - s.y(slot) : 0;
  }
}
