// The storage stack end to end, through the test image's boot
// (tests/kernel/os-boot.ts): the host makes a volume as `delos fs mkfs`
// and `delos fs put` do (disks.ts), the in-OS test of the file server reads
// that file and writes a copy of it, synced, over the block driver and the
// file server (servers/files/test.ts). After the boot the host reads the
// copy with `delos fs cat`, and `delos fs fsck` finds the volume clean —
// after a workload in which the file server and the disk driver were
// killed again and again. And a bounded batch of power cuts of a running
// Delos in the middle of a file workload (power-cut.ts).

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { sharedBoot } from "../kernel/os-boot";
import { COPY_PATH, COPY_PREFIX, GREETING, VOLUME_DISK } from "./disks";
import { powerCuts } from "./power-cut";

/** Cuts of the bounded power-cut batch; `npm run power-cut -- N` runs more. */
const CUTS = 2;

function delos(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(buildDir, "host", "delos.js"), ...args]);
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

export function register(test: TestFunction): void {
  test("a file written and synced on Delos is on the volume after the boot: delos fs cat reads it, fsck is clean", async (t) => {
    const boot = await sharedBoot();
    t.ok(/files-test: \d+ files created/.test(boot.serial), "the file server's in-OS test ran its workload");
    const cat = delos(["fs", "cat", `${VOLUME_DISK}:${COPY_PATH}`]);
    t.eq(cat.status, 0, `delos fs cat ${COPY_PATH}: ${cat.stderr.trim()}`);
    t.eq(cat.stdout, COPY_PREFIX + GREETING, "the copy holds the prefix and the greeting the OS read");
    const fsck = delos(["fs", "fsck", VOLUME_DISK]);
    t.eq(fsck.status, 0, `delos fs fsck: ${fsck.stdout.trim()} ${fsck.stderr.trim()}`);
    const work = delos(["fs", "ls", `${VOLUME_DISK}:/work`]);
    t.eq(work.status, 0, `delos fs ls /work: ${work.stderr.trim()}`);
    t.ok(work.stdout.split("\n").filter((line) => line.length > 0).length > 10, "the crash workload's files are there");
  }, { timeout: 420_000 });

  test(`${CUTS} power cuts during a file workload on Delos: fsck clean, every committed file intact, every removed one gone`, async (t) => {
    // After the in-OS tests' boot, whose timing measurements another QEMU beside it would disturb.
    await sharedBoot();
    const lines: string[] = [];
    const failed = await powerCuts(CUTS, 7, (line) => lines.push(line));
    t.eq(failed, 0, lines.join("\n"));
    t.ok(/power-cut: \d+ cuts, 0 failed; [1-9]\d* files committed/.test(lines[lines.length - 1] ?? ""), `files were committed: ${lines[lines.length - 1]}`);
  }, { timeout: 420_000 });
}
