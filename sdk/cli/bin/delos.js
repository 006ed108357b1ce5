#!/usr/bin/env node
// The `delos` command as npm installs it: bring build/ up to date (quietly,
// skipping what is current), then run the bundled CLI.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
try {
  execFileSync(process.execPath, [join(root, "sdk", "build", "build.mjs"), "--quiet"], { stdio: ["ignore", "ignore", "inherit"] });
} catch {
  process.stderr.write("delos: the build failed (see above)\n");
  process.exit(70);
}
await import(pathToFileURL(join(root, "build", "host", "delos.js")).href);
