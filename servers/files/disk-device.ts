// The file system's block device over a disk of the block driver (the disk
// protocol, ipc/table/protocols/storage.ts): a range of sectors of one disk
// — the whole disk, or a partition's (first sector, sector count) — seen as
// blocks of BLOCK_SIZE bytes. Every request names its sectors and carries
// its data, so the NamedConnection re-sends it to a restarted driver
// without harm; a flush answered means every write before it is durable.
// Also the sectors of a whole disk for the GPT reader, and the system
// volume's hash tree from the boot payload: what the file server's
// instances and the installer (servers/install) find volumes with.

import { NamedConnection } from "../../ipc/client/index";
import { DISK_SECTOR_SIZE, errorName, payloadRead } from "../../ipc/generated/index";
import {
  DISK_FLUSH, DISK_FLUSH_REQUEST_SIZE, DISK_GEOMETRY, DISK_GEOMETRY_REPLY_SIZE, DISK_GEOMETRY_REQUEST_SIZE, DISK_READ,
  DISK_READ_REQUEST_SIZE, DISK_WRITE, DISK_WRITE_REQUEST_DATA, DiskGeometryReply, DiskReadRequest, DiskWriteRequest,
} from "../../ipc/generated/protocols/disk";
import { BLOCK_SIZE, BlockDevice } from "../../sdk/lib/fs/device";
import { SECTOR, SectorSource } from "../../sdk/image/gpt";
import { HashTree, VERITY_RECORD_SIZE } from "../../sdk/lib/fs/verity";
import { log } from "../../sdk/lib/log";

const BLOCK: u32 = <u32>BLOCK_SIZE;
const SECTORS_PER_BLOCK: u64 = <u64>(BLOCK / DISK_SECTOR_SIZE);

export class DiskDevice extends BlockDevice {
  private readonly disk: NamedConnection;
  private readonly request: usize = heap.alloc(<usize>(DISK_WRITE_REQUEST_DATA + BLOCK));
  private readonly reply: usize = heap.alloc(<usize>max<u32>(DISK_GEOMETRY_REPLY_SIZE, BLOCK));
  /** Blocks of the range, 0 until geometry() found the disk. */
  private blocks: u64 = 0;
  /** Sectors of the whole disk, 0 until geometry() found it. */
  diskSectors: u64 = 0;
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
    this.diskSectors = sectors;
    if (this.firstSector >= sectors) { this.problem = this.path + ": the range starts at sector " + this.firstSector.toString() + ", past the disk's " + sectors.toString(); return false; }
    const available = sectors - this.firstSector;
    const count = this.sectorCount == 0 ? available : min<u64>(this.sectorCount, available);
    this.blocks = count / SECTORS_PER_BLOCK;
    return true;
  }

  blockCount(): u64 { return this.blocks; }

  /** Closes the connection and frees the buffers: for a device asked about once (the installer's listing); unusable after. */
  close(): void {
    this.disk.close();
    heap.free(this.request);
    heap.free(this.reply);
    this.blocks = 0;
  }

  read(block: u64, into: usize): bool {
    if (block >= this.blocks) return false;
    return this.readSectors(this.firstSector + block * SECTORS_PER_BLOCK, <u32>SECTORS_PER_BLOCK, into, block);
  }

  /** Reads `count` sectors (at most a block's) from disk sector `sector` into `into`; `block` names them in a failure. */
  readSectors(sector: u64, count: u32, into: usize, block: u64): bool {
    const request = changetype<DiskReadRequest>(this.request);
    request.operation = DISK_READ;
    request.sector = sector;
    request.count = count;
    const status = this.disk.send(this.request, DISK_READ_REQUEST_SIZE, into, count * DISK_SECTOR_SIZE);
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

/** The sectors of a whole disk for the GPT reader (sdk/image/gpt.ts), read a block's worth per request. */
export class DiskSectors extends SectorSource {
  private readonly whole: DiskDevice;

  constructor(readonly path: string) {
    super();
    this.whole = new DiskDevice(path);
  }

  /** Asks the driver for the disk's size: false with `problem` when the disk cannot be reached. */
  geometry(): bool {
    if (this.whole.geometry()) return true;
    this.problem = this.whole.problem;
    return false;
  }

  totalSectors(): i64 { return <i64>this.whole.diskSectors; }

  /** Closes the disk's connection and frees its buffers; unusable after. */
  close(): void { this.whole.close(); }

  read(lba: i64, count: i32): Uint8Array | null {
    const bytes = new Uint8Array(count * SECTOR);
    for (let done = 0; done < count; done += <i32>SECTORS_PER_BLOCK) {
      const sectors = min(count - done, <i32>SECTORS_PER_BLOCK);
      if (!this.whole.readSectors(<u64>(lba + done), <u32>sectors, bytes.dataStart + <usize>(done * SECTOR), <u64>(lba + done) / SECTORS_PER_BLOCK)) {
        this.problem = this.whole.problem;
        return null;
      }
    }
    return bytes;
  }
}

/** The payload file holding the system volume's verity record, with its root hash (docs/disk-layout.md). */
export const VERITY_PAYLOAD_NAME = "system/volume.verity";

/** The hash tree of the system volume, from the verity record in the boot payload; null (logged) when it is missing or unsound. */
export function payloadTree(): HashTree | null {
  const record = heap.alloc(VERITY_RECORD_SIZE);
  const size = payloadRead(VERITY_PAYLOAD_NAME, 0, record, VERITY_RECORD_SIZE);
  let tree: HashTree | null = null;
  if (size != VERITY_RECORD_SIZE) {
    log("the boot payload has no " + VERITY_PAYLOAD_NAME + " of " + VERITY_RECORD_SIZE.toString() + " bytes ("
      + (size < 0 ? errorName(size) : size.toString() + " bytes") + ")");
  }
  else {
    tree = HashTree.decode(record, VERITY_RECORD_SIZE);
    if (tree == null) log(VERITY_PAYLOAD_NAME + ": " + HashTree.error);
  }
  heap.free(record);
  return tree;
}

