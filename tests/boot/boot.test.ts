// Boots the minimal test image in QEMU (q35 + OVMF, TCG unless KVM really
// works) and checks what the boot stub did: the banner on the serial
// console, a memory map whose regions add up to the totals it printed, the
// payload it loaded, and the boot screen's exact colours at known pixels of
// a screendump. Also: an interrupted `delos boot` leaves no QEMU behind.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { buildBootStub, testKernel } from "../../sdk/host/boot-stub";
import { buildDiskImage } from "../../sdk/host/image";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { readGpt } from "./disk-reader";
import { liveMachines, Machine, pixelAt, type Picture } from "../../sdk/qemu/index";

const BANNER = "Delos 0.1 boot stub (UEFI x86-64)";
const HALTED = "boot: halted";
// The boot screen (kernel/arch/x86_64/boot/screen.ts, docs/boot.md).
const BACKGROUND = 0x0b1d33, MARK = 0xe8a33d, BAR = 0x2e5a88;
const BOOT_SECONDS = 60;
/** zora's limit per test: a boot, plus waiting for the boots queued before it. */
const TEST_OPTIONS = { timeout: 300_000 };

function hex(value: number): string { return `0x${value.toString(16).padStart(6, "0")}`; }

/** The places whose colour the boot screen fixes, for a W x H screen. */
export function bootScreenProbes(width: number, height: number): Array<{ x: number; y: number; colour: number; what: string }> {
  const side = Math.floor(height / 6);
  const markX = Math.floor((width - side) / 2), markY = Math.floor((height - side) / 2);
  const barWidth = Math.floor(width / 3);
  const barX = Math.floor((width - barWidth) / 2), barY = Math.floor((height + side) / 2) + Math.floor(height / 24);
  return [
    { x: 0, y: 0, colour: BACKGROUND, what: "top-left corner" },
    { x: width - 1, y: height - 1, colour: BACKGROUND, what: "bottom-right corner" },
    { x: 8, y: 8, colour: BACKGROUND, what: "where firmware text would be" },
    { x: Math.floor(width / 2), y: Math.floor(height / 2), colour: MARK, what: "centre of the mark" },
    { x: markX, y: markY, colour: MARK, what: "mark's first pixel" },
    { x: markX + side - 1, y: markY + side - 1, colour: MARK, what: "mark's last pixel" },
    { x: markX - 1, y: markY, colour: BACKGROUND, what: "left of the mark" },
    { x: markX + side, y: markY + side - 1, colour: BACKGROUND, what: "right of the mark" },
    { x: barX, y: barY, colour: BAR, what: "bar's first pixel" },
    { x: barX + barWidth - 1, y: barY + 7, colour: BAR, what: "bar's last pixel" },
    { x: barX, y: barY + 8, colour: BACKGROUND, what: "below the bar" },
  ];
}

interface MemoryRegion { type: number; start: bigint; pages: bigint; }

function parseMemoryMap(serial: string): { regions: MemoryRegion[]; totals: Record<string, bigint> | null } {
  const regions: MemoryRegion[] = [];
  for (const match of serial.matchAll(/^mem (\d+) 0x([0-9a-f]+) (\d+)\r?$/gm)) {
    regions.push({ type: Number(match[1]), start: BigInt(`0x${match[2]}`), pages: BigInt(match[3]!) });
  }
  const summary = /boot: memory map (\d+) regions, usable (\d+) pages, conventional (\d+) pages, total (\d+) pages/.exec(serial);
  return {
    regions,
    totals: summary ? { count: BigInt(summary[1]!), usable: BigInt(summary[2]!), conventional: BigInt(summary[3]!), total: BigInt(summary[4]!) } : null,
  };
}

/** QEMU boots run one at a time: zora starts tests concurrently, and the machine has two cores. */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(run: () => Promise<T>): Promise<T> {
  const result = queue.then(run, run);
  queue = result.catch(() => {});
  return result;
}

/** Writes the test image into `directory`; returns its path and the payload archive's size. */
function testImage(directory: string): { path: string; payloadBytes: number } {
  const path = join(directory, "test.img");
  const image = buildRecipe(readRecipe("test")).image;
  writeFileSync(path, image);
  const system = readGpt(image).partitions[1]!;
  const payloadBytes = Number(new DataView(image.buffer, image.byteOffset + system.firstLba * 512).getBigUint64(40, true));
  return { path, payloadBytes };
}

/** Process ids of running QEMUs whose command line mentions `marker`. */
function qemuProcessesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, "latin1");
      if (command.includes("qemu-system-x86_64") && command.includes(marker) && !command.startsWith("timeout")) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

export function register(test: TestFunction): void {
  test("the test image boots: banner, memory map, payload, boot screen", (t) => exclusive(async () => {
    const directory = mkdtempSync(join(tmpdir(), "delos-boot-"));
    const { path, payloadBytes } = testImage(directory);
    const machine = await Machine.start({ image: path, timeoutSeconds: BOOT_SECONDS + 30 });
    try {
      const bannerAt = await machine.waitFor(BANNER, BOOT_SECONDS * 1000);
      const haltedAt = await machine.waitFor(HALTED, BOOT_SECONDS * 1000);
      console.log(`boot: banner after ${(bannerAt / 1000).toFixed(2)} s, halted after ${(haltedAt / 1000).toFixed(2)} s (${machine.accel})`);
      const serial = machine.serial;
      t.ok(serial.includes(BANNER), "banner on the serial console");
      t.ok(/boot: acpi rsdp 0x[0-9a-f]+ revision 2/.test(serial), "ACPI 2.0 RSDP found");
      t.ok(new RegExp(`boot: payload ${payloadBytes} bytes, 2 files at 0x[0-9a-f]+`).test(serial), "payload loaded from the system partition");
      t.ok(/boot: exited boot services after \d attempt/.test(serial), "ExitBootServices succeeded");

      const { regions, totals } = parseMemoryMap(serial);
      t.ok(totals !== null, "memory map summary printed");
      t.eq(BigInt(regions.length), totals?.count, "one line per region");
      const sum = (filter: (region: MemoryRegion) => boolean) => regions.filter(filter).reduce((total, region) => total + region.pages, 0n);
      t.eq(sum(() => true), totals?.total, "region pages add up to the total");
      t.eq(sum((region) => region.type === 7), totals?.conventional, "conventional pages add up");
      t.eq(sum((region) => [1, 2, 3, 4, 7].includes(region.type)), totals?.usable, "usable pages add up");
      const sorted = [...regions].sort((a, b) => (a.start < b.start ? -1 : 1));
      let overlaps = 0;
      for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.start + sorted[i - 1]!.pages * 4096n) overlaps++;
      t.eq(overlaps, 0, "regions do not overlap");
      const usableMiB = Number((totals?.usable ?? 0n) * 4096n) / (1 << 20);
      t.ok(usableMiB > 400 && usableMiB < 512, `usable memory ${usableMiB.toFixed(0)} MiB of the machine's 512 MiB`);

      const framebuffer = /boot: framebuffer (\d+)x(\d+) stride (\d+) format (\d) at 0x[0-9a-f]+/.exec(serial);
      t.ok(framebuffer !== null, "framebuffer reported");
      const picture: Picture = await machine.screenshot(join(directory, "boot.png"));
      t.eq([picture.width, picture.height], [1024, 768], "the stub chose the 1024x768 mode");
      for (const probe of bootScreenProbes(picture.width, picture.height)) {
        t.eq(hex(pixelAt(picture, probe.x, probe.y)), hex(probe.colour), `${probe.what} (${probe.x}, ${probe.y})`);
      }
      if (process.env.DELOS_KEEP_SCREENSHOT) writeFileSync(process.env.DELOS_KEEP_SCREENSHOT, readFileSync(join(directory, "boot.png")));

      // Input reaches QEMU (nothing in the halted guest reads it yet), and a guest that
      // ignores the power button is quit after the grace period.
      await machine.sendKeys("a{enter}", 10);
      await machine.pointer(10, 10, { left: true });
      await machine.pointer(10, 10, { left: false });
      t.ok(true, "keys and absolute pointer events accepted");
      const started = performance.now();
      await machine.powerdown(500);
      t.ok(!machine.isRunning && performance.now() - started < 5000, "powerdown falls back to quit");
    } finally {
      await machine.quit();
      rmSync(directory, { recursive: true, force: true });
    }
    t.eq(liveMachines(), 0, "no machine left running");
  }), TEST_OPTIONS);

  test("the stub hands the boot info to a kernel in rdi", (t) => exclusive(async () => {
    const directory = mkdtempSync(join(tmpdir(), "delos-handoff-"));
    const image = join(directory, "kernel.img");
    const stub = buildBootStub({ kernel: testKernel() });
    writeFileSync(image, buildDiskImage({ files: [{ area: "esp", path: "EFI/BOOT/BOOTX64.EFI", data: stub }] }));
    const machine = await Machine.start({ image, timeoutSeconds: BOOT_SECONDS + 30 });
    try {
      await machine.waitFor("kernel: boot info ok", BOOT_SECONDS * 1000);
      t.ok(machine.serial.includes("boot: entering the kernel"), "the stub entered the kernel");
      t.ok(/boot: payload 4096 bytes, 0 files/.test(machine.serial), "an empty payload archive loads all the same");
      const status = await Promise.race([machine.exited, new Promise<string>((done) => setTimeout(() => done("running"), 10_000))]);
      t.eq(status, 2 * 0x10 + 1, "the kernel ended QEMU through isa-debug-exit");
    } finally {
      await machine.quit();
      rmSync(directory, { recursive: true, force: true });
    }
  }), TEST_OPTIONS);

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`an interrupted delos boot (${signal}) leaves no QEMU behind`, (t) => exclusive(async () => {
      const cli = join(buildDir, "host", "delos.js");
      if (!existsSync(cli)) { t.fail("build/host/delos.js is missing: run node sdk/build/build.mjs"); return; }
      const directory = mkdtempSync(join(tmpdir(), "delos-reap-"));
      try {
        const image = testImage(directory).path;
        const child = spawn(process.execPath, [cli, "boot", "--headless", "--image", image, "--timeout", "60"], { stdio: ["ignore", "pipe", "pipe"] });
        const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
        // "delos: booting" follows the QMP handshake: QEMU is up.
        const started = await new Promise<boolean>((done) => {
          const timer = setTimeout(() => done(false), 30_000);
          let output = "";
          child.stderr.on("data", (chunk: Buffer) => {
            output += chunk.toString("latin1");
            if (output.includes("delos: booting")) { clearTimeout(timer); done(true); }
          });
        });
        t.ok(started, "QEMU started");
        const before = qemuProcessesWith(image);
        t.eq(before.length, 1, "one QEMU running for the image");
        child.kill(signal);
        const code = await exited;
        t.eq(code, signal === "SIGINT" ? 130 : 143, "delos exits with the signal's status");
        await new Promise((done) => setTimeout(done, 300));
        t.eq(qemuProcessesWith(image), [], "its QEMU is gone");
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    }), TEST_OPTIONS);
  }
}
