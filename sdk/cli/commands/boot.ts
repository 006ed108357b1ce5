// `delos boot` boots a Delos disk image in QEMU (sdk/qemu): headless for
// scripts and checks, or in a window (VNC when there is no display).
// `delos start` builds the desktop image, then boots it that way.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../host/paths";
import { BootError, Machine, SetupError, type Accel, type Display } from "../../qemu/index";
import { CliCommand, optionValue, UsageError } from "../command";
import { buildImageFile } from "./build";

/** Exit status when QEMU, the firmware or the image is missing. */
const EXIT_SETUP = 3;
/** Exit status when the boot did not show --until's text in time, or QEMU failed. */
const EXIT_BOOT = 1;
/** The serial text after which --keys are typed, unless --keys-after says otherwise. */
const DEFAULT_KEYS_AFTER = "Delos";

interface BootOptions {
  headless: boolean;
  image: string;
  until: string | null;
  screenshot: string | null;
  serial: string | null;
  keys: string | null;
  keysAfter: string;
  timeoutSeconds: number | null;
  accel: Accel;
  quiet: boolean;
  vnc: boolean;
  /** Disk image files attached after the boot image (--disk, repeatable). */
  disks: string[];
  /** Boot the image without QEMU's snapshot: the guest's writes reach the file. */
  writable: boolean;
}

const USAGE = "[--headless] [--until TEXT] [--screenshot FILE] [--serial FILE] [--keys TEXT] [--keys-after TEXT] [--timeout S] [--image FILE] [--accel auto|tcg|kvm] [--vnc] [--quiet] [--disk FILE]... [--writable]";

function parseOptions(args: string[]): BootOptions {
  const options: BootOptions = {
    headless: false, image: join(repoRoot, "build", "delos.img"), until: null, screenshot: null, serial: null,
    keys: null, keysAfter: DEFAULT_KEYS_AFTER, timeoutSeconds: null, accel: "auto", quiet: false, vnc: false,
    disks: [], writable: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    switch (arg) {
      case "--headless": options.headless = true; break;
      case "--vnc": options.vnc = true; break;
      case "--quiet": options.quiet = true; break;
      case "--writable": options.writable = true; break;
      case "--disk": {
        const disk = optionValue(args, i++, arg);
        if (!existsSync(disk)) throw new UsageError(`--disk ${disk}: no such file (make one with delos fs mkfs FILE SIZE)`);
        options.disks.push(disk);
        break;
      }
      case "--image": options.image = optionValue(args, i++, arg); break;
      case "--until": options.until = optionValue(args, i++, arg); break;
      case "--screenshot": options.screenshot = optionValue(args, i++, arg); break;
      case "--serial": options.serial = optionValue(args, i++, arg); break;
      case "--keys": options.keys = optionValue(args, i++, arg); break;
      case "--keys-after": options.keysAfter = optionValue(args, i++, arg); break;
      case "--timeout": {
        const value = Number(optionValue(args, i++, arg));
        if (!(value > 0)) throw new UsageError("--timeout takes a positive number of seconds");
        options.timeoutSeconds = value;
        break;
      }
      case "--accel": {
        const value = optionValue(args, i++, arg);
        if (value !== "auto" && value !== "tcg" && value !== "kvm") throw new UsageError("--accel must be auto, tcg or kvm");
        options.accel = value;
        break;
      }
      default: throw new UsageError(`unknown option ${arg}`);
    }
  }
  return options;
}

function chooseDisplay(options: BootOptions): Display {
  if (options.headless) return "none";
  if (options.vnc) return "vnc";
  return process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? "window" : "vnc";
}

/** Boots and drives one machine as the options say; returns the exit status. */
export async function bootImage(options: BootOptions): Promise<number> {
  const display = chooseDisplay(options);
  // A scripted boot that waits for text gets a default limit; an interactive one runs until closed.
  const timeoutSeconds = options.timeoutSeconds ?? (options.until !== null ? 120 : 0);
  let machine: Machine;
  try {
    machine = await Machine.start({
      image: options.image,
      display,
      accel: options.accel,
      timeoutSeconds,
      serialFile: options.serial ?? undefined,
      onSerial: options.quiet ? undefined : (text) => process.stdout.write(text),
      writable: options.writable,
      disks: options.disks,
    });
  } catch (error) {
    if (error instanceof SetupError || error instanceof BootError) {
      process.stderr.write(`delos: ${error.message}\n`);
      return error instanceof SetupError ? EXIT_SETUP : EXIT_BOOT;
    }
    throw error;
  }
  const say = (text: string) => process.stderr.write(`delos: ${text}\n`);
  say(`booting ${options.image} on q35 + OVMF (${machine.accel})${machine.vncAddress ? `; VNC display at ${machine.vncAddress}` : ""}`);
  let status = 0;
  try {
    const deadline = timeoutSeconds > 0 ? timeoutSeconds * 1000 : 2 ** 31 - 1;
    if (options.keys !== null) {
      await machine.waitFor(options.keysAfter, deadline);
      await machine.sendKeys(options.keys);
    }
    if (options.until !== null) {
      const elapsed = await machine.waitFor(options.until, deadline - (performance.now() - machine.startedAt));
      say(`saw ${JSON.stringify(options.until)} after ${(elapsed / 1000).toFixed(2)} s`);
    } else if (timeoutSeconds > 0) {
      await Promise.race([machine.exited, new Promise((done) => setTimeout(done, timeoutSeconds * 1000))]);
    } else {
      await machine.exited;
    }
  } catch (error) {
    if (!(error instanceof BootError)) throw error;
    say(error.message);
    status = EXIT_BOOT;
  }
  if (options.screenshot !== null && machine.isRunning) {
    const picture = await machine.screenshot(options.screenshot);
    say(`screenshot ${picture.width}x${picture.height} written to ${options.screenshot}`);
  }
  await machine.quit();
  return status;
}

export const boot: CliCommand = {
  name: "boot",
  summary: "boot a Delos disk image in QEMU (q35 + OVMF); --headless for scripts and checks",
  usage: `delos boot ${USAGE}`,
  run(args) {
    const options = parseOptions(args);
    if (!existsSync(options.image)) {
      process.stderr.write(`delos: the disk image ${options.image} does not exist. Build it with:\n\n  npx delos build\n\n`);
      return EXIT_SETUP;
    }
    return bootImage(options);
  },
};

export const start: CliCommand = {
  name: "start",
  summary: "build the desktop image and boot it (a QEMU window, or VNC on 127.0.0.1 without a display)",
  usage: `delos start ${USAGE}`,
  async run(args) {
    const options = parseOptions(args);
    buildImageFile("desktop", options.image, (line) => process.stdout.write(`${line}\n`));
    return bootImage(options);
  },
};
