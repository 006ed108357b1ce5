// Adds one export to a fuzz module, `delos:state-hash`: a 64-bit FNV-style
// hash of every global and of the whole of memory 0. Calling it after the
// other exports compares the state the module was left in, not only what its
// functions returned. The function is appended (a new type, function, export
// and body); nothing else in the module moves.

import { functionBody, funcType, leb, name, sleb } from "../spec/wasm-encoder";

export const STATE_HASH_EXPORT = "delos:state-hash";

const FNV_OFFSET = BigInt.asIntN(64, 0xcbf29ce484222325n);
const FNV_PRIME = 0x100000001b3n;

interface Section { id: number; body: Uint8Array; }

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  u32(): number {
    let result = 0, shift = 0, b: number;
    do { b = this.bytes[this.at++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  }
  skipLimits(): void { const flags = this.bytes[this.at++]; this.u32(); if (flags & 1) this.u32(); }
  skipName(): void { const length = this.u32(); this.at += length; }
}

// Where a section goes in a module: its position in the binary format's order.
const ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

function splitSections(bytes: Uint8Array): Section[] {
  const reader = new Reader(bytes);
  reader.at = 8;
  const sections: Section[] = [];
  while (reader.at < bytes.length) {
    const id = bytes[reader.at++];
    const size = reader.u32();
    sections.push({ id, body: bytes.subarray(reader.at, reader.at + size) });
    reader.at += size;
  }
  return sections;
}

function count(section: Section | undefined): number {
  return section ? new Reader(section.body).u32() : 0;
}

/** The section with one more entry: the count bumped, the entry appended. */
function appendEntry(section: Section | undefined, id: number, entry: number[]): Section {
  const reader = new Reader(section?.body ?? new Uint8Array([0]));
  const old = reader.u32();
  const rest = (section?.body ?? new Uint8Array([0])).subarray(reader.at);
  return { id, body: concat([new Uint8Array(leb(old + 1)), rest, new Uint8Array(entry)]) };
}

/** Value types of every global (imported ones first). */
function globalTypes(sections: Section[]): number[] {
  const types: number[] = [];
  const imports = sections.find((s) => s.id === 2);
  if (imports) {
    const reader = new Reader(imports.body);
    for (let n = reader.u32(); n > 0; n--) {
      reader.skipName(); reader.skipName();
      const kind = imports.body[reader.at++];
      if (kind === 0) reader.u32();
      else if (kind === 1) { reader.at++; reader.skipLimits(); }
      else if (kind === 2) reader.skipLimits();
      else { types.push(imports.body[reader.at]); reader.at += 2; }
    }
  }
  const globals = sections.find((s) => s.id === 6);
  if (globals) {
    const reader = new Reader(globals.body);
    for (let n = reader.u32(); n > 0; n--) {
      types.push(globals.body[reader.at]);
      reader.at += 2;
      // Skip the constant expression (one instruction and `end`).
      const op = globals.body[reader.at++];
      if (op === 0x41 || op === 0x42) { while (globals.body[reader.at++] & 0x80); }
      else if (op === 0x43) reader.at += 4;
      else if (op === 0x44) reader.at += 8;
      else if (op === 0x23 || op === 0xd2) reader.u32();
      else if (op === 0xd0) reader.at++;
      reader.at++;
    }
  }
  return types;
}

function importCounts(sections: Section[]): { functions: number; memories: number } {
  const counts = { functions: 0, memories: 0 };
  const imports = sections.find((s) => s.id === 2);
  if (!imports) return counts;
  const reader = new Reader(imports.body);
  for (let n = reader.u32(); n > 0; n--) {
    reader.skipName(); reader.skipName();
    const kind = imports.body[reader.at++];
    if (kind === 0) { counts.functions++; reader.u32(); }
    else if (kind === 1) { reader.at++; reader.skipLimits(); }
    else if (kind === 2) { counts.memories++; reader.skipLimits(); }
    else reader.at += 2;
  }
  return counts;
}

/** The body of the hash function: locals 0 (address), 1 (end), 2 (hash). */
function hashBody(globals: number[], hasMemory: boolean): number[] {
  const mix = (load: number[]) => [0x20, 2, ...load, 0x85, 0x42, ...sleb(FNV_PRIME), 0x7e, 0x21, 2];
  const code: number[] = [0x42, ...sleb(FNV_OFFSET), 0x21, 2];
  globals.forEach((type, index) => {
    const get = [0x23, ...leb(index)];
    if (type === 0x7f) code.push(...mix([...get, 0xad])); // i64.extend_i32_u
    else if (type === 0x7e) code.push(...mix(get));
    else if (type === 0x7d) code.push(...mix([...get, 0xbc, 0xad])); // i32.reinterpret_f32
    else if (type === 0x7c) code.push(...mix([...get, 0xbd])); // i64.reinterpret_f64
  });
  if (hasMemory) {
    code.push(0x3f, 0x00, 0x41, 16, 0x74, 0x21, 1); // end = memory.size << 16
    code.push(0x02, 0x40, 0x03, 0x40);
    code.push(0x20, 0, 0x20, 1, 0x4f, 0x0d, 1); // br_if out when address >= end
    code.push(...mix([0x20, 0, 0x29, 3, 0])); // i64.load align=8
    code.push(0x20, 0, 0x41, 8, 0x6a, 0x21, 0); // address += 8
    code.push(0x0c, 0, 0x0b, 0x0b);
  }
  code.push(0x20, 2, 0x0b);
  return code;
}

/** The module with `delos:state-hash` added. */
export function addStateHash(bytes: Uint8Array): Uint8Array {
  const sections = splitSections(bytes);
  const find = (id: number) => sections.find((s) => s.id === id);
  const imported = importCounts(sections);
  const hasMemory = imported.memories + count(find(5)) > 0;
  const typeIndex = count(find(1));
  const funcIndex = imported.functions + count(find(3));
  const replacements = new Map<number, Section>([
    [1, appendEntry(find(1), 1, funcType([], ["i64"]))],
    [3, appendEntry(find(3), 3, leb(typeIndex))],
    [7, appendEntry(find(7), 7, [...name(STATE_HASH_EXPORT), 0x00, ...leb(funcIndex)])],
    [10, appendEntry(find(10), 10, functionBody(["i32", "i32", "i64"], hashBody(globalTypes(sections), hasMemory)))],
  ]);
  // Known sections in order with the replacements (or new ones) in their place; custom sections at the end.
  const known = sections.filter((s) => s.id !== 0 && !replacements.has(s.id));
  const ordered = [...known, ...replacements.values()].sort((a, b) => ORDER[a.id] - ORDER[b.id]);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const section of [...ordered, ...sections.filter((s) => s.id === 0)]) {
    parts.push(new Uint8Array([section.id, ...leb(section.body.length)]), section.body);
  }
  return concat(parts);
}
