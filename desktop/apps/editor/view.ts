// The editor window's contents, from the toolkit: a row with the file's
// path, Open and Save; the text (a text area); a row with the find field,
// Next and the status line. Keys: Control-S saves, Control-O goes to the
// path, Control-F to the find field (Enter there finds the next match,
// Escape goes back to the text). The title is the file's name, with a `*`
// before it while the text differs from what was last opened or saved.
//
// It knows nothing of the window: the app (editor.ts) hands it the root
// and sets the window's title to `title`; the in-OS test drives it the same
// way without a window.

import { Rect } from "../../lib/surface";
import { Button } from "../../toolkit/button";
import { KEY_ESCAPE, Key } from "../../toolkit/keys";
import { Label } from "../../toolkit/label";
import { Root } from "../../toolkit/root";
import { TextArea } from "../../toolkit/text-area";
import { TextField } from "../../toolkit/text-field";
import { Listener, Widget } from "../../toolkit/widget";
import { HOME_FOLDER, joinPath, splitPath } from "../../lib/home";
import { TextFiles } from "./document";

const APP_NAME = "Editor";

class Actions extends Listener {
  constructor(readonly view: EditorView) { super(); }
  activated(source: Widget, index: i32): void { this.view.activated(source); }
}

export class EditorView {
  readonly path: TextField;
  readonly openButton: Button;
  readonly saveButton: Button;
  readonly area: TextArea;
  readonly find: TextField;
  readonly nextButton: Button;
  readonly status: Label;
  /** The file the text is from (or goes to: "" until opened or saved). */
  file: string = "";
  /** The text's revision when it was last opened or saved. */
  private savedRevision: u32 = 0;

  constructor(readonly root: Root, readonly files: TextFiles) {
    this.path = root.add(new TextField(joinPath(HOME_FOLDER, "")), 0, 0, 1, 1);
    this.openButton = root.add(new Button("Open"), 0, 0, 1, 1);
    this.saveButton = root.add(new Button("Save"), 0, 0, 1, 1);
    const area = root.add(new TextArea(""), 0, 0, 1, 1);
    area.insertsTabs = true;
    this.area = area;
    this.find = root.add(new TextField(""), 0, 0, 1, 1);
    this.nextButton = root.add(new Button("Next"), 0, 0, 1, 1);
    this.status = root.add(new Label(""), 0, 0, 1, 1);
    const actions = new Actions(this);
    this.path.listener = actions;
    this.openButton.listener = actions;
    this.saveButton.listener = actions;
    this.find.listener = actions;
    this.nextButton.listener = actions;
    this.savedRevision = this.area.buffer.revision;
    this.layout(root.bounds.width, root.bounds.height);
    root.giveFocus(this.area);
  }

  /** Places the widgets for a window of width × height: the text takes what the two rows leave. */
  layout(width: i32, height: i32): void {
    const theme = this.root.rootTheme;
    const gap = theme.padding * 2;
    const rowHeight = theme.rowHeight + 6;
    const buttonWidth = max(theme.font.measure("Open") + 4 * theme.padding, 64);
    const bottom = height - gap - rowHeight;
    const fieldWidth = max(1, width - 4 * gap - 2 * buttonWidth);
    this.path.setBounds(gap, gap, fieldWidth, rowHeight);
    this.openButton.setBounds(2 * gap + fieldWidth, gap, buttonWidth, rowHeight);
    this.saveButton.setBounds(3 * gap + fieldWidth + buttonWidth, gap, buttonWidth, rowHeight);
    this.area.setBounds(gap, 2 * gap + rowHeight, max(1, width - 2 * gap), max(1, bottom - 3 * gap - rowHeight));
    const findWidth = max(1, min(width / 3, width - 4 * gap - buttonWidth));
    this.find.setBounds(gap, bottom, findWidth, rowHeight);
    this.nextButton.setBounds(2 * gap + findWidth, bottom, buttonWidth, rowHeight);
    const statusX = 3 * gap + findWidth + buttonWidth;
    this.status.setBounds(statusX, bottom, max(1, width - statusX - gap), rowHeight);
  }

  /** The text differs from the file's as last opened or saved. */
  get modified(): bool { return this.area.buffer.revision != this.savedRevision; }

  /** The window's title: the file's name (or "untitled"), `*` first while modified. */
  get title(): string {
    const name = this.file.length == 0 ? "untitled" : splitPath(this.file)[1];
    return (this.modified ? "*" : "") + name + " - " + APP_NAME;
  }

  /** Opens the file at `path`: true when its text is shown. */
  open(path: string): bool {
    const text = this.files.load(path);
    if (text == null) { this.status.text = "Cannot open: " + this.files.problem; return false; }
    this.area.setText(text);
    this.file = path;
    this.path.setText(path);
    this.savedRevision = this.area.buffer.revision;
    this.status.text = "Opened " + path + " (" + this.area.buffer.lineCount.toString() + " lines)";
    this.root.giveFocus(this.area);
    return true;
  }

  /** Saves the text to the path in the path field (synced): true when it is durable. */
  save(): bool {
    const path = this.path.text;
    if (!this.files.save(path, this.area.text)) { this.status.text = "Cannot save: " + this.files.problem; return false; }
    this.file = path;
    this.savedRevision = this.area.buffer.revision;
    this.status.text = "Saved " + path + " (" + (<u32>String.UTF8.byteLength(this.area.text)).toString() + " bytes)";
    return true;
  }

  /** Selects the next match of the find field's text: true when there is one. */
  findNext(): bool {
    const needle = this.find.text;
    if (needle.length == 0) { this.status.text = "Type what to find first."; return false; }
    if (!this.area.findNext(needle)) { this.status.text = "Not found: " + needle; return false; }
    const caret = this.area.caret;
    this.status.text = "Found at line " + (caret.line + 1).toString();
    return true;
  }

  /** A key before the widgets get it: the window's shortcuts; true when used. */
  shortcut(key: Key): bool {
    if (key.isControl(0x73)) { this.save(); return true; } // s
    if (key.isControl(0x6f)) { this.root.giveFocus(this.path); this.path.select(0, this.path.text.length); return true; } // o
    if (key.isControl(0x66)) { this.root.giveFocus(this.find); this.find.select(0, this.find.text.length); return true; } // f
    if (key.code == KEY_ESCAPE && this.root.focusedWidget() === this.find) { this.root.giveFocus(this.area); return true; }
    return false;
  }

  activated(source: Widget): void {
    if (source === this.path || source === this.openButton) this.open(this.path.text);
    else if (source === this.saveButton) this.save();
    else if (source === this.find || source === this.nextButton) this.findNext();
  }

  /** Where the text's line `line` is in the window (for tests that look at the screen). */
  lineRect(line: i32): Rect {
    const inner = this.area.inner();
    const height = this.root.rootTheme.font.lineHeight;
    return new Rect(this.area.windowX + inner.x, this.area.windowY + inner.y + (line - this.area.firstLine) * height, inner.width, height);
  }
}
