// The block driver's in-OS test, on the test boot's scratch disk
// (/dev/disk2, 4 MiB of zeros: tests/storage/disks.ts). Its geometry is
// right; what is written (one sector, a whole 64 KiB transfer, the last
// sector) reads back, after a flush too; requests past the end, of no
// sectors, of part of a sector or longer than a transfer are refused with
// the protocol's errors and the driver answers on; and writes sent through
// a NamedConnection while init restarts the driver three times under them
// all arrive:
// every one is re-sent to the next instance and reads back, so nothing
// answered is lost.

import "../../sdk/lib/abort";
import { componentExit, errorName, msgSend, nameOpen, threadCreate, threadSleep, DISK_SECTOR_SIZE, DISK_TRANSFER_MAXIMUM, ERROR_TOO_LARGE } from "../../ipc/generated/index";
import { NamedConnection } from "../../ipc/client/index";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { connectInit, initRestart, initStart } from "../../tests/os/runner/init-client";
import {
  DISK_ERROR_NOT_WHOLE_SECTORS, DISK_ERROR_PAST_END, DISK_ERROR_TOO_LONG, DISK_FLUSH, DISK_FLUSH_REQUEST_SIZE, DISK_GEOMETRY,
  DISK_GEOMETRY_REPLY_SIZE, DISK_GEOMETRY_REQUEST_SIZE, DISK_READ, DISK_READ_REQUEST_SIZE, DISK_WRITE, DISK_WRITE_REQUEST_DATA,
  DiskGeometryReply, DiskReadRequest, DiskWriteRequest,
} from "../../ipc/generated/protocols/disk";

const PATH = "/dev/disk2";
/** The scratch disk's size (tests/storage/disks.ts). */
const SECTORS: u64 = (4 << 20) / 512;
const RESTARTS: u32 = 3;
/** Sectors written one by one while the driver is restarted under them, and the most writes before the restarts must be done. */
const STREAM_WRITES: u32 = 300;
const STREAM_LIMIT: u32 = 100_000;

const request = heap.alloc(DISK_WRITE_REQUEST_DATA + DISK_TRANSFER_MAXIMUM + DISK_SECTOR_SIZE);
const reply = heap.alloc(DISK_TRANSFER_MAXIMUM);
const disk = new NamedConnection(PATH);

function pattern(sector: u64, index: u32, seed: u32): u8 { return <u8>((<u32>sector * 31 + index * 7 + seed) & 0xff); }

/** Fills `count` sectors from `sector` of the write request with the pattern of `seed`. */
function fill(sector: u64, count: u32, seed: u32): void {
  for (let s: u32 = 0; s < count; s++) {
    for (let i: u32 = 0; i < DISK_SECTOR_SIZE; i++) store<u8>(request + DISK_WRITE_REQUEST_DATA + s * DISK_SECTOR_SIZE + i, pattern(sector + s, i, seed));
  }
}

function write(sector: u64, bytes: u32): i32 {
  const message = changetype<DiskWriteRequest>(request);
  message.operation = DISK_WRITE;
  message.sector = sector;
  return disk.send(request, DISK_WRITE_REQUEST_DATA + bytes, reply, 0);
}

function read(sector: u64, count: u32): i32 {
  const message = changetype<DiskReadRequest>(request);
  message.operation = DISK_READ;
  message.sector = sector;
  message.count = count;
  return disk.send(request, DISK_READ_REQUEST_SIZE, reply, DISK_TRANSFER_MAXIMUM);
}

function flush(): i32 {
  store<u32>(request, DISK_FLUSH);
  return disk.send(request, DISK_FLUSH_REQUEST_SIZE, reply, 0);
}

/** Whether the `count` sectors read into the reply hold the pattern of `seed`. */
function holds(sector: u64, count: u32, seed: u32): bool {
  for (let s: u32 = 0; s < count; s++) {
    for (let i: u32 = 0; i < DISK_SECTOR_SIZE; i++) if (load<u8>(reply + s * DISK_SECTOR_SIZE + i) != pattern(sector + s, i, seed)) return false;
  }
  return true;
}

function writeAndCheck(sector: u64, count: u32, seed: u32): void {
  fill(sector, count, seed);
  const what = count.toString() + " sectors at " + sector.toString();
  const written = write(sector, count * DISK_SECTOR_SIZE);
  expect(written >= 0, "write of " + what + ": " + errorName(written));
  const got = read(sector, count);
  expect(got >= 0, "read of " + what + ": " + errorName(got));
  expect(holds(sector, count, seed), "the " + what + " read back as written");
}

let restarted: u32 = 0;
let streaming = true;

/** A thread: has init restart the driver RESTARTS times while the stream runs. */
function restarter(_argument: i32): void {
  let instance = <u32>initStart("disk");
  for (let round: u32 = 0; round < RESTARTS && streaming; round++) {
    threadSleep(<i64>(10 + 20 * round) * 1_000_000);
    const next = initRestart(instance);
    if (next <= 0) { log("init.restart of the disk driver: " + errorName(next)); return; }
    instance = <u32>next;
    restarted++;
  }
}

export function _start(): void {
  expect(connectInit() > 0, "name.open /init");
  expect(initStart("disk") > 0, "init starts the disk driver");

  store<u32>(request, DISK_GEOMETRY);
  const status = disk.send(request, DISK_GEOMETRY_REQUEST_SIZE, reply, DISK_GEOMETRY_REPLY_SIZE);
  expect(status >= 0, "disk.geometry: " + errorName(status));
  const geometry = changetype<DiskGeometryReply>(reply);
  expect(geometry.sectors == SECTORS, "the scratch disk has " + SECTORS.toString() + " sectors, not " + geometry.sectors.toString());
  expect(geometry.readOnly == 0 && geometry.transferMaximum == DISK_TRANSFER_MAXIMUM, "writable, with the protocol's largest transfer");
  expect(geometry.blockSize % DISK_SECTOR_SIZE == 0, "the block size is whole sectors");
  const flushes = geometry.flushes;

  writeAndCheck(0, 1, 1);
  writeAndCheck(8, DISK_TRANSFER_MAXIMUM / DISK_SECTOR_SIZE, 2);
  writeAndCheck(SECTORS - 1, 1, 3);
  expect(flush() >= 0, "disk.flush");
  expect(read(0, 1) >= 0 && holds(0, 1, 1), "sector 0 holds its pattern after the flush");

  expect(read(SECTORS, 1) == DISK_ERROR_PAST_END, "a read at the end is PAST_END");
  expect(read(SECTORS - 1, 2) == DISK_ERROR_PAST_END, "a read reaching past the end is PAST_END");
  expect(read(0xffffffffffffffff, 1) == DISK_ERROR_PAST_END, "a read at sector 2^64 - 1 is PAST_END");
  expect(read(0, 0) == DISK_ERROR_NOT_WHOLE_SECTORS, "a read of no sectors is NOT_WHOLE_SECTORS");
  expect(read(0, DISK_TRANSFER_MAXIMUM / DISK_SECTOR_SIZE + 1) == DISK_ERROR_TOO_LONG, "a read of a sector more than a transfer is TOO_LONG");
  expect(write(0, 100) == DISK_ERROR_NOT_WHOLE_SECTORS, "a write of 100 bytes is NOT_WHOLE_SECTORS");
  expect(write(SECTORS - 1, 2 * DISK_SECTOR_SIZE) == DISK_ERROR_PAST_END, "a write reaching past the end is PAST_END");
  const tooLong = write(0, DISK_TRANSFER_MAXIMUM + DISK_SECTOR_SIZE);
  expect(tooLong == DISK_ERROR_TOO_LONG || tooLong == ERROR_TOO_LARGE, "a write of a sector more than a transfer is refused: " + errorName(tooLong));
  expect(read(SECTORS - 1, 1) >= 0 && holds(SECTORS - 1, 1, 3), "the refused write left the last sector alone");

  // Writes through the restarts: each answered one must read back.
  const thread = threadCreate(restarter.index, 0, 12);
  expect(thread > 0, "thread.create of the restarter: " + errorName(thread));
  const first: u64 = 1024;
  // At least STREAM_WRITES, and on (over the same sectors again) until every restart has happened, however fast the disk is.
  let writes: u32 = 0;
  for (; writes < STREAM_WRITES || (restarted < RESTARTS && writes < STREAM_LIMIT); writes++) {
    const sector = first + <u64>(writes % STREAM_WRITES);
    fill(sector, 1, 40);
    const written = write(sector, DISK_SECTOR_SIZE);
    expect(written >= 0, "stream write " + writes.toString() + ": " + errorName(written));
    if (writes % 50 == 49) expect(flush() >= 0, "stream flush");
  }
  streaming = false;
  expect(flush() >= 0, "the last flush");
  for (let i: u32 = 0; i < STREAM_WRITES; i += 64) {
    const count = min<u32>(64, STREAM_WRITES - i);
    expect(read(first + i, count) >= 0, "reading the stream back");
    expect(holds(first + i, count, 40), "stream sectors " + i.toString() + ".." + (i + count - 1).toString() + " hold what was written");
  }
  // A plain connection, to see the driver answer malformed requests itself.
  const plain = nameOpen(PATH, 5_000_000_000);
  expect(plain > 0, "name.open " + PATH);
  expect(msgSend(plain, request, 2, reply, 16) < 0, "a request of 2 bytes is refused");
  log("disk-test: " + writes.toString() + " writes through " + restarted.toString() + " driver restarts, " + disk.resends.toString()
    + " re-sent; write cache " + (flushes != 0 ? "flushed on request" : "absent"));
  expect(restarted == RESTARTS, "the driver was restarted " + RESTARTS.toString() + " times during the stream (" + restarted.toString() + ")");
  componentExit(0);
}
