// Boots of the fuzz image (images/fuzz.json) for the system-call fuzzer
// (tests/os/fuzz): the host passes the run's settings through QEMU's fw_cfg
// device (`opt/delos/fuzz`), waits for the supervisor's end line, and reads
// the serial log. What the host checks, beside the supervisor's own verdict
// (the victim's memory intact, the victim and the heartbeat alive):
//
// - no kernel failure: no `halted`, no trap of the kernel's main, no
//   exception reported from kernel code;
// - no hang: the end line comes within the time limit;
// - the kernel's timer lines keep coming: none more than TIMER_GAP_SECONDS
//   apart by the TSC, from the fuzz's begin to its end;
// - the heartbeat keeps beating: its lines come, none more than
//   BEAT_GAP_SECONDS apart, and none tells of a wake-up gap above
//   BEAT_WAKE_GAP_MS.
//
// The lines (tests/os/fuzz/fuzz.ts):
//   fuzz: begin seed S calls N workers W attacks A
//   fuzz: worker I component C ended: HOW
//   fuzz: outcomes NAME=n ...        fuzz: calls NAME=n ...
//   fuzz: victim intact|CHANGED ...  fuzz: end calls N in T ms verdict ok|FAIL: REASON

import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { bootUntil } from "./os-boot";
import { kernelFailures } from "./report";

/** The attack classes, in the order of their bits (tests/os/fuzz/protocol.ts). */
export const ATTACKS = ["readonly", "stack", "grow", "kill", "priority", "quota"] as const;
export type Attack = typeof ATTACKS[number];

const TIMER_GAP_SECONDS = 3;
const BEAT_GAP_SECONDS = 3;
const BEAT_WAKE_GAP_MS = 1000;

export interface FuzzSettings {
  seed: number;
  calls: number;
  workers: number;
  attacks: readonly Attack[];
  /** Seconds to wait for the end line; default from the number of calls. */
  timeoutSeconds?: number;
}

export interface FuzzRun {
  settings: FuzzSettings;
  serial: string;
  accel: string;
  /** Milliseconds from QEMU's start to the end (or the give-up). */
  elapsedMs: number;
  /** The supervisor's figures; calls 0 when it never ended. */
  calls: number;
  fuzzMs: number;
  verdict: string | null;
  outcomes: Map<string, number>;
  perCall: Map<string, number>;
  /** How each worker instance ended (`faulted 9 (call stack exhausted) ...`, `killed`, ...). */
  workerEnds: string[];
  /** The kernel's fault lines of worker components (`faulted: ... in kernel code on its behalf` among them). */
  componentFaults: string[];
  /** Everything wrong that the host saw; empty: the run passed. */
  problems: string[];
  /** The kernel's report of a fault in its own code, when there was one. */
  kernelReport: string[];
}

export function attackBits(attacks: readonly Attack[]): number {
  return attacks.reduce((bits, attack) => bits | (1 << ATTACKS.indexOf(attack)), 0);
}

/** A seconds limit that grows with the calls: the boot, then a generous rate under TCG. */
export function defaultTimeout(calls: number): number {
  return 90 + Math.ceil(calls / 1500);
}

/** Builds the fuzz image once per process. */
let image: Uint8Array | null = null;
function fuzzImage(): Uint8Array {
  image ??= buildRecipe(readRecipe("fuzz")).image;
  return image;
}

export async function runFuzz(settings: FuzzSettings): Promise<FuzzRun> {
  const text = `seed=${settings.seed} calls=${settings.calls} workers=${settings.workers} attacks=${attackBits(settings.attacks)}`;
  const boot = await bootUntil(fuzzImage(), { timeoutSeconds: settings.timeoutSeconds ?? defaultTimeout(settings.calls), extraArgs: ["-fw_cfg", `name=opt/delos/fuzz,string=${text}`] },
    "`fuzz: end`", (serial) => {
      if (/fuzz: end calls \d+/.test(serial)) return "";
      if (/kernel: .*halted/.test(serial)) return "";
      if (/init: fuzz: (?:could not start|component \d+ (?:faulted|exited|was killed|ended))/.test(serial)) return "";
      return undefined;
    });
  const run = readRun(settings, boot.serial);
  run.accel = boot.accel;
  run.elapsedMs = boot.elapsedMs;
  // What ended the boot is read from the log; only a boot that never ended (a hang) or a QEMU exit adds a problem here.
  if (boot.problem) run.problems.unshift(boot.problem.startsWith("no ") ? `hang: ${boot.problem}` : boot.problem);
  return run;
}

const STAMPED = /^\[ *(\d+\.\d+)\] kernel: (.*?)\r?$/gm;

function counts(text: string | undefined): Map<string, number> {
  const map = new Map<string, number>();
  for (const match of (text ?? "").matchAll(/(\S+)=(\d+)/g)) map.set(match[1]!, Number(match[2]));
  return map;
}

/** Reads a fuzz boot's serial log and checks it. */
export function readRun(settings: FuzzSettings, serial: string): FuzzRun {
  const run: FuzzRun = {
    settings, serial, accel: "", elapsedMs: 0, calls: 0, fuzzMs: 0, verdict: null, outcomes: new Map(), perCall: new Map(),
    workerEnds: [], componentFaults: [], problems: [], kernelReport: [],
  };
  const lines = [...serial.matchAll(STAMPED)].map((match) => ({ at: Number(match[1]), text: match[2]! }));
  const textOf = (prefix: string) => lines.find((line) => line.text.startsWith(prefix))?.text.slice(prefix.length);
  const begin = lines.find((line) => line.text.startsWith("fuzz: fuzz: begin "));
  const end = lines.find((line) => line.text.startsWith("fuzz: fuzz: end "));
  if (!begin) run.problems.push("the fuzz supervisor never began");
  const endMatch = end ? /^fuzz: fuzz: end calls (\d+) in (\d+) ms verdict (.*)$/.exec(end.text) : null;
  if (endMatch) {
    run.calls = Number(endMatch[1]);
    run.fuzzMs = Number(endMatch[2]);
    run.verdict = endMatch[3]!;
    if (run.verdict !== "ok") run.problems.push(`the supervisor's verdict: ${run.verdict}`);
    if (run.calls < settings.calls) run.problems.push(`${run.calls} calls run, fewer than ${settings.calls}`);
  } else if (begin) {
    run.problems.push("no end line from the fuzz supervisor");
  }
  run.outcomes = counts(textOf("fuzz: fuzz: outcomes"));
  run.perCall = counts(textOf("fuzz: fuzz: calls"));
  for (const line of lines) {
    const ended = /^fuzz: fuzz: worker (\d+) component (\d+) ended: (.*)$/.exec(line.text);
    if (ended) run.workerEnds.push(`worker ${ended[1]} (component ${ended[2]}): ${ended[3]}`);
    if (/^component \d+ \(fuzz-worker\) faulted: /.test(line.text)) run.componentFaults.push(line.text);
    const problem = /^fuzz: fuzz: problem: (.*)$/.exec(line.text);
    if (problem) run.problems.push(problem[1]!);
  }

  // The kernel itself: a halt, a trap of its main, and the exception report before it.
  const failures = kernelFailures(serial);
  if (failures.length > 0) {
    run.problems.push(`kernel failure: ${failures.join("; ")}`);
    const all = serial.split(/\r?\n/);
    const halt = all.findIndex((line) => /kernel: .*halted|main trapped/.test(line));
    const exception = all.slice(0, halt + 1).map((line, index) => ({ line, index })).filter(({ line }) => /kernel: exception /.test(line)).pop();
    run.kernelReport = all.slice(exception ? exception.index : Math.max(0, halt - 12), halt + 1);
  }

  // The timer and the heartbeat, from the fuzz's begin to its end (or the log's end).
  const from = begin?.at ?? 0;
  const to = end?.at ?? (lines.length > 0 ? lines[lines.length - 1]!.at : 0);
  const timers = lines.filter((line) => /^timer: \d+ ticks/.test(line.text) && line.at >= from && line.at <= to).map((line) => line.at);
  checkGaps(run, "timer line", [from, ...timers, to], TIMER_GAP_SECONDS);
  const beats = lines.filter((line) => /^fuzz-heartbeat: beat \d+/.test(line.text) && line.at >= from);
  if (begin) {
    const beatTimes = beats.filter((line) => line.at <= to).map((line) => line.at);
    if (beatTimes.length === 0) run.problems.push("the heartbeat never beat");
    else checkGaps(run, "heartbeat line", [...beatTimes, to], BEAT_GAP_SECONDS);
    for (const beat of beats) {
      const gap = /gap (\d+)$/.exec(beat.text);
      if (gap && Number(gap[1]) > BEAT_WAKE_GAP_MS) run.problems.push(`the heartbeat woke ${gap[1]} ms after its last wake-up (at ${beat.at} s), not 10`);
    }
  }
  if (endMatch && !/fuzz: fuzz: victim intact/.test(serial)) run.problems.push("the victim was not found intact");
  return run;
}

function checkGaps(run: FuzzRun, what: string, times: number[], most: number): void {
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > most) { run.problems.push(`no ${what} for ${gap.toFixed(2)} s (from ${times[i - 1]} s)`); return; }
  }
}

/** Kernel faults in worker components that happened inside kernel code (a trap of kernel code on the worker's stack). */
export function kernelSideFaults(run: FuzzRun): string[] {
  return run.componentFaults.filter((line) => /in kernel code on its behalf/.test(line));
}
