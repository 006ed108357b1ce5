// Image recipes (images/*.json): what goes into which Delos disk image, and
// the build that turns a recipe into a disk image with the boot stub and the
// image writer. A recipe is data:
//
//   {
//     "description": "...",
//     "output": "build/delos.img",
//     "boot": { "width": 1024, "height": 768, "listMemoryMap": false },
//     "kernel": { "wasm": "build/kernel.wasm", "testFaults": false },
//     "esp": { "minMiB": 40, "label": "DELOS", "files": [ENTRY...] },
//     "system": { "minMiB": 8 },
//     "home": { "minMiB": 16 },
//     "payload": [ENTRY...],
//     "components": { "include": ["init", "tests/os/*"], "exclude": ["fuzz"], "boot": ["runner"] }
//   }
//
// "components" names the component folders the image carries
// (sdk/host/components.ts): by name, or `FOLDER/*` for every component found
// under FOLDER, less "exclude"; "boot" says which of them init starts at
// boot. Each goes into the payload at its place (test/NAME.wasm,
// system/NAME.wasm, ...) with its folder's manifest embedded and, unless it
// says `@precompile no`, its native code; so does each one's in-OS test
// when "tests" is true (the test image, whose runner runs them).
// init's list and the runner's table are generated from the same selection
// (sdk/build/build.mjs builds them per image).
//
// An ENTRY names a file of the image and where its bytes come from:
// { "name": "fonts/DejaVuSans.ttf", "source": "/usr/share/fonts/..." } (a file,
// or a directory whose files are added under "name/"), or { "name": ..., "text": "..." },
// or a component: { "name": "system/compiler.delos", "component": "build/compiler.wasm" }
// compiled now, or { "name": "system/init.wasm", "wasm": "build/os/init.wasm",
// "manifest": "servers/init/init.manifest", "precompile": true }, the wasm with
// its manifest embedded (sdk/host/manifest.ts) and, with "precompile", its native
// code in the payload's code cache (docs/kernel.md, "Loading components").
// { "name": "fonts/sans-13.atlas", "atlas": { "font": "/usr/share/fonts/.../DejaVuSans.ttf",
// "size": 13 } } is a glyph atlas rasterised now from the font (sdk/host/glyph-atlas.ts,
// docs/glyph-atlas.md), which the desktop reads with payload.read.
// "optional": true skips a missing source instead of failing. Relative
// sources are relative to the repository root. The ESP always gets
// EFI/BOOT/BOOTX64.EFI from the boot stub, with the kernel linked in when
// the recipe names one ("testFaults": the kernel takes serial keys that
// trigger deliberate faults, for the boot tests).
//
// The disk (docs/disk-layout.md): the ESP; the boot payload partition
// ("system.minMiB" at least), whose archive the boot stub loads; the system
// volume partition, a read-only Delos volume holding the payload's files
// under the same names, with its hash tree, whose record (root hash inside)
// the payload carries as system/volume.verity; and the user volume partition
// ("home.minMiB", default 16), an empty Delos volume for /home.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative } from "node:path";
import { buildBootStub } from "./boot-stub";
import { encodeGlyphAtlas, rasteriseGlyphAtlas } from "./glyph-atlas";
import { buildKernel } from "./kernel";
import { compileComponent } from "./linux";
import { installedCode } from "./installed-code";
import { prebuiltPath, withManifest } from "./manifest";
import { ComponentError, discoverComponents, imageOutput, selectComponents, type ImageComponents, type RecipeComponents } from "./components";
import { VERITY_PAYLOAD_NAME } from "./fs-volume";
import { buildDiskImage, type ImageFile } from "./image";
import { buildHomeVolume, buildSystemVolume, type SystemVolume } from "./system-volume";
import { repoRoot } from "./paths";

export class RecipeError extends Error {}

export interface RecipeEntry {
  name: string;
  source?: string;
  text?: string;
  optional?: boolean;
  /** A wasm module compiled at image build time into a component (the compiler: system/compiler.delos). */
  component?: string;
  /** A component's wasm, with `manifest` (a .manifest file) embedded as its delos.manifest section. */
  wasm?: string;
  manifest?: string;
  /** Or the manifest's text itself (a component folder's). */
  manifestText?: string;
  /** Also put native code compiled now into the payload's code cache (cache/HASH.delos). */
  precompile?: boolean;
  /** The tier of the precompiled code: 2 (the optimizing tier, the default) or 1 (the baseline; a component's `@tier 1`). */
  tier?: 1 | 2;
  /** A glyph atlas rasterised now from a TrueType font at a size in pixels (docs/glyph-atlas.md). */
  atlas?: { font: string; size: number };
}

export interface Recipe {
  /** The recipe's name: its file name without .json. */
  name: string;
  path: string;
  description: string;
  output: string;
  boot: { width?: number; height?: number; listMemoryMap?: boolean };
  kernel: { wasm?: string; testFaults?: boolean } | null;
  esp: { minMiB?: number; label?: string; files?: RecipeEntry[] };
  system: { minMiB?: number };
  home: { minMiB?: number };
  payload: RecipeEntry[];
  components: RecipeComponents | null;
}

export const imagesDir = join(repoRoot, "images");

/** Finds a recipe by name ("desktop", "test") or path and reads it. */
export function readRecipe(nameOrPath: string): Recipe {
  const path = nameOrPath.endsWith(".json") || nameOrPath.includes("/") ? nameOrPath : join(imagesDir, `${nameOrPath}.json`);
  if (!existsSync(path)) {
    const known = existsSync(imagesDir) ? readdirSync(imagesDir).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")) : [];
    throw new RecipeError(`no image recipe ${JSON.stringify(nameOrPath)} (recipes: ${known.join(", ") || "none"})`);
  }
  let data: any;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new RecipeError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== "object" || data === null) throw new RecipeError(`${path}: a recipe is a JSON object`);
  const name = basename(path).replace(/\.json$/, "");
  return {
    name,
    path,
    description: String(data.description ?? ""),
    output: String(data.output ?? `build/${name}.img`),
    boot: data.boot ?? {},
    kernel: typeof data.kernel === "object" && data.kernel !== null ? data.kernel : null,
    esp: data.esp ?? {},
    system: data.system ?? {},
    home: data.home ?? {},
    payload: Array.isArray(data.payload) ? data.payload : [],
    components: typeof data.components === "object" && data.components !== null ? data.components : null,
  };
}

function resolveSource(source: string): string {
  return isAbsolute(source) ? source : join(repoRoot, source);
}

function filesUnder(directory: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else found.push(path);
    }
  };
  visit(directory);
  return found;
}

/** The files an entry list stands for, in a stable order. */
export function expandEntries(recipe: Recipe, entries: RecipeEntry[], area: "esp" | "payload", note: (text: string) => void): ImageFile[] {
  const files: ImageFile[] = [];
  for (const entry of entries) {
    if (typeof entry?.name !== "string" || !entry.name) throw new RecipeError(`${recipe.path}: every entry needs a "name"`);
    if (typeof entry.text === "string") {
      files.push({ area, path: entry.name, data: new TextEncoder().encode(entry.text) });
      continue;
    }
    if (typeof entry.component === "string" || typeof entry.wasm === "string") {
      files.push(...componentFiles(recipe, entry, area, note));
      continue;
    }
    if (entry.atlas !== undefined) {
      files.push(...atlasFiles(recipe, entry, area, note));
      continue;
    }
    if (typeof entry.source !== "string") throw new RecipeError(`${recipe.path}: entry ${entry.name} needs "source" or "text"`);
    const source = resolveSource(entry.source);
    if (!existsSync(source)) {
      if (entry.optional) { note(`skipping ${entry.name}: ${entry.source} is not there (optional)`); continue; }
      throw new RecipeError(`${recipe.path}: ${entry.name}: ${entry.source} does not exist`);
    }
    if (statSync(source).isDirectory()) {
      for (const file of filesUnder(source)) {
        files.push({ area, path: `${entry.name.replace(/\/$/, "")}/${relative(source, file)}`, data: readFileSync(file) });
      }
    } else {
      files.push({ area, path: entry.name, data: readFileSync(source) });
    }
  }
  return files;
}

/** An atlas entry's file: the font rasterised at its size, or nothing when an optional font is missing. */
function atlasFiles(recipe: Recipe, entry: RecipeEntry, area: "esp" | "payload", note: (text: string) => void): ImageFile[] {
  const { font, size } = entry.atlas ?? ({} as { font?: unknown; size?: unknown });
  if (typeof font !== "string" || typeof size !== "number" || !Number.isInteger(size) || size < 6 || size > 96) {
    throw new RecipeError(`${recipe.path}: ${entry.name}: "atlas" takes {"font": "FILE.ttf", "size": 6..96}`);
  }
  const source = resolveSource(font);
  if (!existsSync(source)) {
    if (entry.optional) { note(`skipping ${entry.name}: ${font} is not there (optional)`); return []; }
    throw new RecipeError(`${recipe.path}: ${entry.name}: font ${font} does not exist (install fonts-dejavu-core)`);
  }
  return [{ area, path: entry.name, data: encodeGlyphAtlas(rasteriseGlyphAtlas({ font: source, size })) }];
}

/** A component entry's files: the compiled compiler, or a wasm with its manifest (and its precompiled code). */
function componentFiles(recipe: Recipe, entry: RecipeEntry, area: "esp" | "payload", note: (text: string) => void): ImageFile[] {
  const source = resolveSource((entry.component ?? entry.wasm)!);
  if (!existsSync(source)) {
    if (entry.optional) { note(`skipping ${entry.name}: ${entry.component ?? entry.wasm} is not there (optional)`); return []; }
    throw new RecipeError(`${recipe.path}: ${entry.name}: ${entry.component ?? entry.wasm} does not exist (run node sdk/build/build.mjs)`);
  }
  const wasm = new Uint8Array(readFileSync(source));
  // The compiler's own code stays the baseline's (docs/compiler.md, "Installed code").
  if (typeof entry.component === "string") return [{ area, path: entry.name, data: compileComponent(wasm, { tier: 1 }) }];
  const module = entryModule(recipe, entry, wasm);
  const files: ImageFile[] = [{ area, path: entry.name, data: module }];
  if (entry.precompile) files.push({ area, path: prebuiltPath(module), data: installedCode(module, entry.tier ?? 2) });
  return files;
}

/** The module an image carries for a wasm entry: its wasm with the entry's manifest (text or file) embedded, if it has one. */
export function entryModule(recipe: Recipe, entry: RecipeEntry, wasm: Uint8Array): Uint8Array {
  if (typeof entry.manifestText === "string") return withManifest(wasm, entry.manifestText);
  if (typeof entry.manifest !== "string") return wasm;
  const manifest = resolveSource(entry.manifest);
  if (!existsSync(manifest)) throw new RecipeError(`${recipe.path}: ${entry.name}: manifest ${entry.manifest} does not exist`);
  return withManifest(wasm, readFileSync(manifest, "utf8"));
}

/** The components the recipe names (none without "components"), resolved against the component folders. */
export function recipeComponents(recipe: Recipe): ImageComponents {
  if (!recipe.components) return { components: [], boot: [] };
  try {
    return selectComponents(recipe.components, discoverComponents(), recipe.path);
  } catch (error) {
    if (error instanceof ComponentError) throw new RecipeError(error.message);
    throw error;
  }
}

/** The payload files of the recipe's components: each one's wasm with its folder's manifest, and its test's. */
export function componentEntries(recipe: Recipe): RecipeEntry[] {
  const entries: RecipeEntry[] = [];
  for (const component of recipeComponents(recipe).components) {
    entries.push({ name: component.payload, wasm: component.perImage ? imageOutput(component, recipe.name) : component.output,
      manifestText: component.manifest, precompile: component.precompile, tier: component.tier });
    const test = component.test;
    if (test && recipe.components?.tests) entries.push({ name: test.payload, wasm: test.output, manifestText: test.manifest, precompile: true });
  }
  return entries;
}

export interface BuiltImage {
  image: Uint8Array;
  bootStub: Uint8Array;
  /** Files in the payload archive and their bytes (as the kernel reads them, expanded), the verity record included. */
  payloadFiles: number;
  payloadBytes: number;
  /** The payload archive's files themselves, for a breakdown (tests/bench/desktop.ts). */
  payload: ImageFile[];
  systemVolume: SystemVolume;
}

/** The user volume's size when the recipe does not say. */
const DEFAULT_HOME_MIB = 16;

/** Builds the disk image a recipe describes; `progress` receives one line per step. */
export function buildRecipe(recipe: Recipe, progress: (line: string) => void = () => {}): BuiltImage {
  let started = performance.now();
  const step = (text: string) => {
    const now = performance.now();
    progress(`${text} (${((now - started) / 1000).toFixed(2)} s)`);
    started = now;
  };
  const kernel = recipe.kernel ? buildKernel(recipe.kernel.wasm) : null;
  if (kernel) step(`kernel: ${recipe.kernel!.wasm ?? "build/kernel.wasm"} ${kernel.wasm.length} bytes, compiled ${kernel.component.length} bytes`);
  const bootStub = buildBootStub({
    width: recipe.boot.width, height: recipe.boot.height, listMemoryMap: recipe.boot.listMemoryMap,
    kernelComponent: kernel?.component, kernelWasm: kernel?.wasm, testFaults: recipe.kernel?.testFaults === true,
  });
  step(`boot stub${kernel ? " and kernel" : ""}: BOOTX64.EFI ${bootStub.length} bytes`);
  const files = expandEntries(recipe, [...recipe.payload, ...componentEntries(recipe)], "payload", progress);
  const espExtra = expandEntries(recipe, recipe.esp.files ?? [], "esp", progress);
  const system = buildSystemVolume(files);
  step(`system volume: ${system.files} files in ${system.directories} directories, ${system.volumeBlocks} blocks, `
    + `hash tree ${system.treeBlocks} blocks, root ${system.root}`);
  const homeMiB = recipe.home.minMiB ?? DEFAULT_HOME_MIB;
  if (!Number.isInteger(homeMiB) || homeMiB < 1) throw new RecipeError(`${recipe.path}: "home": {"minMiB"} must be a whole number of MiB, 1 or more`);
  const home = buildHomeVolume(homeMiB);
  const payload: ImageFile[] = [...files, { area: "payload", path: VERITY_PAYLOAD_NAME, data: system.record }];
  const payloadBytes = payload.reduce((sum, file) => sum + file.data.length, 0);
  step(`payload: ${payload.length} files, ${payloadBytes} bytes; home volume ${homeMiB} MiB`);
  const image = buildDiskImage({
    files: [{ area: "esp", path: "EFI/BOOT/BOOTX64.EFI", data: bootStub }, ...espExtra, ...payload,
      { area: "system-volume", path: "", data: system.partition }, { area: "home-volume", path: "", data: home }],
    espMinMiB: recipe.esp.minMiB,
    systemMinMiB: recipe.system.minMiB,
    volumeLabel: recipe.esp.label,
  });
  step(`disk: GPT with ESP (FAT32), boot payload, system and home partitions, ${(image.length / (1 << 20)).toFixed(1)} MiB`);
  return { image, bootStub, payloadFiles: payload.length, payloadBytes, payload, systemVolume: system };
}
