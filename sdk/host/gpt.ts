// Reads the GUID partition table of a Delos disk image (UEFI specification,
// chapter 5; docs/disk-layout.md) for the tools that open its volumes:
// the protective MBR, the primary header and entry array with their CRC-32s,
// and, when the primary copy is damaged, the backup at the end of the disk.
// The image writer (sdk/image/gpt.ts) writes the table; this file only reads.

import { crc32 } from "node:zlib";

export const SECTOR = 512;

/** Partition type GUIDs of a Delos disk (sdk/image/guid.ts writes them). */
export const PARTITION_TYPES = {
  esp: "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
  /** The payload archive the boot stub loads. */
  payload: "937165B5-D015-4DFA-B154-EF5400B03114",
  /** The read-only, verified system volume and its hash tree. */
  system: "016ED974-4DC4-41A9-967C-63BBB43E1A50",
  /** The user volume, mounted at /home. */
  home: "55C0E69B-716F-4302-AE20-C0E91833E187",
} as const;

export type PartitionRole = keyof typeof PARTITION_TYPES;

export class GptError extends Error {}

export interface GptPartition {
  /** 1-based, as tools number partitions. */
  number: number;
  typeGuid: string;
  uniqueGuid: string;
  firstLba: number;
  /** Inclusive. */
  lastLba: number;
  name: string;
  /** What a Delos disk uses it for, from its type; null for another type. */
  role: PartitionRole | null;
}

export interface GptTable {
  diskGuid: string;
  partitions: GptPartition[];
  /** Which copy was read: the primary, or the backup because the primary did not check. */
  copy: "primary" | "backup";
  /** What was wrong with the primary copy when the backup was used. */
  primaryProblem: string | null;
}

/** Reads `length` bytes at byte `offset` of the image (fewer at its end). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** The text form of the GUID at `at`: the first three fields little-endian. */
export function guidText(bytes: Uint8Array, at: number): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = [...bytes.subarray(at + from, at + to)];
    return (reverse ? part.reverse() : part).map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`.toUpperCase();
}

function roleOf(typeGuid: string): PartitionRole | null {
  for (const [role, guid] of Object.entries(PARTITION_TYPES)) if (guid === typeGuid) return role as PartitionRole;
  return null;
}

/** The header at `lba` and its partitions, or the reason it does not check. */
function readCopy(read: ReadAt, lba: number, totalSectors: number): { table: Omit<GptTable, "copy" | "primaryProblem"> } | { problem: string } {
  const header = read(lba * SECTOR, SECTOR);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.length < 92 || new TextDecoder().decode(header.subarray(0, 8)) !== "EFI PART") return { problem: `no "EFI PART" signature at LBA ${lba}` };
  const size = view.getUint32(12, true);
  if (size < 92 || size > SECTOR) return { problem: `header at LBA ${lba}: size ${size}` };
  const copy = header.slice(0, size);
  new DataView(copy.buffer).setUint32(16, 0, true);
  if (crc32(copy) !== view.getUint32(16, true)) return { problem: `header at LBA ${lba}: CRC-32 mismatch` };
  if (Number(view.getBigUint64(24, true)) !== lba) return { problem: `header at LBA ${lba} says it is at LBA ${view.getBigUint64(24, true)}` };
  const entriesLba = Number(view.getBigUint64(72, true)), count = view.getUint32(80, true), entrySize = view.getUint32(84, true);
  if (entrySize < 128 || entrySize % 8 !== 0 || count > 1024 || entriesLba >= totalSectors) {
    return { problem: `header at LBA ${lba}: ${count} entries of ${entrySize} bytes at LBA ${entriesLba}` };
  }
  const entries = read(entriesLba * SECTOR, count * entrySize);
  if (entries.length !== count * entrySize || crc32(entries) !== view.getUint32(88, true)) {
    return { problem: `entry array at LBA ${entriesLba}: CRC-32 mismatch` };
  }
  const partitions: GptPartition[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * entrySize;
    if (entries.subarray(at, at + 16).every((b) => b === 0)) continue;
    const e = new DataView(entries.buffer, entries.byteOffset + at, entrySize);
    const typeGuid = guidText(entries, at);
    const firstLba = Number(e.getBigUint64(32, true)), lastLba = Number(e.getBigUint64(40, true));
    if (lastLba < firstLba || lastLba >= totalSectors) return { problem: `partition ${i + 1} spans LBAs ${firstLba}-${lastLba} of ${totalSectors}` };
    const nameUnits = new Uint16Array(36);
    for (let c = 0; c < 36; c++) nameUnits[c] = e.getUint16(56 + 2 * c, true);
    const end = nameUnits.indexOf(0);
    partitions.push({
      number: i + 1, typeGuid, uniqueGuid: guidText(entries, at + 16), firstLba, lastLba,
      name: String.fromCharCode(...nameUnits.subarray(0, end < 0 ? 36 : end)), role: roleOf(typeGuid),
    });
  }
  return { table: { diskGuid: guidText(header, 56), partitions } };
}

/**
 * The partition table of an image of `size` bytes; null when the image has
 * no protective MBR (it is not a GPT disk). Throws a GptError naming what
 * is wrong when neither copy checks.
 */
export function readGpt(read: ReadAt, size: number): GptTable | null {
  const totalSectors = Math.floor(size / SECTOR);
  if (totalSectors < 3) return null;
  const mbr = read(0, SECTOR);
  if (mbr.length < SECTOR || mbr[510] !== 0x55 || mbr[511] !== 0xaa || ![0, 1, 2, 3].some((i) => mbr[446 + 16 * i + 4] === 0xee)) return null;
  const primary = readCopy(read, 1, totalSectors);
  if ("table" in primary) return { ...primary.table, copy: "primary", primaryProblem: null };
  const backup = readCopy(read, totalSectors - 1, totalSectors);
  if ("table" in backup) return { ...backup.table, copy: "backup", primaryProblem: primary.problem };
  throw new GptError(`a protective MBR but no sound GPT: ${primary.problem}; backup: ${backup.problem}`);
}

/** The byte offset and length of a partition. */
export function partitionExtent(partition: GptPartition): { offset: number; bytes: number } {
  return { offset: partition.firstLba * SECTOR, bytes: (partition.lastLba - partition.firstLba + 1) * SECTOR };
}
