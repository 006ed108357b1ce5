// The shell's line editor: the keys of one request applied to a session,
// the line redrawn once they are (not once per key), and the line run at
// Enter. Keys: text, Backspace, Delete, Left, Right, Home, End, Control-A
// (start), -E (end), -B, -F (left, right), -D (delete), -K (cut to the
// end), -U (cut to the start), -W (cut the word before the cursor), -C
// (drop the line), -L (clear the screen), Tab (complete), Up and Down (the
// history).
//
// The line is redrawn as the prompt, the line, erase to the end and the
// cursor moved back: one line of the terminal, so a line longer than the
// terminal is wide redraws wrongly (the editor does not know the width).

import { Commands } from "./commands";
import { complete } from "./complete";
import { DecodedKeys, InputKey, KeyKind, decodeKeys } from "./keys";
import { Output } from "./output";
import { LINE_BYTES, Session } from "./session";
import { nextCharacter, previousCharacter } from "../toolkit/characters";

export const PROMPT = "delos> ";
export const BANNER = "Delos shell: `help` lists the commands.\n";
const HISTORY_MAXIMUM = 100;

export class Editor {
  private dirty: bool = false;

  constructor(readonly session: Session, readonly out: Output, readonly commands: Commands) {}

  /** Applies `bytes` (and what the session kept of the last request's). */
  input(bytes: u8[]): void {
    const session = this.session;
    if (session.isNew) {
      this.out.text(BANNER);
      this.out.raw(PROMPT);
      session.isNew = false;
    }
    const decoded: DecodedKeys = decodeKeys(session.pending.concat(bytes));
    session.pending = decoded.rest;
    for (let i = 0; i < decoded.keys.length; i++) this.key(decoded.keys[i]);
    this.flush();
  }

  private key(key: InputKey): void {
    const session = this.session;
    switch (key.kind) {
      case KeyKind.Text: this.insert(String.fromCodePoint(key.value)); break;
      case KeyKind.Left: this.moveTo(previousCharacter(session.line, session.cursor)); break;
      case KeyKind.Right: this.moveTo(nextCharacter(session.line, session.cursor)); break;
      case KeyKind.Home: this.moveTo(0); break;
      case KeyKind.End: this.moveTo(session.line.length); break;
      case KeyKind.Delete: this.cut(session.cursor, nextCharacter(session.line, session.cursor)); break;
      case KeyKind.Up: this.browse(-1); break;
      case KeyKind.Down: this.browse(1); break;
      case KeyKind.Control: this.control(key.value); break;
    }
  }

  private control(c: i32): void {
    const session = this.session;
    switch (c) {
      case 0x0d: case 0x0a: this.enter(); break;
      case 0x7f: case 0x08: this.cut(previousCharacter(session.line, session.cursor), session.cursor); break;
      case 0x01: this.moveTo(0); break;
      case 0x05: this.moveTo(session.line.length); break;
      case 0x02: this.moveTo(previousCharacter(session.line, session.cursor)); break;
      case 0x06: this.moveTo(nextCharacter(session.line, session.cursor)); break;
      case 0x04: this.cut(session.cursor, nextCharacter(session.line, session.cursor)); break;
      case 0x0b: this.cut(session.cursor, session.line.length); break;
      case 0x15: this.cut(0, session.cursor); break;
      case 0x17: this.cut(wordStart(session.line, session.cursor), session.cursor); break;
      case 0x03:
        this.flush();
        this.out.raw("^C\r\n" + PROMPT);
        this.setLine("", false);
        this.dirty = false;
        break;
      case 0x0c: this.out.raw("\x1b[H\x1b[2J"); this.dirty = true; break;
      case 0x09: complete(this); break;
    }
  }

  /** Inserts `text` at the cursor (nothing when the line would outgrow the session). */
  insert(text: string): void {
    const session = this.session;
    const line = session.line.substring(0, session.cursor) + text + session.line.substring(session.cursor);
    if (String.UTF8.byteLength(line) > LINE_BYTES) return;
    session.line = line;
    session.cursor += text.length;
    session.browsing = -1;
    this.dirty = true;
  }

  /** Shows the prompt and the line again below whatever was printed (completion lists). */
  reprint(): void {
    this.flush();
    this.out.raw("\r\n");
    this.dirty = true;
  }

  private cut(from: i32, to: i32): void {
    if (from >= to) return;
    const session = this.session;
    session.line = session.line.substring(0, from) + session.line.substring(to);
    session.cursor = from;
    session.browsing = -1;
    this.dirty = true;
  }

  private moveTo(cursor: i32): void {
    if (cursor == this.session.cursor) return;
    this.session.cursor = cursor;
    this.dirty = true;
  }

  private setLine(line: string, keepBrowsing: bool): void {
    this.session.line = line;
    this.session.cursor = line.length;
    if (!keepBrowsing) this.session.browsing = -1;
    this.dirty = true;
  }

  /** Up (-1) or down (1) the history; past the newest entry, the line that was being typed. */
  private browse(direction: i32): void {
    const session = this.session;
    const history = session.history;
    if (direction < 0) {
      if (history.length == 0 || session.browsing == 0) return;
      if (session.browsing < 0) { session.draft = session.line; session.browsing = history.length - 1; }
      else session.browsing--;
      this.setLine(history[session.browsing], true);
    } else {
      if (session.browsing < 0) return;
      if (session.browsing < history.length - 1) { session.browsing++; this.setLine(history[session.browsing], true); }
      else { session.browsing = -1; this.setLine(session.draft, false); }
    }
  }

  /** Runs the line: it goes into the history, its output below it, then a new prompt. */
  private enter(): void {
    this.flush();
    const session = this.session;
    const line = session.line;
    this.out.raw("\r\n");
    if (line.trim().length > 0 && (session.history.length == 0 || session.history[session.history.length - 1] != line)) {
      session.history.push(line);
      if (session.history.length > HISTORY_MAXIMUM) session.history.shift();
    }
    session.line = "";
    session.cursor = 0;
    session.browsing = -1;
    session.draft = "";
    this.commands.run(line, this.out, session);
    this.out.raw(PROMPT);
    this.dirty = false;
  }

  /** Redraws the line if a key changed it. */
  private flush(): void {
    if (!this.dirty) return;
    const session = this.session;
    this.out.raw("\r" + PROMPT + session.line + "\x1b[K");
    const after = codepoints(session.line.substring(session.cursor));
    if (after > 0) this.out.raw("\x1b[" + after.toString() + "D");
    this.dirty = false;
  }
}

/** Where the word before `cursor` starts: spaces before the cursor, then the word (Control-W). */
function wordStart(line: string, cursor: i32): i32 {
  let at = cursor;
  while (at > 0 && line.charCodeAt(at - 1) == 0x20) at--;
  while (at > 0 && line.charCodeAt(at - 1) != 0x20) at--;
  return at;
}

/** Terminal columns of `text`: one per codepoint. */
function codepoints(text: string): i32 {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) count++;
  }
  return count;
}
