// Compares generated files with a tree: what the golden test and
// `generate.ts --check` report, and which generated files are stale.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { GENERATED_FOLDERS } from "./generator/index";

export function listFiles(root: string, folder: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else out.push(relative(root, path));
    }
  };
  visit(join(root, folder));
  return out;
}

/** Differences between the generated files and those in `root`: paths that differ, are missing or are stale (a file in one of `folders` that the generator does not produce). */
export function compareWithTree(root: string, files: Map<string, string>, folders: string[] = GENERATED_FOLDERS): string[] {
  const problems: string[] = [];
  for (const [path, text] of files) {
    const full = join(root, path);
    if (!existsSync(full)) problems.push(`${path}: missing`);
    else if (readFileSync(full, "utf8") !== text) problems.push(`${path}: differs from what the generator produces`);
  }
  for (const folder of folders) {
    for (const path of listFiles(root, folder)) if (!files.has(path)) problems.push(`${path}: not produced by the generator`);
  }
  return problems;
}

