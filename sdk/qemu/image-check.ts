// A quick look at a disk image before booting it, so that a missing or
// truncated image gives a clear message instead of the firmware's shell
// waiting for a timeout. The full structural check is the image reader's job.

import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { corruptImage, missingImage } from "./errors";

const SECTOR = 512;

export function checkImage(path: string): void {
  if (!existsSync(path)) throw missingImage(path);
  const size = statSync(path).size;
  if (size < 34 * SECTOR) throw corruptImage(path, `only ${size} bytes`);
  if (size % SECTOR !== 0) throw corruptImage(path, `size ${size} is not a whole number of 512-byte sectors`);
  const head = Buffer.alloc(2 * SECTOR);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head[510] !== 0x55 || head[511] !== 0xaa) throw corruptImage(path, "no boot signature in sector 0");
  if (head[446 + 4] !== 0xee) throw corruptImage(path, "sector 0 is not a protective MBR");
  if (head.toString("latin1", SECTOR, SECTOR + 8) !== "EFI PART") throw corruptImage(path, "no GPT header in sector 1");
}
