// A component's manifest: its name, its kind and the capabilities it asks
// for. It travels inside the wasm as the custom section `delos.manifest`
// (sdk/host/manifest.ts embeds a `.manifest` file at build time), so a
// module and what it may do cannot be separated. The text, UTF-8, one
// entry per line, `#` to the end of a line a comment (docs/kernel.md,
// "Manifests"):
//
//   name echo                  required: letters, digits, `-`, `_`, `.`
//   kind server                required: driver, server, app or test
//   priority 12                its first thread's priority (default 10)
//   serve /test/echo           a path it may register (`/test/*`: any below)
//   open /test/echo            a path it may open
//   state counter              a state object it may open
//   spawn test/echo.wasm       a payload file it may start (`*`: any)
//   port 0x3f8 8               I/O ports: first, count
//   irq 4                      an interrupt line
//   mmio 0xfebc0000 0x1000     physical memory: base, length
//
// Numbers are decimal or 0x hexadecimal. Anything else is an error that
// names the line; the component does not load.

import { ComponentKind } from "./component";
import { PRIORITY_DEFAULT, isPriority } from "../sched/priority";

export const MANIFEST_SECTION = "delos.manifest";
const NAME_MAXIMUM: i32 = 63;

export class Manifest {
  name: string = "";
  kind: ComponentKind = ComponentKind.App;
  priority: i32 = PRIORITY_DEFAULT;
  serve: string[] = [];
  open: string[] = [];
  state: string[] = [];
  spawn: string[] = [];
  /** Pairs: first port, count. */
  ports: u32[] = [];
  irqs: u32[] = [];
  /** Pairs: base, length. */
  mmio: u64[] = [];

  /** A manifest for a component the kernel itself runs (the compiler). */
  static kernelOwned(name: string): Manifest {
    const manifest = new Manifest();
    manifest.name = name;
    manifest.kind = ComponentKind.Server;
    return manifest;
  }
}

/** Why the last parseManifest failed. */
export let manifestError: string = "";

function fail(line: i32, why: string): Manifest | null {
  manifestError = "manifest line " + line.toString() + ": " + why;
  return null;
}

export function kindName(kind: ComponentKind): string {
  switch (kind) {
    case ComponentKind.Driver: return "driver";
    case ComponentKind.Server: return "server";
    case ComponentKind.Test: return "test";
  }
  return "app";
}

function parseKind(word: string): i32 {
  if (word == "driver") return ComponentKind.Driver;
  if (word == "server") return ComponentKind.Server;
  if (word == "app") return ComponentKind.App;
  if (word == "test") return ComponentKind.Test;
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

function isPath(word: string): bool {
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

/** Reads a manifest; null with manifestError set when it is malformed. */
export function parseManifest(text: string): Manifest | null {
  const manifest = new Manifest();
  const lines = text.split("\n");
  let haveKind = false;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const parts = words(lines[i]);
    if (parts.length == 0) continue;
    const key = parts[0];
    const argumentCount = parts.length - 1;
    const first = argumentCount > 0 ? parts[1] : "";
    if (key == "name") {
      if (argumentCount != 1 || first.length > NAME_MAXIMUM) return fail(line, "name takes one word of at most 63 characters");
      for (let k = 0; k < first.length; k++) if (!isNameCharacter(first.charCodeAt(k))) return fail(line, "a name has letters, digits, '-', '_' and '.' only");
      manifest.name = first;
    } else if (key == "kind") {
      const kind = argumentCount == 1 ? parseKind(first) : -1;
      if (kind < 0) return fail(line, "kind is driver, server, app or test");
      manifest.kind = <ComponentKind>kind;
      haveKind = true;
    } else if (key == "priority") {
      const value = argumentCount == 1 ? parseNumber(first) : -1;
      if (value < 0 || !isPriority(<i32>value) || value > 31) return fail(line, "priority is 0 to 31");
      manifest.priority = <i32>value;
    } else if (key == "serve" || key == "open") {
      if (argumentCount != 1 || !isPath(first)) return fail(line, key + " takes one absolute path");
      if (key == "serve") manifest.serve.push(first); else manifest.open.push(first);
    } else if (key == "state") {
      if (argumentCount != 1 || first.length > NAME_MAXIMUM) return fail(line, "state takes one name of at most 63 bytes");
      manifest.state.push(first);
    } else if (key == "spawn") {
      if (argumentCount != 1) return fail(line, "spawn takes one payload path");
      manifest.spawn.push(first);
    } else if (key == "port") {
      const base = argumentCount == 2 ? parseNumber(first) : -1;
      const count = argumentCount == 2 ? parseNumber(parts[2]) : -1;
      if (base < 0 || count <= 0 || base + count > 0x10000) return fail(line, "port takes a first port and a count within 0..0xffff");
      manifest.ports.push(<u32>base);
      manifest.ports.push(<u32>count);
    } else if (key == "irq") {
      const value = argumentCount == 1 ? parseNumber(first) : -1;
      if (value < 0 || value > 255) return fail(line, "irq takes a line number 0..255");
      manifest.irqs.push(<u32>value);
    } else if (key == "mmio") {
      const base = argumentCount == 2 ? parseNumber(first) : -1;
      const length = argumentCount == 2 ? parseNumber(parts[2]) : -1;
      if (base < 0 || length <= 0 || (base & 0xfff) != 0 || (length & 0xfff) != 0) return fail(line, "mmio takes a page-aligned base and length");
      manifest.mmio.push(<u64>base);
      manifest.mmio.push(<u64>length);
    } else {
      return fail(line, "unknown entry \"" + key + "\"");
    }
  }
  if (manifest.name.length == 0) return fail(lines.length, "the manifest names no component (name ...)");
  if (!haveKind) return fail(lines.length, "the manifest gives no kind (kind driver|server|app|test)");
  return manifest;
}
