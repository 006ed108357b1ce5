// Runs the image writer (AssemblyScript, sdk/image, built to build/image.wasm)
// inside Node: disk images, payload archives and PE32+ EFI applications.
// Each job gets a fresh instance (the writer's allocator never frees).
// The description formats are documented in sdk/image/commands.ts.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir } from "./paths";

export class ImageError extends Error {}

export interface ImageFile {
  /**
   * "esp": a file of the EFI System Partition; "payload": a file of the boot
   * payload archive; "system-volume", "home-volume": the whole contents of
   * the system or user volume partition (sdk/host/system-volume.ts), which
   * is left out when not given.
   */
  area: "esp" | "payload" | "system-volume" | "home-volume";
  /** "EFI/BOOT/BOOTX64.EFI" on the ESP; a name such as "servers/init.wasm" in the payload; ignored for a volume. */
  path: string;
  data: Uint8Array;
}

export interface DiskOptions {
  files: ImageFile[];
  espMinMiB?: number;
  systemMinMiB?: number;
  volumeLabel?: string;
}

export interface PeSectionSpec {
  name: string;
  data: Uint8Array;
  /** Size in memory (zero-filled past data); defaults to data.length. */
  virtualSize?: number;
  characteristics: number;
}

/** Section flags, as sdk/image/pe.ts defines them. */
export const SECTION_CODE = 0x60000020;
export const SECTION_DATA = 0xc0000040;
export const SECTION_READONLY = 0x40000040;

const enum Command { Disk = 1, Payload = 2, Pe = 3, ReadGpt = 4 }

/** Area numbers of the disk description (sdk/image/commands.ts). */
const AREAS = { "esp": 1, "payload": 2, "system-volume": 3, "home-volume": 4 } as const;

interface WriterExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  inputAlloc(length: number): number;
  run(command: number): number;
  outputPtr(): number;
  outputLength(): number;
  messagePtr(): number;
  messageLength(): number;
}

let compiled: WebAssembly.Module | null = null;

function writerModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(join(buildDir, "image.wasm")));
  return compiled;
}

function runWriter(command: Command, inputs: Uint8Array[]): Uint8Array {
  const instance = new WebAssembly.Instance(writerModule(), {
    env: {
      abort(_message: number, _file: number, line: number, column: number) {
        throw new ImageError(`image writer aborted at line ${line}:${column}`);
      },
      trace() {},
      seed() { return 0; },
    },
  });
  const exports = instance.exports as unknown as WriterExports;
  exports._initialize?.();
  for (const input of inputs) {
    const ptr = exports.inputAlloc(input.length);
    new Uint8Array(exports.memory.buffer, ptr, input.length).set(input);
  }
  const status = exports.run(command);
  if (status !== 0) {
    const bytes = new Uint8Array(exports.memory.buffer, exports.messagePtr(), exports.messageLength());
    throw new ImageError(new TextDecoder().decode(bytes));
  }
  return new Uint8Array(exports.memory.buffer, exports.outputPtr(), exports.outputLength()).slice();
}

class Description {
  private readonly parts: number[] = [];
  u32(value: number): this {
    this.parts.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
    return this;
  }
  u64(value: number): this { return this.u32(value % 2 ** 32).u32(Math.floor(value / 2 ** 32)); }
  ascii(text: string): this {
    for (const character of text) this.parts.push(character.charCodeAt(0));
    return this;
  }
  string(text: string): this {
    const bytes = new TextEncoder().encode(text);
    this.u32(bytes.length);
    this.parts.push(...bytes);
    return this;
  }
  bytes(): Uint8Array { return Uint8Array.from(this.parts); }
}

function diskDescription(options: DiskOptions): Uint8Array[] {
  const description = new Description().ascii("DIMG").u32(1)
    .u32(options.espMinMiB ?? 40).u32(options.systemMinMiB ?? 1).string(options.volumeLabel ?? "DELOS")
    .u32(options.files.length);
  options.files.forEach((file, index) => description.u32(AREAS[file.area]).string(file.path).u32(index + 1));
  return [description.bytes(), ...options.files.map((file) => file.data)];
}

/** Builds a GPT disk image with the ESP files, the payload archive and the volumes given (docs/disk-layout.md). */
export function buildDiskImage(options: DiskOptions): Uint8Array {
  return runWriter(Command.Disk, diskDescription(options));
}

/** Builds only the payload archive of the "payload" files. */
export function buildPayloadArchive(files: ImageFile[]): Uint8Array {
  return runWriter(Command.Payload, diskDescription({ files }));
}

/** Writes a PE32+ EFI application; sections are placed from RVA 0x1000 in order. */
export function buildPe(sections: PeSectionSpec[], entryRva: number, relocationSites: number[] = []): Uint8Array {
  const description = new Description().ascii("DPE_").u32(1).u32(entryRva).u32(sections.length);
  sections.forEach((section, index) => description.string(section.name)
    .u32(section.virtualSize ?? section.data.length).u32(section.characteristics).u32(index + 1));
  description.u32(relocationSites.length);
  for (const site of relocationSites) description.u32(site);
  return runWriter(Command.Pe, [description.bytes(), ...sections.map((section) => section.data)]);
}

/** Sectors of the disk's start and end the GPT occupies (sdk/image/gpt.ts: HEAD_SECTORS, TAIL_SECTORS). */
export const GPT_HEAD_SECTORS = 34;
export const GPT_TAIL_SECTORS = 33;

/** A partition entry as the image writer's GPT reader gives it. */
export interface GptEntry { number: number; typeGuid: string; uniqueGuid: string; firstLba: number; lastLba: number; name: string; }

/** What the image writer's GPT reader found: null when the disk has no protective MBR. */
export interface GptRead { fromBackup: boolean; primaryProblem: string; diskGuid: string; partitions: GptEntry[]; }

/**
 * Reads the GPT of a disk of `totalSectors` with the image writer's reader
 * (sdk/image/gpt.ts, the one Delos runs), given the disk's first
 * GPT_HEAD_SECTORS and last GPT_TAIL_SECTORS sectors. Throws an ImageError
 * naming what is wrong when neither copy checks.
 */
export function readGptStretches(totalSectors: number, head: Uint8Array, tail: Uint8Array): GptRead | null {
  const out = runWriter(Command.ReadGpt, [new Description().ascii("DGPT").u32(1).u64(totalSectors).bytes(), head, tail]);
  if (out.length === 0) return null;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let at = 0;
  const u32 = () => { at += 4; return view.getUint32(at - 4, true); };
  const u64 = () => { at += 8; return Number(view.getBigUint64(at - 8, true)); };
  const string = () => { const length = u32(); at += length; return new TextDecoder().decode(out.subarray(at - length, at)); };
  const fromBackup = u32() !== 0, primaryProblem = string(), diskGuid = string(), count = u32();
  const partitions: GptEntry[] = [];
  for (let i = 0; i < count; i++) {
    partitions.push({ number: u32(), typeGuid: string(), uniqueGuid: string(), firstLba: u64(), lastLba: u64(), name: string() });
  }
  return { fromBackup, primaryProblem, diskGuid, partitions };
}
