// Adds exports to a fuzz module. `delos:state-hash` is a 64-bit FNV-style
// hash of every global and of the whole of memory 0: calling it after the
// other exports compares the state the module was left in, not only what
// its functions returned. The others (page hashes, single words, every
// global) let diagnose.ts say where two states differ. Functions are
// appended (new types, functions, exports and bodies); nothing in the
// module moves.

import { functionBody, funcType, leb, name, sleb } from "../spec/wasm-encoder";

export const STATE_HASH_EXPORT = "delos:state-hash";
export const PAGES_EXPORT = "delos:pages";
export const PAGE_HASH_EXPORT = "delos:page-hash";
export const WORD_EXPORT = "delos:word";
export const GLOBAL_EXPORT_PREFIX = "delos:global-";

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

/** Instructions folding the i64 on top of the stack into the hash in local `hash`. */
function mixInto(hash: number, value: number[]): number[] {
  return [0x20, hash, ...value, 0x85, 0x42, ...sleb(FNV_PRIME), 0x7e, 0x21, hash];
}

/** Instructions hashing memory words from local `address` up to local `end` into local `hash`. */
function hashMemory(address: number, end: number, hash: number): number[] {
  return [
    0x02, 0x40, 0x03, 0x40,
    0x20, address, 0x20, end, 0x4f, 0x0d, 1, // br_if out when address >= end
    ...mixInto(hash, [0x20, address, 0x29, 3, 0]), // i64.load align=8
    0x20, address, 0x41, 8, 0x6a, 0x21, address, // address += 8
    0x0c, 0, 0x0b, 0x0b,
  ];
}

/** State hash: locals 0 (address), 1 (end), 2 (hash). */
function stateHashBody(globals: number[], hasMemory: boolean): number[] {
  const code: number[] = [0x42, ...sleb(FNV_OFFSET), 0x21, 2];
  globals.forEach((type, index) => {
    const get = [0x23, ...leb(index)];
    if (type === 0x7f) code.push(...mixInto(2, [...get, 0xad])); // i64.extend_i32_u
    else if (type === 0x7e) code.push(...mixInto(2, get));
    // Floats as bits, except that every NaN counts as one value: the spec lets
    // engines choose payloads (an f64.min of a NaN, say), and the fuzzer only
    // asks that both sides have a NaN. Memory words are compared exactly.
    else if (type === 0x7d) code.push(...mixInto(2, [0x42, ...sleb(0x7fc00000n), ...get, 0xbc, 0xad, ...get, ...get, 0x5c, 0x1b]));
    else if (type === 0x7c) code.push(...mixInto(2, [0x42, ...sleb(0x7ff8000000000000n), ...get, 0xbd, ...get, ...get, 0x62, 0x1b]));
  });
  if (hasMemory) {
    code.push(0x3f, 0x00, 0x41, 16, 0x74, 0x21, 1); // end = memory.size << 16
    code.push(...hashMemory(0, 1, 2));
  }
  code.push(0x20, 2, 0x0b);
  return code;
}

/** Page hash: parameter 0 (page), locals 1 (address), 2 (end), 3 (hash). */
function pageHashBody(): number[] {
  return [
    0x42, ...sleb(FNV_OFFSET), 0x21, 3,
    0x20, 0, 0x41, 16, 0x74, 0x21, 1, // address = page << 16
    0x20, 1, 0x41, ...sleb(65536n), 0x6a, 0x21, 2, // end = address + 65536
    ...hashMemory(1, 2, 3),
    0x20, 3, 0x0b,
  ];
}

interface Addition { name: string; params: string[]; result: string; locals: string[]; body: number[]; }

/**
 * The module with the fuzzer's exports added: `delos:state-hash` always;
 * with a memory also `delos:pages`, `delos:page-hash` and `delos:word`
 * (diagnose.ts uses them to find where states differ); and every global
 * exported as `delos:global-N`.
 */
export function addStateHash(bytes: Uint8Array): Uint8Array {
  const sections = splitSections(bytes);
  const find = (id: number) => sections.find((s) => s.id === id);
  const imported = importCounts(sections);
  const hasMemory = imported.memories + count(find(5)) > 0;
  const globals = globalTypes(sections);
  const additions: Addition[] = [{ name: STATE_HASH_EXPORT, params: [], result: "i64", locals: ["i32", "i32", "i64"], body: stateHashBody(globals, hasMemory) }];
  if (hasMemory) {
    additions.push({ name: PAGES_EXPORT, params: [], result: "i32", locals: [], body: [0x3f, 0x00, 0x0b] });
    additions.push({ name: PAGE_HASH_EXPORT, params: ["i32"], result: "i64", locals: ["i32", "i32", "i64"], body: pageHashBody() });
    additions.push({ name: WORD_EXPORT, params: ["i32"], result: "i64", locals: [], body: [0x20, 0, 0x29, 3, 0, 0x0b] });
  }
  let types = find(1), functions = find(3), exports = find(7), code = find(10);
  const typeBase = count(types);
  const funcBase = imported.functions + count(functions);
  additions.forEach((addition, i) => {
    types = appendEntry(types, 1, funcType(addition.params, [addition.result]));
    functions = appendEntry(functions, 3, leb(typeBase + i));
    exports = appendEntry(exports, 7, [...name(addition.name), 0x00, ...leb(funcBase + i)]);
    code = appendEntry(code, 10, functionBody(addition.locals, addition.body));
  });
  globals.forEach((type, index) => {
    if (type >= 0x7c && type <= 0x7f) exports = appendEntry(exports, 7, [...name(`${GLOBAL_EXPORT_PREFIX}${index}`), 0x03, ...leb(index)]);
  });
  const replacements = new Map<number, Section>([[1, types!], [3, functions!], [7, exports!], [10, code!]]);
  // Known sections in order with the replacements (or new ones) in their place; custom sections at the end.
  const known = sections.filter((s) => s.id !== 0 && !replacements.has(s.id));
  const ordered = [...known, ...replacements.values()].sort((a, b) => ORDER[a.id] - ORDER[b.id]);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const section of [...ordered, ...sections.filter((s) => s.id === 0)]) {
    parts.push(new Uint8Array([section.id, ...leb(section.body.length)]), section.body);
  }
  return concat(parts);
}
