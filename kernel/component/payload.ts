// Files of the boot payload (docs/boot.md, "The payload archive"), which
// the boot stub loaded into memory and the kernel reaches through the
// direct map: a file is found by its name with a binary search of the
// sorted table of contents and copied into the kernel's heap.

import { INFO_PAYLOAD_BASE, INFO_PAYLOAD_SIZE } from "../arch/x86_64/boot/boot-info";
import { boot } from "../arch/x86_64/handoff";
import { load32, load64, load8 } from "../arch/x86_64/native";
import { phys } from "../memory/physical";
import { copyIn, copyUser } from "./copy";

const MAGIC_LOW: i32 = 0x4f4c4544; // "DELO"
const MAGIC_HIGH: i32 = 0x4b415053; // "SPAK"
const ENTRY_SIZE: i64 = 32;

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

/** Entry `index`'s size in bytes (index below payloadFileCount). */
export function payloadFileSize(index: i32): u64 {
  const archive = base();
  return <u64>load64(archive + <i64><u32>load32(archive + 24) + <i64>index * ENTRY_SIZE + 8);
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
  const entry = archive + <i64><u32>load32(archive + 24) + <i64>index * ENTRY_SIZE;
  const offset = <u64>load64(entry);
  const size = <u64>load64(entry + 8);
  if (offset + size > <u64>boot(INFO_PAYLOAD_SIZE) || size > <u64>0x7fffffff) return null;
  const bytes = new Uint8Array(<i32>size);
  copyIn(bytes.dataStart, <u64>archive + offset, size);
  return bytes;
}

export function hasPayloadFile(path: string): bool {
  const archive = base();
  return archive != 0 && find(archive, path) >= 0;
}

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
  const size = <u64>load64(entry + 8);
  if (start + size > <u64>boot(INFO_PAYLOAD_SIZE)) return PAYLOAD_NOT_FOUND;
  if (offset > size) return PAYLOAD_BAD_OFFSET;
  const count = min<u64>(length, size - offset);
  if (count > 0 && !copyUser(destination, <u64>archive + start + offset, count)) return PAYLOAD_FAULT;
  return <i64>size;
}
