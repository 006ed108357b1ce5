// The editor and the file manager on the desktop, from the host, in one
// boot of the desktop image with the file server and the block driver
// (images/desktop-apps.json) and a Delos volume attached as /dev/disk1 (the file server's
// volume until the boot disk's home volume is mounted). Keys and clicks go
// through QMP, the screen is checked against what the apps draw (window
// titles as the compositor draws them, the status lines in the toolkit's
// theme, every pixel), and the volume is read back on the host after the
// machine stops, with the same file-system code (sdk/host/fs-volume.ts):
//
// 1. The launcher starts the editor; text typed into it, a path typed
//    after Control-O and Control-S save it: the title drops its `*`, and
//    the file on the volume holds the text, line ends and all.
// 2. The launcher starts the file manager, which lists the volume's top
//    folder; a folder made (its name typed, Enter), renamed (Rename), a
//    file deleted (Delete, then the dialog's Enter); each change's status
//    line on screen; and Enter on the saved file opens it in a new editor
//    (started by the file manager with the path), whose title names it.
// 3. After the machine stopped: the tree on the volume is what was done,
//    and fsck finds it clean.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { makeVolumeFile, withImageVolume } from "../../sdk/host/fs-volume";
import { findGlyph, type GlyphAtlas } from "../../sdk/host/glyph-atlas";
import { Machine, type Picture } from "../../sdk/qemu/index";
import { kernelFailures } from "../kernel/report";
import {
  CASCADE_STEP, FIRST_X, FIRST_Y, H, MENU_ITEM_HEIGHT, TASKBAR_HEIGHT, decorationMismatches, recipeAtlas, textMismatches, until,
} from "./desktop.test";

const BOOT_SECONDS = 150;
const VOLUME_BYTES = 16 << 20;
/** The launcher's items: the payload's window apps in its order. */
const APPS = ["Editor", "File-manager", "Installer", "Monitor", "Swatch", "Terminal"];
// desktop/apps/editor and desktop/apps/file-manager: their windows' sizes.
const EDITOR_WIDTH = 640, EDITOR_HEIGHT = 440, MANAGER_WIDTH = 720, MANAGER_HEIGHT = 420;
// desktop/toolkit/theme.ts
const FOREGROUND = 0x1c2025, BACKGROUND = 0xeceff1;
const NOTE = "notes.txt", NOTE_TEXT = "written by the host\n";
const TYPED = ["Delos editor, typed through QMP.", "Second line: saved, synced."];

/** The width of `text` as desktop/lib/text.ts measures it: the pen's end, rounded up. */
function measure(atlas: GlyphAtlas, text: string): number {
  return ([...text].reduce((pen, c) => pen + findGlyph(atlas, c.codePointAt(0)!).advance, 0) + 63) >> 6;
}

export function register(test: TestFunction): void {
  test("desktop apps: the editor saves what was typed to the file server's volume; the file manager makes, renames and deletes, and opens a file in the editor", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-apps-"));
    const image = join(directory, "desktop.img"), volume = join(directory, "volume.img");
    writeFileSync(image, buildRecipe(readRecipe("desktop-apps")).image);
    makeVolumeFile(volume, VOLUME_BYTES, 0xa995_0001n);
    withImageVolume(volume, true, (v) => { v.writeFile(`/${NOTE}`, new TextEncoder().encode(NOTE_TEXT)); v.commit(); });
    const sans = recipeAtlas("sans-13"), mono = recipeAtlas("mono-14");
    const padding = Math.max(2, Math.trunc(mono.size / 4)), gap = 2 * padding, rowHeight = mono.lineHeight + 4;
    /** A label's text (desktop/toolkit/label.ts: centred in a box `height` tall at (x, y)), every pixel. */
    const labelShows = (picture: Picture, x: number, y: number, height: number, text: string) =>
      textMismatches(picture, mono, text, x, y + Math.trunc((height - mono.lineHeight) / 2), FOREGROUND, BACKGROUND).length === 0;
    const controlHeight = rowHeight + 6;
    const buttonWidth = (caption: string) => Math.max(64, measure(mono, caption) + 4 * padding);
    const machine = await Machine.start({ image, disks: [volume], timeoutSeconds: BOOT_SECONDS + 360 });
    const aside = { x: 1000, y: 300 };
    const barTop = H - TASKBAR_HEIGHT;
    const launch = async (app: string) => {
      await machine.pointer(22, barTop + 12, { left: true });
      await machine.pointer(22, barTop + 12, { left: false });
      const itemY = barTop - (APPS.length * MENU_ITEM_HEIGHT + 4) + 2 + APPS.indexOf(app) * MENU_ITEM_HEIGHT + MENU_ITEM_HEIGHT / 2;
      await machine.pointer(40, itemY, { left: true });
      await machine.pointer(40, itemY, { left: false });
      await machine.pointer(aside.x, aside.y, {});
    };
    const windowShows = (what: string, x: number, y: number, width: number, height: number, title: string) =>
      until(what, 120, async () => {
        const picture = await machine.screendump();
        return decorationMismatches(picture, sans, x, y, width, height, title, true).length === 0 ? picture : null;
      }, () => machine.serial.split("\n").slice(-8).join("\n"));
    try {
      await machine.waitFor("desktop: ready", BOOT_SECONDS * 1000);
      await until("the file server's volume", 60, async () => (/\/dev\/disk1: volume [0-9a-f]+ of \d+ blocks mounted/.test(machine.serial) ? true : null),
        () => machine.serial.split("\n").slice(-8).join("\n")).catch(() => undefined);

      // 1. The editor: typed, saved by Control-O, a path, Control-S.
      const editor = { x: FIRST_X + CASCADE_STEP, y: FIRST_Y + CASCADE_STEP };
      await launch("Editor");
      await windowShows("the editor's window", editor.x, editor.y, EDITOR_WIDTH, EDITOR_HEIGHT, "untitled - Editor");
      await machine.sendKeys(TYPED.join("\n"));
      await windowShows("the modified mark", editor.x, editor.y, EDITOR_WIDTH, EDITOR_HEIGHT, "*untitled - Editor");
      await machine.sendKeys("{ctrl-o}/typed.txt{ctrl-s}");
      const saved = await windowShows("the saved editor's title", editor.x, editor.y, EDITOR_WIDTH, EDITOR_HEIGHT, "typed.txt - Editor");
      const bytes = new TextEncoder().encode(TYPED.join("\n")).length;
      // desktop/apps/editor/view.ts: the status line right of the find field (a third of the width) and Next.
      const editorStatus = (at: { x: number; y: number }) => ({ x: at.x + 3 * gap + Math.trunc(EDITOR_WIDTH / 3) + buttonWidth("Open"), y: at.y + EDITOR_HEIGHT - gap - controlHeight });
      const status = editorStatus(editor);
      t.ok(labelShows(saved, status.x, status.y, controlHeight, `Saved /typed.txt (${bytes} bytes)`), "the editor's status line says it saved, every pixel");

      // 2. The file manager: the top folder listed, a folder made, renamed, a file deleted, the typed file opened in an editor.
      const manager = { x: FIRST_X + 2 * CASCADE_STEP, y: FIRST_Y + 2 * CASCADE_STEP };
      await launch("File-manager");
      await windowShows("the file manager's window", manager.x, manager.y, MANAGER_WIDTH, MANAGER_HEIGHT, "Files");
      // desktop/apps/file-manager/view.ts: the status line along the bottom.
      const managerSays = (text: string) => until(`the file manager's status: ${text}`, 60, async () => {
        const picture = await machine.screendump();
        return labelShows(picture, manager.x + gap, manager.y + MANAGER_HEIGHT - gap - rowHeight, rowHeight, text) ? picture : null;
      });
      // The table has the focus: Tab goes to the name field; Enter there makes the folder.
      await machine.sendKeys("{tab}docs\n");
      await managerSays("Made the folder docs");
      // The new folder is selected: its new name, then Tab, Tab to Rename and Space.
      await machine.sendKeys("{ctrl-a}papers{tab}{tab}{spc}");
      await managerSays("Renamed docs to papers");
      // Back to the table (Shift-Tab three times), the entries: papers/, notes.txt, typed.txt; notes.txt, Delete, Enter.
      await machine.sendKeys("{shift-tab}{shift-tab}{shift-tab}{down}{tab}{tab}{tab}{tab}{spc}");
      // desktop/toolkit/dialog.ts: centred over the window, its message at (2 gaps, 1 gap) inside.
      const question = `Delete ${NOTE}?`;
      const dialogWidth = Math.max(measure(mono, question), 2 * Math.max(60, measure(mono, "Delete") + 4 * padding, measure(mono, "Cancel") + 4 * padding) + gap) + 4 * gap;
      const dialogHeight = rowHeight + controlHeight + 3 * gap;
      const dialog = { x: manager.x + Math.trunc((MANAGER_WIDTH - dialogWidth) / 2), y: manager.y + Math.trunc((MANAGER_HEIGHT - dialogHeight) / 2) };
      await until("the confirmation", 30, async () => {
        const picture = await machine.screendump();
        return textMismatches(picture, mono, question, dialog.x + 2 * gap, dialog.y + gap, FOREGROUND, BACKGROUND).length === 0 ? picture : null;
      });
      await machine.sendKeys("\n");
      await managerSays(`Deleted ${NOTE}`);
      // typed.txt is now the second row: to the table, Down, Enter: a new editor with it.
      await machine.sendKeys("{shift-tab}{shift-tab}{shift-tab}{shift-tab}{down}\n");
      const second = { x: FIRST_X + 3 * CASCADE_STEP, y: FIRST_Y + 3 * CASCADE_STEP };
      const opened = await windowShows("the editor the file manager started", second.x, second.y, EDITOR_WIDTH, EDITOR_HEIGHT, "typed.txt - Editor");
      const secondStatus = editorStatus(second);
      t.ok(labelShows(opened, secondStatus.x, secondStatus.y, controlHeight, "Opened /typed.txt (2 lines)"), "it opened the file the file manager gave it, its status line says");
      t.eq(kernelFailures(machine.serial), [], "no kernel halt or kernel trap");
    } catch (error) {
      console.log(machine.serial.split("\n").filter((line) => !/timer: \d+ ticks/.test(line)).slice(-40).join("\n"));
      throw error;
    } finally {
      await machine.quit();
    }
    try {
      // 3. The volume, read on the host.
      withImageVolume(volume, false, (v) => {
        t.eq(new TextDecoder().decode(v.readFile("/typed.txt")), TYPED.join("\n"), "the file the editor saved holds what was typed");
        t.eq(v.list("/").map((entry) => entry.name).sort(), ["papers", "typed.txt"], "the folder renamed, the note deleted");
        t.eq(v.fsck().problems, [], "fsck: clean");
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 10 * 60 * 1000 });
}
