// Components as folders: a folder holding a `component.manifest` is a
// component. The build (sdk/build/build.mjs) finds every one under
// COMPONENT_ROOTS and compiles it; image recipes name components, and init's
// start list and the test runner's grants and tests are generated from the
// recipe and these folders (images/README.md, servers/init/list.ts).
//
// The manifest is the kernel's text (docs/kernel.md, "Manifests and
// capabilities": name, kind, priority, serve, open, state, spawn, port, irq,
// mmio and the limits) plus lines for the build and the supervisor, each
// beginning with `@`, which the kernel's parser skips:
//
//   @parent init            who starts it: init, from its list (the default); a
//                           component's name (that component spawns it itself and
//                           gets its grant in its image table); `none` (loaded by
//                           path only: a new version for init.replace); `kernel`
//                           (init itself)
//   @order 10               start order among the components init starts at boot
//                           (lower first; default 100)
//   @restart always         under init: restarted whenever it ends (the default),
//                           or `never` (it runs to its end)
//   @runtime stub           AssemblyScript's runtime: `stub` (the default) or `full`
//                           (allocator and collector, 16 shadow-stack slots)
//   @asc --disable X        extra asc flags
//   @rewrite FILE.mjs       a module (in the folder) whose first export rewrites the
//                           wasm after asc
//   @precompile no          left for the kernel to compile at run time (default: the
//                           image carries its native code)
//   @tier 1                 the image carries the baseline's code for it, not the
//                           optimizing tier's (the default, 2): for a test whose
//                           point is the baseline's frame (hostile-overflow's huge
//                           frames, which the optimizing tier makes small)
//   @image                  built once per image that carries it, with the image's
//                           component table (init and the test runner)
//   @test LINE              a line of the grant its in-OS test gets; the test is the
//                           folder's `test.ts`, run by the test runner
//   @protocol FILE.ts       the folder's own protocols, declared in FILE.ts (in the
//                           folder) as the table's are: `export const protocols:
//                           Protocol[]`; the ipc generator writes their bindings and
//                           server side into the folder's generated/ (docs/ipc.md)
//
// The component's name, for the build and the recipes, is its folder's;
// the entry is NAME.ts in the folder. Its grant is the manifest's kernel
// lines without `name`: the image gives the component what its folder's
// manifest says, and the manifest embedded in the wasm is the same text, so
// it asks for no more than it is given.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./paths";

/** The manifest's file name in every component folder. */
export const COMPONENT_MANIFEST = "component.manifest";
/** The folders searched for components, relative to the repository root. */
export const COMPONENT_ROOTS = ["servers", "drivers", "desktop", "tests/os"];
/** The in-OS test of a component folder. */
export const COMPONENT_TEST = "test.ts";

export class ComponentError extends Error {}

/** The kernel's manifest entries (kernel/component/manifest.ts); the host checks the words, the kernel the values. */
const KERNEL_KEYS = new Set(["name", "kind", "priority", "serve", "open", "state", "spawn", "read", "port", "irq", "mmio",
  "dma", "firmware", "device", "system", "ceiling", "threads", "pages", "table", "handles", "pulses", "objects"]);
const KINDS = new Set(["driver", "server", "app", "test", "supervisor"]);
/** A component's name: its folder's (at most 58 characters, so that NAME-test fits the kernel's 63). */
export const COMPONENT_NAME = /^[a-z][a-z0-9-]{0,57}$/;

export interface ComponentTest {
  /** NAME-test. */
  name: string;
  entry: string;
  payload: string;
  output: string;
  /** What the runner grants it (the folder's `@test` lines). */
  grant: string;
  /** The manifest embedded in its wasm. */
  manifest: string;
}

export interface Component {
  /** The folder's name: what recipes, init's list and the build call it. */
  name: string;
  /** The folder, relative to the repository root. */
  folder: string;
  entry: string;
  /** The manifest's `name`: the kernel's name for it. */
  identity: string;
  kind: string;
  /** The manifest's kernel lines, as embedded in the wasm. */
  manifest: string;
  /** What its parent grants it: the kernel lines without `name`. */
  grant: string;
  parent: string;
  order: number;
  restart: boolean;
  runtime: "stub" | "full";
  ascFlags: string[];
  /** The rewrite module, relative to the repository root, or null. */
  rewrite: string | null;
  /** The declaration of the folder's own protocols (`@protocol`), relative to the repository root, or null. */
  protocol: string | null;
  precompile: boolean;
  /** The tier of the native code the image carries (`@tier`). */
  tier: 1 | 2;
  perImage: boolean;
  /** Where it lies in an image's payload (test/echo.wasm, system/init.wasm). */
  payload: string;
  /** The wasm the build writes (for a per-image component: the image's, see imageOutput). */
  output: string;
  test: ComponentTest | null;
}

/** The payload folder of a component under `folder`: tests under test/, drivers, apps, the rest under system/. */
function payloadArea(folder: string): string {
  if (folder.startsWith("tests/os/")) return "test";
  if (folder.startsWith("drivers/")) return "drivers";
  if (folder.startsWith("desktop/apps/")) return "apps";
  return "system";
}

/** Reads one component folder's manifest. */
export function readComponent(folder: string, root: string = repoRoot): Component {
  const path = join(root, folder, COMPONENT_MANIFEST);
  const name = folder.split("/").pop()!;
  const where = (line: number) => `${relative(root, path)}:${line}`;
  if (!COMPONENT_NAME.test(name)) throw new ComponentError(`${relative(root, join(root, folder))}: a component folder's name is lowercase letters, digits and '-', starting with a letter`);
  const text = readFileSync(path, "utf8");
  const kernelLines: string[] = [];
  const testLines: string[] = [];
  const component: Component = {
    name, folder, entry: `${folder}/${name}.ts`, identity: "", kind: "", manifest: "", grant: "", parent: "init", order: 100,
    restart: true, runtime: "stub", ascFlags: [], rewrite: null, protocol: null, precompile: true, tier: 2, perImage: false,
    payload: `${payloadArea(folder + "/")}/${name}.wasm`, output: "", test: null,
  };
  const seen = new Set<string>();
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const words = raw.replace(/#.*/, "").trim().split(/\s+/).filter((word) => word.length > 0);
    if (words.length === 0) return;
    const [key, ...args] = words as [string, ...string[]];
    if (!key.startsWith("@")) {
      if (!KERNEL_KEYS.has(key)) throw new ComponentError(`${where(line)}: unknown entry "${key}"`);
      if (key === "name") component.identity = args[0] ?? "";
      if (key === "kind") {
        if (!KINDS.has(args[0] ?? "")) throw new ComponentError(`${where(line)}: kind is driver, server, app, test or supervisor`);
        component.kind = args[0]!;
      }
      kernelLines.push(words.join(" "));
      return;
    }
    const one = () => {
      if (args.length !== 1) throw new ComponentError(`${where(line)}: ${key} takes one word`);
      return args[0]!;
    };
    if (key !== "@test" && key !== "@asc") {
      if (seen.has(key)) throw new ComponentError(`${where(line)}: ${key} given twice`);
      seen.add(key);
    }
    switch (key) {
      case "@parent": component.parent = one(); break;
      case "@order": {
        const order = Number(one());
        if (!Number.isInteger(order) || order < 0) throw new ComponentError(`${where(line)}: @order takes a whole number`);
        component.order = order;
        break;
      }
      case "@restart": {
        const value = one();
        if (value !== "always" && value !== "never") throw new ComponentError(`${where(line)}: @restart is always or never`);
        component.restart = value === "always";
        break;
      }
      case "@runtime": {
        const value = one();
        if (value !== "stub" && value !== "full") throw new ComponentError(`${where(line)}: @runtime is stub or full`);
        component.runtime = value;
        break;
      }
      case "@asc":
        if (args.length === 0) throw new ComponentError(`${where(line)}: @asc takes flags`);
        component.ascFlags.push(...args);
        break;
      case "@rewrite": {
        const file = `${folder}/${one()}`;
        if (!existsSync(join(root, file))) throw new ComponentError(`${where(line)}: @rewrite: ${file} does not exist`);
        component.rewrite = file;
        break;
      }
      case "@protocol": {
        const file = `${folder}/${one()}`;
        if (!file.endsWith(".ts")) throw new ComponentError(`${where(line)}: @protocol names a TypeScript file (protocol.ts)`);
        if (!existsSync(join(root, file))) throw new ComponentError(`${where(line)}: @protocol: ${file} does not exist`);
        component.protocol = file;
        break;
      }
      case "@precompile": {
        const value = one();
        if (value !== "yes" && value !== "no") throw new ComponentError(`${where(line)}: @precompile is yes or no`);
        component.precompile = value === "yes";
        break;
      }
      case "@tier": {
        const value = one();
        if (value !== "1" && value !== "2") throw new ComponentError(`${where(line)}: @tier is 1 (the baseline) or 2 (the optimizing tier)`);
        component.tier = value === "1" ? 1 : 2;
        break;
      }
      case "@image":
        if (args.length !== 0) throw new ComponentError(`${where(line)}: @image takes nothing`);
        component.perImage = true;
        break;
      case "@test":
        if (args.length === 0 || !KERNEL_KEYS.has(args[0]!) || args[0] === "name") throw new ComponentError(`${where(line)}: @test takes a grant line (open /x, spawn FILE, ...)`);
        testLines.push(args.join(" "));
        break;
      default:
        throw new ComponentError(`${where(line)}: unknown entry "${key}"`);
    }
  });
  if (!component.identity) throw new ComponentError(`${where(1)}: the manifest names no component (name ...)`);
  if (!component.kind) throw new ComponentError(`${where(1)}: the manifest gives no kind (kind driver|server|app|test|supervisor)`);
  if (!existsSync(join(root, component.entry))) throw new ComponentError(`${relative(root, join(root, folder))}: no ${name}.ts, the component's entry`);
  if (component.parent === "init" && component.identity !== name && name !== "init") {
    throw new ComponentError(`${where(1)}: a component init starts is named after its folder (name ${name}, not ${component.identity})`);
  }
  component.manifest = kernelLines.join("\n") + "\n";
  component.grant = kernelLines.filter((entry) => !entry.startsWith("name ")).join("\n");
  component.output = `build/os/${component.payload}`;
  const testEntry = `${folder}/${COMPONENT_TEST}`;
  if (existsSync(join(root, testEntry))) {
    const testName = `${name}-test`;
    const grant = testLines.join("\n");
    component.test = {
      name: testName, entry: testEntry, payload: `test/${testName}.wasm`, output: `build/os/test/${testName}.wasm`, grant,
      manifest: `name ${testName}\nkind test\n${grant}${grant ? "\n" : ""}`,
    };
  } else if (testLines.length > 0) {
    throw new ComponentError(`${where(1)}: @test lines but no ${COMPONENT_TEST} in the folder`);
  }
  return component;
}

/** Every component folder under COMPONENT_ROOTS, sorted by folder; names are unique. */
export function discoverComponents(root: string = repoRoot): Component[] {
  const folders: string[] = [];
  const visit = (folder: string) => {
    const full = join(root, folder);
    if (existsSync(join(full, COMPONENT_MANIFEST))) { folders.push(folder); return; }
    for (const entry of readdirSync(full).sort()) {
      if (entry.startsWith(".") || entry === "node_modules") continue;
      if (statSync(join(full, entry)).isDirectory()) visit(`${folder}/${entry}`);
    }
  };
  for (const top of COMPONENT_ROOTS) if (existsSync(join(root, top))) visit(top);
  const components = folders.sort().map((folder) => readComponent(folder, root));
  const byName = new Map<string, Component>();
  for (const component of components) {
    const other = byName.get(component.name) ?? byName.get(component.test?.name ?? "");
    if (other) throw new ComponentError(`two components named ${component.name}: ${other.folder} and ${component.folder}`);
    byName.set(component.name, component);
    if (component.test) byName.set(component.test.name, component);
  }
  for (const component of components) {
    if (!["init", "none", "kernel"].includes(component.parent) && !byName.has(component.parent)) {
      throw new ComponentError(`${component.folder}/${COMPONENT_MANIFEST}: @parent ${component.parent}: no such component`);
    }
  }
  return components;
}

/** What an image recipe says of components: which it carries, and which init starts at boot. */
export interface RecipeComponents {
  /** Component names, or `FOLDER/*`: every component found under FOLDER. */
  include: string[];
  exclude?: string[];
  boot?: string[];
  /** Whether each component's in-OS test goes in too (the test image's runner runs them); default false. */
  tests?: boolean;
}

/** The components of an image, in discovery order, and the names init starts at boot. */
export interface ImageComponents {
  components: Component[];
  boot: string[];
}

/** Resolves a recipe's `components` against the discovered ones; `where` names the recipe in errors. */
export function selectComponents(spec: RecipeComponents, all: Component[], where: string): ImageComponents {
  if (!Array.isArray(spec.include)) throw new ComponentError(`${where}: "components" needs an "include" list`);
  const chosen = new Set<string>();
  const byName = new Map(all.map((component) => [component.name, component]));
  for (const item of spec.include) {
    if (typeof item !== "string") throw new ComponentError(`${where}: components.include holds names and FOLDER/* patterns`);
    if (item.endsWith("/*")) {
      const prefix = item.slice(0, -1);
      for (const component of all) if (component.folder.startsWith(prefix)) chosen.add(component.name);
    } else if (byName.has(item)) {
      chosen.add(item);
    } else {
      throw new ComponentError(`${where}: components.include: no component ${JSON.stringify(item)} (folders with a ${COMPONENT_MANIFEST} under ${COMPONENT_ROOTS.join(", ")})`);
    }
  }
  for (const item of spec.exclude ?? []) {
    if (!byName.has(item)) throw new ComponentError(`${where}: components.exclude: no component ${JSON.stringify(item)}`);
    chosen.delete(item);
  }
  const boot = spec.boot ?? [];
  for (const name of boot) {
    const component = byName.get(name);
    if (!component || !chosen.has(name)) throw new ComponentError(`${where}: components.boot: ${JSON.stringify(name)} is not a component of the image`);
    if (component.parent !== "init") throw new ComponentError(`${where}: components.boot: ${name} is started by ${component.parent}, not by init`);
  }
  if (boot.length > 0 && !chosen.has("init")) throw new ComponentError(`${where}: components.boot needs init in the image`);
  return { components: all.filter((component) => chosen.has(component.name)), boot };
}

/** Where the build writes a per-image component's wasm for image `image`. */
export function imageOutput(component: Component, image: string): string {
  return `build/os/images/${image}/${component.name}.wasm`;
}

/** The asc transform that exports a component's shadow stack (docs/kernel.md, "Threads of one component"). */
export const SHADOW_STACK_EXPORTS = "sdk/build/shadow-stack-exports.mjs";

/**
 * asc's flags for a component (after `ENTRY -o OUTPUT -O3 --runtime stub`,
 * run in the repository root): AssemblyScript's start code in _initialize
 * (the kernel runs it, then _start), names for fault reports, the
 * components' abort (sdk/lib/abort.ts), the table exported (thread.create
 * calls its elements from outside the module, and binaryen, seeing no
 * call_indirect of a thread entry's type inside, would otherwise replace
 * those functions by `unreachable`), the shadow stack's exports; with
 * `@runtime full` AssemblyScript's allocator and collector and a shadow
 * stack of a 32 KiB running area and 16 slots of 2 KiB, one per thread
 * (kernel/component/shadow-stack.ts); then the folder's `@asc` flags. A
 * component's in-OS test gets the same with `test`.
 */
export function componentAscFlags(component: Component, test = false): string[] {
  const flags = ["--exportStart", "_initialize", "--debug", "--use", "abort=sdk/lib/abort/abort", "--exportTable",
    "--transform", `./${SHADOW_STACK_EXPORTS}`];
  if (test) return flags;
  if (component.runtime === "full") flags.push("--runtime", "incremental", "--stackSize", "65536");
  return [...flags, ...component.ascFlags];
}

/** An AssemblyScript string literal. */
function literal(text: string): string {
  return JSON.stringify(text);
}

/**
 * The entry module a per-image component is compiled from for `image`: it
 * fills the image table (sdk/lib/image.ts) at start-up and exports the
 * component's own entry's `_start`. `entryFrom` is the path from the
 * module's folder to the repository root.
 */
export function imageTableModule(component: Component, image: string, selection: ImageComponents, toRoot: string): string {
  const lines = [
    `// The component table of image ${image}, generated by sdk/build/build.mjs from images/${image}.json and the`,
    `// component folders' manifests, and the entry of ${component.name} as built for that image.`,
    ``,
    `import { addImageComponent } from "${toRoot}/sdk/lib/image";`,
    ``,
  ];
  for (const c of selection.components) {
    const bootIndex = selection.boot.indexOf(c.name);
    const test = c.test;
    lines.push(`addImageComponent(${literal(c.name)}, ${literal(c.payload)}, ${literal(c.grant)}, ${literal(c.parent)}, `
      + `${bootIndex < 0 ? -1 : c.order}, ${c.restart}, ${literal(test?.name ?? "")}, ${literal(test?.payload ?? "")}, ${literal(test?.grant ?? "")});`);
  }
  lines.push(``, `export { _start } from "${toRoot}/${component.entry.replace(/\.ts$/, "")}";`, ``);
  return lines.join("\n");
}
