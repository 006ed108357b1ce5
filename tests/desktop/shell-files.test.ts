// The shell's file commands, seen from outside:
//
// 1. What they left on the test boot's volume (tests/storage/disks.ts),
//    read on the host after the boot with the tool a user would: the
//    shell's in-OS test (desktop/shell/test.ts) typed `echo written by the
//    shell > /files/shell-test/kept.txt`, which the shell synced before
//    answering; `delos fs cat` reads it back, `delos fs ls` shows the
//    directory the test emptied with rm and rm -r but for it, and fsck
//    finds the volume clean after the file server's crash workloads.
// 2. On the desktop (images/desktop-files.json, a volume attached as
//    /dev/disk1): keys typed through QMP into the terminal run cd, mkdir,
//    echo > f, cat, ls -l, mv, rm and df, and each answer is read off the
//    screen, cell by cell; after the boot the host finds on the volume what
//    the shell made, and fsck clean.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { makeVolumeFile } from "../../sdk/host/fs-volume";
import { rasteriseGlyphAtlas } from "../../sdk/host/glyph-atlas";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine } from "../../sdk/qemu/index";
import { sharedBoot } from "../kernel/os-boot";
import { VOLUME_DISK } from "../storage/disks";
import { GridReader, until } from "./desktop.test";

const BOOT_SECONDS = 150;
/** The terminal's first cell (the first window's content, desktop/compositor/manager.ts). */
const FIRST_X = 48, FIRST_Y = 56;
const PROMPT = "delos>";
const DESKTOP_VOLUME_BYTES = 16 << 20;

function delos(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(buildDir, "host", "delos.js"), ...args]);
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

export function register(test: TestFunction): void {
  test("shell files: what the shell wrote with > is on the volume after the boot (delos fs cat, ls), fsck is clean", async (t) => {
    const boot = await sharedBoot();
    t.ok(/files-test: \d+ clients at once/.test(boot.serial), "the file server's test ran its clients' workload");
    const cat = delos(["fs", "cat", `${VOLUME_DISK}:/shell-test/kept.txt`]);
    t.eq(cat.status, 0, `delos fs cat /shell-test/kept.txt: ${cat.stderr.trim()}`);
    t.eq(cat.stdout, "written by the shell\n", "the file holds the line echo wrote, with a plain line feed");
    const ls = delos(["fs", "ls", `${VOLUME_DISK}:/shell-test`]);
    t.eq(ls.status, 0, `delos fs ls /shell-test: ${ls.stderr.trim()}`);
    t.eq(ls.stdout.split("\n").filter((line) => line.trim().length > 0).length, 1, `only kept.txt is left: ${ls.stdout.trim()}`);
    const shared = delos(["fs", "ls", `${VOLUME_DISK}:/multi/shared`]);
    t.eq(shared.status, 0, `delos fs ls /multi/shared: ${shared.stderr.trim()}`);
    t.ok(shared.stdout.split("\n").filter((line) => line.trim().length > 0).length > 3, "the clients' cross-directory renames are there");
    const fsck = delos(["fs", "fsck", VOLUME_DISK]);
    t.eq(fsck.status, 0, `delos fs fsck: ${fsck.stdout.trim()} ${fsck.stderr.trim()}`);
  }, { timeout: 420_000 });

  test("shell files on the desktop: cd, mkdir, echo > f, cat, ls -l, mv, rm and df typed in the terminal answer on screen; the host finds the files on the volume after", async (t) => {
    await sharedBoot();
    const directory = mkdtempSync(join(tmpdir(), "delos-desktop-files-"));
    try {
      const image = join(directory, "desktop-files.img");
      writeFileSync(image, buildRecipe(readRecipe("desktop-files")).image);
      const volume = join(directory, "volume.img");
      makeVolumeFile(volume, DESKTOP_VOLUME_BYTES, 0xde5c70f11e5n);
      const entry = readRecipe("desktop-files").payload.find((item) => item.name === "fonts/mono-14.atlas") as { atlas?: { font: string; size: number } } | undefined;
      if (!entry?.atlas) throw new Error("images/desktop-files.json has no fonts/mono-14.atlas");
      const grid = new GridReader(rasteriseGlyphAtlas({ font: entry.atlas.font, size: entry.atlas.size }));
      const machine = await Machine.start({ image, disks: [volume], timeoutSeconds: BOOT_SECONDS + 300 });
      let rows: string[] = [];
      try {
        await machine.waitFor("desktop: ready", BOOT_SECONDS * 1000);
        // The pointer starts over the terminal: moved aside, to the background on the right.
        await machine.pointer(1000, 300, {}, { width: 1024, height: 768 });
        /** Clears the screen, types `line` and Enter, and waits for the next prompt: the rows the command printed. */
        const run = async (line: string): Promise<string[]> => {
          await machine.sendKeys("clear\n");
          await until(`the screen cleared before ${line}`, 60, async () => {
            rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
            return rows[0] === `${PROMPT} _` ? rows : null;
          }, () => rows.join("\n"));
          await machine.sendKeys(`${line}\n`);
          return await until(`the answer to ${line}`, 60, async () => {
            rows = grid.rows(await machine.screendump(), FIRST_X, FIRST_Y);
            const last = rows.reduce((found, row, index) => (row !== "" ? index : found), -1);
            return rows[0] === `${PROMPT} ${line}` && last > 0 && rows[last] === `${PROMPT} _` ? rows.slice(1, last) : null;
          }, () => rows.join("\n"));
        };
        t.eq(await run("cd /files"), [], "cd /files");
        t.eq(await run("mkdir docs"), [], "mkdir docs");
        t.eq(await run("cd docs"), [], "cd docs");
        t.eq(await run("pwd"), ["/files/docs"], "pwd");
        t.eq(await run("echo hi > f"), [], "echo hi > f prints nothing on the terminal");
        t.eq(await run("cat f"), ["hi"], "cat f");
        const listed = await run("ls -l");
        t.eq(listed.length, 1, `ls -l lists one file: ${listed.join(" | ")}`);
        t.ok(/^-rw-r--r-- +3 {2}\S.* f$/.test(listed[0] ?? ""), `ls -l: mode, 3 bytes, a time, the name (${listed[0]})`);
        t.eq(await run("mv f /files/g"), [], "mv f to another directory");
        t.eq(await run("ls"), [], "the directory is empty after the mv");
        t.eq(await run("cat /files/g"), ["hi"], "the file is at its new path");
        t.eq(await run("cp /files/g kept"), [], "cp");
        t.eq(await run("rm /files/g"), [], "rm");
        t.eq(await run("cat /files/g"), ["cat: /files/g: no such file or directory"], "the removed file is gone, the error names it");
        const df = await run("df");
        t.ok(df.some((row) => /^\/files +16384 +\d+ +\d+ +\d+% +\/files$/.test(row)), `df shows the 16 MiB volume: ${df.join(" | ")}`);
      } finally {
        await machine.quit();
      }
      const kept = delos(["fs", "cat", `${volume}:/docs/kept`]);
      t.eq([kept.status, kept.stdout], [0, "hi\n"], `delos fs cat /docs/kept after the boot: ${kept.stderr.trim()}`);
      const root = delos(["fs", "ls", `${volume}:/`]);
      t.ok(root.status === 0 && !/ g$/m.test(root.stdout) && / docs\/$/m.test(root.stdout), `delos fs ls /: docs/ and no g: ${root.stdout.trim()} ${root.stderr.trim()}`);
      const fsck = delos(["fs", "fsck", volume]);
      t.eq(fsck.status, 0, `delos fs fsck: ${fsck.stdout.trim()} ${fsck.stderr.trim()}`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: (BOOT_SECONDS + 360) * 1000 });
}

