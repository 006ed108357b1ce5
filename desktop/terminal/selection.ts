// A selection of a terminal's text, as the pointer drags over it: from an
// anchor cell to a head cell, in reading order, across lines. Rows are
// counted over the whole history (scrollback then screen) from the first
// line the terminal ever had, so that a selection stays on its text while
// output scrolls it or the view looks back into the scrollback.

import { Line, Screen } from "./screen";

export class Selection {
  anchorRow: i64 = 0;
  anchorColumn: i32 = 0;
  headRow: i64 = 0;
  headColumn: i32 = 0;
  /** Something is selected (a drag went past its first cell). */
  active: bool = false;

  /** Starts a selection at (row, column); nothing is selected until the head moves. */
  start(row: i64, column: i32): void {
    this.anchorRow = this.headRow = row;
    this.anchorColumn = this.headColumn = column;
    this.active = false;
  }

  /** Moves the head to (row, column): true when what is selected changed. */
  extend(row: i64, column: i32): bool {
    if (row == this.headRow && column == this.headColumn) return false;
    this.headRow = row;
    this.headColumn = column;
    this.active = row != this.anchorRow || column != this.anchorColumn;
    return true;
  }

  clear(): void { this.active = false; }

  private get startsAtAnchor(): bool {
    return this.anchorRow < this.headRow || (this.anchorRow == this.headRow && this.anchorColumn <= this.headColumn);
  }

  /** Cell (row, column) is selected: between the two ends, both included. */
  contains(row: i64, column: i32): bool {
    if (!this.active) return false;
    const forward = this.startsAtAnchor;
    const firstRow = forward ? this.anchorRow : this.headRow, firstColumn = forward ? this.anchorColumn : this.headColumn;
    const lastRow = forward ? this.headRow : this.anchorRow, lastColumn = forward ? this.headColumn : this.anchorColumn;
    if (row < firstRow || row > lastRow) return false;
    if (row == firstRow && column < firstColumn) return false;
    if (row == lastRow && column > lastColumn) return false;
    return true;
  }

  /** The selected text: each line's cells with trailing blanks cut, lines joined by "\n" (lines gone from the history are skipped). */
  text(screen: Screen): string {
    if (!this.active) return "";
    const forward = this.startsAtAnchor;
    const firstRow = forward ? this.anchorRow : this.headRow, firstColumn = forward ? this.anchorColumn : this.headColumn;
    const lastRow = forward ? this.headRow : this.anchorRow, lastColumn = forward ? this.headColumn : this.anchorColumn;
    let result = "";
    for (let row = firstRow; row <= lastRow; row++) {
      const line = historyLine(screen, row);
      if (line == null) continue;
      const from = row == firstRow ? firstColumn : 0;
      const to = row == lastRow ? min(lastColumn + 1, line.columns) : line.columns;
      let end = to;
      while (end > from && unchecked(line.characters[end - 1]) == 32) end--;
      let text = "";
      for (let x = from; x < end; x++) text += String.fromCodePoint(<i32>unchecked(line.characters[x]));
      if (row != firstRow) result += "\n";
      result += text;
    }
    return result;
  }
}

/** The history row of screen row `y` (scrollback and dropped lines counted before it). */
export function historyRow(screen: Screen, y: i32): i64 {
  return screen.dropped + <i64>screen.scrollback.length + <i64>y;
}

/** The line at history row `row`, or null when it was dropped or lies below the screen. */
export function historyLine(screen: Screen, row: i64): Line | null {
  const index = row - screen.dropped;
  if (index < 0) return null;
  if (index < <i64>screen.scrollback.length) return screen.scrollback[<i32>index];
  const y = index - <i64>screen.scrollback.length;
  return y < <i64>screen.rows ? screen.line(<i32>y) : null;
}
