// Compiles the benchmark programs with asc into build/bench/NAME.wasm when
// the source is newer: -O3 (what a release build of a Delos program uses),
// the incremental runtime (strings and maps need a collector), no exported
// memory, the start function run at instantiation.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildDir, repoRoot } from "../../sdk/host/paths";

export const benchBuildDir = join(buildDir, "bench");

export function buildProgram(name: string): string {
  const source = join(repoRoot, "tests", "bench", "programs", `${name}.ts`);
  const output = join(benchBuildDir, `${name}.wasm`);
  if (!existsSync(output) || statSync(output).mtimeMs < statSync(source).mtimeMs) {
    mkdirSync(benchBuildDir, { recursive: true });
    const asc = join(repoRoot, "node_modules", ".bin", "asc");
    execFileSync(asc, [source, "-o", output, "-O3", "--runtime", "incremental"], { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] });
  }
  return output;
}
