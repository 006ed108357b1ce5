// The GUID Partition Table (UEFI specification, chapter 5): a protective MBR
// in LBA 0, the primary header in LBA 1 and its 128 entries in LBAs 2-33,
// and at the end of the disk the backup entries followed by the backup
// header in the last LBA. Both headers carry a CRC-32 of themselves and of
// the entry array.

import { put8, put32, put64, putAscii, putUtf16 } from "./bytes";
import { crc32 } from "./crc32";
import { putGuid } from "./guid";

export const SECTOR: i32 = 512;
const ENTRY_COUNT: i32 = 128;
const ENTRY_SIZE: i32 = 128;
const ENTRY_SECTORS: i32 = ENTRY_COUNT * ENTRY_SIZE / SECTOR;
const HEADER_SIZE: i32 = 92;

export class Partition {
  constructor(
    readonly typeGuid: string,
    readonly uniqueGuid: string,
    readonly firstLba: i64,
    /** Inclusive, as GPT counts. */
    readonly lastLba: i64,
    readonly name: string,
  ) {}
}

function writeProtectiveMbr(disk: Uint8Array, totalSectors: i64): void {
  const entry = 446;
  put8(disk, entry + 0, 0x00);
  put8(disk, entry + 1, 0x00); put8(disk, entry + 2, 0x02); put8(disk, entry + 3, 0x00); // CHS of LBA 1
  put8(disk, entry + 4, 0xee);
  put8(disk, entry + 5, 0xff); put8(disk, entry + 6, 0xff); put8(disk, entry + 7, 0xff);
  put32(disk, entry + 8, 1);
  put32(disk, entry + 12, totalSectors - 1 > 0xffffffff ? 0xffffffff : <u32>(totalSectors - 1));
  put8(disk, 510, 0x55);
  put8(disk, 511, 0xaa);
}

function writeEntries(disk: Uint8Array, at: i32, partitions: Partition[]): void {
  for (let i = 0; i < partitions.length; i++) {
    const p = partitions[i];
    const entry = at + i * ENTRY_SIZE;
    putGuid(disk, entry, p.typeGuid);
    putGuid(disk, entry + 16, p.uniqueGuid);
    put64(disk, entry + 32, <u64>p.firstLba);
    put64(disk, entry + 40, <u64>p.lastLba);
    put64(disk, entry + 48, 0);
    putUtf16(disk, entry + 56, p.name, 36);
  }
}

function writeHeader(disk: Uint8Array, myLba: i64, alternateLba: i64, entriesLba: i64, totalSectors: i64, diskGuid: string, entriesCrc: u32): void {
  const at = <i32>(myLba * SECTOR);
  putAscii(disk, at, "EFI PART");
  put32(disk, at + 8, 0x00010000);
  put32(disk, at + 12, HEADER_SIZE);
  put32(disk, at + 16, 0);
  put32(disk, at + 20, 0);
  put64(disk, at + 24, <u64>myLba);
  put64(disk, at + 32, <u64>alternateLba);
  put64(disk, at + 40, <u64>(2 + ENTRY_SECTORS));
  put64(disk, at + 48, <u64>(totalSectors - 2 - ENTRY_SECTORS));
  putGuid(disk, at + 56, diskGuid);
  put64(disk, at + 72, <u64>entriesLba);
  put32(disk, at + 80, ENTRY_COUNT);
  put32(disk, at + 84, ENTRY_SIZE);
  put32(disk, at + 88, entriesCrc);
  put32(disk, at + 16, crc32(disk, at, HEADER_SIZE));
}

/** The first LBA a partition may use, and the last, on a disk of `totalSectors`. */
export function firstUsableLba(): i64 { return 2 + ENTRY_SECTORS; }
export function lastUsableLba(totalSectors: i64): i64 { return totalSectors - 2 - ENTRY_SECTORS; }

/** Writes the protective MBR and both GPT copies into `disk` (zeroed outside the partitions). */
export function writeGpt(disk: Uint8Array, diskGuid: string, partitions: Partition[]): void {
  const totalSectors = <i64>(disk.length / SECTOR);
  const lastLba = totalSectors - 1;
  const backupEntriesLba = lastLba - ENTRY_SECTORS;
  writeProtectiveMbr(disk, totalSectors);
  writeEntries(disk, 2 * SECTOR, partitions);
  writeEntries(disk, <i32>(backupEntriesLba * SECTOR), partitions);
  const entriesCrc = crc32(disk, 2 * SECTOR, ENTRY_COUNT * ENTRY_SIZE);
  writeHeader(disk, 1, lastLba, 2, totalSectors, diskGuid, entriesCrc);
  writeHeader(disk, lastLba, 1, backupEntriesLba, totalSectors, diskGuid, entriesCrc);
}
