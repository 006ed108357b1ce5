// The system monitor's view (desktop/monitor/view.ts), compiled by asc and
// run in V8 (tests/desktop/assembly/monitor.ts): samples become rows in
// rowText's columns; a new sample repaints only the rows that changed and
// keeps the selection on its component; the buttons ask for restart, kill
// and replace of the selected component, with the path typed in the field,
// and the status line tells what happened.

import type { TestFunction } from "../harness";
import { encodeGlyphAtlas, rasteriseGlyphAtlas } from "../../sdk/host/glyph-atlas";
import { giveBytes, loadProgram, newString, readString, type Program } from "./program";

const MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

interface MonitorProgram extends Program {
  openFont(data: number, length: number): number;
  newWindow(width: number, height: number): number;
  addRow(id: number, identity: number, kind: number, memoryKiB: number, cpuPermille: number, messages: number, restarts: number, fault: number): void;
  addSpares(count: number, kib: number): void;
  update(): void;
  key(code: number, text: number): void;
  click(x: number, y: number): void;
  paint(): number;
  paintedRect(index: number, part: number): number;
  rowCount(): number;
  rowText(index: number): number;
  selectedId(): number;
  statusText(): number;
  takeAsked(): number;
  centreOf(which: number): number;
  rowTop(index: number): number;
  rowLeft(index: number): number;
  rowWidth(): number;
  rowHeight(): number;
  resize(width: number, height: number): number;
  listSize(): number;
}

type Row = [number, string, string, number, number, number, number, string];

export function register(test: TestFunction): void {
  test("the monitor's view: rows, repainting what changed, the selection kept, and the buttons' actions", (t) => {
    const p = loadProgram<MonitorProgram>("monitor");
    const bytes = encodeGlyphAtlas(rasteriseGlyphAtlas({ font: MONO, size: 12 }));
    t.eq(p.openFont(giveBytes(p, bytes), bytes.length), 1, "the atlas opens");
    p.newWindow(900, 400);
    const s = (text: string) => newString(p, text);
    const show = (rows: Row[]) => {
      for (const [id, identity, kind, memory, cpu, messages, restarts, fault] of rows) p.addRow(id, s(identity), s(kind), memory, cpu, messages, restarts, s(fault));
      p.update();
    };
    const rows: Row[] = [
      [1, "init", "supervisor", 256, 12, 40, 0, ""],
      [5, "init/echo", "server", 128, -1, -1, 2, "unreachable"],
      [9, "init/shell", "server", 1088, 255, 3, 0, ""],
    ];
    show(rows);
    t.eq(p.rowCount(), 3, "three rows");
    const text = (i: number) => readString(p, p.rowText(i));
    t.eq(text(0), "   1  init                    supervisor running      256           1.2      40    0  ", "columns of a row");
    t.eq(text(1), "   5  init/echo               server     running      128             -       -    2  unreachable", "no rate yet; restarts and the last fault");
    p.paint();
    t.eq(p.paint(), 0, "nothing changed, nothing painted");

    // Select the shell's row with the pointer, then a sample where only the echo row changed.
    p.click(p.rowLeft(2) + 20, p.rowTop(2) + 2);
    t.eq(p.selectedId(), 9, "a click selects the shell's row");
    p.paint();
    show([rows[0]!, [5, "init/echo", "server", 128, 3, 17, 2, "unreachable"], rows[2]!]);
    const painted = [...Array(p.paint()).keys()].map((i) => [0, 1, 2, 3].map((part) => p.paintedRect(i, part)));
    t.eq(painted, [[p.rowLeft(1), p.rowTop(1), p.rowWidth(), p.rowHeight()]], "only the changed row is repainted");
    t.eq(p.selectedId(), 9, "the selection stays on the shell");
    show([[5, "init/echo", "server", 128, 3, 17, 2, ""], [9, "init/shell", "server", 1088, 0, 0, 0, ""], [12, "init/clipboard", "server", 320, -1, -1, 0, ""]]);
    t.eq([p.rowCount(), p.selectedId()], [3, 9], "init gone, a component added: the selection follows the shell to its new place");

    // init's warm spares (servers/init/supervisor.ts) show on their component's row: their memory, and their count when several.
    p.paint();
    p.addRow(5, s("init/echo"), s("server"), 128, 3, 17, 2, s(""));
    p.addRow(9, s("init/shell"), s("server"), 1088, 0, 0, 0, s(""));
    p.addSpares(1, 448);
    p.addRow(12, s("init/clipboard"), s("server"), 320, -1, -1, 0, s(""));
    p.update();
    t.eq([p.rowCount(), text(1)], [3, "   9  init/shell              server     running     1088    448    0.0       0    0  "], "a spare in the shell's row, not a row of its own");
    t.eq(p.paint(), 1, "only the shell's row is repainted");
    p.addRow(5, s("init/echo"), s("server"), 128, 3, 17, 2, s(""));
    p.addRow(9, s("init/shell"), s("server"), 1088, 0, 0, 0, s(""));
    p.addSpares(2, 896);
    p.addRow(12, s("init/clipboard"), s("server"), 320, -1, -1, 0, s(""));
    p.update();
    t.eq(text(1), "   9  init/shell              server     running     1088  2x896    0.0       0    0  ", "two spares: their count and memory");
    t.eq(p.selectedId(), 9, "the selection stays on the shell");

    const at = (which: number) => { const v = p.centreOf(which); return [v & 0xffff, v >>> 16] as const; };
    p.click(...at(0));
    t.eq([readString(p, p.takeAsked()), readString(p, p.statusText())], ["restart 9\n", "restarting init/shell"], "Restart asks for the selected component");
    p.click(p.rowLeft(0) + 20, p.rowTop(0) + 2);
    p.click(...at(1));
    t.eq(readString(p, p.takeAsked()), "kill 5\n", "Kill asks for the row clicked");
    p.click(...at(2));
    t.eq([readString(p, p.takeAsked()), readString(p, p.statusText())], ["", "Replace init/echo by which payload file? Type its path first."],
      "Replace without a path asks for one");
    p.click(...at(3));
    for (const c of "system/echo-v2.wasm") p.key(0x04, c.codePointAt(0)!);
    p.click(...at(2));
    t.eq([readString(p, p.takeAsked()), readString(p, p.statusText())], ["replace 5 system/echo-v2.wasm\n", "replacing init/echo"],
      "Replace with the path typed");
  });

  test("the monitor's view lays itself out again when the window is resized", (t) => {
    const p = loadProgram<MonitorProgram>("monitor");
    const bytes = encodeGlyphAtlas(rasteriseGlyphAtlas({ font: MONO, size: 12 }));
    p.openFont(giveBytes(p, bytes), bytes.length);
    p.newWindow(800, 420);
    for (let i = 0; i < 40; i++) p.addRow(i + 1, newString(p, `init/c${i}`), newString(p, "server"), 64, 1, 1, 0, newString(p, ""));
    p.update();
    const at = (which: number) => { const v = p.centreOf(which); return [v & 0xffff, v >>> 16] as const; };
    const size = () => { const v = p.listSize(); return [v & 0xffff, v >>> 16]; };
    const [listWidth, listHeight] = size();
    const restartY = at(0)[1];
    const pathX = at(3)[0];
    p.resize(1000, 600);
    t.eq(size(), [listWidth! + 200, listHeight! + 180], "the list takes the added width and height");
    t.eq([at(0)[1], at(3)[0]], [restartY + 180, pathX + 100], "the buttons move down with the bottom, the path field widens");
    t.ok(p.rowWidth() >= 1000 - 40, `rows as wide as the list (${p.rowWidth()})`);
    t.eq([p.paint(), p.paintedRect(0, 2), p.paintedRect(0, 3)], [1, 1000, 600], "the whole new surface is painted");
    p.resize(400, 200);
    const [w, h] = size();
    t.ok(w! < listWidth! && h! > 0 && at(0)[1] < 200, `smaller: the list ${w}×${h}, the buttons inside the window`);
    p.click(...at(0));
    t.eq(readString(p, p.statusText()), "Select a component first.", "the moved Restart button takes clicks where it now is");
  });
}
