// The terminal core (desktop/terminal), compiled by asc and run in V8
// (tests/desktop/assembly/terminal.ts): byte streams of text and VT100/ANSI
// sequences give the grid, colours, scrollback and replies a VT100-style
// terminal gives; the view draws each cell exactly as the host's layout of
// the DejaVu Sans Mono atlas says, and redraws only the cells that changed.

import type { TestFunction } from "../harness";
import { drawText, encodeGlyphAtlas, mixChannel, rasteriseGlyphAtlas, type GlyphAtlas } from "../../sdk/host/glyph-atlas";
import { giveBytes, loadProgram, readPixels, readString, type Program } from "./program";

const MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
const DEFAULT_FOREGROUND = 0xd0d0d0;
const DEFAULT_BACKGROUND = 0x101418;

interface TerminalProgram extends Program {
  openFont(data: number, length: number): number;
  newTerminal(columns: number, rows: number, scrollback: number): void;
  feed(bytes: number, length: number): void;
  lineText(y: number): number;
  scrollbackLength(): number;
  scrollbackText(index: number): number;
  cursorX(): number;
  cursorY(): number;
  cursorVisible(): number;
  cellCharacter(x: number, y: number): number;
  cellFlags(x: number, y: number): number;
  cellForeground(x: number, y: number): number;
  cellBackground(x: number, y: number): number;
  replies(): number;
  newView(width: number, height: number, colour: number, originX: number, originY: number): number;
  cellWidth(): number;
  cellHeight(): number;
  render(): void;
  scrollView(lines: number): void;
  setFocused(focused: number): void;
  damageX(): number;
  damageY(): number;
  damageWidth(): number;
  damageHeight(): number;
  bytesOfKey(kind: number, code: number, value: number, text: number): number;
  resize(columns: number, rows: number): void;
  select(anchorColumn: number, anchorRow: number, headColumn: number, headRow: number): number;
  clearSelection(): void;
}

class Harness {
  readonly p = loadProgram<TerminalProgram>("terminal");
  constructor(columns: number, rows: number, scrollback = 100) { this.p.newTerminal(columns, rows, scrollback); }
  feed(text: string | Uint8Array): this {
    const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
    this.p.feed(giveBytes(this.p, bytes), bytes.length);
    return this;
  }
  lines(rows: number): string[] { return [...Array(rows).keys()].map((y) => readString(this.p, this.p.lineText(y))); }
  scrollback(): string[] { return [...Array(this.p.scrollbackLength()).keys()].map((i) => readString(this.p, this.p.scrollbackText(i))); }
  cursor(): [number, number] { return [this.p.cursorX(), this.p.cursorY()]; }
  replies(): string { return readString(this.p, this.p.replies()); }
}

/** xterm's 256 colours, computed here independently of the terminal's table. */
function xterm(index: number): number {
  const named = [0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff];
  if (index < 16) return named[index]!;
  if (index >= 232) { const g = 8 + (index - 232) * 10; return g * 0x010101; }
  const level = (n: number) => (n === 0 ? 0 : 55 + 40 * n);
  const c = index - 16;
  return (level(Math.floor(c / 36)) << 16) | (level(Math.floor(c / 6) % 6) << 8) | level(c % 6);
}

function blendPixel(foreground: number, background: number, coverage: number): number {
  const channel = (shift: number) => mixChannel((foreground >> shift) & 255, (background >> shift) & 255, coverage) << shift;
  return channel(16) | channel(8) | channel(0);
}

/** The pixels one cell should have: its background, the glyph's coverage blended over it, cut to the cell. */
function expectedCell(atlas: GlyphAtlas, character: string, foreground: number, background: number, width: number, height: number): number[] {
  const glyph = drawText(atlas, character);
  const pixels: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const coverage = character === " " || x >= glyph.width || y >= glyph.height ? 0 : glyph.coverage[y * glyph.width + x]!;
      pixels.push(blendPixel(foreground, background, coverage));
    }
  }
  return pixels;
}

export function register(test: TestFunction): void {
  test("text, line wrap, carriage return and line feed, and scrolling into a bounded scrollback", (t) => {
    const h = new Harness(10, 4, 5);
    h.feed("hello\r\nworld\r\n0123456789AB");
    t.eq(h.lines(4), ["hello", "world", "0123456789", "AB"], "the 11th character wraps to the next line");
    t.eq(h.cursor(), [2, 3], "cursor after AB");
    h.feed("\r\n");
    t.eq(h.lines(4), ["world", "0123456789", "AB", ""], "a line feed on the last row scrolls");
    t.eq(h.scrollback(), ["hello"], "the line that left the top is in the scrollback");
    for (let i = 0; i < 10; i++) h.feed(`line ${i}\r\n`);
    t.eq(h.scrollback(), ["line 2", "line 3", "line 4", "line 5", "line 6"], "the scrollback keeps its last 5 lines");
    t.eq(h.lines(4), ["line 7", "line 8", "line 9", ""], "screen after 10 more lines");
    const exact = new Harness(4, 2).feed("abcd");
    t.eq([exact.cursor(), exact.lines(2)], [[3, 0], ["abcd", ""]], "writing the last column leaves the cursor there (pending wrap)");
    exact.feed("\rX");
    t.eq(exact.lines(2), ["Xbcd", ""], "a carriage return cancels the pending wrap");
    const tabs = new Harness(20, 1).feed("a\tb\tc\x08\x08d");
    t.eq(tabs.lines(1), ["a       b      dc"], "tabs every 8 columns, backspace");
  });

  test("cursor movement, erase in display and line, insert and delete", (t) => {
    const h = new Harness(8, 4);
    h.feed("\x1b[2;3HX\x1b[AY\x1b[2BZ\x1b[10CW\x1b[3DV\x1b[HA\x1b[4;8HE");
    t.eq(h.lines(4), ["A  Y", "  X", "    V  W", "       E"], "CUP, CUU, CUD, CUF (clamped), CUB (V over Z)");
    h.feed("\x1b[1;1H\x1b[3GG\x1b[2dD");
    t.eq(h.lines(4), ["A GY", "  XD", "    V  W", "       E"], "CHA and VPA");
    const e = new Harness(6, 3).feed("aaaaaa\r\nbbbbbb\r\ncccccc");
    e.feed("\x1b[2;3H\x1b[K");
    t.eq(e.lines(3), ["aaaaaa", "bb", "cccccc"], "EL 0 erases to the line's end");
    e.feed("\x1b[1K");
    t.eq(e.lines(3), ["aaaaaa", "", "cccccc"], "EL 1 erases from the line's start to the cursor");
    e.feed("\x1b[1;4H\x1b[J");
    t.eq(e.lines(3), ["aaa", "", ""], "ED 0 erases to the screen's end");
    e.feed("x\x1b[2J");
    t.eq(e.lines(3), ["", "", ""], "ED 2 erases everything");
    const s = new Harness(6, 3, 10).feed("1\r\n2\r\n3\r\n4\r\n");
    t.eq(s.scrollback(), ["1", "2"], "two lines in the scrollback");
    s.feed("\x1b[3J");
    t.eq(s.scrollback(), [], "ED 3 clears the scrollback");
    const c = new Harness(8, 1).feed("abcdef\x1b[1;3H\x1b[2@\x1b[1;1H\x1b[P");
    t.eq(c.lines(1), ["b  cdef"], "ICH inserts blanks, DCH deletes characters");
    c.feed("\x1b[1;2H\x1b[3X");
    t.eq(c.lines(1), ["b   def"], "ECH erases characters in place");
    const l = new Harness(4, 4).feed("1\r\n2\r\n3\r\n4\x1b[2;1H\x1b[L");
    t.eq(l.lines(4), ["1", "", "2", "3"], "IL pushes lines down");
    l.feed("\x1b[2M");
    t.eq(l.lines(4), ["1", "3", "", ""], "DL pulls lines up");
    const saved = new Harness(8, 2).feed("ab\x1b7\x1b[2;5Hxy\x1b8c");
    t.eq(saved.lines(2), ["abc", "    xy"], "DECSC and DECRC");
  });

  test("scrolling regions: lines outside the region stay, and only the full screen's top feeds the scrollback", (t) => {
    const h = new Harness(6, 5, 10);
    h.feed("top\r\nr1\r\nr2\r\nr3\r\nfoot");
    h.feed("\x1b[2;4r");
    t.eq(h.cursor(), [0, 0], "DECSTBM homes the cursor");
    h.feed("\x1b[4;1H\nnew");
    t.eq(h.lines(5), ["top", "r2", "r3", "new", "foot"], "a line feed at the region's bottom scrolls the region only");
    t.eq(h.scrollback(), [], "a region below the top feeds no scrollback");
    h.feed("\x1b[2;1H\x1bMins");
    t.eq(h.lines(5), ["top", "ins", "r2", "r3", "foot"], "reverse index at the region's top scrolls it down");
    h.feed("\x1b[2;1H\x1b[5A");
    t.eq(h.cursor(), [0, 1], "CUU stops at the region's top");
    h.feed("\x1b[2S");
    t.eq(h.lines(5), ["top", "r3", "", "", "foot"], "SU scrolls the region up");
    h.feed("\x1b[T");
    t.eq(h.lines(5), ["top", "", "r3", "", "foot"], "SD scrolls the region down");
    h.feed("\x1b[?6h\x1b[2;2Hx\x1b[?6l");
    t.eq(h.lines(5), ["top", "", "rx", "", "foot"], "origin mode counts rows from the region's top");
    h.feed("\x1b[r\x1b[5;1H\n");
    t.eq(h.scrollback(), ["top"], "with the region reset, the full screen scrolls into the scrollback");
  });

  test("colours: the 16 named, the 256 palette, direct colours, bold, inverse and resets", (t) => {
    const h = new Harness(16, 2);
    h.feed("\x1b[31ma\x1b[1mb\x1b[0;94;42mc\x1b[38;5;196;48;5;236md\x1b[38;5;100me\x1b[48;5;250mf");
    h.feed("\x1b[38;2;1;2;3mg\x1b[39;49mh\x1b[7mi\x1b[27;4mj\x1b[0mk");
    const fg = (x: number) => h.p.cellForeground(x, 0), bg = (x: number) => h.p.cellBackground(x, 0);
    t.eq([fg(0), bg(0)], [xterm(1), DEFAULT_BACKGROUND], "SGR 31");
    t.eq(fg(1), xterm(9), "bold red draws bright red");
    t.eq([fg(2), bg(2)], [xterm(12), xterm(2)], "SGR 0;94;42");
    t.eq([fg(3), bg(3)], [xterm(196), xterm(236)], "256 colours 196 on 236 (cube and grey ramp)");
    t.eq([fg(4), bg(5)], [xterm(100), xterm(250)], "more palette entries");
    t.eq(fg(6), 0x010203, "direct colour 38;2;1;2;3");
    t.eq([fg(7), bg(7)], [DEFAULT_FOREGROUND, DEFAULT_BACKGROUND], "SGR 39 and 49");
    t.eq([h.p.cellFlags(8, 0), h.p.cellFlags(9, 0), h.p.cellFlags(10, 0)], [4, 2, 0], "inverse, underline, reset");
    h.feed("\x1b[44m\x1b[2K");
    t.eq(bg(0), xterm(4), "erased cells take the current background");
    for (let i = 0; i < 256; i++) {
      h.feed(`\x1b[H\x1b[38;5;${i}mX`);
      if (fg(0) !== xterm(i)) { t.eq(fg(0), xterm(i), `palette entry ${i}`); break; }
    }
  });

  test("UTF-8 text, malformed bytes as U+FFFD, sequences split across writes, replies, ignored OSC", (t) => {
    const h = new Harness(12, 2);
    h.feed("é€┌─┐");
    t.eq(h.lines(1), ["é€┌─┐"], "two- and three-byte characters");
    h.feed(new Uint8Array([0x0d, 0x0a, 0x41, 0xff, 0x42, 0xe2, 0x82, 0x43, 0x80]));
    t.eq(h.lines(2)[1], "A\ufffdB\ufffdC\ufffd", "an invalid byte, a cut sequence and a stray continuation");
    const split = new Harness(12, 1);
    split.feed(new Uint8Array([0xe2, 0x82])).feed(new Uint8Array([0xac])).feed("\x1b[").feed("3").feed("1mR");
    t.eq([split.lines(1)[0], split.p.cellForeground(1, 0)], ["€R", xterm(1)], "a character and a CSI split across writes");
    split.feed("\x1b]0;window title\x07after\x1b]2;t\x1b\\!");
    t.eq(split.lines(1)[0], "€Rafter!", "OSC strings are read and ignored");
    split.feed("\x1b[1;5H\x1b[6n\x1b[5n\x1b[c");
    t.eq(split.replies(), "\x1b[1;5R\x1b[0n\x1b[?1;2c", "DSR 6 (cursor position), DSR 5, DA");
    split.feed("\x1b[?25l");
    t.eq(split.p.cursorVisible(), 0, "?25l hides the cursor");
    split.feed("\x1bc");
    t.eq([split.lines(1)[0], split.cursor(), split.p.cursorVisible()], ["", [0, 0], 1], "RIS resets the screen and the modes");
  });

  test("the view draws every cell as the host lays out DejaVu Sans Mono, and redraws only what changed", (t) => {
    const atlas = rasteriseGlyphAtlas({ font: MONO, size: 14 });
    const h = new Harness(6, 3);
    const bytes = encodeGlyphAtlas(atlas);
    t.eq(h.p.openFont(giveBytes(h.p, bytes), bytes.length), 1, "the atlas opens");
    h.feed("Ab\x1b[31;47m█\x1b[0m┼é\r\n\x1b[7mx\x1b[0m\x1b[4mu");
    const ox = 3, oy = 2, width = 80, height = 70, outside = 0x123456;
    const at = h.p.newView(width, height, outside, ox, oy);
    const cw = h.p.cellWidth(), ch = h.p.cellHeight();
    t.eq([cw, ch], [Math.ceil(atlas.glyphs.find((g) => g.codepoint === 0x4d)!.advance / 64), atlas.lineHeight], "cell size from the atlas");
    h.p.render();
    t.eq([h.p.damageX(), h.p.damageY(), h.p.damageWidth(), h.p.damageHeight()], [ox, oy, 6 * cw, 3 * ch], "the first render draws every cell");
    let pixels = readPixels(h.p, at, width, height);
    const cell = (column: number, row: number) => {
      const got: number[] = [];
      for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) got.push(pixels[(oy + row * ch + y) * width + ox + column * cw + x]!);
      return got;
    };
    const fg = DEFAULT_FOREGROUND, bg = DEFAULT_BACKGROUND;
    const cases: Array<[number, number, string, number, number, string]> = [
      [0, 0, "A", fg, bg, "plain A"], [1, 0, "b", fg, bg, "plain b"], [2, 0, "█", xterm(1), xterm(7), "a red block on white"],
      [3, 0, "┼", fg, bg, "box drawing"], [4, 0, "é", fg, bg, "Latin-1"], [0, 1, "x", bg, fg, "inverse x"],
      [2, 1, " ", bg, fg, "the cursor cell, inverse"], [5, 2, " ", fg, bg, "a blank cell"],
    ];
    for (const [column, row, character, foreground, background, what] of cases) {
      t.eq(cell(column, row), expectedCell(atlas, character, foreground, background, cw, ch), `${what}: every pixel`);
    }
    const underline = cell(1, 1);
    t.ok(underline.slice((atlas.ascent + 1) * cw, (atlas.ascent + 2) * cw).every((p) => p === fg), "underline under u");
    t.ok(pixels.every((p, i) => { const x = i % width, y = Math.floor(i / width);
      return (x >= ox && y >= oy && x < ox + 6 * cw && y < oy + 3 * ch) || p === outside; }), "nothing drawn outside the grid");

    // One character more: that cell, and the cursor's old and new cells, nothing else.
    const before = readPixels(h.p, at, width, height);
    h.feed("\x1b[0mQ");
    h.p.render();
    t.eq([h.p.damageX(), h.p.damageY(), h.p.damageWidth(), h.p.damageHeight()], [ox + 2 * cw, oy + ch, 2 * cw, ch], "damage: Q's cell and the cursor's next");
    pixels = readPixels(h.p, at, width, height);
    let changedOutside = 0;
    for (let i = 0; i < pixels.length; i++) {
      const x = i % width, y = Math.floor(i / width);
      const inside = x >= ox + 2 * cw && x < ox + 4 * cw && y >= oy + ch && y < oy + 2 * ch;
      if (!inside && pixels[i] !== before[i]) changedOutside++;
    }
    t.eq(changedOutside, 0, "no pixel outside the damage changed");
    t.eq(cell(2, 1), expectedCell(atlas, "Q", fg, bg, cw, ch), "Q drawn");
    h.p.render();
    t.eq(h.p.damageWidth() * h.p.damageHeight(), 0, "nothing changed: nothing drawn");

    // Scrolled back into the history: the line that left the top is shown above.
    h.feed("\r\n\r\nlast");
    h.p.render();
    h.p.scrollView(1);
    h.p.render();
    pixels = readPixels(h.p, at, width, height);
    t.eq(cell(0, 0), expectedCell(atlas, "A", fg, bg, cw, ch), "scrolled back one line, the scrollback's line is on the top row");
    t.eq(cell(0, 1), expectedCell(atlas, "x", bg, fg, cw, ch), "and the screen's lines below it");
  });

  test("keys become the bytes a VT100 terminal sends", (t) => {
    const h = new Harness(2, 1);
    const SHIFT = 1 << 24, CONTROL = 1 << 25, ALT = 1 << 26;
    const key = (code: number, text = 0, value = 1) => readString(h.p, h.p.bytesOfKey(1, code, value, text));
    t.eq([key(0x04, 0x61), key(0x04, SHIFT | 0x41), key(0x08, 0xe9)], ["a", "A", "é"], "characters as typed");
    t.eq([key(0x28), key(0x2a), key(0x2b), key(0x29)], ["\r", "\x7f", "\t", "\x1b"], "Enter, Backspace, Tab, Escape");
    t.eq([key(0x52), key(0x51), key(0x4f), key(0x50), key(0x4a), key(0x4d), key(0x4c)],
      ["\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1b[H", "\x1b[F", "\x1b[3~"], "cursor and editing keys");
    t.eq([key(0x04, CONTROL | 0x61), key(0x1a, CONTROL | 0x77), key(0x2f, CONTROL | 0x5b)], ["\x01", "\x17", "\x1b"], "Control with a letter or [");
    t.eq([key(0x04, ALT | 0x61), key(0x04, 0x61, 0), key(0xe1, SHIFT)], ["\x1ba", "", ""], "Alt prefixes ESC; releases and modifiers alone send nothing");
    t.eq(readString(h.p, h.p.bytesOfKey(2, 100, 100, 0)), "", "a pointer event sends nothing");
  });

  test("a resize cuts or pads lines, keeps the cursor's line on screen (lines above it go to the scrollback), and the grid goes on", (t) => {
    const h = new Harness(10, 4);
    h.feed("0123456789\r\nb\r\nc\r\nd");
    t.eq([h.lines(4), h.cursor()], [["0123456789", "b", "c", "d"], [1, 3]], "before");
    h.p.resize(6, 2);
    t.eq([h.lines(2), h.scrollback(), h.cursor()], [["c", "d"], ["012345", "b"], [1, 1]], "6 x 2: the two lines above the cursor's went to the scrollback, cut to 6 columns");
    h.p.resize(8, 4);
    t.eq([h.lines(4), h.cursor()], [["c", "d", "", ""], [1, 1]], "8 x 4: blank lines added at the bottom, the cursor where it was");
    h.feed("xyz1234567\r\n\x1b[4;1Hlast");
    t.eq(h.lines(4), ["c", "dxyz1234", "567", "last"], "text wraps at the new width and the cursor reaches the new last row");
    h.feed("\r\nmore");
    t.eq([h.lines(4), h.scrollback().slice(-1)], [["dxyz1234", "567", "last", "more"], ["c"]], "and the whole new screen scrolls");
  });

  test("a selection: its text in reading order either way across lines, blanks at line ends cut; selected cells drawn swapped", (t) => {
    const atlas = rasteriseGlyphAtlas({ font: MONO, size: 14 });
    const h = new Harness(10, 3);
    const bytes = encodeGlyphAtlas(atlas);
    t.eq(h.p.openFont(giveBytes(h.p, bytes), bytes.length), 1, "the atlas opens");
    h.feed("hello\r\nworld\x1b[?25l");
    const at = h.p.newView(200, 100, 0, 0, 0);
    const cw = h.p.cellWidth(), ch = h.p.cellHeight();
    t.eq(readString(h.p, h.p.select(1, 0, 2, 1)), "ello\nwor", "from (1, 0) to (2, 1)");
    t.eq(readString(h.p, h.p.select(2, 1, 1, 0)), "ello\nwor", "the same, dragged backwards");
    t.eq(readString(h.p, h.p.select(3, 0, 9, 0)), "lo", "blanks at the line's end are not text");
    h.p.render();
    const pixels = readPixels(h.p, at, 200, 100);
    const cell = (column: number, row: number) => {
      const got: number[] = [];
      for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) got.push(pixels[(row * ch + y) * 200 + column * cw + x]!);
      return got;
    };
    const fg = DEFAULT_FOREGROUND, bg = DEFAULT_BACKGROUND;
    t.eq(cell(3, 0), expectedCell(atlas, "l", bg, fg, cw, ch), "a selected cell: its colours swapped, every pixel");
    t.eq(cell(9, 0), expectedCell(atlas, " ", bg, fg, cw, ch), "a selected blank too");
    t.eq(cell(2, 0), expectedCell(atlas, "l", fg, bg, cw, ch), "a cell before the selection as it was");
    h.p.clearSelection();
    h.p.render();
    const cleared = readPixels(h.p, at, 200, 100);
    t.eq(cleared[0 * 200 + 3 * cw + 0], bg, "cleared, the cell is drawn as before");
  });
}
