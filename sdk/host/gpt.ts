// Reads the GUID partition table of a Delos disk image (UEFI specification,
// chapter 5; docs/disk-layout.md) for the tools that open its volumes. The
// reading itself is the image writer's (sdk/image/gpt.ts, run from
// build/image.wasm): the same code the file server and the installer run on
// Delos, which checks the protective MBR, both headers and entry arrays with
// their CRC-32s, and falls back to the backup copy when the primary is
// damaged. This file hands it the sectors and gives its answer TypeScript
// types.

import { GPT_HEAD_SECTORS, GPT_TAIL_SECTORS, ImageError, readGptStretches } from "./image";

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

function roleOf(typeGuid: string): PartitionRole | null {
  for (const [role, guid] of Object.entries(PARTITION_TYPES)) if (guid === typeGuid) return role as PartitionRole;
  return null;
}

/** `count` sectors from `lba`, zero-filled where the image ends early. */
function sectors(read: ReadAt, lba: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count * SECTOR);
  if (lba >= 0) bytes.set(read(lba * SECTOR, count * SECTOR));
  return bytes;
}

/**
 * The partition table of an image of `size` bytes; null when the image has
 * no protective MBR (it is not a GPT disk). Throws a GptError naming what
 * is wrong when neither copy checks.
 */
export function readGpt(read: ReadAt, size: number): GptTable | null {
  const totalSectors = Math.floor(size / SECTOR);
  if (totalSectors < 3) return null;
  let table;
  try {
    table = readGptStretches(totalSectors, sectors(read, 0, GPT_HEAD_SECTORS), sectors(read, totalSectors - GPT_TAIL_SECTORS, GPT_TAIL_SECTORS));
  } catch (error) {
    if (error instanceof ImageError) throw new GptError(error.message);
    throw error;
  }
  if (table === null) return null;
  return {
    diskGuid: table.diskGuid,
    partitions: table.partitions.map((p) => ({ ...p, role: roleOf(p.typeGuid) })),
    copy: table.fromBackup ? "backup" : "primary",
    primaryProblem: table.fromBackup ? table.primaryProblem : null,
  };
}

/** The byte offset and length of a partition. */
export function partitionExtent(partition: GptPartition): { offset: number; bytes: number } {
  return { offset: partition.firstLba * SECTOR, bytes: (partition.lastLba - partition.firstLba + 1) * SECTOR };
}
