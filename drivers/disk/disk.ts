// The block driver: virtio-blk disks (virtio spec 1.2, §5.2; PCI 1af4:1042,
// a modern-only device: QEMU's `virtio-blk-pci,disable-legacy=on`). One
// instance serves every such disk the PCI bus server has, disk N at
// /dev/diskN (N in bus order), each on a channel and a thread of its own so
// that a slow disk holds up no other.
//
// Each request is self-contained — its sectors, its data — and is carried
// out before it is answered, one at a time per disk, through one chain of
// descriptors (header, data, status) in DMA memory. So a request re-sent
// after the driver restarted does again exactly what it did once, and a
// write answered is in the device; a flush answered means every write
// answered before it is durable (VIRTIO_BLK_F_FLUSH; without it the device
// has no write cache and every write is durable when answered). The driver
// keeps no state of its clients, and a new instance resets each device and
// starts over.

import "../../sdk/lib/abort";
import {
  channelCreate, connectionCreate, threadSleep, handleClose, interruptUnmask, memoryDma, memoryPhysical, msgReceive, threadCreate,
  threadTimeout, clockNow, Handle, Pulse, PULSE_SIZE, RECEIVE_ID_PULSE, PCI_ENABLE_BUS_MASTER, PCI_ERROR_NO_DEVICE,
  TIMEOUT_RECEIVE, DISK_SECTOR_SIZE, DISK_TRANSFER_MAXIMUM, errorName,
} from "../../ipc/generated/index";
import { Server } from "../../ipc/client/index";
import { log } from "../../sdk/lib/log";
import { PciDevice } from "../lib/device/pci";
import { mapFresh } from "../lib/device/map";
import { VirtioDevice } from "../lib/virtio/transport";
import { RequestQueue } from "../lib/virtio/requests";
import {
  DISK_ERROR_IO, DISK_ERROR_NOT_WHOLE_SECTORS, DISK_ERROR_PAST_END, DISK_ERROR_READ_ONLY, DISK_ERROR_TOO_LONG,
  DiskGeometryReply, DiskReadReply,
} from "../../ipc/generated/protocols/disk";
import { DiskHandlers, serveDisk, DISK_SERVER_BUFFER_MINIMUM } from "../../ipc/generated/servers/disk";

const VENDOR: u32 = 0x1af4;
const DEVICE: u32 = 0x1042;
/** The most disks served: the manifest's /dev/disk0 .. /dev/disk3. */
const DISKS_MAXIMUM: u32 = 4;
const REQUEST_QUEUE: u32 = 0;
const QUEUE_SIZE: u32 = 16;

// Feature bits (§5.2.3).
const FEATURE_RO: u64 = <u64>1 << 5;
const FEATURE_BLK_SIZE: u64 = <u64>1 << 6;
const FEATURE_FLUSH: u64 = <u64>1 << 9;

// The device configuration (§5.2.4): capacity in 512-byte sectors, blk_size.
const CONFIG_CAPACITY: usize = 0;
const CONFIG_BLOCK_SIZE: usize = 20;

// Request types and statuses (§5.2.6).
const TYPE_IN: u32 = 0;
const TYPE_OUT: u32 = 1;
const TYPE_FLUSH: u32 = 4;
const STATUS_OK: u8 = 0;
/** Written into the status byte before a request: a value the device never writes, so an unanswered request is told apart. */
const STATUS_PENDING: u8 = 0xff;

// The DMA area of a disk: the request header at 0 (type, reserved, sector), the status byte at 16, the data from 4096.
const HEADER: usize = 0;
const HEADER_BYTES: u32 = 16;
const STATUS: usize = 16;
const DATA: usize = 4096;
const AREA_BYTES: u32 = <u32>DATA + DISK_TRANSFER_MAXIMUM;

const PULSE_INTERRUPT: i32 = 1;
/** How long one wait for the device lasts: short when polling (no interrupt line of its own), else a safety net against a lost interrupt. */
const POLL_NANOSECONDS: i64 = 1_000_000;
const WAIT_NANOSECONDS: i64 = 100_000_000;
/** A request the device has not answered in this time fails with IO. */
const REQUEST_NANOSECONDS: i64 = 30_000_000_000;
/** Room for a write of DISK_TRANSFER_MAXIMUM bytes behind its fixed part. */
const BUFFER_SIZE: u32 = DISK_TRANSFER_MAXIMUM + 64;

class Disk {
  readonly pci: PciDevice;
  readonly device: VirtioDevice;
  readonly queue: RequestQueue = new RequestQueue(REQUEST_QUEUE, QUEUE_SIZE);
  area: usize = 0;
  areaPhysical: u64 = 0;
  sectors: u64 = 0;
  blockSize: u32 = DISK_SECTOR_SIZE;
  readOnly: bool = false;
  flushes: bool = false;
  /** Where the device's interrupts arrive as pulses. */
  completions: Handle = 0;
  interrupt: Handle = 0;
  path: string;
  problem: string = "";
  private readonly pulse: usize = heap.alloc(PULSE_SIZE);

  constructor(readonly index: u32) {
    const pci = new PciDevice(VENDOR, DEVICE, index);
    this.path = "/dev/disk" + index.toString();
    this.pci = pci;
    this.device = new VirtioDevice(pci);
  }

  /** Resets and sets up the device: false with `problem`. */
  open(): bool {
    const device = this.device;
    if (!device.open()) { this.problem = "cannot open the device: " + device.problem; return false; }
    const agreed = device.negotiate(FEATURE_RO | FEATURE_BLK_SIZE | FEATURE_FLUSH);
    if (agreed == 0) { this.problem = "cannot negotiate: " + device.problem; return false; }
    if (device.device == 0) { this.problem = "no device configuration structure"; return false; }
    this.readOnly = (agreed & FEATURE_RO) != 0;
    this.flushes = (agreed & FEATURE_FLUSH) != 0;
    this.sectors = load<u64>(device.device + CONFIG_CAPACITY);
    if ((agreed & FEATURE_BLK_SIZE) != 0) {
      const size = load<u32>(device.device + CONFIG_BLOCK_SIZE);
      if (size >= DISK_SECTOR_SIZE && size <= 65536 && size % DISK_SECTOR_SIZE == 0) this.blockSize = size;
    }
    const size = min<u32>(QUEUE_SIZE, device.queueSize(REQUEST_QUEUE));
    if (size != QUEUE_SIZE) { this.problem = "the request queue holds " + size.toString() + " entries, not " + QUEUE_SIZE.toString(); return false; }
    if (!this.queue.open(device)) { this.problem = "cannot set up the request queue: " + this.queue.problem; return false; }
    const handle = memoryDma(AREA_BYTES);
    if (handle < 0) { this.problem = "memory.dma: " + errorName(handle); return false; }
    this.area = mapFresh(handle, AREA_BYTES);
    this.areaPhysical = <u64>memoryPhysical(handle, 0);
    handleClose(handle);
    if (this.area == 0 || <i64>this.areaPhysical < 0) { this.problem = "cannot map or locate the DMA area"; return false; }
    const enabled = this.pci.enable(PCI_ENABLE_BUS_MASTER);
    if (enabled < 0) { this.problem = "pci.enable: " + errorName(enabled); return false; }
    this.completions = channelCreate(0);
    const connection = this.completions > 0 ? connectionCreate(this.completions) : this.completions;
    if (connection < 0) { this.problem = "cannot make the completion channel: " + errorName(connection); return false; }
    // A line another disk holds already (ALREADY_EXISTS) leaves this one polled.
    this.interrupt = this.pci.interrupt(connection, PULSE_INTERRUPT);
    device.ready();
    return true;
  }

  /** Carries out one request whose data, if any, is at DATA: 0, or DISK_ERROR_IO. */
  private transfer(type: u32, sector: u64, bytes: u32, deviceWrites: bool): i32 {
    const area = this.area;
    store<u32>(area + HEADER, type);
    store<u32>(area + HEADER + 4, 0);
    store<u64>(area + HEADER + 8, sector);
    store<u8>(area + STATUS, STATUS_PENDING);
    const queue = this.queue;
    queue.part(this.areaPhysical + <u64>HEADER, HEADER_BYTES, false);
    if (bytes > 0) queue.part(this.areaPhysical + <u64>DATA, bytes, deviceWrites);
    queue.part(this.areaPhysical + <u64>STATUS, 1, true);
    queue.submit();
    const started = clockNow();
    while (!queue.completed()) {
      if (clockNow() - started > REQUEST_NANOSECONDS) {
        log(this.path + ": the device did not answer a request of type " + type.toString() + " at sector " + sector.toString());
        return DISK_ERROR_IO;
      }
      this.wait();
    }
    const status = load<u8>(area + STATUS);
    if (status == STATUS_OK) return 0;
    log(this.path + ": request of type " + type.toString() + " at sector " + sector.toString() + ": device status " + status.toString());
    return DISK_ERROR_IO;
  }

  /** Waits for an interrupt (or a short time when polling) and acknowledges it. */
  private wait(): void {
    threadTimeout(TIMEOUT_RECEIVE, this.interrupt > 0 ? WAIT_NANOSECONDS : POLL_NANOSECONDS);
    const received = msgReceive(this.completions, this.pulse, PULSE_SIZE, 0);
    if (received == RECEIVE_ID_PULSE && changetype<Pulse>(this.pulse).code == PULSE_INTERRUPT && this.interrupt > 0) {
      this.device.takeInterrupt();
      interruptUnmask(this.interrupt);
    }
  }

  /** Checks a request for `count` sectors at `sector`: 0 or its error. */
  check(sector: u64, count: u64): i32 {
    if (count == 0) return DISK_ERROR_NOT_WHOLE_SECTORS;
    if (count * DISK_SECTOR_SIZE > DISK_TRANSFER_MAXIMUM) return DISK_ERROR_TOO_LONG;
    if (sector >= this.sectors || count > this.sectors - sector) return DISK_ERROR_PAST_END;
    return 0;
  }

  read(sector: u64, count: u32, into: usize): i32 {
    const refused = this.check(sector, count);
    if (refused != 0) return refused;
    const bytes = count * DISK_SECTOR_SIZE;
    const result = this.transfer(TYPE_IN, sector, bytes, true);
    if (result == 0) memory.copy(into, this.area + DATA, bytes);
    return result;
  }

  write(sector: u64, from: usize, bytes: u32): i32 {
    if (bytes > DISK_TRANSFER_MAXIMUM) return DISK_ERROR_TOO_LONG;
    if (bytes == 0 || bytes % DISK_SECTOR_SIZE != 0) return DISK_ERROR_NOT_WHOLE_SECTORS;
    const refused = this.check(sector, bytes / DISK_SECTOR_SIZE);
    if (refused != 0) return refused;
    if (this.readOnly) return DISK_ERROR_READ_ONLY;
    memory.copy(this.area + DATA, from, bytes);
    return this.transfer(TYPE_OUT, sector, bytes, false);
  }

  flush(): i32 {
    return this.flushes ? this.transfer(TYPE_FLUSH, 0, 0, false) : 0;
  }
}

class DiskServer extends DiskHandlers {
  constructor(readonly disk: Disk) { super(); }

  geometry(reply: DiskGeometryReply): i32 {
    const disk = this.disk;
    reply.sectors = disk.sectors;
    reply.blockSize = disk.blockSize;
    reply.readOnly = disk.readOnly ? 1 : 0;
    reply.transferMaximum = DISK_TRANSFER_MAXIMUM;
    reply.flushes = disk.flushes ? 1 : 0;
    return 0;
  }

  read(sector: u64, count: u32, reply: DiskReadReply): i32 {
    const result = this.disk.read(sector, count, reply.data);
    return result < 0 ? result : <i32>(count * DISK_SECTOR_SIZE);
  }

  write(sector: u64, data: usize, dataLength: u32): i32 { return this.disk.write(sector, data, dataLength); }

  flush(): i32 { return this.disk.flush(); }
}

const disks: Array<Disk> = [];

/** Serves disk `index` on its path until receiving fails. */
function serve(index: u32): void {
  const disk = disks[index];
  const server = new Server(disk.path);
  if (!server.isServing) { log("cannot serve " + disk.path + ": " + errorName(server.error)); return; }
  const failed = serveDisk(new DiskServer(disk), server.channel, max<u32>(BUFFER_SIZE, DISK_SERVER_BUFFER_MINIMUM));
  log("receiving on " + disk.path + " failed: " + errorName(failed));
}

/** A thread's entry: serves the disk its argument names. */
function serveThread(index: i32): void { serve(<u32>index); }

export function _start(): void {
  for (let index: u32 = 0; index < DISKS_MAXIMUM; index++) {
    const disk = new Disk(index);
    const found = disk.pci.find();
    if (found == PCI_ERROR_NO_DEVICE) break;
    if (found < 0) { log("pci.find of disk " + index.toString() + ": " + errorName(found)); return; }
    if (!disk.open()) { log(disk.path + ": " + disk.problem); return; }
    log(disk.path + ": " + disk.sectors.toString() + " sectors" + (disk.readOnly ? ", read-only" : "")
      + (disk.flushes ? ", write cache flushed on request" : ", no write cache")
      + (disk.interrupt > 0 ? ", line " + disk.pci.interruptLine.toString() : ", polled"));
    disks.push(disk);
  }
  if (disks.length == 0) {
    // Nothing to serve; ending would only have init start the driver again and again.
    log("no virtio-blk disk (1af4:1042): idle");
    while (true) threadSleep(<i64>3600_000_000_000);
  }
  for (let index = 1; index < disks.length; index++) {
    const thread = threadCreate(serveThread.index, <u32>index, 18);
    if (thread < 0) log("thread.create for " + disks[index].path + ": " + errorName(thread));
  }
  serve(0);
}
