// Host code is strict TypeScript: esbuild bundles without checking types, so
// this runs the type checker over everything tsconfig.json covers.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { repoRoot } from "../../sdk/host/paths";

export function register(test: TestFunction) {
  test("host TypeScript type-checks in strict mode", (t) => {
    const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", join(repoRoot, "tsconfig.json"), "--noEmit"], { encoding: "utf8" });
    const errors = `${run.stdout}${run.stderr}`.split("\n").filter((line) => line.includes("error TS"));
    t.eq(errors, [], "type errors");
    t.eq(run.status, 0, "tsc exit status");
  }, { timeout: 180_000 });
}
