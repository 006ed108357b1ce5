// Test program for the toolkit (desktop/toolkit), run in V8 by
// tests/desktop/toolkit.test.ts: the host builds a window of widgets,
// sends it inputEvent records, and reads back the widgets' state, the
// damage and the pixels.

import { INPUT_WHEEL } from "../../../ipc/generated/abi";
import { Rect, Surface } from "../../../desktop/lib/surface";
import { Font } from "../../../desktop/lib/text";
import { Button } from "../../../desktop/toolkit/button";
import { MemoryClipboard } from "../../../desktop/toolkit/clipboard";
import { Label } from "../../../desktop/toolkit/label";
import { ListView } from "../../../desktop/toolkit/list";
import { Menu, MenuButton } from "../../../desktop/toolkit/menu";
import { Root } from "../../../desktop/toolkit/root";
import { ScrollView } from "../../../desktop/toolkit/scroll-view";
import { TextField } from "../../../desktop/toolkit/text-field";
import { TextArea } from "../../../desktop/toolkit/text-area";
import { TextPosition } from "../../../desktop/toolkit/text-buffer";
import { Column, TableHeader, TableView } from "../../../desktop/toolkit/table";
import { Dialog } from "../../../desktop/toolkit/dialog";
import { Theme } from "../../../desktop/toolkit/theme";
import { Listener, Widget } from "../../../desktop/toolkit/widget";
import { leftButton, pointerTo as movePointer, pressKey, sendEvent } from "./events";

let font: Font | null = null;
let root: Root | null = null;
const clipboard = new MemoryClipboard();
/** Widgets by the number the builders return. */
const widgets: Widget[] = [];
let painted: Rect[] = [];
/** What listeners were told, as "INDEX:ITEM" lines. */
let activations = "";

class Recorder extends Listener {
  activated(source: Widget, index: i32): void { activations += widgets.indexOf(source).toString() + ":" + index.toString() + "\n"; }
}
const recorder = new Recorder();

export function allocate(bytes: u32): usize { return heap.alloc(bytes); }
export function openFont(data: usize, length: u32): i32 { font = Font.open(data, length); return font != null ? 1 : 0; }

/** A window of `width` × `height` pixels; its pixels' address. */
export function newWindow(width: i32, height: i32): usize {
  root = new Root(Surface.allocate(width, height), new Theme(font!), clipboard);
  widgets.length = 0;
  activations = "";
  return root!.surface.pixels;
}

function place<T extends Widget>(parent: i32, widget: T, x: i32, y: i32, width: i32, height: i32): i32 {
  const into: Widget = parent < 0 ? root! : widgets[parent];
  if (!(widget instanceof MenuButton)) widget.listener = recorder;
  if (into instanceof ScrollView) changetype<ScrollView>(into).setContent(widget, height);
  else into.add(widget, x, y, width, height);
  widgets.push(widget);
  return widgets.length - 1;
}

export function addLabel(parent: i32, x: i32, y: i32, width: i32, height: i32, text: string): i32 { return place(parent, new Label(text), x, y, width, height); }
export function addButton(parent: i32, x: i32, y: i32, width: i32, height: i32, text: string): i32 { return place(parent, new Button(text), x, y, width, height); }
export function addField(parent: i32, x: i32, y: i32, width: i32, height: i32, text: string): i32 { return place(parent, new TextField(text), x, y, width, height); }
export function addScrollView(parent: i32, x: i32, y: i32, width: i32, height: i32): i32 { return place(parent, new ScrollView(), x, y, width, height); }
/** A list of `items` (one a line); in a scroll view it is as tall as its rows. */
export function addList(parent: i32, x: i32, y: i32, width: i32, height: i32, items: string): i32 {
  const list = new ListView();
  const rows = items.split("\n");
  const index = place(parent, list, x, y, width, parent >= 0 && widgets[parent] instanceof ScrollView ? rows.length * root!.rootTheme.rowHeight : height);
  list.setItems(rows);
  return index;
}
/** A menu button whose menu has `items` (one a line); the menu is widget number +1. */
export function addMenuButton(parent: i32, x: i32, y: i32, width: i32, height: i32, text: string, items: string): i32 {
  const menu = new Menu(items.split("\n"));
  const index = place(parent, new MenuButton(text, menu), x, y, width, height);
  menu.listener = recorder;
  widgets.push(menu);
  return index;
}

/** A key pressed and released: its HID usage, and its character and modifiers as an inputEvent's text. */
export function key(code: u32, text: u32): void { pressKey(root!, code, text); }
export function pointerTo(x: i32, y: i32): void { movePointer(root!, x, y); }
export function button(pressed: i32): void { leftButton(root!, pressed != 0); }
export function wheel(steps: i32): void { sendEvent(root!, INPUT_WHEEL, 0, <u32>steps, 0); }

/** Paints the damage; how many rectangles it was. */
export function paint(): i32 { painted = root!.repaint(); return painted.length; }
export function paintedRect(index: i32, part: i32): i32 {
  const rect = painted[index];
  return part == 0 ? rect.x : part == 1 ? rect.y : part == 2 ? rect.width : rect.height;
}
export function damageCount(): i32 { return root!.damage.rects.length; }

export function focusIndex(): i32 { const focus = root!.focusedWidget(); return focus == null ? -1 : widgets.indexOf(focus); }
export function takeActivations(): string { const text = activations; activations = ""; return text; }
export function clipboardText(): string { return clipboard.read(); }
export function setClipboard(text: string): void { clipboard.write(text); }
export function setLabel(index: i32, text: string): void { changetype<Label>(widgets[index]).text = text; }
export function setRow(index: i32, row: i32, text: string): void { changetype<ListView>(widgets[index]).setItem(row, text); }
export function fieldText(index: i32): string { return changetype<TextField>(widgets[index]).text; }
export function fieldCaret(index: i32): i32 { return changetype<TextField>(widgets[index]).caret; }
export function fieldAnchor(index: i32): i32 { return changetype<TextField>(widgets[index]).anchor; }
export function fieldScroll(index: i32): i32 { return changetype<TextField>(widgets[index]).scrollX; }
export function fieldOffset(index: i32, at: i32): i32 { return changetype<TextField>(widgets[index]).offsetOf(at); }
export function buttonPresses(index: i32): i32 { return changetype<Button>(widgets[index]).presses; }
export function listSelected(index: i32): i32 { return changetype<ListView>(widgets[index]).selected; }
export function scrollY(index: i32): i32 { return changetype<ScrollView>(widgets[index]).scrollY; }
export function menuOpen(index: i32): i32 { return changetype<Menu>(widgets[index]).isOpen ? 1 : 0; }
export function menuHighlighted(index: i32): i32 { return changetype<Menu>(widgets[index]).highlighted; }
export function widgetX(index: i32): i32 { return widgets[index].windowX; }
export function widgetY(index: i32): i32 { return widgets[index].windowY; }
export function widgetWidth(index: i32): i32 { return widgets[index].bounds.width; }
export function widgetHeight(index: i32): i32 { return widgets[index].bounds.height; }
export function rowHeight(): i32 { return root!.rootTheme.rowHeight; }
export function padding(): i32 { return root!.rootTheme.padding; }

/** A text area holding `text`; Tab inserts spaces when `tabs`. */
export function addArea(parent: i32, x: i32, y: i32, width: i32, height: i32, text: string, tabs: i32): i32 {
  const area = new TextArea(text);
  area.insertsTabs = tabs != 0;
  return place(parent, area, x, y, width, height);
}
export function areaText(index: i32): string { return changetype<TextArea>(widgets[index]).text; }
/** The caret (part 0: line, 1: column) or the anchor (2, 3). */
export function areaPosition(index: i32, part: i32): i32 {
  const area = changetype<TextArea>(widgets[index]);
  return part == 0 ? area.caret.line : part == 1 ? area.caret.column : part == 2 ? area.anchor.line : area.anchor.column;
}
export function areaFirstLine(index: i32): i32 { return changetype<TextArea>(widgets[index]).firstLine; }
export function areaScrollX(index: i32): i32 { return changetype<TextArea>(widgets[index]).scrollX; }
export function areaVisibleLines(index: i32): i32 { return changetype<TextArea>(widgets[index]).visibleLines; }
export function areaRevision(index: i32): u32 { return changetype<TextArea>(widgets[index]).buffer.revision; }
export function areaFind(index: i32, needle: string): i32 { return changetype<TextArea>(widgets[index]).findNext(needle) ? 1 : 0; }
export function areaColumnX(index: i32, line: i32, column: i32): i32 { return changetype<TextArea>(widgets[index]).columnX(new TextPosition(line, column)); }
export function lineHeight(): i32 { return root!.rootTheme.font.lineHeight; }

/** A table of columns "TITLE:WIDTH[:right]" (one a line), its rows (cells joined by tabs, one a line), and its header above it. */
export function addTable(parent: i32, x: i32, y: i32, width: i32, height: i32, columns: string, rows: string): i32 {
  const specs = columns.split("\n");
  const list = new Array<Column>();
  for (let i = 0; i < specs.length; i++) {
    const parts = specs[i].split(":");
    list.push(new Column(parts[0], I32.parseInt(parts[1]), parts.length > 2 && parts[2] == "right"));
  }
  const table = new TableView(list);
  const lines = rows.split("\n");
  const index = place(parent, table, x, y, width, parent >= 0 && widgets[parent] instanceof ScrollView ? lines.length * root!.rootTheme.rowHeight : height);
  table.setItems(lines);
  return index;
}
export function addTableHeader(table: i32, x: i32, y: i32, width: i32, height: i32): i32 {
  return place(-1, new TableHeader(changetype<TableView>(widgets[table])), x, y, width, height);
}
export function tableColumnX(index: i32, column: i32): i32 { return changetype<TableView>(widgets[index]).columnX(column); }
export function tableCell(index: i32, row: i32, column: i32): string { return changetype<TableView>(widgets[index]).cell(row, column); }
export function tableFit(index: i32, width: i32): void { changetype<TableView>(widgets[index]).fitLastColumn(width); }
export function columnWidth(index: i32, column: i32): i32 { return changetype<TableView>(widgets[index]).columns[column].width; }

/** A dialog of `message` and `buttons` (one a line), opened over the window: its number. */
export function openDialog(message: string, buttons: string): i32 {
  const dialog = new Dialog(message, buttons.split("\n"));
  dialog.listener = recorder;
  widgets.push(dialog);
  dialog.open(root!);
  return widgets.length - 1;
}
export function dialogOpen(index: i32): i32 { return changetype<Dialog>(widgets[index]).isOpen ? 1 : 0; }
export function dialogFocused(index: i32): i32 { return changetype<Dialog>(widgets[index]).focusedButton; }
export function dialogButtonX(index: i32, button: i32): i32 { return changetype<Dialog>(widgets[index]).buttons[button].windowX; }
export function dialogButtonY(index: i32, button: i32): i32 { return changetype<Dialog>(widgets[index]).buttons[button].windowY; }
