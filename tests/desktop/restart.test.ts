// Restart without loss, through the QEMU harness: one boot of the restart
// image (images/restart.json), the whole desktop with a swatch window and
// a key-echo window (tests/os/key-echo) started by the desktop killer
// (tests/os/desktop-killer). The host types through QMP, the way a user
// would, and checks what key-echo printed and what the screen shows:
//   line 1  typed while the keyboard driver is killed again and again: it
//           arrives exactly, every key once and in order, through the
//           compositor into the window;
//   line 2  the same while the compositor is killed too, in turn with the
//           driver (its input ledger committed with the window manager's
//           state, desktop/compositor/README.md);
//   then    the compositor, the display driver and the pointer driver are
//           killed one at a time: after each, the killer finds the same
//           windows in the same places, stacking and focus, the same
//           composed frame and neither app restarted, and the host's
//           screendump is the one taken before the kills (but for the
//           taskbar's clock).

import { rmSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import type { Picture } from "../../sdk/qemu/index";
import { kernelFailures } from "../kernel/report";
import { LINE_1, LINE_2, killCounter, linePrinter, typed, startCollecting, waitFor, type Seen } from "../kernel/keyboard.test";

const KEYS_INTERVAL_MS = 60;
/** The taskbar's clock (desktop/compositor/theme.ts: CLOCK_WIDTH 96 at the right, in the taskbar of 28): left out of comparisons. */
const CLOCK_LEFT_FROM_RIGHT = 110, TASKBAR_HEIGHT = 28;

const ECHO_LINE = /kernel: key-echo: line (\d+): (.*)$/;
const KILL = /kernel: desktop-killer: kill (keyboard|compositor|display|tablet): component \d+ -> (\d+)/;

const printed = linePrinter(ECHO_LINE);
const kills = killCounter(KILL);

/** Pixels that differ between two screendumps, the clock left out. */
function differences(a: Picture, b: Picture): number {
  if (a.width !== b.width || a.height !== b.height) return a.width * a.height;
  let count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (y >= a.height - TASKBAR_HEIGHT && x >= a.width - CLOCK_LEFT_FROM_RIGHT) continue;
      const at = (y * a.width + x) * 3;
      if (a.rgb[at] !== b.rgb[at] || a.rgb[at + 1] !== b.rgb[at + 1] || a.rgb[at + 2] !== b.rgb[at + 2]) count++;
    }
  }
  return count;
}

export function register(test: TestFunction): void {
  test("desktop restart: a line typed through QMP reaches a window exactly while the keyboard driver, then the compositor, are killed again and again; the compositor, display and pointer drivers killed in turn bring back the same windows, frame and screen, no app restarted", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-restart-"));
    const lines: Seen[] = [];
    const image = join(directory, "restart.img");
    writeFileSync(image, buildRecipe(readRecipe("restart")).image);
    const machine = await startCollecting(image, lines, { timeoutSeconds: 400 });
    try {
      const has = (pattern: RegExp) => () => lines.some((seen) => pattern.test(seen.line));
      const find = (pattern: RegExp) => lines.map((seen) => pattern.exec(seen.line)).find((match) => match !== null) ?? null;
      await waitFor(lines, machine, has(/desktop-killer: ready/), "the killer's ready line", 180_000);
      console.log(`restart: ${find(/desktop-killer: (ready.*)$/)![1]}`);

      // Line 1: the keyboard driver killed all along.
      const start1 = performance.now();
      await machine.sendKeys(typed(LINE_1) + "\n", KEYS_INTERVAL_MS);
      const end1 = performance.now();
      await waitFor(lines, machine, () => printed(lines, 1).length > 0, "line 1 from key-echo", 60_000);
      const keyboardKills1 = kills(lines, "keyboard", start1, end1);
      console.log(`restart: line 1 (${LINE_1.length} characters) typed in ${((end1 - start1) / 1000).toFixed(1)} s with ${keyboardKills1} keyboard driver kills`);
      t.eq(printed(lines, 1), [LINE_1], "line 1 arrived in the window exactly, every key once and in order");
      t.ok(keyboardKills1 >= 10, `at least 10 keyboard driver kills while line 1 was typed (${keyboardKills1})`);

      // Line 2: the compositor killed too.
      await waitFor(lines, machine, has(/desktop-killer: phase 2$/), "phase 2", 10_000);
      const start2 = performance.now();
      await machine.sendKeys(typed(LINE_2) + "\n", KEYS_INTERVAL_MS);
      const end2 = performance.now();
      await waitFor(lines, machine, () => printed(lines, 2).length > 0, "line 2 from key-echo", 90_000);
      const compositorKills2 = kills(lines, "compositor", start2, end2), keyboardKills2 = kills(lines, "keyboard", start2, end2);
      console.log(`restart: line 2 (${LINE_2.length} characters) with ${compositorKills2} compositor and ${keyboardKills2} keyboard driver kills`);
      t.eq(printed(lines, 2), [LINE_2], "line 2 arrived exactly with the compositor killed too");
      t.ok(compositorKills2 >= 5, `at least 5 compositor kills while line 2 was typed (${compositorKills2})`);

      // The compositor, the display driver and the pointer driver, one at a time.
      await waitFor(lines, machine, has(/desktop-killer: before: /), "the layout before phase 3", 60_000);
      console.log(`restart: ${find(/desktop-killer: (before: .*)$/)![1]}`);
      const before = await machine.screendump();
      writeFileSync(join(buildDir, "restart-before.ppm"), Buffer.concat([Buffer.from(`P6\n${before.width} ${before.height}\n255\n`), Buffer.from(before.rgb)]));
      for (const victim of ["compositor", "display", "tablet"]) {
        const pattern = new RegExp(`desktop-killer: after killing ${victim} \\(now (\\d+)\\): (\\w+): (.*)$`);
        await waitFor(lines, machine, has(pattern), `the check after killing ${victim}`, 60_000);
        const match = find(pattern)!;
        console.log(`restart: after killing ${victim}: ${match[2]}: ${match[3]}`);
        t.eq(match[2], "same", `after killing the ${victim}: the same windows in the same places, stacking and focus, the same frame, no app restarted (${match[3]})`);
        if (victim === "compositor") {
          // Killed with the desktop idle, its picture was whole: the new instance must take it over, not compose it again.
          const text = machine.serial;
          const killedAt = text.lastIndexOf(`kill compositor: component `, text.indexOf(match[0]));
          const between = killedAt >= 0 ? text.slice(killedAt, text.indexOf(match[0])) : "";
          t.ok(new RegExp(`-> ${match[1]}\r?\n[^]*compositor: adopted the picture of the last instance`).test(between),
            `the compositor's new instance ${match[1]} adopted the picture its predecessor left whole`);
        }
        const after = await machine.screendump();
        const changed = differences(before, after);
        t.eq(changed, 0, `after killing the ${victim}: the screen shows what it showed before (${changed} pixels differ)`);
      }
      await waitFor(lines, machine, has(/desktop-killer: phase 3 ended/), "the end of phase 3", 30_000);
      t.eq(kernelFailures(machine.serial), [], "no kernel halt or kernel trap");
    } finally {
      writeFileSync(join(buildDir, "restart-test.serial"), machine.serial);
      await machine.quit();
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 480_000 });
}
