// The disks of the test image's boot (tests/kernel/os-boot.ts), attached
// after the image as modern virtio-blk devices, so the block driver serves
// them as /dev/disk1 and /dev/disk2 (the boot image itself is /dev/disk0):
//
// - disk1, a Delos volume made as `delos fs mkfs` and `delos fs put` make
//   one, holding GREETING_PATH: the file server's volume, which its in-OS
//   test (servers/files/test.ts) reads and writes, and which the host checks
//   after the boot (storage.test.ts);
// - disk2, zeros: the block driver's in-OS test (drivers/disk/test.ts)
//   writes and reads its sectors.
//
// Both live in build/, so that what the boot left can be looked at.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir } from "../../sdk/host/paths";
import { makeVolumeFile, withImageVolume } from "../../sdk/host/fs-volume";

export const VOLUME_DISK = join(buildDir, "os-test-disk1.img");
export const SCRATCH_DISK = join(buildDir, "os-test-disk2.img");
export const VOLUME_BYTES = 32 << 20;
export const SCRATCH_BYTES = 4 << 20;
/** The file the host puts on the volume, and what it holds. */
export const GREETING_PATH = "/greeting.txt";
export const GREETING = "hello from the host, through delos fs put\n";
/** The file the file server's in-OS test writes, synced: GREETING_COPY_PREFIX then the greeting it read. */
export const COPY_PATH = "/written-on-delos.txt";
export const COPY_PREFIX = "Delos read: ";

/** Writes both disks afresh: their paths, in attachment order. */
export function makeTestDisks(): string[] {
  makeVolumeFile(VOLUME_DISK, VOLUME_BYTES, 0x7e57d15c0001n);
  withImageVolume(VOLUME_DISK, true, (volume) => {
    volume.writeFile(GREETING_PATH, new TextEncoder().encode(GREETING));
    volume.commit();
  });
  writeFileSync(SCRATCH_DISK, new Uint8Array(SCRATCH_BYTES));
  return [VOLUME_DISK, SCRATCH_DISK];
}
