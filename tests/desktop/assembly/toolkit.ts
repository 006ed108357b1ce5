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
