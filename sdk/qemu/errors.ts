// Errors of the QEMU harness that a person can act on: each names what is
// missing or broken and the command that fixes it, so a failed boot in CI
// or on a fresh machine explains itself.

/** The host lacks QEMU or the firmware, or the image is missing or corrupt. */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SetupError";
  }
}

/** A boot that did not reach what the caller waited for (timeout, early exit). */
export class BootError extends Error {
  constructor(message: string, readonly serial: string) {
    super(message);
    this.name = "BootError";
  }
}

export const INSTALL_QEMU = "apt-get install qemu-system-x86 ovmf";

export function missingQemu(): SetupError {
  return new SetupError(`qemu-system-x86_64 was not found on PATH. Install it with:\n\n  ${INSTALL_QEMU}\n`);
}

export function missingFirmware(searched: string[]): SetupError {
  return new SetupError(`the UEFI firmware (OVMF) was not found (looked for ${searched.join(", ")}). Install it with:\n\n  ${INSTALL_QEMU}\n`);
}

export function missingImage(path: string): SetupError {
  return new SetupError(`the disk image ${path} does not exist. Build it with:\n\n  npx delos build\n`);
}

export function corruptImage(path: string, why: string): SetupError {
  return new SetupError(`the disk image ${path} is not a Delos GPT disk (${why}). Rebuild it with:\n\n  npx delos build\n`);
}

/** The last `lines` lines of a serial log, for error messages. */
export function serialTail(serial: string, lines = 15): string {
  const all = serial.replace(/\r/g, "").split("\n");
  return all.slice(-lines).map((line) => `  | ${line}`).join("\n");
}
