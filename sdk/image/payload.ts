// The payload archive: the system's files (wasm components, fonts, assets)
// as the kernel reads them from the Delos system partition, or from memory
// after the boot stub loaded the partition. docs/boot.md has the full format.
//
//   header (64 bytes) | table of contents (32 bytes per file) | names | files
//
// Files are sorted by name (byte order, so a binary search works) and each
// starts on a 4096-byte boundary, so the kernel can map a file's pages into
// a component without copying. The header, the table with its names, and
// every file carry a CRC-32.
//
// A file that LZ4 shrinks by at least an eighth (and is at least
// COMPRESS_MINIMUM bytes) is stored compressed: flag PAYLOAD_LZ4 in its
// entry, its stored bytes the expanded size (u64) then an LZ4 block
// (sdk/lib/compress/lz4.ts), which the kernel expands as it reads it. Its
// size and CRC in the entry are the stored bytes'.

import { alignUp, put32, put64, putAscii, putBytes } from "./bytes";
import { crc32 } from "./crc32";
import { setMessage } from "./io";
import { lz4Bound, lz4Compress } from "../lib/compress/lz4";

export const PAYLOAD_MAGIC = "DELOSPAK";
export const PAYLOAD_VERSION: u32 = 1;
export const PAYLOAD_HEADER_SIZE: i32 = 64;
export const PAYLOAD_ENTRY_SIZE: i32 = 32;
export const PAYLOAD_ALIGNMENT: i32 = 4096;
const MAX_NAME_BYTES = 255;
/** Entry flag: the stored bytes are the expanded size (u64) and an LZ4 block. */
export const PAYLOAD_LZ4: u32 = 1;
/** Smaller files are stored as they are: what compression saves there is less than its header and the kernel's work. */
const COMPRESS_MINIMUM: i32 = 4096;

/** The bytes a file is stored as, and its entry flags. */
class Stored {
  constructor(readonly data: Uint8Array, readonly flags: u32) {}
}

/** `data` compressed when that saves at least an eighth of it, else as it is. */
function stored(data: Uint8Array): Stored {
  if (data.length < COMPRESS_MINIMUM) return new Stored(data, 0);
  const block = new Uint8Array(8 + lz4Bound(data.length));
  const length = lz4Compress(data.dataStart, data.length, block.dataStart + 8);
  if (8 + length > data.length - data.length / 8) return new Stored(data, 0);
  put64(block, 0, <u64>data.length);
  return new Stored(block.slice(0, 8 + length), PAYLOAD_LZ4);
}

export class PayloadFile {
  nameBytes: Uint8Array;
  constructor(readonly name: string, readonly data: Uint8Array) {
    this.nameBytes = Uint8Array.wrap(String.UTF8.encode(name));
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): i32 {
  const n = min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = <i32>unchecked(a[i]) - <i32>unchecked(b[i]);
    if (d != 0) return d;
  }
  return a.length - b.length;
}

/** Why `name` cannot be a payload name, or "" when it can. */
function nameProblem(name: string, byteLength: i32): string {
  if (byteLength == 0) return "is empty";
  if (byteLength > MAX_NAME_BYTES) return "is longer than 255 bytes";
  if (name.startsWith("/") || name.endsWith("/")) return "starts or ends with '/'";
  const parts = name.split("/");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.length == 0 || part == "." || part == "..") return "has an empty, '.' or '..' component";
  }
  return "";
}

/** Builds the archive; null (with a message) when a name is invalid or repeated. */
export function buildPayload(files: PayloadFile[]): Uint8Array | null {
  const sorted = files.slice(0);
  sorted.sort((a: PayloadFile, b: PayloadFile): i32 => compareBytes(a.nameBytes, b.nameBytes));
  let namesSize = 0;
  for (let i = 0; i < sorted.length; i++) {
    const file = sorted[i];
    const problem = nameProblem(file.name, file.nameBytes.length);
    if (problem.length > 0) { setMessage("payload: the name \"" + file.name + "\" " + problem); return null; }
    if (i > 0 && compareBytes(sorted[i - 1].nameBytes, file.nameBytes) == 0) {
      setMessage("payload: \"" + file.name + "\" is listed twice");
      return null;
    }
    namesSize += file.nameBytes.length;
  }
  const count = sorted.length;
  const tocOffset = PAYLOAD_HEADER_SIZE;
  const namesOffset = tocOffset + count * PAYLOAD_ENTRY_SIZE;
  const namesPadded = <i32>alignUp(namesSize, 8);
  const dataOffset = <i32>alignUp(namesOffset + namesPadded, PAYLOAD_ALIGNMENT);
  const contents = new Array<Stored>(count);
  let end: i64 = dataOffset;
  for (let i = 0; i < count; i++) {
    contents[i] = stored(sorted[i].data);
    end = alignUp(end + contents[i].data.length, PAYLOAD_ALIGNMENT);
  }
  if (end > 0x7fff0000) { setMessage("payload: larger than 2 GiB"); return null; }
  const archive = new Uint8Array(<i32>end);

  let at: i64 = dataOffset;
  let nameAt = 0;
  for (let i = 0; i < count; i++) {
    const file = sorted[i];
    const content = contents[i];
    const entry = tocOffset + i * PAYLOAD_ENTRY_SIZE;
    put64(archive, entry, <u64>at);
    put64(archive, entry + 8, <u64>content.data.length);
    put32(archive, entry + 16, crc32(content.data));
    put32(archive, entry + 20, content.flags);
    put32(archive, entry + 24, <u32>nameAt);
    put32(archive, entry + 28, <u32>file.nameBytes.length);
    putBytes(archive, namesOffset + nameAt, file.nameBytes);
    putBytes(archive, <i32>at, content.data);
    nameAt += file.nameBytes.length;
    at = alignUp(at + content.data.length, PAYLOAD_ALIGNMENT);
  }

  putAscii(archive, 0, PAYLOAD_MAGIC);
  put32(archive, 8, PAYLOAD_VERSION);
  put32(archive, 12, <u32>PAYLOAD_HEADER_SIZE);
  put32(archive, 16, <u32>count);
  put32(archive, 20, <u32>PAYLOAD_ENTRY_SIZE);
  put32(archive, 24, <u32>tocOffset);
  put32(archive, 28, <u32>namesOffset);
  put32(archive, 32, <u32>namesSize);
  put32(archive, 36, crc32(archive, tocOffset, namesOffset + namesSize - tocOffset));
  put64(archive, 40, <u64>end);
  put32(archive, 48, <u32>dataOffset);
  put32(archive, 52, <u32>PAYLOAD_ALIGNMENT);
  put32(archive, 56, 0);
  put32(archive, 60, crc32(archive, 0, 60));
  return archive;
}
