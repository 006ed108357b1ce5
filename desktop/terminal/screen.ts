// The terminal's character grid: `rows` lines of `columns` cells on screen,
// and the lines that scrolled off its top, oldest first, up to a limit
// (the scrollback). Every change marks the cells it touched dirty, so that
// a view redraws those and nothing else (view.ts).
//
// Lines are objects moved between the screen and the scrollback, never
// copied: scrolling a full screen up by one line moves references.

import { COLOUR_DEFAULT } from "./palette";

export const FLAG_BOLD: u8 = 1;
export const FLAG_UNDERLINE: u8 = 2;
export const FLAG_INVERSE: u8 = 4;

/** What new and erased cells take: SGR's current colours and flags. */
export class Style {
  foreground: u32 = COLOUR_DEFAULT;
  background: u32 = COLOUR_DEFAULT;
  flags: u8 = 0;

  reset(): void {
    this.foreground = COLOUR_DEFAULT;
    this.background = COLOUR_DEFAULT;
    this.flags = 0;
  }

  copyFrom(other: Style): void {
    this.foreground = other.foreground;
    this.background = other.background;
    this.flags = other.flags;
  }
}

/** One line of cells: a codepoint (32: blank), two colours and flags each, and a dirty mark. */
export class Line {
  readonly characters: StaticArray<u32>;
  readonly foregrounds: StaticArray<u32>;
  readonly backgrounds: StaticArray<u32>;
  readonly flags: StaticArray<u8>;
  readonly dirty: StaticArray<bool>;
  /** Some cell of the line is dirty. */
  anyDirty: bool = true;

  constructor(readonly columns: i32) {
    this.characters = new StaticArray<u32>(columns);
    this.foregrounds = new StaticArray<u32>(columns);
    this.backgrounds = new StaticArray<u32>(columns);
    this.flags = new StaticArray<u8>(columns);
    this.dirty = new StaticArray<bool>(columns);
    this.erase(0, columns, new Style());
  }

  /** Cells [from, to) blank in `style`'s background. */
  erase(from: i32, to: i32, style: Style): void {
    for (let x = max(0, from); x < min(to, this.columns); x++) this.set(x, 32, COLOUR_DEFAULT, style.background, 0);
  }

  set(x: i32, character: u32, foreground: u32, background: u32, flags: u8): void {
    unchecked(this.characters[x] = character);
    unchecked(this.foregrounds[x] = foreground);
    unchecked(this.backgrounds[x] = background);
    unchecked(this.flags[x] = flags);
    unchecked(this.dirty[x] = true);
    this.anyDirty = true;
  }

  /** Cell `from` to `to` with its colours and flags, dirty. */
  copyCell(from: i32, to: i32): void {
    this.set(to, this.characters[from], this.foregrounds[from], this.backgrounds[from], this.flags[from]);
  }

  markDirty(): void {
    for (let x = 0; x < this.columns; x++) unchecked(this.dirty[x] = true);
    this.anyDirty = true;
  }

  clearDirty(): void {
    for (let x = 0; x < this.columns; x++) unchecked(this.dirty[x] = false);
    this.anyDirty = false;
  }

  /** The line's characters, trailing blanks cut. */
  text(): string {
    let end = this.columns;
    while (end > 0 && this.characters[end - 1] == 32) end--;
    let result = "";
    for (let x = 0; x < end; x++) result += String.fromCodePoint(<i32>this.characters[x]);
    return result;
  }
}

export class Screen {
  readonly lines: Line[] = [];
  /** Lines that scrolled off the top, oldest first. */
  readonly scrollback: Line[] = [];
  /** Lines dropped from the scrollback's front since the start: lets a view that looks into it stay put. */
  dropped: i64 = 0;

  constructor(public columns: i32, public rows: i32, readonly scrollbackLimit: i32) {
    assert(columns > 0 && rows > 0, "terminal: a screen needs at least one column and one row");
    for (let y = 0; y < rows; y++) this.lines.push(new Line(columns));
  }

  line(y: i32): Line { return this.lines[y]; }

  /**
   * Lines [top, bottom) move up by `count`; those leaving at the top go to
   * the scrollback when `keep` (the region is the whole screen's top), new
   * blank lines in `style` enter at the bottom.
   */
  scrollUp(top: i32, bottom: i32, count: i32, style: Style, keep: bool): void {
    count = min(count, bottom - top);
    for (let i = 0; i < count; i++) {
      const leaving = this.lines[top];
      for (let y = top; y < bottom - 1; y++) this.lines[y] = this.lines[y + 1];
      if (keep && this.scrollbackLimit > 0) {
        this.scrollback.push(leaving);
        if (this.scrollback.length > this.scrollbackLimit) { this.scrollback.shift(); this.dropped++; }
        const fresh = new Line(this.columns);
        fresh.erase(0, this.columns, style);
        this.lines[bottom - 1] = fresh;
      } else {
        leaving.erase(0, this.columns, style);
        this.lines[bottom - 1] = leaving;
      }
    }
    for (let y = top; y < bottom; y++) this.lines[y].markDirty();
  }

  /** Lines [top, bottom) move down by `count`; blank lines enter at the top. */
  scrollDown(top: i32, bottom: i32, count: i32, style: Style): void {
    count = min(count, bottom - top);
    for (let i = 0; i < count; i++) {
      const leaving = this.lines[bottom - 1];
      for (let y = bottom - 1; y > top; y--) this.lines[y] = this.lines[y - 1];
      leaving.erase(0, this.columns, style);
      this.lines[top] = leaving;
    }
    for (let y = top; y < bottom; y++) this.lines[y].markDirty();
  }

  /** Every cell dirty (a view's first frame, a change of what it shows). */
  markAllDirty(): void {
    for (let y = 0; y < this.rows; y++) this.lines[y].markDirty();
  }

  /**
   * Gives the screen `columns` × `rows` cells: each line, the scrollback's
   * too, is cut or padded with blanks on the right; fewer rows push lines
   * off the top into the scrollback as far as needed to keep row
   * `keepRow` (the cursor's) on screen, and then drop the bottom ones; more
   * rows add blank lines at the bottom. Returns how many lines went up.
   */
  resize(columns: i32, rows: i32, keepRow: i32): i32 {
    assert(columns > 0 && rows > 0, "terminal: a screen needs at least one column and one row");
    const blank = new Style();
    for (let y = 0; y < this.lines.length; y++) this.lines[y] = widen(this.lines[y], columns);
    for (let i = 0; i < this.scrollback.length; i++) this.scrollback[i] = widen(this.scrollback[i], columns);
    this.columns = columns;
    const up = max(0, keepRow - rows + 1);
    for (let i = 0; i < up; i++) {
      const leaving = this.lines.shift();
      if (this.scrollbackLimit > 0) {
        this.scrollback.push(leaving);
        if (this.scrollback.length > this.scrollbackLimit) { this.scrollback.shift(); this.dropped++; }
      }
    }
    while (this.lines.length > rows) this.lines.pop();
    while (this.lines.length < rows) {
      const fresh = new Line(columns);
      fresh.erase(0, columns, blank);
      this.lines.push(fresh);
    }
    this.rows = rows;
    this.markAllDirty();
    return up;
  }

  /** Forgets the scrollback (ED 3). */
  clearScrollback(): void {
    this.dropped += this.scrollback.length;
    this.scrollback.length = 0;
  }
}

/** `line` with `columns` cells: the same line when it has them, else a copy cut or padded with blanks. */
function widen(line: Line, columns: i32): Line {
  if (line.columns == columns) return line;
  const wider = new Line(columns);
  const kept = min(columns, line.columns);
  for (let x = 0; x < kept; x++) {
    wider.set(x, unchecked(line.characters[x]), unchecked(line.foregrounds[x]), unchecked(line.backgrounds[x]), unchecked(line.flags[x]));
  }
  return wider;
}
