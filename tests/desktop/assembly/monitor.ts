// Test program for the system monitor's view (desktop/monitor/view.ts),
// run in V8 by tests/desktop/monitor.test.ts: the host gives it samples of
// rows, drives the window with inputEvent records, and reads back the
// list, the status line, the actions the buttons asked for, the damage
// and the pixels.

import { Rect, Surface } from "../../../desktop/lib/surface";
import { Font } from "../../../desktop/lib/text";
import { MemoryClipboard } from "../../../desktop/toolkit/clipboard";
import { Root } from "../../../desktop/toolkit/root";
import { Theme } from "../../../desktop/toolkit/theme";
import { MonitorRow } from "../../../desktop/monitor/row";
import { MonitorActions, MonitorView } from "../../../desktop/monitor/view";
import { leftButton, pointerTo, pressKey } from "./events";

let font: Font | null = null;
let root: Root | null = null;
let view: MonitorView | null = null;
let sample: MonitorRow[] = [];
let painted: Rect[] = [];
/** The actions asked for, one a line: "restart ID", "kill ID", "replace ID PATH". */
let asked = "";

class Recorded extends MonitorActions {
  restart(row: MonitorRow): string { asked += "restart " + row.id.toString() + "\n"; return "restarting " + row.identity; }
  kill(row: MonitorRow): string { asked += "kill " + row.id.toString() + "\n"; return "killing " + row.identity; }
  replace(row: MonitorRow, path: string): string { asked += "replace " + row.id.toString() + " " + path + "\n"; return "replacing " + row.identity; }
}

export function allocate(bytes: u32): usize { return heap.alloc(bytes); }
export function openFont(data: usize, length: u32): i32 { font = Font.open(data, length); return font != null ? 1 : 0; }

export function newWindow(width: i32, height: i32): usize {
  root = new Root(Surface.allocate(width, height), new Theme(font!), new MemoryClipboard());
  view = new MonitorView(root!, new Recorded());
  asked = "";
  return root!.surface.pixels;
}

/** Adds a row to the next sample. */
export function addRow(id: u32, identity: string, kind: string, memoryKiB: u32, cpuPermille: i32, messages: i32, restarts: u32, fault: string): void {
  const row = new MonitorRow();
  row.id = id;
  row.identity = identity;
  row.kind = kind;
  row.state = "running";
  row.memoryKiB = memoryKiB;
  row.cpuPermille = cpuPermille;
  row.messagesPerSecond = messages;
  row.restarts = restarts;
  row.lastFault = fault;
  sample.push(row);
}
/** Gives the last row added `count` warm spares holding `kib` KiB in all. */
export function addSpares(count: u32, kib: u32): void {
  const row = sample[sample.length - 1];
  row.spares = count;
  row.spareKiB = kib;
}
/** Shows the sample and starts the next one. */
export function update(): void { view!.update(sample); sample = []; }

export function key(code: u32, text: u32): void { pressKey(root!, code, text); }
export function click(x: i32, y: i32): void {
  pointerTo(root!, x, y);
  leftButton(root!, true);
  leftButton(root!, false);
}
export function paint(): i32 { painted = root!.repaint(); return painted.length; }
export function paintedRect(index: i32, part: i32): i32 {
  const rect = painted[index];
  return part == 0 ? rect.x : part == 1 ? rect.y : part == 2 ? rect.width : rect.height;
}
export function rowCount(): i32 { return view!.list.items.length; }
export function rowText(index: i32): string { return view!.list.items[index]; }
export function selectedId(): i32 { const row = view!.selected; return row == null ? -1 : <i32>row.id; }
export function statusText(): string { return view!.status.text; }
export function takeAsked(): string { const text = asked; asked = ""; return text; }
/** Where a button (0 restart, 1 kill, 2 replace) or the path field (3) is: its centre, x in the low 16 bits. */
export function centreOf(which: i32): i32 {
  const widget = which == 0 ? view!.restartButton : which == 1 ? view!.killButton : which == 2 ? view!.replaceButton : view!.path;
  return (widget.windowX + widget.bounds.width / 2) | ((widget.windowY + widget.bounds.height / 2) << 16);
}
export function rowTop(index: i32): i32 { return view!.rowRect(index).y; }
export function rowLeft(index: i32): i32 { return view!.rowRect(index).x; }
export function rowWidth(): i32 { return view!.rowRect(0).width; }
export function rowHeight(): i32 { return view!.rowRect(0).height; }
/** The window given another size, as the app does on a resize event: a new surface, the view laid out again; its pixels' address. */
export function resize(width: i32, height: i32): usize {
  root!.surface = Surface.allocate(width, height);
  root!.bounds = root!.surface.bounds;
  root!.damaged(root!.bounds);
  view!.layout(width, height);
  return root!.surface.pixels;
}
/** The list's scroll view: its width and height, packed as centreOf packs. */
export function listSize(): i32 { return view!.scroll.bounds.width | (view!.scroll.bounds.height << 16); }
