// Where the repository and its build outputs are, for host tools bundled into build/host/.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: build/host/*.js sits two levels below it. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const buildDir = join(repoRoot, "build");
