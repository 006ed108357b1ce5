// Writer of static ELF64 executables for x86-64 Linux: no interpreter, no
// dynamic section, segments loaded at fixed addresses. The headers get a
// read-only page of their own at the image's base; the caller's segments
// follow from `base + ELF_PAGE`, each starting on a page.
//
// Section headers are only there to name things for a debugger or a
// profiler: one section per segment (and .bss for a zero-filled tail) and a
// symbol table. The kernel never reads them.

import { CodeBuffer } from "../x64/buffer";

export const ELF_PAGE: u64 = 4096;

/** Segment permissions, as in p_flags. */
export const enum SegmentFlags {
  Execute = 1,
  Write = 2,
  Read = 4,
}

export class ElfSegment {
  /** Page-aligned virtual address. */
  address: u64 = 0;
  flags: i32 = SegmentFlags.Read;
  bytes: Uint8Array = new Uint8Array(0);
  /** Size in memory; what lies past `bytes` is zero-filled (BSS). */
  memorySize: u64 = 0;
  /** Name of the section describing it, for debuggers. */
  name: string = "";
}

export class ElfSymbol {
  name: string;
  address: u64;
  size: u64;
  isFunction: bool;

  constructor(name: string, address: u64, size: u64, isFunction: bool) {
    this.name = name;
    this.address = address;
    this.size = size;
    this.isFunction = isFunction;
  }
}

export class ElfImage {
  /** Where the headers' page is loaded. */
  base: u64 = 0x400000;
  entry: u64 = 0;
  segments: ElfSegment[] = [];
  symbols: ElfSymbol[] = [];
}

const HEADER_SIZE: i32 = 64;
const PROGRAM_HEADER_SIZE: i32 = 56;
const SECTION_HEADER_SIZE: i32 = 64;
const SYMBOL_SIZE: i32 = 24;

const PT_LOAD: i32 = 1;
const PT_GNU_STACK: i32 = 0x6474e551;
const SHT_PROGBITS: i32 = 1;
const SHT_SYMTAB: i32 = 2;
const SHT_STRTAB: i32 = 3;
const SHT_NOBITS: i32 = 8;
const SHF_WRITE: i64 = 1;
const SHF_ALLOC: i64 = 2;
const SHF_EXECINSTR: i64 = 4;
const STT_OBJECT: i32 = 1;
const STT_FUNC: i32 = 2;
const STB_GLOBAL: i32 = 1;

function alignUp(value: u64, alignment: u64): u64 {
  return (value + alignment - 1) & ~(alignment - 1);
}

/** A string table under construction: offsets of names, NUL-terminated. */
class StringTable {
  bytes: CodeBuffer = new CodeBuffer(256);

  constructor() { this.bytes.byte(0); }

  add(text: string): i32 {
    const at = this.bytes.length;
    const utf8 = Uint8Array.wrap(String.UTF8.encode(text));
    this.bytes.copyFrom(utf8.dataStart, utf8.length);
    this.bytes.byte(0);
    return at;
  }
}

/** A section header describing (part of) a segment, for debuggers. */
class Section {
  name: string;
  type: i32;
  flags: i64;
  address: u64;
  offset: u64;
  size: u64;

  constructor(name: string, type: i32, flags: i64, address: u64, offset: u64, size: u64) {
    this.name = name;
    this.type = type;
    this.flags = flags;
    this.address = address;
    this.offset = offset;
    this.size = size;
  }
}

/** One section per segment's file bytes, plus `.bss` for a zero-filled tail. */
function segmentSections(segments: ElfSegment[], offsets: u64[]): Section[] {
  const sections = new Array<Section>();
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    let flags: i64 = SHF_ALLOC;
    if (segment.flags & SegmentFlags.Write) flags |= SHF_WRITE;
    if (segment.flags & SegmentFlags.Execute) flags |= SHF_EXECINSTR;
    const fileSize = <u64>segment.bytes.length;
    if (fileSize > 0) sections.push(new Section(segment.name, SHT_PROGBITS, flags, segment.address, offsets[i], fileSize));
    if (segment.memorySize > fileSize)
      sections.push(new Section(".bss", SHT_NOBITS, flags, segment.address + fileSize, offsets[i] + fileSize, segment.memorySize - fileSize));
  }
  return sections;
}

/** Serialises the image. Segments must be sorted by address, page-aligned and disjoint. */
export function writeElf(image: ElfImage): Uint8Array {
  const segments = image.segments;
  const programHeaders = segments.length + 2; // the headers' page and PT_GNU_STACK
  const out = new CodeBuffer(<i32>ELF_PAGE);

  // File layout: the headers' page, then each segment's bytes on a page
  // boundary, so that file offset and address agree modulo the page size.
  const offsets = new Array<u64>(segments.length);
  let fileAt: u64 = ELF_PAGE;
  for (let i = 0; i < segments.length; i++) {
    offsets[i] = fileAt;
    fileAt = alignUp(fileAt + <u64>segments[i].bytes.length, ELF_PAGE);
  }
  const sections = segmentSections(segments, offsets);

  // Symbol and string tables, placed after the last segment.
  const names = new StringTable();
  const sectionNames = new StringTable();
  const symbols = new CodeBuffer(SYMBOL_SIZE * (image.symbols.length + 1));
  symbols.fill(0, SYMBOL_SIZE);
  for (let i = 0; i < image.symbols.length; i++) {
    const symbol = image.symbols[i];
    symbols.u32(names.add(symbol.name));
    symbols.byte((STB_GLOBAL << 4) | (symbol.isFunction ? STT_FUNC : STT_OBJECT));
    symbols.byte(0);
    symbols.u16(sectionOf(sections, symbol.address));
    symbols.u64(<i64>symbol.address);
    symbols.u64(<i64>symbol.size);
  }
  const symbolsAt = fileAt;
  const namesAt = symbolsAt + <u64>symbols.length;
  const sectionNamesAt = namesAt + <u64>names.bytes.length;
  // Section names go in after every other string is known.
  const sectionNameAt = new Array<i32>(sections.length);
  for (let i = 0; i < sections.length; i++) sectionNameAt[i] = sectionNames.add(sections[i].name);
  const symtabName = sectionNames.add(".symtab");
  const strtabName = sectionNames.add(".strtab");
  const shstrtabName = sectionNames.add(".shstrtab");
  const sectionHeadersAt = alignUp(sectionNamesAt + <u64>sectionNames.bytes.length, 8);
  const sectionCount = sections.length + 4; // null, sections, .symtab, .strtab, .shstrtab

  // ELF header.
  out.u32(0x464c457f);           // \x7fELF
  out.byte(2);                   // 64-bit
  out.byte(1);                   // little-endian
  out.byte(1);                   // ELF version
  out.byte(0);                   // System V ABI
  out.fill(0, 8);
  out.u16(2);                    // ET_EXEC
  out.u16(62);                   // EM_X86_64
  out.u32(1);
  out.u64(<i64>image.entry);
  out.u64(HEADER_SIZE);          // program headers follow the header
  out.u64(<i64>sectionHeadersAt);
  out.u32(0);
  out.u16(HEADER_SIZE);
  out.u16(PROGRAM_HEADER_SIZE);
  out.u16(programHeaders);
  out.u16(SECTION_HEADER_SIZE);
  out.u16(sectionCount);
  out.u16(sectionCount - 1);     // .shstrtab is last

  const headersSize = <u64>(HEADER_SIZE + PROGRAM_HEADER_SIZE * programHeaders);
  programHeader(out, PT_LOAD, SegmentFlags.Read, 0, image.base, headersSize, headersSize);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const memorySize = segment.memorySize > <u64>segment.bytes.length ? segment.memorySize : <u64>segment.bytes.length;
    programHeader(out, PT_LOAD, segment.flags, offsets[i], segment.address, <u64>segment.bytes.length, memorySize);
  }
  programHeader(out, PT_GNU_STACK, SegmentFlags.Read | SegmentFlags.Write, 0, 0, 0, 0);

  for (let i = 0; i < segments.length; i++) {
    out.fill(0, <i32>(offsets[i] - <u64>out.length));
    out.copyFrom(segments[i].bytes.dataStart, segments[i].bytes.length);
  }
  out.fill(0, <i32>(symbolsAt - <u64>out.length));
  out.copyFrom(symbols.toBytes().dataStart, symbols.length);
  out.copyFrom(names.bytes.toBytes().dataStart, names.bytes.length);
  out.copyFrom(sectionNames.bytes.toBytes().dataStart, sectionNames.bytes.length);
  out.fill(0, <i32>(sectionHeadersAt - <u64>out.length));

  out.fill(0, SECTION_HEADER_SIZE); // the null section
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i];
    sectionHeader(out, sectionNameAt[i], section.type, section.flags, section.address, section.offset, section.size, 0, 0, 16, 0);
  }
  sectionHeader(out, symtabName, SHT_SYMTAB, 0, 0, symbolsAt, <u64>symbols.length,
    sections.length + 2, 1, 8, SYMBOL_SIZE);
  sectionHeader(out, strtabName, SHT_STRTAB, 0, 0, namesAt, <u64>names.bytes.length, 0, 0, 1, 0);
  sectionHeader(out, shstrtabName, SHT_STRTAB, 0, 0, sectionNamesAt, <u64>sectionNames.bytes.length, 0, 0, 1, 0);
  return out.toBytes();
}

/** The index of the section holding `address` (section 0 is the null section). */
function sectionOf(sections: Section[], address: u64): i32 {
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i];
    if (address >= section.address && address < section.address + section.size) return i + 1;
  }
  return 0xfff1; // SHN_ABS
}
function programHeader(out: CodeBuffer, type: i32, flags: i32, offset: u64, address: u64, fileSize: u64, memorySize: u64): void {
  out.u32(type);
  out.u32(flags);
  out.u64(<i64>offset);
  out.u64(<i64>address);
  out.u64(<i64>address);
  out.u64(<i64>fileSize);
  out.u64(<i64>memorySize);
  out.u64(type == PT_LOAD ? <i64>ELF_PAGE : 16);
}

function sectionHeader(out: CodeBuffer, name: i32, type: i32, flags: i64, address: u64, offset: u64, size: u64,
  link: i32, info: i32, alignment: i64, entrySize: i64): void {
  out.u32(name);
  out.u32(type);
  out.u64(flags);
  out.u64(<i64>address);
  out.u64(<i64>offset);
  out.u64(<i64>size);
  out.u32(link);
  out.u32(info);
  out.u64(alignment);
  out.u64(entrySize);
}
