// A terminal emulator's core: bytes in (UTF-8 text and VT100/ANSI control
// sequences), a character grid out (screen.ts). It understands what a
// shell and full-screen programs use:
//
//   C0        BS HT LF VT FF CR (BEL and the rest ignored)
//   ESC       7 8 (save/restore cursor) D (index) E (next line) M (reverse index) c (reset);
//             ESC ( X and the like are read and ignored (one character set)
//   CSI       A B C D E F G H f d (cursor) J K (erase in display/line, ED 3 the scrollback)
//             L M (lines) @ P X (characters) S T (scroll) r (scrolling region) s u
//             m (SGR: 0 1 4 7 22 24 27 30-37 38;5;n 38;2;r;g;b 39 40-47 48;… 49 90-97 100-107)
//             h l (?25 cursor visible, ?7 autowrap, ?6 origin mode) n (status, cursor position) c
//   OSC       read to BEL or ST and ignored (window titles)
//
// What it answers (DSR, DA) waits in `replies` for whoever feeds it to send
// back to the program. Missing: the alternate screen, character sets other
// than UTF-8, insert mode, double-width characters, reflowing lines on a
// resize (they are cut or padded).

import { COLOUR_DEFAULT, COLOUR_RGB } from "./palette";
import { FLAG_BOLD, FLAG_INVERSE, FLAG_UNDERLINE, Line, Screen, Style } from "./screen";

const enum State { Ground, Escape, EscapeCharset, Csi, Osc, OscEscape }

const PARAMETERS_MAXIMUM = 16;
const TAB_WIDTH = 8;
const REPLACEMENT: u32 = 0xfffd;

class SavedCursor {
  x: i32 = 0;
  y: i32 = 0;
  style: Style = new Style();
  originMode: bool = false;
}

export class Terminal {
  readonly screen: Screen;
  /** The cursor: column and row on screen, from 0. */
  cursorX: i32 = 0;
  cursorY: i32 = 0;
  cursorVisible: bool = true;
  /** Bytes the terminal answers with (DSR, DA), for the program it runs; the feeder empties it. */
  readonly replies: u8[] = [];

  private readonly style: Style = new Style();
  private readonly saved: SavedCursor = new SavedCursor();
  /** The last column was written: the next character goes to the next line first (DEC's pending wrap). */
  private pendingWrap: bool = false;
  private autowrap: bool = true;
  private originMode: bool = false;
  /** The scrolling region, rows [top, bottom). */
  private top: i32 = 0;
  private bottom: i32;

  private state: State = State.Ground;
  private readonly parameters: StaticArray<i32> = new StaticArray<i32>(PARAMETERS_MAXIMUM);
  private parameterCount: i32 = 0;
  private privateMarker: i32 = 0;
  private intermediate: i32 = 0;
  /** A UTF-8 sequence being read: its codepoint so far and the bytes still to come. */
  private utf8Value: u32 = 0;
  private utf8Left: i32 = 0;

  constructor(public columns: i32, public rows: i32, scrollbackLimit: i32 = 1000) {
    this.screen = new Screen(columns, rows, scrollbackLimit);
    this.bottom = rows;
  }

  /** Feeds `length` bytes at `bytes`. */
  write(bytes: usize, length: usize): void {
    for (let i: usize = 0; i < length; i++) this.byte(load<u8>(bytes + i));
  }

  /** Feeds a string as UTF-8 (tests, and text a program's host writes itself). */
  writeString(text: string): void {
    const bytes = String.UTF8.encode(text);
    this.write(changetype<usize>(bytes), <usize>bytes.byteLength);
  }

  /** Row `y` of the screen (0: top). */
  line(y: i32): Line { return this.screen.line(y); }

  /** The text of screen row `y`, trailing blanks cut. */
  text(y: i32): string { return this.screen.line(y).text(); }

  byte(value: u8): void {
    const c = <i32>value;
    if (this.state == State.Ground && c >= 0x80) { this.utf8Byte(c); return; }
    if (this.utf8Left > 0) {
      // A sequence cut short by a control: what was read of it becomes one replacement character.
      this.utf8Left = 0;
      this.print(REPLACEMENT);
    }
    if (c == 0x1b && this.state != State.Osc && this.state != State.OscEscape) { this.enterEscape(); return; }
    if (c < 0x20 && this.state != State.Osc) { this.control(c); return; }
    switch (this.state) {
      case State.Ground: this.print(<u32>c); break;
      case State.Escape: this.escape(c); break;
      case State.EscapeCharset: this.state = State.Ground; break;
      case State.Csi: this.csiByte(c); break;
      case State.Osc:
        if (c == 0x07) this.state = State.Ground;
        else if (c == 0x1b) this.state = State.OscEscape;
        break;
      case State.OscEscape: this.state = c == 0x5c ? State.Ground : State.Osc; break;
    }
  }

  private utf8Byte(c: i32): void {
    if ((c & 0xc0) == 0x80) {
      if (this.utf8Left == 0) { this.print(REPLACEMENT); return; }
      this.utf8Value = (this.utf8Value << 6) | <u32>(c & 0x3f);
      if (--this.utf8Left == 0) this.print(this.utf8Value > 0x10ffff ? REPLACEMENT : this.utf8Value);
      return;
    }
    if (this.utf8Left > 0) this.print(REPLACEMENT);
    if ((c & 0xe0) == 0xc0) { this.utf8Value = <u32>(c & 0x1f); this.utf8Left = 1; }
    else if ((c & 0xf0) == 0xe0) { this.utf8Value = <u32>(c & 0x0f); this.utf8Left = 2; }
    else if ((c & 0xf8) == 0xf0) { this.utf8Value = <u32>(c & 0x07); this.utf8Left = 3; }
    else { this.utf8Left = 0; this.print(REPLACEMENT); }
  }

  private enterEscape(): void {
    this.state = State.Escape;
    this.parameterCount = 0;
    this.privateMarker = 0;
    this.intermediate = 0;
    unchecked(this.parameters[0] = 0);
  }

  private control(c: i32): void {
    switch (c) {
      case 0x08: if (this.cursorX > 0) this.cursorX--; this.pendingWrap = false; break;
      case 0x09: this.cursorX = min(this.columns - 1, (this.cursorX / TAB_WIDTH + 1) * TAB_WIDTH); this.pendingWrap = false; break;
      case 0x0a: case 0x0b: case 0x0c: this.index(); break;
      case 0x0d: this.cursorX = 0; this.pendingWrap = false; break;
      case 0x18: case 0x1a: this.state = State.Ground; break; // CAN, SUB: cancel a sequence
    }
  }

  private escape(c: i32): void {
    this.state = State.Ground;
    switch (c) {
      case 0x5b: this.state = State.Csi; break; // [
      case 0x5d: this.state = State.Osc; break; // ]
      case 0x28: case 0x29: case 0x2a: case 0x2b: this.state = State.EscapeCharset; break;
      case 0x37: this.saveCursor(); break; // 7
      case 0x38: this.restoreCursor(); break; // 8
      case 0x44: this.index(); break; // D
      case 0x45: this.cursorX = 0; this.index(); break; // E
      case 0x4d: this.reverseIndex(); break; // M
      case 0x63: this.reset(); break; // c
    }
  }

  private csiByte(c: i32): void {
    if (c >= 0x30 && c <= 0x39) {
      const at = this.parameterCount;
      if (at < PARAMETERS_MAXIMUM) unchecked(this.parameters[at] = min(this.parameters[at] * 10 + (c - 0x30), 65535));
    } else if (c == 0x3b || c == 0x3a) {
      if (this.parameterCount < PARAMETERS_MAXIMUM) this.parameterCount++;
      if (this.parameterCount < PARAMETERS_MAXIMUM) unchecked(this.parameters[this.parameterCount] = 0);
    } else if (c >= 0x3c && c <= 0x3f) {
      this.privateMarker = c;
    } else if (c >= 0x20 && c <= 0x2f) {
      this.intermediate = c;
    } else if (c >= 0x40 && c <= 0x7e) {
      this.state = State.Ground;
      if (this.parameterCount < PARAMETERS_MAXIMUM) this.parameterCount++;
      if (this.intermediate == 0) this.csi(c);
    } else {
      this.state = State.Ground;
    }
  }

  /** Parameter `i`, or `fallback` when absent or 0 where 0 means the default. */
  private parameter(i: i32, fallback: i32): i32 {
    if (i >= this.parameterCount) return fallback;
    const value = this.parameters[i];
    return value == 0 ? fallback : value;
  }

  private csi(final: i32): void {
    const n = this.parameter(0, 1);
    if (this.privateMarker == 0x3f) { // ?
      if (final == 0x68 || final == 0x6c) this.privateModes(final == 0x68);
      return;
    }
    if (this.privateMarker != 0) {
      if (final == 0x63) this.reply("\x1b[>0;0;0c");
      return;
    }
    switch (final) {
      case 0x41: this.moveVertically(-n); break; // A
      case 0x42: case 0x65: this.moveVertically(n); break; // B e
      case 0x43: case 0x61: this.moveTo(this.cursorX + n, this.cursorY); break; // C a
      case 0x44: this.moveTo(this.cursorX - n, this.cursorY); break; // D
      case 0x45: this.moveVertically(n); this.cursorX = 0; break; // E
      case 0x46: this.moveVertically(-n); this.cursorX = 0; break; // F
      case 0x47: case 0x60: this.moveTo(n - 1, this.cursorY); break; // G `
      case 0x48: case 0x66: this.moveToOrigin(this.parameter(1, 1) - 1, n - 1); break; // H f
      case 0x64: this.moveToOrigin(this.cursorX, n - 1); break; // d
      case 0x4a: this.eraseInDisplay(this.parameter(0, 0)); break; // J
      case 0x4b: this.eraseInLine(this.parameter(0, 0)); break; // K
      case 0x4c: this.insertLines(n); break; // L
      case 0x4d: this.deleteLines(n); break; // M
      case 0x40: this.insertCharacters(n); break; // @
      case 0x50: this.deleteCharacters(n); break; // P
      case 0x58: this.currentLine().erase(this.cursorX, this.cursorX + n, this.style); this.pendingWrap = false; break; // X
      case 0x53: this.screen.scrollUp(this.top, this.bottom, n, this.style, this.top == 0); break; // S
      case 0x54: this.screen.scrollDown(this.top, this.bottom, n, this.style); break; // T
      case 0x72: this.setRegion(this.parameter(0, 1) - 1, this.parameter(1, this.rows)); break; // r
      case 0x73: this.saveCursor(); break; // s
      case 0x75: this.restoreCursor(); break; // u
      case 0x6d: this.selectGraphicRendition(); break; // m
      case 0x6e: // n
        if (this.parameter(0, 0) == 6) {
          const row = this.originMode ? this.cursorY - this.top : this.cursorY;
          this.reply("\x1b[" + (row + 1).toString() + ";" + (this.cursorX + 1).toString() + "R");
        } else if (this.parameter(0, 0) == 5) {
          this.reply("\x1b[0n");
        }
        break;
      case 0x63: if (this.parameter(0, 0) == 0) this.reply("\x1b[?1;2c"); break; // c: a VT100 with advanced video
    }
  }

  private privateModes(set: bool): void {
    for (let i = 0; i < this.parameterCount; i++) {
      switch (this.parameters[i]) {
        case 25: this.cursorVisible = set; break;
        case 7: this.autowrap = set; if (!set) this.pendingWrap = false; break;
        case 6: this.originMode = set; this.moveToOrigin(0, 0); break;
      }
    }
  }

  private selectGraphicRendition(): void {
    const style = this.style;
    for (let i = 0; i < this.parameterCount; i++) {
      const p = this.parameters[i];
      if (p == 0) style.reset();
      else if (p == 1) style.flags |= FLAG_BOLD;
      else if (p == 4) style.flags |= FLAG_UNDERLINE;
      else if (p == 7) style.flags |= FLAG_INVERSE;
      else if (p == 22) style.flags &= ~FLAG_BOLD;
      else if (p == 24) style.flags &= ~FLAG_UNDERLINE;
      else if (p == 27) style.flags &= ~FLAG_INVERSE;
      else if (p >= 30 && p <= 37) style.foreground = <u32>(p - 30);
      else if (p == 39) style.foreground = COLOUR_DEFAULT;
      else if (p >= 40 && p <= 47) style.background = <u32>(p - 40);
      else if (p == 49) style.background = COLOUR_DEFAULT;
      else if (p >= 90 && p <= 97) style.foreground = <u32>(p - 90 + 8);
      else if (p >= 100 && p <= 107) style.background = <u32>(p - 100 + 8);
      else if (p == 38 || p == 48) {
        // 38;5;INDEX or 38;2;R;G;B: the colour's parameters are taken here.
        let colour: i64 = -1;
        if (i + 2 < this.parameterCount && this.parameters[i + 1] == 5) {
          colour = <i64>min(this.parameters[i + 2], 255);
          i += 2;
        } else if (i + 4 < this.parameterCount && this.parameters[i + 1] == 2) {
          colour = <i64>(COLOUR_RGB | (<u32>min(this.parameters[i + 2], 255) << 16)
            | (<u32>min(this.parameters[i + 3], 255) << 8) | <u32>min(this.parameters[i + 4], 255));
          i += 4;
        } else {
          break;
        }
        if (p == 38) style.foreground = <u32>colour; else style.background = <u32>colour;
      }
    }
  }

  private reply(text: string): void {
    const bytes = Uint8Array.wrap(String.UTF8.encode(text));
    for (let i = 0; i < bytes.length; i++) this.replies.push(bytes[i]);
  }

  private currentLine(): Line { return this.screen.line(this.cursorY); }

  private print(character: u32): void {
    if (this.pendingWrap) {
      this.cursorX = 0;
      this.index();
    }
    const style = this.style;
    this.currentLine().set(this.cursorX, character, style.foreground, style.background, style.flags);
    if (this.cursorX < this.columns - 1) this.cursorX++;
    else if (this.autowrap) this.pendingWrap = true;
  }

  /** Down a line, scrolling the region when at its bottom. */
  private index(): void {
    this.pendingWrap = false;
    if (this.cursorY == this.bottom - 1) this.screen.scrollUp(this.top, this.bottom, 1, this.style, this.top == 0);
    else if (this.cursorY < this.rows - 1) this.cursorY++;
  }

  private reverseIndex(): void {
    this.pendingWrap = false;
    if (this.cursorY == this.top) this.screen.scrollDown(this.top, this.bottom, 1, this.style);
    else if (this.cursorY > 0) this.cursorY--;
  }

  private moveTo(x: i32, y: i32): void {
    this.cursorX = max(0, min(x, this.columns - 1));
    this.cursorY = max(0, min(y, this.rows - 1));
    this.pendingWrap = false;
  }

  /** To (x, y) counted from the region's top in origin mode, kept inside it there. */
  private moveToOrigin(x: i32, y: i32): void {
    if (this.originMode) this.moveTo(x, max(this.top, min(y + this.top, this.bottom - 1)));
    else this.moveTo(x, y);
  }

  /** Up or down, stopping at the region's edge when the cursor is inside it. */
  private moveVertically(delta: i32): void {
    let y = this.cursorY + delta;
    if (this.cursorY >= this.top && this.cursorY < this.bottom) y = max(this.top, min(y, this.bottom - 1));
    this.moveTo(this.cursorX, y);
  }

  private setRegion(top: i32, bottom: i32): void {
    bottom = min(bottom, this.rows);
    if (top < 0 || top >= bottom - 1) return;
    this.top = top;
    this.bottom = bottom;
    this.moveToOrigin(0, 0);
  }

  private eraseInDisplay(mode: i32): void {
    const screen = this.screen;
    if (mode == 0) {
      this.currentLine().erase(this.cursorX, this.columns, this.style);
      for (let y = this.cursorY + 1; y < this.rows; y++) screen.line(y).erase(0, this.columns, this.style);
    } else if (mode == 1) {
      for (let y = 0; y < this.cursorY; y++) screen.line(y).erase(0, this.columns, this.style);
      this.currentLine().erase(0, this.cursorX + 1, this.style);
    } else if (mode == 2) {
      for (let y = 0; y < this.rows; y++) screen.line(y).erase(0, this.columns, this.style);
    } else if (mode == 3) {
      screen.clearScrollback();
    }
    this.pendingWrap = false;
  }

  private eraseInLine(mode: i32): void {
    const line = this.currentLine();
    if (mode == 0) line.erase(this.cursorX, this.columns, this.style);
    else if (mode == 1) line.erase(0, this.cursorX + 1, this.style);
    else if (mode == 2) line.erase(0, this.columns, this.style);
    this.pendingWrap = false;
  }

  private insertLines(count: i32): void {
    if (this.cursorY < this.top || this.cursorY >= this.bottom) return;
    this.screen.scrollDown(this.cursorY, this.bottom, count, this.style);
    this.cursorX = 0;
    this.pendingWrap = false;
  }

  private deleteLines(count: i32): void {
    if (this.cursorY < this.top || this.cursorY >= this.bottom) return;
    this.screen.scrollUp(this.cursorY, this.bottom, count, this.style, false);
    this.cursorX = 0;
    this.pendingWrap = false;
  }

  private insertCharacters(count: i32): void {
    const line = this.currentLine();
    count = min(count, this.columns - this.cursorX);
    for (let x = this.columns - 1; x >= this.cursorX + count; x--) line.copyCell(x - count, x);
    line.erase(this.cursorX, this.cursorX + count, this.style);
    this.pendingWrap = false;
  }

  private deleteCharacters(count: i32): void {
    const line = this.currentLine();
    count = min(count, this.columns - this.cursorX);
    for (let x = this.cursorX; x < this.columns - count; x++) line.copyCell(x + count, x);
    line.erase(this.columns - count, this.columns, this.style);
    this.pendingWrap = false;
  }

  private saveCursor(): void {
    this.saved.x = this.cursorX;
    this.saved.y = this.cursorY;
    this.saved.style.copyFrom(this.style);
    this.saved.originMode = this.originMode;
  }

  private restoreCursor(): void {
    this.originMode = this.saved.originMode;
    this.style.copyFrom(this.saved.style);
    this.moveTo(this.saved.x, this.saved.y);
  }

  /**
   * Gives the terminal `columns` × `rows` cells (a window resized): lines
   * are cut or padded, the cursor's line stays on screen (lines above it go
   * to the scrollback when rows are taken away), the scrolling region
   * becomes the whole screen.
   */
  resize(columns: i32, rows: i32): void {
    if (columns == this.columns && rows == this.rows) return;
    const up = this.screen.resize(columns, rows, this.cursorY);
    this.columns = columns;
    this.rows = rows;
    this.top = 0;
    this.bottom = rows;
    this.pendingWrap = false;
    this.moveTo(this.cursorX, this.cursorY - up);
    this.saved.x = min(this.saved.x, columns - 1);
    this.saved.y = max(0, min(this.saved.y - up, rows - 1));
  }

  /** RIS: the state a new terminal has; the scrollback stays. */
  reset(): void {
    this.style.reset();
    this.top = 0;
    this.bottom = this.rows;
    this.autowrap = true;
    this.originMode = false;
    this.cursorVisible = true;
    this.eraseInDisplay(2);
    this.moveTo(0, 0);
    this.saveCursor();
  }
}
