// The host's settings for a fuzz run, read from QEMU's firmware
// configuration device (fw_cfg: selector port 0x510, data port 0x511) as
// the file `opt/delos/fuzz`, which the host passes with
// `-fw_cfg name=opt/delos/fuzz,string=...`. The file directory is entry
// 0x19: a big-endian count, then 64-byte entries (size, selector, name).

import { delos_port_read, delos_port_write } from "../../../ipc/generated/imports";

const SELECTOR_PORT: u32 = 0x510;
const DATA_PORT: u32 = 0x511;
const FILE_DIRECTORY: u32 = 0x19;
const NAME_BYTES: i32 = 56;

function select(key: u32): bool {
  return delos_port_write(SELECTOR_PORT, 2, key) == 0;
}

function byte(): u32 {
  return <u32>delos_port_read(DATA_PORT, 1) & 0xff;
}

function bigEndian(bytes: i32): u32 {
  let value: u32 = 0;
  for (let i = 0; i < bytes; i++) value = (value << 8) | byte();
  return value;
}

/** The contents of fw_cfg file `name`, or "" when there is none (or no port access). */
export function readFwCfgFile(name: string): string {
  if (!select(FILE_DIRECTORY)) return "";
  const count = bigEndian(4);
  if (count > 1024) return "";
  const wanted = String.UTF8.encode(name);
  const wantedBytes = Uint8Array.wrap(wanted);
  for (let entry: u32 = 0; entry < count; entry++) {
    const size = bigEndian(4);
    const key = bigEndian(2);
    bigEndian(2);
    let same = true;
    for (let i = 0; i < NAME_BYTES; i++) {
      const c = byte();
      const expected: u32 = i < wantedBytes.length ? <u32>wantedBytes[i] : 0;
      if (c != expected) same = false;
    }
    if (!same) continue;
    if (size > 4096 || !select(key)) return "";
    const bytes = new Uint8Array(size);
    for (let i: u32 = 0; i < size; i++) bytes[i] = <u8>byte();
    return String.UTF8.decode(bytes.buffer);
  }
  return "";
}

/** The number after `key=` in `text` (decimal), or `otherwise`. */
export function setting(text: string, key: string, otherwise: u64): u64 {
  const words = text.split(" ");
  for (let i = 0; i < words.length; i++) {
    const word = words[i].trim();
    if (!word.startsWith(key + "=")) continue;
    const digits = word.substring(key.length + 1);
    let value: u64 = 0;
    for (let j = 0; j < digits.length; j++) {
      const c = digits.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return otherwise;
      value = value * 10 + <u64>(c - 0x30);
    }
    return digits.length > 0 ? value : otherwise;
  }
  return otherwise;
}
