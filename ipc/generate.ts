// `npm run ipc`: regenerates the kernel dispatch, the client bindings and
// the reference docs from the table and from the protocols component
// folders declare (their manifest's `@protocol`), writing only files whose
// contents changed and removing generated files nothing produces any more.
// `--check` writes nothing and fails when a checked-in file differs.
// sdk/build/build.mjs bundles and runs this when the table, the generator
// or a component folder's manifest or declaration changed. A mistake in
// the table, a declaration or a manifest ends it with its message.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ComponentError } from "../sdk/host/components";
import { compareWithTree, listFiles } from "./compare";
import { loadDeclaredProtocols } from "./components";
import { table } from "./table/index";
import { generateAll } from "./generator/index";
import { ProtocolTableError } from "./generator/model";

function main(): void {
  const root = process.cwd();
  const check = process.argv.includes("--check");
  const quiet = process.argv.includes("--quiet");
  const { folders, generatedFolders } = loadDeclaredProtocols(root);
  const files = generateAll(table, folders);
  if (check) {
    const problems = compareWithTree(root, files, generatedFolders);
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
  for (const folder of generatedFolders) {
    for (const path of listFiles(root, folder)) {
      if (files.has(path)) continue;
      rmSync(join(root, path));
      if (!quiet) console.log(`ipc: removed ${path}`);
    }
  }
  if (!quiet) console.log(`ipc: ${files.size} files generated, ${written} changed`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof ProtocolTableError) && !(error instanceof ComponentError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
