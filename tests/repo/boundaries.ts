// The folder boundaries of the repository, as rules over import statements.
// Each top-level README says the same in prose; this is what enforces it.
// Inside the kernel, the same for its layers (kernel/README.md): a file
// imports from its own layer and those below it, never from above, and no
// import cycle reaches kernel/arch/ or kernel/debug/.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
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

/**
 * A component folder's generated client bindings (its own protocols',
 * ipc/generator/folders.ts): message layouts, which a component in any
 * folder may import to talk to it, as it imports ipc/generated. Nothing
 * else of another component's folder is.
 */
const FOLDER_BINDINGS = /^(servers|drivers|desktop)\/(.+\/)?generated\/protocols\/[^/]+$/;
const COMPONENT_AREAS = ["servers/", "drivers/", "desktop/"];

/**
 * The kernel's layers, bottom first: paths (a folder ending in `/`, or a
 * file) relative to the repository root. A kernel file may import from its
 * own layer and the layers below it. Within the core, a thread, its
 * component and the scheduler refer to one another, so sched/, object/
 * and component/ form one layer.
 */
export const kernelLayers: Array<{ name: string; paths: string[] }> = [
  {
    name: "machine (arch, memory, debug, console, clock)",
    paths: ["kernel/arch/", "kernel/memory/", "kernel/debug/", "kernel/console.ts", "kernel/time.ts", "kernel/timer.ts",
      "kernel/screen.ts", "kernel/abort.ts", "kernel/generated/abi.ts"],
  },
  { name: "core (sched, object, component)", paths: ["kernel/sched/", "kernel/object/", "kernel/component/"] },
  { name: "system calls (syscall)", paths: ["kernel/syscall/"] },
  { name: "dispatch (generated)", paths: ["kernel/generated/dispatch.ts"] },
  { name: "boot (main, test faults)", paths: ["kernel/main.ts", "kernel/test/"] },
];

/** The index in kernelLayers of a kernel file (relative to the root, with its extension), -1 when no layer names it. */
export function kernelLayerOf(file: string): number {
  let best = -1, bestLength = 0;
  kernelLayers.forEach((layer, index) => {
    for (const path of layer.paths) {
      const hit = path.endsWith("/") ? file.startsWith(path) : file === path;
      if (hit && path.length > bestLength) { best = index; bestLength = path.length; }
    }
  });
  return best;
}

/** Where a relative import of `file` leads, as a path relative to the root (`.ts` added when the import names none). */
function resolveImport(file: string, target: string, exists: (path: string) => boolean): string {
  const resolved = relative("/", resolve("/", dirname(file), target));
  if (/\.(ts|mts|js|mjs)$/.test(resolved)) return resolved;
  if (!exists(`${resolved}.ts`) && exists(`${resolved}/index.ts`)) return `${resolved}/index.ts`;
  return `${resolved}.ts`;
}

/** The layer rule for one kernel file: imports from a higher layer, or a file in no layer. */
function checkKernelLayers(file: string, source: string, exists: (path: string) => boolean): Violation[] {
  if (!file.startsWith("kernel/") || !file.endsWith(".ts")) return [];
  const layer = kernelLayerOf(file);
  if (layer < 0) return [{ file, line: 1, target: file, rule: "every kernel file belongs to a layer: add its folder to kernelLayers (tests/repo/boundaries.ts) and kernel/README.md" }];
  const violations: Violation[] = [];
  for (const { target, line } of importsOf(source)) {
    if (!target.startsWith(".")) continue;
    const resolved = resolveImport(file, target, exists);
    if (!resolved.startsWith("kernel/")) continue;
    const targetLayer = kernelLayerOf(resolved);
    if (targetLayer > layer) {
      violations.push({ file, line, target, rule: `the kernel's layers: ${kernelLayers[layer].name} imports nothing from ${kernelLayers[targetLayer].name}` });
    }
  }
  return violations;
}

/**
 * Import cycles among kernel files (`sources`: path relative to the root ->
 * text) that reach kernel/arch/ or kernel/debug/: each as the files of one
 * strongly connected component, sorted. The lowest layers must call up
 * through functions registered at boot, never by importing.
 */
export function bottomCycles(sources: Map<string, string>): string[][] {
  const exists = (path: string) => sources.has(path);
  const edges = new Map<string, string[]>();
  for (const [file, source] of sources) {
    const targets = importsOf(source).filter((i) => i.target.startsWith(".")).map((i) => resolveImport(file, i.target, exists));
    edges.set(file, targets.filter((t) => sources.has(t)));
  }
  // Tarjan's strongly connected components, iteratively deep enough for any tree.
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const connect = (file: string): void => {
    index.set(file, next); low.set(file, next); next++;
    stack.push(file); onStack.add(file);
    for (const target of edges.get(file)!) {
      if (!index.has(target)) { connect(target); low.set(file, Math.min(low.get(file)!, low.get(target)!)); }
      else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    let member: string;
    do { member = stack.pop()!; onStack.delete(member); members.push(member); } while (member !== file);
    const cyclic = members.length > 1 || edges.get(file)!.includes(file);
    if (cyclic && members.some((m) => m.startsWith("kernel/arch/") || m.startsWith("kernel/debug/"))) cycles.push(members.sort());
  };
  for (const file of sources.keys()) if (!index.has(file)) connect(file);
  return cycles;
}

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

/**
 * Checks one file's imports against the rules and, for a kernel file, the
 * kernel's layers; `file` is relative to the root, `exists` tells whether
 * a path relative to the root is a file (to resolve imports of folders).
 */
export function checkFile(file: string, source: string, exists: (path: string) => boolean = () => false): Violation[] {
  const violations: Violation[] = checkKernelLayers(file, source, exists);
  for (const { target, line } of importsOf(source)) {
    const resolved = target.startsWith(".") ? relative("/", resolve("/", dirname(file), target)) : target;
    const isNode = target.startsWith("node:") || ["fs", "path", "child_process", "os", "url"].includes(target);
    if (FOLDER_BINDINGS.test(resolved) && COMPONENT_AREAS.some((area) => file.startsWith(area))) continue;
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
  const exists = (path: string) => existsSync(join(root, path));
  const kernelSources = new Map<string, string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === "node_modules" || entry === "build" || entry.startsWith(".")) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.(ts|mts|js|mjs)$/.test(entry)) {
        const file = relative(root, path), source = readFileSync(path, "utf8");
        violations.push(...checkFile(file, source, exists));
        if (file.startsWith("kernel/") && file.endsWith(".ts")) kernelSources.set(file, source);
      }
    }
  };
  for (const top of ["kernel", "ipc", "servers", "drivers", "desktop", "sdk"]) {
    try { visit(join(root, top)); } catch { /* folder not there yet */ }
  }
  for (const cycle of bottomCycles(kernelSources)) {
    violations.push({ file: cycle[0], line: 1, target: cycle.join(" "), rule: "no import cycle reaches kernel/arch/ or kernel/debug/: they call up through functions registered at boot" });
  }
  return violations;
}
