// The file server's body, shared by its instances: the Delos file system
// (sdk/lib/fs) over a volume of the block driver, served under a path by
// the stateless files protocol (ipc/table/protocols/storage.ts; README.md).
// Which volume and where is a Mount: `files` serves the whole of
// /dev/disk1 on /files, `home` the boot disk's home partition on /home,
// `system` its system partition on /system, read-only and verified against
// the hash tree whose root the boot payload carries. One instance per
// mount, so that each is killed, restarted and replaced on its own.
//
// It keeps nothing of its clients. A file is named by a handle (volume,
// inode, generation) and the client keeps its offsets; create, mkdir,
// remove and rename carry (client, sequence) and their replies are
// recorded on the volume in the same commit as the change
// (sdk/lib/fs/service.ts). What lives in this instance's memory is the
// mounted volume and the writes not yet committed, and the verifier that
// tells clients when such writes may have died with an instance. So it may
// be killed at any instruction: init starts it again, it mounts the last
// commit, and each re-sent request gets the answer it would have had.

import "../../sdk/lib/abort";
import { Server } from "../../ipc/client/index";
import { clockCycles, clockNow, componentSelf, errorName, FILES_TRANSFER_MAXIMUM, FILES_WRITE_STABLE, handleClose, msgSend, nameOpen } from "../../ipc/generated/index";
import {
  FILES_ERROR_INVALID, FILES_ERROR_NO_VOLUME, FILES_READDIR_REPLY_ENTRIES, FILES_READ_REPLY_DATA, FilesCommitReply, FilesCreateReply, FilesGetattrReply, FilesLookupReply, FilesMkdirReply, FilesReadReply, FilesReaddirReply, FilesRemoveReply, FilesRenameReply, FilesRootReply, FilesSetSizeReply, FilesStatfsReply, FilesWriteReply,
} from "../../ipc/generated/protocols/files";
import { FilesHandlers, serveFiles } from "../../ipc/generated/servers/files";
import { BLOCK_SIZE, BlockDevice } from "../../sdk/lib/fs/device";
import { FileHandle, FileService, Reply } from "../../sdk/lib/fs/service";
import { Volume } from "../../sdk/lib/fs/volume";
import { TYPE_DIRECTORY } from "../../sdk/lib/fs/format";
import * as fsStatus from "../../sdk/lib/fs/errors";
import { log } from "../../sdk/lib/log";
import { VerifiedDevice } from "../../sdk/lib/fs/verity";
import { gptProblem, readGpt, Role } from "../../sdk/image/gpt";
import { CLOCK_PATH, CLOCK_TIME, CLOCK_TIME_REPLY_SIZE, CLOCK_TIME_REQUEST_SIZE, ClockTimeReply } from "../../drivers/clock/generated/protocols/clock";
import { DiskDevice, DiskSectors, payloadTree } from "./disk-device";

/** What an instance serves: a volume of a disk, under a path. */
export class Mount {
  constructor(
    /** The path clients name (FilesClient(path)). */
    readonly path: string,
    /** The block driver's disk. */
    readonly disk: string,
    /** The partition holding the volume, found by its type in the disk's GPT; Role.Other: the whole disk. */
    readonly role: Role,
  ) {}
}

/** How long a mount waits for the clock driver to be registered. */
const CLOCK_WAIT: i64 = 2_000_000_000;

/** Room for a write of FILES_TRANSFER_MAXIMUM bytes, or a rename's two names, behind the fixed part. */
const BUFFER_SIZE: u32 = FILES_TRANSFER_MAXIMUM + 1024;
/** Entries asked of the volume per readdir page: at most 272 bytes each, so a page fits the reply. */
const READDIR_ENTRIES: i32 = 64;

let mount: Mount = new Mount("/files", "/dev/disk1", Role.Other);
/** The disk range of the mounted volume, once found. */
let disk: DiskDevice | null = null;
/** New for every instance: a client that sees it change knows its unstable writes may be gone. */
const verifier: u64 = (<u64>clockCycles() << 16) ^ <u64>componentSelf() ^ <u64>clockNow();
let service: FileService | null = null;

/** A file-system status as a reply status: 0 and counts as they are, FILES_ERROR_* for the library's statuses. */
function statusOf(status: i64): i32 {
  if (status >= 0) return <i32>status;
  // A disk that failed or a block that does not check (on /system: does not match the hash tree) is worth the console.
  if ((status == fsStatus.IO || status == fsStatus.CORRUPT) && service != null) log(mount.path + ": " + service!.message);
  return status >= fsStatus.READ_ONLY ? <i32>(status - 255) : <i32>status;
}

/** Nanoseconds since 1970 at clock.now 0, from the clock driver; 0 while it has not answered. */
let wallOffset: i64 = 0;

/** Asks the clock driver (/dev/clock) for the time once, so that stamps are UTC: false when it does not answer (stamps are then time since boot). */
function readWallClock(): bool {
  const connection = nameOpen(CLOCK_PATH, CLOCK_WAIT);
  if (connection < 0) { log("cannot open " + CLOCK_PATH + ": " + errorName(connection) + "; times are stamped since the boot until it answers"); return false; }
  const request = heap.alloc(CLOCK_TIME_REQUEST_SIZE);
  const reply = changetype<ClockTimeReply>(heap.alloc(CLOCK_TIME_REPLY_SIZE));
  store<u32>(request, CLOCK_TIME);
  const status = msgSend(connection, request, CLOCK_TIME_REQUEST_SIZE, changetype<usize>(reply), CLOCK_TIME_REPLY_SIZE);
  handleClose(connection);
  if (status >= 0) wallOffset = <i64>reply.seconds * 1_000_000_000 - <i64>reply.uptime;
  heap.free(request);
  heap.free(changetype<usize>(reply));
  if (status < 0) log(CLOCK_PATH + ": clock.time: " + errorName(status) + "; times are stamped since the boot until it answers");
  return status >= 0;
}

/** The time stamped on changes: UTC nanoseconds since 1970 once the clock driver told it, else since the boot. */
function now(): i64 { return wallOffset + clockNow(); }

/** The disk range of the mount's volume: the whole disk, or the partition of its role in the disk's GPT; null (logged) when not found. */
function findVolume(): DiskDevice | null {
  if (mount.role == Role.Other) {
    const whole = new DiskDevice(mount.disk);
    if (!whole.geometry()) { log(whole.problem); return null; }
    return whole;
  }
  const sectors = new DiskSectors(mount.disk);
  if (!sectors.geometry()) { log(sectors.problem); return null; }
  const table = readGpt(sectors);
  if (table == null) { log(mount.disk + ": " + (gptProblem.length > 0 ? gptProblem : "no GPT (no protective MBR)")); return null; }
  const partition = table.find(mount.role);
  if (partition == null) { log(mount.disk + ": the GPT has no partition of the type " + mount.path + " mounts"); return null; }
  if (table.fromBackup) log(mount.disk + ": the primary GPT does not check (" + table.primaryProblem + "); the backup copy was read");
  const range = new DiskDevice(mount.disk, <u64>partition.firstLba, <u64>partition.sectors);
  if (!range.geometry()) { log(range.problem); return null; }
  log(mount.disk + ": partition " + partition.number.toString() + " \"" + partition.name + "\", sectors " + partition.firstLba.toString() + "-"
    + partition.lastLba.toString() + ", mounted at " + mount.path);
  return range;
}

/** The mounted volume's service, mounting it first if needed (the disk driver may have come late): null when it cannot. */
function mounted(): FileService | null {
  if (service != null) return service;
  if (disk == null) disk = findVolume();
  const range = disk;
  if (range == null) return null;
  let device: BlockDevice = range;
  if (mount.role == Role.System) {
    const tree = payloadTree();
    if (tree == null) return null;
    device = new VerifiedDevice(range, tree);
  }
  if (wallOffset == 0) readWallClock();
  const volume = Volume.mount(device);
  if (volume == null) { log(mount.path + ": cannot mount: " + Volume.error); return null; }
  volume.now = now();
  for (let i = 0; i < Volume.notes.length; i++) log(mount.path + ": " + Volume.notes[i]);
  log(mount.path + ": volume " + volume.superblock.volumeId.toString(16) + " of " + volume.superblock.blockCount.toString()
    + " blocks mounted" + (device.readOnly() ? " read-only, verified against the hash tree," : "") + " at generation "
    + volume.superblock.generation.toString() + ", " + volume.freeBlocks.toString() + " free");
  service = new FileService(volume, verifier);
  return service;
}

/** The service with its clock set, or null (then the request's status is NO_VOLUME). */
function ready(): FileService | null {
  const files = mounted();
  if (files != null) files.volume.now = now();
  return files;
}

function name(at: usize, length: u32): string { return String.UTF8.decodeUnsafe(at, length); }

function handle(volume: u64, inode: u64, generation: u64): FileHandle { return new FileHandle(volume, inode, generation); }

/** The status of a non-idempotent request's reply, telling a replayed one on the console. */
function answered(result: Reply): i32 {
  if (result.replayed) log("replayed a recorded reply (status " + result.status.toString() + ")");
  return statusOf(result.status);
}

/** Answers a create or mkdir: the new handle and whether the reply is the recorded one. */
function made(result: Reply, reply: FilesCreateReply): i32 {
  const handle = result.handle;
  if (result.status == 0 && handle != null) {
    reply.volume = handle.volume;
    reply.inode = handle.inode;
    reply.generation = handle.generation;
  }
  reply.replayed = result.replayed ? 1 : 0;
  return answered(result);
}

class Files extends FilesHandlers {
  root(reply: FilesRootReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    const root = files.root();
    reply.volume = root.volume;
    reply.inode = root.inode;
    reply.generation = root.generation;
    reply.verifier = verifier;
    return 0;
  }

  lookup(volume: u64, inode: u64, generation: u64, at: usize, length: u32, reply: FilesLookupReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    const found = files.lookup(handle(volume, inode, generation), name(at, length));
    if (found == null) return statusOf(files.status);
    const attributes = files.getattr(found);
    if (attributes == null) return statusOf(files.status);
    reply.volume = found.volume;
    reply.inode = found.inode;
    reply.generation = found.generation;
    reply.kind = attributes.type;
    return 0;
  }

  getattr(volume: u64, inode: u64, generation: u64, reply: FilesGetattrReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    const attributes = files.getattr(handle(volume, inode, generation));
    if (attributes == null) return statusOf(files.status);
    reply.kind = attributes.type;
    reply.mode = attributes.mode;
    reply.length = attributes.type == TYPE_DIRECTORY ? attributes.entries : attributes.size;
    reply.created = attributes.created;
    reply.modified = attributes.modified;
    return 0;
  }

  read(volume: u64, inode: u64, generation: u64, offset: u64, count: u32, reply: FilesReadReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    if (count > FILES_TRANSFER_MAXIMUM) return FILES_ERROR_INVALID;
    const file = handle(volume, inode, generation);
    const attributes = files.getattr(file);
    if (attributes == null) return statusOf(files.status);
    const read = files.read(file, offset, changetype<usize>(reply) + FILES_READ_REPLY_DATA, count);
    if (read < 0) return statusOf(read);
    reply.fileSize = attributes.size;
    reply.count = <u32>read;
    return <i32>read;
  }

  write(volume: u64, inode: u64, generation: u64, offset: u64, stable: u32, data: usize, dataLength: u32, reply: FilesWriteReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    if (dataLength == 0 || dataLength > FILES_TRANSFER_MAXIMUM) return FILES_ERROR_INVALID;
    const written = files.write(handle(volume, inode, generation), offset, data, dataLength, stable == FILES_WRITE_STABLE);
    if (written < 0) return statusOf(written);
    reply.count = <u32>written;
    reply.verifier = verifier;
    return 0;
  }

  commit(reply: FilesCommitReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    const committed = files.commit();
    if (committed < 0) return statusOf(committed);
    reply.verifier = verifier;
    return 0;
  }

  create(client: u64, sequence: u64, volume: u64, inode: u64, generation: u64, mode: u32, at: usize, length: u32, reply: FilesCreateReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    return made(files.create(client, sequence, handle(volume, inode, generation), name(at, length), mode), reply);
  }

  mkdir(client: u64, sequence: u64, volume: u64, inode: u64, generation: u64, mode: u32, at: usize, length: u32, reply: FilesMkdirReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    // The two replies have one layout: the new handle, then `replayed`.
    return made(files.mkdir(client, sequence, handle(volume, inode, generation), name(at, length), mode), changetype<FilesCreateReply>(reply));
  }

  remove(client: u64, sequence: u64, volume: u64, inode: u64, generation: u64, at: usize, length: u32, reply: FilesRemoveReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    const result = files.remove(client, sequence, handle(volume, inode, generation), name(at, length));
    reply.replayed = result.replayed ? 1 : 0;
    return answered(result);
  }

  rename(client: u64, sequence: u64, fromVolume: u64, fromInode: u64, fromGeneration: u64, toVolume: u64, toInode: u64, toGeneration: u64,
    fromLength: u32, names: usize, namesLength: u32, reply: FilesRenameReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    if (fromLength > namesLength) return FILES_ERROR_INVALID;
    const result = files.rename(client, sequence, handle(fromVolume, fromInode, fromGeneration), name(names, fromLength),
      handle(toVolume, toInode, toGeneration), name(names + fromLength, namesLength - fromLength));
    reply.replayed = result.replayed ? 1 : 0;
    return answered(result);
  }

  readdir(volume: u64, inode: u64, generation: u64, cookie: u64, reply: FilesReaddirReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    const page = files.readdir(handle(volume, inode, generation), cookie, READDIR_ENTRIES);
    if (page == null) return statusOf(files.status);
    const start = changetype<usize>(reply) + FILES_READDIR_REPLY_ENTRIES;
    const room = <usize>(BUFFER_SIZE - FILES_READDIR_REPLY_ENTRIES);
    let at = start;
    for (let i = 0; i < page.entries.length; i++) {
      const entry = page.entries[i];
      const bytes = String.UTF8.byteLength(entry.name);
      const size = (16 + <usize>bytes + 7) & ~<usize>7;
      // An item of entries that sharing one hash pushed past the page's room: the page cannot be cut inside an item.
      if (at + size - start > room) { log("readdir: a page of " + page.entries.length.toString() + " entries does not fit the reply"); return FILES_ERROR_INVALID; }
      store<u64>(at, entry.inode);
      store<u32>(at + 8, entry.type);
      store<u32>(at + 12, <u32>bytes);
      String.UTF8.encodeUnsafe(changetype<usize>(entry.name), entry.name.length, at + 16);
      at += size;
    }
    reply.next = page.next;
    reply.count = <u32>page.entries.length;
    return <i32>(at - start);
  }

  statfs(reply: FilesStatfsReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    const volume = files.volume;
    reply.volume = volume.superblock.volumeId;
    reply.blocks = volume.superblock.blockCount;
    reply.free = volume.freeBlocks;
    reply.blockSize = <u32>BLOCK_SIZE;
    return 0;
  }

  setSize(volume: u64, inode: u64, generation: u64, newSize: u64, stable: u32, reply: FilesSetSizeReply): i32 {
    const files = ready();
    if (files == null) return FILES_ERROR_NO_VOLUME;
    const result = files.setSize(handle(volume, inode, generation), newSize, stable == FILES_WRITE_STABLE);
    if (result < 0) return statusOf(result);
    reply.verifier = verifier;
    return 0;
  }
}

/** Serves `what` until receiving fails: an instance's whole life. */
export function serveMount(what: Mount): void {
  mount = what;
  const server = new Server(mount.path);
  if (!server.isServing) { log("cannot serve " + mount.path + ": " + errorName(server.error)); return; }
  // Mounted at once when the disk is there, so that a restart shows in the log; otherwise at the first request.
  mounted();
  const failed = serveFiles(new Files(), server.channel, BUFFER_SIZE);
  log("receiving on " + mount.path + " failed: " + errorName(failed));
}
