// The test harness: zora underneath, with a reporter written for the person
// reading a CI log. Each test file exports `register(test)`; tests/index.ts
// lists the files. The last line is "tests: N passed, M failed".

import { createHarness } from "zora";
import { MissingInput } from "./missing-input";

// zora 6 calls Promise.withResolvers, which Node 20 does not have yet.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise((yes, no) => { resolve = yes; reject = no; });
  return { promise, resolve, reject };
};

type Harness = ReturnType<typeof createHarness>;
export type TestFunction = Harness["test"];

interface Tally { passed: number; failed: number; }

/** A test's time limit unless it asks for another (`{ timeout }` in ms), counted from its turn. */
const DEFAULT_TEST_TIMEOUT_MS = 5 * 60 * 1000;

function describe(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : (() => {
    try { return JSON.stringify(value, (_k, v) => typeof v === "bigint" ? `${v}n` : v); } catch { return String(value); }
  })();
  return text === undefined ? String(value) : text.length > 400 ? text.slice(0, 400) + "…" : text;
}

export async function runTests(files: Array<{ name: string; register: (test: TestFunction) => void }>, filter?: string): Promise<Tally> {
  const harness = createHarness({});
  // Tests run one at a time, in the order they were registered: several run
  // QEMU or time native code, and on a 2-core machine running them side by
  // side starves guests and skews every timing they check. zora starts all
  // tests at once, so each waits for its turn; its own time limit starts then.
  let previous: Promise<void> = Promise.resolve();
  const seconds = new Map<string, number>();
  for (const file of files) {
    if (filter && !file.name.includes(filter)) continue;
    file.register(((description: string, spec: any, opts?: any) => {
      const name = `${file.name}: ${description}`;
      const limit: number = opts?.timeout ?? DEFAULT_TEST_TIMEOUT_MS;
      const turn = previous;
      let finished!: () => void;
      previous = new Promise<void>((resolve) => { finished = resolve; });
      return harness.test(name, async (t: any) => {
        await turn;
        process.stdout.write(`test: ${name} ...\n`);
        const began = Date.now();
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          return await Promise.race([
            Promise.resolve().then(() => spec(t)),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`the test took longer than ${limit / 1000} s`)), limit);
            }),
          ]);
        } finally {
          clearTimeout(timer);
          seconds.set(name, (Date.now() - began) / 1000);
          finished();
        }
      }, { ...opts, timeout: 24 * 3600 * 1000 });
    }) as unknown as TestFunction);
  }
  const tally: Tally = { passed: 0, failed: 0 };
  const started = Date.now();
  await harness.report({
    reporter: async (stream) => {
      const failures = new Map<string, string[]>();
      const stack: string[] = [];
      for await (const message of stream) {
        if (message.type === "TEST_START") {
          stack.push(message.data.description);
        } else if (message.type === "ASSERTION") {
          const data = message.data as any;
          if ("pass" in data && !data.pass) {
            const top = stack[0] ?? "?";
            const list = failures.get(top) ?? [];
            list.push(`  ✗ ${data.description ?? data.operator}\n      expected ${describe(data.expected)}\n      actual   ${describe(data.actual)}${data.at ? `\n      at ${data.at}` : ""}`);
            failures.set(top, list);
          }
        } else if (message.type === "ERROR") {
          const top = stack[0] ?? "?";
          const error = (message.data as any).error;
          const list = failures.get(top) ?? [];
          list.push(error instanceof MissingInput ? `  ✗ ${error.message}` : `  ✗ threw: ${error?.stack ?? error}`);
          failures.set(top, list);
        } else if (message.type === "TEST_END") {
          const description = stack.pop()!;
          if (stack.length === 0) {
            const took = (seconds.get(description) ?? message.data.executionTime / 1000).toFixed(1);
            const problems = failures.get(description);
            if (problems) {
              tally.failed++;
              process.stdout.write(`FAIL ${description} (${took} s)\n${problems.join("\n")}\n`);
            } else {
              tally.passed++;
              process.stdout.write(`ok   ${description} (${took} s)\n`);
            }
          }
        }
      }
    },
  });
  process.stdout.write(`\ntime: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`tests: ${tally.passed} passed, ${tally.failed} failed\n`);
  return tally;
}

/**
 * Runs the files' tests and ends the process: status 0 only when some test
 * ran and none failed. It exits at once rather than when the event loop
 * drains, because a test that threw or ran out of time can leave timers
 * behind (zora's own among them) that would keep the run alive after its
 * summary line. Writes to pipes and files are synchronous on Linux, so the
 * summary is out before the exit.
 */
export async function runTestsAndExit(files: Array<{ name: string; register: (test: TestFunction) => void }>, filter?: string): Promise<never> {
  const tally = await runTests(files, filter);
  process.exit(tally.failed === 0 && tally.passed > 0 ? 0 : 1);
}
