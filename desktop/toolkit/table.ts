// A table: a list (list.ts) whose rows are cells in columns, and its
// header. A row is its cells' texts joined by tabs; each column has a
// title, a width in pixels and an alignment, and a cell's text is cut at
// its column's edge. The header is a widget of its own, put above the
// table (outside the scroll view that shows the table's rows), drawing the
// same columns' titles.

import { Rect } from "../lib/surface";
import { ListView } from "./list";
import { Painter } from "./painter";
import { Widget } from "./widget";

/** Separates a row's cells. */
export const CELL_SEPARATOR = "\t";

export class Column {
  constructor(readonly title: string, public width: i32, readonly alignRight: bool = false) {}
}

export class TableView extends ListView {
  constructor(readonly columns: Column[]) { super(); }

  /** Where column `index` starts, in the table's coordinates. */
  columnX(index: i32): i32 {
    let x = 0;
    for (let i = 0; i < index && i < this.columns.length; i++) x += this.columns[i].width;
    return x;
  }

  /** The text of one cell ("" past the row's cells). */
  cell(row: i32, column: i32): string {
    const cells = this.rows[row].split(CELL_SEPARATOR);
    return column < cells.length ? cells[column] : "";
  }

  /** Gives the last column what is left of `width` after the others; the table and its header repaint. */
  fitLastColumn(width: i32): void {
    const last = this.columns.length - 1;
    if (last < 0) return;
    this.columns[last].width = max(0, width - this.columnX(last));
    this.invalidate();
  }

  protected paintRow(painter: Painter, index: i32, row: Rect, colour: u32): void {
    const cells = this.rows[index].split(CELL_SEPARATOR);
    paintCells(this, painter, cells, row, colour);
  }
}

/** The titles of a table's columns, in a row of its own. */
export class TableHeader extends Widget {
  constructor(readonly table: TableView) { super(); }

  paint(painter: Painter): void {
    const theme = this.theme;
    const bounds = this.local;
    painter.fill(bounds, theme.button);
    painter.fill(new Rect(0, bounds.height - 1, bounds.width, 1), theme.border);
    const titles = new Array<string>(this.table.columns.length);
    for (let i = 0; i < titles.length; i++) titles[i] = this.table.columns[i].title;
    paintCells(this.table, painter, titles, new Rect(0, (bounds.height - theme.rowHeight) / 2, bounds.width, theme.rowHeight), theme.foreground);
  }
}

/** Draws `cells` in the table's columns, in `row` (the painter's coordinates). */
function paintCells(table: TableView, painter: Painter, cells: string[], row: Rect, colour: u32): void {
  const theme = table.theme;
  const font = theme.font;
  const padding = theme.padding;
  for (let i = 0; i < cells.length && i < table.columns.length; i++) {
    const column = table.columns[i];
    const cell = new Rect(table.columnX(i), row.y, column.width, row.height).intersection(row);
    if (cell.isEmpty) continue;
    const inside = new Rect(cell.x + padding, cell.y, max(0, cell.width - 2 * padding), cell.height);
    const x = column.alignRight ? inside.right - font.measure(cells[i]) : inside.x;
    painter.text(font, x, row.y + 2, cells[i], colour, inside);
  }
}
