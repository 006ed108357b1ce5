// The desktop's look, in one place: the sizes of decorations and of the
// taskbar, where each part of them lies, and their colours. The window
// manager hit-tests with the same functions the scene draws with, and tests
// (tests/desktop, the compositor's in-OS test) find every part by them.

import { Rect } from "../lib/surface";

/** The title bar's height above a window's content. */
export const TITLE_HEIGHT: i32 = 22;
/** The border around a window's content and title bar. */
export const BORDER: i32 = 4;
/** The title bar's buttons: width and height, and the gap between them. */
export const BUTTON_WIDTH: i32 = 18;
export const BUTTON_HEIGHT: i32 = 16;
export const BUTTON_GAP: i32 = 4;
/** The resize grip: this square at a window's bottom-right corner. */
export const GRIP: i32 = 14;
/** The smallest content a resize asks for. */
export const MINIMUM_WIDTH: i32 = 80;
export const MINIMUM_HEIGHT: i32 = 40;
/** The title's left margin in the title bar. */
export const TITLE_MARGIN: i32 = 8;

export const TASKBAR_HEIGHT: i32 = 28;
export const LAUNCHER_WIDTH: i32 = 64;
export const ENTRY_WIDTH: i32 = 150;
export const ENTRY_GAP: i32 = 4;
export const CLOCK_WIDTH: i32 = 96;
export const MENU_WIDTH: i32 = 180;
export const MENU_ITEM_HEIGHT: i32 = 24;

export const BACKGROUND_TOP: u32 = 0x1d4e6b;
export const BACKGROUND_BOTTOM: u32 = 0x0a1a2a;
export const FRAME_FOCUSED: u32 = 0x2f6fb0;
export const FRAME_UNFOCUSED: u32 = 0x5a6470;
export const TITLE_TEXT: u32 = 0xffffff;
export const BUTTON_FACE: u32 = 0xd8dde3;
export const BUTTON_CLOSE: u32 = 0xd0463c;
export const BUTTON_MARK: u32 = 0x1b1f24;
export const GRIP_MARK: u32 = 0xaab4be;
export const TASKBAR: u32 = 0x20262d;
export const TASKBAR_ENTRY: u32 = 0x39424c;
export const TASKBAR_ENTRY_FOCUSED: u32 = 0x2f6fb0;
export const TASKBAR_ENTRY_MINIMIZED: u32 = 0x2a3038;
export const TASKBAR_TEXT: u32 = 0xf0f0f0;
export const MENU: u32 = 0xeef1f4;
export const MENU_TEXT: u32 = 0x1b1f24;
export const OUTLINE: u32 = 0xffffff;
export const CURSOR_EDGE: u32 = 0x000000;
export const CURSOR_FILL: u32 = 0xffffff;

/** The whole window: content, title bar and border, for content at (x, y) of width × height. */
export function outerRect(x: i32, y: i32, width: i32, height: i32): Rect {
  return new Rect(x - BORDER, y - TITLE_HEIGHT - BORDER, width + 2 * BORDER, height + TITLE_HEIGHT + 2 * BORDER);
}

/** The title bar: above the content, inside the border. */
export function titleRect(x: i32, y: i32, width: i32): Rect {
  return new Rect(x, y - TITLE_HEIGHT, width, TITLE_HEIGHT);
}

/** The close button, at the title bar's right end. */
export function closeButton(x: i32, y: i32, width: i32): Rect {
  return new Rect(x + width - BUTTON_WIDTH - 2, y - TITLE_HEIGHT + (TITLE_HEIGHT - BUTTON_HEIGHT) / 2, BUTTON_WIDTH, BUTTON_HEIGHT);
}

/** The minimize button, left of the close button. */
export function minimizeButton(x: i32, y: i32, width: i32): Rect {
  const close = closeButton(x, y, width);
  return new Rect(close.x - BUTTON_GAP - BUTTON_WIDTH, close.y, BUTTON_WIDTH, BUTTON_HEIGHT);
}

/** The resize grip: the square at the outer rectangle's bottom-right corner. */
export function gripRect(x: i32, y: i32, width: i32, height: i32): Rect {
  const outer = outerRect(x, y, width, height);
  return new Rect(outer.right - GRIP, outer.bottom - GRIP, GRIP, GRIP);
}

/** The taskbar along the screen's bottom edge. */
export function taskbarRect(screenWidth: i32, screenHeight: i32): Rect {
  return new Rect(0, screenHeight - TASKBAR_HEIGHT, screenWidth, TASKBAR_HEIGHT);
}

/** The launcher button at the taskbar's left end. */
export function launcherRect(screenWidth: i32, screenHeight: i32): Rect {
  return new Rect(2, screenHeight - TASKBAR_HEIGHT + 2, LAUNCHER_WIDTH, TASKBAR_HEIGHT - 4);
}

/** The clock at the taskbar's right end. */
export function clockRect(screenWidth: i32, screenHeight: i32): Rect {
  return new Rect(screenWidth - CLOCK_WIDTH - 2, screenHeight - TASKBAR_HEIGHT + 2, CLOCK_WIDTH, TASKBAR_HEIGHT - 4);
}

/** The `index`th entry of the window list (null when it does not fit before the clock). */
export function entryRect(screenWidth: i32, screenHeight: i32, index: i32): Rect | null {
  const x = 2 + LAUNCHER_WIDTH + ENTRY_GAP * 2 + index * (ENTRY_WIDTH + ENTRY_GAP);
  if (x + ENTRY_WIDTH > clockRect(screenWidth, screenHeight).x - ENTRY_GAP) return null;
  return new Rect(x, screenHeight - TASKBAR_HEIGHT + 2, ENTRY_WIDTH, TASKBAR_HEIGHT - 4);
}

/** The launcher menu of `items` entries, above the launcher button. */
export function menuRect(screenWidth: i32, screenHeight: i32, items: i32): Rect {
  const height = items * MENU_ITEM_HEIGHT + 4;
  return new Rect(2, screenHeight - TASKBAR_HEIGHT - height, MENU_WIDTH, height);
}

/** The menu's `index`th item. */
export function menuItemRect(screenWidth: i32, screenHeight: i32, items: i32, index: i32): Rect {
  const menu = menuRect(screenWidth, screenHeight, items);
  return new Rect(menu.x + 2, menu.y + 2 + index * MENU_ITEM_HEIGHT, menu.width - 4, MENU_ITEM_HEIGHT);
}

/** The pointer's arrow, row by row: `#` edge, `o` fill, `.` clear; its tip is the hot spot. */
export const CURSOR: StaticArray<string> = [
  "#..........",
  "##.........",
  "#o#........",
  "#oo#.......",
  "#ooo#......",
  "#oooo#.....",
  "#ooooo#....",
  "#oooooo#...",
  "#ooooooo#..",
  "#oooooooo#.",
  "#ooooo#####",
  "#oo#oo#....",
  "#o#.#oo#...",
  "##..#oo#...",
  "#....#oo#..",
  ".....#oo#..",
  "......##...",
];
export const CURSOR_WIDTH: i32 = 11;
export const CURSOR_HEIGHT: i32 = 17;

/** The rectangle the pointer's arrow covers with its tip at (x, y). */
export function cursorRect(x: i32, y: i32): Rect {
  return new Rect(x, y, CURSOR_WIDTH, CURSOR_HEIGHT);
}

/** The background's colour on row `y` of a screen `height` rows high: a vertical gradient. */
export function backgroundAt(y: i32, height: i32): u32 {
  const span = max(1, height - 1);
  let colour: u32 = 0;
  for (let shift = 0; shift <= 16; shift += 8) {
    const top = <i32>((BACKGROUND_TOP >> shift) & 0xff);
    const bottom = <i32>((BACKGROUND_BOTTOM >> shift) & 0xff);
    colour |= <u32>(top + (bottom - top) * y / span) << shift;
  }
  return colour;
}
