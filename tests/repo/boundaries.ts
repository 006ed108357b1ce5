// The folder boundaries of the repository, as rules over import statements.
// Each top-level README says the same in prose; this is what enforces it.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";

export interface Violation { file: string; line: number; target: string; rule: string; }

interface Rule {
  /** Files this rule applies to (path prefix, relative to the repository root). */
  from: string;
  /** Import targets (path prefixes) that are forbidden, or "node:" for Node's modules. */
  forbidden: string[];
  why: string;
}

/** What runs on Delos as well as on the host must not reach for host-only modules. */
const portable = ["sdk/compiler/src/", "sdk/loader/", "sdk/runtime/", "sdk/image/", "sdk/lib/", "kernel/", "ipc/client/", "ipc/generated/"];

export const rules: Rule[] = [
  { from: "kernel/", forbidden: ["servers/", "drivers/", "desktop/", "sdk/host/", "sdk/cli/"], why: "the kernel imports nothing above it" },
  { from: "ipc/", forbidden: ["kernel/", "servers/", "drivers/", "desktop/"], why: "ipc/ depends on nothing else in Delos" },
  { from: "servers/", forbidden: ["kernel/", "desktop/"], why: "servers reach the kernel only through ipc/" },
  { from: "drivers/", forbidden: ["kernel/", "desktop/", "servers/"], why: "drivers reach the kernel only through ipc/" },
  { from: "desktop/", forbidden: ["kernel/", "servers/", "drivers/"], why: "desktop code reaches other components only by messages" },
  { from: "sdk/", forbidden: ["kernel/", "servers/", "drivers/", "desktop/"], why: "the SDK depends on nothing above it" },
  ...portable.map((from) => ({ from, forbidden: ["node:", "sdk/host/", "sdk/cli/", "sdk/qemu/"], why: "code that also runs on Delos has no host-only imports" })),
];

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']/g;

/** The import targets of a source text, with their line numbers. */
export function importsOf(source: string): Array<{ target: string; line: number }> {
  const found: Array<{ target: string; line: number }> = [];
  for (const match of source.matchAll(importPattern)) {
    const target = match[1] ?? match[2];
    const line = source.slice(0, match.index! + match[0].length).split("\n").length;
    found.push({ target, line });
  }
  return found;
}

/** Checks one file's imports against the rules; `file` is relative to the root. */
export function checkFile(file: string, source: string): Violation[] {
  const violations: Violation[] = [];
  for (const { target, line } of importsOf(source)) {
    const resolved = target.startsWith(".") ? relative("/", resolve("/", dirname(file), target)) : target;
    const isNode = target.startsWith("node:") || ["fs", "path", "child_process", "os", "url"].includes(target);
    for (const rule of rules) {
      if (!file.startsWith(rule.from)) continue;
      for (const forbidden of rule.forbidden) {
        const hit = forbidden === "node:" ? isNode : resolved.startsWith(forbidden);
        if (hit) violations.push({ file, line, target, rule: rule.why });
      }
    }
  }
  return violations;
}

export function checkTree(root: string): Violation[] {
  const violations: Violation[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === "node_modules" || entry === "build" || entry.startsWith(".")) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.(ts|mts|js|mjs)$/.test(entry)) {
        violations.push(...checkFile(relative(root, path), readFileSync(path, "utf8")));
      }
    }
  };
  for (const top of ["kernel", "ipc", "servers", "drivers", "desktop", "sdk"]) {
    try { visit(join(root, top)); } catch { /* folder not there yet */ }
  }
  return violations;
}
