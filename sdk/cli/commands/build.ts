// `delos build [RECIPE] [-o FILE]`: builds a Delos disk image from a recipe in
// images/ (default: desktop -> build/delos.img), printing a line per step.

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";
import { BootStubError } from "../../host/boot-stub";
import { CompileError } from "../../host/compiler";
import { ImageError } from "../../host/image";
import { KernelError } from "../../host/kernel";
import { repoRoot } from "../../host/paths";
import { buildRecipe, readRecipe, RecipeError } from "../../host/recipe";
import { CliCommand, optionValue, UsageError } from "../command";

export interface BuildResult { path: string; bytes: number; }

/** Builds `recipeName` into its output (or `output`), reporting each step with `print`. */
export function buildImageFile(recipeName: string, output: string | null, print: (line: string) => void): BuildResult {
  const started = performance.now();
  try {
    const recipe = readRecipe(recipeName);
    const target = output ?? (isAbsolute(recipe.output) ? recipe.output : join(repoRoot, recipe.output));
    print(`build: image ${recipe.name} (${relative(repoRoot, recipe.path)})`);
    const built = buildRecipe(recipe, (line) => print(`build:   ${line}`));
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    writeFileSync(partial, built.image);
    renameSync(partial, target);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    print(`build: wrote ${relative(process.cwd(), target) || target} (${(built.image.length / (1 << 20)).toFixed(1)} MiB) in ${seconds} s`);
    return { path: target, bytes: built.image.length };
  } catch (error) {
    if (error instanceof RecipeError || error instanceof ImageError || error instanceof BootStubError
      || error instanceof KernelError || error instanceof CompileError) throw new UsageError(error.message);
    throw error;
  }
}

export const build: CliCommand = {
  name: "build",
  summary: "build a bootable Delos disk image from a recipe in images/ (default: desktop -> build/delos.img)",
  usage: "delos build [RECIPE] [-o FILE]",
  run(args) {
    let recipe = "desktop";
    let output: string | null = null;
    let named = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === "-o" || arg === "--output") output = optionValue(args, i++, arg);
      else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      else if (!named) { recipe = arg; named = true; }
      else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
    buildImageFile(recipe, output, (line) => process.stdout.write(`${line}\n`));
    return 0;
  },
};
