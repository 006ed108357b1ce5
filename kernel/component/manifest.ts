// Manifests and grants: the one text form of what a component is and may
// do. A component's own manifest travels inside its wasm as the custom
// section `delos.manifest` (sdk/host/manifest.ts embeds a `.manifest` file
// at build time) and says what the component asks for; the grant is the
// same text given by its parent to component.spawn and says what it is
// given (authority.ts intersects the two). UTF-8, one entry per line, `#`
// to the end of a line a comment (docs/kernel.md, "Manifests and
// capabilities"):
//
//   name echo                  the manifest's is required; the grant's names the component
//   kind server                driver, server, app, test or supervisor
//   priority 12                its first thread's priority (default 10)
//   serve /test/echo           a path it may register (`/test/*`: any below)
//   open /test/echo            a path it may open
//   state counter              a state object it may open
//   spawn test/echo.wasm       a payload file it may start (`*`: any)
//   read fonts/*               payload files it may read (payload.read)
//   port 0x3f8 8               I/O ports: first, count
//   irq 4                      an interrupt line (`irq 0 16`: first, count)
//   mmio 0xfebc0000 0x1000     physical memory: base, length
//   dma                        memory.dma: physically contiguous memory a device may reach
//   firmware MCFG              an ACPI table it may read (`*`: any)
//   device pci 1234:1111       a device a bus server may hand it (`*`: any)
//   system                     what the system runs (system.*: components, names, payload files)
//   ceiling 15                 the highest priority its threads may take
//   threads 32                 threads alive at once
//   pages 1024                 wasm pages of linear memory, initial and grown
//   table 4096                 table entries
//   handles 1024               handles held at once
//   pulses 32                  its pulses queued on channels, not yet received
//   objects 16384              4 KiB pages of the memory and state objects it made that still exist
//
// Numbers are decimal or 0x hexadecimal. A line whose first word begins
// with `@` is for the build and the supervisor, not the kernel (a component
// folder's `component.manifest`, sdk/host/components.ts): it is skipped.
// Anything else is an error that names the line; the component does not load.

import { ComponentKind } from "./component";
import { isPriority } from "../sched/priority";

export const MANIFEST_SECTION = "delos.manifest";
const NAME_MAXIMUM: i32 = 63;

/** The limits, by index into Manifest.limits; LIMIT_NAMES[i] is the entry's word. */
export const LIMIT_CEILING: i32 = 0;
export const LIMIT_THREADS: i32 = 1;
export const LIMIT_PAGES: i32 = 2;
export const LIMIT_TABLE: i32 = 3;
export const LIMIT_HANDLES: i32 = 4;
export const LIMIT_PULSES: i32 = 5;
export const LIMIT_OBJECTS: i32 = 6;
export const LIMIT_COUNT: i32 = 7;
export const LIMIT_NAMES: StaticArray<string> = ["ceiling", "threads", "pages", "table", "handles", "pulses", "objects"];
/** A limit the text does not set. */
export const UNSET: i64 = -1;

export class Manifest {
  name: string = "";
  /** -1 when the text gives none (a grant may leave it to the manifest). */
  kind: i32 = -1;
  /** The first thread's priority, -1 when the text gives none. */
  priority: i32 = -1;
  serve: string[] = [];
  open: string[] = [];
  state: string[] = [];
  spawn: string[] = [];
  read: string[] = [];
  /** Pairs: first port, count. */
  ports: u32[] = [];
  /** Pairs: first line, count. */
  irqs: u32[] = [];
  /** Pairs: base, length. */
  mmio: u64[] = [];
  /** May make memory for DMA (memory.dma, memory.physical). */
  dma: bool = false;
  /** ACPI table signatures (firmware.table). */
  firmware: string[] = [];
  /** Devices, `BUS NAME` in lower case (`pci 1234:1111`), or `*`. */
  device: string[] = [];
  /** `system`: it may ask what the system runs (the system.* calls). */
  system: bool = false;
  /** By LIMIT_*: UNSET, or the limit. */
  limits: StaticArray<i64> = unsetLimits();

  limit(index: i32): i64 { return unchecked(this.limits[index]); }

  /** The component's kind (an effective record always has one). */
  get componentKind(): ComponentKind { return <ComponentKind>this.kind; }
}

function unsetLimits(): StaticArray<i64> {
  const limits = new StaticArray<i64>(LIMIT_COUNT);
  for (let i = 0; i < LIMIT_COUNT; i++) limits[i] = UNSET;
  return limits;
}

/** Why the last parseManifest failed. */
export let manifestError: string = "";

function fail(line: i32, why: string): Manifest | null {
  manifestError = "manifest line " + line.toString() + ": " + why;
  return null;
}

export function kindName(kind: i32): string {
  switch (kind) {
    case ComponentKind.Driver: return "driver";
    case ComponentKind.Server: return "server";
    case ComponentKind.Test: return "test";
    case ComponentKind.Supervisor: return "supervisor";
  }
  return "app";
}

function parseKind(word: string): i32 {
  if (word == "driver") return ComponentKind.Driver;
  if (word == "server") return ComponentKind.Server;
  if (word == "app") return ComponentKind.App;
  if (word == "test") return ComponentKind.Test;
  if (word == "supervisor") return ComponentKind.Supervisor;
  return -1;
}

/** A decimal or 0x-hexadecimal number, -1 when `word` is not one (or above 2^63). */
export function parseNumber(word: string): i64 {
  if (word.length == 0) return -1;
  let value: u64 = 0;
  let at = 0, base: u64 = 10;
  if (word.length > 2 && word.charCodeAt(0) == 0x30 && (word.charCodeAt(1) | 0x20) == 0x78) { base = 16; at = 2; }
  for (; at < word.length; at++) {
    const c = word.charCodeAt(at);
    let digit: i32 = -1;
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
    else if (base == 16 && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) digit = (c | 0x20) - 0x61 + 10;
    if (digit < 0 || <u64>digit >= base) return -1;
    if (value > (<u64>0x7fffffffffffffff - <u64>digit) / base) return -1;
    value = value * base + <u64>digit;
  }
  return <i64>value;
}

function isNameCharacter(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x5f || c == 0x2e;
}

/** An absolute path, `/prefix/*`, or `*`. */
function isPath(word: string): bool {
  if (word == "*") return true;
  if (word.length < 2 || word.charCodeAt(0) != 0x2f) return false;
  return word.indexOf("//") < 0 && word.charCodeAt(word.length - 1) != 0x2f;
}

/** Splits a line into words at spaces and tabs, after cutting a `#` comment. */
function words(line: string): string[] {
  const hash = line.indexOf("#");
  if (hash >= 0) line = line.substring(0, hash);
  const result = new Array<string>();
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 0x20;
    const space = c == 0x20 || c == 0x09 || c == 0x0d;
    if (space && start >= 0) { result.push(line.substring(start, i)); start = -1; }
    else if (!space && start < 0) start = i;
  }
  return result;
}

function limitIndex(word: string): i32 {
  for (let i = 0; i < LIMIT_COUNT; i++) if (LIMIT_NAMES[i] == word) return i;
  return -1;
}

/**
 * Reads a manifest (`isGrant` false: it must give a name and a kind) or a
 * grant (both optional); null with manifestError set when it is malformed.
 */
export function parseManifest(text: string, isGrant: bool = false): Manifest | null {
  const manifest = new Manifest();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const parts = words(lines[i]);
    if (parts.length == 0) continue;
    const key = parts[0];
    if (key.charCodeAt(0) == 0x40) continue;
    const argumentCount = parts.length - 1;
    const first = argumentCount > 0 ? parts[1] : "";
    if (key == "name") {
      if (argumentCount != 1 || first.length > NAME_MAXIMUM) return fail(line, "name takes one word of at most 63 characters");
      for (let k = 0; k < first.length; k++) if (!isNameCharacter(first.charCodeAt(k))) return fail(line, "a name has letters, digits, '-', '_' and '.' only");
      manifest.name = first;
    } else if (key == "kind") {
      const kind = argumentCount == 1 ? parseKind(first) : -1;
      if (kind < 0) return fail(line, "kind is driver, server, app, test or supervisor");
      manifest.kind = kind;
    } else if (key == "priority") {
      const value = argumentCount == 1 ? parseNumber(first) : -1;
      if (value < 0 || !isPriority(<i32>value) || value > 31) return fail(line, "priority is 0 to 31");
      manifest.priority = <i32>value;
    } else if (key == "serve" || key == "open") {
      if (argumentCount != 1 || !isPath(first)) return fail(line, key + " takes one absolute path, /prefix/* or *");
      if (key == "serve") manifest.serve.push(first); else manifest.open.push(first);
    } else if (key == "state") {
      if (argumentCount != 1 || first.length > NAME_MAXIMUM) return fail(line, "state takes one name of at most 63 bytes");
      manifest.state.push(first);
    } else if (key == "spawn") {
      if (argumentCount != 1) return fail(line, "spawn takes one payload path");
      manifest.spawn.push(first);
    } else if (key == "read") {
      if (argumentCount != 1) return fail(line, "read takes one payload path");
      manifest.read.push(first);
    } else if (key == "port") {
      const base = argumentCount == 2 ? parseNumber(first) : -1;
      const count = argumentCount == 2 ? parseNumber(parts[2]) : -1;
      if (base < 0 || count <= 0 || base + count > 0x10000) return fail(line, "port takes a first port and a count within 0..0xffff");
      manifest.ports.push(<u32>base);
      manifest.ports.push(<u32>count);
    } else if (key == "irq") {
      const value = argumentCount == 1 || argumentCount == 2 ? parseNumber(first) : -1;
      const count = argumentCount == 2 ? parseNumber(parts[2]) : 1;
      if (value < 0 || count <= 0 || value + count > 256) return fail(line, "irq takes a line number 0..255 and, optionally, a count");
      manifest.irqs.push(<u32>value);
      manifest.irqs.push(<u32>count);
    } else if (key == "mmio") {
      const base = argumentCount == 2 ? parseNumber(first) : -1;
      const length = argumentCount == 2 ? parseNumber(parts[2]) : -1;
      if (base < 0 || length <= 0 || (base & 0xfff) != 0 || (length & 0xfff) != 0) return fail(line, "mmio takes a page-aligned base and length");
      manifest.mmio.push(<u64>base);
      manifest.mmio.push(<u64>length);
    } else if (key == "dma") {
      if (argumentCount != 0) return fail(line, "dma takes nothing");
      manifest.dma = true;
    } else if (key == "firmware") {
      if (argumentCount != 1 || (first != "*" && first.length != 4)) return fail(line, "firmware takes one four-character table signature or *");
      manifest.firmware.push(first);
    } else if (key == "device") {
      if (argumentCount == 1 && first == "*") manifest.device.push(first);
      else if (argumentCount == 2 && parts[2] != "*") manifest.device.push(first.toLowerCase() + " " + parts[2].toLowerCase());
      else return fail(line, "device takes a bus and the bus's name of the device (device pci 1234:1111), or *");
    } else if (key == "system") {
      if (argumentCount != 0) return fail(line, "system takes no argument");
      manifest.system = true;
    } else if (limitIndex(key) >= 0) {
      const value = argumentCount == 1 ? parseNumber(first) : -1;
      if (value < 0 || value > 0x7fffffff) return fail(line, key + " takes one number 0..2^31-1");
      if (key == "ceiling" && !isPriority(<i32>value)) return fail(line, "ceiling is a priority 0 to 31");
      manifest.limits[limitIndex(key)] = value;
    } else {
      return fail(line, "unknown entry \"" + key + "\"");
    }
  }
  if (isGrant) return manifest;
  if (manifest.name.length == 0) return fail(lines.length, "the manifest names no component (name ...)");
  if (manifest.kind < 0) return fail(lines.length, "the manifest gives no kind (kind driver|server|app|test|supervisor)");
  return manifest;
}
