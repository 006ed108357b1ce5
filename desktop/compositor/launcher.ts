// The launcher's apps, found in the boot payload rather than listed in
// code: every `apps/NAME.wasm` whose embedded manifest (the wasm's
// `delos.manifest` custom section, docs/kernel.md "Manifests and
// capabilities") opens /desktop/window is a window app, listed under its
// manifest's name with a capital first letter, in the payload's order (by
// path). A program without a window (apps/greeter.wasm) is the shell's to
// run, not the launcher's.
//
// The launcher starts an app with its manifest's kernel lines as the
// grant: the kernel gives it what both the grant and its embedded manifest
// say and refuses what the compositor does not hold itself, so the
// compositor's manifest names what the payload's apps may ask for.

import { payloadRead } from "../../ipc/generated/system";
import { WINDOW_PATH } from "../../ipc/generated/protocols/window";
import { listFiles } from "../system/system";
import { LauncherEntry } from "./manager";

const APPS = "apps/";
const WASM = ".wasm";
const MANIFEST_SECTION = "delos.manifest";
/** Enough for a section's id, size and a custom section's name. */
const HEADER_BYTES: u32 = 32;

/** An app the launcher can start: its menu entry and the grant it is started with. */
export class LauncherApp {
  constructor(readonly entry: LauncherEntry, readonly grant: string) {}
}

/** The payload's window apps, for the launcher menu. */
export function payloadApps(): LauncherApp[] {
  const files = listFiles();
  const apps: LauncherApp[] = [];
  for (let i = 0; i < files.length; i++) {
    const path = files[i].path;
    if (!path.startsWith(APPS) || !path.endsWith(WASM) || path.indexOf("/", APPS.length) >= 0) continue;
    const manifest = embeddedManifest(path);
    if (manifest == null) continue;
    const lines = manifest!.split("\n");
    let name = path.substring(APPS.length, path.length - WASM.length);
    let windowed = false;
    let grant = "";
    for (let j = 0; j < lines.length; j++) {
      const line = lines[j].trim();
      if (line.length == 0 || line.startsWith("#") || line.startsWith("@")) continue;
      if (line.startsWith("name ")) { name = line.substring(5).trim(); continue; }
      if (line == "open " + WINDOW_PATH) windowed = true;
      grant += line + "\n";
    }
    if (windowed) apps.push(new LauncherApp(new LauncherEntry(capitalised(name), path), grant));
  }
  return apps;
}

/** The app of `path` among `apps`, or null. */
export function appOf(apps: LauncherApp[], path: string): LauncherApp | null {
  for (let i = 0; i < apps.length; i++) if (apps[i].entry.path == path) return apps[i];
  return null;
}

function capitalised(name: string): string {
  return name.length == 0 ? name : name.charAt(0).toUpperCase() + name.substring(1);
}

/** The text of the `delos.manifest` custom section of payload wasm `path`, read section header by section header; null if none. */
function embeddedManifest(path: string): string | null {
  const header = heap.alloc(HEADER_BYTES);
  let result: string | null = null;
  const size = payloadRead(path, 0, header, 8);
  // The magic number and version 1.
  if (size >= 8 && load<u32>(header) == 0x6d736100 && load<u32>(header, 4) == 1) {
    let offset: u32 = 8;
    while (offset < <u32>size) {
      const read = payloadRead(path, offset, header, HEADER_BYTES);
      if (read < 0) break;
      const available = min<u32>(HEADER_BYTES, <u32>size - offset);
      const id = load<u8>(header);
      const length = leb(header, 1, available);
      if (length.bytes == 0) break;
      const body: u32 = offset + 1 + length.bytes;
      if (id == 0) {
        const nameLength = leb(header, 1 + length.bytes, available);
        const nameStart: u32 = 1 + length.bytes + nameLength.bytes;
        if (nameLength.bytes > 0 && nameLength.value == <u32>MANIFEST_SECTION.length && nameStart + nameLength.value <= available
          && String.UTF8.decodeUnsafe(header + nameStart, nameLength.value) == MANIFEST_SECTION) {
          const textLength = length.value - nameLength.bytes - nameLength.value;
          const text = heap.alloc(textLength);
          if (payloadRead(path, offset + nameStart + nameLength.value, text, textLength) >= 0) result = String.UTF8.decodeUnsafe(text, textLength);
          heap.free(text);
          break;
        }
      }
      offset = body + length.value;
    }
  }
  heap.free(header);
  return result;
}

class Leb {
  constructor(readonly value: u32, readonly bytes: u32) {}
}

/** An unsigned LEB128 of at most 5 bytes at `at` in the `available` bytes at `buffer`; bytes 0 when malformed. */
function leb(buffer: usize, at: u32, available: u32): Leb {
  let value: u32 = 0;
  for (let i: u32 = 0; i < 5 && at + i < available; i++) {
    const byte = <u32>load<u8>(buffer + at + i);
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) return new Leb(value, i + 1);
  }
  return new Leb(0, 0);
}
