// Kernel figures for `npm run bench`: the in-OS benchmarks of the test
// image's runner (tests/os/runner/bench.ts) read from two boots.
//
//  - A boot as the tests boot (KVM when it works, else TCG) gives TSC
//    cycles. Under TCG these are the host's cycles spent emulating, so
//    they say more about QEMU than about the kernel; under KVM they are real.
//  - A TCG boot with `-icount shift=0` gives instructions: QEMU then
//    advances its virtual clock, and the guest's TSC with it, by exactly
//    one nanosecond per instruction executed, so a TSC difference is an
//    instruction count, the same on every run (the kernel measures a
//    1000 MHz TSC there).
//
// Each figure is the median of per-operation differences after the cost of
// reading the clock (a `clock.cycles` call pair) is taken off. Figures
// only; nothing is asserted.

import { bootTestImage, type OsBoot } from "../kernel/os-boot";
import { parseReport, type OsBenchResult } from "../kernel/report";

/** The in-OS benchmarks and what each measures (tests/os/README.md). */
const FIGURES: Array<{ name: string; what: string }> = [
  { name: "roundtrip-16", what: "send/receive/reply round trip, 16 bytes each way, a direct call (the server's handler on the client's thread)" },
  { name: "roundtrip-4096", what: "send/receive/reply round trip, 4 KiB each way, a direct call" },
  { name: "roundtrip-16-threaded", what: "send/receive/reply round trip, 16 bytes each way, between two threads" },
  { name: "roundtrip-4096-threaded", what: "send/receive/reply round trip, 4 KiB each way, between two threads" },
  { name: "thread-switch", what: "thread switch (a yield between two components)" },
  { name: "load-cold", what: "component load, wasm → running (compiled on Delos)" },
  { name: "load-warm", what: "component load, wasm → running (native code cached)" },
  { name: "clock-overhead", what: "a clock.cycles pair (taken off the others)" },
];
/** The goal of issue 4 for a 16-byte round trip. */
const ROUNDTRIP_GOAL = 200;

function describe(result: OsBenchResult | undefined, unit: string): string {
  if (!result) return "—";
  return `${result.median.toLocaleString("en")} ${unit} (min ${result.min.toLocaleString("en")}, ${result.count} runs)`;
}

async function boot(what: string, log: (line: string) => void, options: Parameters<typeof bootTestImage>[0]): Promise<OsBoot | null> {
  try {
    const result = await bootTestImage(options);
    if (result.problem) log(`bench: kernel: ${what} boot: ✗ ${result.problem}`);
    return result;
  } catch (error) {
    log(`bench: kernel: ${what} boot: ✗ ${(error as Error).message.split("\n")[0]}`);
    return null;
  }
}

export async function benchKernel(log: (line: string) => void): Promise<void> {
  const timed = await boot("timed", log, { timeoutSeconds: 300 });
  const counted = await boot("instruction-counting", log, { timeoutSeconds: 900, accel: "tcg", extraArgs: ["-icount", "shift=0"] });
  const cycles = timed ? parseReport(timed.serial).benches : new Map<string, OsBenchResult>();
  const instructions = counted ? parseReport(counted.serial).benches : new Map<string, OsBenchResult>();
  const accel = timed?.accel ?? "—";
  log(`bench: kernel: in-OS figures, medians per operation; TSC cycles from a ${accel} boot, instructions from a TCG boot with -icount shift=0`);
  for (const figure of FIGURES) {
    log(`bench: kernel:   ${figure.what}`);
    log(`bench: kernel:     ${describe(cycles.get(figure.name), `TSC cycles (${accel})`)}`);
    log(`bench: kernel:     ${describe(instructions.get(figure.name), "instructions")}`);
  }
  const roundtrip = instructions.get("roundtrip-16");
  if (roundtrip) log(`bench: kernel: 16-byte round trip ${roundtrip.median} instructions (goal ≤ ${ROUNDTRIP_GOAL}): ${roundtrip.median <= ROUNDTRIP_GOAL ? "met" : "not met"}`);
  if (!timed || !counted || cycles.size === 0 || instructions.size === 0) log("bench: kernel: ✗ some figures are missing (no `osbench:` lines from the test image's runner)");
}
