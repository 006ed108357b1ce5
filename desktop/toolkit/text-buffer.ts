// The text of a multi-line text area (text-area.ts), apart from how it is
// drawn: lines without their line ends, positions as (line, column) with
// columns in UTF-16 units, every change one `replace` of a range by a text,
// and the changes kept so that they can be undone and redone.
//
// Characters typed one after another are one change for undo, up to a line
// end. Each state of the text has a revision number; undo and redo go back to
// the revision a state had, so that an editor that remembers the revision
// it saved knows whether the text shown differs from the file, even after
// an edit was undone.

/** A place in the text: before column `column` of line `line`. */
export class TextPosition {
  constructor(public line: i32 = 0, public column: i32 = 0) {}

  /** Negative when this comes before `other`, 0 when equal, positive after. */
  compare(other: TextPosition): i32 { return this.line != other.line ? this.line - other.line : this.column - other.column; }
  equals(other: TextPosition): bool { return this.line == other.line && this.column == other.column; }
  copy(): TextPosition { return new TextPosition(this.line, this.column); }
}

/** One change: `removed` was at `from`, `inserted` replaced it; with the revisions before and after. */
class Edit {
  constructor(readonly from: TextPosition, readonly removed: string, readonly inserted: string,
    readonly revisionBefore: u32, readonly revisionAfter: u32) {}
}

/** How many changes undo can go back. */
const UNDO_MAXIMUM: i32 = 1000;

export class TextBuffer {
  private rows: string[] = [""];
  private undone: Edit[] = [];
  private done: Edit[] = [];
  private nextRevision: u32 = 1;
  /** The current state's number (see above). */
  revision: u32 = 0;

  constructor(text: string = "") { this.setText(text); }

  /** Replaces the whole text, forgetting the changes (a file opened). Line ends: \n, \r\n or \r. */
  setText(text: string): void {
    this.rows = text.replaceAll("\r\n", "\n").replaceAll("\r", "\n").split("\n");
    this.done.length = 0;
    this.undone.length = 0;
    this.revision = this.nextRevision++;
  }

  /** The whole text, lines joined by \n. */
  get text(): string { return this.rows.join("\n"); }
  get lineCount(): i32 { return this.rows.length; }
  line(index: i32): string { return this.rows[index]; }

  get start(): TextPosition { return new TextPosition(0, 0); }
  get end(): TextPosition { return new TextPosition(this.rows.length - 1, this.rows[this.rows.length - 1].length); }

  /** `position` moved inside the text: the nearest existing position. */
  clamp(position: TextPosition): TextPosition {
    const line = max(0, min(position.line, this.rows.length - 1));
    return new TextPosition(line, max(0, min(position.column, this.rows[line].length)));
  }

  /** The text between two positions (in either order). */
  slice(a: TextPosition, b: TextPosition): string {
    const from = a.compare(b) <= 0 ? a : b, to = a.compare(b) <= 0 ? b : a;
    if (from.line == to.line) return this.rows[from.line].substring(from.column, to.column);
    let text = this.rows[from.line].substring(from.column);
    for (let line = from.line + 1; line < to.line; line++) text += "\n" + this.rows[line];
    return text + "\n" + this.rows[to.line].substring(0, to.column);
  }

  /** Replaces the text between `a` and `b` by `text` (undoably): where the inserted text ends. */
  replace(a: TextPosition, b: TextPosition, text: string): TextPosition {
    a = this.clamp(a); b = this.clamp(b);
    text = text.replaceAll("\r\n", "\n").replaceAll("\r", "\n");
    const from = a.compare(b) <= 0 ? a : b, to = a.compare(b) <= 0 ? b : a;
    const removed = this.slice(from, to);
    if (removed.length == 0 && text.length == 0) return from;
    const before = this.revision;
    const end = this.splice(from, to, text);
    this.revision = this.nextRevision++;
    // Typing goes back in one undo step, not a key at a time: an insertion right after the last one joins it, up to a line end.
    const last = this.done.length > 0 ? this.done[this.done.length - 1] : null;
    if (last != null && removed.length == 0 && last.removed.length == 0 && !text.includes("\n") && !last.inserted.includes("\n")
      && this.positionAfter(last.from, last.inserted).equals(from)) {
      this.done.pop();
      this.done.push(new Edit(last.from, "", last.inserted + text, last.revisionBefore, this.revision));
    } else {
      this.done.push(new Edit(from, removed, text, before, this.revision));
    }
    if (this.done.length > UNDO_MAXIMUM) this.done.shift();
    this.undone.length = 0;
    return end;
  }

  get canUndo(): bool { return this.done.length > 0; }
  get canRedo(): bool { return this.undone.length > 0; }

  /** Takes the last change back: the range its text was put back in (from, to), or null when there was none. */
  undo(): TextPosition[] | null {
    if (this.done.length == 0) return null;
    const edit = this.done.pop();
    const end = this.splice(edit.from, this.positionAfter(edit.from, edit.inserted), edit.removed);
    this.revision = edit.revisionBefore;
    this.undone.push(edit);
    return [edit.from.copy(), end];
  }

  /** Makes the last undone change again: the range of its text, or null. */
  redo(): TextPosition[] | null {
    if (this.undone.length == 0) return null;
    const edit = this.undone.pop();
    const end = this.splice(edit.from, this.positionAfter(edit.from, edit.removed), edit.inserted);
    this.revision = edit.revisionAfter;
    this.done.push(edit);
    return [edit.from.copy(), end];
  }

  /** The first occurrence of `needle` at or after `from`, going round to the start: its start and end, or null. */
  find(needle: string, from: TextPosition): TextPosition[] | null {
    if (needle.length == 0) return null;
    from = this.clamp(from);
    // Searched in the joined text, so that a needle may span lines.
    const text = this.text;
    const at = this.offsetOf(from);
    let found = text.indexOf(needle, at);
    if (found < 0) found = text.indexOf(needle);
    if (found < 0) return null;
    return [this.positionAt(found), this.positionAt(found + needle.length)];
  }

  /** The offset in `text` (lines joined by \n) of a position. */
  offsetOf(position: TextPosition): i32 {
    let offset = 0;
    for (let line = 0; line < position.line; line++) offset += this.rows[line].length + 1;
    return offset + position.column;
  }

  /** The position of an offset in `text`. */
  positionAt(offset: i32): TextPosition {
    let line = 0;
    while (line < this.rows.length - 1 && offset > this.rows[line].length) { offset -= this.rows[line].length + 1; line++; }
    return new TextPosition(line, min(max(offset, 0), this.rows[line].length));
  }

  /** Where `text` inserted at `from` ends. */
  private positionAfter(from: TextPosition, text: string): TextPosition {
    const breaks = text.split("\n");
    if (breaks.length == 1) return new TextPosition(from.line, from.column + text.length);
    return new TextPosition(from.line + breaks.length - 1, breaks[breaks.length - 1].length);
  }

  /** The change itself, without undo: where `text` ends. */
  private splice(from: TextPosition, to: TextPosition, text: string): TextPosition {
    const head = this.rows[from.line].substring(0, from.column);
    const tail = this.rows[to.line].substring(to.column);
    const inserted = text.split("\n");
    const end = new TextPosition(from.line + inserted.length - 1, inserted[inserted.length - 1].length);
    if (inserted.length == 1) end.column += head.length;
    inserted[0] = head + inserted[0];
    inserted[inserted.length - 1] += tail;
    // The lines from..to become the inserted ones.
    const after = this.rows.slice(to.line + 1);
    this.rows.length = from.line;
    for (let i = 0; i < inserted.length; i++) this.rows.push(inserted[i]);
    for (let i = 0; i < after.length; i++) this.rows.push(after[i]);
    return end;
  }
}
