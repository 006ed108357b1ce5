// Decides whether KVM can be used. /dev/kvm existing is not enough: on some
// hosts (nested virtualisation without the features OVMF needs) QEMU starts
// and then stops with "KVM internal error" inside the firmware. So the answer
// comes from a probe boot of the firmware under KVM, asked once per process.
// DELOS_ACCEL=tcg or DELOS_ACCEL=kvm overrides the probe.

import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { findCombinedFirmware } from "./firmware";
import { adopt, reap } from "./reaper";

let answer: Promise<boolean> | null = null;

const PROBE_SECONDS = 10;
/** Text OVMF prints on the serial console once it reaches its boot manager. */
const FIRMWARE_ALIVE = "BdsDxe";

function deviceUsable(): boolean {
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function probe(qemu: string): Promise<boolean> {
  const firmware = findCombinedFirmware();
  if (!deviceUsable() || !firmware) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(qemu, [
      "-accel", "kvm", "-machine", "q35", "-cpu", "host", "-m", "128", "-display", "none", "-nic", "none",
      "-no-reboot", "-monitor", "none", "-serial", "stdio", "-bios", firmware,
    ], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let settled = false;
    const finish = (works: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.pid) reap(child.pid);
      resolve(works);
    };
    if (child.pid) adopt(child.pid);
    const timer = setTimeout(() => finish(false), PROBE_SECONDS * 1000);
    let serial = "";
    let errors = "";
    child.stdout.setEncoding("latin1").on("data", (text: string) => {
      serial += text;
      if (serial.includes(FIRMWARE_ALIVE)) finish(true);
    });
    child.stderr.setEncoding("latin1").on("data", (text: string) => {
      errors += text;
      if (/KVM internal error|failed to initialize kvm|Could not access KVM/i.test(errors)) finish(false);
    });
    child.on("error", () => finish(false));
    child.on("exit", () => finish(false));
  });
}

/** True when QEMU can really run the firmware under KVM on this host. */
export function kvmWorks(qemu: string): Promise<boolean> {
  const forced = process.env.DELOS_ACCEL;
  if (forced === "tcg") return Promise.resolve(false);
  if (forced === "kvm") return Promise.resolve(true);
  answer ??= probe(qemu);
  return answer;
}
