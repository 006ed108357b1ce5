// The PS/2 keyboard driver through QEMU's keyboard (drivers/keyboard): one
// boot of the keyboard image (images/keyboard.json), in which init starts
// the driver, an input receiver standing in for the compositor and a
// killer (tests/os/keyboard-killer). The host types through QMP, the way
// a user would, and reads back what the receiver rebuilt:
//   line 1  typed while the killer restarts the driver again and again:
//           it arrives exactly, every key once and in order;
//   line 2  the same while the receiver is killed too (its ledger and text
//           in a state object);
//   line 3  Caps Lock, Shift, Control and Alt make the right characters,
//           and the LEDs follow the locks: QEMU's own trace of the
//           keyboard's LED state (ps2_set_ledstate) and the driver's
//           status, which counts an LED byte only once the keyboard ACKed it;
//   line 4  a key held for 1.2 s repeats at the driver's typematic rate.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine, type MachineOptions } from "../../sdk/qemu/index";
import { kernelFailures } from "./report";

/** Over 200 characters: both cases, digits and every shifted and unshifted symbol of the US layout. */
export const LINE_1 = "The quick brown fox jumps over the lazy dog; PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS! "
  + "0123456789 ~`!@#$%^&*()-_=+[{]}\\|;:'\",<.>/? Sphinx of black quartz, judge my vow: 42 + 17 = 59 & (x*y) > z_1. Jived fox nymph grabs quick waltz.";
export const LINE_2 = "Restart without loss: Zebras & Quokkas {zig} [zag] <#$%> 'quoted' \"double\" back\\slash pipe|bar tilde~grave` "
  + "MiXeD CaSe 9876543210 wolves-howl_under+the=moon; commas, periods. question? colon: semicolon; end!";
/** Caps Lock on for "abc", then Shift under it, Control-C, Alt-x, then Num Lock and Scroll Lock on. */
const LINE_3_KEYS = "{caps_lock}abc{shift-d}1{caps_lock}e{shift-f}{ctrl-c}{alt-x}{num_lock}{scroll_lock}z\n";
const LINE_3 = "ABCd1eF^CM-xz";
/** LED states the keyboard takes on line 3, in order (bit 0 Scroll, 1 Num, 2 Caps). */
const LINE_3_LEDS = [4, 0, 2, 3];
const HOLD_MS = 1200;
/** The driver's typematic delay and interval (drivers/keyboard/keyboard.ts). */
const REPEAT_DELAY_MS = 500;
const REPEAT_INTERVAL_MS = 40;
const KEYS_INTERVAL_MS = 60;

/** A line of the guest's serial output and when the host saw it (performance.now()). */
export interface Seen { at: number; line: string }

const LINE_PREFIX = /kernel: input-receiver: line (\d+): (.*)$/;
const KILL = /kernel: keyboard-killer: kill (keyboard|input-receiver) \d+: component \d+ -> (\d+)/;

/**
 * The printings of line `n` by a receiver whose lines `pattern` matches
 * (line number, text): a line printed twice (killed between its commit and
 * its print) must say the same.
 */
export function linePrinter(pattern: RegExp): (lines: Seen[], n: number) => string[] {
  return (lines, n) => lines.map((seen) => pattern.exec(seen.line)).filter((match) => match !== null && Number(match[1]) === n).map((match) => match![2]!);
}

/** How many kills of `what` a killer whose lines `pattern` matches (what first) told between `from` and `to`. */
export function killCounter(pattern: RegExp): (lines: Seen[], what: string, from: number, to: number) => number {
  return (lines, what, from, to) => lines.filter((seen) => seen.at >= from && seen.at <= to && pattern.exec(seen.line)?.[1] === what).length;
}

const printed = linePrinter(LINE_PREFIX);
const kills = killCounter(KILL);

/** `text` as Machine.sendKeys types it literally ('{' starts a named key there). */
export function typed(text: string): string {
  return text.replaceAll("{", "{{");
}

/** Waits until `found()`, failing when QEMU exits or after `timeoutMs` with the last lines seen. */
/** Starts QEMU on `image`, its console collected into `lines` a whole line at a time, each with when it arrived. */
export function startCollecting(image: string, lines: Seen[], options: Omit<MachineOptions, "image" | "onSerial">): Promise<Machine> {
  let partial = "";
  return Machine.start({
    image, ...options,
    onSerial: (text) => {
      partial += text;
      const complete = partial.split(/\r?\n/);
      partial = complete.pop()!;
      for (const line of complete) lines.push({ at: performance.now(), line });
    },
  });
}

export async function waitFor(lines: Seen[], machine: Machine, found: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!found()) {
    if (!machine.isRunning) throw new Error(`QEMU exited while waiting for ${what}`);
    if (performance.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s; last lines:\n${lines.slice(-20).map((seen) => seen.line).join("\n")}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

export function register(test: TestFunction): void {
  test("keys typed through QEMU's keyboard arrive exactly, once each and in order, while the keyboard driver and then the receiver are killed again and again; modifiers, Caps Lock and the LEDs; typematic repeat", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-keyboard-"));
    const lines: Seen[] = [];
    const image = join(directory, "keyboard.img");
    writeFileSync(image, buildRecipe(readRecipe("keyboard")).image);
    const machine = await startCollecting(image, lines, { timeoutSeconds: 400, extraArgs: ["-trace", "ps2_set_ledstate"] });
    try {
      const has = (pattern: RegExp) => () => lines.some((seen) => pattern.test(seen.line));
      await waitFor(lines, machine, has(/keyboard-killer: ready/), "killer's ready line", 120_000);

      // Line 1: the driver killed all along.
      const start1 = performance.now();
      await machine.sendKeys(typed(LINE_1) + "\n", KEYS_INTERVAL_MS);
      const end1 = performance.now();
      await waitFor(lines, machine, () => printed(lines, 1).length > 0, "line 1 from the receiver", 60_000);
      const keyboardKills1 = kills(lines, "keyboard", start1, end1);
      console.log(`keyboard: line 1 (${LINE_1.length} characters) typed in ${((end1 - start1) / 1000).toFixed(1)} s with ${keyboardKills1} driver kills`);
      t.ok(LINE_1.length >= 200, "line 1 is at least 200 characters");
      t.eq(printed(lines, 1), printed(lines, 1).map(() => LINE_1), "line 1 arrived exactly (every printing of it)");
      t.ok(keyboardKills1 >= 10, `at least 10 driver kills while line 1 was typed (${keyboardKills1})`);

      // Line 2: the receiver killed too.
      await waitFor(lines, machine, has(/keyboard-killer: phase 2$/), "phase 2", 10_000);
      const start2 = performance.now();
      await machine.sendKeys(typed(LINE_2) + "\n", KEYS_INTERVAL_MS);
      const end2 = performance.now();
      await waitFor(lines, machine, () => printed(lines, 2).length > 0, "line 2 from the receiver", 60_000);
      const receiverKills2 = kills(lines, "input-receiver", start2, end2), keyboardKills2 = kills(lines, "keyboard", start2, end2);
      console.log(`keyboard: line 2 (${LINE_2.length} characters) with ${receiverKills2} receiver and ${keyboardKills2} driver kills`);
      t.eq(printed(lines, 2), printed(lines, 2).map(() => LINE_2), "line 2 arrived exactly with the receiver killed too");
      t.ok(receiverKills2 >= 5, `at least 5 receiver kills while line 2 was typed (${receiverKills2})`);
      t.ok(keyboardKills2 >= 5, `at least 5 driver kills while line 2 was typed (${keyboardKills2})`);

      // Line 3: modifiers and locks, no kills.
      await waitFor(lines, machine, has(/keyboard-killer: phase 3$/), "phase 3", 10_000);
      const ledsBefore = [...machine.qemuErrors.matchAll(/ps2_set_ledstate.*ledstate (\d+)/g)].length;
      await machine.sendKeys(LINE_3_KEYS, KEYS_INTERVAL_MS);
      await waitFor(lines, machine, () => printed(lines, 3).length > 0, "line 3 from the receiver", 30_000);
      t.eq(printed(lines, 3)[0], LINE_3, "Caps Lock, Shift under it, Control-C and Alt-x make the right characters");
      await waitFor(lines, machine, has(/keyboard-killer: status after line 3:/), "the driver's status after line 3", 10_000);
      const status = lines.map((seen) => /status after line 3: locks (\d+) leds (\d+)/.exec(seen.line)).find((match) => match)!;
      t.eq([Number(status[1]), Number(status[2])], [3, 3], "the driver's locks are Num and Scroll Lock, and the keyboard ACKed those LEDs");
      const leds = [...machine.qemuErrors.matchAll(/ps2_set_ledstate.*ledstate (\d+)/g)].slice(ledsBefore).map((match) => Number(match[1]));
      t.eq(leds, LINE_3_LEDS, "QEMU's keyboard took the LED states Caps, none, Num, Num + Scroll, in order");

      // Line 4: a held key repeats.
      await machine.monitor(`sendkey a ${HOLD_MS}`);
      await machine.sendKeys("\n", KEYS_INTERVAL_MS);
      await waitFor(lines, machine, () => printed(lines, 4).length > 0, "line 4 from the receiver", 30_000);
      const held = printed(lines, 4)[0]!;
      const most = 1 + Math.ceil((HOLD_MS - REPEAT_DELAY_MS) / REPEAT_INTERVAL_MS) + 2;
      t.ok(/^a+$/.test(held) && held.length >= 5 && held.length <= most, `a held for ${HOLD_MS} ms repeats: ${held.length} a's (5 to ${most})`);
      t.eq(kernelFailures(machine.serial), [], "no kernel halt or kernel trap");
    } finally {
      writeFileSync(join(buildDir, "keyboard-test.serial"), machine.serial);
      await machine.quit();
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 420_000 });
}
