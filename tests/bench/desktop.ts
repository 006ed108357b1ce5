// The desktop's figures for `npm run bench` (`node build/host/bench.js
// desktop`): two boots of the desktop bench image (images/desktop-bench.json,
// tests/os/desktop-bench), one as the tests boot for times and TSC cycles,
// one under TCG with `-icount shift=0` for instructions (QEMU then counts
// one nanosecond per instruction, tests/bench/kernel.ts); and the size of
// the desktop image's payload. Printed with the issue's goals; nothing is
// asserted.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine, type MachineOptions } from "../../sdk/qemu/index";

const FIGURE = /kernel: desktop-bench: ([a-z-]+) (\d+) (\d+)/g;
const KERNEL_READY = /kernel: ready: (\d+\.\d+) s after kernel entry \((\d+) TSC cycles\)/;
const FIRST_FRAME_GOAL_MS = 1000;
const RESTART_GOAL_MS = 1;
const MEMORY_GOAL = 16 << 20;
const PAYLOAD_GOAL = 1_440_000;

interface Boot {
  accel: string;
  figures: Map<string, Array<{ ns: number; cycles: number }>>;
  /** Bytes of memory per component with the desktop idle. */
  memory: Array<[string, number]>;
  tscPerNs: number | null;
  problem: string | null;
}

async function boot(image: string, options: Partial<MachineOptions>): Promise<Boot> {
  const machine = await Machine.start({ image, timeoutSeconds: 900, ...options });
  const figures = new Map<string, Array<{ ns: number; cycles: number }>>();
  let problem: string | null = null;
  try {
    await machine.waitFor("desktop-bench: done", 800_000);
  } catch (error) {
    problem = (error as Error).message.split("\n")[0]!;
  } finally {
    await machine.quit();
  }
  for (const match of machine.serial.matchAll(FIGURE)) {
    const list = figures.get(match[1]!) ?? [];
    list.push({ ns: Number(match[2]), cycles: Number(match[3]) });
    figures.set(match[1]!, list);
  }
  const memory = [...machine.serial.matchAll(/kernel: desktop-bench: memory (\S+) (\d+)/g)].map((match) => [match[1]!, Number(match[2])] as [string, number]);
  const ready = KERNEL_READY.exec(machine.serial);
  const tscPerNs = ready ? Number(ready[2]) / (Number(ready[1]) * 1e9) : null;
  return { accel: machine.accel, figures, memory, tscPerNs, problem };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export async function benchDesktop(log: (line: string) => void): Promise<void> {
  const desktop = buildRecipe(readRecipe("desktop"));
  log(`bench: desktop: payload of the desktop image ${desktop.payloadBytes.toLocaleString("en")} bytes in ${desktop.payloadFiles} files (goal ≤ ${PAYLOAD_GOAL.toLocaleString("en")}: ${desktop.payloadBytes <= PAYLOAD_GOAL ? "met" : "not met"})`);
  const directory = mkdtempSync(join(tmpdir(), "delos-desktop-bench-"));
  try {
    const image = join(directory, "desktop-bench.img");
    writeFileSync(image, buildRecipe(readRecipe("desktop-bench")).image);
    const timed = await boot(image, {});
    const counted = await boot(image, { accel: "tcg", extraArgs: ["-icount", "shift=0"] });
    for (const [what, run] of [["timed", timed], ["instruction-counting", counted]] as const) {
      if (run.problem) log(`bench: desktop: ${what} boot: ✗ ${run.problem}`);
    }
    const ms = (name: string) => median((timed.figures.get(name) ?? []).map((f) => f.ns)) / 1e6;
    const cycles = (name: string) => median((timed.figures.get(name) ?? []).map((f) => f.cycles));
    const instructions = (name: string) => median((counted.figures.get(name) ?? []).map((f) => f.ns));
    const runs = (name: string) => (timed.figures.get(name) ?? []).length;
    log(`bench: desktop: times and TSC cycles from a ${timed.accel} boot, instructions from a TCG boot with -icount shift=0; medians`);
    const firstFrame = ms("first-frame");
    const firstCycles = timed.tscPerNs ? Math.round(firstFrame * 1e6 * timed.tscPerNs) : NaN;
    log(`bench: desktop:   kernel entry to the first full desktop frame: ${firstFrame.toFixed(1)} ms (${firstCycles.toLocaleString("en")} TSC cycles), ${instructions("first-frame").toLocaleString("en")} instructions (goal ≤ ${FIRST_FRAME_GOAL_MS} ms under TCG: ${firstFrame <= FIRST_FRAME_GOAL_MS ? "met" : "not met"})`);
    for (const name of ["keyboard", "compositor", "display"]) {
      const figure = `restart-${name}`;
      const time = ms(figure);
      log(`bench: desktop:   restart of the ${name === "keyboard" ? "keyboard driver" : name === "display" ? "display driver" : "compositor"}, fault to first serviced request: ${time.toFixed(2)} ms (${cycles(figure).toLocaleString("en")} TSC cycles), ${instructions(figure).toLocaleString("en")} instructions, ${runs(figure)} runs (goal ≤ ${RESTART_GOAL_MS} ms: ${time <= RESTART_GOAL_MS ? "met" : "not met"})`);
    }
    log(`bench: desktop:   key to pixel: ${ms("key-to-pixel").toFixed(2)} ms (${cycles("key-to-pixel").toLocaleString("en")} TSC cycles), ${instructions("key-to-pixel").toLocaleString("en")} instructions`);
    const drag = ms("drag-frame");
    log(`bench: desktop:   dragging a window: ${(1000 / drag).toFixed(1)} frames per second (${drag.toFixed(2)} ms, ${instructions("drag-frame").toLocaleString("en")} instructions a frame)`);
    const memory = median((timed.figures.get("idle-memory") ?? []).map((f) => f.ns));
    log(`bench: desktop:   memory in use with the desktop idle: ${(memory / (1 << 20)).toFixed(1)} MiB (goal ≤ 16 MiB: ${memory <= MEMORY_GOAL ? "met" : "not met"})`);
    const components = timed.memory.reduce((sum, [, bytes]) => sum + bytes, 0);
    log(`bench: desktop:     of which components' memories and objects ${(components / (1 << 20)).toFixed(1)} MiB: ${timed.memory.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(", ")}; the rest is the kernel's (heap, code, stacks, page tables)`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
