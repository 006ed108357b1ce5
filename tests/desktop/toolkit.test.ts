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
  addArea(parent: number, x: number, y: number, width: number, height: number, text: number, tabs: number): number;
  areaText(index: number): number;
  areaPosition(index: number, part: number): number;
  areaFirstLine(index: number): number;
  areaScrollX(index: number): number;
  areaVisibleLines(index: number): number;
  areaRevision(index: number): number;
  areaFind(index: number, needle: number): number;
  areaColumnX(index: number, line: number, column: number): number;
  lineHeight(): number;
  addTable(parent: number, x: number, y: number, width: number, height: number, columns: number, rows: number): number;
  addTableHeader(table: number, x: number, y: number, width: number, height: number): number;
  tableColumnX(index: number, column: number): number;
  tableCell(index: number, row: number, column: number): number;
  tableFit(index: number, width: number): void;
  columnWidth(index: number, column: number): number;
  openDialog(message: number, buttons: number): number;
  dialogOpen(index: number): number;
  dialogFocused(index: number): number;
  dialogButtonX(index: number, button: number): number;
  dialogButtonY(index: number, button: number): number;
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

  test("text areas: typing over lines, the caret by keys, selection, clipboard, undo and redo", (t) => {
    const w = new Window(300, 200);
    const a = w.p.addArea(-1, 10, 10, 280, 180, w.s(""), 1);
    const text = () => readString(w.p, w.p.areaText(a));
    const caret = () => [w.p.areaPosition(a, 0), w.p.areaPosition(a, 1)];
    const anchor = () => [w.p.areaPosition(a, 2), w.p.areaPosition(a, 3)];
    w.press(KEY.tab);
    t.eq(w.p.focusIndex(), a, "Tab focuses the area");
    const empty = w.p.areaRevision(a);
    w.type("first line");
    w.press(KEY.enter);
    w.type("second");
    w.press(KEY.enter);
    w.type("3");
    t.eq([text(), caret()], ["first line\nsecond\n3", [2, 1]], "Enter breaks lines; the caret at the end");
    w.press(KEY.up);
    t.eq(caret(), [1, 1], "Up keeps the caret's x (column 1)");
    w.press(KEY.end);
    w.press(KEY.up);
    const goal = w.p.areaColumnX(a, 1, 6);
    const nearest = [...Array(11).keys()].reduce((best, c) => Math.abs(w.p.areaColumnX(a, 0, c) - goal) < Math.abs(w.p.areaColumnX(a, 0, best) - goal) ? c : best, 0);
    t.eq(caret(), [0, nearest], `End then Up: the column of the first line nearest the end of "second" (${nearest})`);
    w.press(KEY.down); w.press(KEY.down);
    t.eq(caret(), [2, 1], "Down twice: the last line, as far as it goes");
    w.press(KEY.home, CONTROL);
    t.eq(caret(), [0, 0], "Control-Home: the start of the text");
    w.press(KEY.left);
    t.eq(caret(), [0, 0], "Left at the start stays");
    w.press(KEY.end);
    w.press(KEY.right);
    t.eq(caret(), [1, 0], "Right at a line's end: the next line's start");
    w.press(KEY.backspace);
    t.eq([text(), caret()], ["first linesecond\n3", [0, 10]], "Backspace at a line's start joins the lines");
    w.press(KEY.enter);
    w.press(KEY.end, SHIFT | CONTROL);
    t.eq([anchor(), caret()], [[1, 0], [2, 1]], "Control-Shift-End selects to the end");
    w.control("c");
    t.eq(readString(w.p, w.p.clipboardText()), "second\n3", "Control-C copies the lines selected");
    w.control("x");
    t.eq(text(), "first line\n", "Control-X cuts them");
    w.press(KEY.home, CONTROL);
    w.control("v");
    t.eq([text(), caret()], ["second\n3first line\n", [1, 1]], "Control-V pastes at the caret, over two lines");
    w.control("z");
    t.eq(text(), "first line\n", "Control-Z undoes the paste");
    w.control("z");
    t.eq(text(), "first line\nsecond\n3", "and the cut");
    w.control("y");
    t.eq(text(), "first line\n", "Control-Y redoes the cut");
    w.control("a");
    w.press(KEY.delete);
    t.eq(text(), "", "Control-A and Delete empty it");
    t.ok(w.p.areaRevision(a) !== empty, "an emptied text is another revision than the one it started as");
    for (let i = 0; i < 4; i++) w.control("z");
    t.eq(text(), "first line\nsecond\n3", "four steps back (the delete, the cut, Enter, Backspace): before the Backspace");
    for (let i = 0; i < 5; i++) w.control("z");
    t.eq([text(), w.p.areaRevision(a)], ["", empty], "five more (a run of typed keys is one step): the first revision");
    w.press(KEY.tab);
    w.type("x");
    w.press(KEY.tab);
    t.eq(text(), "    x   ", "Tab inserts spaces up to the next stop of four columns");
  });

  test("text areas: scrolling by Page Down, Page Up and the wheel, the pointer, and find", (t) => {
    const lines = [...Array(100).keys()].map((i) => `line ${i}`);
    const w = new Window(300, 200);
    const a = w.p.addArea(-1, 0, 0, 300, 200, w.s(lines.join("\n")), 0);
    const caret = () => [w.p.areaPosition(a, 0), w.p.areaPosition(a, 1)];
    const visible = w.p.areaVisibleLines(a);
    t.eq(visible, Math.floor(198 / w.p.lineHeight()), "the lines that fit");
    w.press(KEY.tab);
    w.press(KEY.pageDown);
    t.eq([caret()[0], w.p.areaFirstLine(a)], [visible, visible], "Page Down moves the caret and the view a page");
    w.press(KEY.pageDown, SHIFT);
    t.eq([w.p.areaPosition(a, 2), caret()[0]], [visible, 2 * visible], "Shift-Page Down selects a page");
    w.press(KEY.pageUp);
    t.eq([caret()[0], w.p.areaFirstLine(a)], [visible, visible], "Page Up back");
    w.press(KEY.end, CONTROL);
    t.eq([caret(), w.p.areaFirstLine(a)], [[99, 7], 100 - visible], "Control-End: the last line, shown at the bottom");
    w.p.pointerTo(100, 100);
    w.p.wheel(2);
    t.eq(w.p.areaFirstLine(a), 100 - visible - 6, "the wheel away from the user scrolls three lines a step up");
    const lh = w.p.lineHeight(), x0 = w.p.padding();
    w.p.pointerTo(x0 + w.p.areaColumnX(a, 0, 2), 1 + lh * 2 + 3);
    w.p.button(1);
    w.p.pointerTo(x0 + w.p.areaColumnX(a, 0, 4), 1 + lh * 3 + 3);
    w.p.button(0);
    const top = 100 - visible - 6;
    t.eq([w.p.areaPosition(a, 2), w.p.areaPosition(a, 3), caret()], [top + 2, 2, [top + 3, 4]], "a drag selects from where it was pressed to where it was released");
    w.press(KEY.home, CONTROL);
    t.eq(w.p.areaFind(a, w.s("line 5")), 1, "find: a match");
    t.eq([w.p.areaPosition(a, 2), w.p.areaPosition(a, 3), caret()], [5, 0, [5, 6]], "the next match after the caret is selected");
    w.p.areaFind(a, w.s("line 5"));
    t.eq([w.p.areaPosition(a, 2), caret()[0]], [50, 50], "again: the next one, \"line 50\"");
    for (let i = 0; i < 10; i++) w.p.areaFind(a, w.s("line 5"));
    t.eq(w.p.areaPosition(a, 2), 5, "past the last (\"line 59\") it goes round to the first");
    t.ok(w.p.areaFirstLine(a) <= 5 && w.p.areaFirstLine(a) + visible > 5, "the match is scrolled into view");
    t.eq(w.p.areaFind(a, w.s("absent")), 0, "no match: false");
    w.painted();
    const pixels = w.pixels();
    const row = 1 + (5 - w.p.areaFirstLine(a)) * lh + (lh >> 1);
    const highlighted = [...Array(60).keys()].filter((i) => pixels[row * 300 + x0 + i] === SELECTION).length;
    t.ok(highlighted > 10, `the match is highlighted (${highlighted} pixels of the selection colour on its row)`);
    const wide = new Window(120, 60);
    const b = wide.p.addArea(-1, 0, 0, 120, 60, wide.s(""), 0);
    wide.press(KEY.tab);
    wide.type("a line much wider than the area");
    t.ok(wide.p.areaScrollX(b) > 0, `a long line scrolls sideways (${wide.p.areaScrollX(b)} pixels)`);
    wide.press(KEY.home);
    t.eq(wide.p.areaScrollX(b), 0, "Home scrolls back");
  });

  test("text areas: typing repaints its line only", (t) => {
    const w = new Window(300, 200);
    const a = w.p.addArea(-1, 0, 0, 300, 200, w.s("one\ntwo\nthree"), 0);
    w.press(KEY.tab);
    w.press(KEY.down);
    w.painted();
    w.type("x");
    const lh = w.p.lineHeight(), pad = w.p.padding();
    t.eq(w.painted(), [[pad, 1 + lh, 300 - 2 * pad - 10, lh]], "one line's rectangle");
    t.eq(a, 0, "the first widget");
  });

  test("tables: cells in columns under a header, rows kept by a list", (t) => {
    const w = new Window(320, 200);
    const view = w.p.addScrollView(-1, 0, 30, 320, 120);
    const table = w.p.addTable(view, 0, 0, 0, 0, w.s("Name:120\nSize:80:right\nKind:60"), w.s("notes\t12 B\tfile\nphotos\t\tfolder"));
    const header = w.p.addTableHeader(table, 0, 0, 310, 30);
    t.eq([w.p.tableColumnX(table, 0), w.p.tableColumnX(table, 1), w.p.tableColumnX(table, 2)], [0, 120, 200], "columns side by side");
    t.eq([readString(w.p, w.p.tableCell(table, 0, 1)), readString(w.p, w.p.tableCell(table, 1, 2))], ["12 B", "folder"], "cells by row and column");
    w.p.tableFit(table, 310);
    t.eq(w.p.columnWidth(table, 2), 110, "the last column takes the rest of the width");
    w.press(KEY.tab);
    w.press(KEY.down); w.press(KEY.down); w.press(KEY.enter);
    t.eq(w.activations(), `${table}:1\n`, "keys select a row and Enter tells the listener, as a list does");
    w.painted();
    const pixels = w.pixels();
    const lay = drawText(atlas!, "12 B");
    const rowTop = 30 + 2;
    const right = 200 - w.p.padding();
    let ink = 0, misplaced = 0;
    for (let y = rowTop; y < rowTop + lay.height; y++) {
      for (let x = 120; x < 200; x++) {
        const lx = x - (right - lay.width), coverage = lx >= 0 && lx < lay.width ? lay.coverage[(y - rowTop) * lay.width + lx]! : 0;
        if (coverage > 0) ink++;
        if (pixels[y * 320 + x] !== blendPixel(FOREGROUND, FIELD, coverage)) misplaced++;
      }
    }
    t.ok(ink > 0 && misplaced === 0, `the size is right-aligned in its column, pixel for pixel (${misplaced} pixels differ)`);
    const headerInk = [...Array(100).keys()].filter((i) => pixels[15 * 320 + 120 + i] !== 0xdde2e7).length;
    t.ok(headerInk > 0, "the header draws the titles");
    t.eq(header >= 0, true, "header");
  });

  test("dialogs: modal, the buttons by Tab and keys, Escape for the last, a click, the focus given back", (t) => {
    const w = new Window(400, 300);
    const f = w.field(10, 10, 200, 24, "");
    w.press(KEY.tab);
    const d = w.p.openDialog(w.s("Delete notes.txt?"), w.s("Delete\nCancel"));
    t.eq([w.p.dialogOpen(d), w.p.dialogFocused(d)], [1, 0], "open, the first button focused");
    w.type("x");
    t.eq(w.text(f), "", "keys go to the dialog, not to the field under it");
    w.click(30, 20);
    t.eq([w.p.dialogOpen(d), w.p.focusIndex() === f], [1, false], "a click outside neither closes it nor reaches the field");
    w.press(KEY.tab);
    t.eq(w.p.dialogFocused(d), 1, "Tab: the next button");
    w.press(KEY.right);
    t.eq(w.p.dialogFocused(d), 0, "Right goes round");
    w.press(KEY.enter);
    t.eq([w.p.dialogOpen(d), w.activations(), w.p.focusIndex()], [0, `${d}:0\n`, f], "Enter chooses the focused button, closes, and the field has the focus back");
    const e = w.p.openDialog(w.s("Again?"), w.s("Yes\nNo"));
    w.press(KEY.escape);
    t.eq(w.activations(), `${e}:1\n`, "Escape chooses the last button");
    const g = w.p.openDialog(w.s("Click"), w.s("Yes\nNo"));
    w.click(w.p.dialogButtonX(g, 1) + 5, w.p.dialogButtonY(g, 1) + 5);
    t.eq([w.p.dialogOpen(g), w.activations()], [0, `${g}:1\n`], "a click on a button chooses it");
    const h = w.p.openDialog(w.s("Drag off"), w.s("Yes\nNo"));
    w.p.pointerTo(w.p.dialogButtonX(h, 0) + 5, w.p.dialogButtonY(h, 0) + 5);
    w.p.button(1);
    w.p.pointerTo(5, 5);
    w.p.button(0);
    t.eq([w.p.dialogOpen(h), w.activations()], [1, ""], "pressed on a button and released away from it: nothing chosen");
  });
}
