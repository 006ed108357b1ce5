// The pointer while its driver is killed again and again, through the QEMU
// harness: one boot of the pointer image (images/pointer.json), the
// desktop and the pointer probe (tests/os/pointer-probe), a window that
// prints each press and release it gets, with its place, while a thread of
// its own has init kill the pointer driver every 100 to 400 ms. The host
// sends absolute moves and left-button clicks through QMP's
// input-send-event, as a tablet would, then a drag. What the probe printed
// must be exactly what was sent: every press and release, in order, at
// the places the moves before them put the pointer, none doubled and none
// lost; and the pointer last where the last move put it.
//
// Nothing is lost because a new instance of the pointer driver adopts the
// device's event queue where its predecessor's last commit left it, and
// the device, its bus mastering left on, fills the queue's buffers while
// no instance runs (drivers/tablet/README.md). The test still prints how
// many arrived (`pointer: ... lost`), and where a strayed event came from.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { kernelFailures } from "../kernel/report";
import { startCollecting, waitFor, type Seen } from "../kernel/keyboard.test";
import { FIRST_X, FIRST_Y, H, W, pointerPixel } from "./desktop.test";

/** The probe's window (tests/os/pointer-probe). */
const PROBE_WIDTH = 400, PROBE_HEIGHT = 300;
const CLICKS = 12;
/** Between two events sent: long enough for a few kills to fall among the clicks, short enough to end within the kills. */
const STEP_MS = 120;

const PROBE_LINE = /kernel: pointer-probe: (.*)$/;

export function register(test: TestFunction): void {
  test("pointer restart: clicks and a drag sent while the pointer driver is killed again and again arrive every one, in order, none doubled, where they were made; the pointer ends where the last move put it", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-pointer-"));
    const lines: Seen[] = [];
    const image = join(directory, "pointer.img");
    writeFileSync(image, buildRecipe(readRecipe("pointer")).image);
    const machine = await startCollecting(image, lines, { timeoutSeconds: 400 });
    const probe = () => lines.map((seen) => PROBE_LINE.exec(seen.line)?.[1]).filter((line): line is string => line !== undefined);
    const has = (pattern: RegExp) => () => probe().some((line) => pattern.test(line));
    const screen = { width: W, height: H };
    /** Where the probe sees a screen point: the compositor's pixel, in the window's content. */
    const inWindow = (x: number, y: number) => `${pointerPixel(x, W) - FIRST_X},${pointerPixel(y, H) - FIRST_Y}`;
    const pause = () => new Promise((done) => setTimeout(done, STEP_MS));
    try {
      await waitFor(lines, machine, has(/^ready$/), "the probe's ready line", 180_000);
      const expected: string[] = [];
      // Clicks at places across the window, each after a move there.
      for (let i = 0; i < CLICKS; i++) {
        const x = FIRST_X + 20 + (i * 37) % (PROBE_WIDTH - 40), y = FIRST_Y + 20 + (i * 53) % (PROBE_HEIGHT - 40);
        await machine.pointer(x, y, {}, screen);
        await pause();
        await machine.pointer(x, y, { left: true }, screen);
        await pause();
        await machine.pointer(x, y, { left: false }, screen);
        await pause();
        expected.push(`press ${i + 1} at ${inWindow(x, y)}`, `release ${i + 1} at ${inWindow(x, y)}`);
      }
      // A drag: pressed at one corner, moved in steps, released at the other.
      const from = { x: FIRST_X + 30, y: FIRST_Y + 30 }, to = { x: FIRST_X + PROBE_WIDTH - 30, y: FIRST_Y + PROBE_HEIGHT - 30 };
      await machine.pointer(from.x, from.y, {}, screen);
      await pause();
      await machine.pointer(from.x, from.y, { left: true }, screen);
      for (let step = 1; step <= 8; step++) {
        await pause();
        await machine.pointer(from.x + (to.x - from.x) * step / 8, from.y + (to.y - from.y) * step / 8, {}, screen);
      }
      await pause();
      await machine.pointer(to.x, to.y, { left: false }, screen);
      expected.push(`press ${CLICKS + 1} at ${inWindow(from.x, from.y)}`, `release ${CLICKS + 1} at ${inWindow(to.x, to.y)}`);
      // The last move, without a button.
      const last = { x: FIRST_X + 111, y: FIRST_Y + 77 };
      await pause();
      await machine.pointer(last.x, last.y, {}, screen);
      await waitFor(lines, machine, has(/^kills ended: /), "the end of the kills", 120_000);
      const buttons = probe().filter((line) => /^(press|release) /.test(line));
      const kills = Number(/^kills ended: (\d+)/.exec(probe().find((line) => line.startsWith("kills ended"))!)![1]);
      // Without their numbers (a lost event shifts them): what arrived must be what was sent, in order, less what was lost.
      const bare = (line: string) => line.replace(/^(press|release) \d+ at/, "$1 at");
      const sent = expected.map(bare), arrived = buttons.map(bare);
      let at = 0;
      const strays = arrived.filter((event) => {
        while (at < sent.length && sent[at] !== event) at++;
        return at++ >= sent.length;
      });
      console.log(`pointer: ${buttons.length} of ${expected.length} button events arrived, ${expected.length - buttons.length} lost, with ${kills} pointer driver kills`);
      t.eq(strays, [], "every event that arrived was sent, in the order sent, at the place the move before it put the pointer (none doubled)");
      t.eq(buttons, expected, `every press and release arrived, numbered in order, where it was made (${arrived.length} of ${expected.length})`);
      const places = probe().filter((line) => line.startsWith("at "));
      t.eq(places[places.length - 1], `at ${inWindow(last.x, last.y)}`, "the pointer ends where the last move put it");
      t.ok(kills >= 10, `the pointer driver was killed at least 10 times (${kills})`);
      t.eq(kernelFailures(machine.serial), [], "no kernel halt or kernel trap");
    } finally {
      writeFileSync(join(buildDir, "pointer-test.serial"), machine.serial);
      await machine.quit();
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 480_000 });
}
