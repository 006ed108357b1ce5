// The device layer from the host, in one boot of the devices image
// (images/devices.json): init starts the PCI bus server, the display
// driver, the pointer driver and a probe that serves /desktop/input in the
// compositor's place (tests/os/device-probe). The QEMU harness's absolute
// pointer must reach the probe through the virtio-tablet driver with the
// right coordinates; a left click makes the probe set 1280x800 and draw a
// picture the host knows pixel by pixel, which the screenshot must show at
// the new size; a right click makes init restart the display driver, which
// must adopt the same mode and leave the picture as it was.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine, pixelAt, type Picture } from "../../sdk/qemu/index";

const BOOT_SECONDS = 120;
const MAXIMUM = 32767;

/** The probe's picture (tests/os/device-probe: `pixel`). */
function expectedPixel(x: number, y: number, width: number, height: number): number {
  const red = Math.floor(x * 255 / (width - 1)), green = Math.floor(y * 255 / (height - 1));
  const blue = ((x >> 6) + (y >> 6)) % 2 === 0 ? 0x40 : 0xc0;
  return red << 16 | green << 8 | blue;
}

/** Pixels of a 37-pixel grid that differ from the probe's picture. */
function pictureMismatches(picture: Picture): string[] {
  const wrong: string[] = [];
  for (let y = 0; y < picture.height; y += 37) {
    for (let x = 0; x < picture.width; x += 37) {
      const want = expectedPixel(x, y, picture.width, picture.height);
      const got = pixelAt(picture, x, y);
      if (got !== want) wrong.push(`(${x}, ${y}) is ${got.toString(16)}, not ${want.toString(16)}`);
    }
  }
  return wrong;
}

/** The probe's event lines: [kind, code, value]. */
function events(serial: string): number[][] {
  return [...serial.matchAll(/device-probe: event (\d+) (\d+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
}

export function register(test: TestFunction): void {
  test("devices: the harness's pointer reaches an input receiver through the tablet driver; a mode change shows at 1280x800; a restarted display driver keeps mode and picture", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-devices-"));
    const path = join(directory, "devices.img");
    writeFileSync(path, buildRecipe(readRecipe("devices")).image);
    const machine = await Machine.start({ image: path, timeoutSeconds: BOOT_SECONDS + 60 });
    try {
      await machine.waitFor("device-probe: serving /desktop/input", BOOT_SECONDS * 1000);
      await machine.waitFor("tablet: ready", BOOT_SECONDS * 1000);
      await machine.waitFor("display: serving /dev/display", BOOT_SECONDS * 1000);
      const screen = { width: 1024, height: 768 };
      // Pointer: the position the harness gives arrives scaled to 0..32767, then a press and a release of the left button.
      await machine.pointer(256, 192, {}, screen);
      await machine.waitFor("device-probe: event 2 ", 30_000);
      const scaled = (value: number, extent: number) => Math.round(value * 0x7fff / (extent - 1));
      await new Promise((done) => setTimeout(done, 500));
      const moves = events(machine.serial).filter((e) => e[0] === 2);
      const last = moves[moves.length - 1]!;
      t.eq([last[1], last[2]], [scaled(256, 1024), scaled(192, 768)], "the pointer's position arrives scaled to 0..32767");
      t.ok(last[1]! <= MAXIMUM && last[2]! <= MAXIMUM, "within INPUT_POINTER_MAXIMUM");
      await machine.pointer(256, 192, { left: true }, screen);
      await machine.pointer(256, 192, { left: false }, screen);
      await machine.waitFor("device-probe: drew 1280x800", 60_000);
      await machine.waitFor("device-probe: event 3 1 0", 30_000);
      const buttons = events(machine.serial).filter((e) => e[0] === 3);
      t.eq(buttons.slice(0, 2), [[3, 1, 1], [3, 1, 0]], "the left button's press and release arrive, in order");
      // The mode change, in the screenshot.
      const drawn = await machine.screendump();
      t.eq([drawn.width, drawn.height], [1280, 800], "the screen is 1280x800 after display.setMode");
      t.eq(pictureMismatches(drawn).slice(0, 5), [], "the probe's picture is on the screen");
      // The display driver restarted by init: the same mode, the same picture.
      await machine.pointer(100, 100, { right: true }, { width: 1280, height: 800 });
      await machine.pointer(100, 100, { right: false }, { width: 1280, height: 800 });
      await machine.waitFor("device-probe: display restart", 60_000);
      // The line may still be arriving: wait for its end.
      const line = /device-probe: display restarted (\d+) -> (\d+) mode (\d+)x(\d+)\r?\n/;
      for (let waited = 0; waited < 10_000 && !line.test(machine.serial); waited += 100) await new Promise((done) => setTimeout(done, 100));
      const restarted = line.exec(machine.serial);
      t.ok(restarted !== null && restarted[1] !== restarted[2], `init restarted the display driver as a new instance (${restarted?.[0] ?? machine.serial.split("\n").filter((line) => /device-probe|display/.test(line)).slice(-6).join(" | ")})`);
      t.eq(restarted?.slice(3, 5), ["1280", "800"], "the new instance tells 1280x800");
      t.ok(/display: adopted mode 1280x800/.test(machine.serial), "the new instance adopted 1280x800 instead of setting a mode");
      const after = await machine.screendump();
      t.eq([after.width, after.height], [1280, 800], "the screen is still 1280x800");
      t.ok(Buffer.compare(Buffer.from(after.rgb), Buffer.from(drawn.rgb)) === 0, "the picture is exactly as before the restart");
      t.ok(!/kernel: .*halted/.test(machine.serial), "the kernel never halted");
    } catch (error) {
      // What the components said, without the tick lines.
      console.log(machine.serial.split("\n").filter((line) => !/timer: \d+ ticks/.test(line)).slice(-60).join("\n"));
      throw error;
    } finally {
      await machine.quit();
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 6 * 60 * 1000 });
}
