// Boots the test image in QEMU (q35 + OVMF, TCG unless KVM really works)
// once and checks what the boot stub and then the kernel did: the banners
// on the serial console, a memory map whose regions add up to the totals
// the stub and the kernel printed, the payload, the kernel's page tables,
// heap, timer ticks and `ready` line, the kernel's boot screen at exact
// pixels of a screendump, and the deliberate faults of the test build
// (serial keys) reported with vector, error code, registers and the wasm
// function and offset, which are checked against build/kernel.wasm. Also:
// the stub's hand-off to a stand-in kernel, and an interrupted `delos
// boot` leaves no QEMU behind.

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
import { kernelFunctions, type KernelFunction } from "./kernel-wasm";
import { liveMachines, Machine, pixelAt, type Picture } from "../../sdk/qemu/index";

const BANNER = "Delos 0.1 boot stub (UEFI x86-64)";
const KERNEL_BANNER = "kernel: Delos 0.1 kernel";
/** The end of the kernel's `ready` line. */
const READY = "s after the boot stub's entry;";
// The boot screen (kernel/arch/x86_64/boot/screen.ts, kernel/screen.ts, docs/boot.md).
const BACKGROUND = 0x0b1d33, MARK = 0xe8a33d, BAR = 0x2e5a88, BAR_READY = 0x5fd38d;
const BOOT_SECONDS = 60;
/** zora's limit per test: a boot, plus waiting for the boots queued before it. */
const TEST_OPTIONS = { timeout: 300_000 };

function hex(value: number): string { return `0x${value.toString(16).padStart(6, "0")}`; }

/** The places whose colour the boot screen fixes, for a W x H screen; `bar` is the bar's colour (the stub's, or the kernel's when ready). */
export function bootScreenProbes(width: number, height: number, bar = BAR): Array<{ x: number; y: number; colour: number; what: string }> {
  const side = Math.floor(height / 6);
  const markX = Math.floor((width - side) / 2), markY = Math.floor((height - side) / 2);
  const barWidth = Math.floor(width / 3);
  const barX = Math.floor((width - barWidth) / 2), barY = Math.floor((height + side) / 2) + Math.floor(height / 24);
  const segment = Math.floor(barWidth / 4);
  return [
    { x: 0, y: 0, colour: BACKGROUND, what: "top-left corner" },
    { x: width - 1, y: height - 1, colour: BACKGROUND, what: "bottom-right corner" },
    { x: 8, y: 8, colour: BACKGROUND, what: "where firmware text would be" },
    { x: Math.floor(width / 2), y: Math.floor(height / 2), colour: MARK, what: "centre of the mark" },
    { x: markX, y: markY, colour: MARK, what: "mark's first pixel" },
    { x: markX + side - 1, y: markY + side - 1, colour: MARK, what: "mark's last pixel" },
    { x: markX - 1, y: markY, colour: BACKGROUND, what: "left of the mark" },
    { x: markX + side, y: markY + side - 1, colour: BACKGROUND, what: "right of the mark" },
    { x: barX, y: barY, colour: bar, what: "bar's first pixel" },
    ...[1, 2, 3].map((i) => ({ x: barX + i * segment, y: barY + 4, colour: bar, what: `bar segment ${i + 1}'s first pixel` })),
    { x: barX + barWidth - 1, y: barY + 7, colour: bar, what: "bar's last pixel" },
    { x: barX - 1, y: barY, colour: BACKGROUND, what: "left of the bar" },
    { x: barX + barWidth, y: barY + 7, colour: BACKGROUND, what: "right of the bar" },
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

/** Writes the test image into `directory`; returns its path, the payload archive's size and its file count. */
function testImage(directory: string): { path: string; payloadBytes: number; payloadFiles: number } {
  const path = join(directory, "test.img");
  const built = buildRecipe(readRecipe("test"));
  const image = built.image;
  writeFileSync(path, image);
  const system = readGpt(image).partitions[1]!;
  const payloadBytes = Number(new DataView(image.buffer, image.byteOffset + system.firstLba * 512).getBigUint64(40, true));
  return { path, payloadBytes, payloadFiles: built.payloadFiles };
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

type Assert = Parameters<Parameters<TestFunction>[1]>[0];

/** What the boot stub printed: banner, ACPI, payload, ExitBootServices, and a memory map that adds up. */
function checkStub(t: Assert, serial: string, payloadBytes: number, payloadFiles: number): void {
  t.ok(serial.includes(BANNER), "banner on the serial console");
  t.ok(/boot: acpi rsdp 0x[0-9a-f]+ revision 2/.test(serial), "ACPI 2.0 RSDP found");
  t.ok(new RegExp(`boot: payload ${payloadBytes} bytes, ${payloadFiles} files at 0x[0-9a-f]+`).test(serial), "payload loaded from the system partition");
  t.ok(/boot: exited boot services after \d attempt/.test(serial), "ExitBootServices succeeded");
  t.ok(serial.includes("boot: entering the kernel"), "the stub entered the kernel");

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
  t.ok(/boot: framebuffer (\d+)x(\d+) stride (\d+) format (\d) at 0x[0-9a-f]+/.test(serial), "framebuffer reported");
}

/** The kernel's account of the memory map, recomputed from the stub's region lines. */
function expectedAccount(regions: MemoryRegion[]): Record<string, bigint> {
  const low = 0x100000n;
  const account = { total: 0n, conventional: 0n, bootServices: 0n, low: 0n, kept: 0n, reserved: 0n };
  for (const region of regions) {
    const end = region.start + region.pages * 4096n;
    const high = end <= low ? 0n : (end - (region.start > low ? region.start : low)) / 4096n;
    account.total += region.pages;
    if ([3, 4, 7].includes(region.type)) {
      account.low += region.pages - high;
      if (region.type === 7) account.conventional += high; else account.bootServices += high;
    } else if (region.type === 1 || region.type === 2) account.kept += region.pages;
    else account.reserved += region.pages;
  }
  return account;
}

/** What the kernel printed on its way to `ready`. */
function checkKernel(t: Assert, serial: string, payloadFiles: number): void {
  t.ok(serial.includes(KERNEL_BANNER), "kernel banner");
  t.ok(/kernel: tsc: \d+\.\d{3} MHz \(measured against the PIT\)/.test(serial), "TSC measured against the PIT");
  t.ok(serial.includes("kernel: descriptor tables: GDT with code, data and TSS; IDT with 256 vectors"), "GDT, TSS and IDT loaded");

  const account = /kernel: memory: (\d+) regions, total (\d+) pages = free (\d+) \(conventional (\d+), boot services (\d+)\) \+ low (\d+) \+ kept (\d+) \+ reserved (\d+) pages/.exec(serial);
  t.ok(account !== null, "kernel's memory account printed");
  if (account) {
    const [count, total, free, conventional, bootServices, low, kept, reserved] = account.slice(1).map((v) => BigInt(v!));
    t.eq(free, conventional! + bootServices!, "free = conventional + boot services");
    t.eq(free! + low! + kept! + reserved!, total, "free + low + kept + reserved = total");
    const { regions, totals } = parseMemoryMap(serial);
    t.eq([count, total], [totals?.count, totals?.total], "the kernel read the same map as the stub");
    t.eq(free! + low! + kept!, totals?.usable, "free + low + kept = the stub's usable pages");
    t.eq({ conventional, bootServices, low, kept, reserved }, (({ conventional, bootServices, low, kept, reserved }) => ({ conventional, bootServices, low, kept, reserved }))(expectedAccount(regions)), "each part matches the regions");
    const before = /kernel: frames: (\d+) free before paging/.exec(serial), after = /kernel: frames: (\d+) free after paging/.exec(serial);
    t.eq(BigInt(before?.[1] ?? -1), conventional, "the frame allocator starts with the conventional memory above 1 MiB");
    const afterFrames = BigInt(after?.[1] ?? -1);
    t.ok(afterFrames < free! && afterFrames > free! - 64n, `after paging it has the boot-services memory too, less the page tables (${afterFrames} of ${free})`);
  }
  t.ok(/kernel: paging: kernel page tables active \(\d+ table frames\); image 0x[0-9a-f]+\+\d+ identity-mapped by section; direct map of \d+ GiB at 0xffff800000000000/.test(serial), "the kernel's own page tables");
  const heap = /kernel: heap: 1280 KiB allocated in 2 blocks; memory at 0x[0-9a-f]+ grew from (\d+) to (\d+) KiB \((\d+) wasm pages mapped on demand\)/.exec(serial);
  t.ok(heap !== null && Number(heap[3]) > 0 && Number(heap[2]) > Number(heap[1]), `the heap grew on mapped frames (${heap?.[0]})`);
  t.ok(/kernel: timer: local APIC \(x?APIC[^)]*\), 100 Hz on vector 0x40, \d+ counts per tick; legacy PICs masked/.test(serial), "local APIC timer calibrated");
  t.ok(/kernel: irq: MADT via the XSDT: I\/O APIC \d+ at 0xfec00000, GSIs 0-23; \d+ overrides \(ISA 0 -> GSI 2[,)].*; GSI g on vector 0x50\+g, all masked/.test(serial), "the I/O APIC and q35's ISA overrides read from the ACPI MADT");
  t.ok(new RegExp(`kernel: payload: ${payloadFiles} files, \\d+ bytes at 0x[0-9a-f]+`).test(serial), "the kernel sees the payload through the direct map");
  t.ok(/kernel: contexts: switched to a second context \(rsp 0x[0-9a-f]+, on its own stack\) and back/.test(serial), "switch_context round trip");
  const ready = /\[ *(\d+\.\d{6})\] kernel: ready: (\d+\.\d{6}) s after kernel entry \((\d+) TSC cycles\), (\d+\.\d{6}) s after the boot stub's entry/.exec(serial);
  t.ok(ready !== null, "ready line with TSC timestamps");
  if (ready) {
    t.ok(Number(ready[2]) > 0 && Number(ready[2]) < 30 && Math.abs(Number(ready[1]) - Number(ready[2])) < 0.001, `ready ${ready[2]} s after kernel entry`);
    t.ok(Number(ready[4]) > Number(ready[2]), "the stub started before the kernel");
  }
}

/** Checks that a report names `name`'s function and an offset inside it; returns the offset. */
function checkLocation(t: Assert, functions: KernelFunction[], text: string, name: string, what: string): number {
  const match = / in wasm function (\d+) \(([^)]*)\) at wasm offset 0x([0-9a-f]+)/.exec(text);
  t.ok(match !== null, `${what}: wasm function and offset reported`);
  if (!match) return -1;
  const index = Number(match[1]), offset = parseInt(match[3]!, 16);
  const f = functions[index];
  t.eq([match[2], f?.name], [name, name], `${what}: function ${index} is ${name} in build/kernel.wasm`);
  t.ok(f !== undefined && offset >= f.bodyStart && offset < f.bodyEnd, `${what}: offset 0x${offset.toString(16)} lies in that function's body`);
  return offset;
}

/** The lines a fault key produced: from its "test fault X" line to the one saying how it ended. */
async function runFault(machine: Machine, key: string, ending: string): Promise<string> {
  const from = machine.serial.length;
  machine.typeSerial(key);
  await machine.waitFor(ending, 20_000);
  const text = machine.serial.slice(from);
  return text.slice(0, text.indexOf(ending) + ending.length);
}

const REGISTERS = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8 ", "r9 ", "r10", "r11", "r12", "r13", "r14", "r15", "rflags"];

/** The deliberate faults of the test build, one key each, in one boot. */
async function checkFaults(t: Assert, machine: Machine, functions: KernelFunction[]): Promise<void> {
  const wasm = readFileSync(join(buildDir, "kernel.wasm"));
  t.ok(machine.serial.includes("kernel: test faults: keys p"), "the test build announces its fault keys");

  // p: a load far past the kernel's memory: page fault, registers, wasm location, unwound as a trap.
  let report = await runFault(machine, "p", "test fault p (out-of-bounds load): recovered from trap kind 5");
  // The kernel's own page fault: the one reported at a kernel wasm function (the test image's runner may be
  // testing a component's out-of-bounds trap at the same moment, which reports a page fault too).
  const pageFault = /kernel: exception 14 \(page fault\), error code 0x0 \(not present, read, supervisor\), address 0x([0-9a-f]+)\r?\n.*kernel:   at rip 0x[0-9a-f]+ in wasm function/.exec(report);
  const memoryBase = /kernel: heap: .* memory at 0x([0-9a-f]+)/.exec(machine.serial);
  t.ok(pageFault !== null, "page fault reported with vector, error code and cause");
  t.eq(BigInt(`0x${pageFault?.[1] ?? 0}`) - BigInt(`0x${memoryBase?.[1] ?? 0}`), 0xf0000000n, "the faulting address is the kernel memory's base + 0xf0000000");
  for (const register of REGISTERS) t.ok(new RegExp(`kernel:.*  ${register} 0x[0-9a-f]{16}`).test(report), `register ${register.trim()} reported`);
  const rip = /kernel:   at rip 0x[0-9a-f]+( in wasm function .*)/.exec(report);
  const loadAt = checkLocation(t, functions, rip?.[1] ?? "", "kernel/test/faults/outOfBounds", "page fault");
  t.eq(wasm[loadAt], 0x29, "the reported offset is the i64.load that faulted");
  t.ok(report.includes("out of bounds access of the kernel's memory at index 0xf0000000"), "recognised as an access to the kernel's guard region");
  const trap = /kernel: trap: out of bounds memory access at pc 0x[0-9a-f]+( in wasm function .*)/.exec(report);
  t.eq(checkLocation(t, functions, trap?.[1] ?? "", "kernel/test/faults/outOfBounds", "the trap it became"), loadAt, "the trap has the same location");

  // u: a wasm trap.
  report = await runFault(machine, "u", "test fault u (unreachable): recovered from trap kind 1");
  const unreachableAt = checkLocation(t, functions, /kernel: trap: unreachable at pc 0x[0-9a-f]+(.*)/.exec(report)?.[1] ?? "", "kernel/test/faults/unreachableTrap", "unreachable");
  t.eq(wasm[unreachableAt], 0x00, "the reported offset is the unreachable instruction");

  // w: the wasm stack check.
  report = await runFault(machine, "w", "test fault w (wasm stack exhaustion): recovered from trap kind 9");
  checkLocation(t, functions, /kernel: trap: call stack exhausted at pc 0x[0-9a-f]+(.*)/.exec(report)?.[1] ?? "", "kernel/test/faults/recurse", "stack exhaustion");

  // s: a native overflow into the guard page, reported from the page fault's IST stack.
  report = await runFault(machine, "s", "test fault s (native stack overflow): recovered from trap kind 9");
  t.ok(/kernel: exception 14 \(page fault\), error code 0x2 \(not present, write, supervisor\)/.test(report), "stack overflow: a page fault on a write");
  t.ok(report.includes("stack overflow into the guard page of the main stack"), "stack overflow: recognised as the main stack's guard page");
  t.ok(/kernel:   at rip 0x[0-9a-f]+ in wasm function \d+ \(kernel\/test\/faults\/recurse\)/.test(report), "stack overflow: in the recursing function");

  // b: a breakpoint is reported and execution goes on.
  report = await runFault(machine, "b", "test fault b (breakpoint): returned");
  t.ok(/kernel: exception 3 \(breakpoint\)\r?\n.*at rip 0x[0-9a-f]+ in wasm function \d+ \(kernel\/test\/faults\/breakpointTrap\)/.test(report), "breakpoint reported where it happened");

  // After all that the kernel still runs: the timer still ticks.
  const ticksBefore = [...machine.serial.matchAll(/kernel: timer: (\d+) ticks/g)].length;
  await new Promise((done) => setTimeout(done, 1500));
  t.ok([...machine.serial.matchAll(/kernel: timer: (\d+) ticks/g)].length > ticksBefore, "the kernel keeps running after the recovered faults");

  // d: a double fault, on its own IST stack; the machine halts.
  report = await runFault(machine, "d", "kernel: halted");
  t.ok(/kernel: exception 8 \(double fault\), error code 0x0/.test(report), "double fault reported");
  t.ok(/kernel:   at rip 0x[0-9a-f]+ in wasm function \d+ \(kernel\/test\/faults\/doubleFault\)/.test(report), "double fault: where the page fault happened");
}

export function register(test: TestFunction): void {
  test("the test image boots: stub, kernel, memory, timer, ready, boot screen, deliberate faults", (t) => exclusive(async () => {
    const directory = mkdtempSync(join(tmpdir(), "delos-boot-"));
    const { path, payloadBytes, payloadFiles } = testImage(directory);
    const functions = kernelFunctions(readFileSync(join(buildDir, "kernel.wasm")));
    const machine = await Machine.start({ image: path, timeoutSeconds: BOOT_SECONDS + 60 });
    try {
      const bannerAt = await machine.waitFor(BANNER, BOOT_SECONDS * 1000);
      const readyAt = await machine.waitFor(READY, BOOT_SECONDS * 1000);
      console.log(`boot: banner after ${(bannerAt / 1000).toFixed(2)} s, kernel ready after ${(readyAt / 1000).toFixed(2)} s (${machine.accel})`);
      checkStub(t, machine.serial, payloadBytes, payloadFiles);
      checkKernel(t, machine.serial, payloadFiles);

      // Ticks advance: two reports, later ones with more ticks and more TSC time.
      // Wait for the report after the second, so the second's line is whole
      // (serial output arrives in pieces).
      await machine.waitFor("kernel: timer: 150 ticks", 20_000);
      const ticks = [...machine.serial.matchAll(/kernel: timer: (\d+) ticks, (\d+\.\d+) s by the TSC/g)].map((m) => [Number(m[1]), Number(m[2])]);
      t.ok(ticks.length >= 2 && ticks[1]![0]! > ticks[0]![0]! && ticks[1]![1]! > ticks[0]![1]!, `timer ticks advance: ${JSON.stringify(ticks.slice(0, 3))}`);
      const [count, seconds] = ticks[ticks.length - 1]!;
      // A starved vCPU can miss ticks (QEMU does not deliver late ones twice), never gain them.
      t.ok(count! <= 110 * seconds! + 5 && count! >= 50 * seconds!, `100 Hz ticks agree with the TSC (${count} ticks in ${seconds} s)`);

      const picture: Picture = await machine.screenshot(join(directory, "boot.png"));
      t.eq([picture.width, picture.height], [1024, 768], "the stub chose the 1024x768 mode");
      for (const probe of bootScreenProbes(picture.width, picture.height, BAR_READY)) {
        t.eq(hex(pixelAt(picture, probe.x, probe.y)), hex(probe.colour), `kernel's boot screen: ${probe.what} (${probe.x}, ${probe.y})`);
      }
      if (process.env.DELOS_KEEP_SCREENSHOT) writeFileSync(process.env.DELOS_KEEP_SCREENSHOT, readFileSync(join(directory, "boot.png")));

      await checkFaults(t, machine, functions);

      // Input reaches QEMU (nothing in the halted guest reads it yet): QMP answers an
      // event it refuses with an error, which throws here and fails the test. A guest
      // that ignores the power button is quit after the grace period.
      await machine.sendKeys("a{enter}", 10);
      await machine.pointer(10, 10, { left: true });
      await machine.pointer(10, 10, { left: false });
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
