// The installer: partitions a disk of the block driver as docs/disk-layout.md
// says and copies the running system onto it from the boot disk
// (/dev/disk0), served on /install (protocol.ts; README.md).
//
// The new disk's layout is the boot disk's scaled to the new disk: the ESP,
// the boot payload and the system partition as large as the boot disk's,
// copied sector for sector (the system volume's blocks read through its hash
// tree, with the root from the boot payload, so a changed block stops the
// installation instead of being copied), and a home partition of everything
// up to the last MiB, formatted empty with the file-system library. The GPT
// (sdk/image/gpt.ts) is written last, after a flush, and flushed: a disk
// whose installation was cut short holds no table and is installed again
// without `force`.
//
// The installation runs as a job of a few hundred KiB at a time, each
// started by a timer's pulse, so that between two of them the installer
// answers `status` (how far it is, for the installer window) and `disk`.
// The job is the installer's own work, not a client's state: a restarted
// installer knows of none, and the disk, having no table yet, is installed
// again by the same request.

import "../../sdk/lib/abort";
import { Server } from "../../ipc/client/index";
import { clockCycles, clockNow, componentSelf, connectionCreate, errorName, handleClose, msgReply, nameOpen, timerCreate, timerSet } from "../../ipc/generated/index";
import { Pulse } from "../../ipc/generated/abi";
import { REPLY_LATER } from "../../ipc/client/serve";
import { gptProblem, gptRegions, GptTable, HEAD_SECTORS, Partition, readGpt, Role, SECTOR, TAIL_SECTORS } from "../../sdk/image/gpt";
import { guidFromHash } from "../../sdk/image/guid";
import { BLOCK_SIZE, BlockDevice } from "../../sdk/lib/fs/device";
import { HashTree, VerifiedDevice } from "../../sdk/lib/fs/verity";
import { Volume } from "../../sdk/lib/fs/volume";
import { log } from "../../sdk/lib/log";
import { DiskDevice, DiskSectors, payloadTree, VERITY_PAYLOAD_NAME } from "../files/disk-device";
import {
  INSTALL_ERROR_BAD_PATH, INSTALL_ERROR_BOOT_DISK, INSTALL_ERROR_BUSY, INSTALL_ERROR_HAS_TABLE, INSTALL_ERROR_NO_DISK, INSTALL_ERROR_NO_SOURCE,
  INSTALL_ERROR_TOO_SMALL, INSTALL_PATH, INSTALL_START_REPLY_SIZE, INSTALL_STATUS_REPLY_SIZE, InstallDiskReply, InstallStartReply, InstallStatusReply,
} from "./generated/protocols/install";
import { InstallHandlers, serveInstall } from "./generated/servers/install";
import { DISK_BOOT, DISK_SMALL, DISK_TABLE, STATE_DONE, STATE_FAILED, STATE_IDLE, STATE_RUNNING } from "../../sdk/lib/install-states";

const BOOT_DISK = "/dev/disk0";
const MIB_SECTORS: i64 = (1 << 20) / SECTOR;
const BLOCK_SECTORS: i64 = BLOCK_SIZE / SECTOR;
/** The smallest home volume an installation leaves. */
const HOME_MINIMUM: i64 = 4 * MIB_SECTORS;
/** Room for a request: the disk's path behind the fixed part. */
const CAPACITY: u32 = 512;
/** Progress lines per partition copied. */
const PROGRESS_STEPS: u64 = 4;
/** Blocks one turn of the job copies (256 KiB) before the installer looks at its requests again. */
const TURN_BLOCKS: u64 = 64;
/** The code of the timer's pulse that starts the job's next turn. */
const PULSE_TURN: i32 = 1;
/** The pause between turns: the timer's least (the tick delivers it within 10 ms). */
const TURN_DELAY: i64 = 1_000_000;
/** The job's steps: the three copies, the system volume's hash tree, the home volume, the table. */
const STEP_NAMES: string[] = ["ESP", "boot payload", "system volume (verified)", "system volume (hash tree)", "home volume", "partition table"];

/** What the installation writes: the boot disk's partitions and where each goes on the new disk. */
class Plan {
  /** The boot disk's ESP, payload, system and home partitions. */
  sources: Partition[] = [];
  /** The new disk's partitions, in the boot disk's order (ESP, payload, system, home). */
  partitions: Partition[] = [];
  sectors: i64 = 0;
  home: Partition | null = null;
}

/** The four partitions of the boot disk a copy needs, by role: null (logged) when one is missing. */
function sourcePartitions(table: GptTable): Partition[] | null {
  const roles: Role[] = [Role.Esp, Role.Payload, Role.System, Role.Home];
  const found = new Array<Partition>();
  for (let i = 0; i < roles.length; i++) {
    const partition = table.find(roles[i]);
    if (partition == null) { log(BOOT_DISK + ": no partition of role " + (<i32>roles[i]).toString() + " (docs/disk-layout.md)"); return null; }
    found.push(partition);
  }
  return found;
}

function alignDown(value: i64, to: i64): i64 { return value / to * to; }

/** A random-enough GUID for the new disk: the install is a new disk, not a copy of one. */
function freshGuid(salt: u64): string {
  const seed = (<u64>clockCycles() * 0x9e3779b97f4a7c15) ^ (<u64>clockNow() << 7) ^ <u64>componentSelf() ^ salt;
  return guidFromHash(seed, seed * 0xbf58476d1ce4e5b9 + salt);
}

/** Lays out a disk of `sectors` from the boot disk's partitions: an error status when it cannot hold them. */
function plan(sectors: i64, source: Partition[], into: Plan): i32 {
  let next = MIB_SECTORS;
  for (let i = 0; i < 3; i++) {
    const from = source[i];
    const p = new Partition(from.typeGuid, freshGuid(<u64>i), next, next + alignDown(from.sectors, MIB_SECTORS) - 1, from.name);
    into.partitions.push(p);
    next = p.lastLba + 1;
  }
  const homeEnd = alignDown(sectors - MIB_SECTORS, MIB_SECTORS);
  if (homeEnd - next < HOME_MINIMUM) return INSTALL_ERROR_TOO_SMALL;
  const home = new Partition(source[3].typeGuid, freshGuid(3), next, homeEnd - 1, source[3].name);
  into.partitions.push(home);
  into.home = home;
  into.sectors = sectors;
  return 0;
}

/**
 * One installation, done a turn at a time (`turn`): the copies block by
 * block, then the home volume and the table. What `status` tells.
 */
class Job {
  state: u32 = STATE_RUNNING;
  /** The step under way, an index of STEP_NAMES. */
  step: i32 = 0;
  /** The next block of the step's copy, and its first. */
  block: u64 = 0;
  private first: u64 = 0;
  done: u64 = 0;
  total: u64 = 0;
  /** What went wrong, once failed. */
  failure: string = "";
  private started: i64 = clockNow();
  private buffer: usize = heap.alloc(BLOCK_SIZE);
  /** What the copy reads: the boot disk's partition, or the system volume through its hash tree. */
  private source: BlockDevice | null = null;
  /** The boot disk's partition, and the new disk's, of the copy under way. */
  private sourceDisk: DiskDevice | null = null;
  private target: DiskDevice | null = null;
  private tree: HashTree | null = null;
  /** Blocks of the ESP, payload and system partitions to copy (the last: all, its hash tree included). */
  private blocks: u64[] = [0, 0, 0];

  constructor(readonly disk: string, readonly layout: Plan) {
    for (let i = 0; i < 3; i++) {
      this.blocks[i] = <u64>(min(layout.sources[i].sectors, layout.partitions[i].sectors) / BLOCK_SECTORS);
      this.total += this.blocks[i] * <u64>BLOCK_SIZE;
    }
    log("installing on " + disk + ": " + (layout.sectors / MIB_SECTORS).toString() + " MiB, home " + (layout.home!.sectors / MIB_SECTORS).toString() + " MiB");
  }

  /** What `status` says besides the numbers: the step under way, or what went wrong. */
  get message(): string {
    if (this.state == STATE_FAILED) return this.failure;
    if (this.state == STATE_DONE) return "installed on " + this.disk;
    return STEP_NAMES[this.step] + " onto " + this.disk;
  }

  /** Does the next turn: false once the job ended (state says how). */
  turn(): bool {
    if (this.state != STATE_RUNNING) return false;
    const going = this.advanceAndTell();
    if (!going) {
      heap.free(this.buffer);
      if (this.sourceDisk != null) this.sourceDisk!.close();
      if (this.target != null) this.target!.close();
      this.source = this.sourceDisk = this.target = null;
    }
    return going;
  }

  private advanceAndTell(): bool {
    if (!this.advance()) {
      this.state = STATE_FAILED;
      if (this.failure.length == 0) this.failure = STEP_NAMES[this.step] + ": failed";
      log("failed on " + this.disk + ": " + this.failure);
      return false;
    }
    if (this.step == STEP_NAMES.length) {
      this.state = STATE_DONE;
      this.step = STEP_NAMES.length - 1;
      log("the disk holds " + this.layout.partitions.length.toString() + " partitions, in " + ((clockNow() - this.started) / 1_000_000).toString() + " ms");
      log("done");
      return false;
    }
    return true;
  }

  private fail(why: string): bool {
    this.failure = why;
    return false;
  }

  /** Opens the devices of copy step `step`: false (failure set) when one cannot be reached. */
  private openCopy(): bool {
    const i = min(this.step, 2);
    const from = this.layout.sources[i];
    const to = this.layout.partitions[i];
    const target = new DiskDevice(this.disk, <u64>to.firstLba, <u64>to.sectors);
    const source = new DiskDevice(BOOT_DISK, <u64>from.firstLba, <u64>from.sectors);
    this.target = target;
    this.source = this.sourceDisk = source;
    if (!target.geometry() || !source.geometry()) return this.fail(target.problem + source.problem);
    if (this.step == 2) {
      // The volume through its hash tree, then the record and the tree as they are (the tree checked itself on the way).
      const tree = payloadTree();
      if (tree == null) return this.fail("the boot payload has no sound " + VERITY_PAYLOAD_NAME);
      this.tree = tree;
      this.source = new VerifiedDevice(source, tree);
    }
    return true;
  }

  /** Where the copy of the step under way ends. */
  private copyEnd(): u64 {
    if (this.step == 2) return this.tree!.dataBlocks;
    return this.blocks[min(this.step, 2)];
  }

  /** One turn of the step under way: false (failure set) when it failed. */
  private advance(): bool {
    if (this.step < 4) {
      if (this.source == null && !this.openCopy()) return false;
      const end = this.copyEnd();
      const what = STEP_NAMES[this.step];
      const step = max<u64>(end / PROGRESS_STEPS, 1);
      const source = this.source!, target = this.target!;
      const last = min<u64>(end, this.block + TURN_BLOCKS);
      for (; this.block < last; this.block++) {
        const block = this.block;
        if (!source.read(block, this.buffer)) return this.fail(what + ": " + (source.why().length > 0 ? source.why() : "cannot read block " + block.toString()));
        if (!target.write(block, this.buffer)) return this.fail(what + ": cannot write block " + block.toString() + ": " + target.problem);
        this.done += BLOCK_SIZE;
        if ((block + 1) % step == 0 && block + 1 < end) log(what + ": " + ((block + 1) * 100 / end).toString() + "%");
      }
      if (this.block < end) return true;
      log(what + ": " + (end - this.first).toString() + " blocks copied");
      if (this.step == 2) {
        // The hash tree follows the data: the same partitions, read as it is (it checked itself on the way).
        this.source = this.sourceDisk;
        this.first = this.block;
      } else {
        this.sourceDisk!.close();
        this.target!.close();
        this.source = this.sourceDisk = this.target = null;
        this.block = this.first = 0;
      }
      this.step++;
      return true;
    }
    if (this.step == 4) {
      const home = this.layout.home!;
      const device = new DiskDevice(this.disk, <u64>home.firstLba, <u64>home.sectors);
      if (!device.geometry()) return this.fail(device.problem);
      const volumeId = (<u64>clockCycles() * 0x94d049bb133111eb) ^ <u64>clockNow();
      const formatted = Volume.format(device, volumeId, clockNow());
      const blocks = device.blockCount();
      device.close();
      if (formatted < 0) return this.fail("home volume: cannot format: " + Volume.error);
      log("home volume: " + blocks.toString() + " blocks, empty");
      this.step++;
      return true;
    }
    const whole = new DiskDevice(this.disk);
    const written = whole.geometry() && whole.flush() && writeTable(whole, this.layout);
    const problem = whole.problem;
    whole.close();
    if (!written) return this.fail("partition table: cannot write it: " + problem);
    this.step++;
    return true;
  }
}

/** Writes the protective MBR and both GPT copies through `whole` (the whole disk) and flushes. */
function writeTable(whole: DiskDevice, layout: Plan): bool {
  const regions = gptRegions(layout.sectors, freshGuid(0x6469736b), layout.partitions);
  // HEAD_SECTORS (34) and TAIL_SECTORS (33) are not whole blocks: the blocks around them are read, patched and written.
  if (!patch(whole, 0, regions.head) || !patch(whole, regions.tailLba, regions.tail)) return false;
  if (!whole.flush()) { log(whole.problem); return false; }
  log("GPT written: " + HEAD_SECTORS.toString() + " sectors at its start, " + TAIL_SECTORS.toString() + " at its end");
  return true;
}

/** Writes `bytes` at sector `lba` of the whole disk, by whole blocks. */
function patch(whole: DiskDevice, lba: i64, bytes: Uint8Array): bool {
  const firstBlock = lba / BLOCK_SECTORS;
  const endBlock = (lba + bytes.length / SECTOR + BLOCK_SECTORS - 1) / BLOCK_SECTORS;
  const block = new Uint8Array(BLOCK_SIZE);
  for (let b = firstBlock; b < endBlock; b++) {
    if (!whole.read(<u64>b, block.dataStart)) return false;
    const blockStart = b * BLOCK_SECTORS * SECTOR, from = lba * SECTOR;
    for (let i = 0; i < BLOCK_SIZE; i++) {
      const at = blockStart + i - from;
      if (at >= 0 && at < bytes.length) block[i] = bytes[<i32>at];
    }
    if (!whole.write(<u64>b, block.dataStart)) return false;
  }
  return true;
}

/** Does the disk at `target` hold a GPT, or what looks like a damaged one? Either needs force. */
function holdsTable(target: DiskSectors): bool {
  return readGpt(target) != null || gptProblem.length > 0;
}

/** Lays out `disk` (found by `target`) from the boot disk's partitions into `layout`: 0, or an error status. */
function layOut(target: DiskSectors, layout: Plan): i32 {
  const boot = new DiskSectors(BOOT_DISK);
  const found = boot.geometry();
  const table = found ? readGpt(boot) : null;
  boot.close();
  if (!found) { log(boot.problem); return INSTALL_ERROR_NO_SOURCE; }
  if (table == null) { log(BOOT_DISK + ": " + gptProblem); return INSTALL_ERROR_NO_SOURCE; }
  const source = sourcePartitions(table);
  if (source == null) return INSTALL_ERROR_NO_SOURCE;
  layout.sources = source;
  return plan(target.totalSectors(), source, layout);
}

class Installer extends InstallHandlers {
  /** The installation under way or the last one; null before the first. */
  job: Job | null = null;
  /** Starts the job's turns. */
  timer: i32 = 0;

  start(force: u32, at: usize, length: u32, reply: InstallStartReply): i32 {
    const disk = String.UTF8.decodeUnsafe(at, length);
    if (!disk.startsWith("/dev/disk") || disk.length == 9) return INSTALL_ERROR_BAD_PATH;
    if (disk == BOOT_DISK) return INSTALL_ERROR_BOOT_DISK;
    if (this.job != null && this.job!.state == STATE_RUNNING) return INSTALL_ERROR_BUSY;
    const target = new DiskSectors(disk);
    const found = target.geometry();
    const refused = !found ? INSTALL_ERROR_NO_DISK : holdsTable(target) && force == 0 ? INSTALL_ERROR_HAS_TABLE : 0;
    const layout = new Plan();
    const planned = refused < 0 ? refused : layOut(target, layout);
    if (!found) log(target.problem);
    target.close();
    if (planned < 0) return planned;
    reply.sectors = <u64>layout.sectors;
    reply.homeSectors = <u64>layout.home!.sectors;
    // The answer goes first: the copy takes a while, and its progress is on the console and in `status`.
    msgReply(<u32>this.receiveId, 0, changetype<usize>(reply), INSTALL_START_REPLY_SIZE);
    this.job = new Job(disk, layout);
    this.next();
    return REPLY_LATER;
  }

  disk(index: u32, reply: InstallDiskReply): i32 {
    const path = "/dev/disk" + index.toString();
    // Only a disk the driver registered: the listing ends at the first missing one without waiting for it.
    const probe = nameOpen(path, 0);
    if (probe < 0) return INSTALL_ERROR_NO_DISK;
    handleClose(probe);
    // Asked about once: its connection and buffers go at the end, so that listing again and again costs nothing lasting.
    const target = new DiskSectors(path);
    if (!target.geometry()) { log(target.problem); target.close(); return INSTALL_ERROR_NO_DISK; }
    let flags: u32 = 0;
    if (path == BOOT_DISK) flags |= DISK_BOOT;
    if (holdsTable(target)) flags |= DISK_TABLE;
    if (path != BOOT_DISK && layOut(target, new Plan()) == INSTALL_ERROR_TOO_SMALL) flags |= DISK_SMALL;
    reply.sectors = <u64>target.totalSectors();
    reply.flags = flags;
    target.close();
    return 0;
  }

  status(reply: InstallStatusReply): i32 {
    const job = this.job;
    reply.steps = <u32>STEP_NAMES.length;
    if (job == null) {
      reply.state = STATE_IDLE;
      reply.step = reply.length = 0;
      reply.done = reply.total = 0;
      return 0;
    }
    reply.state = job.state;
    reply.step = <u32>job.step + 1;
    reply.done = job.done;
    reply.total = job.total;
    const message = String.UTF8.encode(job.message);
    const length = min<u32>(<u32>message.byteLength, CAPACITY - INSTALL_STATUS_REPLY_SIZE);
    memory.copy(changetype<usize>(reply) + INSTALL_STATUS_REPLY_SIZE, changetype<usize>(message), length);
    reply.length = length;
    return <i32>length;
  }

  pulse(pulse: Pulse): void {
    if (pulse.code != PULSE_TURN || this.job == null) return;
    if (this.job!.turn()) this.next();
  }

  /** Arms the timer for the job's next turn: requests waiting meanwhile are answered first. */
  private next(): void {
    const armed = timerSet(this.timer, TURN_DELAY, 0);
    if (armed < 0) { log("cannot arm the timer: " + errorName(armed)); while (this.job!.turn()) {} }
  }
}

export function _start(): void {
  const server = new Server(INSTALL_PATH);
  if (!server.isServing) { log("cannot serve " + INSTALL_PATH + ": " + errorName(server.error)); return; }
  const installer = new Installer();
  const connection = connectionCreate(server.channel);
  installer.timer = connection < 0 ? connection : timerCreate(connection, PULSE_TURN, 0);
  if (installer.timer < 0) { log("cannot make the timer of the installation's turns: " + errorName(installer.timer)); return; }
  const failed = serveInstall(installer, server.channel, CAPACITY);
  log("receiving on " + INSTALL_PATH + " failed: " + errorName(failed));
}
