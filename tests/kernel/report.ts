// Reads what the in-OS test runner (tests/os/runner.ts) and the in-OS
// benchmarks print on COM1. The lines are the contract between the programs
// that run inside Delos and the host (tests/os/README.md):
//
//   ostest: begin COUNT
//   ostest: run NAME
//   ostest: note NAME: TEXT              (any number, details for the log)
//   ostest: ok NAME: SUMMARY
//   ostest: FAIL NAME: REASON
//   ostest: end PASSED passed, FAILED failed
//   osbench: NAME count N total T min M median D   (T, M, D in TSC cycles)
//
// On COM1 each comes through log.write, so it carries the kernel's prefix
// (`[   seconds] kernel: runner: `); lines end in CR LF.

export interface OsTestResult {
  name: string;
  passed: boolean;
  /** The ok line's summary or the FAIL line's reason. */
  text: string;
  notes: string[];
}

export interface OsBenchResult { name: string; count: number; total: number; min: number; median: number; }

export interface OsReport {
  /** The count announced by `begin`, or -1 when the runner never began. */
  announced: number;
  /** Tests in the order they reported, each at most once (a second verdict is an error). */
  results: Map<string, OsTestResult>;
  /** Names that were started but never reported a verdict. */
  unfinished: string[];
  /** Names with more than one verdict. */
  repeated: string[];
  /** `end`'s counts, or null when the runner did not finish. */
  end: { passed: number; failed: number } | null;
  benches: Map<string, OsBenchResult>;
}

const LINE = /^(?:\[ *\d+\.\d+\] )?(?:kernel: )?(?:[\w.-]+: )?(ostest|osbench): (.*?)\r?$/gm;

export function parseReport(serial: string): OsReport {
  const report: OsReport = { announced: -1, results: new Map(), unfinished: [], repeated: [], end: null, benches: new Map() };
  const started: string[] = [];
  const notes = new Map<string, string[]>();
  for (const match of serial.matchAll(LINE)) {
    const [, kind, rest] = match as unknown as [string, string, string];
    if (kind === "osbench") {
      const bench = /^(\S+) count (\d+) total (\d+) min (\d+) median (\d+)$/.exec(rest);
      if (bench) report.benches.set(bench[1]!, { name: bench[1]!, count: Number(bench[2]), total: Number(bench[3]), min: Number(bench[4]), median: Number(bench[5]) });
      continue;
    }
    let found: RegExpExecArray | null;
    if ((found = /^begin (\d+)$/.exec(rest))) report.announced = Number(found[1]);
    else if ((found = /^run (\S+)$/.exec(rest))) started.push(found[1]!);
    else if ((found = /^note (\S+): (.*)$/.exec(rest))) {
      const list = notes.get(found[1]!) ?? [];
      list.push(found[2]!);
      notes.set(found[1]!, list);
    } else if ((found = /^(ok|FAIL) (\S+): (.*)$/.exec(rest))) {
      const name = found[2]!;
      if (report.results.has(name)) report.repeated.push(name);
      else report.results.set(name, { name, passed: found[1] === "ok", text: found[3]!, notes: [] });
    } else if ((found = /^end (\d+) passed, (\d+) failed$/.exec(rest))) {
      report.end = { passed: Number(found[1]), failed: Number(found[2]) };
    }
  }
  for (const [name, list] of notes) {
    const result = report.results.get(name);
    if (result) result.notes = list;
  }
  report.unfinished = started.filter((name) => !report.results.has(name));
  return report;
}

/**
 * The serial lines that mean the kernel itself failed: it halted or its own
 * main trapped. (Exception reports alone are not failures: a component's
 * fault is reported the same way before it becomes that component's trap.)
 */
export function kernelFailures(serial: string): string[] {
  const lines: string[] = [];
  for (const match of serial.matchAll(/^(?:\[ *\d+\.\d+\] )?kernel: (.*halted.*|main trapped.*)\r?$/gm)) lines.push(match[0].trim());
  return lines;
}
