// The installer window end to end, through the QEMU harness: the desktop
// image (images/desktop.json) boots with an empty disk attached as
// /dev/disk1; the launcher's Installer item is clicked with the pointer;
// the window lists the disks (its status line counts them); the boot disk,
// clicked and Install pressed, is refused on the status line; disk1
// clicked, Install pressed, the confirmation (checked on screen) answered
// with Enter; the installer prints `install: done` on COM1 and the window's
// status line says the disk is installed. Then Install on the same disk,
// which now holds a partition table, asks the second, explicit erase
// question, and Escape keeps the disk. Every text is checked pixel for
// pixel in the toolkit's theme. After the machine stopped, the disk holds a
// GPT and `delos fs fsck` finds its home volume clean, and the disk boots
// alone to the desktop with its /home mounted.

import { spawnSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { findGlyph, type GlyphAtlas } from "../../sdk/host/glyph-atlas";
import { Machine, type Picture } from "../../sdk/qemu/index";
import { kernelFailures } from "../kernel/report";
import {
  CASCADE_STEP, FIRST_X, FIRST_Y, H, MENU_ITEM_HEIGHT, TASKBAR_HEIGHT, decorationMismatches, recipeAtlas, textMismatches, until,
} from "../desktop/desktop.test";

const TARGET_BYTES = 160 << 20;
const BOOT_SECONDS = 150;
const INSTALL_SECONDS = 600;
/** The launcher's items: the payload's window apps in its order. */
const APPS = ["Editor", "File-manager", "Installer", "Monitor", "Swatch", "Terminal"];
// desktop/apps/installer/installer.ts: the window's size.
const WIDTH = 640, HEIGHT = 360;
// desktop/toolkit/theme.ts
const FOREGROUND = 0x1c2025, BACKGROUND = 0xeceff1;

/** The width of `text` as desktop/lib/text.ts measures it: the pen's end, rounded up. */
function measure(atlas: GlyphAtlas, text: string): number {
  return ([...text].reduce((pen, c) => pen + findGlyph(atlas, c.codePointAt(0)!).advance, 0) + 63) >> 6;
}

function delos(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(buildDir, "host", "delos.js"), ...args]);
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

export function register(test: TestFunction): void {
  test("the installer window: the boot disk refused, disk1 installed after a confirmation (install: done, the window says so), a disk with a table asks to erase; the disk holds a GPT, fsck is clean and it boots alone", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-installer-"));
    try {
      const image = join(directory, "desktop.img"), target = join(directory, "target.img");
      writeFileSync(image, buildRecipe(readRecipe("desktop")).image);
      const fd = openSync(target, "w");
      ftruncateSync(fd, TARGET_BYTES);
      closeSync(fd);
      const sans = recipeAtlas("sans-13"), mono = recipeAtlas("mono-14");
      // desktop/apps/installer/view.ts: the layout.
      const padding = Math.max(2, Math.trunc(mono.size / 4)), gap = 2 * padding, rowHeight = mono.lineHeight + 4, controlHeight = rowHeight + 6;
      const buttonWidth = (caption: string) => Math.max(64, measure(mono, caption) + 4 * padding);
      const at = { x: FIRST_X + CASCADE_STEP, y: FIRST_Y + CASCADE_STEP };
      const statusY = HEIGHT - gap - rowHeight, stepY = statusY - rowHeight, barY = stepY - gap - rowHeight, buttonsY = barY - gap - controlHeight;
      const listY = 2 * gap + rowHeight;
      const install = { x: at.x + WIDTH - gap - buttonWidth("Install") + 10, y: at.y + buttonsY + Math.trunc(controlHeight / 2) };
      const row = (index: number) => ({ x: at.x + gap + 40, y: at.y + listY + index * rowHeight + Math.trunc(rowHeight / 2) });
      const labelShows = (picture: Picture, y: number, text: string) =>
        textMismatches(picture, mono, text, at.x + gap, at.y + y + Math.trunc((rowHeight - mono.lineHeight) / 2), FOREGROUND, BACKGROUND).length === 0;

      const machine = await Machine.start({ image, disks: [target], timeoutSeconds: BOOT_SECONDS + INSTALL_SECONDS + 120 });
      const started = Date.now();
      const tail = () => machine.serial.split("\n").filter((line) => !/timer: \d+ ticks/.test(line)).slice(-12).join("\n");
      /** A click at `point`; then the pointer goes aside, off the texts checked, unless it is to stay (the launcher's menu). */
      const click = async (point: { x: number; y: number }, aside = true) => {
        await machine.pointer(point.x, point.y, { left: true });
        await machine.pointer(point.x, point.y, { left: false });
        if (aside) await machine.pointer(1000, 300, {});
      };
      const statusSays = (text: string, seconds = 60) => until(`the status line: ${text}`, seconds, async () => {
        const picture = await machine.screendump();
        return labelShows(picture, statusY, text) ? picture : null;
      }, tail);
      /** The dialog of `message` with `captions` (desktop/toolkit/dialog.ts): its message on screen. */
      const dialogShows = (message: string, captions: string[]) => {
        const buttons = captions.length * Math.max(60, ...captions.map((c) => measure(mono, c) + 4 * padding)) + (captions.length - 1) * gap;
        const width = Math.min(WIDTH, Math.max(measure(mono, message), buttons) + 4 * gap);
        const height = Math.min(HEIGHT, rowHeight + controlHeight + 3 * gap);
        const x = at.x + Math.trunc((WIDTH - width) / 2), y = at.y + Math.trunc((HEIGHT - height) / 2);
        return until(`the dialog: ${message}`, 30, async () => {
          const picture = await machine.screendump();
          return textMismatches(picture, mono, message, x + 2 * gap, y + gap, FOREGROUND, BACKGROUND).length === 0 ? picture : null;
        }, tail);
      };
      try {
        await machine.waitFor("desktop: ready", BOOT_SECONDS * 1000);
        const booted = Date.now();
        // The launcher (the taskbar's left end), then its Installer item.
        const barTop = H - TASKBAR_HEIGHT;
        await click({ x: 22, y: barTop + 12 }, false);
        await click({ x: 40, y: barTop - (APPS.length * MENU_ITEM_HEIGHT + 4) + 2 + APPS.indexOf("Installer") * MENU_ITEM_HEIGHT + MENU_ITEM_HEIGHT / 2 });
        await until("the installer's window", 120, async () => {
          const picture = await machine.screendump();
          return decorationMismatches(picture, sans, at.x, at.y, WIDTH, HEIGHT, "Installer", true).length === 0 ? picture : null;
        }, tail);
        await statusSays("2 disks");

        // The boot disk: refused, nothing asked.
        await click(row(0));
        await click(install);
        await statusSays("/dev/disk0 is the boot disk: the system is copied from it. Choose another.");

        // disk1: Install, the confirmation, Enter.
        await click(row(1));
        await click(install);
        await dialogShows("Install Delos on /dev/disk1 (160 MiB)?", ["Install", "Cancel"]);
        await machine.sendKeys("\n");
        const confirmed = Date.now();
        await machine.waitFor("install: done", INSTALL_SECONDS * 1000);
        const finished = Date.now();
        await statusSays("Installed on /dev/disk1: it boots by itself.");
        t.ok(/install: installing on \/dev\/disk1: 160 MiB/.test(machine.serial), "the installer took disk1");
        t.ok(/install: system volume \(verified\): \d+ blocks copied/.test(machine.serial), "the system volume was copied through its hash tree");

        // disk1 now holds a table: Install asks again, explicitly to erase; Escape keeps it.
        await click(install);
        await dialogShows("Install Delos on /dev/disk1 (160 MiB)?", ["Install", "Cancel"]);
        await machine.sendKeys("\n");
        await dialogShows("/dev/disk1 holds a partition table: erase everything on it?", ["Erase", "Cancel"]);
        await machine.sendKeys("{esc}");
        await statusSays("Kept /dev/disk1 as it is.");
        t.eq(machine.serial.split("install: installing on").length - 1, 1, "nothing more was installed");
        t.eq(kernelFailures(machine.serial), [], "no kernel halt or kernel trap");
        console.log(`  boot ${((booted - started) / 1000).toFixed(1)} s, installation ${((finished - confirmed) / 1000).toFixed(1)} s, in all ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (error) {
        console.log(tail());
        throw error;
      } finally {
        await machine.quit();
      }
      const disk = readFileSync(target);
      t.eq(disk.subarray(512, 520).toString("latin1"), "EFI PART", "the disk holds a GPT header at sector 1");
      t.eq(disk.subarray(disk.length - 512, disk.length - 504).toString("latin1"), "EFI PART", "and its backup at the last sector");
      const fsck = delos(["fs", "fsck", target]);
      t.eq(fsck.status, 0, `delos fs fsck: ${fsck.stdout.trim()} ${fsck.stderr.trim()}`);

      // The installed disk boots alone (on a snapshot: the disk stays as installed) to the desktop, its /home mounted.
      const alone = await Machine.start({ image: target, timeoutSeconds: BOOT_SECONDS + 30 });
      try {
        await alone.waitFor("desktop: ready", BOOT_SECONDS * 1000);
        await until("the installed /home", 60, async () => (/home: .*mounted/.test(alone.serial) ? true : null), () => alone.serial.split("\n").slice(-8).join("\n"));
        t.ok(true, "the installed disk booted alone to the desktop with its /home");
      } finally {
        await alone.quit();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 20 * 60 * 1000 });
}
