// GUIDs as GPT stores them: the first three fields little-endian, the last
// two as bytes in order. Constants are written as the usual text form;
// identifiers of a particular disk are derived from its content (FNV-1a), so
// two builds of the same tree give the same disk, and different trees differ.

import { get8, get16, get32, put8, put16, put32 } from "./bytes";

/** The EFI System Partition type. */
export const ESP_TYPE = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
/**
 * The Delos boot payload partition type: the payload archive at its first
 * byte, which the boot stub loads (kernel/arch/x86_64/boot/firmware.ts). Its
 * name is older than the system volume; it holds the payload, not a volume.
 */
export const DELOS_SYSTEM_TYPE = "937165B5-D015-4DFA-B154-EF5400B03114";
/** The Delos system volume partition type: a read-only Delos volume followed by its hash tree (docs/disk-layout.md). */
export const DELOS_SYSTEM_VOLUME_TYPE = "016ED974-4DC4-41A9-967C-63BBB43E1A50";
/** The Delos user volume partition type: the writable Delos volume mounted at /home. */
export const DELOS_HOME_VOLUME_TYPE = "55C0E69B-716F-4302-AE20-C0E91833E187";

function hexValue(code: i32): i32 {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return 0;
}

function hexField(text: string, start: i32, digits: i32): u32 {
  let value: u32 = 0;
  for (let i = 0; i < digits; i++) value = (value << 4) | <u32>hexValue(text.charCodeAt(start + i));
  return value;
}

/** Writes the GUID `text` (8-4-4-4-12 hex digits) in its on-disk byte order. */
export function putGuid(bytes: Uint8Array, at: i32, text: string): void {
  put32(bytes, at, hexField(text, 0, 8));
  put16(bytes, at + 4, <i32>hexField(text, 9, 4));
  put16(bytes, at + 6, <i32>hexField(text, 14, 4));
  put8(bytes, at + 8, <i32>hexField(text, 19, 2));
  put8(bytes, at + 9, <i32>hexField(text, 21, 2));
  for (let i = 0; i < 6; i++) put8(bytes, at + 10 + i, <i32>hexField(text, 24 + 2 * i, 2));
}

/** The text form (upper-case) of the GUID stored at `at`: the inverse of putGuid. */
export function getGuid(bytes: Uint8Array, at: i32): string {
  let tail = "";
  for (let i = 0; i < 6; i++) tail += hex(<u64>get8(bytes, at + 10 + i), 2);
  return hex(<u64>get32(bytes, at), 8) + "-" + hex(<u64>get16(bytes, at + 4), 4) + "-" + hex(<u64>get16(bytes, at + 6), 4)
    + "-" + hex(<u64>get8(bytes, at + 8), 2) + hex(<u64>get8(bytes, at + 9), 2) + "-" + tail;
}

/** A 64-bit FNV-1a hash, continued from `hash`. */
export function fnv1a(bytes: Uint8Array, hash: u64 = 0xcbf29ce484222325): u64 {
  for (let i = 0; i < bytes.length; i++) {
    hash ^= <u64>unchecked(bytes[i]);
    hash *= 0x100000001b3;
  }
  return hash;
}

export function fnv1aText(text: string, hash: u64 = 0xcbf29ce484222325): u64 {
  return fnv1a(Uint8Array.wrap(String.UTF8.encode(text)), hash);
}

function hex(value: u64, digits: i32): string {
  let text = "";
  for (let i = digits - 1; i >= 0; i--) {
    const nibble = <i32>((value >> (<u64>(4 * i))) & 15);
    text += String.fromCharCode(nibble < 10 ? 48 + nibble : 55 + nibble);
  }
  return text;
}

/** A version-4-shaped GUID text made from two 64-bit hashes (deterministic, not random). */
export function guidFromHash(high: u64, low: u64): string {
  const versioned = (high & 0xffffffffffff0fff) | 0x4000;
  const variant = (low & 0x3fffffffffffffff) | 0x8000000000000000;
  return hex(versioned >> 32, 8) + "-" + hex((versioned >> 16) & 0xffff, 4) + "-" + hex(versioned & 0xffff, 4)
    + "-" + hex(variant >> 48, 4) + "-" + hex(variant & 0xffffffffffff, 12);
}

/** A GUID for `name` within the disk identified by `seed`. */
export function derivedGuid(seed: u64, name: string): string {
  const high = fnv1aText(name, seed);
  const low = fnv1aText(name + "/low", high);
  return guidFromHash(high, low);
}
