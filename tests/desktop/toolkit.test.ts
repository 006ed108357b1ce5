// The toolkit (desktop/toolkit), compiled by asc and run in V8
// (tests/desktop/assembly/toolkit.ts): windows of widgets driven by
// sequences of inputEvent records — keys with their characters and
// modifiers, pointer moves, button presses, the wheel — checked by the
// widgets' state, what their listeners were told, the clipboard, the
// damage and the pixels (text as the host lays out the DejaVu Sans atlas).

import type { TestFunction } from "../harness";
import { drawText, encodeGlyphAtlas, mixChannel, rasteriseGlyphAtlas, type GlyphAtlas } from "../../sdk/host/glyph-atlas";
import { giveBytes, loadProgram, newString, readPixels, readString, type Program } from "./program";

const SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const SHIFT = 1 << 24, CONTROL = 1 << 25;
const KEY = { enter: 0x28, escape: 0x29, backspace: 0x2a, tab: 0x2b, space: 0x2c, home: 0x4a, pageUp: 0x4b, delete: 0x4c,
  end: 0x4d, pageDown: 0x4e, right: 0x4f, left: 0x50, down: 0x51, up: 0x52 };
/** Theme colours (desktop/toolkit/theme.ts). */
const BACKGROUND = 0xeceff1, FOREGROUND = 0x1c2025, ACCENT = 0x2f6fdb, SELECTION = 0xb6d0fa, FIELD = 0xffffff;

interface ToolkitProgram extends Program {
  openFont(data: number, length: number): number;
  newWindow(width: number, height: number): number;
  addLabel(parent: number, x: number, y: number, width: number, height: number, text: number): number;
  addButton(parent: number, x: number, y: number, width: number, height: number, text: number): number;
  addField(parent: number, x: number, y: number, width: number, height: number, text: number): number;
  addScrollView(parent: number, x: number, y: number, width: number, height: number): number;
  addList(parent: number, x: number, y: number, width: number, height: number, items: number): number;
  addMenuButton(parent: number, x: number, y: number, width: number, height: number, text: number, items: number): number;
  key(code: number, text: number): void;
  pointerTo(x: number, y: number): void;
  button(pressed: number): void;
  wheel(steps: number): void;
  paint(): number;
  paintedRect(index: number, part: number): number;
  damageCount(): number;
  focusIndex(): number;
  takeActivations(): number;
  clipboardText(): number;
  setClipboard(text: number): void;
  setLabel(index: number, text: number): void;
  setRow(index: number, row: number, text: number): void;
  fieldText(index: number): number;
  fieldCaret(index: number): number;
  fieldAnchor(index: number): number;
  fieldScroll(index: number): number;
  fieldOffset(index: number, at: number): number;
  buttonPresses(index: number): number;
  listSelected(index: number): number;
  scrollY(index: number): number;
  menuOpen(index: number): number;
  menuHighlighted(index: number): number;
  widgetX(index: number): number;
  widgetY(index: number): number;
  widgetWidth(index: number): number;
  widgetHeight(index: number): number;
  rowHeight(): number;
  padding(): number;
}

let atlas: GlyphAtlas | null = null;

class Window {
  readonly p = loadProgram<ToolkitProgram>("toolkit");
  readonly pixelsAt: number;
  constructor(readonly width: number, readonly height: number) {
    atlas ??= rasteriseGlyphAtlas({ font: SANS, size: 13 });
    const bytes = encodeGlyphAtlas(atlas);
    if (this.p.openFont(giveBytes(this.p, bytes), bytes.length) !== 1) throw new Error("the atlas does not open");
    this.pixelsAt = this.p.newWindow(width, height);
  }
  s(text: string): number { return newString(this.p, text); }
  label(x: number, y: number, w: number, h: number, text: string, parent = -1) { return this.p.addLabel(parent, x, y, w, h, this.s(text)); }
  buttonAt(x: number, y: number, w: number, h: number, text: string, parent = -1) { return this.p.addButton(parent, x, y, w, h, this.s(text)); }
  field(x: number, y: number, w: number, h: number, text: string, parent = -1) { return this.p.addField(parent, x, y, w, h, this.s(text)); }
  type(text: string): void { for (const c of text) this.p.key(0x04, c.codePointAt(0)!); }
  press(code: number, modifiers = 0): void { this.p.key(code, modifiers); }
  control(letter: string): void { this.p.key(0x04 + letter.charCodeAt(0) - 0x61, CONTROL | letter.charCodeAt(0)); }
  click(x: number, y: number): void { this.p.pointerTo(x, y); this.p.button(1); this.p.button(0); }
  text(index: number): string { return readString(this.p, this.p.fieldText(index)); }
  activations(): string { return readString(this.p, this.p.takeActivations()); }
  pixels(): Uint32Array { return readPixels(this.p, this.pixelsAt, this.width, this.height); }
  painted(): number[][] {
    const count = this.p.paint();
    return [...Array(count).keys()].map((i) => [0, 1, 2, 3].map((part) => this.p.paintedRect(i, part)));
  }
  centre(index: number): [number, number] {
    return [this.p.widgetX(index) + (this.p.widgetWidth(index) >> 1), this.p.widgetY(index) + (this.p.widgetHeight(index) >> 1)];
  }
}

function blendPixel(foreground: number, background: number, coverage: number): number {
  const channel = (shift: number) => mixChannel((foreground >> shift) & 255, (background >> shift) & 255, coverage) << shift;
  return channel(16) | channel(8) | channel(0);
}

export function register(test: TestFunction): void {
  test("keyboard focus follows the tab order, both ways, and a click", (t) => {
    const w = new Window(300, 200);
    w.label(4, 4, 80, 20, "Name");
    const first = w.field(90, 4, 150, 22, "");
    const ok = w.buttonAt(90, 30, 60, 24, "OK");
    const view = w.p.addScrollView(-1, 90, 60, 150, 80);
    const list = w.p.addList(view, 0, 0, 0, 0, w.s("one\ntwo\nthree"));
    const second = w.field(90, 150, 150, 22, "");
    t.eq(w.p.focusIndex(), -1, "nothing has the focus at first");
    const order: number[] = [];
    for (let i = 0; i < 5; i++) { w.press(KEY.tab); order.push(w.p.focusIndex()); }
    t.eq(order, [first, ok, list, second, first], "Tab: the tree's order, round; labels and scroll views are skipped");
    w.press(KEY.tab, SHIFT);
    t.eq(w.p.focusIndex(), second, "Shift-Tab goes back");
    w.click(...w.centre(ok));
    t.eq(w.p.focusIndex(), ok, "a click focuses a focusable widget");
    w.click(10, 10);
    t.eq(w.p.focusIndex(), ok, "a click on a label leaves the focus");
  });

  test("text fields: typing, the caret, selection by keys and pointer, cut, copy and paste through the clipboard", (t) => {
    const w = new Window(300, 60);
    const f = w.field(10, 10, 200, 24, "");
    const g = w.field(10, 36, 200, 22, "");
    w.press(KEY.tab);
    w.type("hello wörld");
    t.eq([w.text(f), w.p.fieldCaret(f)], ["hello wörld", 11], "typed text, the caret after it");
    for (let i = 0; i < 5; i++) w.press(KEY.left, SHIFT);
    t.eq([w.p.fieldAnchor(f), w.p.fieldCaret(f)], [11, 6], "Shift-Left five times selects the last word");
    w.control("c");
    t.eq(readString(w.p, w.p.clipboardText()), "wörld", "Control-C copies the selection");
    w.press(KEY.end);
    w.control("v");
    t.eq(w.text(f), "hello wörldwörld", "Control-V pastes at the caret");
    w.press(KEY.home);
    w.press(KEY.delete);
    w.press(KEY.right);
    w.press(KEY.backspace);
    t.eq([w.text(f), w.p.fieldCaret(f)], ["llo wörldwörld", 0], "Delete and Backspace");
    w.press(KEY.end, SHIFT);
    w.control("x");
    t.eq([w.text(f), readString(w.p, w.p.clipboardText())], ["", "llo wörldwörld"], "Shift-End and Control-X cut everything");
    w.type("typed 𝄞!");
    w.press(KEY.left); w.press(KEY.left);
    t.eq(w.p.fieldCaret(f), 6, "Left steps over a surrogate pair as one character");
    w.control("a");
    w.type("x");
    t.eq(w.text(f), "x", "typing replaces the selection (Control-A selected everything)");
    w.press(KEY.enter);
    t.eq(w.activations(), `${f}:0\n`, "Enter tells the listener");

    // The pointer: a press puts the caret at the nearest character, dragging selects.
    const h = new Window(300, 60);
    const field = h.field(10, 10, 200, 24, "pointer selection");
    const textX = h.p.widgetX(field) + h.p.padding();
    const at = (index: number) => textX + h.p.fieldOffset(field, index);
    h.p.pointerTo(at(2), 20);
    h.p.button(1);
    t.eq([h.p.focusIndex(), h.p.fieldCaret(field), h.p.fieldAnchor(field)], [field, 2, 2], "a press focuses and puts the caret at index 2");
    h.p.pointerTo(at(7), 22);
    h.p.pointerTo(at(9), 40);
    h.p.button(0);
    t.eq([h.p.fieldAnchor(field), h.p.fieldCaret(field)], [2, 9], "dragging to index 9 selects 2..9, even below the field");
    h.painted();
    const pixels = h.pixels();
    const row = 10 + 12;
    const selected = [...Array(at(9) - at(2)).keys()].filter((i) => pixels[row * 300 + at(2) + i] === SELECTION).length;
    t.ok(selected > 0, `selection background visible (${selected} pixels on its middle row)`);
    h.p.pointerTo(at(4), 20); h.p.button(1); h.p.button(0);
    h.painted();
    const caretColumn = h.pixels().filter((_, i) => i % 300 === at(4) && Math.floor(i / 300) > 10 && Math.floor(i / 300) < 33);
    t.ok(caretColumn.filter((p) => p === FOREGROUND).length >= atlas!.lineHeight, "the caret is a line of the text's height");

    // Text wider than the field scrolls to keep the caret in view.
    const n = new Window(120, 30);
    const narrow = n.field(0, 0, 60, 24, "");
    n.press(KEY.tab);
    n.type("a long line of text");
    t.ok(n.p.fieldScroll(narrow) > 0, `scrolled by ${n.p.fieldScroll(narrow)} pixels`);
    n.press(KEY.home);
    t.eq(n.p.fieldScroll(narrow), 0, "Home scrolls back");
    t.eq(g >= 0, true, "second field");
  });

  test("buttons: a click, a press dragged off, and Space while focused", (t) => {
    const w = new Window(200, 100);
    const b = w.buttonAt(20, 20, 80, 30, "Press");
    w.click(...w.centre(b));
    t.eq([w.p.buttonPresses(b), w.activations()], [1, `${b}:0\n`], "a click presses it and tells the listener");
    w.p.pointerTo(...w.centre(b));
    w.p.button(1);
    w.p.pointerTo(150, 90);
    w.p.button(0);
    t.eq(w.p.buttonPresses(b), 1, "released away from it: not pressed");
    w.press(KEY.space);
    w.press(KEY.enter);
    t.eq(w.p.buttonPresses(b), 3, "Space and Enter press the focused button");
  });

  test("lists in scroll views: keys, wheel, clicks, and the selection kept in view", (t) => {
    const w = new Window(200, 200);
    const view = w.p.addScrollView(-1, 10, 10, 150, 100);
    const items = [...Array(30).keys()].map((i) => `item ${i}`);
    const list = w.p.addList(view, 0, 0, 0, 0, w.s(items.join("\n")));
    const rowHeight = w.p.rowHeight();
    t.eq(w.p.widgetHeight(list), 30 * rowHeight, "the list is as tall as its rows");
    w.press(KEY.tab);
    w.press(KEY.down);
    t.eq(w.p.listSelected(list), 0, "Down selects the first row");
    for (let i = 0; i < 10; i++) w.press(KEY.down);
    t.eq(w.p.listSelected(list), 10, "ten more");
    t.eq(w.p.scrollY(view), 11 * rowHeight - 100, "scrolled just enough to show row 10 at the bottom");
    w.press(KEY.end);
    t.eq([w.p.listSelected(list), w.p.scrollY(view)], [29, 30 * rowHeight - 100], "End: the last row, scrolled to the end");
    w.press(KEY.home);
    t.eq([w.p.listSelected(list), w.p.scrollY(view)], [0, 0], "Home: back to the top");
    w.p.pointerTo(50, 50);
    w.p.wheel(-1);
    t.eq(w.p.scrollY(view), 3 * rowHeight, "the wheel towards the user scrolls three rows down");
    w.click(50, 10 + 5);
    t.eq(w.p.listSelected(list), 3, "a click selects the row under the pointer, scrolled");
    w.activations();
    w.click(50, 10 + 5);
    w.press(KEY.enter);
    t.eq(w.activations(), `${list}:3\n${list}:3\n`, "a second click and Enter tell the listener the row");
    w.p.pointerTo(10 + 150 - 3, 10 + 95);
    w.p.button(1); w.p.button(0);
    t.eq(w.p.scrollY(view), 3 * rowHeight + 100, "a press on the bar's track below the thumb pages down");
    w.p.wheel(100);
    t.eq(w.p.scrollY(view), 0, "scrolling stops at the top");
  });

  test("menus: opened by a menu button, chosen by keys or pointer, closed by Escape or a press outside", (t) => {
    const w = new Window(300, 200);
    const button = w.p.addMenuButton(-1, 10, 10, 60, 24, w.s("File"), w.s("Open\nSave\nQuit"));
    const menu = button + 1;
    const field = w.field(10, 150, 100, 22, "");
    w.click(...w.centre(button));
    t.eq(w.p.menuOpen(menu), 1, "a click on the button opens the menu");
    t.eq([w.p.widgetX(menu), w.p.widgetY(menu)], [10, 34], "below the button");
    w.press(KEY.down);
    w.press(KEY.down);
    w.press(KEY.enter);
    t.eq([w.p.menuOpen(menu), w.activations()], [0, `${menu}:2\n`], "Down, Down, Enter chooses Quit and closes");
    w.click(...w.centre(button));
    w.type("x");
    t.eq(w.text(field), "", "keys go to the open menu, not to the widgets");
    const rowHeight = w.p.rowHeight();
    w.p.pointerTo(20, 34 + 1 + rowHeight + 3);
    t.eq(w.p.menuHighlighted(menu), 1, "the pointer highlights the item under it");
    w.p.button(1); w.p.button(0);
    t.eq(w.activations(), `${menu}:1\n`, "a click chooses it");
    w.click(...w.centre(button));
    w.press(KEY.escape);
    t.eq(w.p.menuOpen(menu), 0, "Escape closes");
    w.click(...w.centre(button));
    w.click(250, 180);
    t.eq([w.p.menuOpen(menu), w.activations()], [0, ""], "a press outside closes without choosing");
  });

  test("damage: a change repaints its widget's rectangle and nothing else, and the pixels are the host's layout", (t) => {
    const w = new Window(240, 120);
    const label = w.label(10, 10, 120, 20, "Idle");
    const other = w.label(10, 30, 120, 20, "unchanged");
    const view = w.p.addScrollView(-1, 10, 64, 150, 50);
    const list = w.p.addList(view, 0, 0, 0, 0, w.s("alpha\nbeta\ngamma\ndelta\nepsilon"));
    t.eq(w.painted(), [[0, 0, 240, 120]], "the first paint covers the window");
    t.eq(w.painted(), [], "nothing changed: nothing painted");
    const before = w.pixels();
    w.p.setLabel(label, w.s("Running"));
    w.p.setRow(list, 1, w.s("BETA"));
    const rowHeight = w.p.rowHeight();
    t.eq(w.painted(), [[10, 10, 120, 20], [10, 64 + rowHeight, 140, rowHeight]], "the label's and the row's rectangles, apart");
    const after = w.pixels();
    let outside = 0;
    for (let i = 0; i < after.length; i++) {
      const x = i % 240, y = Math.floor(i / 240);
      const inLabel = x >= 10 && x < 130 && y >= 10 && y < 30;
      const inRow = x >= 10 && x < 150 && y >= 64 + rowHeight && y < 64 + 2 * rowHeight;
      if (!inLabel && !inRow && after[i] !== before[i]) outside++;
    }
    t.eq(outside, 0, "no pixel outside the damage changed");
    const laid = drawText(atlas!, "Running");
    const top = 10 + ((20 - atlas!.lineHeight) >> 1);
    let wrong = 0;
    for (let y = 10; y < 30; y++) {
      for (let x = 10; x < 130; x++) {
        const lx = x - 10, ly = y - top;
        const coverage = lx < laid.width && ly >= 0 && ly < laid.height ? laid.coverage[ly * laid.width + lx]! : 0;
        if (after[y * 240 + x] !== blendPixel(FOREGROUND, BACKGROUND, coverage)) wrong++;
      }
    }
    t.eq(wrong, 0, "the label's pixels are the host's layout of \"Running\" on the background");
    w.p.setLabel(other, w.s("unchanged"));
    t.eq(w.p.damageCount(), 0, "setting the same text damages nothing");
    w.p.setLabel(label, w.s("a"));
    w.p.setLabel(other, w.s("b"));
    t.eq(w.painted(), [[10, 10, 120, 40]], "touching rectangles merge");
    w.press(KEY.tab);
    w.painted();
    const accentRow = w.pixels().slice(64 * 240, 65 * 240).filter((p) => p === ACCENT).length;
    t.ok(accentRow === 0, "the first row is not selected until a key selects it");
    w.press(KEY.down);
    w.painted();
    const selectedRow = w.pixels().slice((64 + 1) * 240, (64 + 2) * 240).filter((p) => p === ACCENT).length;
    t.ok(selectedRow >= 130, `the selected row of the focused list is on the accent colour (${selectedRow} pixels)`);
  });
}
