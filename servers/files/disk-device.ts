// The file system's block device over a disk of the block driver (the disk
// protocol, ipc/table/protocols/storage.ts): a range of sectors of one disk
// — the whole disk, or a partition's (first sector, sector count) — seen as
// blocks of BLOCK_SIZE bytes. Every request names its sectors and carries
// its data, so the NamedConnection re-sends it to a restarted driver
// without harm; a flush answered means every write before it is durable.

import { NamedConnection } from "../../ipc/client/index";
import { DISK_SECTOR_SIZE, errorName } from "../../ipc/generated/index";
import {
  DISK_FLUSH, DISK_FLUSH_REQUEST_SIZE, DISK_GEOMETRY, DISK_GEOMETRY_REPLY_SIZE, DISK_GEOMETRY_REQUEST_SIZE, DISK_READ,
  DISK_READ_REQUEST_SIZE, DISK_WRITE, DISK_WRITE_REQUEST_DATA, DiskGeometryReply, DiskReadRequest, DiskWriteRequest,
} from "../../ipc/generated/protocols/disk";
import { BLOCK_SIZE, BlockDevice } from "../../sdk/lib/fs/device";
import { log } from "../../sdk/lib/log";

const BLOCK: u32 = <u32>BLOCK_SIZE;
const SECTORS_PER_BLOCK: u64 = <u64>(BLOCK / DISK_SECTOR_SIZE);

export class DiskDevice extends BlockDevice {
  private readonly disk: NamedConnection;
  private readonly request: usize = heap.alloc(<usize>(DISK_WRITE_REQUEST_DATA + BLOCK));
  private readonly reply: usize = heap.alloc(<usize>max<u32>(DISK_GEOMETRY_REPLY_SIZE, BLOCK));
  /** Blocks of the range, 0 until geometry() found the disk. */
  private blocks: u64 = 0;
  /** Why the last request failed. */
  problem: string = "";

  /** The range from `firstSector`, `sectorCount` sectors long (0: to the disk's end), of the disk at `path`. */
  constructor(readonly path: string, readonly firstSector: u64 = 0, readonly sectorCount: u64 = 0) {
    super();
    this.disk = new NamedConnection(path);
  }

  /** Asks the driver for the disk's size: false with `problem` when the disk cannot be reached or the range lies past its end. */
  geometry(): bool {
    store<u32>(this.request, DISK_GEOMETRY);
    const status = this.disk.send(this.request, DISK_GEOMETRY_REQUEST_SIZE, this.reply, DISK_GEOMETRY_REPLY_SIZE);
    if (status < 0) { this.problem = this.path + ": disk.geometry: " + errorName(status); return false; }
    const sectors = changetype<DiskGeometryReply>(this.reply).sectors;
    if (this.firstSector >= sectors) { this.problem = this.path + ": the range starts at sector " + this.firstSector.toString() + ", past the disk's " + sectors.toString(); return false; }
    const available = sectors - this.firstSector;
    const count = this.sectorCount == 0 ? available : min<u64>(this.sectorCount, available);
    this.blocks = count / SECTORS_PER_BLOCK;
    return true;
  }

  blockCount(): u64 { return this.blocks; }

  read(block: u64, into: usize): bool {
    if (block >= this.blocks) return false;
    const request = changetype<DiskReadRequest>(this.request);
    request.operation = DISK_READ;
    request.sector = this.firstSector + block * SECTORS_PER_BLOCK;
    request.count = <u32>SECTORS_PER_BLOCK;
    const status = this.disk.send(this.request, DISK_READ_REQUEST_SIZE, into, BLOCK);
    return this.succeeded(status, "read", block);
  }

  write(block: u64, from: usize): bool {
    if (block >= this.blocks) return false;
    const request = changetype<DiskWriteRequest>(this.request);
    request.operation = DISK_WRITE;
    request.sector = this.firstSector + block * SECTORS_PER_BLOCK;
    memory.copy(this.request + DISK_WRITE_REQUEST_DATA, from, BLOCK);
    const status = this.disk.send(this.request, DISK_WRITE_REQUEST_DATA + BLOCK, this.reply, 0);
    return this.succeeded(status, "write", block);
  }

  flush(): bool {
    store<u32>(this.request, DISK_FLUSH);
    return this.succeeded(this.disk.send(this.request, DISK_FLUSH_REQUEST_SIZE, this.reply, 0), "flush", 0);
  }

  private succeeded(status: i32, what: string, block: u64): bool {
    if (status >= 0) return true;
    this.problem = this.path + ": disk." + what + " of block " + block.toString() + ": " + errorName(status);
    log(this.problem);
    return false;
  }
}
