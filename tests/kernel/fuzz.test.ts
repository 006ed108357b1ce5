// The system-call fuzzer (tests/os/fuzz) in `npm test`: the host's checks
// of a fuzz boot's log against made-up logs (each problem they must see),
// then one bounded batch — BATCH_CALLS calls from four workers with every
// attack class on — that must end with no kernel fault, no hang, the
// timer and the heartbeat going, and the victim intact. `npm run
// fuzz-kernel` runs longer batches (tests/kernel/fuzz-kernel.ts).

import type { TestFunction } from "../harness";
import { ATTACKS, kernelSideFaults, readRun, runFuzz, type FuzzSettings } from "./fuzz-boot";

const BATCH_CALLS = 20_000;
const BATCH_SEED = 20261206;

const SETTINGS: FuzzSettings = { seed: 1, calls: 100, workers: 1, attacks: [] };

/** A log of a good run: begin, timer lines and beats every half second for 8 s, the end. */
function goodLog(): string[] {
  const lines = ["[    0.100000] kernel: fuzz: fuzz: begin seed 1 calls 100 workers 1 attacks none"];
  for (let i = 1; i <= 16; i++) {
    lines.push(`[    ${(0.1 + i * 0.5).toFixed(6)}] kernel: timer: ${i * 50} ticks, ${(i * 0.5).toFixed(6)} s by the TSC`);
    lines.push(`[    ${(0.2 + i * 0.5).toFixed(6)}] kernel: fuzz-heartbeat: beat ${i} gap 10`);
  }
  lines.push("[    8.300000] kernel: fuzz: fuzz: victim intact checksum 0x1 served 5");
  lines.push("[    8.300000] kernel: fuzz: fuzz: outcomes OK=60 BAD_HANDLE=40");
  lines.push("[    8.400000] kernel: fuzz: fuzz: end calls 100 in 8000 ms verdict ok");
  return lines;
}

export function register(test: TestFunction): void {
  test("the fuzz boot's checks pass a good log and see a kernel halt, a hang, a stopped timer or heartbeat, a changed victim", (t) => {
    const good = goodLog();
    const run = readRun(SETTINGS, good.join("\r\n"));
    t.eq(run.problems, [], "a good log passes");
    t.eq(run.outcomes.get("BAD_HANDLE"), 40, "outcomes are read");
    const variants: Array<[string, string[]]> = [
      ["halt", [...good.slice(0, 5), "[    1.500000] kernel: exception 14 (page fault), error code 0x3", "[    1.600000] kernel: halted", ...good.slice(5)]],
      ["no end line", good.slice(0, -1)],
      // Seven lines missing: 4 s without one.
      ["timer stopped", good.filter((line) => !/timer: ([1-3][05]0|400) ticks/.test(line))],
      ["heartbeat stopped", good.filter((line) => !/beat [3-9] /.test(line))],
      ["long wake-up gap", good.map((line) => line.replace("beat 4 gap 10", "beat 4 gap 1500"))],
      ["victim changed", good.map((line) => line.replace("victim intact", "victim CHANGED"))],
      ["too few calls", good.map((line) => line.replace("end calls 100", "end calls 99"))],
    ];
    for (const [what, lines] of variants) t.ok(readRun(SETTINGS, lines.join("\r\n")).problems.length > 0, `${what}: seen as a problem`);
  });

  test(`a bounded fuzz batch (${BATCH_CALLS} calls, seed ${BATCH_SEED}, every attack class): no kernel fault or hang, timer and heartbeat going, victim intact`, async (t) => {
    const run = await runFuzz({ seed: BATCH_SEED, calls: BATCH_CALLS, workers: 4, attacks: ATTACKS, timeoutSeconds: 150 });
    t.eq(run.problems, [], `the run passed (replay: npm run fuzz-kernel -- ${BATCH_CALLS} --seed ${BATCH_SEED})`);
    if (run.kernelReport.length > 0) console.log(run.kernelReport.join("\n"));
    t.ok(run.calls >= BATCH_CALLS, `${run.calls} calls counted`);
    // The arguments reach past the dispatch's checks: calls succeed, and fail for many different reasons.
    t.ok((run.outcomes.get("OK") ?? 0) > BATCH_CALLS / 20, `some calls succeeded (${run.outcomes.get("OK") ?? 0})`);
    const errors = [...run.outcomes.keys()].filter((name) => name !== "OK");
    t.ok(errors.length >= 8, `at least 8 different errors (${errors.join(", ")})`);
    const issued = [...run.perCall.keys()];
    t.ok(issued.length >= 40, `at least 40 of the 46 calls issued (${issued.length})`);
    const rate = run.fuzzMs > 0 ? Math.round(run.calls / (run.fuzzMs / 1000)) : 0;
    console.log(`kernel-fuzz: ${run.calls} calls in ${(run.fuzzMs / 1000).toFixed(1)} s (${rate} calls/s, ${run.accel}); ${run.workerEnds.length} worker ends, ${kernelSideFaults(run).length} faults in kernel code`);
  }, { timeout: 240_000 });
}
