// The scene: composes the damaged parts of the screen into a surface (the
// compositor's back buffer) from the window manager's decisions and the
// windows' surfaces, bottom to top — the background, each window not
// minimized (border, title bar with its title and buttons, content), the
// taskbar (launcher, window list, clock), the launcher menu, a resize's
// outline and the pointer — and nothing outside the damage.

import { Rect, Surface } from "../lib/surface";
import { Font } from "../lib/text";
import { DRAG_RESIZE, STATE_SLOTS } from "./state";
import { WindowManager } from "./manager";
import {
  BORDER, BUTTON_CLOSE, BUTTON_FACE, BUTTON_MARK, CURSOR, CURSOR_EDGE, CURSOR_FILL, CURSOR_HEIGHT, CURSOR_WIDTH,
  FRAME_FOCUSED, FRAME_UNFOCUSED, GRIP_MARK, MENU, MENU_TEXT, OUTLINE, TASKBAR, TASKBAR_ENTRY, TASKBAR_ENTRY_FOCUSED,
  TASKBAR_ENTRY_MINIMIZED, TASKBAR_TEXT, TITLE_MARGIN, TITLE_TEXT, backgroundAt, clockRect, closeButton, entryRect,
  gripRect, launcherRect, menuItemRect, menuRect, minimizeButton, taskbarRect, titleRect,
} from "./theme";

/** The launcher button's label. */
export const LAUNCHER_LABEL = "Delos";

export class Scene {
  /** How many times damage was composed. */
  frames: u32 = 0;

  constructor(readonly manager: WindowManager, readonly target: Surface, readonly font: Font | null) {}

  /** Composes every damaged rectangle and forgets the damage: the rectangles composed, for the screen to show. */
  compose(): Rect[] {
    const damage = this.manager.damage;
    const composed: Rect[] = [];
    for (let i = 0; i < damage.rects.length; i++) {
      const clip = damage.rects[i];
      this.composeArea(clip);
      composed.push(clip);
    }
    damage.clear();
    if (composed.length > 0) this.frames++;
    return composed;
  }

  /** Everything in `clip`, bottom to top. */
  composeArea(clip: Rect): void {
    const m = this.manager;
    const s = m.state;
    for (let y = clip.y; y < clip.bottom; y++) this.target.fill(new Rect(clip.x, y, clip.width, 1), backgroundAt(y, m.height));
    for (let i = 0; i < s.stackCount; i++) {
      const slot = s.stackAt(i);
      if (m.isVisible(slot) && !m.outer(slot).intersection(clip).isEmpty) this.drawWindow(slot, clip);
    }
    this.drawTaskbar(clip);
    if (s.menuOpen) this.drawMenu(clip);
    if (s.dragKind == DRAG_RESIZE) this.frame(m.resizeOutline(), 2, OUTLINE, clip);
    this.drawCursor(s.pointerX, s.pointerY, clip);
  }

  private fill(rect: Rect, colour: u32, clip: Rect): void { this.target.fill(rect.intersection(clip), colour); }

  private frame(rect: Rect, thickness: i32, colour: u32, clip: Rect): void {
    const t = min(thickness, min(rect.width, rect.height));
    if (t <= 0) return;
    this.fill(new Rect(rect.x, rect.y, rect.width, t), colour, clip);
    this.fill(new Rect(rect.x, rect.bottom - t, rect.width, t), colour, clip);
    this.fill(new Rect(rect.x, rect.y + t, t, rect.height - 2 * t), colour, clip);
    this.fill(new Rect(rect.right - t, rect.y + t, t, rect.height - 2 * t), colour, clip);
  }

  /** `text` in `colour`, vertically centred in `box`, from `x`, clipped to both. */
  private text(text: string, x: i32, box: Rect, colour: u32, clip: Rect): void {
    const font = this.font;
    if (font == null) return;
    font.draw(this.target, x, box.y + (box.height - font.lineHeight) / 2, text, colour, box.intersection(clip));
  }

  private drawWindow(slot: i32, clip: Rect): void {
    const m = this.manager;
    const s = m.state;
    const x = s.x(slot), y = s.y(slot), width = s.width(slot), height = s.height(slot);
    const colour = s.focus == slot ? FRAME_FOCUSED : FRAME_UNFOCUSED;
    this.frame(m.outer(slot), BORDER, colour, clip);
    const title = titleRect(x, y, width);
    this.fill(title, colour, clip);
    const minimize = minimizeButton(x, y, width);
    this.text(m.views[slot].title, x + TITLE_MARGIN, new Rect(title.x, title.y, minimize.x - 4 - title.x, title.height), TITLE_TEXT, clip);
    this.drawButton(minimize, false, clip);
    this.drawButton(closeButton(x, y, width), true, clip);
    // The content: the client's surface, as much of it as the clip shows.
    const content = new Rect(x, y, width, height).intersection(clip);
    if (!content.isEmpty) {
      const source = new Surface(m.views[slot].pixels, width, height, width * 4);
      this.target.copyFrom(source, new Rect(content.x - x, content.y - y, content.width, content.height), content.x, content.y);
    }
    // The grip: three dots along the corner's diagonal, in the border.
    const grip = gripRect(x, y, width, height);
    for (let i = 0; i < 3; i++) this.fill(new Rect(grip.right - 3 - i * 4, grip.bottom - 3, 2, 2), GRIP_MARK, clip);
  }

  /** A title bar button: a face and its mark, a cross (close) or a bar (minimize). */
  private drawButton(button: Rect, close: bool, clip: Rect): void {
    this.fill(button, close ? BUTTON_CLOSE : BUTTON_FACE, clip);
    const mark = close ? 0xffffff : BUTTON_MARK;
    const cx = button.x + button.width / 2, cy = button.y + button.height / 2;
    if (close) {
      for (let i = -4; i <= 4; i++) {
        this.fill(new Rect(cx + i, cy + i, 2, 1), mark, clip);
        this.fill(new Rect(cx - i, cy + i, 2, 1), mark, clip);
      }
    } else {
      this.fill(new Rect(cx - 5, cy + 3, 10, 2), mark, clip);
    }
  }

  private drawTaskbar(clip: Rect): void {
    const m = this.manager;
    const s = m.state;
    const bar = taskbarRect(m.width, m.height);
    if (bar.intersection(clip).isEmpty) return;
    this.fill(bar, TASKBAR, clip);
    const launcher = launcherRect(m.width, m.height);
    this.fill(launcher, s.menuOpen ? TASKBAR_ENTRY_FOCUSED : TASKBAR_ENTRY, clip);
    this.text(LAUNCHER_LABEL, launcher.x + 10, launcher, TASKBAR_TEXT, clip);
    let index = 0;
    for (let slot = 0; slot < STATE_SLOTS; slot++) {
      if (!s.isUsed(slot)) continue;
      const entry = entryRect(m.width, m.height, index++);
      if (entry == null) break;
      const colour = s.isMinimized(slot) ? TASKBAR_ENTRY_MINIMIZED : s.focus == slot ? TASKBAR_ENTRY_FOCUSED : TASKBAR_ENTRY;
      this.fill(entry, colour, clip);
      this.text(m.views[slot].title, entry.x + 6, new Rect(entry.x, entry.y, entry.width - 6, entry.height), TASKBAR_TEXT, clip);
    }
    const clock = clockRect(m.width, m.height);
    const font = this.font;
    if (font != null) this.text(m.clock, clock.right - font.measure(m.clock) - 6, clock, TASKBAR_TEXT, clip);
  }

  private drawMenu(clip: Rect): void {
    const m = this.manager;
    const count = m.launcher.length;
    const menu = menuRect(m.width, m.height, count);
    if (menu.intersection(clip).isEmpty) return;
    this.fill(menu, MENU, clip);
    this.frame(menu, 1, FRAME_UNFOCUSED, clip);
    for (let i = 0; i < count; i++) {
      const item = menuItemRect(m.width, m.height, count, i);
      this.text(m.launcher[i].label, item.x + 8, item, MENU_TEXT, clip);
    }
  }

  private drawCursor(x: i32, y: i32, clip: Rect): void {
    const area = new Rect(x, y, CURSOR_WIDTH, CURSOR_HEIGHT).intersection(clip);
    if (area.isEmpty) return;
    for (let row = area.y; row < area.bottom; row++) {
      const line = CURSOR[row - y];
      for (let column = area.x; column < area.right; column++) {
        const mark = line.charCodeAt(column - x);
        if (mark == 0x23) this.target.setPixel(column, row, CURSOR_EDGE); // '#'
        else if (mark == 0x6f) this.target.setPixel(column, row, CURSOR_FILL); // 'o'
      }
    }
  }
}
