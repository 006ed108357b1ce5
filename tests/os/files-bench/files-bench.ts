// The storage bench on Delos (tests/bench/fs.ts): the workload the host
// runs on the file-system library in V8 (sequential write and read,
// small-file creates under one commit, creates each with its own commit,
// one synced commit alone), here through the client library, the file
// server and the block driver on the bench image's volume (/dev/disk1).
// Each figure is a console line `NAME UNITS NS CYCLES`, which the kernel
// prefixes with `files-bench: `: the host boots
// the image once for times and TSC cycles, once with -icount, where a
// nanosecond is an instruction. Figures only: nothing is checked but that
// each operation succeeded.

import "../../../sdk/lib/abort";
import { clockCycles, clockNow, componentExit, threadSleep, FILES_TRANSFER_MAXIMUM } from "../../../ipc/generated/index";
import { FileRef, FilesClient, filesStatusName } from "../../../sdk/lib/files";
import { log } from "../../../sdk/lib/log";

/** The sequential file: MiB written, then read, in requests of the largest transfer. */
const SEQUENTIAL_MIB: u32 = 8;
const SMALL_FILES: i32 = 200;
const SMALL_BYTES: u32 = 100;
const SYNCED_FILES: i32 = 40;
const COMMITS: i32 = 40;

const files = new FilesClient();
const buffer = heap.alloc(FILES_TRANSFER_MAXIMUM);

function figure(name: string, units: u64, nanoseconds: i64, cycles: u64): void {
  log(name + " " + units.toString() + " " + nanoseconds.toString() + " " + cycles.toString());
}

function must<T>(value: T, what: string): T {
  if (value == null) { log("failed: " + what + ": " + filesStatusName(files.status)); componentExit(1); }
  return value;
}

function succeeded(status: i64, what: string): void {
  if (status < 0) { log("failed: " + what + ": " + filesStatusName(<i32>status)); componentExit(1); }
}

function sequential(root: FileRef): void {
  for (let i: u32 = 0; i < FILES_TRANSFER_MAXIMUM; i++) store<u8>(buffer + i, <u8>(i * 7));
  const file = must(files.create(root, "sequential"), "create /sequential");
  const bytes: u64 = <u64>SEQUENTIAL_MIB << 20;
  let ns = clockNow(), cycles = clockCycles();
  for (let at: u64 = 0; at < bytes; at += FILES_TRANSFER_MAXIMUM) succeeded(files.write(file!, at, buffer, FILES_TRANSFER_MAXIMUM, false), "write");
  succeeded(files.sync(), "sync of the sequential file");
  figure("write", bytes, clockNow() - ns, clockCycles() - cycles);
  ns = clockNow(); cycles = clockCycles();
  for (let at: u64 = 0; at < bytes; at += FILES_TRANSFER_MAXIMUM) succeeded(files.read(file!, at, buffer, FILES_TRANSFER_MAXIMUM), "read");
  figure("read", bytes, clockNow() - ns, clockCycles() - cycles);
}

function small(root: FileRef): void {
  const directory = must(files.mkdir(root, "small"), "mkdir /small");
  let ns = clockNow(), cycles = clockCycles();
  for (let i = 0; i < SMALL_FILES; i++) {
    const file = must(files.create(directory!, "file-" + i.toString()), "create /small/file-" + i.toString());
    succeeded(files.write(file!, 0, buffer, SMALL_BYTES, false), "write of a small file");
  }
  succeeded(files.sync(), "sync of the small files");
  figure("creates", <u64>SMALL_FILES, clockNow() - ns, clockCycles() - cycles);
  ns = clockNow(); cycles = clockCycles();
  for (let i = 0; i < SYNCED_FILES; i++) {
    const file = must(files.create(directory!, "synced-" + i.toString()), "create /small/synced-" + i.toString());
    succeeded(files.write(file!, 0, buffer, SMALL_BYTES, false), "write of a synced file");
    succeeded(files.sync(), "sync of a synced file");
  }
  figure("synced-creates", <u64>SYNCED_FILES, clockNow() - ns, clockCycles() - cycles);
  // One commit alone: a small unstable write, then its commit timed.
  const file = must(files.create(directory!, "committed"), "create /small/committed");
  for (let i = 0; i < COMMITS; i++) {
    succeeded(files.write(file!, <u64>i * SMALL_BYTES, buffer, SMALL_BYTES, false), "write before a commit");
    ns = clockNow(); cycles = clockCycles();
    succeeded(files.sync(), "commit");
    figure("commit", 1, clockNow() - ns, clockCycles() - cycles);
  }
}

export function _start(): void {
  // The file server mounts once the disk driver serves: the first request waits for both.
  let root = files.root();
  for (let tries = 0; root == null && tries < 50; tries++) { threadSleep(100_000_000); root = files.root(); }
  must(root, "files.root");
  log("started");
  sequential(root!);
  small(root!);
  log("done");
  componentExit(0);
}
