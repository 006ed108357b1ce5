// Debian's disk and binary tools, used by the boot tests to check our images
// with someone else's code (gdisk, dosfstools, mtools, binutils). The set-up
// step installs them (sdk/setup/setup.mjs), so every check runs: a missing
// tool fails its test with one line naming the package, never a skip.

import { spawnSync } from "node:child_process";
import { MissingInput } from "../missing-input";
import { debianPackages } from "../../sdk/setup/setup.mjs";

export interface ToolResult { status: number | null; output: string; }

/** Runs a Debian tool; MissingInput, naming its package, when it is not installed. */
export function runTool(command: string, args: string[]): ToolResult {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 60_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    const owner = debianPackages.find((p) => p.provides === command || p.also?.includes(command));
    const name = owner?.name ?? "the package that provides it";
    throw new MissingInput(`${command} is not installed: the set-up installs ${name} when run as root (npm test), or run apt-get install ${name}`);
  }
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}
