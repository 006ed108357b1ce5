// Delos volumes on the host: the file-system library (sdk/lib/fs, built to
// build/fs.wasm) run in V8 over a block device given in TypeScript, the
// same code that runs on Delos. `delos fs` and the image builder use it on
// disk image files; the tests use it on devices in memory that lose power.

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { GptError, type GptPartition, type GptTable, partitionExtent, type ReadAt, readGpt } from "./gpt";
import { buildDir } from "./paths";

export const FS_BLOCK_SIZE = 4096;
const STRING_ID = 2; // AssemblyScript's class id of String

/** Statuses of sdk/lib/fs/errors.ts. */
export const FsStatus = {
  OK: 0, NOT_FOUND: -1, EXISTS: -2, NOT_DIRECTORY: -3, IS_DIRECTORY: -4, NOT_EMPTY: -5, STALE: -6, CORRUPT: -7,
  NO_SPACE: -8, BAD_NAME: -9, INVALID: -10, IO: -11, OLD_REQUEST: -12, NOT_VOLUME: -13, READ_ONLY: -14,
} as const;

/** What each status means, as tools print it. */
export const STATUS_NAMES: Record<number, string> = {
  [-1]: "no such file or directory", [-2]: "already exists", [-3]: "not a directory", [-4]: "is a directory", [-5]: "directory not empty",
  [-6]: "stale file handle", [-7]: "corrupt block", [-8]: "no space left on the volume", [-9]: "bad name", [-10]: "invalid request",
  [-11]: "I/O error", [-12]: "request older than the last recorded", [-13]: "not a Delos volume", [-14]: "read-only volume",
};

export const TYPE_FILE = 1;
export const TYPE_DIRECTORY = 2;

/** A failed operation: its status (FsStatus) and the library's message. */
export class FsError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/** What the library reads and writes: whole blocks of FS_BLOCK_SIZE bytes. */
export interface FsDevice {
  blocks: number;
  read(block: number, into: Uint8Array): boolean;
  write(block: number, from: Uint8Array): boolean;
  flush(): boolean;
}

/** A device over `blocks` blocks of an open file from byte `offset` (a whole volume file, or a partition of a disk image). */
export class FileDevice implements FsDevice {
  constructor(private fd: number, private offset: number, readonly blocks: number) {}
  read(block: number, into: Uint8Array): boolean {
    into.fill(0);
    readSync(this.fd, into, 0, FS_BLOCK_SIZE, this.offset + block * FS_BLOCK_SIZE);
    return true;
  }
  write(block: number, from: Uint8Array): boolean {
    return writeSync(this.fd, from, 0, FS_BLOCK_SIZE, this.offset + block * FS_BLOCK_SIZE) === FS_BLOCK_SIZE;
  }
  flush(): boolean { fsyncSync(this.fd); return true; }
}

/** A device held in memory. */
export class MemoryDevice implements FsDevice {
  readonly data: Uint8Array;
  constructor(readonly blocks: number) { this.data = new Uint8Array(blocks * FS_BLOCK_SIZE); }
  read(block: number, into: Uint8Array): boolean { into.set(this.data.subarray(block * FS_BLOCK_SIZE, (block + 1) * FS_BLOCK_SIZE)); return true; }
  write(block: number, from: Uint8Array): boolean { this.data.set(from, block * FS_BLOCK_SIZE); return true; }
  flush(): boolean { return true; }
}

interface Exports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  __new(size: number, id: number): number;
  __pin(pointer: number): number;
  __unpin(pointer: number): void;
  allocate(bytes: number): number;
  release(at: number): void;
  lastMessage(): number;
  setClock(now: bigint): void;
  format(volumeId: bigint): number;
  mount(verifier: bigint): number;
  commit(): number;
  generation(): bigint;
  volumeId(): bigint;
  blockCount(): bigint;
  freeBlocks(): bigint;
  lookupPath(path: number): bigint;
  stat(inode: bigint): number;
  statAddress(): number;
  create(directory: bigint, name: number, type: number, mode: number): bigint;
  remove(directory: bigint, name: number): number;
  rename(from: bigint, fromName: number, to: bigint, toName: number): number;
  read(inode: bigint, offset: bigint, into: number, length: number): bigint;
  write(inode: bigint, offset: bigint, from: number, length: number): bigint;
  truncate(inode: bigint, size: bigint): number;
  list(directory: bigint): number;
  lastListStatus(): number;
  fsck(): number;
  fsckNotes(): number;
  checkFiguresAddress(): number;
  replyAddress(): number;
  serviceLookup(volume: bigint, inode: bigint, generation: bigint, name: number): number;
  serviceGetSize(volume: bigint, inode: bigint, generation: bigint): bigint;
  serviceRead(volume: bigint, inode: bigint, generation: bigint, offset: bigint, into: number, length: number): bigint;
  serviceWrite(volume: bigint, inode: bigint, generation: bigint, offset: bigint, from: number, length: number, stable: number): bigint;
  serviceCreate(client: bigint, sequence: bigint, volume: bigint, inode: bigint, generation: bigint, name: number, directory: number): number;
  serviceRemove(client: bigint, sequence: bigint, volume: bigint, inode: bigint, generation: bigint, name: number): number;
  serviceRename(client: bigint, sequence: bigint, volume: bigint, fromInode: bigint, fromGeneration: bigint, fromName: number,
    toInode: bigint, toGeneration: bigint, toName: number): number;
  verityRecordAddress(): number;
  verityBuild(dataBlocks: bigint): number;
  verityRoot(): number;
  mountVerified(verifier: bigint): number;
  verify(limit: number): number;
  verifyFiguresAddress(): number;
  digest(data: number, length: number): number;
}

/** Bytes of a verity record (sdk/lib/fs/verity.ts, docs/disk-layout.md). */
export const VERITY_RECORD_SIZE = 96;

/** What `FsVolume.verify` found. */
export interface VerifyResult {
  /** One line per refused block (at most the limit asked for), naming the block and both hashes. */
  refusals: string[];
  blocks: bigint; refused: bigint; levels: bigint; treeBlocks: bigint;
}

export interface Stat {
  inode: bigint; generation: bigint; type: number; mode: number; size: bigint;
  created: bigint; modified: bigint; changed: bigint; entries: bigint;
}

export interface DirectoryEntry { name: string; inode: bigint; directory: boolean; }

export interface CheckResult {
  problems: string[];
  /** What the mount passed over: a superblock or newer commit that does not check (a commit cut short leaves one). */
  notes: string[];
  generation: bigint; files: bigint; directories: bigint; nodes: bigint; dataBlocks: bigint; usedBlocks: bigint; blockCount: bigint;
  /** Reply records of the stateless service: one per client that changed the volume lately, at most 256 (sdk/lib/fs/service.ts). */
  replyRecords: bigint;
}

/** A file handle of the stateless service: (volume, inode, generation). */
export interface Handle { volume: bigint; inode: bigint; generation: bigint; }

/** The reply of a non-idempotent service request. */
export interface ServiceReply { status: number; handle: Handle | null; replayed: boolean; }

let compiled: WebAssembly.Module | null = null;

/**
 * One instance of the library over one device. Operations change the open
 * transaction; `commit` makes them durable. A failed operation throws an
 * FsError with the library's status and message.
 */
export class FsVolume {
  private exports: Exports;

  constructor(readonly device: FsDevice) {
    compiled ??= new WebAssembly.Module(readFileSync(join(buildDir, "fs.wasm")));
    const view = (at: number) => new Uint8Array(this.exports.memory.buffer, at, FS_BLOCK_SIZE);
    const instance = new WebAssembly.Instance(compiled, {
      env: {
        abort: (message: number, file: number, line: number) => {
          throw new Error(`file-system library aborted: ${this.string(message)} at ${this.string(file)}:${line}`);
        },
        deviceBlocks: () => BigInt(device.blocks),
        deviceRead: (block: bigint, into: number) => (block < BigInt(device.blocks) && device.read(Number(block), view(into))) ? 1 : 0,
        deviceWrite: (block: bigint, from: number) => (block < BigInt(device.blocks) && device.write(Number(block), view(from))) ? 1 : 0,
        deviceFlush: () => device.flush() ? 1 : 0,
      },
    });
    this.exports = instance.exports as unknown as Exports;
    this.exports._initialize();
    this.setClock(Date.now());
  }

  private string(pointer: number): string {
    if (pointer === 0) return "";
    const bytes = new Uint32Array(this.exports.memory.buffer, pointer - 4, 1)[0]!;
    return new TextDecoder("utf-16le").decode(new Uint8Array(this.exports.memory.buffer, pointer, bytes));
  }

  /** Calls `body` with `texts` as pinned AssemblyScript strings. */
  private withStrings<T>(texts: string[], body: (pointers: number[]) => T): T {
    const pointers = texts.map((text) => {
      const pointer = this.exports.__pin(this.exports.__new(text.length * 2, STRING_ID));
      const units = new Uint16Array(this.exports.memory.buffer, pointer, text.length);
      for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
      return pointer;
    });
    try { return body(pointers); } finally { for (const pointer of pointers) this.exports.__unpin(pointer); }
  }

  private check<T extends number | bigint>(value: T, what: string): T {
    if (Number(value) < 0) throw new FsError(Number(value), `${what}: ${this.message()}`);
    return value;
  }

  /** Why the last operation failed. */
  message(): string { return this.string(this.exports.lastMessage()); }

  /** Sets the clock stamped on changes (milliseconds since 1970). */
  setClock(milliseconds: number): void { this.exports.setClock(BigInt(Math.round(milliseconds)) * 1_000_000n); }

  format(volumeId: bigint): void { this.check(this.exports.format(volumeId), "format"); }
  /** Mounts the device's volume, dropping any uncommitted change of this instance. */
  mount(verifier = 1n): void { this.check(this.exports.mount(verifier), "mount"); }
  commit(): void { this.check(this.exports.commit(), "commit"); }
  get generation(): bigint { return this.exports.generation(); }
  get volumeId(): bigint { return this.exports.volumeId(); }
  get blockCount(): bigint { return this.exports.blockCount(); }
  get freeBlocks(): bigint { return this.exports.freeBlocks(); }

  /** The inode of an absolute path. */
  lookup(path: string): bigint {
    return this.check(this.withStrings([path], ([p]) => this.exports.lookupPath(p!)), path);
  }

  stat(inode: bigint): Stat {
    this.check(this.exports.stat(inode), `inode ${inode}`);
    const f = new BigInt64Array(this.exports.memory.buffer, this.exports.statAddress(), 8);
    return { inode, generation: f[0]!, type: Number(f[1]), mode: Number(f[2]), size: f[3]!, created: f[4]!, modified: f[5]!, changed: f[6]!, entries: f[7]! };
  }

  /** The directory and last name of an absolute path. */
  private parent(path: string): [bigint, string] {
    const parts = path.split("/").filter((part) => part.length > 0);
    const name = parts.pop();
    if (name === undefined) throw new FsError(FsStatus.BAD_NAME, `${path}: names the root directory`);
    return [this.lookup("/" + parts.join("/")), name];
  }

  create(path: string, type = TYPE_FILE): bigint {
    const [directory, name] = this.parent(path);
    return this.check(this.withStrings([name], ([n]) => this.exports.create(directory, n!, type, type === TYPE_DIRECTORY ? 0o755 : 0o644)), path);
  }

  mkdir(path: string): bigint { return this.create(path, TYPE_DIRECTORY); }

  remove(path: string): void {
    const [directory, name] = this.parent(path);
    this.check(this.withStrings([name], ([n]) => this.exports.remove(directory, n!)), path);
  }

  rename(from: string, to: string): void {
    const [fromDirectory, fromName] = this.parent(from);
    const [toDirectory, toName] = this.parent(to);
    this.check(this.withStrings([fromName, toName], ([a, b]) => this.exports.rename(fromDirectory, a!, toDirectory, b!)), `${from} -> ${to}`);
  }

  /** Writes `data` into inode `inode` at `offset`. */
  write(inode: bigint, offset: bigint, data: Uint8Array): void {
    const chunk = 1 << 20;
    const at = this.exports.allocate(Math.min(chunk, Math.max(data.length, 1)));
    try {
      for (let done = 0; done < data.length; done += chunk) {
        const piece = data.subarray(done, Math.min(done + chunk, data.length));
        new Uint8Array(this.exports.memory.buffer, at, piece.length).set(piece);
        this.check(this.exports.write(inode, offset + BigInt(done), at, piece.length), `write to inode ${inode}`);
      }
    } finally { this.exports.release(at); }
  }

  /** Up to `length` bytes of inode `inode` from `offset`. */
  read(inode: bigint, offset: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const chunk = 1 << 20;
    const at = this.exports.allocate(Math.min(chunk, Math.max(length, 1)));
    try {
      let done = 0;
      while (done < length) {
        const count = Number(this.check(this.exports.read(inode, offset + BigInt(done), at, Math.min(chunk, length - done)), `read of inode ${inode}`));
        out.set(new Uint8Array(this.exports.memory.buffer, at, count), done);
        done += count;
        if (count === 0) break;
      }
      return out.subarray(0, done);
    } finally { this.exports.release(at); }
  }

  truncate(inode: bigint, size: bigint): void { this.check(this.exports.truncate(inode, size), `truncate of inode ${inode}`); }

  /** The whole contents of the file at `path`. */
  readFile(path: string): Uint8Array {
    const inode = this.lookup(path);
    const stat = this.stat(inode);
    if (stat.type !== TYPE_FILE) throw new FsError(FsStatus.IS_DIRECTORY, `${path}: is a directory`);
    if (stat.size > BigInt(1 << 30)) throw new FsError(FsStatus.INVALID, `${path}: ${stat.size} bytes is too large to read whole`);
    return this.read(inode, 0n, Number(stat.size));
  }

  /** Makes the file at `path` hold exactly `data` (creating it if need be). */
  writeFile(path: string, data: Uint8Array): void {
    let inode: bigint;
    try { inode = this.lookup(path); } catch (error) {
      if (!(error instanceof FsError) || error.status !== FsStatus.NOT_FOUND) throw error;
      inode = this.create(path);
    }
    this.truncate(inode, 0n);
    this.write(inode, 0n, data);
  }

  list(path: string): DirectoryEntry[] {
    const inode = this.lookup(path);
    const text = this.string(this.exports.list(inode));
    this.check(this.exports.lastListStatus(), path);
    return text.split("\n").filter((line) => line.length > 0).map((line) => {
      const [kind, number, ...name] = line.split(" ");
      return { name: name.join(" "), inode: BigInt(number!), directory: kind === "d" };
    });
  }

  /** Checks the device's volume as durable (not this instance's uncommitted changes). */
  fsck(): CheckResult {
    const problems = this.string(this.exports.fsck());
    const notes = this.string(this.exports.fsckNotes());
    const f = new BigUint64Array(this.exports.memory.buffer, this.exports.checkFiguresAddress(), 8);
    const lines = (text: string) => text.length > 0 ? text.split("\n") : [];
    return { problems: lines(problems), notes: lines(notes), generation: f[0]!, files: f[1]!, directories: f[2]!, nodes: f[3]!,
      dataBlocks: f[4]!, usedBlocks: f[5]!, blockCount: f[6]!, replyRecords: f[7]! };
  }

  // The stateless service.

  private reply(status: number): ServiceReply {
    const f = new BigInt64Array(this.exports.memory.buffer, this.exports.replyAddress(), 4);
    const inode = f[0]!;
    return { status, handle: inode !== 0n ? { volume: this.volumeId, inode, generation: f[1]! } : null, replayed: f[2] === 1n };
  }

  serviceLookup(directory: Handle, name: string): ServiceReply {
    return this.reply(this.withStrings([name], ([n]) => this.exports.serviceLookup(directory.volume, directory.inode, directory.generation, n!)));
  }
  /** A file's size by handle, or a negative status. */
  serviceGetSize(file: Handle): bigint { return this.exports.serviceGetSize(file.volume, file.inode, file.generation); }
  serviceRead(file: Handle, offset: bigint, length: number): Uint8Array | number {
    const at = this.exports.allocate(Math.max(length, 1));
    try {
      const count = Number(this.exports.serviceRead(file.volume, file.inode, file.generation, offset, at, length));
      return count < 0 ? count : new Uint8Array(this.exports.memory.buffer, at, count).slice();
    } finally { this.exports.release(at); }
  }
  serviceWrite(file: Handle, offset: bigint, data: Uint8Array, stable: boolean): number {
    const at = this.exports.allocate(Math.max(data.length, 1));
    try {
      new Uint8Array(this.exports.memory.buffer, at, data.length).set(data);
      return Number(this.exports.serviceWrite(file.volume, file.inode, file.generation, offset, at, data.length, stable ? 1 : 0));
    } finally { this.exports.release(at); }
  }
  serviceCreate(client: bigint, sequence: bigint, directory: Handle, name: string, isDirectory = false): ServiceReply {
    return this.reply(this.withStrings([name], ([n]) =>
      this.exports.serviceCreate(client, sequence, directory.volume, directory.inode, directory.generation, n!, isDirectory ? 1 : 0)));
  }
  serviceRemove(client: bigint, sequence: bigint, directory: Handle, name: string): ServiceReply {
    return this.reply(this.withStrings([name], ([n]) =>
      this.exports.serviceRemove(client, sequence, directory.volume, directory.inode, directory.generation, n!)));
  }
  serviceRename(client: bigint, sequence: bigint, from: Handle, fromName: string, to: Handle, toName: string): ServiceReply {
    return this.reply(this.withStrings([fromName, toName], ([a, b]) => this.exports.serviceRename(client, sequence, from.volume,
      from.inode, from.generation, a!, to.inode, to.generation, b!)));
  }
  /** The root directory's handle. */
  rootHandle(): Handle { return { volume: this.volumeId, inode: 1n, generation: 1n }; }

  // The verified system volume (sdk/lib/fs/verity.ts).

  private putRecord(record: Uint8Array): void {
    if (record.length !== VERITY_RECORD_SIZE) throw new FsError(FsStatus.INVALID, `a verity record is ${VERITY_RECORD_SIZE} bytes, not ${record.length}`);
    new Uint8Array(this.exports.memory.buffer, this.exports.verityRecordAddress(), VERITY_RECORD_SIZE).set(record);
  }

  /**
   * Builds the hash tree over the device's first `dataBlocks` blocks (the
   * volume): its record goes to block `dataBlocks`, the tree after it.
   * Returns the record, which holds the root hash.
   */
  buildHashTree(dataBlocks: number): Uint8Array {
    this.check(this.exports.verityBuild(BigInt(dataBlocks)), "hash tree");
    return new Uint8Array(this.exports.memory.buffer, this.exports.verityRecordAddress(), VERITY_RECORD_SIZE).slice();
  }

  /** The root hash of a verity record, in hexadecimal; an FsError when the record is not sound. */
  verityRoot(record: Uint8Array): string {
    this.putRecord(record);
    const root = this.string(this.exports.verityRoot());
    if (root === "") throw new FsError(FsStatus.INVALID, `verity record: ${this.message()}`);
    return root;
  }

  /** Mounts the volume read-only, every block checked against the hash tree of `record`. */
  mountVerified(record: Uint8Array, verifier = 1n): void {
    this.putRecord(record);
    this.check(this.exports.mountVerified(verifier), "verified mount");
  }

  /** Reads every block of the volume through the hash tree of `record`; the refusals (at most `limit`) and figures. */
  verify(record: Uint8Array, limit = 20): VerifyResult {
    this.putRecord(record);
    const text = this.string(this.exports.verify(limit));
    const f = new BigUint64Array(this.exports.memory.buffer, this.exports.verifyFiguresAddress(), 4);
    if (f[0] === 0n && text.length > 0) throw new FsError(FsStatus.INVALID, `verity record: ${text}`);
    return { refusals: text.length > 0 ? text.split("\n") : [], blocks: f[0]!, refused: f[1]!, levels: f[2]!, treeBlocks: f[3]! };
  }

  /** The library's SHA-256 of `data`. */
  digest(data: Uint8Array): Uint8Array {
    const at = this.exports.allocate(Math.max(data.length, 1));
    try {
      new Uint8Array(this.exports.memory.buffer, at, data.length).set(data);
      return new Uint8Array(this.exports.memory.buffer, this.exports.digest(at, data.length), 32).slice();
    } finally { this.exports.release(at); }
  }
}

/**
 * Which volume of a disk image: a partition's role (`system`, `home`), its
 * number (1-based), or null for the default: the whole file when it is a
 * volume, else the user volume, else the first partition holding one.
 */
export type VolumeChoice = "system" | "home" | number | null;

/** Where a volume lies in an image file: a byte offset and a block count, and the partition holding it. */
export interface VolumeLocation { offset: number; blocks: number; partition: GptPartition | null; }

const SUPER_MAGIC = 0x50555344;

function reader(fd: number): ReadAt {
  return (offset, length) => {
    const bytes = new Uint8Array(length);
    return bytes.subarray(0, readSync(fd, bytes, 0, length, offset));
  };
}

/** The block count a superblock at block 0 or 1 of the volume at `offset` records; 0 when there is none. */
function superblockBlocks(fd: number, offset: number): number {
  const probe = new Uint8Array(40);
  for (const slot of [0, 1]) {
    if (readSync(fd, probe, 0, 40, offset + slot * FS_BLOCK_SIZE) !== 40) continue;
    const view = new DataView(probe.buffer);
    if (view.getUint32(4, true) === SUPER_MAGIC) return Number(view.getBigUint64(32, true));
  }
  return 0;
}

function describeChoice(choice: VolumeChoice): string {
  return typeof choice === "number" ? `partition ${choice}` : `the ${choice} partition`;
}

/**
 * Finds the chosen volume in an image file (see VolumeChoice); throws an
 * FsError naming the image's partitions when the choice names none, and
 * returns null when the default finds no volume.
 */
export function locateVolume(fd: number, choice: VolumeChoice = null): VolumeLocation | null {
  const size = fstatSync(fd).size;
  let table: GptTable | null;
  try { table = readGpt(reader(fd), size); } catch (error) {
    if (error instanceof GptError) throw new FsError(FsStatus.CORRUPT, error.message);
    throw error;
  }
  if (table === null) {
    if (choice !== null) throw new FsError(FsStatus.INVALID, `not a GPT disk image, so ${describeChoice(choice)} names nothing`);
    return superblockBlocks(fd, 0) > 0 ? { offset: 0, blocks: Math.floor(size / FS_BLOCK_SIZE), partition: null } : null;
  }
  const where = (partition: GptPartition): VolumeLocation => {
    const { offset, bytes } = partitionExtent(partition);
    return { offset, blocks: Math.floor(bytes / FS_BLOCK_SIZE), partition };
  };
  if (choice !== null) {
    const found = table.partitions.find((p) => typeof choice === "number" ? p.number === choice : p.role === choice);
    if (found === undefined) {
      const list = table.partitions.map((p) => `${p.number} ${p.role ?? p.typeGuid} "${p.name}"`).join(", ");
      throw new FsError(FsStatus.NOT_FOUND, `no ${describeChoice(choice)} (partitions: ${list || "none"})`);
    }
    return where(found);
  }
  const home = table.partitions.find((p) => p.role === "home");
  if (home !== undefined) return where(home);
  const any = table.partitions.find((p) => superblockBlocks(fd, partitionExtent(p).offset) > 0);
  return any === undefined ? null : where(any);
}

/** Where the trusted copy of a verity record came from (docs/disk-layout.md, "Chain of trust"). */
export type RecordSource = "payload" | "partition";

/** The payload archive's file `name`, from the archive at byte `offset` of the image; null when it has none. */
export function payloadFile(read: ReadAt, offset: number, name: string): Uint8Array | null {
  const header = read(offset, 64);
  if (header.length < 64 || new TextDecoder().decode(header.subarray(0, 8)) !== "DELOSPAK") return null;
  const view = new DataView(header.buffer, header.byteOffset, 64);
  const count = view.getUint32(16, true), entrySize = view.getUint32(20, true), tableAt = view.getUint32(24, true);
  const namesAt = view.getUint32(28, true), namesSize = view.getUint32(32, true);
  if (entrySize < 32 || count > 1 << 20) return null;
  const entries = read(offset + tableAt, count * entrySize), names = read(offset + namesAt, namesSize);
  for (let i = 0; i < count; i++) {
    const e = new DataView(entries.buffer, entries.byteOffset + i * entrySize, entrySize);
    const nameAt = e.getUint32(24, true), nameLength = e.getUint32(28, true);
    if (new TextDecoder().decode(names.subarray(nameAt, nameAt + nameLength)) !== name) continue;
    // The image writer compresses only files of 4 KiB and more (sdk/image/payload.ts); a verity record is far smaller.
    if ((e.getUint32(20, true) & 1) !== 0) throw new FsError(FsStatus.CORRUPT, `payload file ${name} is stored compressed, which only the kernel reads`);
    return read(offset + Number(e.getBigUint64(0, true)), Number(e.getBigUint64(8, true)));
  }
  return null;
}

/** The payload file that holds the system volume's verity record (docs/disk-layout.md). */
export const VERITY_PAYLOAD_NAME = "system/volume.verity";

/**
 * The verity record of the volume at `location`: the payload archive's copy
 * when the image has one (what the boot trusts), else the copy the image
 * builder left after the volume (which proves the blocks are whole, not that
 * they are the ones built); null when there is none.
 */
export function findVerityRecord(fd: number, location: VolumeLocation): { record: Uint8Array; source: RecordSource } | null {
  const table = location.partition !== null ? readGpt(reader(fd), fstatSync(fd).size) : null;
  const payload = table?.partitions.find((p) => p.role === "payload");
  if (payload !== undefined) {
    const record = payloadFile(reader(fd), partitionExtent(payload).offset, VERITY_PAYLOAD_NAME);
    if (record !== null) return { record, source: "payload" };
  }
  const blocks = superblockBlocks(fd, location.offset);
  if (blocks === 0 || blocks >= location.blocks) return null;
  const record = reader(fd)(location.offset + blocks * FS_BLOCK_SIZE, VERITY_RECORD_SIZE);
  return new DataView(record.buffer, record.byteOffset).getBigUint64(0, true) === 0x3159544952455644n ? { record, source: "partition" } : null;
}

/** Opens the image file `path` read-only or read-write, for `body`; the file is closed after, and a volume's error names the image. */
function withImage<T>(path: string, writable: boolean, body: (fd: number) => T): T {
  const fd = openSync(path, writable ? "r+" : "r");
  try {
    return body(fd);
  } catch (error) {
    // Name the image with the path the volume's message starts with: IMAGE:/PATH: ...
    if (error instanceof FsError && !error.message.startsWith(path)) {
      throw new FsError(error.status, `${path}${error.message.startsWith("/") ? ":" : ": "}${error.message}`);
    }
    throw error;
  } finally {
    closeSync(fd);
  }
}

function locateOrFail(fd: number, choice: VolumeChoice): VolumeLocation {
  const location = locateVolume(fd, choice);
  if (location === null) throw new FsError(FsStatus.NOT_VOLUME, "not a Delos volume (no Delos superblock in the file or its GPT partitions)");
  return location;
}

/**
 * Opens the chosen volume of the image file `path` for `body`. The system
 * partition is mounted read-only through its hash tree (every change is
 * refused with READ_ONLY, every changed block with CORRUPT or IO naming it).
 */
export function withImageVolume<T>(path: string, writable: boolean, body: (volume: FsVolume) => T, choice: VolumeChoice = null): T {
  return withImage(path, writable, (fd) => {
    const location = locateOrFail(fd, choice);
    const volume = new FsVolume(new FileDevice(fd, location.offset, location.blocks));
    const verity = location.partition?.role === "system" ? findVerityRecord(fd, location) : null;
    if (verity !== null) volume.mountVerified(verity.record); else volume.mount();
    return body(volume);
  });
}

/** What `verifyImage` found: the refusals and figures, the root hash and where its record came from. */
export interface ImageVerification extends VerifyResult { root: string; source: RecordSource; check: CheckResult | null; }

/**
 * Verifies the system volume of an image (or the volume file with a hash
 * tree after it) block by block against its hash tree, then checks it
 * (fsck) through the tree. `expectedRoot` (hexadecimal), when given, must
 * be the record's root.
 */
export function verifyImage(path: string, choice: VolumeChoice, expectedRoot: string | null): ImageVerification {
  return withImage(path, false, (fd) => {
    const location = locateOrFail(fd, choice ?? (readGpt(reader(fd), fstatSync(fd).size) !== null ? "system" : null));
    const verity = findVerityRecord(fd, location);
    if (verity === null) throw new FsError(FsStatus.NOT_FOUND, "no verity record for this volume (neither in the payload nor after the volume)");
    const volume = new FsVolume(new FileDevice(fd, location.offset, location.blocks));
    const root = volume.verityRoot(verity.record);
    if (expectedRoot !== null && expectedRoot.toLowerCase() !== root) {
      throw new FsError(FsStatus.CORRUPT, `the verity record's root hash is ${root}, not the ${expectedRoot.toLowerCase()} expected`);
    }
    const result = volume.verify(verity.record);
    let check: CheckResult | null = null;
    try {
      volume.mountVerified(verity.record);
      check = volume.fsck();
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      result.refusals.push(`mount through the hash tree: ${error.message}`);
    }
    return { ...result, root, source: verity.source, check };
  });
}

/** Makes the file `path` (`size` bytes, a multiple of the block size) an empty volume with id `volumeId`. */
export function makeVolumeFile(path: string, size: number, volumeId: bigint): void {
  const fd = openSync(path, "w+");
  try {
    ftruncateSync(fd, size);
    new FsVolume(new FileDevice(fd, 0, Math.floor(size / FS_BLOCK_SIZE))).format(volumeId);
  } finally {
    closeSync(fd);
  }
}


