// Installation end to end, through the QEMU harness: the install image
// (images/install.json: the desktop with the installer and the
// installation test's writer, tests/os/home-note) boots with an empty disk
// attached; `install /dev/disk1` is typed in the terminal through QMP and
// the installer prints `install: done` on COM1. Then that disk boots alone,
// writable: the writer creates /home/note.txt and syncs it, and `echo ... >
// /home/typed.txt` and `sync` are typed in the shell; QEMU is killed at
// once (a power cut). At the next boot the writer finds its file and the
// shell reads /home/typed.txt into /home/seen.txt. On the
// host, `delos fs fsck` finds the home volume clean, `delos fs cat` reads
// the same text, and `delos fs verify` finds the copied system volume
// matching the hash tree of the copied payload.

import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine } from "../../sdk/qemu/index";

const TARGET_BYTES = 160 << 20;
const NOTE = "written on the installed disk";
/** What `echo` writes to /home/typed.txt from the shell. */
const TYPED = "typed in the shell of the installed disk";
const BOOT_MS = 300_000;
const INSTALL_MS = 900_000;
/** The pause after each typed line. */
const LINE_PAUSE_MS = 3000;

function delos(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(buildDir, "host", "delos.js"), ...args]);
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** Resolves once `text` stands `count` times on the console, or fails after `timeoutMs`. */
async function waitForCount(machine: Machine, text: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (machine.serial.split(text).length - 1 < count) {
    if (Date.now() > deadline) throw new Error(`no ${count} × "${text}" within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/**
 * Boots `image` (with `disks` attached, `writable` or on a snapshot); when
 * `keys` are given, waits for `desktop: ready` and each of `before` on the
 * console, then types them in the terminal, a line at a time; waits for `text` to stand
 * `count` times on the console, then kills QEMU at once (a power cut): the
 * console.
 */
export async function bootUntil(image: string, text: string,
  options: { disks?: string[]; writable?: boolean; keys?: string; before?: string[]; count?: number } = {}): Promise<string> {
  const machine = await Machine.start({ image, disks: options.disks, writable: options.writable, timeoutSeconds: (BOOT_MS + INSTALL_MS) / 1000 });
  try {
    if (options.keys !== undefined) {
      for (const ready of ["desktop: ready", ...(options.before ?? [])]) await machine.waitFor(ready, BOOT_MS);
      // A line at a time, with time for the shell to answer before the next.
      for (const line of options.keys.split(/(?<=\n)/)) {
        await machine.sendKeys(line);
        await new Promise((done) => setTimeout(done, LINE_PAUSE_MS));
      }
    }
    await waitForCount(machine, text, options.count ?? 1, options.keys !== undefined ? INSTALL_MS : BOOT_MS);
  } catch {
    // What the console shows instead is in the assertions' messages.
  } finally {
    machine.kill();
    await machine.exited;
  }
  return machine.serial;
}

function lines(serial: string, pattern: RegExp): string {
  return serial.split("\n").filter((line) => pattern.test(line)).slice(-12).join("\n");
}

export function register(test: TestFunction): void {
  test("install /dev/disk1 typed in the terminal writes a disk that boots alone; a file synced on its /home survives a power cut; delos fs fsck and cat agree", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-install-"));
    try {
      const live = join(directory, "install.img");
      writeFileSync(live, buildRecipe(readRecipe("install")).image);
      const target = join(directory, "target.img");
      const fd = openSync(target, "w");
      ftruncateSync(fd, TARGET_BYTES);
      closeSync(fd);

      const installed = await bootUntil(live, "install: done", { disks: [target], keys: "install /dev/disk1\n" });
      // The consoles stay for a look when an assertion fails.
      writeFileSync(join(buildDir, "install-test-live.serial"), installed);
      t.ok(/install: installing on \/dev\/disk1: 160 MiB/.test(installed), `the installer took the disk: ${lines(installed, /install: /)}`);
      t.ok(installed.includes("install: system volume (verified):"), "the system volume was copied through its hash tree");
      t.ok(installed.includes("install: done"), `install: done on COM1: ${lines(installed, /install: /)}`);

      // The installed disk's first boot: the writer makes /home/note.txt and syncs it; then the shell, typed at,
      // writes /home/typed.txt (a redirection is synced before the shell answers) and `sync`s, and starts the
      // writer again, whose `found` line says that the lines before it were done. Then the power is cut.
      const first = await bootUntil(target, "home-note: found", {
        writable: true, before: ["home-note: written"], keys: `echo ${TYPED} > /home/typed.txt\nsync\nstart home-note\n`,
      });
      writeFileSync(join(buildDir, "install-test-first.serial"), first);
      t.ok(first.includes("home-note: written"), `the installed disk boots and writes /home/note.txt: ${lines(first, /home-note|home:|system:/)}`);
      t.ok(first.includes(`home-note: found: ${NOTE}`), `the shell's lines ran before the writer started again: ${lines(first, /home-note|home:/)}`);
      // The next boot finds both: the writer its note, and the shell, typed at, reads /home/typed.txt into /home/seen.txt.
      const second = await bootUntil(target, "home-note: found", {
        writable: true, before: ["home-note: found"], keys: "cat /home/typed.txt > /home/seen.txt\nstart home-note\n", count: 2,
      });
      writeFileSync(join(buildDir, "install-test-second.serial"), second);
      t.ok(second.includes(`home-note: found: ${NOTE}`), `after the power cut the file is there: ${lines(second, /home-note|home:/)}`);
      t.eq(second.split("home-note: found").length - 1, 2, "the shell's lines on the second boot ran before the writer started again");

      const fsck = delos(["fs", "fsck", target]);
      t.eq(fsck.status, 0, `delos fs fsck: ${fsck.stdout.trim()} ${fsck.stderr.trim()}`);
      const cat = delos(["fs", "cat", `${target}:/note.txt`]);
      t.eq(cat.stdout, `${NOTE}\n`, `delos fs cat /note.txt: ${cat.stderr.trim()}`);
      const typed = delos(["fs", "cat", `${target}:/typed.txt`]);
      t.eq(typed.stdout, `${TYPED}\n`, `delos fs cat /typed.txt (typed in the shell before the power cut): ${typed.stderr.trim()}`);
      const seen = delos(["fs", "cat", `${target}:/seen.txt`]);
      t.eq(seen.stdout, `${TYPED}\n`, `delos fs cat /seen.txt (what the shell read from /home/typed.txt after the power cut): ${seen.stderr.trim()}`);
      const verify = delos(["fs", "verify", target]);
      t.eq(verify.status, 0, `delos fs verify: ${verify.stdout.trim().split("\n").slice(-3).join(" ")} ${verify.stderr.trim()}`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 1_800_000 });
}
