// The desktop a user sees, from the host, in one boot of the desktop image
// (images/desktop.json) under the QEMU harness. Every check compares the
// screendump with what the build knows was drawn: colours and places from
// the compositor's theme (desktop/compositor/theme.ts, repeated here),
// text as sdk/host/glyph-atlas.ts lays out the image's own atlases, and the
// terminal's grid read back cell by cell against the monospace atlas (a
// cell is recognised only when every one of its pixels is the character's).
//
// The boot: `desktop: ready` on COM1; the taskbar (launcher, the
// terminal's entry, the clock with the host's UTC time read from the CMOS
// clock), the terminal window's border, title and buttons, the shell's
// banner and prompt. Keys typed through QMP run `echo hello` and `ps`, and
// their answers are read on the screen; text selected by the pointer is
// copied and pasted through the clipboard server; Shift+PgUp looks back
// into the scrollback. The launcher's menu lists the payload's window apps
// and starts the system monitor, whose list shows the running components.
// The pointer drags the terminal by its title bar: it moves by exactly the
// pointer's move, with its text; then by its grip: the grid takes the
// whole cells that fit. The screenshot after `ps` is the README's picture
// (build/desktop.png; docs/images/desktop.png with DELOS_UPDATE_SCREENSHOT=1).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { drawText, findGlyph, mixChannel, rasteriseGlyphAtlas, type GlyphAtlas } from "../../sdk/host/glyph-atlas";
import { Machine, pixelAt, writePng, type Picture } from "../../sdk/qemu/index";
import { buildDir, repoRoot } from "../../sdk/host/paths";

const BOOT_SECONDS = 150;
export const W = 1024, H = 768;
// desktop/compositor/theme.ts
export const TITLE_HEIGHT = 22, BORDER = 4, BUTTON_WIDTH = 18, BUTTON_HEIGHT = 16, BUTTON_GAP = 4, TITLE_MARGIN = 8;
export const TASKBAR_HEIGHT = 28, LAUNCHER_WIDTH = 64, ENTRY_WIDTH = 150, ENTRY_GAP = 4, MENU_WIDTH = 180, MENU_ITEM_HEIGHT = 24;
const BACKGROUND_TOP = 0x1d4e6b, BACKGROUND_BOTTOM = 0x0a1a2a;
const FRAME_FOCUSED = 0x2f6fb0, FRAME_UNFOCUSED = 0x5a6470, TITLE_TEXT = 0xffffff, BUTTON_FACE = 0xd8dde3, BUTTON_CLOSE = 0xd0463c;
const TASKBAR = 0x20262d, TASKBAR_ENTRY = 0x39424c, TASKBAR_ENTRY_FOCUSED = 0x2f6fb0, TASKBAR_TEXT = 0xf0f0f0, MENU = 0xeef1f4, MENU_TEXT = 0x1b1f24;
/** The first window's content, where the compositor's cascade starts (manager.ts). */
export const FIRST_X = 48, FIRST_Y = 56, CASCADE_STEP = 32;
// desktop/terminal/palette.ts and desktop/apps/terminal
const FOREGROUND = 0xd0d0d0, BACKGROUND = 0x101418, COLUMNS = 100, ROWS = 24;
// desktop/shell/editor.ts
const PROMPT = "delos>";
const BANNER = "Delos shell: `help` lists the commands.";

export function backgroundAt(y: number): number {
  let colour = 0;
  for (const shift of [0, 8, 16]) {
    const top = (BACKGROUND_TOP >> shift) & 255, bottom = (BACKGROUND_BOTTOM >> shift) & 255;
    colour |= (top + Math.trunc((bottom - top) * y / (H - 1))) << shift;
  }
  return colour;
}

function blend(foreground: number, background: number, coverage: number): number {
  const channel = (shift: number) => mixChannel((foreground >> shift) & 255, (background >> shift) & 255, coverage) << shift;
  return channel(16) | channel(8) | channel(0);
}

/** The image's atlas of `name` (fonts/NAME.atlas), rasterised as the build does from the recipe's entry. */
export function recipeAtlas(name: string): GlyphAtlas {
  const entry = readRecipe("desktop").payload.find((item) => item.name === `fonts/${name}.atlas`) as { atlas?: { font: string; size: number } } | undefined;
  if (!entry?.atlas) throw new Error(`images/desktop.json has no fonts/${name}.atlas`);
  return rasteriseGlyphAtlas({ font: entry.atlas.font, size: entry.atlas.size });
}

/** Pixels of `text` drawn in `colour` on `background` from (x, top) that differ from the screen, with the first few places. */
export function textMismatches(picture: Picture, atlas: GlyphAtlas, text: string, x: number, top: number, colour: number, background: number, clipRight = W): string[] {
  const laid = drawText(atlas, text);
  const wrong: string[] = [];
  for (let row = 0; row < laid.height; row++) {
    for (let column = 0; column < laid.width && x + column < clipRight; column++) {
      const expected = blend(colour, background, laid.coverage[row * laid.width + column]!);
      const got = pixelAt(picture, x + column, top + row);
      if (got !== expected) wrong.push(`(${x + column}, ${top + row}) ${got.toString(16)} not ${expected.toString(16)}`);
    }
  }
  return wrong;
}

/** Reads a terminal's grid off the screen, cell by cell, against the monospace atlas. */
export class GridReader {
  readonly cellWidth: number;
  readonly cellHeight: number;
  private readonly cells = new Map<string, string>();

  constructor(readonly atlas: GlyphAtlas) {
    this.cellWidth = (findGlyph(atlas, 0x4d).advance + 63) >> 6;
    this.cellHeight = atlas.lineHeight;
    for (let code = 0x20; code < 0x7f; code++) {
      const character = String.fromCharCode(code);
      this.cells.set(this.expected(character, FOREGROUND, BACKGROUND), character);
      // The cursor's cell: its colours swapped.
      if (!this.cells.has(this.expected(character, BACKGROUND, FOREGROUND))) this.cells.set(this.expected(character, BACKGROUND, FOREGROUND), character === " " ? "_" : character);
    }
  }

  private expected(character: string, foreground: number, background: number): string {
    const glyph = drawText(this.atlas, character);
    const pixels: number[] = [];
    for (let y = 0; y < this.cellHeight; y++) {
      for (let x = 0; x < this.cellWidth; x++) {
        const coverage = character === " " || x >= glyph.width || y >= glyph.height ? 0 : glyph.coverage[y * glyph.width + x]!;
        pixels.push(blend(foreground, background, coverage));
      }
    }
    return pixels.join(",");
  }

  /** Row `row` of the grid whose top-left cell is at (x, y): each cell its character, `_` the cursor on a blank, `?` a cell that is no character's; trailing blanks cut. */
  row(picture: Picture, x: number, y: number, row: number): string {
    let text = "";
    for (let column = 0; column < COLUMNS; column++) {
      const pixels: number[] = [];
      for (let dy = 0; dy < this.cellHeight; dy++) {
        for (let dx = 0; dx < this.cellWidth; dx++) pixels.push(pixelAt(picture, x + column * this.cellWidth + dx, y + row * this.cellHeight + dy));
      }
      text += this.cells.get(pixels.join(",")) ?? "?";
    }
    return text.replace(/ +$/, "");
  }

  rows(picture: Picture, x: number, y: number): string[] {
    return Array.from({ length: ROWS }, (_, row) => this.row(picture, x, y, row));
  }
}

/** How the compositor turns the harness's pointer into a pixel (Machine.pointer's scaling, then manager.ts's pointerToPixel). */
export function pointerPixel(pixel: number, extent: number): number {
  const coordinate = Math.round(Math.min(Math.max(pixel, 0), extent - 1) * 0x7fff / (extent - 1));
  return Math.floor(coordinate * extent / 32768);
}

/** The border, title and buttons of a window whose content is `width` × `height` at (x, y): what differs from the theme. */
export function decorationMismatches(picture: Picture, sans: GlyphAtlas, x: number, y: number, width: number, height: number, title: string, focused: boolean): string[] {
  const frame = focused ? FRAME_FOCUSED : FRAME_UNFOCUSED;
  const wrong: string[] = [];
  const expect = (px: number, py: number, colour: number, what: string) => {
    const got = pixelAt(picture, px, py);
    if (got !== colour) wrong.push(`${what} (${px}, ${py}) is ${got.toString(16)}, not ${colour.toString(16)}`);
  };
  const middle = y + (height >> 1);
  for (let i = 1; i <= BORDER; i++) {
    expect(x - i, middle, frame, "left border");
    expect(x + width - 1 + i, middle, frame, "right border");
    expect(x + (width >> 1), y + height - 1 + i, frame, "bottom border");
    expect(x + (width >> 1), y - TITLE_HEIGHT - i, frame, "top border");
  }
  const close = { x: x + width - BUTTON_WIDTH - 2, y: y - TITLE_HEIGHT + ((TITLE_HEIGHT - BUTTON_HEIGHT) >> 1) };
  expect(close.x, close.y, BUTTON_CLOSE, "close button");
  expect(close.x + BUTTON_WIDTH - 1, close.y + BUTTON_HEIGHT - 1, BUTTON_CLOSE, "close button");
  expect(close.x - 1, close.y, frame, "title bar left of the close button");
  expect(close.x - BUTTON_GAP - BUTTON_WIDTH, close.y, BUTTON_FACE, "minimize button");
  const top = y - TITLE_HEIGHT + Math.trunc((TITLE_HEIGHT - sans.lineHeight) / 2);
  wrong.push(...textMismatches(picture, sans, title, x + TITLE_MARGIN, top, TITLE_TEXT, frame).slice(0, 3).map((m) => `title: ${m}`));
  return wrong;
}

/** Probes every half second until `probe` gives a value; `seen` says what the last probe saw, for the error. */
export async function until<T>(what: string, seconds: number, probe: () => Promise<T | null>, seen: () => string = () => ""): Promise<T> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`${what}: not within ${seconds} s; last seen:\n${seen()}`);
}

export function register(test: TestFunction): void {
  test("desktop: boots to the taskbar and a terminal with the shell's prompt; echo and ps answer on screen; the launcher starts the monitor; a dragged window moves by the pointer's move", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-desktop-"));
    const path = join(directory, "desktop.img");
    writeFileSync(path, buildRecipe(readRecipe("desktop")).image);
    const sans = recipeAtlas("sans-13");
    const grid = new GridReader(recipeAtlas("mono-14"));
    const width = COLUMNS * grid.cellWidth, height = ROWS * grid.cellHeight;
    const machine = await Machine.start({ image: path, timeoutSeconds: BOOT_SECONDS + 240 });
    try {
      await machine.waitFor("desktop: ready", BOOT_SECONDS * 1000);
      // The pointer starts in the screen's middle, over the terminal: moved off it, to the background on the right.
      const aside = { x: 1000, y: 300 };
      await machine.pointer(aside.x, aside.y, {}, { width: W, height: H });
      const first = await until("the pointer moved aside", 30, async () => {
        const picture = await machine.screendump();
        return pixelAt(picture, aside.x + 2, aside.y + 6) !== backgroundAt(aside.y + 6) ? picture : null;
      });
      t.eq([first.width, first.height], [W, H], "the screen is 1024x768");

      // The background, the taskbar, the launcher and the terminal's entry.
      t.eq([pixelAt(first, 900, 20), pixelAt(first, 1000, 600)], [backgroundAt(20), backgroundAt(600)], "the background's gradient");
      const barTop = H - TASKBAR_HEIGHT;
      t.eq([pixelAt(first, 0, barTop), pixelAt(first, 600, barTop + 14), pixelAt(first, 0, H - 1)], [TASKBAR, TASKBAR, TASKBAR], "the taskbar along the bottom edge");
      t.eq(pixelAt(first, 0, barTop - 1), backgroundAt(barTop - 1), "nothing of the taskbar above it");
      const launcher = { x: 2, y: barTop + 2, height: TASKBAR_HEIGHT - 4 };
      const textTop = (box: { y: number; height: number }) => box.y + Math.trunc((box.height - sans.lineHeight) / 2);
      t.eq(pixelAt(first, launcher.x, launcher.y), TASKBAR_ENTRY, "the launcher button");
      t.eq(textMismatches(first, sans, "Delos", launcher.x + 10, textTop(launcher), TASKBAR_TEXT, TASKBAR_ENTRY).slice(0, 3), [], "the launcher's label, every pixel");
      const entry = { x: 2 + LAUNCHER_WIDTH + ENTRY_GAP * 2, y: barTop + 2, height: TASKBAR_HEIGHT - 4 };
      t.eq(pixelAt(first, entry.x + ENTRY_WIDTH - 1, entry.y), TASKBAR_ENTRY_FOCUSED, "the terminal's entry in the window list, focused");
      t.eq(textMismatches(first, sans, "Terminal", entry.x + 6, textTop(entry), TASKBAR_TEXT, TASKBAR_ENTRY_FOCUSED).slice(0, 3), [], "its title, every pixel");

      // The clock: the time of day from the CMOS clock, which QEMU starts at the host's UTC time, exactly as the atlas draws it.
      const clock = { right: W - 2, y: barTop + 2, height: TASKBAR_HEIGHT - 4 };
      const clockText = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(11, 19)} UTC`;
      const measure = (text: string) => ([...text].reduce((pen, c) => pen + findGlyph(sans, c.codePointAt(0)!).advance, 0) + 63) >> 6;
      // The clock driver may answer the compositor a moment after the first frame (until then it shows the time since boot).
      const shownTime = await until("the host's UTC time on the taskbar's clock", 30, async () => {
        const picture = await machine.screendump();
        const now = Math.floor(Date.now() / 1000);
        return [...Array(16).keys()].map((i) => clockText(now + 1 - i)).find((text) =>
          textMismatches(picture, sans, text, clock.right - measure(text) - 6, textTop(clock), TASKBAR_TEXT, TASKBAR).length === 0) ?? null;
      }).catch(() => undefined);
      t.ok(shownTime !== undefined, `the taskbar's clock shows the host's UTC time of the last 15 s (${clockText(Math.floor(Date.now() / 1000))} now), every pixel`);

      // The terminal window: decorations where the theme puts them, the banner and the prompt with the cursor.
      t.eq(decorationMismatches(first, sans, FIRST_X, FIRST_Y, width, height, "Terminal", true), [], "the terminal's border, title bar, title and buttons");
      t.ok(pixelAt(first, FIRST_X - BORDER - 1, FIRST_Y + 100) === backgroundAt(FIRST_Y + 100), "nothing of the window left of its border");
      const booted = grid.rows(first, FIRST_X, FIRST_Y);
      t.eq(booted.slice(0, 3), [BANNER, `${PROMPT} _`, ""], "the shell's banner and prompt, the cursor after it");
      t.eq(booted.filter((row) => row !== ""), [BANNER, `${PROMPT} _`], "nothing else in the terminal");

      // Keys through QMP: echo hello.
      await machine.sendKeys("echo hello\n");
      let rows: string[] = [];
      const shown = () => rows.join("\n");
      const echoed = await until("the answer to echo hello", 60, async () => {
        rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
        return rows[3] === `${PROMPT} _` ? rows : null;
      }, shown);
      t.eq(echoed.slice(1, 4), [`${PROMPT} echo hello`, "hello", `${PROMPT} _`], "echo hello: the line typed, its answer, a new prompt");

      // ps: the running components, among them the desktop's.
      await machine.sendKeys("ps\n");
      const listed = await until("the answer to ps", 60, async () => {
        rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
        const last = rows.reduce((found, row, index) => (row !== "" ? index : found), -1);
        return last > 5 && rows[last] === `${PROMPT} _` ? rows : null;
      }, shown);
      const psRows = listed.slice(listed.indexOf(`${PROMPT} ps`) + 1, listed.length).filter((row) => row !== "" && row !== `${PROMPT} _`);
      t.ok(psRows.length > 8, `ps lists the components (${psRows.length} rows)`);
      t.eq(psRows.filter((row) => row.includes("?")), [], "every cell of ps's answer is a character of the atlas");
      for (const name of ["init/compositor", "init/shell", "init/terminal", "init/keyboard", "init/display"]) {
        t.ok(psRows.some((row) => new RegExp(`\\brunning\\b.* ${name}$`).test(row)), `ps shows ${name} running`);
      }
      // The README's picture: written to build/ by every run, into docs/images/ when asked (DELOS_UPDATE_SCREENSHOT=1),
      // so that a test run leaves the repository's files as they were.
      const shot = writePng(await machine.screendump());
      writeFileSync(join(buildDir, "desktop.png"), shot);
      if (process.env.DELOS_UPDATE_SCREENSHOT === "1") {
        mkdirSync(join(repoRoot, "docs/images"), { recursive: true });
        writeFileSync(join(repoRoot, "docs/images/desktop.png"), shot);
      }

      // Copy and paste: the pointer selects "hello" (the answer to echo), Ctrl+Shift+C copies it to the clipboard
      // server, Ctrl+Shift+V types it at the prompt.
      const cellCentre = (column: number, row: number) => ({ x: FIRST_X + column * grid.cellWidth + (grid.cellWidth >> 1), y: FIRST_Y + row * grid.cellHeight + (grid.cellHeight >> 1) });
      const helloRow = listed.indexOf("hello");
      const promptRow = listed.lastIndexOf(`${PROMPT} _`);
      t.ok(helloRow > 0 && promptRow > helloRow, `the answer to echo (row ${helloRow}) and the prompt (row ${promptRow}) are on screen`);
      await machine.pointer(cellCentre(0, helloRow).x, cellCentre(0, helloRow).y, { left: true });
      await machine.pointer(cellCentre(2, helloRow).x, cellCentre(2, helloRow).y, {});
      await machine.pointer(cellCentre(4, helloRow).x, cellCentre(4, helloRow).y, {});
      await machine.pointer(cellCentre(4, helloRow).x, cellCentre(4, helloRow).y, { left: false });
      await machine.pointer(aside.x, aside.y, {});
      await machine.sendKeys("{ctrl-shift-c}{ctrl-shift-v}");
      const pasted = await until("the pasted text at the prompt", 30, async () => {
        rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
        return rows[promptRow] === `${PROMPT} hello_` ? rows : null;
      }, shown);
      t.eq(pasted[helloRow], "hello", "the selection is drawn with its colours swapped, the same text");
      await machine.sendKeys("{backspace}{backspace}{backspace}{backspace}{backspace}");
      await until("the prompt emptied again", 30, async () => {
        rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
        return rows[promptRow] === `${PROMPT} _` ? rows : null;
      }, shown);

      // The scrollback: `help` twice fills the screen past its top; Shift+PgUp looks back to the banner, Shift+PgDn returns.
      await machine.sendKeys("help\nhelp\n");
      const live = await until("the answers to help", 60, async () => {
        rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
        return rows[ROWS - 1] === `${PROMPT} _` && rows[ROWS - 2] !== "" && !rows.includes(BANNER) ? rows : null;
      }, shown);
      t.eq(live[ROWS - 1], `${PROMPT} _`, "the screen is full, the prompt on its last row, the banner scrolled off");
      await machine.sendKeys("{shift-pgup}".repeat(8));
      const back = await until("the scrollback's top", 30, async () => {
        rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
        return rows[0] === BANNER ? rows : null;
      }, shown);
      t.eq(back.slice(0, 3), [BANNER, `${PROMPT} echo hello`, "hello"], "Shift+PgUp shows the first lines again, without the cursor");
      await machine.sendKeys("{shift-pgdn}".repeat(8));
      await until("the live screen again", 30, async () => {
        rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
        return rows.join("\n") === live.join("\n") ? rows : null;
      }, shown);

      // The launcher's menu: the payload's window apps, by their manifests' names; its item starts the monitor.
      await machine.pointer(launcher.x + 20, launcher.y + 10, { left: true });
      await machine.pointer(launcher.x + 20, launcher.y + 10, { left: false });
      const apps = ["Editor", "File-manager", "Installer", "Monitor", "Swatch", "Terminal"];
      const menuHeight = apps.length * MENU_ITEM_HEIGHT + 4, menuTop = barTop - menuHeight;
      const menu = await until("the launcher's menu", 30, async () => {
        const picture = await machine.screendump();
        return pixelAt(picture, 2 + MENU_WIDTH - 2, menuTop + 2) === MENU ? picture : null;
      });
      apps.forEach((label, i) => {
        const item = { x: 4, y: menuTop + 2 + i * MENU_ITEM_HEIGHT, height: MENU_ITEM_HEIGHT };
        t.eq(textMismatches(menu, sans, label, item.x + 8, textTop(item), MENU_TEXT, MENU).slice(0, 3), [], `the menu's item ${i}: ${label}, every pixel`);
      });
      const monitorItem = menuTop + 2 + apps.indexOf("Monitor") * MENU_ITEM_HEIGHT + MENU_ITEM_HEIGHT / 2;
      await machine.pointer(40, monitorItem, { left: true });
      await machine.pointer(40, monitorItem, { left: false });
      const monitorX = FIRST_X + CASCADE_STEP, monitorY = FIRST_Y + CASCADE_STEP;
      const withMonitor = await until("the monitor's window", 90, async () => {
        const picture = await machine.screendump();
        return decorationMismatches(picture, sans, monitorX, monitorY, 800, 420, "System monitor", true).length === 0 ? picture : null;
      });
      // Its list (desktop/monitor/view.ts in the toolkit's theme, mono-14): a row `ID  COMPONENT ...` for each running component.
      const mono = grid.atlas;
      const padding = Math.max(2, Math.trunc(mono.size / 4)), rowHeight = mono.lineHeight + 4;
      const listLeft = monitorX + 2 * padding + padding, listTop = monitorY + rowHeight + 2 * padding;
      // The rows the list shows without scrolling (view.ts's layout: the header above, the buttons and the
      // status line below), each a component; init's warm spares (servers/init/supervisor.ts) show
      // in their component's row, in the SPARE column, not as rows of their own.
      const gap = 2 * padding;
      const listHeight = (420 - (rowHeight + 6) - rowHeight - 2 * gap) - (rowHeight + gap) - gap;
      const shownRows = Math.floor(listHeight / rowHeight);
      const rowsOf = (identity: string) => {
        const found: number[] = [];
        for (let row = 0; row < shownRows; row++) {
          for (let id = 1; id < 64; id++) {
            // The name and the blanks after it but the last (the next column's first glyph may reach into it).
            const prefix = `${String(id).padStart(4)}  ${identity.padEnd(23)}`;
            if (textMismatches(withMonitor, mono, prefix, listLeft, listTop + row * rowHeight + 2, 0x1c2025, 0xffffff).length === 0) found.push(row);
          }
        }
        return found;
      };
      const rowOf = (identity: string) => rowsOf(identity)[0] ?? -1;
      for (const identity of ["init/compositor", "init/shell", "init/terminal", "init/clock", "init/compositor/monitor", "init/keyboard", "init/display"]) {
        t.eq(rowsOf(identity).length, 1, `the monitor lists ${identity} in one row it shows, every pixel of its id and name`);
      }
      // The SPARE column (desktop/monitor/row.ts: characters 57 to 63) has ink in the drivers' rows, which keep
      // a spare, and none in the compositor's, which keeps none.
      const advance = findGlyph(mono, 0x4d).advance;
      const spareInk = (row: number) => {
        let ink = 0;
        const top = listTop + row * rowHeight + 2;
        for (let x = listLeft + ((57 * advance) >> 6) + 1; x < listLeft + ((64 * advance) >> 6) - 1; x++) {
          for (let y = top; y < top + mono.lineHeight; y++) if (pixelAt(withMonitor, x, y) !== 0xffffff) ink++;
        }
        return ink;
      };
      t.ok(spareInk(rowOf("init/keyboard")) > 0 && spareInk(rowOf("init/display")) > 0, "the keyboard and display drivers' rows show their spares");
      t.eq(spareInk(rowOf("init/compositor")), 0, "the compositor's row shows no spare");
      t.eq(decorationMismatches(withMonitor, sans, FIRST_X, FIRST_Y, width, height, "Terminal", false).filter((m) => !m.startsWith("bottom")), [],
        "the terminal below it, unfocused, where the monitor does not cover it");
      t.eq(textMismatches(withMonitor, sans, "System monitor", entry.x + (ENTRY_WIDTH + ENTRY_GAP) + 6, textTop(entry), TASKBAR_TEXT, TASKBAR_ENTRY_FOCUSED).slice(0, 3), [], "the monitor's entry in the window list, focused");

      // Drag the terminal by its title bar: it comes on top and moves by the pointer's move, its text with it.
      const from = { x: FIRST_X + 200, y: FIRST_Y - TITLE_HEIGHT / 2 };
      const to = { x: from.x + 40, y: from.y + 100 };
      await machine.pointer(from.x, from.y, {});
      await machine.pointer(from.x, from.y, { left: true });
      for (let step = 1; step <= 4; step++) await machine.pointer(from.x + (to.x - from.x) * step / 4, from.y + (to.y - from.y) * step / 4, {});
      await machine.pointer(to.x, to.y, { left: false });
      await machine.pointer(aside.x, aside.y, {});
      const dx = pointerPixel(to.x, W) - pointerPixel(from.x, W), dy = pointerPixel(to.y, H) - pointerPixel(from.y, H);
      t.eq([dx, dy], [40, 100], "the pointer moved by 40, 100 pixels");
      const moved = await until("the dragged terminal", 60, async () => {
        const picture = await machine.screendump();
        return decorationMismatches(picture, sans, FIRST_X + dx, FIRST_Y + dy, width, height, "Terminal", true).length === 0
          && pixelAt(picture, aside.x + 2, aside.y + 6) !== backgroundAt(aside.y + 6) ? picture : null;
      });
      t.eq(decorationMismatches(moved, sans, FIRST_X + dx, FIRST_Y + dy, width, height, "Terminal", true), [], "the terminal's decorations at its new place, focused");
      const movedRows = grid.rows(moved, FIRST_X + dx, FIRST_Y + dy);
      t.eq(movedRows, live, "its text moved with it");
      t.eq(pixelAt(moved, FIRST_X - BORDER, FIRST_Y + 100), backgroundAt(FIRST_Y + 100), "its old left border is background again");

      // Resize the terminal by its grip: the grid takes the whole cells that fit the size asked for, its text stays.
      const x = FIRST_X + dx, y = FIRST_Y + dy;
      const grip = { x: x + width + BORDER - 5, y: y + height + BORDER - 5 };
      const shrink = { x: grip.x - 90, y: grip.y - 68 };
      await machine.pointer(grip.x, grip.y, { left: true });
      await machine.pointer(shrink.x, shrink.y, {});
      await machine.pointer(shrink.x, shrink.y, { left: false });
      await machine.pointer(aside.x, aside.y, {});
      const asked = { width: width + pointerPixel(shrink.x, W) - pointerPixel(grip.x, W), height: height + pointerPixel(shrink.y, H) - pointerPixel(grip.y, H) };
      const columns = Math.floor(asked.width / grid.cellWidth), rowsLeft = Math.floor(asked.height / grid.cellHeight);
      const resized = await until("the resized terminal", 60, async () => {
        const picture = await machine.screendump();
        return decorationMismatches(picture, sans, x, y, columns * grid.cellWidth, rowsLeft * grid.cellHeight, "Terminal", true).length === 0 ? picture : null;
      });
      t.ok(columns < COLUMNS && rowsLeft < ROWS, `asked for ${asked.width} x ${asked.height}: ${columns} columns, ${rowsLeft} rows`);
      t.eq(pixelAt(resized, x + columns * grid.cellWidth + BORDER + 1, y + 10), backgroundAt(y + 10), "nothing of the window right of its new border");
      // The cursor was on the last row: the rows above it that no longer fit went to the scrollback.
      const up = ROWS - rowsLeft;
      t.eq(grid.rows(resized, x, y).slice(0, rowsLeft).map((row) => row.slice(0, columns).replace(/ +$/, "")),
        live.slice(up).map((row) => row.slice(0, columns).replace(/ +$/, "")), `its rows as they were, the top ${up} gone to keep the prompt's on screen`);
      t.ok(!/kernel: .*halted/.test(machine.serial), "the kernel never halted");
    } catch (error) {
      console.log(machine.serial.split("\n").filter((line) => !/timer: \d+ ticks/.test(line)).slice(-40).join("\n"));
      throw error;
    } finally {
      await machine.quit();
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 8 * 60 * 1000 });
}
