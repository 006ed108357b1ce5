// A PE32+ writer for UEFI applications (BOOTX64.EFI): the Microsoft PE/COFF
// layout that UEFI firmware loads. The image is
//
//   DOS header (64 bytes, "MZ", e_lfanew = 64) | "PE\0\0" | COFF header
//   | optional header (PE32+, 16 data directories) | section headers
//   | section bodies, each at a multiple of FILE_ALIGNMENT
//
// Sections are placed in the given order from RVA 0x1000, each at the next
// multiple of SECTION_ALIGNMENT, so a caller can lay out position-independent
// code that reaches its data rip-relatively before the image is written.
// Absolute 64-bit addresses, when a caller has any, are listed as relocation
// sites: the writer adds the image base to the RVA stored there and emits a
// .reloc section of DIR64 entries; without them the base relocation directory
// is empty (and the image is not marked "relocations stripped", so the
// firmware may load it anywhere). Timestamps are zero: builds are reproducible.

import { alignUp, get16, put16, put32, put64, putAscii, putBytes } from "./bytes";
import { setMessage } from "./io";

export const SECTION_ALIGNMENT: i32 = 0x1000;
export const FILE_ALIGNMENT: i32 = 0x200;
export const FIRST_SECTION_RVA: i32 = 0x1000;
export const IMAGE_BASE: u64 = 0x400000;

export const SECTION_CODE: u32 = 0x60000020;      // code, execute, read
export const SECTION_DATA: u32 = 0xc0000040;      // initialised data, read, write
export const SECTION_READONLY: u32 = 0x40000040;  // initialised data, read
const SECTION_RELOC: u32 = 0x42000040;            // initialised data, discardable, read

const MACHINE_X64 = 0x8664;
const SUBSYSTEM_EFI_APPLICATION = 10;
const OPTIONAL_HEADER_SIZE = 240;
const DIRECTORY_BASE_RELOCATION = 5;
const PE_OFFSET = 64;
const RELOCATION_DIR64 = 10;

export class PeSection {
  constructor(
    /** At most 8 ASCII characters. */
    readonly name: string,
    /** The initialised bytes. */
    readonly data: Uint8Array,
    /** Size in memory; bytes past data.length are zero (bss). At least data.length. */
    readonly virtualSize: i32,
    readonly characteristics: u32,
  ) {}
}

/** The RVA each section gets, in order (what writePe will use). */
export function sectionRvas(sections: PeSection[]): i32[] {
  const rvas = new Array<i32>(sections.length);
  let rva = FIRST_SECTION_RVA;
  for (let i = 0; i < sections.length; i++) {
    rvas[i] = rva;
    rva = <i32>alignUp(rva + max(sections[i].virtualSize, sections[i].data.length), SECTION_ALIGNMENT);
  }
  return rvas;
}

/** The .reloc body: one block per 4 KiB page with DIR64 entries, each block padded to 4 bytes. */
function relocationBlocks(sites: i32[]): Uint8Array {
  const sorted = sites.slice(0);
  sorted.sort((a: i32, b: i32): i32 => a - b);
  const out = new Array<u8>();
  let i = 0;
  while (i < sorted.length) {
    const page = sorted[i] & ~0xfff;
    let j = i;
    while (j < sorted.length && (sorted[j] & ~0xfff) == page) j++;
    const count = j - i;
    const padded = (count + 1) & ~1;
    const blockSize = 8 + 2 * padded;
    for (let b = 0; b < 4; b++) out.push(<u8>(page >> (8 * b)));
    for (let b = 0; b < 4; b++) out.push(<u8>(blockSize >> (8 * b)));
    for (let k = i; k < j; k++) {
      const entry = (RELOCATION_DIR64 << 12) | (sorted[k] & 0xfff);
      out.push(<u8>entry); out.push(<u8>(entry >> 8));
    }
    if (padded != count) { out.push(0); out.push(0); }
    i = j;
  }
  const bytes = new Uint8Array(out.length);
  for (let k = 0; k < out.length; k++) bytes[k] = out[k];
  return bytes;
}

/** The PE checksum: 16-bit one's-complement-style sum of the file (checksum field as zero) plus its length. */
function peChecksum(image: Uint8Array, checksumAt: i32): u32 {
  let sum: u64 = 0;
  for (let at = 0; at < image.length; at += 2) {
    if (at == checksumAt || at == checksumAt + 2) continue;
    sum += <u64>get16(image, at);
    sum = (sum & 0xffff) + (sum >> 16);
  }
  sum = (sum & 0xffff) + (sum >> 16);
  return <u32>sum + <u32>image.length;
}

/**
 * Writes an EFI application. `entryRva` is the entry point; `relocationSites`
 * are RVAs of 64-bit fields holding RVAs that must become absolute addresses.
 * Returns null (with a message) on a layout error.
 */
export function writePe(sections: PeSection[], entryRva: i32, relocationSites: i32[]): Uint8Array | null {
  const all = new Array<PeSection>();
  for (let s = 0; s < sections.length; s++) {
    const section = sections[s];
    all.push(new PeSection(section.name, section.data.slice(0), section.virtualSize, section.characteristics));
  }
  let rvas = sectionRvas(all);
  // Turn the RVAs stored at relocation sites into addresses at the preferred base.
  for (let r = 0; r < relocationSites.length; r++) {
    const site = relocationSites[r];
    let placed = false;
    for (let s = 0; s < all.length; s++) {
      const offset = site - rvas[s];
      if (offset >= 0 && offset + 8 <= all[s].data.length) {
        const data = all[s].data;
        put64(data, offset, load<u64>(data.dataStart + <usize>offset) + IMAGE_BASE);
        placed = true;
      }
    }
    if (!placed) { setMessage("pe: relocation site " + site.toString() + " is not inside a section's initialised data"); return null; }
  }
  if (relocationSites.length > 0) {
    const blocks = relocationBlocks(relocationSites);
    all.push(new PeSection(".reloc", blocks, blocks.length, SECTION_RELOC));
    rvas = sectionRvas(all);
  }
  for (let s = 0; s < all.length; s++) {
    if (all[s].name.length > 8) { setMessage("pe: section name \"" + all[s].name + "\" is longer than 8 bytes"); return null; }
    if (all[s].virtualSize < all[s].data.length) { setMessage("pe: section " + all[s].name + " is smaller in memory than on disk"); return null; }
  }

  const sectionTable = PE_OFFSET + 4 + 20 + OPTIONAL_HEADER_SIZE;
  const headersSize = <i32>alignUp(sectionTable + 40 * all.length, FILE_ALIGNMENT);
  let fileSize = headersSize;
  const fileOffsets = new Array<i32>(all.length);
  for (let s = 0; s < all.length; s++) {
    fileOffsets[s] = all[s].data.length > 0 ? fileSize : 0;
    fileSize += <i32>alignUp(all[s].data.length, FILE_ALIGNMENT);
  }
  const last = all.length - 1;
  const imageSize = <i32>alignUp(rvas[last] + all[last].virtualSize, SECTION_ALIGNMENT);
  const image = new Uint8Array(fileSize);

  // DOS header: only the magic and the offset of the PE header matter.
  putAscii(image, 0, "MZ");
  put32(image, 0x3c, PE_OFFSET);

  putAscii(image, PE_OFFSET, "PE");
  const coff = PE_OFFSET + 4;
  put16(image, coff, MACHINE_X64);
  put16(image, coff + 2, all.length);
  put32(image, coff + 4, 0);            // timestamp: none, for reproducible builds
  put16(image, coff + 16, OPTIONAL_HEADER_SIZE);
  put16(image, coff + 18, 0x0022);      // executable image, large-address aware

  let codeSize = 0, dataSize = 0, bssSize = 0, codeBase = 0;
  for (let s = 0; s < all.length; s++) {
    const raw = <i32>alignUp(all[s].data.length, FILE_ALIGNMENT);
    if (all[s].characteristics & 0x20) { codeSize += raw; if (codeBase == 0) codeBase = rvas[s]; }
    else dataSize += raw;
    bssSize += <i32>alignUp(all[s].virtualSize - all[s].data.length, FILE_ALIGNMENT);
  }
  const optional = coff + 20;
  put16(image, optional, 0x20b);        // PE32+
  put32(image, optional + 4, codeSize);
  put32(image, optional + 8, dataSize);
  put32(image, optional + 12, bssSize);
  put32(image, optional + 16, entryRva);
  put32(image, optional + 20, codeBase);
  put64(image, optional + 24, IMAGE_BASE);
  put32(image, optional + 32, SECTION_ALIGNMENT);
  put32(image, optional + 36, FILE_ALIGNMENT);
  put16(image, optional + 48, 1);       // subsystem version 1.0
  put32(image, optional + 56, imageSize);
  put32(image, optional + 60, headersSize);
  put16(image, optional + 68, SUBSYSTEM_EFI_APPLICATION);
  put16(image, optional + 70, 0x0160);  // high-entropy VA, dynamic base, NX compatible
  put64(image, optional + 72, 0x100000); // stack reserve, commit, heap reserve, commit
  put64(image, optional + 80, 0x1000);
  put64(image, optional + 88, 0x100000);
  put64(image, optional + 96, 0x1000);
  put32(image, optional + 108, 16);     // number of data directories
  if (relocationSites.length > 0) {
    const directory = optional + 112 + 8 * DIRECTORY_BASE_RELOCATION;
    put32(image, directory, rvas[last]);
    put32(image, directory + 4, all[last].data.length);
  }

  for (let s = 0; s < all.length; s++) {
    const header = sectionTable + 40 * s;
    putAscii(image, header, all[s].name);
    put32(image, header + 8, all[s].virtualSize);
    put32(image, header + 12, rvas[s]);
    put32(image, header + 16, <u32>alignUp(all[s].data.length, FILE_ALIGNMENT));
    put32(image, header + 20, fileOffsets[s]);
    put32(image, header + 36, all[s].characteristics);
    if (all[s].data.length > 0) putBytes(image, fileOffsets[s], all[s].data);
  }
  put32(image, optional + 64, peChecksum(image, optional + 64));
  return image;
}
