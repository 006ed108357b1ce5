// One running QEMU q35 machine with OVMF, booting a Delos disk image.
//
// The serial console (COM1) is QEMU's stdio: what the guest writes arrives on
// the child's stdout and is kept, streamed to listeners and optionally to a
// file; what is written to `typeSerial` reaches the guest's COM1 input. QMP
// runs on a unix socket in a private temporary directory and carries
// screendumps, keyboard and pointer input and power control.
//
// The machine lives in its own process group, registered with the reaper, so
// it is killed with its owner. Headless machines run under `timeout` as well:
// even a hard-killed owner leaves no QEMU behind after the time limit.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { BootError, SetupError, serialTail } from "./errors";
import { findFirmware, findQemu } from "./firmware";
import { checkImage } from "./image-check";
import { parseKeys } from "./keys";
import { kvmWorks } from "./kvm";
import { readPpm, writePng, type Picture } from "./png";
import { Qmp } from "./qmp";
import { adopt, reap } from "./reaper";

export type Display = "none" | "window" | "vnc";
export type Accel = "auto" | "tcg" | "kvm";

export interface MachineOptions {
  /** The disk image; attached as a modern-only virtio-blk disk (the block driver's /dev/disk0), the first boot device. */
  image: string;
  /** "none" (default): no display, screendumps still work; "window": a QEMU window; "vnc": a VNC server on 127.0.0.1. */
  display?: Display;
  memoryMiB?: number;
  cpus?: number;
  accel?: Accel;
  /** Hard limit on the machine's life in seconds; 0 means none (interactive use). */
  timeoutSeconds?: number;
  /** Also write the serial console, byte for byte, to this file. */
  serialFile?: string;
  /** Called with each piece of serial output as it arrives. */
  onSerial?: (text: string) => void;
  /** Let the guest write to the image (default: writes go to a temporary overlay). */
  writable?: boolean;
  /**
   * More disks (raw image files), attached in this order after the image as
   * modern-only virtio-blk devices (PCI 1af4:1042: the block driver's
   * /dev/disk1, /dev/disk2, ...; the image itself, modern-only too, is
   * /dev/disk0). The guest writes to them for real.
   */
  disks?: string[];
  /** The QEMU binary (default: $DELOS_QEMU, else qemu-system-x86_64 from PATH). */
  qemu?: string;
  /** More QEMU arguments, appended last. */
  extraArgs?: string[];
}

/** The isa-debug-exit port: a guest write of v exits QEMU with status 2v+1. */
export const DEBUG_EXIT_PORT = 0xf4;
const CONNECT_SECONDS = 10;

interface SerialMark { end: number; at: number; }

function hasTimeoutCommand(): boolean {
  return spawnSync("sh", ["-c", "command -v timeout"], { stdio: "ignore" }).status === 0;
}

async function freeVncDisplay(): Promise<number> {
  for (let display = 0; display < 100; display++) {
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once("error", () => done(false));
      server.listen(5900 + display, "127.0.0.1", () => server.close(() => done(true)));
    });
    if (free) return display;
  }
  throw new SetupError("no free VNC port between 5900 and 5999 on 127.0.0.1");
}

export class Machine {
  /** Milliseconds (performance.now) when QEMU was spawned. */
  readonly startedAt: number;
  /** "kvm" or "tcg". */
  readonly accel: "kvm" | "tcg";
  /** "127.0.0.1:5900" when display is "vnc". */
  readonly vncAddress: string | null;
  /** Resolves with QEMU's exit status (null when killed by a signal). */
  readonly exited: Promise<number | null>;

  private log = "";
  private readonly marks: SerialMark[] = [];
  private readonly decoder = new StringDecoder("utf8");
  private readonly listeners = new Set<(text: string) => void>();
  /** Called after new serial output and once at exit (waitFor's wake-ups). */
  private readonly waiters = new Set<() => void>();
  private errors = "";
  private running = true;
  private exitStatus: number | null = null;
  private qmp: Qmp | null = null;
  private serialFile: WriteStream | null = null;
  private lastScreen: { width: number; height: number } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    private readonly workDirectory: string,
    accel: "kvm" | "tcg",
    vncAddress: string | null,
    options: MachineOptions,
  ) {
    this.startedAt = performance.now();
    this.accel = accel;
    this.vncAddress = vncAddress;
    if (options.onSerial) this.listeners.add(options.onSerial);
    if (options.serialFile) this.serialFile = createWriteStream(options.serialFile);
    child.stdout!.on("data", (bytes: Buffer) => {
      this.serialFile?.write(bytes);
      const text = this.decoder.write(bytes);
      if (!text) return;
      this.log += text;
      this.marks.push({ end: this.log.length, at: performance.now() });
      for (const listener of this.listeners) listener(text);
      for (const waiter of this.waiters) waiter();
    });
    child.stderr!.setEncoding("utf8").on("data", (text: string) => { this.errors += text; });
    this.exited = new Promise((done) => {
      child.on("exit", (status) => {
        this.running = false;
        this.exitStatus = status;
        for (const waiter of this.waiters) waiter();
        this.cleanup();
        done(status);
      });
    });
  }

  /** Starts a machine and connects to its QMP socket; throws SetupError when the host or image is not ready. */
  static async start(options: MachineOptions): Promise<Machine> {
    const image = resolve(options.image);
    checkImage(image);
    const qemu = findQemu(options.qemu);
    const workDirectory = mkdtempSync(join(tmpdir(), "delos-qemu-"));
    let child: ChildProcess | null = null;
    try {
      const firmware = findFirmware(workDirectory);
      const wantKvm = options.accel === "kvm" || ((options.accel ?? "auto") === "auto" && await kvmWorks(qemu));
      const accel = wantKvm ? "kvm" : "tcg";
      const display = options.display ?? "none";
      const vncDisplay = display === "vnc" ? await freeVncDisplay() : 0;
      const qmpPath = join(workDirectory, "qmp.sock");
      const args = [
        "-name", "delos",
        "-machine", "q35",
        "-accel", accel,
        ...(accel === "kvm" ? ["-cpu", "host"] : ["-cpu", "max"]),
        "-m", String(options.memoryMiB ?? 512),
        "-smp", String(options.cpus ?? 1),
        ...firmware.args,
        "-drive", `if=none,id=system,format=raw,file=${image}${options.writable ? "" : ",snapshot=on"}`,
        "-device", "virtio-blk-pci,drive=system,bootindex=0,disable-legacy=on",
        "-vga", "std",
        "-device", "virtio-tablet-pci",
        ...(options.disks ?? []).flatMap((disk, index) => [
          "-drive", `if=none,id=disk${index},format=raw,file=${resolve(disk)}`,
          "-device", `virtio-blk-pci,drive=disk${index},disable-legacy=on`,
        ]),
        "-device", `isa-debug-exit,iobase=${DEBUG_EXIT_PORT},iosize=1`,
        "-nic", "none",
        "-no-reboot",
        "-monitor", "none",
        "-serial", "stdio",
        "-qmp", `unix:${qmpPath},server=on,wait=off`,
        ...(display === "none" ? ["-display", "none"] : display === "vnc" ? ["-display", "none", "-vnc", `127.0.0.1:${vncDisplay}`] : []),
        ...(options.extraArgs ?? []),
      ];
      const limit = options.timeoutSeconds ?? 0;
      const [command, commandArgs] = limit > 0 && hasTimeoutCommand()
        ? ["timeout", ["--signal=KILL", String(Math.ceil(limit) + 5), qemu, ...args]]
        : [qemu, args];
      child = spawn(command, commandArgs as string[], { detached: true, stdio: ["pipe", "pipe", "pipe"] });
      if (child.pid === undefined) throw new SetupError(`could not start ${qemu}`);
      adopt(child.pid);
      const machine = new Machine(child, workDirectory, accel, display === "vnc" ? `127.0.0.1:${5900 + vncDisplay}` : null, options);
      try {
        machine.qmp = await Qmp.connect(qmpPath, Date.now() + CONNECT_SECONDS * 1000, () => machine.running);
      } catch (error) {
        await new Promise((done) => setTimeout(done, 50));
        machine.kill();
        throw new BootError(`QEMU did not start: ${(error as Error).message}\n${machine.errors.trim()}`, machine.serial);
      }
      return machine;
    } catch (error) {
      if (!child?.pid) rmSync(workDirectory, { recursive: true, force: true });
      throw error;
    }
  }

  /** Everything the guest wrote to the serial console so far. */
  get serial(): string { return this.log; }

  /** QEMU's own messages on stderr. */
  get qemuErrors(): string { return this.errors; }

  get isRunning(): boolean { return this.running; }

  /** Milliseconds since start at which serial offset `end` had arrived. */
  private arrivalOf(end: number): number {
    for (const mark of this.marks) if (mark.end >= end) return mark.at - this.startedAt;
    return performance.now() - this.startedAt;
  }

  /**
   * Resolves when the serial output contains `text`, with the milliseconds
   * from QEMU's start to its arrival; rejects with BootError on timeout or exit.
   */
  waitFor(text: string, timeoutMs = 30_000): Promise<number> {
    const found = this.log.indexOf(text);
    if (found >= 0) return Promise.resolve(this.arrivalOf(found + text.length));
    return new Promise((done, fail) => {
      let searchFrom = Math.max(0, this.log.length - text.length);
      const finish = (error: Error | null, elapsed = 0) => {
        clearTimeout(timer);
        this.waiters.delete(listener);
        if (error) fail(error); else done(elapsed);
      };
      const listener = () => {
        const at = this.log.indexOf(text, searchFrom);
        if (at >= 0) return finish(null, this.arrivalOf(at + text.length));
        searchFrom = Math.max(0, this.log.length - text.length);
        if (!this.running) {
          finish(new BootError(`QEMU exited (status ${this.exitStatus}) before the serial console showed ${JSON.stringify(text)}${this.errors ? `\nQEMU said: ${this.errors.trim()}` : ""}\nlast serial lines:\n${serialTail(this.log)}`, this.log));
        }
      };
      const timer = setTimeout(() => finish(new BootError(
        `timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for ${JSON.stringify(text)} on the serial console (${this.accel})\nlast serial lines:\n${serialTail(this.log)}`, this.log)), timeoutMs);
      this.waiters.add(listener);
      if (!this.running) listener();
    });
  }

  private requireQmp(): Qmp {
    if (!this.qmp || !this.running) throw new BootError("the machine is not running", this.log);
    return this.qmp;
  }

  /** Runs a human monitor command (e.g. `log exec`); returns what the monitor printed. */
  async monitor(commandLine: string): Promise<string> {
    return String(await this.requireQmp().execute("human-monitor-command", { "command-line": commandLine }));
  }

  /** The current screen contents. */
  async screendump(): Promise<Picture> {
    const path = join(this.workDirectory, `screen-${Date.now()}.ppm`);
    await this.requireQmp().execute("screendump", { filename: path });
    const picture = readPpm(readFileSync(path));
    rmSync(path, { force: true });
    this.lastScreen = { width: picture.width, height: picture.height };
    return picture;
  }

  /** Saves the screen as PNG to `file` and returns the picture. */
  async screenshot(file: string): Promise<Picture> {
    const picture = await this.screendump();
    writeFileSync(file, writePng(picture));
    return picture;
  }

  /** Types `--keys` text (see keys.ts) on the emulated keyboard, one chord every `intervalMs`. */
  async sendKeys(text: string, intervalMs = 60): Promise<void> {
    const qmp = this.requireQmp();
    for (const chord of parseKeys(text)) {
      await qmp.execute("send-key", { keys: chord.map((key) => ({ type: "qcode", data: key })), "hold-time": Math.max(10, intervalMs >> 1) });
      await new Promise((done) => setTimeout(done, intervalMs));
    }
  }

  /**
   * Moves the absolute pointer (virtio-tablet) to pixel (x, y) of a screen of
   * the given size (by default the last screendump's) and sets the buttons.
   */
  async pointer(x: number, y: number, buttons: { left?: boolean; right?: boolean; middle?: boolean } = {}, screen = this.lastScreen): Promise<void> {
    const size = screen ?? { width: 1024, height: 768 };
    const scale = (value: number, extent: number) => Math.round(Math.min(Math.max(value, 0), extent - 1) * 0x7fff / Math.max(1, extent - 1));
    const events: unknown[] = [
      { type: "abs", data: { axis: "x", value: scale(x, size.width) } },
      { type: "abs", data: { axis: "y", value: scale(y, size.height) } },
    ];
    for (const button of ["left", "right", "middle"] as const) {
      if (buttons[button] !== undefined) events.push({ type: "btn", data: { button, down: buttons[button] } });
    }
    await this.requireQmp().execute("input-send-event", { events });
  }

  /** Writes to the guest's COM1 input. */
  typeSerial(text: string): void {
    this.child.stdin?.write(text);
  }

  /** Presses the ACPI power button and waits up to `timeoutMs` for the guest to power off, then quits QEMU. */
  async powerdown(timeoutMs = 5_000): Promise<number | null> {
    if (!this.running) return this.exitStatus;
    try {
      await this.requireQmp().execute("system_powerdown");
    } catch {
      // QMP already gone: fall through to the kill
    }
    const timer = new Promise<"late">((done) => setTimeout(() => done("late"), timeoutMs));
    if (await Promise.race([this.exited, timer]) === "late") return this.quit();
    return this.exitStatus;
  }

  /** Ends QEMU at once (QMP quit, then SIGKILL of its process group). */
  async quit(): Promise<number | null> {
    if (!this.running) return this.exitStatus;
    try {
      await Promise.race([this.qmp?.execute("quit"), new Promise((done) => setTimeout(done, 1000))]);
    } catch {
      // the connection closes as QEMU quits
    }
    const timer = new Promise<"late">((done) => setTimeout(() => done("late"), 2000));
    if (await Promise.race([this.exited, timer]) === "late") this.kill();
    return this.exited;
  }

  /** Kills the whole process group now. */
  kill(): void {
    if (this.child.pid !== undefined) reap(this.child.pid);
  }

  /** The QEMU (or `timeout` wrapper) process id: the leader of the machine's process group. */
  get pid(): number { return this.child.pid!; }

  private cleanup(): void {
    this.qmp?.close();
    this.serialFile?.end();
    if (this.child.pid !== undefined) reap(this.child.pid);
    rmSync(this.workDirectory, { recursive: true, force: true });
  }
}
