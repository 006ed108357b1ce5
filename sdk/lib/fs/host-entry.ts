// The file-system library as the host runs it (in V8): the block device is
// four imported functions (`env.deviceBlocks`, `deviceRead`, `deviceWrite`,
// `deviceFlush`), given by sdk/host/fs-volume.ts over a disk image file or by
// the tests over an array in memory, and the operations are exports over one
// mounted volume. Built to build/fs.wasm by sdk/build/build.mjs.

import { BLOCK_SIZE, BlockDevice } from "./device";
import { CheckReport, check } from "./fsck";
import { Inode, ROOT_INODE, TYPE_DIRECTORY } from "./format";
import { FileHandle, FileService, Reply } from "./service";
import { Volume } from "./volume";
import { DIGEST_SIZE, sha256 } from "./sha256";
import { HashTree, VERITY_RECORD_SIZE, VerifiedDevice, buildHashTree } from "./verity";
import * as status from "./errors";

@external("env", "deviceBlocks") declare function deviceBlocks(): u64;
@external("env", "deviceRead") declare function deviceRead(block: u64, into: usize): bool;
@external("env", "deviceWrite") declare function deviceWrite(block: u64, from: usize): bool;
@external("env", "deviceFlush") declare function deviceFlush(): bool;

class ImportedDevice extends BlockDevice {
  blockCount(): u64 { return deviceBlocks(); }
  read(block: u64, into: usize): bool { return deviceRead(block, into); }
  write(block: u64, from: usize): bool { return deviceWrite(block, from); }
  flush(): bool { return deviceFlush(); }
}

const device = new ImportedDevice();
/** The device operations use: the imported one, or a VerifiedDevice over it after `mountVerified`. */
let active: BlockDevice = device;
let volume: Volume | null = null;
let service: FileService | null = null;
let message = "";
let clock: i64 = 0;

export const blockSize = BLOCK_SIZE;

export function allocate(bytes: u32): usize { return heap.alloc(bytes); }
export function release(at: usize): void { heap.free(at); }

/** Why the last call failed. */
export function lastMessage(): string { return message; }

/** Sets the clock stamped on changes (nanoseconds since 1970). */
export function setClock(now: i64): void {
  clock = now;
  if (volume != null) volume!.now = now;
}

/** Makes an empty volume on the device. */
export function format(volumeId: u64): i32 {
  volume = null;
  active = device;
  const result = Volume.format(device, volumeId, clock);
  message = Volume.error;
  return result;
}

/** Mounts the volume on the device (dropping any volume mounted before, and its uncommitted changes). */
export function mount(verifier: u64): i32 {
  active = device;
  return mountActive(verifier);
}

function mountActive(verifier: u64): i32 {
  volume = Volume.mount(active);
  if (volume == null) {
    service = null;
    message = Volume.error;
    return Volume.error.startsWith("not a Delos volume") ? status.NOT_VOLUME : status.CORRUPT;
  }
  volume!.now = clock;
  service = new FileService(volume!, verifier);
  return status.OK;
}

function mounted(): Volume {
  assert(volume != null, "no volume is mounted");
  return volume!;
}

function result(value: i64): i64 {
  if (value < 0) message = mounted().message;
  return value;
}

export function commit(): i32 { return <i32>result(mounted().commit()); }
export function generation(): u64 { return mounted().superblock.generation; }
export function volumeId(): u64 { return mounted().superblock.volumeId; }
export function blockCount(): u64 { return mounted().superblock.blockCount; }
export function freeBlocks(): u64 { return mounted().freeBlocks; }

/** The inode `path` (absolute, '/'-separated) names, or a negative status. */
export function lookupPath(path: string): i64 {
  const v = mounted();
  let inode = ROOT_INODE;
  const parts = path.split("/");
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].length == 0) continue;
    const entry = v.lookup(inode, parts[i]);
    if (entry == null) { message = v.message; return v.lastStatus; }
    inode = entry.inode;
  }
  return <i64>inode;
}

/** Stat of an inode, into `statFields`: generation, type, mode, size, created, modified, changed, entries. */
const statFields = new StaticArray<i64>(8);
export function stat(inode: u64): i32 {
  const found: Inode | null = mounted().inode(inode);
  if (found == null) { message = "no inode " + inode.toString(); return status.NOT_FOUND; }
  statFields[0] = <i64>found.generation;
  statFields[1] = <i64>found.type;
  statFields[2] = <i64>found.mode;
  statFields[3] = <i64>found.size;
  statFields[4] = found.created;
  statFields[5] = found.modified;
  statFields[6] = found.changed;
  statFields[7] = <i64>found.entries;
  return status.OK;
}
export function statAddress(): usize { return changetype<usize>(statFields); }

export function create(directory: u64, name: string, type: u32, mode: u32): i64 { return result(mounted().create(directory, name, type, mode)); }
export function remove(directory: u64, name: string): i32 { return <i32>result(mounted().remove(directory, name)); }
export function rename(from: u64, fromName: string, to: u64, toName: string): i32 { return <i32>result(mounted().rename(from, fromName, to, toName)); }
export function read(inode: u64, offset: u64, into: usize, length: u32): i64 { return result(mounted().read(inode, offset, into, length)); }
export function write(inode: u64, offset: u64, from: usize, length: u32): i64 { return result(mounted().write(inode, offset, from, length)); }
export function truncate(inode: u64, size: u64): i32 { return <i32>result(mounted().truncate(inode, size)); }

/** The names in `directory`, one a line: type (d or f), inode, name; or "" with a negative `listStatus`. */
let listStatus: i32 = 0;
export function list(directory: u64): string {
  const v = mounted();
  let text = "";
  let cookie: u64 = 0;
  for (;;) {
    const page = v.list(directory, cookie, 64);
    if (page == null) { listStatus = v.lastStatus; message = v.message; return ""; }
    for (let i = 0; i < page.entries.length; i++) {
      const entry = page.entries[i];
      text += (entry.type == TYPE_DIRECTORY ? "d " : "f ") + entry.inode.toString() + " " + entry.name + "\n";
    }
    if (page.next == 0) break;
    cookie = page.next;
  }
  listStatus = status.OK;
  return text;
}
export function lastListStatus(): i32 { return listStatus; }

/** Checks the device's volume: "" when sound, else one problem a line. Figures in `checkFigures`. */
const checkFigures = new StaticArray<u64>(8);
let checkNotes = "";
export function fsck(): string {
  const report: CheckReport = check(active);
  checkNotes = report.notes.join("\n");
  checkFigures[0] = report.generation;
  checkFigures[1] = report.files;
  checkFigures[2] = report.directories;
  checkFigures[3] = report.nodes;
  checkFigures[4] = report.dataBlocks;
  checkFigures[5] = report.usedBlocks;
  checkFigures[6] = report.blockCount;
  checkFigures[7] = report.replyRecords;
  return report.problems.join("\n");
}
export function checkFiguresAddress(): usize { return changetype<usize>(checkFigures); }
/** The notes of the last fsck, one a line. */
export function fsckNotes(): string { return checkNotes; }

// The stateless service (service.ts): handles as (volume, inode, generation), replies in `replyFields`.

const replyFields = new StaticArray<i64>(4);
function reply(r: Reply): i32 {
  const handle = r.handle;
  replyFields[0] = handle != null ? <i64>handle.inode : 0;
  replyFields[1] = handle != null ? <i64>handle.generation : 0;
  replyFields[2] = r.replayed ? 1 : 0;
  if (r.status < 0) message = mounted().message;
  return r.status;
}
export function replyAddress(): usize { return changetype<usize>(replyFields); }

function files(): FileService {
  assert(service != null, "no volume is mounted");
  return service!;
}

export function serviceLookup(volume: u64, inode: u64, generation: u64, name: string): i32 {
  const handle = files().lookup(new FileHandle(volume, inode, generation), name);
  return reply(new Reply(handle != null ? status.OK : files().status, handle, false));
}
export function serviceGetSize(volume: u64, inode: u64, generation: u64): i64 {
  const found = files().getattr(new FileHandle(volume, inode, generation));
  if (found == null) { message = files().message; return files().status; }
  return <i64>found.size;
}
export function serviceRead(volume: u64, inode: u64, generation: u64, offset: u64, into: usize, length: u32): i64 {
  return result(files().read(new FileHandle(volume, inode, generation), offset, into, length));
}
export function serviceWrite(volume: u64, inode: u64, generation: u64, offset: u64, from: usize, length: u32, stable: bool): i64 {
  return result(files().write(new FileHandle(volume, inode, generation), offset, from, length, stable));
}
export function serviceCreate(client: u64, sequence: u64, volume: u64, inode: u64, generation: u64, name: string, directory: bool): i32 {
  const at = new FileHandle(volume, inode, generation);
  return reply(directory ? files().mkdir(client, sequence, at, name, 0o755) : files().create(client, sequence, at, name, 0o644));
}
export function serviceRemove(client: u64, sequence: u64, volume: u64, inode: u64, generation: u64, name: string): i32 {
  return reply(files().remove(client, sequence, new FileHandle(volume, inode, generation), name));
}
export function serviceRename(client: u64, sequence: u64, volume: u64, fromInode: u64, fromGeneration: u64, fromName: string,
  toInode: u64, toGeneration: u64, toName: string): i32 {
  return reply(files().rename(client, sequence, new FileHandle(volume, fromInode, fromGeneration), fromName,
    new FileHandle(volume, toInode, toGeneration), toName));
}

// The verified system volume (verity.ts): the record goes in and out through `verityRecord`.

const verityRecord = new StaticArray<u8>(VERITY_RECORD_SIZE);
export function verityRecordAddress(): usize { return changetype<usize>(verityRecord); }

/** The record in `verityRecord`, or null with the message set. */
function recordTree(): HashTree | null {
  const tree = HashTree.decode(changetype<usize>(verityRecord), VERITY_RECORD_SIZE);
  if (tree == null) message = HashTree.error;
  return tree;
}

/** Builds the hash tree over the device's first `dataBlocks` blocks; its record into `verityRecord`. */
export function verityBuild(dataBlocks: u64): i32 {
  const tree = buildHashTree(device, dataBlocks);
  if (tree == null) { message = HashTree.error; return status.IO; }
  tree.encode(changetype<usize>(verityRecord));
  return status.OK;
}

/** Checks the record in `verityRecord`; its root hash in hexadecimal, or "" with the message set. */
export function verityRoot(): string {
  const tree = recordTree();
  return tree == null ? "" : tree.rootHex;
}

/** Mounts the volume read-only through a VerifiedDevice of the record in `verityRecord`. */
export function mountVerified(verifier: u64): i32 {
  const tree = recordTree();
  if (tree == null) { volume = null; service = null; return status.INVALID; }
  active = new VerifiedDevice(device, tree);
  return mountActive(verifier);
}

/** Figures of the last `verify`: blocks checked, blocks refused, tree levels, tree blocks. */
const verifyFigures = new StaticArray<u64>(4);
export function verifyFiguresAddress(): usize { return changetype<usize>(verifyFigures); }

/** Reads every block of the volume through a fresh VerifiedDevice: "" when all match, else one refusal a line (at most `limit`). */
export function verify(limit: i32): string {
  const tree = recordTree();
  if (tree == null) {
    for (let i = 0; i < 4; i++) verifyFigures[i] = 0;
    return message;
  }
  const verified = new VerifiedDevice(device, tree);
  const block = heap.alloc(BLOCK_SIZE);
  const lines = new Array<string>();
  for (let at: u64 = 0; at < tree.dataBlocks; at++) {
    if (!verified.read(at, block) && lines.length < limit) lines.push(verified.why());
  }
  heap.free(block);
  verifyFigures[0] = tree.dataBlocks;
  verifyFigures[1] = verified.refused;
  verifyFigures[2] = <u64>tree.levels;
  verifyFigures[3] = tree.treeBlocks;
  return lines.join("\n");
}

/** The SHA-256 of `length` bytes at `data` (sha256.ts), for the tests that check it against another implementation. */
const digestOut = new StaticArray<u8>(DIGEST_SIZE);
export function digest(data: usize, length: usize): usize {
  sha256(data, length, changetype<usize>(digestOut));
  return changetype<usize>(digestOut);
}
