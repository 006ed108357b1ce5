// Little-endian reads and writes at byte offsets of a Uint8Array. Every
// on-disk structure the image writer produces (GPT, FAT32, PE32+, the
// payload archive) is little-endian; these keep the structure code readable.

// @ts-ignore: decorator
@inline export function put8(bytes: Uint8Array, at: i32, value: i32): void { store<u8>(bytes.dataStart + <usize>at, <u8>value); }
// @ts-ignore: decorator
@inline export function put16(bytes: Uint8Array, at: i32, value: i32): void { store<u16>(bytes.dataStart + <usize>at, <u16>value); }
// @ts-ignore: decorator
@inline export function put32(bytes: Uint8Array, at: i32, value: u32): void { store<u32>(bytes.dataStart + <usize>at, value); }
// @ts-ignore: decorator
@inline export function put64(bytes: Uint8Array, at: i32, value: u64): void { store<u64>(bytes.dataStart + <usize>at, value); }
// @ts-ignore: decorator
@inline export function get8(bytes: Uint8Array, at: i32): u32 { return <u32>load<u8>(bytes.dataStart + <usize>at); }
// @ts-ignore: decorator
@inline export function get16(bytes: Uint8Array, at: i32): u32 { return <u32>load<u16>(bytes.dataStart + <usize>at); }
// @ts-ignore: decorator
@inline export function get32(bytes: Uint8Array, at: i32): u32 { return load<u32>(bytes.dataStart + <usize>at); }
// @ts-ignore: decorator
@inline export function get64(bytes: Uint8Array, at: i32): u64 { return load<u64>(bytes.dataStart + <usize>at); }

/** Writes the ASCII text at `at` (one byte per character). */
export function putAscii(bytes: Uint8Array, at: i32, text: string): void {
  for (let i = 0; i < text.length; i++) put8(bytes, at + i, text.charCodeAt(i));
}

/** Writes the text as UTF-16LE code units, at most `maxUnits`. */
export function putUtf16(bytes: Uint8Array, at: i32, text: string, maxUnits: i32): void {
  const count = min(text.length, maxUnits);
  for (let i = 0; i < count; i++) put16(bytes, at + 2 * i, text.charCodeAt(i));
}

/** Copies `source` into `target` at `at`. */
export function putBytes(target: Uint8Array, at: i32, source: Uint8Array): void {
  memory.copy(target.dataStart + <usize>at, source.dataStart, <usize>source.length);
}

export function alignUp(value: i64, alignment: i64): i64 {
  return (value + alignment - 1) / alignment * alignment;
}

/** Reads a little-endian description written by the host, failing softly past its end. */
export class Reader {
  at: i32 = 0;
  failed: bool = false;

  constructor(readonly bytes: Uint8Array) {}

  private room(count: i32): bool {
    if (this.at + count > this.bytes.length) { this.failed = true; return false; }
    return true;
  }

  u32(): u32 {
    if (!this.room(4)) return 0;
    const value = get32(this.bytes, this.at);
    this.at += 4;
    return value;
  }

  u64(): u64 {
    if (!this.room(8)) return 0;
    const value = get64(this.bytes, this.at);
    this.at += 8;
    return value;
  }

  /** A string as u32 byte length then UTF-8 bytes. */
  string(): string {
    const length = <i32>this.u32();
    if (this.failed || !this.room(length)) return "";
    const text = String.UTF8.decodeUnsafe(this.bytes.dataStart + <usize>this.at, <usize>length);
    this.at += length;
    return text;
  }
}
