// Finds QEMU and the OVMF firmware on the host. Debian's `ovmf` ships both a
// split build (code and a variable store template; each machine needs its own
// writable copy of the variables) and a single combined image used with -bios.
// The split build is preferred: it is what real machines look like, and the
// variable store lets the firmware remember boot entries within one boot.

import { accessSync, constants, copyFileSync, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { missingFirmware, missingQemu } from "./errors";

export interface Firmware {
  /** QEMU arguments that load the firmware. */
  args: string[];
  /** What was chosen, for messages. */
  description: string;
}

const SPLIT_BUILDS = [
  { code: "/usr/share/OVMF/OVMF_CODE_4M.fd", vars: "/usr/share/OVMF/OVMF_VARS_4M.fd" },
  { code: "/usr/share/OVMF/OVMF_CODE.fd", vars: "/usr/share/OVMF/OVMF_VARS.fd" },
];
const COMBINED_BUILDS = ["/usr/share/ovmf/OVMF.fd", "/usr/share/qemu/OVMF.fd"];

/** The path of qemu-system-x86_64 (`override`, $DELOS_QEMU, or from PATH), or a SetupError naming the install command. */
export function findQemu(override = process.env.DELOS_QEMU): string {
  if (override) {
    if (!existsSync(override)) throw missingQemu();
    return override;
  }
  for (const directory of (process.env.PATH ?? "").split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, "qemu-system-x86_64");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw missingQemu();
}

/** Firmware arguments for one machine; `workDirectory` receives its private copy of the variable store. */
export function findFirmware(workDirectory: string): Firmware {
  for (const build of SPLIT_BUILDS) {
    if (!existsSync(build.code) || !existsSync(build.vars)) continue;
    const vars = join(workDirectory, "OVMF_VARS.fd");
    copyFileSync(build.vars, vars);
    return {
      args: [
        "-drive", `if=pflash,format=raw,unit=0,readonly=on,file=${build.code}`,
        "-drive", `if=pflash,format=raw,unit=1,file=${vars}`,
      ],
      description: build.code,
    };
  }
  for (const combined of COMBINED_BUILDS) {
    if (existsSync(combined)) return { args: ["-bios", combined], description: combined };
  }
  throw missingFirmware([...SPLIT_BUILDS.map((b) => b.code), ...COMBINED_BUILDS]);
}

/** A combined firmware image for short probes that need no variable store. */
export function findCombinedFirmware(): string | null {
  for (const combined of COMBINED_BUILDS) if (existsSync(combined)) return combined;
  return null;
}
