// Boot figures for `npm run bench`: seconds from QEMU's start to the
// firmware handing control to BOOTX64.EFI (the stub's banner on COM1), the
// stub's run up to the kernel's entry, and from the kernel's entry to its
// `ready` line, read two ways: from the TSC (the kernel prints the cycles
// since its first instruction) and from when the serial lines reached the
// host. Also the sizes of BOOTX64.EFI (stub and kernel), of the kernel and
// of the images. Figures only; nothing is asserted.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildKernel } from "../../sdk/host/kernel";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine } from "../../sdk/qemu/index";

const BANNER = "Delos 0.1 boot stub";
const ENTERING = "boot: entering the kernel";
/** The end of the kernel's ready line. */
const READY = "s after the boot stub's entry;";

export async function benchBoot(log: (line: string) => void, boots = 3): Promise<void> {
  const kernel = buildKernel();
  const test = buildRecipe(readRecipe("test"));
  const desktop = buildRecipe(readRecipe("desktop"));
  log(`bench: boot: BOOTX64.EFI ${test.bootStub.length} bytes (stub and kernel; kernel wasm ${kernel.wasm.length} bytes, compiled ${kernel.component.length} bytes); test image ${(test.image.length / (1 << 20)).toFixed(1)} MiB; desktop image ${(desktop.image.length / (1 << 20)).toFixed(1)} MiB (payload ${desktop.payloadFiles} files, ${desktop.payloadBytes} bytes)`);
  const directory = mkdtempSync(join(tmpdir(), "delos-bench-"));
  try {
    const image = join(directory, "test.img");
    writeFileSync(image, test.image);
    for (let run = 1; run <= boots; run++) {
      const machine = await Machine.start({ image, timeoutSeconds: 120 });
      try {
        const banner = await machine.waitFor(BANNER, 90_000);
        const entering = await machine.waitFor(ENTERING, 30_000);
        const ready = await machine.waitFor(READY, 30_000);
        const tsc = /boot: tsc at entry (\d+), at exit from boot services (\d+)/.exec(machine.serial);
        const stubCycles = tsc ? (BigInt(tsc[2]!) - BigInt(tsc[1]!)).toString() : "—";
        const kernel = /kernel: ready: (\d+\.\d+) s after kernel entry \((\d+) TSC cycles\)/.exec(machine.serial);
        const kernelSeconds = kernel ? `${(Number(kernel[1]) * 1000).toFixed(1)} ms (${kernel[2]} TSC cycles)` : "—";
        log(`bench: boot ${run}/${boots} (${machine.accel}): QEMU start to firmware hand-off ${(banner / 1000).toFixed(2)} s; stub entry to kernel entry ${((entering - banner) / 1000).toFixed(3)} s (serial), ExitBootServices after ${stubCycles} TSC cycles; kernel entry to ready ${kernelSeconds} by the TSC, ${(ready - entering).toFixed(0)} ms by the serial timestamps`);
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
