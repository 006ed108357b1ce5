// The PE32+ writer and the boot stub's image: the headers UEFI firmware
// reads, section alignment, base relocations, the checksum, and the system
// instructions the stub uses, checked against objdump.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildBootStub, systemInstructionCases } from "../../sdk/host/boot-stub";
import { buildPe, SECTION_CODE, SECTION_DATA } from "../../sdk/host/image";
import { runTool } from "./tools";

interface PeSection { name: string; virtualSize: number; rva: number; rawSize: number; rawOffset: number; characteristics: number; }
interface PeHeaders {
  machine: number; magic: number; subsystem: number; entry: number; imageBase: bigint; sectionAlignment: number;
  fileAlignment: number; imageSize: number; headersSize: number; checksum: number; checksumAt: number;
  relocationDirectory: { rva: number; size: number }; sections: PeSection[];
}

export function readPe(image: Uint8Array): PeHeaders {
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (v.getUint16(0, true) !== 0x5a4d) throw new Error("no MZ");
  const pe = v.getUint32(0x3c, true);
  if (v.getUint32(pe, true) !== 0x4550) throw new Error("no PE signature");
  const coff = pe + 4;
  const optional = coff + 20;
  const count = v.getUint16(coff + 2, true);
  const table = optional + v.getUint16(coff + 16, true);
  const sections: PeSection[] = [];
  for (let i = 0; i < count; i++) {
    const at = table + 40 * i;
    sections.push({
      name: new TextDecoder().decode(image.subarray(at, at + 8)).replace(/\0+$/, ""),
      virtualSize: v.getUint32(at + 8, true), rva: v.getUint32(at + 12, true), rawSize: v.getUint32(at + 16, true),
      rawOffset: v.getUint32(at + 20, true), characteristics: v.getUint32(at + 36, true),
    });
  }
  return {
    machine: v.getUint16(coff, true), magic: v.getUint16(optional, true), subsystem: v.getUint16(optional + 68, true),
    entry: v.getUint32(optional + 16, true), imageBase: v.getBigUint64(optional + 24, true),
    sectionAlignment: v.getUint32(optional + 32, true), fileAlignment: v.getUint32(optional + 36, true),
    imageSize: v.getUint32(optional + 56, true), headersSize: v.getUint32(optional + 60, true),
    checksum: v.getUint32(optional + 64, true), checksumAt: optional + 64,
    relocationDirectory: { rva: v.getUint32(optional + 112 + 40, true), size: v.getUint32(optional + 112 + 44, true) },
    sections,
  };
}

/** The PE/COFF checksum (sum of 16-bit words with end-around carry, checksum field skipped, plus the length). */
export function peChecksum(image: Uint8Array, checksumAt: number): number {
  let sum = 0;
  for (let at = 0; at < image.length; at += 2) {
    if (at === checksumAt || at === checksumAt + 2) continue;
    sum += image[at]! | ((image[at + 1] ?? 0) << 8);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum + image.length) >>> 0;
}

export function register(test: TestFunction): void {
  test("BOOTX64.EFI is a PE32+ EFI application with aligned sections", (t) => {
    const image = buildBootStub();
    const pe = readPe(image);
    t.eq(pe.machine, 0x8664, "machine x86-64");
    t.eq(pe.magic, 0x20b, "PE32+");
    t.eq(pe.subsystem, 10, "EFI application");
    t.eq(pe.sections.map((section) => section.name), [".text", ".data"], "sections");
    for (const section of pe.sections) {
      t.eq(section.rva % pe.sectionAlignment, 0, `${section.name} RVA aligned`);
      t.eq(section.rawOffset % pe.fileAlignment, 0, `${section.name} file offset aligned`);
      t.eq(section.rawSize % pe.fileAlignment, 0, `${section.name} raw size aligned`);
    }
    const text = pe.sections[0]!;
    t.ok(pe.entry >= text.rva && pe.entry < text.rva + text.virtualSize, "entry point inside .text");
    t.eq(text.characteristics, SECTION_CODE, ".text is code, execute, read");
    t.eq(pe.sections[1]!.characteristics, SECTION_DATA, ".data is read/write data");
    const last = pe.sections[pe.sections.length - 1]!;
    t.eq(pe.imageSize, Math.ceil((last.rva + last.virtualSize) / 4096) * 4096, "SizeOfImage covers the last section");
    t.eq(pe.relocationDirectory.size, 0, "position-independent: empty relocation directory");
    t.eq(pe.checksum, peChecksum(image, pe.checksumAt), "checksum");
    t.ok(Buffer.from(image).equals(Buffer.from(buildBootStub())), "the stub assembles identically twice");
    console.log(`pe: BOOTX64.EFI ${image.length} bytes, .text ${text.virtualSize} bytes`);
  });

  test("relocation sites become DIR64 entries and absolute addresses", (t) => {
    const data = new Uint8Array(0x2010);
    new DataView(data.buffer).setBigUint64(8, 0x1000n, true);     // the RVA of .text, at .data+8
    new DataView(data.buffer).setBigUint64(0x2000, 0x1004n, true); // and one on the section's third page
    const image = buildPe([
      { name: ".text", data: Uint8Array.of(0x31, 0xc0, 0xc3), characteristics: SECTION_CODE },
      { name: ".data", data, characteristics: SECTION_DATA },
    ], 0x1000, [0x2008, 0x4000]);
    const pe = readPe(image);
    const reloc = pe.sections.find((section) => section.name === ".reloc")!;
    t.ok(reloc !== undefined, ".reloc section present");
    t.eq(pe.relocationDirectory, { rva: reloc.rva, size: reloc.virtualSize }, "directory points at .reloc");
    const v = new DataView(image.buffer, image.byteOffset);
    const blocks: Array<{ page: number; entries: number[] }> = [];
    for (let at = reloc.rawOffset; at < reloc.rawOffset + pe.relocationDirectory.size;) {
      const page = v.getUint32(at, true), size = v.getUint32(at + 4, true);
      const entries: number[] = [];
      for (let e = at + 8; e < at + size; e += 2) entries.push(v.getUint16(e, true));
      blocks.push({ page, entries });
      at += size;
    }
    t.eq(blocks, [{ page: 0x2000, entries: [0xa008, 0] }, { page: 0x4000, entries: [0xa000, 0] }], "one DIR64 block per page, padded");
    const dataSection = pe.sections[1]!;
    t.eq(v.getBigUint64(dataSection.rawOffset + 8, true), pe.imageBase + 0x1000n, "site holds base + RVA");
    t.eq(v.getBigUint64(dataSection.rawOffset + 0x2000, true), pe.imageBase + 0x1004n, "second site too");
  });

  test("objdump reads BOOTX64.EFI and the system instructions", (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-pe-"));
    try {
      const efi = join(directory, "BOOTX64.EFI");
      writeFileSync(efi, buildBootStub());
      const headers = runTool("objdump", ["-x", efi]);
      t.ok(headers.output.includes("pei-x86-64"), "objdump: pei-x86-64");
      t.ok(headers.output.includes("(EFI application)"), "objdump: EFI application subsystem");
      const cases = systemInstructionCases();
      const raw = join(directory, "cases.bin");
      writeFileSync(raw, cases.code);
      const listing = runTool("objdump", ["-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel", raw]).output;
      const decoded = new Map<number, string>();
      for (const line of listing.split("\n")) {
        const match = /^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} )+\s*\t(.*)$/.exec(line);
        if (match) decoded.set(parseInt(match[1]!, 16), match[2]!.replace(/\s+#.*$/, "").replace(/\s+/g, " ").replace(/, /g, ",").trim());
      }
      let checked = 0;
      for (const line of cases.listing.trim().split("\n")) {
        const [offset, , ...text] = line.split(" ");
        const expected = text.join(" ").replace(/\s+/g, " ");
        t.eq(decoded.get(Number(offset))?.replace(/ ?, ?/g, ","), expected.replace(/ ?, ?/g, ","), `encodes ${expected}`);
        checked++;
      }
      t.ok(checked > 0 && decoded.size >= checked, `objdump decoded the ${checked} cases`);
      console.log(`pe: ${checked} system instruction encodings agree with objdump`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
}
