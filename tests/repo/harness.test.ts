// The harness itself: a run with a failing, throwing or hanging test must end
// promptly with a non-zero status and say which test failed, and a run whose
// tests pass must end with status 0 even when a test leaves a timer running.
// Each case is a separate Node process running harness-fixture.ts, bundled
// here with esbuild the way sdk/build/build.mjs bundles tests/index.ts.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { repoRoot } from "../../sdk/host/paths";

interface Case { misbehaviour: string; status: number; summary: string; says?: string; }

const CASES: Case[] = [
  { misbehaviour: "none", status: 0, summary: "tests: 2 passed, 0 failed" },
  { misbehaviour: "leaves-a-timer", status: 0, summary: "tests: 3 passed, 0 failed" },
  { misbehaviour: "fails", status: 1, summary: "tests: 2 passed, 1 failed", says: "FAIL fixture: fails an assertion" },
  { misbehaviour: "throws", status: 1, summary: "tests: 2 passed, 1 failed", says: "a deliberate failure" },
  { misbehaviour: "hangs", status: 1, summary: "tests: 2 passed, 1 failed", says: "the test took longer than 1.5 s" },
];

/** Far more than any case needs (the hanging test's limit is 1.5 s); a run still alive then has hung. */
const RUN_LIMIT_MS = 20_000;

export function register(test: TestFunction): void {
  test("a failing, throwing or hanging test ends the run promptly with status 1; passing runs end with 0", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-harness-"));
    try {
      const esbuild = await import("esbuild");
      const fixture = join(directory, "fixture.js");
      await esbuild.build({
        entryPoints: [join(repoRoot, "tests/repo/harness-fixture.ts")], outfile: fixture, bundle: true,
        platform: "node", format: "esm", target: "node20", logLevel: "error",
      });
      for (const expected of CASES) {
        const started = Date.now();
        const run = spawnSync(process.execPath, [fixture], {
          encoding: "utf8", timeout: RUN_LIMIT_MS, env: { ...process.env, DELOS_HARNESS_CASE: expected.misbehaviour },
        });
        const seconds = (Date.now() - started) / 1000;
        const output = `${run.stdout}${run.stderr}`;
        t.ok(run.signal === null, `${expected.misbehaviour}: the run ended by itself (${seconds.toFixed(1)} s${run.signal ? `, killed by ${run.signal}` : ""})`);
        t.eq(run.status, expected.status, `${expected.misbehaviour}: exit status`);
        t.ok(output.trimEnd().endsWith(expected.summary), `${expected.misbehaviour}: ends with "${expected.summary}"`);
        if (expected.says) t.ok(output.includes(expected.says), `${expected.misbehaviour}: the report says "${expected.says}"`);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, { timeout: 5 * RUN_LIMIT_MS + 30_000 });
}
