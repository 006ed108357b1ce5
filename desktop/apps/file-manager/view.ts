// The file manager's window contents, from the toolkit: Up, the folder's
// path and Refresh on top; the folder's entries in a table (name, size,
// modified, kind) under its header; a name field with New folder, Rename,
// Delete and Open below, and a status line. Enter or a second click on a
// row opens it: a folder is entered, a file opened in the editor. Delete
// asks first (a dialog: Delete or Cancel); Backspace goes up.
//
// Opening a file in the editor is the opener's (FileOpener): the app starts
// the editor with the path, a test records the paths.

import { Button } from "../../toolkit/button";
import { Dialog } from "../../toolkit/dialog";
import { KEY_BACKSPACE, Key } from "../../toolkit/keys";
import { Label } from "../../toolkit/label";
import { Root } from "../../toolkit/root";
import { ScrollView } from "../../toolkit/scroll-view";
import { CELL_SEPARATOR, Column, TableHeader, TableView } from "../../toolkit/table";
import { TextField } from "../../toolkit/text-field";
import { Listener, Widget } from "../../toolkit/widget";
import { Browser, Entry, formatSize, formatTime, kindName } from "./browser";

/** Opens a file in the editor: the line the status shows. */
export abstract class FileOpener {
  abstract open(path: string): string;
}

class Actions extends Listener {
  constructor(readonly view: FileManagerView) { super(); }
  activated(source: Widget, index: i32): void { this.view.activated(source, index); }
}

export class FileManagerView {
  readonly upButton: Button;
  readonly location: Label;
  readonly refreshButton: Button;
  readonly header: TableHeader;
  readonly scroll: ScrollView;
  readonly table: TableView;
  readonly name: TextField;
  readonly newFolderButton: Button;
  readonly renameButton: Button;
  readonly deleteButton: Button;
  readonly openButton: Button;
  readonly status: Label;
  /** The confirmation a Delete asks for, while open; the entry it is about. */
  confirm: Dialog | null = null;
  private deleting: string = "";
  private actions: Actions | null = null;

  constructor(readonly root: Root, readonly browser: Browser, readonly opener: FileOpener) {
    const font = root.rootTheme.font;
    this.upButton = root.add(new Button("Up"), 0, 0, 1, 1);
    this.location = root.add(new Label(""), 0, 0, 1, 1);
    this.refreshButton = root.add(new Button("Refresh"), 0, 0, 1, 1);
    const table = new TableView([
      new Column("Name", font.measure("M") * 24), new Column("Size", font.measure("M") * 11, true),
      new Column("Modified", font.measure("M") * 18), new Column("Kind", 1),
    ]);
    this.table = table;
    this.header = root.add(new TableHeader(table), 0, 0, 1, 1);
    const scroll = root.add(new ScrollView(), 0, 0, 1, 1);
    scroll.setContent(table, 0);
    this.scroll = scroll;
    this.name = root.add(new TextField(""), 0, 0, 1, 1);
    this.newFolderButton = root.add(new Button("New folder"), 0, 0, 1, 1);
    this.renameButton = root.add(new Button("Rename"), 0, 0, 1, 1);
    this.deleteButton = root.add(new Button("Delete"), 0, 0, 1, 1);
    this.openButton = root.add(new Button("Open"), 0, 0, 1, 1);
    this.status = root.add(new Label(""), 0, 0, 1, 1);
    const actions = new Actions(this);
    this.actions = actions;
    const widgets: Widget[] = [this.upButton, this.refreshButton, this.table, this.name, this.newFolderButton, this.renameButton,
      this.deleteButton, this.openButton];
    for (let i = 0; i < widgets.length; i++) widgets[i].listener = actions;
    this.layout(root.bounds.width, root.bounds.height);
    this.show();
    root.giveFocus(this.table);
  }

  /** Places the widgets for a window of width × height: the table takes what the rows leave. */
  layout(width: i32, height: i32): void {
    const theme = this.root.rootTheme;
    const gap = theme.padding * 2;
    const rowHeight = theme.rowHeight + 6;
    this.upButton.setBounds(gap, gap, this.buttonWidth("Up"), rowHeight);
    const refreshWidth = this.buttonWidth("Refresh");
    const locationX = 2 * gap + this.buttonWidth("Up");
    this.location.setBounds(locationX, gap, max(1, width - locationX - 2 * gap - refreshWidth), rowHeight);
    this.refreshButton.setBounds(width - gap - refreshWidth, gap, refreshWidth, rowHeight);
    const headerY = 2 * gap + rowHeight;
    this.header.setBounds(gap, headerY, max(1, width - 2 * gap), theme.rowHeight);
    const statusY = height - gap - theme.rowHeight;
    const controlsY = statusY - gap - rowHeight;
    const tableY = headerY + theme.rowHeight;
    this.scroll.setBounds(gap, tableY, max(1, width - 2 * gap), max(1, controlsY - gap - tableY));
    this.table.setBounds(0, 0, max(1, width - 2 * gap - 10), this.table.contentHeight);
    this.table.fitLastColumn(this.table.bounds.width);
    const buttons: Button[] = [this.newFolderButton, this.renameButton, this.deleteButton, this.openButton];
    let right = width - gap;
    for (let i = buttons.length - 1; i >= 0; i--) {
      const w = this.buttonWidth(buttons[i].text);
      right -= w;
      buttons[i].setBounds(right, controlsY, w, rowHeight);
      right -= gap;
    }
    this.name.setBounds(gap, controlsY, max(1, right - gap), rowHeight);
    this.status.setBounds(gap, statusY, max(1, width - 2 * gap), theme.rowHeight);
    this.scroll.scrollTo(this.scroll.scrollY);
  }

  private buttonWidth(caption: string): i32 {
    const theme = this.root.rootTheme;
    return max(theme.font.measure(caption) + 4 * theme.padding, 64);
  }

  /** The selected entry, or null. */
  get selected(): Entry | null {
    const index = this.table.selected;
    return index >= 0 && index < this.browser.entries.length ? this.browser.entries[index] : null;
  }

  /** Shows the browser's folder and entries; the selection stays on the entry of the same name, or `select`'s. */
  show(select: string = ""): void {
    const keep = select.length > 0 ? select : this.selected != null ? this.selected!.name : "";
    const entries = this.browser.entries;
    const rows = new Array<string>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      rows[i] = entry.name + (entry.isFolder ? "/" : "") + CELL_SEPARATOR + (entry.isFolder ? "" : formatSize(entry.size)) + CELL_SEPARATOR
        + formatTime(entry.modified) + CELL_SEPARATOR + kindName(entry);
    }
    this.table.selected = -1;
    this.table.setItems(rows);
    this.table.setBounds(0, 0, this.table.bounds.width, this.table.contentHeight);
    this.scroll.scrollTo(this.scroll.scrollY);
    this.scroll.invalidate();
    for (let i = 0; i < entries.length; i++) if (entries[i].name == keep) this.table.select(i);
    if (this.table.selected < 0 && entries.length > 0) this.table.select(0);
    this.location.text = this.browser.folder;
  }

  /** The outcome of a browser call on the status line; the entries shown again. */
  private done(ok: bool, success: string, select: string = ""): bool {
    this.status.text = ok ? success : this.browser.problem;
    this.show(select);
    return ok;
  }

  refresh(): bool { return this.done(this.browser.refresh(), this.browser.entries.length.toString() + " entries"); }
  up(): bool { return this.done(this.browser.up(), this.browser.folder); }

  /** Opens the selected entry: a folder is entered, a file goes to the editor. */
  openSelected(): bool {
    const entry = this.selected;
    if (entry == null) { this.status.text = "Select a file or folder first."; return false; }
    if (entry.isFolder) return this.done(this.browser.enter(entry.name), this.browser.folder);
    this.status.text = this.opener.open(this.browser.pathOf(entry.name));
    return true;
  }

  makeFolder(): bool {
    const name = this.name.text;
    return this.done(this.browser.makeFolder(name), "Made the folder " + name, name);
  }

  rename(): bool {
    const entry = this.selected;
    if (entry == null) { this.status.text = "Select what to rename first."; return false; }
    const to = this.name.text;
    return this.done(this.browser.rename(entry.name, to), "Renamed " + entry.name + " to " + to, to);
  }

  /** Asks whether to delete the selected entry; the dialog's answer does it. */
  askDelete(): bool {
    const entry = this.selected;
    if (entry == null) { this.status.text = "Select what to delete first."; return false; }
    this.deleting = entry.name;
    const dialog = new Dialog("Delete " + entry.name + (entry.isFolder ? " (an empty folder)" : "") + "?", ["Delete", "Cancel"]);
    dialog.listener = this.actions;
    this.confirm = dialog;
    dialog.open(this.root);
    return true;
  }

  /** The dialog's answer: 0 deletes. */
  private confirmed(index: i32): void {
    const name = this.deleting;
    this.confirm = null;
    if (index != 0) { this.status.text = "Kept " + name; return; }
    this.done(this.browser.remove(name), "Deleted " + name);
  }

  /** A key before the widgets get it: Backspace outside the name field goes up; true when used. */
  shortcut(key: Key): bool {
    if (key.code == KEY_BACKSPACE && this.root.popup == null && this.root.focusedWidget() !== this.name) { this.up(); return true; }
    return false;
  }

  activated(source: Widget, index: i32): void {
    if (source === this.upButton) this.up();
    else if (source === this.refreshButton) this.refresh();
    else if (source === this.table || source === this.openButton) this.openSelected();
    else if (source === this.newFolderButton || source === this.name) this.makeFolder();
    else if (source === this.renameButton) this.rename();
    else if (source === this.deleteButton) this.askDelete();
    else if (source === this.confirm) this.confirmed(index);
  }
}
