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
import { buildPayloadArchive, type ImageFile } from "../../sdk/host/image";
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
  /** The kernel's heap, every thread's stack and the compiled code mapped, in bytes, with the desktop idle. */
  kernel: { heap: number; stacks: number; code: number } | null;
  /** Per restarted component, the steps of each restart (restartBreakdown). */
  restarts: Map<string, Array<Map<string, number>>>;
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
  // DELOS_BENCH_SERIAL=DIR keeps each boot's COM1 there, to read what a restart did line by line.
  const keep = process.env.DELOS_BENCH_SERIAL;
  if (keep) writeFileSync(join(keep, `desktop-bench-${options.extraArgs ? "counted" : "timed"}.txt`), machine.serial);
  for (const match of machine.serial.matchAll(FIGURE)) {
    const list = figures.get(match[1]!) ?? [];
    list.push({ ns: Number(match[2]), cycles: Number(match[3]) });
    figures.set(match[1]!, list);
  }
  const memory = [...machine.serial.matchAll(/kernel: desktop-bench: memory (\S+) (\d+)/g)].map((match) => [match[1]!, Number(match[2])] as [string, number]);
  const kernelMemory = /kernel: desktop-bench: memory-kernel heap (\d+) stacks (\d+) code (\d+)/.exec(machine.serial);
  const kernel = kernelMemory ? { heap: Number(kernelMemory[1]), stacks: Number(kernelMemory[2]), code: Number(kernelMemory[3]) } : null;
  const restarts = restartBreakdown(machine.serial);
  const ready = KERNEL_READY.exec(machine.serial);
  const tscPerNs = ready ? Number(ready[2]) / (Number(ready[1]) * 1e9) : null;
  return { accel: machine.accel, figures, memory, kernel, restarts, tscPerNs, problem };
}

/**
 * Where each restart's time goes, from the timestamps of COM1's lines
 * between the bench's `restart-NAME begins` and its figure: with init's
 * warm spare ready (servers/init/supervisor.ts), the spare's own first
 * line if it writes one before its first answer, and init's one line for
 * the end and the take-over, which it writes once the spare, of a higher
 * priority, has set itself up (the kernel's end line comes later, once
 * the old instance's memory went back: docs/kernel.md, "Fault
 * containment"; `TRACE_RESTART=NAME npm run trace` breaks a restart down
 * by function); without
 * one, init's kill (its end line), the load (the kernel's `load:` line,
 * when it is done), init's report of the start and the new instance's own
 * first line; then the new instance's first answer (the figure line).
 * Time since the line before.
 */
function restartBreakdown(serial: string): Map<string, Array<Map<string, number>>> {
  const result = new Map<string, Array<Map<string, number>>>();
  const lines = serial.split("\n");
  const stamp = (text: string) => Number(/^\[ *(\d+\.\d+)\]/.exec(text)?.[1] ?? NaN) * 1000;
  for (let i = 0; i < lines.length; i++) {
    const begin = /desktop-bench: restart-(\S+) begins/.exec(lines[i]!);
    if (!begin) continue;
    const name = begin[1]!;
    const answer = new RegExp(`desktop-bench: restart-${name} \\d`);
    const answered = lines.findIndex((text, at) => at > i && answer.test(text));
    const spare = answered > i && lines.slice(i, answered).some((text) => / spare component \d+ took over/.test(text));
    // The new instance's own first line on COM1 (the kernel names the component), when it writes one before
    // its first answer: what it did before it is its set-up.
    const own: [string, RegExp] = ["the new instance's first line", new RegExp(`kernel: (?:\\S+/)?${name}: `)];
    const marks: Array<[string, RegExp]> = spare ? [
      own,
      ["init's line: the kill, the end and the spare's take-over", / spare component \d+ took over/],
      ["first answer (figure line)", answer],
    ] : [
      ["kill (init's end line)", /ended \(/],
      ["load (kernel's load line)", /kernel: load: /],
      ["init's start line", /started from /],
      own,
      ["first answer (figure line)", answer],
    ];
    const steps = new Map<string, number>();
    let last = stamp(lines[i]!);
    let at = i + 1;
    for (const [step, pattern] of marks) {
      let found = at;
      while (found < lines.length && (answered < 0 || found <= answered) && !pattern.test(lines[found]!)) found++;
      if (found >= lines.length || (answered >= 0 && found > answered)) continue;
      at = found;
      const time = stamp(lines[at]!);
      steps.set(step, time - last);
      last = time;
    }
    const list = result.get(name) ?? [];
    list.push(steps);
    result.set(name, list);
  }
  return result;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** What kind of payload file `name` is, for the payload's breakdown. */
function payloadKind(name: string): string {
  if (name.startsWith("cache/") || name.endsWith(".delos")) return "native code (cache/*.delos, compiler)";
  if (name.endsWith(".wasm")) return "components' wasm";
  if (name.endsWith(".atlas")) return "glyph atlases";
  return "other";
}

/** The payload archive as the image writer stores it (compressed files, docs/boot.md): its size, its files' stored bytes, and both by kind. */
function storedPayload(files: ImageFile[]): { archive: number; bytes: number; kinds: Map<string, { files: number; expanded: number; stored: number }> } {
  const archive = buildPayloadArchive(files);
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const count = view.getUint32(16, true), table = view.getUint32(24, true), names = view.getUint32(28, true);
  const expanded = new Map(files.map((file) => [file.path, file.data.length]));
  const kinds = new Map<string, { files: number; expanded: number; stored: number }>();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const entry = table + i * 32;
    const size = Number(view.getBigUint64(entry + 8, true));
    const name = new TextDecoder().decode(archive.subarray(names + view.getUint32(entry + 24, true), names + view.getUint32(entry + 24, true) + view.getUint32(entry + 28, true)));
    const row = kinds.get(payloadKind(name)) ?? { files: 0, expanded: 0, stored: 0 };
    row.files++;
    row.expanded += expanded.get(name) ?? 0;
    row.stored += size;
    kinds.set(payloadKind(name), row);
    bytes += size;
  }
  return { archive: Number(view.getBigUint64(40, true)), bytes, kinds };
}

export async function benchDesktop(log: (line: string) => void): Promise<void> {
  const desktop = buildRecipe(readRecipe("desktop"));
  const stored = storedPayload(desktop.payload);
  log(`bench: desktop: payload of the desktop image ${stored.bytes.toLocaleString("en")} bytes stored in ${desktop.payloadFiles} files, ${desktop.payloadBytes.toLocaleString("en")} expanded; the archive with its table and 4 KiB alignment ${stored.archive.toLocaleString("en")} (goal ≤ ${PAYLOAD_GOAL.toLocaleString("en")} stored: ${stored.bytes <= PAYLOAD_GOAL ? "met" : "not met"})`);
  for (const [kind, row] of stored.kinds) {
    log(`bench: desktop:   ${kind.padEnd(34)} ${String(row.files).padStart(3)} files ${row.expanded.toLocaleString("en").padStart(10)} bytes expanded ${row.stored.toLocaleString("en").padStart(10)} stored`);
  }
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
    const what: Record<string, string> = { keyboard: "keyboard driver", compositor: "compositor", display: "display driver", tablet: "pointer driver" };
    for (const name of ["keyboard", "compositor", "display", "tablet"]) {
      const figure = `restart-${name}`;
      const time = ms(figure);
      // The goal is a driver's; the compositor, a server that restarts from a load, has its figure printed with none.
      const goal = name === "compositor" ? "no goal: the 1 ms goal is a driver's"
        : `goal ≤ ${RESTART_GOAL_MS} ms: ${time <= RESTART_GOAL_MS ? "met" : "not met"}`;
      log(`bench: desktop:   restart of the ${what[name]}, fault to first serviced request: ${time.toFixed(2)} ms (${cycles(figure).toLocaleString("en")} TSC cycles), ${instructions(figure).toLocaleString("en")} instructions, ${runs(figure)} runs (${goal})`);
    }
    const drawn = ms("restart-compositor-frame");
    log(`bench: desktop:   restart of the compositor, fault to its first whole frame (window.frame): ${drawn.toFixed(2)} ms (${cycles("restart-compositor-frame").toLocaleString("en")} TSC cycles), ${instructions("restart-compositor-frame").toLocaleString("en")} instructions`);
    log(`bench: desktop:   key to pixel: ${ms("key-to-pixel").toFixed(2)} ms (${cycles("key-to-pixel").toLocaleString("en")} TSC cycles), ${instructions("key-to-pixel").toLocaleString("en")} instructions`);
    const drag = ms("drag-frame");
    log(`bench: desktop:   dragging a window: ${(1000 / drag).toFixed(1)} frames per second (${drag.toFixed(2)} ms, ${instructions("drag-frame").toLocaleString("en")} instructions a frame)`);
    const memory = median((timed.figures.get("idle-memory") ?? []).map((f) => f.ns));
    log(`bench: desktop:   memory in use with the desktop idle: ${(memory / (1 << 20)).toFixed(1)} MiB (goal ≤ 16 MiB: ${memory <= MEMORY_GOAL ? "met" : "not met"})`);
    const components = timed.memory.reduce((sum, [, bytes]) => sum + bytes, 0);
    log(`bench: desktop:     of which components' memories and objects ${(components / (1 << 20)).toFixed(1)} MiB: ${timed.memory.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(", ")}`);
    const kernel = timed.kernel;
    if (kernel) {
      // The kernel's first MiB of heap is its image's .kmem, kept memory rather than frames handed out (docs/kernel.md).
      const heapFrames = Math.max(0, kernel.heap - (1 << 20));
      const rest = memory - heapFrames - kernel.stacks - kernel.code;
      log(`bench: desktop:     the kernel's heap ${(kernel.heap / (1 << 20)).toFixed(1)} MiB (${(heapFrames / (1 << 20)).toFixed(1)} MiB of it on frames; the first 1 MiB is the image's), thread stacks ${(kernel.stacks / (1 << 20)).toFixed(1)} MiB, compiled code ${(kernel.code / (1 << 20)).toFixed(1)} MiB; the rest, ${(rest / (1 << 20)).toFixed(1)} MiB, is components' memories, the objects they made, page tables and thread blocks (the figures per component count a whole linear memory, the ranges where it maps objects included, so they overlap the objects)`);
    }
    // The same steps from both boots: in the instruction-counting one, COM1's timestamps count virtual time, one
    // nanosecond an instruction, so a millisecond of its stamps is a million instructions.
    for (const [run, unit, scale, digits] of [[timed, "ms", 1, 2], [counted, "k instructions", 1000, 0]] as const) {
      for (const [name, allRuns] of run.restarts) {
        // Restarts that found a spare ready and those that loaded anew are reported apart.
        const kinds = new Map<string, Array<Map<string, number>>>();
        for (const one of allRuns) {
          const key = [...one.keys()].join("|");
          kinds.set(key, [...(kinds.get(key) ?? []), one]);
        }
        for (const runs of kinds.values()) {
          const steps = [...(runs[0]?.keys() ?? [])];
          log(`bench: desktop:   restart of ${name}, medians of its steps over ${runs.length} of ${allRuns.length} runs (COM1 timestamps of the ${run === timed ? "timed" : "instruction-counting"} boot, each line's own output included): ${steps.map((step) => `${step} ${(median(runs.map((one) => one.get(step) ?? NaN)) * scale).toFixed(digits)} ${unit}`).join(", ")}`);
        }
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
