// Builds everything the host needs, skipping what is up to date:
//  - AssemblyScript programs (the compiler, the linux-x64 runtime) to wasm;
//  - TypeScript host tools and test entry points bundled with esbuild.
// Usage: node sdk/build/build.mjs [--force] [--quiet] [--ipc]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const force = process.argv.includes("--force");
const quiet = process.argv.includes("--quiet");
const out = join(root, "build");
mkdirSync(join(out, "host"), { recursive: true });

function log(text) { if (!quiet) console.log(`build: ${text}`); }

function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) { for (const e of readdirSync(p)) visit(join(p, e)); }
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

function stale(output, sources) {
  if (force || !existsSync(output)) return true;
  return newestMtime(sources) > statSync(output).mtimeMs;
}

// The component folders (sdk/host/components.ts), found first: the ipc step below generates the
// protocols they declare, and the components are built further down.
const componentsModule = join(out, "host", "components.mjs");
if (stale(componentsModule, ["sdk/host/components.ts", "sdk/host/paths.ts"])) {
  await esbuild.build({ entryPoints: [join(root, "sdk/host/components.ts")], outfile: componentsModule, bundle: true,
    platform: "node", format: "esm", target: "node20", logLevel: "error" });
}
const { ComponentError, SHADOW_STACK_EXPORTS, componentAscFlags, discoverComponents, selectComponents, imageOutput, imageTableModule }
  = await import(componentsModule);
/** `read()`'s result; a ComponentError (a mistake in a component folder or a recipe) ends the build with its message. */
function orExit(read) {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ComponentError)) throw error;
    console.error(`build: ${error.message}`);
    process.exit(1);
  }
}
const components = orExit(() => discoverComponents(root));

// The ipc/ table's generated files (kernel dispatch, client bindings, docs: docs/ipc.md) and those of the
// protocols component folders declare (`@protocol`, into each folder's generated/), before anything
// compiles them: regenerated when the table, the generator, a component's manifest or its declaration
// changed, or with --ipc (`npm run ipc`). The generator writes only files whose contents differ.
const ipcStamp = join(out, "ipc.stamp");
const ipcSources = ["ipc/table", "ipc/generator", "ipc/generate.ts", "ipc/components.ts", "sdk/host/components.ts",
  ...components.flatMap((c) => [`${c.folder}/component.manifest`, ...(c.protocol ? [c.protocol] : [])])];
if (existsSync(join(root, "ipc/generate.ts")) && (process.argv.includes("--ipc") || stale(ipcStamp, ipcSources))) {
  const generator = join(out, "host", "ipc.js");
  await esbuild.build({ entryPoints: [join(root, "ipc/generate.ts")], outfile: generator, bundle: true, platform: "node",
    format: "esm", target: "node20", external: ["esbuild"], logLevel: "error" });
  log("ipc: generating from the table and the component folders' protocols");
  try {
    execFileSync(process.execPath, [generator, ...(quiet ? ["--quiet"] : [])], { cwd: root, stdio: "inherit" });
  } catch {
    // The generator said what is wrong (a mistake in the table, a declaration or a manifest).
    console.error("build: the ipc generator failed");
    process.exit(1);
  }
  writeFileSync(ipcStamp, "");
}

// AssemblyScript programs: [entry, output, source folders, extra asc flags]
const ascPrograms = [
  ["sdk/compiler/src/index.ts", "build/compiler.wasm", ["sdk/compiler/src"], ["--exportStart", "_initialize"]],
];
if (existsSync(join(root, "sdk/compiler/src/main.ts")))
  ascPrograms.push(["sdk/compiler/src/main.ts", "build/compiler-cli.wasm", ["sdk/compiler/src"], ["--exportStart", "_start"]]);
if (existsSync(join(root, "sdk/runtime/linux/index.ts")))
  ascPrograms.push(["sdk/runtime/linux/index.ts", "build/runtime-linux.wasm",
    ["sdk/runtime", "sdk/loader", "sdk/compiler/src/abi.ts", "sdk/compiler/src/module.ts", "sdk/compiler/src/link/format.ts"],
    // Nothing but delos:native imports: aborts go to the runtime's own handler, and
    // the exported table lets the runtime find its host functions' native code.
    ["--use", "abort=sdk/runtime/linux/abort/runtimeAbort", "--exportTable"]]);
// The component format and loader tests run this in V8 (tests/compiler/component.test.ts).
ascPrograms.push(["tests/compiler/assembly/component.ts", "build/tests/component.wasm",
  ["tests/compiler/assembly/component.ts", "sdk/loader", "sdk/compiler/src"], ["--exportStart", "_initialize"]]);
// The runtime tests: float printing in V8, and a WASI command run natively (tests/runtime/).
ascPrograms.push(["tests/runtime/assembly/float.ts", "build/tests/runtime-float.wasm",
  ["tests/runtime/assembly/float.ts", "sdk/runtime/linux/float.ts"], ["--exportStart", "_initialize"]]);
// The desktop's drawing library (desktop/lib), run in V8 by tests/desktop/graphics.test.ts.
ascPrograms.push(["tests/desktop/assembly/graphics.ts", "build/tests/desktop-graphics.wasm",
  ["tests/desktop/assembly/graphics.ts", "desktop/lib"], ["--exportStart", "_initialize", "--runtime", "incremental", "--exportRuntime"]]);
// The compositor's window manager and scene (desktop/compositor), run in V8 by tests/desktop/compositor.test.ts.
ascPrograms.push(["tests/desktop/assembly/compositor.ts", "build/tests/desktop-compositor.wasm",
  ["tests/desktop/assembly/compositor.ts", "desktop/lib", "desktop/compositor", "ipc/generated"],
  ["--exportStart", "_initialize", "--runtime", "incremental", "--exportRuntime"]]);
// The terminal core, the toolkit and the monitor's view (desktop/terminal, toolkit, monitor), run in V8 by tests/desktop.
for (const name of ["terminal", "toolkit", "monitor"])
  ascPrograms.push([`tests/desktop/assembly/${name}.ts`, `build/tests/desktop-${name}.wasm`,
    [`tests/desktop/assembly/${name}.ts`, "desktop", "ipc/generated"],
    ["--exportStart", "_initialize", "--runtime", "incremental", "--exportRuntime"]]);
ascPrograms.push(["tests/runtime/assembly/wasi.ts", "build/tests/runtime-wasi.wasm",
  ["tests/runtime/assembly/wasi.ts"], ["--exportStart", "_start"]]);

// The file-system library (sdk/lib/fs) as the host runs it, for `delos fs` and the tests (sdk/host/fs-volume.ts).
ascPrograms.push(["sdk/lib/fs/host-entry.ts", "build/fs.wasm", ["sdk/lib/fs"],
  ["--exportStart", "_initialize", "--runtime", "incremental", "--exportRuntime"]]);

// The image writer and the UEFI boot stub's generator (docs/boot.md).
if (existsSync(join(root, "sdk/image/index.ts")))
  ascPrograms.push(["sdk/image/index.ts", "build/image.wasm", ["sdk/image", "sdk/lib/compress"], ["--exportStart", "_initialize"]]);
if (existsSync(join(root, "kernel/arch/x86_64/boot/index.ts")))
  ascPrograms.push(["kernel/arch/x86_64/boot/index.ts", "build/boot.wasm",
    ["kernel/arch/x86_64/boot", "kernel/arch/x86_64/link", "kernel/arch/x86_64/link-info.ts", "sdk/compiler/src",
      "sdk/loader", "sdk/image", "sdk/lib/compress"], ["--exportStart", "_initialize"]]);
// The kernel (docs/kernel.md): AssemblyScript's own allocator and collector as its heap, its own
// abort, names kept for fault reports, initial memory enough for the boot before paging, and the
// table exported so that every function the kernel refers to by reference keeps its entry, and its
// shadow stack's globals exported (the transform) for the link's native fast path.
if (existsSync(join(root, "kernel/main.ts")))
  ascPrograms.push(["kernel/main.ts", "build/kernel.wasm", ["kernel", "sdk/compiler/src/abi.ts", "sdk/compiler/src/module.ts", "sdk/loader",
    "sdk/lib/compress", "sdk/build/shadow-stack-exports.mjs"],
    // --stackSize: the shadow stack holds a running area and a slot per thread (kernel/sched/kernel-shadow-stack.ts).
    ["--runtime", "incremental", "--use", "abort=kernel/abort/kernelAbort", "--exportStart", "_initialize",
      "--initialMemory", "16", "--exportTable", "--debug", "--stackSize", "294912", "--transform", "./sdk/build/shadow-stack-exports.mjs"]]);

// Components that run on Delos: every folder with a component.manifest under servers/, drivers/,
// desktop/ and tests/os/, and each folder's in-OS test (test.ts), each built to build/os/ with the flags
// of sdk/host/components.ts (componentAscFlags); images embed their manifests. A component whose
// manifest says `@image` (init, the test runner) is built once per image recipe that carries it, from an
// entry module generated into build/os/images/IMAGE/ that fills the image's component table
// (sdk/lib/image.ts) from the recipe and the folders' manifests.
/** The generated bindings of the component folders' own protocols, which components in any folder may import. */
const folderBindings = components.filter((c) => c.protocol).map((c) => `${c.folder}/generated`);
/** What a component's build depends on besides its own folder's root: the library, the bindings, the transform. */
const componentDependencies = (folder) => [folder.split("/")[0] === "tests" ? "tests/os" : folder.split("/")[0], "sdk/lib",
  "ipc/generated", "ipc/client", ...folderBindings, "sdk/compiler/src/traps.ts", SHADOW_STACK_EXPORTS, "sdk/host/components.ts"];
for (const component of components) {
  const sources = componentDependencies(component.folder);
  if (!component.perImage) ascPrograms.push([component.entry, component.output, sources, componentAscFlags(component), component.rewrite]);
  if (component.test) ascPrograms.push([component.test.entry, component.test.output, sources, componentAscFlags(component, true)]);
}
for (const file of readdirSync(join(root, "images")).filter((name) => name.endsWith(".json")).sort()) {
  const image = file.replace(/\.json$/, "");
  const recipe = JSON.parse(readFileSync(join(root, "images", file), "utf8"));
  if (!recipe.components) continue;
  const selection = orExit(() => selectComponents(recipe.components, components, `images/${file}`));
  for (const component of selection.components.filter((c) => c.perImage)) {
    const entry = `build/os/images/${image}/${component.name}.entry.ts`;
    const text = imageTableModule(component, image, selection, "../../../..");
    mkdirSync(join(root, dirname(entry)), { recursive: true });
    if (!existsSync(join(root, entry)) || readFileSync(join(root, entry), "utf8") !== text) writeFileSync(join(root, entry), text);
    ascPrograms.push([entry, imageOutput(component, image), [...componentDependencies(component.folder), entry], componentAscFlags(component),
      component.rewrite]);
  }
}

// AssemblyScript test programs (tests/**/assembly), run by the host tests.
ascPrograms.push(["tests/ipc/assembly/client.ts", "build/tests/ipc-client.wasm",
  ["tests/ipc/assembly/client.ts", "ipc/client", "ipc/generated"], ["--exportStart", "_initialize"]]);
ascPrograms.push(["tests/compiler/assembly/assembler-cases.ts", "build/tests/assembler-cases.wasm",
  ["tests/compiler/assembly/assembler-cases.ts", "sdk/compiler/src/x64"], ["--exportStart", "_initialize"]]);
ascPrograms.push(["tests/compiler/assembly/linux-stubs.ts", "build/tests/linux-stubs.wasm",
  ["tests/compiler/assembly/linux-stubs.ts", "sdk/compiler/src"], ["--exportStart", "_initialize"]]);

const asc = join(root, "node_modules", ".bin", "asc");
// An entry's optional fifth element: a module whose first export rewrites the output after asc.
for (const [entry, output, sources, flags, after] of ascPrograms) {
  const target = join(root, output);
  if (!stale(target, [entry, ...sources, "sdk/build/build.mjs", ...(after ? [after] : [])])) continue;
  log(`asc ${entry} -> ${output}`);
  const started = Date.now();
  execFileSync(asc, [entry, "-o", output, "-O3", "--runtime", "stub", ...flags], { cwd: root, stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit" });
  if (after) Object.values(await import(join(root, after)))[0](target);
  log(`  ${relative(root, target)} ${statSync(target).size} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Host tools and test entry points, bundled for Node.
const hostEntries = {
  delos: "sdk/cli/delos.ts",
  test: "tests/index.ts",
  bench: "tests/bench/index.ts",
  trace: "tests/bench/trace.ts",
  "fuzz-kernel": "tests/kernel/fuzz-kernel.ts",
  mutants: "tests/compiler/mutants.ts",
  torture: "tests/fs/torture.ts",
  "power-cut": "tests/storage/power-cut.ts",
};
for (const [name, entry] of Object.entries(hostEntries)) {
  if (!existsSync(join(root, entry))) continue;
  const target = join(out, "host", `${name}.js`);
  if (!stale(target, ["sdk", "tests", "ipc", "kernel", "images"].filter((d) => d !== "build"))) continue;
  log(`esbuild ${entry} -> ${relative(root, target)}`);
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile: target,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    external: ["binaryen", "@napi-rs/canvas", "esbuild"],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: "error",
  });
}
