// The native code an image installs: every component's code in the
// payload's code cache (cache/HASH.delos) and the compiler's own
// (system/compiler.delos) come from the optimizing tier, compiled once
// here for the code a boot runs every time. The baseline stays what the
// OS compiles with when it meets a wasm it has no code for (a first run
// of a program built on Delos) and the reference both tiers are checked
// against (docs/compiler.md, "Installed code").
//
// The optimizing tier compiles about forty times slower than the
// baseline, and every image build (the build's images and each test that
// builds one) needs the same components, so its output is kept under
// build/code-cache/COMPILER/HASH.delos: COMPILER the first 16 hex digits
// of build/compiler.wasm's SHA-256, HASH the module's (manifest included,
// as the payload's code cache names it). A new compiler starts a new
// directory and removes the others; a file is written under a temporary
// name and renamed, so builds running side by side never read half of one.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileComponent } from "./linux";
import { codeHash } from "./manifest";
import { buildDir } from "./paths";

const CACHE_ROOT = join(buildDir, "code-cache");

/** This process's cache directory for the compiler in build/, made (and older compilers' removed) on first use. */
let directory: string | null = null;
const inMemory = new Map<string, Uint8Array>();

function cacheDirectory(): string {
  if (directory) return directory;
  const compiler = createHash("sha256").update(readFileSync(join(buildDir, "compiler.wasm"))).digest("hex").slice(0, 16);
  directory = join(CACHE_ROOT, compiler);
  if (!existsSync(directory)) {
    mkdirSync(directory, { recursive: true });
    for (const name of readdirSync(CACHE_ROOT)) {
      if (name !== compiler) rmSync(join(CACHE_ROOT, name), { recursive: true, force: true });
    }
  }
  return directory;
}

/** The optimizing tier's compiled component for `module` (a wasm with its manifest), from the cache when it is there. */
export function installedCode(module: Uint8Array): Uint8Array {
  const hash = codeHash(module);
  const kept = inMemory.get(hash);
  if (kept) return kept;
  const path = join(cacheDirectory(), `${hash}.delos`);
  let code: Uint8Array;
  if (existsSync(path)) {
    code = new Uint8Array(readFileSync(path));
  } else {
    code = compileComponent(module, { tier: 2 });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, path);
  }
  inMemory.set(hash, code);
  return code;
}
