// The test harness: zora underneath, with a reporter written for the person
// reading a CI log. Each test file exports `register(test)`; tests/index.ts
// lists the files. The last line is "tests: N passed, M failed".

import { createHarness } from "zora";

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

function describe(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : (() => {
    try { return JSON.stringify(value, (_k, v) => typeof v === "bigint" ? `${v}n` : v); } catch { return String(value); }
  })();
  return text === undefined ? String(value) : text.length > 400 ? text.slice(0, 400) + "…" : text;
}

export async function runTests(files: Array<{ name: string; register: (test: TestFunction) => void }>, filter?: string): Promise<Tally> {
  const harness = createHarness({});
  for (const file of files) {
    if (filter && !file.name.includes(filter)) continue;
    file.register((description: string, spec: any, opts?: any) =>
      harness.test(`${file.name}: ${description}`, spec, opts)) as unknown as TestFunction;
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
          if (stack.length === 1) process.stdout.write(`test: ${message.data.description} ...\n`);
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
          list.push(`  ✗ threw: ${error?.stack ?? error}`);
          failures.set(top, list);
        } else if (message.type === "TEST_END") {
          const description = stack.pop()!;
          if (stack.length === 0) {
            const seconds = (message.data.executionTime / 1000).toFixed(1);
            const problems = failures.get(description);
            if (problems) {
              tally.failed++;
              process.stdout.write(`FAIL ${description} (${seconds} s)\n${problems.join("\n")}\n`);
            } else {
              tally.passed++;
              process.stdout.write(`ok   ${description} (${seconds} s)\n`);
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
