// The file server's mounts of the boot disk, on Delos (images/mount.json):
// /system, the system volume read-only through its hash tree, and /home,
// the user volume, found by their partition types in the boot disk's GPT.
// The mounts' check (tests/os/mount-check) reads a file of /system, tries to
// create one there, and writes, syncs and stats one on /home. Then the same
// image with one byte of that file's block changed on the system partition:
// the read is refused as an I/O error naming the block, never answered with
// the changed data.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { partitionExtent, readGpt } from "../../sdk/host/gpt";
import { buildDir } from "../../sdk/host/paths";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { bootUntil } from "../install/install.test";

const HELLO = "hello from the Delos system volume";

function line(serial: string, prefix: string): string {
  return serial.split("\n").find((l) => l.includes(prefix))?.trim() ?? `(no line with "${prefix}")`;
}

export function register(test: TestFunction): void {
  test("/system is the verified system volume, read-only; /home the writable user volume; a changed system block is refused", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-mount-"));
    try {
      const bytes = buildRecipe(readRecipe("mount")).image;
      const image = join(directory, "mount.img");
      writeFileSync(image, bytes);
      const serial = await bootUntil(image, "mount-check: done");
      // The console stays for a look when an assertion fails.
      writeFileSync(join(buildDir, "mount-test.serial"), serial);
      t.ok(serial.includes(`mount-check: /system/test/hello.txt: ${HELLO}`), `the system volume's file is read: ${line(serial, "mount-check: /system/test")}`);
      t.ok(serial.includes("mount-check: create on /system: READ_ONLY"), `a create on /system is refused: ${line(serial, "mount-check: create")}`);
      const home = /mount-check: \/home\/check\.txt: 17 bytes, modified (\d+)/.exec(serial);
      t.ok(home !== null, `a file is written and synced on /home: ${line(serial, "mount-check: /home")}`);
      // The clock driver's UTC: after 2020-01-01 and not later than now.
      const modified = Number(home?.[1] ?? 0);
      t.ok(modified > 1_577_836_800 && modified <= Date.now() / 1000 + 60, `its modification time is the wall-clock time: ${modified}`);

      // One byte of the file's data changed on the system partition.
      const table = readGpt((offset, length) => bytes.subarray(offset, offset + length), bytes.length);
      const system = table?.partitions.find((p) => p.role === "system");
      t.ok(system !== undefined, "the image has a system partition");
      if (system === undefined) return;
      const { offset, bytes: size } = partitionExtent(system);
      const at = Buffer.from(bytes.buffer, bytes.byteOffset + offset, size).indexOf(HELLO);
      t.ok(at >= 0, "the file's data is found on the system partition");
      const changed = bytes.slice();
      changed[offset + at] ^= 0x20;
      const flipped = join(directory, "flipped.img");
      writeFileSync(flipped, changed);
      const after = await bootUntil(flipped, "mount-check: done");
      writeFileSync(join(buildDir, "mount-test-changed.serial"), after);
      const block = Math.floor(at / 4096);
      t.ok(after.includes("mount-check: /system/test/hello.txt: error IO"), `the changed block's read is an I/O error: ${line(after, "mount-check: /system/test")}`);
      t.ok(new RegExp(`block ${block} of the system volume does not match its hash tree`).test(after), `the refusal names block ${block}: ${line(after, "does not match")}`);
      t.ok(!after.includes(HELLO.replace("h", "H")), "the changed data never reaches the client");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 600_000 });
}
