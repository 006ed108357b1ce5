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
// without `force`. The installer keeps nothing between requests.

import "../../sdk/lib/abort";
import { Server } from "../../ipc/client/index";
import { clockCycles, clockNow, componentSelf, errorName, msgReply } from "../../ipc/generated/index";
import { REPLY_LATER } from "../../ipc/client/serve";
import { gptProblem, gptRegions, GptTable, HEAD_SECTORS, Partition, readGpt, Role, SECTOR, TAIL_SECTORS } from "../../sdk/image/gpt";
import { guidFromHash } from "../../sdk/image/guid";
import { BLOCK_SIZE, BlockDevice } from "../../sdk/lib/fs/device";
import { VerifiedDevice } from "../../sdk/lib/fs/verity";
import { Volume } from "../../sdk/lib/fs/volume";
import { log } from "../../sdk/lib/log";
import { DiskDevice, DiskSectors, payloadTree } from "../files/disk-device";
import {
  INSTALL_ERROR_BAD_PATH, INSTALL_ERROR_BOOT_DISK, INSTALL_ERROR_HAS_TABLE, INSTALL_ERROR_NO_DISK, INSTALL_ERROR_NO_SOURCE, INSTALL_ERROR_TOO_SMALL,
  INSTALL_PATH, INSTALL_START_REPLY_SIZE, InstallStartReply,
} from "./generated/protocols/install";
import { InstallHandlers, serveInstall } from "./generated/servers/install";

const BOOT_DISK = "/dev/disk0";
const MIB_SECTORS: i64 = (1 << 20) / SECTOR;
const BLOCK_SECTORS: i64 = BLOCK_SIZE / SECTOR;
/** The smallest home volume an installation leaves. */
const HOME_MINIMUM: i64 = 4 * MIB_SECTORS;
/** Room for a request: the disk's path behind the fixed part. */
const CAPACITY: u32 = 512;
/** Progress lines per partition copied. */
const PROGRESS_STEPS: u64 = 4;

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

/** Copies `blocks` blocks from `from` to `to`, telling progress: false (logged) on the first failure. */
function copy(what: string, from: BlockDevice, to: BlockDevice, blocks: u64, buffer: usize): bool {
  const step = max<u64>(blocks / PROGRESS_STEPS, 1);
  for (let block: u64 = 0; block < blocks; block++) {
    if (!from.read(block, buffer)) { log(what + ": " + (from.why().length > 0 ? from.why() : "cannot read block " + block.toString())); return false; }
    if (!to.write(block, buffer)) { log(what + ": cannot write block " + block.toString()); return false; }
    if ((block + 1) % step == 0 && block + 1 < blocks) log(what + ": " + ((block + 1) * 100 / blocks).toString() + "%");
  }
  log(what + ": " + blocks.toString() + " blocks copied");
  return true;
}

/** The copy and the home volume, then the table: false (logged) when a step failed. */
function install(disk: string, layout: Plan): bool {
  const started = clockNow();
  const buffer = heap.alloc(BLOCK_SIZE);
  const names: string[] = ["ESP", "boot payload", "system volume"];
  for (let i = 0; i < 3; i++) {
    const from = layout.sources[i];
    const to = layout.partitions[i];
    const target = new DiskDevice(disk, <u64>to.firstLba, <u64>to.sectors);
    const source = new DiskDevice(BOOT_DISK, <u64>from.firstLba, <u64>from.sectors);
    if (!target.geometry() || !source.geometry()) { log(target.problem + source.problem); return false; }
    const blocks = <u64>(min(from.sectors, to.sectors) / BLOCK_SECTORS);
    if (i == 2) {
      // The volume through its hash tree, then the record and the tree as they are (the tree checked itself on the way).
      const tree = payloadTree();
      if (tree == null) return false;
      const verified = new VerifiedDevice(source, tree);
      if (!copy(names[i] + " (verified)", verified, target, tree.dataBlocks, buffer)) return false;
      if (!copyFrom(names[i] + " (hash tree)", source, target, tree.dataBlocks, blocks, buffer)) return false;
    } else if (!copy(names[i], source, target, blocks, buffer)) return false;
  }
  const home = layout.home!;
  const homeDevice = new DiskDevice(disk, <u64>home.firstLba, <u64>home.sectors);
  if (!homeDevice.geometry()) { log(homeDevice.problem); return false; }
  const volumeId = (<u64>clockCycles() * 0x94d049bb133111eb) ^ <u64>clockNow();
  const formatted = Volume.format(homeDevice, volumeId, clockNow());
  if (formatted < 0) { log("home volume: cannot format: " + Volume.error); return false; }
  log("home volume: " + homeDevice.blockCount().toString() + " blocks, empty");
  const whole = new DiskDevice(disk);
  if (!whole.geometry() || !whole.flush()) { log(whole.problem); return false; }
  if (!writeTable(whole, layout)) return false;
  log("the disk holds " + layout.partitions.length.toString() + " partitions, in " + ((clockNow() - started) / 1_000_000).toString() + " ms");
  return true;
}

/** Copies blocks `first` … `end`−1 as they are. */
function copyFrom(what: string, from: BlockDevice, to: BlockDevice, first: u64, end: u64, buffer: usize): bool {
  for (let block = first; block < end; block++) {
    if (!from.read(block, buffer) || !to.write(block, buffer)) { log(what + ": cannot copy block " + block.toString()); return false; }
  }
  log(what + ": " + (end - first).toString() + " blocks copied");
  return true;
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

class Installer extends InstallHandlers {
  start(force: u32, at: usize, length: u32, reply: InstallStartReply): i32 {
    const disk = String.UTF8.decodeUnsafe(at, length);
    if (!disk.startsWith("/dev/disk") || disk.length == 9) return INSTALL_ERROR_BAD_PATH;
    if (disk == BOOT_DISK) return INSTALL_ERROR_BOOT_DISK;
    const target = new DiskSectors(disk);
    if (!target.geometry()) { log(target.problem); return INSTALL_ERROR_NO_DISK; }
    const existing = readGpt(target);
    if ((existing != null || gptProblem.length > 0) && force == 0) return INSTALL_ERROR_HAS_TABLE;
    const boot = new DiskSectors(BOOT_DISK);
    if (!boot.geometry()) { log(boot.problem); return INSTALL_ERROR_NO_SOURCE; }
    const table = readGpt(boot);
    if (table == null) { log(BOOT_DISK + ": " + gptProblem); return INSTALL_ERROR_NO_SOURCE; }
    const source = sourcePartitions(table);
    if (source == null) return INSTALL_ERROR_NO_SOURCE;
    const layout = new Plan();
    layout.sources = source;
    const planned = plan(target.totalSectors(), source, layout);
    if (planned < 0) return planned;
    reply.sectors = <u64>layout.sectors;
    reply.homeSectors = <u64>layout.home!.sectors;
    // The answer goes first: the copy takes a while, and its progress is on the console.
    msgReply(<u32>this.receiveId, 0, changetype<usize>(reply), INSTALL_START_REPLY_SIZE);
    log("installing on " + disk + ": " + (layout.sectors / MIB_SECTORS).toString() + " MiB, home " + (layout.home!.sectors / MIB_SECTORS).toString() + " MiB");
    log(install(disk, layout) ? "done" : "failed on " + disk);
    return REPLY_LATER;
  }
}

export function _start(): void {
  const server = new Server(INSTALL_PATH);
  if (!server.isServing) { log("cannot serve " + INSTALL_PATH + ": " + errorName(server.error)); return; }
  const failed = serveInstall(new Installer(), server.channel, CAPACITY);
  log("receiving on " + INSTALL_PATH + " failed: " + errorName(failed));
}
