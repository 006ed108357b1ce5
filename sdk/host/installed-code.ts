// The native code an image installs for its components, the payload's
// code cache (cache/HASH.delos): the optimizing tier's, compiled once here
// for the code a boot runs every time, or the baseline's for a component
// that asks for it (`@tier 1`). The baseline stays what the OS compiles
// with when it meets a wasm it has no code for (a first run of a program
// built on Delos), the reference both tiers are checked against, and the
// compiler's own code (docs/compiler.md, "Installed code").
//
// The optimizing tier compiles some thirty times slower than the
// baseline (`bench.js compiler`: 0.77 MB/s against 26 MB/s in V8), and
// every image build (the build's images and each test that
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

/**
 * The compiled component an image installs for `module` (a wasm with its
 * manifest): the optimizing tier's, from the cache when it is there, or
 * with `tier` 1 the baseline's, compiled now.
 */
export function installedCode(module: Uint8Array, tier: 1 | 2 = 2): Uint8Array {
  if (tier === 1) return compileComponent(module, { tier: 1 });
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
