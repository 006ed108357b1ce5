// One boot of the test image for the in-OS tests: built from images/test.json,
// run until the in-OS test runner prints its `end` line (or the kernel
// halts, or the time runs out), and kept as the serial log that every
// check in tests/kernel reads. The boot happens once per process, however
// many tests ask for it; QEMU boots of other test files may run beside it.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { buildDir } from "../../sdk/host/paths";
import { join } from "node:path";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine, type MachineOptions } from "../../sdk/qemu/index";
import { makeTestDisks } from "../storage/disks";

/** The runner's last line (tests/os/README.md). */
export const END = /ostest: end \d+ passed, \d+ failed/;
const HALTED = /kernel: .*halted/;
/** Lines after which the runner's end line cannot come: init or the runner did not load, or the runner ended. */
const HOPELESS: Array<[RegExp, string]> = [
  [/load: system\/init\.wasm: (?!component)(.*)/, "init did not load"],
  [/init: runner: could not start(.*)/, "init could not start the runner"],
  [/init: runner: component \d+ ((?:faulted|exited|was killed|ended).*)/, "the runner ended before its end line"],
];

export interface OsBoot {
  serial: string;
  accel: string;
  /** Why the boot ended before the runner's end line, or null. */
  problem: string | null;
  /** Milliseconds from QEMU's start to the end line (or to the end of the boot). */
  elapsedMs: number;
}

/**
 * Boots a fresh build of the test image until the runner ends, with the
 * storage tests' disks attached (tests/storage/disks.ts); `extraArgs` go to
 * QEMU (e.g. -icount).
 */
export function bootTestImage(options: { timeoutSeconds?: number; accel?: MachineOptions["accel"]; extraArgs?: string[] } = {}): Promise<OsBoot> {
  const disks = makeTestDisks();
  return bootUntil(buildRecipe(readRecipe("test")).image, { timeoutSeconds: options.timeoutSeconds ?? 240, disks, ...options }, "`ostest: end`", (serial) => {
    if (END.test(serial)) return null;
    if (HALTED.test(serial)) return "the kernel halted";
    return HOPELESS.map(([pattern, what]) => { const match = pattern.exec(serial); return match ? `${what}: ${match[1]!.trim()}` : null; }).find((text) => text !== null);
  });
}

/**
 * Boots `image` in QEMU until `stop(serial)` says the boot is over — null:
 * it ended as it should; a string: why it ended early — or QEMU exits or
 * `timeoutSeconds` pass (a problem that names `awaited`, the line that did
 * not come). A boot that ended early runs 200 ms more for the lines of a report.
 */
export async function bootUntil(image: Uint8Array, options: { timeoutSeconds: number; accel?: MachineOptions["accel"]; extraArgs?: string[]; disks?: string[] },
  awaited: string, stop: (serial: string) => string | null | undefined): Promise<OsBoot> {
  const limit = options.timeoutSeconds;
  const directory = mkdtempSync(join(tmpdir(), "delos-os-"));
  try {
    const path = join(directory, "boot.img");
    writeFileSync(path, image);
    const machine = await Machine.start({ image: path, timeoutSeconds: limit + 30, accel: options.accel, extraArgs: options.extraArgs, disks: options.disks });
    let problem: string | null = null;
    try {
      const deadline = performance.now() + limit * 1000;
      for (;;) {
        const verdict = stop(machine.serial);
        if (verdict === null) break;
        if (verdict !== undefined) { await sleep(200); problem = verdict; break; }
        if (!machine.isRunning) { problem = `QEMU exited before the ${awaited} line${machine.qemuErrors ? `: ${machine.qemuErrors.trim()}` : ""}`; break; }
        if (performance.now() > deadline) { problem = `no ${awaited} line within ${limit} s (${machine.accel})`; break; }
        await sleep(100);
      }
      // Kept for whoever reads a failure: the whole console of the last boot.
      writeFileSync(join(buildDir, "os-test.serial"), machine.serial);
      return { serial: machine.serial, accel: machine.accel, problem, elapsedMs: performance.now() - machine.startedAt };
    } finally {
      await machine.quit();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

let shared: Promise<OsBoot> | null = null;

/** The one boot the host tests share. */
export function sharedBoot(): Promise<OsBoot> {
  shared ??= bootTestImage();
  return shared;
}
