// `npm run ipc`: regenerates the kernel dispatch, the client bindings and
// the reference docs from the table, writing only files whose contents
// changed and removing generated files the table no longer produces.
// `--check` writes nothing and fails when a checked-in file differs.
// sdk/build/build.mjs bundles and runs this when the table or the
// generator changed.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { compareWithTree, listFiles } from "./compare";
import { table } from "./table/index";
import { GENERATED_FOLDERS, generateAll } from "./generator/index";

function main(): void {
  const root = process.cwd();
  const check = process.argv.includes("--check");
  const quiet = process.argv.includes("--quiet");
  const files = generateAll(table);
  if (check) {
    const problems = compareWithTree(root, files);
    for (const problem of problems) console.error(`ipc: ${problem}`);
    process.exitCode = problems.length === 0 ? 0 : 1;
    return;
  }
  let written = 0;
  for (const [path, text] of files) {
    const full = join(root, path);
    if (existsSync(full) && readFileSync(full, "utf8") === text) continue;
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    written++;
    if (!quiet) console.log(`ipc: wrote ${path}`);
  }
  for (const folder of GENERATED_FOLDERS) {
    for (const path of listFiles(root, folder)) {
      if (files.has(path)) continue;
      rmSync(join(root, path));
      if (!quiet) console.log(`ipc: removed ${path}`);
    }
  }
  if (!quiet) console.log(`ipc: ${files.size} files generated, ${written} changed`);
}

main();
