// The system monitor's window contents, built from the toolkit: a header,
// the list of components (one row each, rowText's columns) in a scroll
// view, buttons to restart, kill or replace the selected component, the
// payload file a replace loads, and a status line. `update` takes a new
// sample and repaints only the rows whose text changed, so a monitor
// refreshing every second redraws a few rows, not the window.
//
// What the buttons do is the actions' (MonitorActions): the monitor app
// asks init through the sampler, a test records the calls.

import { Rect } from "../lib/surface";
import { Button } from "../toolkit/button";
import { Label } from "../toolkit/label";
import { ListView } from "../toolkit/list";
import { Root } from "../toolkit/root";
import { SCROLL_BAR_WIDTH, ScrollView } from "../toolkit/scroll-view";
import { TextField } from "../toolkit/text-field";
import { Listener, Widget } from "../toolkit/widget";
import { HEADER, MonitorRow, rowText } from "./row";

/** What the buttons ask for; each returns the line the status shows. */
export abstract class MonitorActions {
  abstract restart(row: MonitorRow): string;
  abstract kill(row: MonitorRow): string;
  abstract replace(row: MonitorRow, path: string): string;
}

class ButtonListener extends Listener {
  constructor(readonly view: MonitorView) { super(); }
  activated(source: Widget, index: i32): void { this.view.pressed(source); }
}

export class MonitorView {
  readonly header: Label;
  readonly scroll: ScrollView;
  readonly list: ListView;
  readonly restartButton: Button;
  readonly killButton: Button;
  readonly replaceButton: Button;
  /** The payload file a replace loads (`system/echo.wasm`). */
  readonly path: TextField;
  readonly status: Label;
  private rows: MonitorRow[] = [];

  constructor(readonly root: Root, readonly actions: MonitorActions) {
    const scroll = root.add(new ScrollView(), 0, 0, 1, 1);
    this.scroll = scroll;
    this.header = root.add(new Label(HEADER), 0, 0, 1, 1);
    this.list = scroll.setContent(new ListView(), 0);
    this.restartButton = root.add(new Button("Restart"), 0, 0, 1, 1);
    this.killButton = root.add(new Button("Kill"), 0, 0, 1, 1);
    this.replaceButton = root.add(new Button("Replace"), 0, 0, 1, 1);
    this.path = root.add(new TextField(""), 0, 0, 1, 1);
    this.status = root.add(new Label(""), 0, 0, 1, 1);
    const listener = new ButtonListener(this);
    this.restartButton.listener = listener;
    this.killButton.listener = listener;
    this.replaceButton.listener = listener;
    this.layout(root.bounds.width, root.bounds.height);
  }

  /**
   * Places the widgets for a window of width × height (at its making and
   * after a resize): the list takes the height the header and the controls
   * leave, the path field the width the buttons leave.
   */
  layout(width: i32, height: i32): void {
    const theme = this.root.rootTheme;
    const line = theme.rowHeight, gap = theme.padding * 2;
    const buttonHeight = line + 6;
    const listTop = line + gap;
    const controlsTop = max(listTop + gap + 1, height - buttonHeight - line - 2 * gap);
    const buttonWidth = max(theme.font.measure("Replace") + 4 * theme.padding, 80);
    const pathX = gap * 4 + buttonWidth * 3;
    this.scroll.setBounds(gap, listTop, max(1, width - 2 * gap), max(1, controlsTop - listTop - gap));
    this.list.setBounds(0, 0, max(1, width - 2 * gap - SCROLL_BAR_WIDTH), this.list.contentHeight);
    this.scroll.scrollTo(this.scroll.scrollY);
    this.header.setBounds(gap, gap / 2, max(1, width - 2 * gap), line);
    this.restartButton.setBounds(gap, controlsTop, buttonWidth, buttonHeight);
    this.killButton.setBounds(gap * 2 + buttonWidth, controlsTop, buttonWidth, buttonHeight);
    this.replaceButton.setBounds(gap * 3 + buttonWidth * 2, controlsTop, buttonWidth, buttonHeight);
    this.path.setBounds(pathX, controlsTop, max(1, width - pathX - gap), buttonHeight);
    this.status.setBounds(gap, height - line - gap, max(1, width - 2 * gap), line);
  }

  /** The selected component's row, or null. */
  get selected(): MonitorRow | null {
    const index = this.list.selected;
    return index >= 0 && index < this.rows.length ? this.rows[index] : null;
  }

  /** Shows a new sample; the selection stays on the same component while it runs. */
  update(rows: MonitorRow[]): void {
    const selected = this.selected;
    const texts = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) texts[i] = rowText(rows[i]);
    if (rows.length == this.rows.length) {
      for (let i = 0; i < rows.length; i++) this.list.setItem(i, texts[i]);
    } else {
      this.list.setItems(texts);
      this.list.setBounds(0, 0, this.list.bounds.width, this.list.contentHeight);
      this.scroll.invalidate();
    }
    this.rows = rows;
    if (selected != null) {
      for (let i = 0; i < rows.length; i++) if (rows[i].id == selected.id) { this.list.select(i); return; }
      this.list.selected = -1;
      this.list.invalidate();
    }
  }

  /** A button was pressed: its action on the selected component, told on the status line. */
  pressed(button: Widget): void {
    const row = this.selected;
    if (row == null) { this.status.text = "Select a component first."; return; }
    if (button === this.restartButton) this.status.text = this.actions.restart(row);
    else if (button === this.killButton) this.status.text = this.actions.kill(row);
    else if (this.path.text.length == 0) this.status.text = "Replace " + row.identity + " by which payload file? Type its path first.";
    else this.status.text = this.actions.replace(row, this.path.text);
  }

  /** Where row `index` of the list is in the window. */
  rowRect(index: i32): Rect {
    const rect = this.list.rowRect(index);
    return new Rect(this.list.windowX + rect.x, this.list.windowY + rect.y, rect.width, rect.height);
  }
}
