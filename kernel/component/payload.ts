// Files of the boot payload (docs/boot.md, "The payload archive"), which
// the boot stub loaded into memory and the kernel reaches through the
// direct map: a file is found by its name with a binary search of the
// sorted table of contents and copied into the kernel's heap. A file the
// image writer stored compressed (flag PAYLOAD_LZ4: its expanded size as a
// u64, then an LZ4 block, sdk/image/payload.ts) is expanded as it is read;
// everyone outside this file sees only expanded files.

import { INFO_PAYLOAD_BASE, INFO_PAYLOAD_SIZE } from "../arch/x86_64/boot/boot-info";
import { boot } from "../arch/x86_64/handoff";
import { load32, load64, load8 } from "../arch/x86_64/native";
import { phys } from "../memory/physical";
import { absolute } from "../arch/x86_64/native";
import { copyIn, copyUser } from "./copy";
import { lz4Expand } from "../../sdk/lib/compress/lz4";

const MAGIC_LOW: i32 = 0x4f4c4544; // "DELO"
const MAGIC_HIGH: i32 = 0x4b415053; // "SPAK"
const ENTRY_SIZE: i64 = 32;
/** Entry flag (offset 20): stored compressed. */
const PAYLOAD_LZ4: i32 = 1;
/** Bytes before a compressed file's LZ4 block: its expanded size. */
const LZ4_HEADER: u64 = 8;

function base(): i64 {
  const address = <u64>boot(INFO_PAYLOAD_BASE);
  if (address == 0) return 0;
  const at = phys(address);
  return load32(at) == MAGIC_LOW && load32(at + 4) == MAGIC_HIGH ? at : 0;
}

export function payloadFileCount(): i32 {
  const at = base();
  return at == 0 ? 0 : load32(at + 16);
}

/** Compares entry `index`'s name with `name`'s UTF-8 bytes: <0, 0, >0 as in byte order. */
function compareName(archive: i64, index: i32, name: Uint8Array): i32 {
  const entry = archive + <i64><u32>load32(archive + 24) + <i64>index * ENTRY_SIZE;
  const names = archive + <i64><u32>load32(archive + 28);
  const offset = <i64><u32>load32(entry + 24);
  const length = load32(entry + 28);
  const common = min(length, name.length);
  for (let i = 0; i < common; i++) {
    const difference = (load8(names + offset + <i64>i) & 0xff) - <i32>name[i];
    if (difference != 0) return difference;
  }
  return length - name.length;
}

/** Entry `index`'s name (index below payloadFileCount). */
export function payloadFileName(index: i32): string {
  const archive = base();
  const entry = archive + <i64><u32>load32(archive + 24) + <i64>index * ENTRY_SIZE;
  const names = archive + <i64><u32>load32(archive + 28);
  const length = load32(entry + 28);
  const bytes = new Uint8Array(length);
  copyIn(bytes.dataStart, <u64>(names + <i64><u32>load32(entry + 24)), <u64>length);
  return String.UTF8.decode(bytes.buffer);
}

/** Entry `index`'s size in bytes, expanded (index below payloadFileCount). */
export function payloadFileSize(index: i32): u64 {
  const archive = base();
  return expandedSize(archive, archive + <i64><u32>load32(archive + 24) + <i64>index * ENTRY_SIZE);
}

function isCompressed(entry: i64): bool { return (load32(entry + 20) & PAYLOAD_LZ4) != 0; }

/** The size of the file of `entry` as its readers see it: expanded when it is stored compressed. */
function expandedSize(archive: i64, entry: i64): u64 {
  const size = <u64>load64(entry + 8);
  if (!isCompressed(entry)) return size;
  return size < LZ4_HEADER ? 0 : <u64>load64(archive + load64(entry));
}

/**
 * Expands the compressed file of `entry` into `expected` bytes at `target`
 * (in the kernel's memory): false when its block is damaged. The block is
 * copied in first, into memory freed again at once.
 */
function expandEntry(archive: i64, entry: i64, target: usize, expected: i32): bool {
  const size = <u64>load64(entry + 8);
  const block = heap.alloc(<usize>(size - LZ4_HEADER));
  copyIn(block, <u64>archive + <u64>load64(entry) + LZ4_HEADER, size - LZ4_HEADER);
  const good = lz4Expand(block, <i32>(size - LZ4_HEADER), target, expected);
  heap.free(block);
  return good;
}

/**
 * The file of `entry`, expanded into the kernel's heap; null when its
 * stored bytes run past the archive or do not expand to the size they
 * claim (a damaged payload is refused, not half read).
 */
function readEntry(archive: i64, entry: i64): Uint8Array | null {
  const offset = <u64>load64(entry);
  const size = <u64>load64(entry + 8);
  if (offset + size > <u64>boot(INFO_PAYLOAD_SIZE) || size > <u64>0x7fffffff) return null;
  if (!isCompressed(entry)) {
    const bytes = new Uint8Array(<i32>size);
    copyIn(bytes.dataStart, <u64>archive + offset, size);
    return bytes;
  }
  if (size < LZ4_HEADER) return null;
  const expanded = expandedSize(archive, entry);
  if (expanded > <u64>0x7fffffff) return null;
  const bytes = new Uint8Array(<i32>expanded);
  return expandEntry(archive, entry, bytes.dataStart, bytes.length) ? bytes : null;
}

/** Index of the file called `path`, or -1. */
function find(archive: i64, path: string): i32 {
  const name = Uint8Array.wrap(String.UTF8.encode(path));
  let low = 0, high = load32(archive + 16) - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareName(archive, middle, name);
    if (order == 0) return middle;
    if (order < 0) low = middle + 1; else high = middle - 1;
  }
  return -1;
}

/** The bytes of payload file `path`, copied into the kernel's heap; null when there is no such file. */
export function readPayloadFile(path: string): Uint8Array | null {
  const archive = base();
  if (archive == 0) return null;
  const index = find(archive, path);
  if (index < 0) return null;
  return readEntry(archive, archive + <i64><u32>load32(archive + 24) + <i64>index * ENTRY_SIZE);
}

export function hasPayloadFile(path: string): bool {
  const archive = base();
  return archive != 0 && find(archive, path) >= 0;
}

/** The compressed file copyPayloadFile expanded last (its entry's index, -1: none) and where it lies in the kernel's heap. */
let expandedIndex: i32 = -1;
let expandedFile: usize = 0;

/** What copyPayloadFile found: the file's size, or a negative PAYLOAD_* when it could not copy. */
export const PAYLOAD_NOT_FOUND: i64 = -1;
export const PAYLOAD_BAD_OFFSET: i64 = -2;
export const PAYLOAD_FAULT: i64 = -3;

/**
 * Copies bytes [offset, offset + length) of payload file `path`, cut at
 * its end, to a component's absolute `destination`: the file's size, or
 * PAYLOAD_NOT_FOUND, PAYLOAD_BAD_OFFSET (past the end) or PAYLOAD_FAULT
 * (the destination faulted).
 */
export function copyPayloadFile(path: string, offset: u64, destination: u64, length: u64): i64 {
  const archive = base();
  if (archive == 0) return PAYLOAD_NOT_FOUND;
  const index = find(archive, path);
  if (index < 0) return PAYLOAD_NOT_FOUND;
  const entry = archive + <i64><u32>load32(archive + 24) + <i64>index * ENTRY_SIZE;
  const start = <u64>load64(entry);
  const stored = <u64>load64(entry + 8);
  if (start + stored > <u64>boot(INFO_PAYLOAD_SIZE)) return PAYLOAD_NOT_FOUND;
  const size = expandedSize(archive, entry);
  if (offset > size) return PAYLOAD_BAD_OFFSET;
  const count = min<u64>(length, size - offset);
  if (count == 0) return <i64>size;
  if (!isCompressed(entry)) return copyUser(destination, <u64>archive + start + offset, count) ? <i64>size : PAYLOAD_FAULT;
  if (stored < LZ4_HEADER || size > <u64>0x7fffffff) return PAYLOAD_NOT_FOUND;
  if (expandedIndex != index) {
    // Readers go through a file in several reads (the launcher a wasm's sections one by one): the last file expanded is kept.
    if (expandedFile != 0) heap.free(expandedFile);
    expandedIndex = -1;
    expandedFile = heap.alloc(<usize>size);
    if (!expandEntry(archive, entry, expandedFile, <i32>size)) { heap.free(expandedFile); expandedFile = 0; return PAYLOAD_NOT_FOUND; }
    expandedIndex = index;
  }
  return copyUser(destination, <u64>absolute(expandedFile + <usize>offset), count) ? <i64>size : PAYLOAD_FAULT;
}
