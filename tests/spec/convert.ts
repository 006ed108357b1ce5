// Converts the pinned spec tests with Debian's wast2json into
// build/spec/NAME/NAME.json plus one .wasm per module, once: a file is
// converted again only when its .wast is newer than its .json.
//
// The spec tests are third-party data and stay outside the repository: in
// the folder $DELOS_WASM_SPEC names, or else in ../shared/wasm-spec beside
// the repository's folder. Where neither holds them, every spec run fails
// with one line that says where they were looked for (SpecSuiteMissing).

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { buildDir, repoRoot } from "../../sdk/host/paths";
import { MissingInput } from "../missing-input";

/** The environment variable that says where the spec tests are. */
export const SPEC_ENVIRONMENT = "DELOS_WASM_SPEC";

/** Where the pinned spec tests are looked for. */
export const specDir = process.env[SPEC_ENVIRONMENT]
  ? resolve(process.env[SPEC_ENVIRONMENT]!)
  : join(repoRoot, "..", "shared", "wasm-spec");

/** The spec tests are not where they are looked for: reported as one line, never as a stack trace. */
export class SpecSuiteMissing extends MissingInput {
  constructor(why: string) {
    super(`the WebAssembly spec tests are not in ${specDir} (${why}): put the pinned .wast files ` +
      `(the spec repository's test/core, with its bulk-memory folder) there, or set ${SPEC_ENVIRONMENT}=DIR to the folder that holds them`);
  }
}

/** Files that wast2json cannot convert, each with the reason. */
export const unconvertible: Record<string, string> = {
  "elem.wast": "uses reference-types syntax that wabt 1.0.32 cannot parse",
};

export interface SpecFile { name: string; json: string; dir: string; }

export function specFiles(): string[] {
  if (!existsSync(specDir)) throw new SpecSuiteMissing("no such folder");
  if (!statSync(specDir).isDirectory()) throw new SpecSuiteMissing("not a folder");
  const files: string[] = [];
  for (const entry of readdirSync(specDir)) if (entry.endsWith(".wast")) files.push(join(specDir, entry));
  const bulk = join(specDir, "bulk-memory");
  if (existsSync(bulk)) for (const entry of readdirSync(bulk)) if (entry.endsWith(".wast")) files.push(join(bulk, entry));
  if (files.length === 0) throw new SpecSuiteMissing("no .wast file in it");
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
