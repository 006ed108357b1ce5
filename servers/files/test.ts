// The file server's in-OS test, on the test boot's volume (/dev/disk1, made
// by the host with `delos fs mkfs` and `put`: tests/storage/disks.ts),
// through the client library (sdk/lib/files.ts) as apps use it.
//
// 1. It reads the file the host put there, writes a copy of it prefixed
//    (COPY_PATH), syncs; the host reads that with `delos fs cat` after the
//    boot and runs fsck (tests/storage/storage.test.ts).
// 2. The operations one by one: lookup, getattr, read and write at
//    offsets, setSize, mkdir, readdir with its cookie, rename across
//    directories, remove, statfs, and their errors (EXISTS, NOT_FOUND,
//    NOT_EMPTY, STALE for a removed file's handle).
// 3. A create and a rename sent again, the same (client, sequence), after
//    init restarted the server: answered from the record on the volume.
// 4. A mixed workload — creates, unstable and stable writes, syncs,
//    renames, removes — while a thread of its own has init kill the file
//    server (and twice the disk driver) every few tens of milliseconds. A
//    create that were done twice would answer EXISTS, a rename or remove
//    NOT_FOUND; none may. At the end the directory holds exactly what a
//    model kept alongside says, every file with its contents, also after
//    one more restart: nothing synced was lost, nothing done twice.
// 5. The same with several clients at once: CLIENTS threads, each with a
//    FilesClient of its own (its own client id and sequence), create,
//    write, rename (within their directory and across into a shared one)
//    and remove files while the killer has init kill the server again and
//    again. Each keeps a model; at the end /multi holds exactly the union
//    of the models, every file with its contents, after one more restart.

import "../../sdk/lib/abort";
import { componentExit, clockCycles, errorName, threadCreate, threadSleep, FILES_TYPE_FILE, PRIORITY_DEFAULT } from "../../ipc/generated/index";
import {
  FILES_ERROR_EXISTS, FILES_ERROR_NOT_EMPTY, FILES_ERROR_NOT_FOUND, FILES_ERROR_STALE,
} from "../../ipc/generated/protocols/files";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { FileRef, FilesClient, filesStatusName } from "../../sdk/lib/files";
import { connectInit, initRestart, initStart, initStatus, initStatusReply } from "../../tests/os/runner/init-client";

const GREETING_PATH = "/greeting.txt";
const GREETING = "hello from the host, through delos fs put\n";
const COPY_NAME = "written-on-delos.txt";
const COPY_PREFIX = "Delos read: ";
/** Files the crash workload creates. */
const WORKLOAD_FILES: i32 = 48;
const SERVER_KILLS: u32 = 8;
/** Clients of the concurrent workload, each a thread with its own session, and the files each creates. */
const CLIENTS: i32 = 3;
const CLIENT_FILES: i32 = 24;
const CONCURRENT_KILLS: u32 = 10;

const files = new FilesClient();
const buffer = heap.alloc(64 << 10);

function text(value: string): usize {
  const bytes = String.UTF8.encode(value);
  memory.copy(buffer, changetype<usize>(bytes), bytes.byteLength);
  return buffer;
}

function must(file: FileRef | null, what: string): FileRef {
  expect(file != null, what + ": " + filesStatusName(files.status));
  return file!;
}

function writeText(file: FileRef, offset: u64, value: string, stable: bool): void {
  const length = <u32>String.UTF8.byteLength(value);
  const written = files.write(file, offset, text(value), length, stable);
  expect(written == <i64>length, "write of " + length.toString() + " bytes: " + filesStatusName(<i32>written));
}

function readText(file: FileRef, offset: u64, length: u32): string {
  const read = files.read(file, offset, buffer, length);
  expect(read >= 0, "read: " + filesStatusName(<i32>read));
  return String.UTF8.decodeUnsafe(buffer, <usize>read);
}

const contentsBuffer = heap.alloc(16 << 10);

/** Puts what file `index` of the workload holds (a few KiB that differ from file to file) in `into` (contentsBuffer): its length. */
function contents(index: i32, into: usize = contentsBuffer): u32 {
  const length: u32 = 2000 + <u32>(index * 3677) % 9000;
  let state = <u32>(index * 0x9e3779b1) | 1;
  for (let i: u32 = 0; i < length; i++) {
    state ^= state << 13; state ^= state >> 17; state ^= state << 5;
    store<u8>(into + i, <u8>state);
  }
  return length;
}

/** The greeting read, copied with a prefix, synced. */
function greeting(root: FileRef): void {
  const file = must(files.resolve(GREETING_PATH), "lookup of " + GREETING_PATH);
  const read = readText(file, 0, 4096);
  expect(read == GREETING, "the host's file reads back as put: \"" + read + "\"");
  const copy = must(files.create(root, COPY_NAME), "create " + COPY_NAME);
  writeText(copy, 0, COPY_PREFIX, false);
  writeText(copy, <u64>COPY_PREFIX.length, read, false);
  expect(files.sync() == 0, "sync: " + filesStatusName(files.status));
}

/** Each operation and its errors once. */
function operations(root: FileRef): void {
  const directory = must(files.mkdir(root, "ops"), "mkdir /ops");
  expect(files.mkdir(root, "ops") == null && files.status == FILES_ERROR_EXISTS, "a second mkdir /ops is EXISTS");
  const file = must(files.create(directory, "a"), "create /ops/a");
  expect(files.create(directory, "a") == null && files.status == FILES_ERROR_EXISTS, "a second create /ops/a is EXISTS");
  writeText(file, 0, "0123456789", true);
  writeText(file, 5, "abcdefghij", false);
  expect(readText(file, 0, 100) == "01234abcdefghij", "a write at offset 5 overwrites and grows");
  expect(readText(file, 12, 100) == "hij", "a read at offset 12");
  expect(readText(file, 100, 100) == "", "a read past the end reads nothing");
  const attributes = files.getattr(file);
  expect(attributes != null && attributes.length == 15 && attributes.kind == FILES_TYPE_FILE, "getattr: a file of 15 bytes");
  expect(files.setSize(file, 4, false) == 0 && readText(file, 0, 100) == "0123", "setSize cuts to 4 bytes");
  const large = must(files.create(directory, "large"), "create /ops/large");
  expect(files.write(large, 0, buffer, 64 << 10, false) == 64 << 10, "a write of 64 KiB in two requests");
  expect(files.read(large, 0, buffer, 64 << 10) == 64 << 10, "a read of 64 KiB in two requests");
  for (let i = 0; i < 30; i++) must(files.create(directory, "entry-" + i.toString()), "create entry " + i.toString());
  const listed = files.list(directory);
  expect(listed != null && listed.length == 32, "readdir lists the 32 entries: " + (listed == null ? filesStatusName(files.status) : listed.length.toString()));
  const other = must(files.mkdir(root, "ops-other"), "mkdir /ops-other");
  expect(files.rename(directory, "a", other, "b") == 0, "rename /ops/a to /ops-other/b");
  const moved = must(files.lookup(other, "b"), "lookup /ops-other/b");
  expect(moved.inode == file.inode && readText(moved, 0, 100) == "0123", "the renamed file is the same file");
  expect(files.lookup(directory, "a") == null && files.status == FILES_ERROR_NOT_FOUND, "/ops/a is gone");
  expect(files.remove(root, "ops-other") == FILES_ERROR_NOT_EMPTY, "removing a directory with an entry is NOT_EMPTY");
  expect(files.remove(other, "b") == 0, "remove /ops-other/b");
  expect(files.getattr(file) == null && files.status == FILES_ERROR_STALE, "the removed file's handle is STALE");
  expect(files.remove(other, "b") == FILES_ERROR_NOT_FOUND, "a second remove is NOT_FOUND");
  expect(files.remove(root, "ops-other") == 0, "remove the empty /ops-other");
  const space = files.statfs();
  expect(space != null && space.blocks == (32 << 20) / 4096 && space.free > 0 && space.free < space.blocks, "statfs of the 32 MiB volume");
}

let kills: u32 = 0;
let driverKills: u32 = 0;
let working = true;

/** A thread: has init kill the file server every 20..120 ms, and the disk driver at the 3rd and 6th time, `rounds` times while the workload runs. */
function killer(rounds: i32): void {
  let random = <u64>clockCycles() | 1;
  for (let round: u32 = 0; round < <u32>rounds && working; round++) {
    random ^= random << 13; random ^= random >> 7; random ^= random << 17;
    threadSleep(<i64>(20 + random % 100) * 1_000_000);
    const name = round == 2 || round == 5 ? "disk" : "files";
    if (initStatus(name) < 0 || initStatusReply.component == 0) continue;
    const next = initRestart(initStatusReply.component);
    if (next <= 0) { log("init.restart of " + name + ": " + errorName(next)); continue; }
    if (name == "disk") driverKills++; else kills++;
  }
}

/** The crash workload: the names the model expects in /work, each with its file index. */
function workload(root: FileRef): Map<string, i32> {
  const work = must(files.mkdir(root, "work"), "mkdir /work");
  const model = new Map<string, i32>();
  const thread = threadCreate(killer.index, SERVER_KILLS, 12);
  expect(thread > 0, "thread.create of the killer: " + errorName(thread));
  for (let i = 0; i < WORKLOAD_FILES; i++) {
    const name = "f" + i.toString();
    const file = files.create(work, name);
    expect(file != null, "create /work/" + name + " (a create done twice would be EXISTS): " + filesStatusName(files.status));
    const length = contents(i);
    expect(files.write(file!, 0, contentsBuffer, length, i % 7 == 3) == <i64>length, "write /work/" + name + ": " + filesStatusName(files.status));
    model.set(name, i);
    if (i % 3 == 2) {
      const renamed = "r" + i.toString();
      expect(files.rename(work, name, work, renamed) == 0, "rename /work/" + name + " (a rename done twice would be NOT_FOUND): " + filesStatusName(files.status));
      model.delete(name);
      model.set(renamed, i);
    }
    if (i % 5 == 4) {
      const victim = "f" + (i - 1).toString();
      if (model.has(victim)) {
        expect(files.remove(work, victim) == 0, "remove /work/" + victim + " (a remove done twice would be NOT_FOUND): " + filesStatusName(files.status));
        model.delete(victim);
      }
    }
    if (i % 4 == 3) expect(files.sync() == 0, "sync after file " + i.toString() + ": " + filesStatusName(files.status));
  }
  expect(files.sync() == 0, "the last sync: " + filesStatusName(files.status));
  working = false;
  return model;
}

/** /work holds exactly the model's files with their contents. */
function matches(work: FileRef, model: Map<string, i32>, when: string): void {
  const listed = files.list(work);
  expect(listed != null, "readdir /work " + when + ": " + filesStatusName(files.status));
  expect(listed!.length == model.size, "/work holds " + listed!.length.toString() + " entries " + when + ", the model " + model.size.toString());
  for (let i = 0; i < listed!.length; i++) {
    const name = listed![i].name;
    expect(model.has(name), "/work/" + name + " is not in the model (" + when + ")");
    const file = must(files.lookup(work, name), "lookup /work/" + name);
    const length = contents(model.get(name));
    const read = files.read(file, 0, buffer, 16 << 10);
    expect(read == <i64>length && memory.compare(buffer, contentsBuffer, length) == 0, "/work/" + name + " holds its contents " + when);
  }
}

/**
 * A reply lost with the server, deterministically: a create and a rename
 * are done, init restarts the server, and the very same requests (same
 * client, same sequence) are sent again, as the client library does when
 * the server died between its commit and its reply. The new instance
 * answers them from the record on the volume — the same file, OK — instead
 * of doing them again (EXISTS, NOT_FOUND).
 */
function replayed(root: FileRef): void {
  const replays = files.replays;
  const made = must(files.create(root, "once"), "create /once");
  expect(initStatus("files") >= 0 && initRestart(initStatusReply.component) > 0, "init restarts the file server after the create");
  files.sequence--;
  const again = must(files.create(root, "once"), "the create sent again after the restart (without the record: EXISTS)");
  expect(again.inode == made.inode && again.generation == made.generation, "the create sent again names the same file");
  expect(files.rename(root, "once", root, "twice") == 0, "rename /once to /twice");
  expect(initStatus("files") >= 0 && initRestart(initStatusReply.component) > 0, "init restarts the file server after the rename");
  files.sequence--;
  expect(files.rename(root, "once", root, "twice") == 0, "the rename sent again after the restart (without the record: NOT_FOUND): " + filesStatusName(files.status));
  expect(files.replays == replays + 2, "both were answered from the record (" + (files.replays - replays).toString() + ")");
  const moved = must(files.lookup(root, "twice"), "lookup /twice");
  expect(moved.inode == made.inode, "/twice is the file made once");
  expect(files.lookup(root, "once") == null && files.status == FILES_ERROR_NOT_FOUND, "/once is gone");
}

/** What one client of the concurrent workload did: the paths below /multi it left, each with its file index. */
const clientModels = new Array<Map<string, i32> | null>(CLIENTS);
let clientsDone: i32 = 0;

/**
 * A thread: client `number` of the concurrent workload, with its own
 * session (client id, sequence, kept writes) and buffer. In /multi/cN it
 * creates and writes its files, renames every third within the directory
 * and every fourth across into /multi/shared, removes every fifth's
 * predecessor, and syncs now and then.
 */
function client(number: i32): void {
  const files = new FilesClient();
  const buffer = heap.alloc(16 << 10);
  const model = new Map<string, i32>();
  const directoryName = "c" + number.toString();
  const multi = files.resolve("/multi");
  expect(multi != null, "client " + number.toString() + ": lookup /multi: " + filesStatusName(files.status));
  const directory = files.mkdir(multi!, directoryName);
  expect(directory != null, "client " + number.toString() + ": mkdir /multi/" + directoryName + ": " + filesStatusName(files.status));
  const shared = files.lookup(multi!, "shared");
  expect(shared != null, "client " + number.toString() + ": lookup /multi/shared: " + filesStatusName(files.status));
  for (let i = 0; i < CLIENT_FILES; i++) {
    const index = 1000 * (number + 1) + i;
    const name = "f" + i.toString();
    const path = directoryName + "/" + name;
    const file = files.create(directory!, name);
    expect(file != null, "client " + number.toString() + ": create /multi/" + path + " (done twice: EXISTS): " + filesStatusName(files.status));
    const length = contents(index, buffer);
    expect(files.write(file!, 0, buffer, length, i % 5 == 1) == <i64>length, "client " + number.toString() + ": write /multi/" + path + ": " + filesStatusName(files.status));
    model.set(path, index);
    if (i % 4 == 1) {
      const moved = "c" + number.toString() + "-" + i.toString();
      expect(files.rename(directory!, name, shared!, moved) == 0,
        "client " + number.toString() + ": rename /multi/" + path + " to /multi/shared/" + moved + " (done twice: NOT_FOUND): " + filesStatusName(files.status));
      model.delete(path);
      model.set("shared/" + moved, index);
    } else if (i % 3 == 2) {
      const renamed = "r" + i.toString();
      expect(files.rename(directory!, name, directory!, renamed) == 0,
        "client " + number.toString() + ": rename /multi/" + path + " (done twice: NOT_FOUND): " + filesStatusName(files.status));
      model.delete(path);
      model.set(directoryName + "/" + renamed, index);
    }
    if (i % 5 == 4) {
      const victim = directoryName + "/f" + (i - 1).toString();
      if (model.has(victim)) {
        expect(files.remove(directory!, "f" + (i - 1).toString()) == 0,
          "client " + number.toString() + ": remove /multi/" + victim + " (done twice: NOT_FOUND): " + filesStatusName(files.status));
        model.delete(victim);
      }
    }
    if (i % 4 == 3) expect(files.sync() == 0, "client " + number.toString() + ": sync after file " + i.toString() + ": " + filesStatusName(files.status));
  }
  expect(files.sync() == 0, "client " + number.toString() + ": the last sync: " + filesStatusName(files.status));
  clientModels[number] = model;
  totalResends += files.resends;
  totalReplays += files.replays;
  clientsDone++;
}

let totalResends: u32 = 0;
let totalReplays: u32 = 0;

/** Runs the concurrent workload under the killer: the union of the clients' models, paths below /multi. */
function concurrent(root: FileRef): Map<string, i32> {
  must(files.mkdir(root, "multi"), "mkdir /multi");
  must(files.mkdir(must(files.resolve("/multi"), "lookup /multi"), "shared"), "mkdir /multi/shared");
  working = true;
  const before = kills;
  const thread = threadCreate(killer.index, CONCURRENT_KILLS, 12);
  expect(thread > 0, "thread.create of the killer: " + errorName(thread));
  for (let number = 0; number < CLIENTS; number++) {
    const made = threadCreate(client.index, number, PRIORITY_DEFAULT);
    expect(made > 0, "thread.create of client " + number.toString() + ": " + errorName(made));
  }
  while (clientsDone < CLIENTS) threadSleep(20_000_000);
  working = false;
  const union = new Map<string, i32>();
  for (let number = 0; number < CLIENTS; number++) {
    const model = clientModels[number]!;
    const keys = model.keys();
    for (let i = 0; i < keys.length; i++) union.set(keys[i], model.get(keys[i]));
  }
  log("files-test: " + CLIENTS.toString() + " clients at once, " + (CLIENTS * CLIENT_FILES).toString() + " files created, "
    + union.size.toString() + " kept; " + (kills - before).toString() + " file server kills; " + totalResends.toString()
    + " requests re-sent, " + totalReplays.toString() + " answered from the recorded reply");
  expect(kills - before >= 2, "the file server was killed while the clients worked (" + (kills - before).toString() + " times)");
  return union;
}

/** /multi holds exactly the union of the clients' models (paths below /multi), every file with its contents. */
function matchesUnion(union: Map<string, i32>): void {
  let found = 0;
  const directories = ["shared"];
  for (let number = 0; number < CLIENTS; number++) directories.push("c" + number.toString());
  for (let d = 0; d < directories.length; d++) {
    const directory = must(files.resolve("/multi/" + directories[d]), "lookup /multi/" + directories[d]);
    const listed = files.list(directory);
    expect(listed != null, "readdir /multi/" + directories[d] + ": " + filesStatusName(files.status));
    for (let i = 0; i < listed!.length; i++) {
      const path = directories[d] + "/" + listed![i].name;
      expect(union.has(path), "/multi/" + path + " is in no client's model");
      const file = must(files.lookup(directory, listed![i].name), "lookup /multi/" + path);
      const length = contents(union.get(path));
      const read = files.read(file, 0, buffer, 16 << 10);
      expect(read == <i64>length && memory.compare(buffer, contentsBuffer, length) == 0, "/multi/" + path + " holds its contents");
      found++;
    }
  }
  expect(found == union.size, "/multi holds " + found.toString() + " files, the union of the models " + union.size.toString());
}

export function _start(): void {
  expect(connectInit() > 0, "name.open /init");
  expect(initStart("disk") > 0, "init starts the disk driver");
  expect(initStart("files") > 0, "init starts the file server");
  const root = must(files.root(), "files.root");
  greeting(root);
  operations(root);
  replayed(root);
  const model = workload(root);
  // The killer is done, or stops at its next wake-up: one more restart of our own, then the check.
  threadSleep(150_000_000);
  expect(initStatus("files") >= 0, "init.status files");
  const starts = initStatusReply.starts;
  expect(initRestart(initStatusReply.component) > 0, "init restarts the file server once more");
  const work = must(files.resolve("/work"), "lookup /work after the restarts");
  matches(work, model, "after " + kills.toString() + " server kills");
  expect(initStatus("files") >= 0 && initStatusReply.starts > starts, "the file server was started again");
  log("files-test: " + WORKLOAD_FILES.toString() + " files created, " + model.size.toString() + " kept; " + kills.toString()
    + " file server kills and " + driverKills.toString() + " disk driver kills during the workload; " + files.resends.toString()
    + " requests re-sent, " + files.replays.toString() + " answered from the recorded reply");
  expect(kills >= 2, "the file server was killed during the workload (" + kills.toString() + " times)");
  const union = concurrent(root);
  threadSleep(150_000_000);
  expect(initStatus("files") >= 0 && initRestart(initStatusReply.component) > 0, "init restarts the file server after the clients' workload");
  matchesUnion(union);
  componentExit(0);
}
