// Boot figures for `npm run bench`: seconds from QEMU's start to the
// firmware handing control to BOOTX64.EFI (its banner on COM1), the stub's
// own run until it halts (serial timestamps and TSC cycles), and the sizes
// of BOOTX64.EFI and of the images. Figures only; nothing is asserted.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine } from "../../sdk/qemu/index";

const BANNER = "Delos 0.1 boot stub";
const HALTED = "boot: halted";

export async function benchBoot(log: (line: string) => void, boots = 3): Promise<void> {
  const test = buildRecipe(readRecipe("test"));
  const desktop = buildRecipe(readRecipe("desktop"));
  log(`bench: boot: BOOTX64.EFI ${test.bootStub.length} bytes; test image ${(test.image.length / (1 << 20)).toFixed(1)} MiB; desktop image ${(desktop.image.length / (1 << 20)).toFixed(1)} MiB (payload ${desktop.payloadFiles} files, ${desktop.payloadBytes} bytes)`);
  const directory = mkdtempSync(join(tmpdir(), "delos-bench-"));
  try {
    const image = join(directory, "test.img");
    writeFileSync(image, test.image);
    for (let run = 1; run <= boots; run++) {
      const machine = await Machine.start({ image, timeoutSeconds: 120 });
      try {
        const banner = await machine.waitFor(BANNER, 90_000);
        const halted = await machine.waitFor(HALTED, 30_000);
        const tsc = /boot: tsc at entry (\d+), at exit from boot services (\d+)/.exec(machine.serial);
        const cycles = tsc ? (BigInt(tsc[2]!) - BigInt(tsc[1]!)).toString() : "—";
        log(`bench: boot ${run}/${boots} (${machine.accel}): QEMU start to firmware hand-off ${(banner / 1000).toFixed(2)} s; stub entry to halt ${((halted - banner) / 1000).toFixed(3)} s; stub entry to ExitBootServices ${cycles} TSC cycles`);
      } catch (error) {
        log(`bench: boot ${run}/${boots}: ✗ ${(error as Error).message.split("\n")[0]}`);
      } finally {
        await machine.quit();
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
