// Debian's disk and binary tools, used by the boot tests to check our images
// with someone else's code when they are installed (mtools, dosfstools,
// gdisk, binutils). A missing tool skips that check with a note; none is
// required by `npm test`.

import { spawnSync } from "node:child_process";

export function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

export interface ToolResult { status: number | null; output: string; }

export function runTool(command: string, args: string[]): ToolResult {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}
