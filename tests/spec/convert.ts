// Converts the pinned spec tests (../shared/wasm-spec) with Debian's wast2json
// into build/spec/NAME/NAME.json plus one .wasm per module, once: a file is
// converted again only when its .wast is newer than its .json.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { buildDir, repoRoot } from "../../sdk/host/paths";

export const specDir = join(repoRoot, "..", "shared", "wasm-spec");

/** Files that wast2json cannot convert, each with the reason. */
export const unconvertible: Record<string, string> = {
  "elem.wast": "uses reference-types syntax that wabt 1.0.32 cannot parse",
};

export interface SpecFile { name: string; json: string; dir: string; }

export function specFiles(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(specDir)) if (entry.endsWith(".wast")) files.push(join(specDir, entry));
  const bulk = join(specDir, "bulk-memory");
  if (existsSync(bulk)) for (const entry of readdirSync(bulk)) if (entry.endsWith(".wast")) files.push(join(bulk, entry));
  return files.sort();
}

/** Converts every spec file (skipping the unconvertible ones) and returns where each JSON is. */
export function convertSpec(log: (line: string) => void = () => {}): SpecFile[] {
  const converted: SpecFile[] = [];
  for (const wast of specFiles()) {
    const file = basename(wast);
    if (unconvertible[file]) continue;
    const name = wast.includes("bulk-memory") ? `bulk-memory.${file.replace(/\.wast$/, "")}` : file.replace(/\.wast$/, "");
    const dir = join(buildDir, "spec", name);
    const json = join(dir, `${name}.json`);
    if (!existsSync(json) || statSync(json).mtimeMs < statSync(wast).mtimeMs) {
      mkdirSync(dir, { recursive: true });
      log(`wast2json ${file}`);
      execFileSync("wast2json", [wast, "-o", json], { stdio: ["ignore", "ignore", "pipe"] });
    }
    converted.push({ name, json, dir });
  }
  return converted;
}
