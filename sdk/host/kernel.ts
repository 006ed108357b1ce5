// The kernel as the image build needs it: build/kernel.wasm (AssemblyScript,
// built by sdk/build/build.mjs) compiled by the Delos compiler as a
// privileged component in guard-region mode. The boot stub generator links
// that component statically into BOOTX64.EFI (docs/kernel.md).

import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { compileComponent } from "./linux";
import { buildDir, repoRoot } from "./paths";

export class KernelError extends Error {}

export interface Kernel {
  /** The kernel's wasm (its name section gives fault reports function names). */
  wasm: Uint8Array;
  /** The same, compiled: a privileged `delos` component. */
  component: Uint8Array;
}

/** The default kernel: build/kernel.wasm. */
export const kernelWasmPath = join(buildDir, "kernel.wasm");

/** Reads and compiles the kernel's wasm (`path` relative to the repository root when not absolute). */
export function buildKernel(path = kernelWasmPath): Kernel {
  const resolved = isAbsolute(path) ? path : join(repoRoot, path);
  if (!existsSync(resolved)) throw new KernelError(`${path} is missing: run node sdk/build/build.mjs`);
  const wasm = new Uint8Array(readFileSync(resolved));
  return { wasm, component: compileComponent(wasm, { privileged: true }) };
}
