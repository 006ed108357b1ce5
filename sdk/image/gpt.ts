// The GUID Partition Table (UEFI specification, chapter 5): a protective MBR
// in LBA 0, the primary header in LBA 1 and its 128 entries in LBAs 2-33,
// and at the end of the disk the backup entries followed by the backup
// header in the last LBA. Both headers carry a CRC-32 of themselves and of
// the entry array.
//
// The one implementation of it, writer and reader: the image writer builds
// disks with it, the host reads images through build/image.wasm
// (sdk/host/gpt.ts), and on Delos the file server finds its volumes and the
// installer partitions a disk with the same code. Nothing here touches a
// device: the writer fills byte arrays (a whole disk, or only the head and
// the tail the table occupies, for a disk too large to hold in memory), the
// reader asks a SectorSource for the sectors it needs.

import { get8, get16, get32, get64, put8, put32, put64, putAscii, putUtf16 } from "./bytes";
import { crc32 } from "./crc32";
import { DELOS_HOME_VOLUME_TYPE, DELOS_SYSTEM_TYPE, DELOS_SYSTEM_VOLUME_TYPE, ESP_TYPE, getGuid, putGuid } from "./guid";

export const SECTOR: i32 = 512;
const ENTRY_COUNT: i32 = 128;
const ENTRY_SIZE: i32 = 128;
const ENTRY_SECTORS: i32 = ENTRY_COUNT * ENTRY_SIZE / SECTOR;
const HEADER_SIZE: i32 = 92;
/** Sectors at the start of the disk the table occupies: the MBR, the primary header and entries. */
export const HEAD_SECTORS: i32 = 2 + ENTRY_SECTORS;
/** Sectors at the end of the disk the table occupies: the backup entries and header. */
export const TAIL_SECTORS: i32 = ENTRY_SECTORS + 1;
/** Entries a reader accepts at most, so that a damaged header cannot ask for a huge array. */
const MAX_ENTRIES: u32 = 1024;

/** What a Delos disk uses a partition for, from its type GUID (docs/disk-layout.md). */
export const enum Role { Other = 0, Esp = 1, Payload = 2, System = 3, Home = 4 }

export class Partition {
  /** 1-based, as tools number partitions; set by the reader (the writer numbers them by their order). */
  number: i32 = 0;
  constructor(
    readonly typeGuid: string,
    readonly uniqueGuid: string,
    readonly firstLba: i64,
    /** Inclusive, as GPT counts. */
    readonly lastLba: i64,
    readonly name: string,
  ) {}

  get role(): Role { return roleOf(this.typeGuid); }
  get sectors(): i64 { return this.lastLba - this.firstLba + 1; }
}

/** The role of a partition type GUID (upper-case text). */
export function roleOf(typeGuid: string): Role {
  if (typeGuid == ESP_TYPE) return Role.Esp;
  if (typeGuid == DELOS_SYSTEM_TYPE) return Role.Payload;
  if (typeGuid == DELOS_SYSTEM_VOLUME_TYPE) return Role.System;
  if (typeGuid == DELOS_HOME_VOLUME_TYPE) return Role.Home;
  return Role.Other;
}

function writeProtectiveMbr(head: Uint8Array, totalSectors: i64): void {
  const entry = 446;
  put8(head, entry + 0, 0x00);
  put8(head, entry + 1, 0x00); put8(head, entry + 2, 0x02); put8(head, entry + 3, 0x00); // CHS of LBA 1
  put8(head, entry + 4, 0xee);
  put8(head, entry + 5, 0xff); put8(head, entry + 6, 0xff); put8(head, entry + 7, 0xff);
  put32(head, entry + 8, 1);
  put32(head, entry + 12, totalSectors - 1 > 0xffffffff ? 0xffffffff : <u32>(totalSectors - 1));
  put8(head, 510, 0x55);
  put8(head, 511, 0xaa);
}

function writeEntries(bytes: Uint8Array, at: i32, partitions: Partition[]): void {
  for (let i = 0; i < partitions.length; i++) {
    const p = partitions[i];
    const entry = at + i * ENTRY_SIZE;
    putGuid(bytes, entry, p.typeGuid);
    putGuid(bytes, entry + 16, p.uniqueGuid);
    put64(bytes, entry + 32, <u64>p.firstLba);
    put64(bytes, entry + 40, <u64>p.lastLba);
    put64(bytes, entry + 48, 0);
    putUtf16(bytes, entry + 56, p.name, 36);
  }
}

function writeHeader(bytes: Uint8Array, at: i32, myLba: i64, alternateLba: i64, entriesLba: i64, totalSectors: i64, diskGuid: string, entriesCrc: u32): void {
  putAscii(bytes, at, "EFI PART");
  put32(bytes, at + 8, 0x00010000);
  put32(bytes, at + 12, HEADER_SIZE);
  put32(bytes, at + 16, 0);
  put32(bytes, at + 20, 0);
  put64(bytes, at + 24, <u64>myLba);
  put64(bytes, at + 32, <u64>alternateLba);
  put64(bytes, at + 40, <u64>firstUsableLba());
  put64(bytes, at + 48, <u64>lastUsableLba(totalSectors));
  putGuid(bytes, at + 56, diskGuid);
  put64(bytes, at + 72, <u64>entriesLba);
  put32(bytes, at + 80, ENTRY_COUNT);
  put32(bytes, at + 84, ENTRY_SIZE);
  put32(bytes, at + 88, entriesCrc);
  put32(bytes, at + 16, crc32(bytes, at, HEADER_SIZE));
}

/** The first LBA a partition may use, and the last, on a disk of `totalSectors`. */
export function firstUsableLba(): i64 { return HEAD_SECTORS; }
export function lastUsableLba(totalSectors: i64): i64 { return totalSectors - 1 - TAIL_SECTORS; }

/**
 * The table of a disk of `totalSectors` as the two stretches it occupies:
 * `head` (HEAD_SECTORS, for LBA 0) and `tail` (TAIL_SECTORS, for the last
 * sectors), everything else in them zero.
 */
export class GptRegions {
  head: Uint8Array = new Uint8Array(HEAD_SECTORS * SECTOR);
  tail: Uint8Array = new Uint8Array(TAIL_SECTORS * SECTOR);
  constructor(readonly totalSectors: i64) {}
  /** The LBA where `tail` goes. */
  get tailLba(): i64 { return this.totalSectors - TAIL_SECTORS; }
}

/** Writes the protective MBR and both GPT copies of a disk of `totalSectors` into new head and tail stretches. */
export function gptRegions(totalSectors: i64, diskGuid: string, partitions: Partition[]): GptRegions {
  const regions = new GptRegions(totalSectors);
  const lastLba = totalSectors - 1;
  writeProtectiveMbr(regions.head, totalSectors);
  writeEntries(regions.head, 2 * SECTOR, partitions);
  writeEntries(regions.tail, 0, partitions);
  const entriesCrc = crc32(regions.head, 2 * SECTOR, ENTRY_COUNT * ENTRY_SIZE);
  writeHeader(regions.head, SECTOR, 1, lastLba, 2, totalSectors, diskGuid, entriesCrc);
  writeHeader(regions.tail, ENTRY_SECTORS * SECTOR, lastLba, 1, lastLba - ENTRY_SECTORS, totalSectors, diskGuid, entriesCrc);
  return regions;
}

/** Writes the protective MBR and both GPT copies into `disk` (zeroed outside the partitions). */
export function writeGpt(disk: Uint8Array, diskGuid: string, partitions: Partition[]): void {
  const regions = gptRegions(<i64>(disk.length / SECTOR), diskGuid, partitions);
  disk.set(regions.head, 0);
  disk.set(regions.tail, <i32>(regions.tailLba * SECTOR));
}

/** Where the reader gets sectors: a disk, an image file, or stretches of one. */
export abstract class SectorSource {
  /** Sectors on the disk. */
  abstract totalSectors(): i64;
  /** `count` sectors from `lba`, or null when they cannot be read (then `problem` says why). */
  abstract read(lba: i64, count: i32): Uint8Array | null;
  problem: string = "";
}

/** A table as read. */
export class GptTable {
  diskGuid: string = "";
  partitions: Partition[] = [];
  /** True when the backup copy was read because the primary did not check. */
  fromBackup: bool = false;
  /** What was wrong with the primary copy when the backup was used. */
  primaryProblem: string = "";

  /** The first partition of `role`, or null. */
  find(role: Role): Partition | null {
    for (let i = 0; i < this.partitions.length; i++) if (this.partitions[i].role == role) return this.partitions[i];
    return null;
  }
}

/** Why the last readGpt found no sound table (empty when the disk simply has no protective MBR). */
export let gptProblem: string = "";

/** The header at `lba` and its partitions, or null with `gptProblem` saying why it does not check. */
function readCopy(source: SectorSource, lba: i64, totalSectors: i64): GptTable | null {
  const where = "header at LBA " + lba.toString();
  const header = source.read(lba, 1);
  if (header == null) { gptProblem = where + ": " + source.problem; return null; }
  let signature = "";
  for (let i = 0; i < 8; i++) signature += String.fromCharCode(get8(header, i));
  if (signature != "EFI PART") { gptProblem = "no \"EFI PART\" signature at LBA " + lba.toString(); return null; }
  const size = get32(header, 12);
  if (size < <u32>HEADER_SIZE || size > <u32>SECTOR) { gptProblem = where + ": size " + size.toString(); return null; }
  const copy = header.slice(0, <i32>size);
  put32(copy, 16, 0);
  if (crc32(copy) != get32(header, 16)) { gptProblem = where + ": CRC-32 mismatch"; return null; }
  if (get64(header, 24) != <u64>lba) { gptProblem = where + " says it is at LBA " + get64(header, 24).toString(); return null; }
  const entriesLba = <i64>get64(header, 72), count = get32(header, 80), entrySize = get32(header, 84);
  if (entrySize < <u32>ENTRY_SIZE || entrySize % 8 != 0 || entrySize > 4096 || count > MAX_ENTRIES || entriesLba >= totalSectors || entriesLba < 0) {
    gptProblem = where + ": " + count.toString() + " entries of " + entrySize.toString() + " bytes at LBA " + entriesLba.toString();
    return null;
  }
  const bytes = <i32>(count * entrySize);
  const entries = source.read(entriesLba, (bytes + SECTOR - 1) / SECTOR);
  if (entries == null) { gptProblem = "entry array at LBA " + entriesLba.toString() + ": " + source.problem; return null; }
  if (crc32(entries, 0, bytes) != get32(header, 88)) { gptProblem = "entry array at LBA " + entriesLba.toString() + ": CRC-32 mismatch"; return null; }
  const table = new GptTable();
  table.diskGuid = getGuid(header, 56);
  for (let i: i32 = 0; i < <i32>count; i++) {
    const at = i * <i32>entrySize;
    let used = false;
    for (let b = 0; b < 16 && !used; b++) used = get8(entries, at + b) != 0;
    if (!used) continue;
    const firstLba = <i64>get64(entries, at + 32), lastLba = <i64>get64(entries, at + 40);
    if (lastLba < firstLba || firstLba < 0 || lastLba >= totalSectors) {
      gptProblem = "partition " + (i + 1).toString() + " spans LBAs " + firstLba.toString() + "-" + lastLba.toString() + " of " + totalSectors.toString();
      return null;
    }
    let name = "";
    for (let c = 0; c < 36; c++) {
      const unit = get16(entries, at + 56 + 2 * c);
      if (unit == 0) break;
      name += String.fromCharCode(unit);
    }
    const partition = new Partition(getGuid(entries, at), getGuid(entries, at + 16), firstLba, lastLba, name);
    partition.number = i + 1;
    table.partitions.push(partition);
  }
  return table;
}

/**
 * The partition table `source` holds; null with `gptProblem` empty when it
 * has no protective MBR (it is not a GPT disk), null with `gptProblem`
 * naming what is wrong with both copies when neither checks. The backup copy
 * is read when the primary does not check.
 */
export function readGpt(source: SectorSource): GptTable | null {
  gptProblem = "";
  const totalSectors = source.totalSectors();
  if (totalSectors < 3) return null;
  const mbr = source.read(0, 1);
  if (mbr == null) { gptProblem = "MBR: " + source.problem; return null; }
  if (get8(mbr, 510) != 0x55 || get8(mbr, 511) != 0xaa) return null;
  let protective = false;
  for (let i = 0; i < 4; i++) protective = protective || get8(mbr, 446 + 16 * i + 4) == 0xee;
  if (!protective) return null;
  const primary = readCopy(source, 1, totalSectors);
  if (primary != null) return primary;
  const primaryProblem = gptProblem;
  const backup = readCopy(source, totalSectors - 1, totalSectors);
  if (backup != null) {
    backup.fromBackup = true;
    backup.primaryProblem = primaryProblem;
    gptProblem = "";
    return backup;
  }
  gptProblem = "a protective MBR but no sound GPT: " + primaryProblem + "; backup: " + gptProblem;
  return null;
}

/**
 * A source over the two stretches a table occupies (HEAD_SECTORS from LBA 0,
 * TAIL_SECTORS at the end), which is what the host hands over: a table whose
 * entries lie elsewhere is reported as unreadable rather than guessed at.
 */
export class StretchSource extends SectorSource {
  constructor(readonly total: i64, readonly head: Uint8Array, readonly tail: Uint8Array) { super(); }
  totalSectors(): i64 { return this.total; }
  read(lba: i64, count: i32): Uint8Array | null {
    const headSectors = <i64>(this.head.length / SECTOR), tailSectors = <i64>(this.tail.length / SECTOR);
    if (lba >= 0 && lba + count <= headSectors) return this.head.subarray(<i32>lba * SECTOR, <i32>(lba + count) * SECTOR);
    const tailLba = this.total - tailSectors;
    if (lba >= tailLba && lba + count <= this.total) return this.tail.subarray(<i32>(lba - tailLba) * SECTOR, <i32>(lba - tailLba + count) * SECTOR);
    this.problem = "sectors " + lba.toString() + "+" + count.toString() + " lie outside the table's usual places";
    return null;
  }
}
