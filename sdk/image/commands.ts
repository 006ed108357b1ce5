// The image writer's jobs, as the host (or the installer) asks for them.
// inputs[0] is a description; the other inputs are file contents it refers to.
//
//   disk / payload description:
//     "DIMG" version:u32(=1) espMinMiB:u32 systemMinMiB:u32 volumeLabel:string
//     count:u32 { area:u32 (1 ESP, 2 payload, 3 system volume, 4 user volume) path:string input:u32 }*
//   (a volume's input is its partition's whole contents; its path is ignored)
//   PE description:
//     "DPE_" version:u32(=1) entryRva:u32 count:u32
//     { name:string virtualSize:u32 characteristics:u32 input:u32 }*
//     relocationCount:u32 { rva:u32 }*
//   GPT read description (inputs[1]: the disk's first HEAD_SECTORS sectors,
//   inputs[2]: its last TAIL_SECTORS, sdk/image/gpt.ts):
//     "DGPT" version:u32(=1) totalSectors:u64
//   its output, empty when the disk has no protective MBR, else:
//     fromBackup:u32 primaryProblem:string diskGuid:string count:u32
//     { number:u32 typeGuid:string uniqueGuid:string firstLba:u64 lastLba:u64 name:string }*
//   string := length:u32 UTF-8 bytes
//
// Each job sets the output or the message and returns a status (0 = done).

import { Reader } from "./bytes";
import { buildDisk, DiskPlan } from "./disk";
import { gptProblem, readGpt, StretchSource } from "./gpt";
import { FatFile } from "./fat32";
import { inputs, setMessage, setOutput } from "./io";
import { buildPayload, PayloadFile } from "./payload";
import { PeSection, writePe } from "./pe";

export const enum Command {
  /** Build a whole GPT disk image. */
  Disk = 1,
  /** Build only the payload archive. */
  Payload = 2,
  /** Build a PE32+ EFI application from sections. */
  Pe = 3,
  /** Read the GPT of a disk from its first and last sectors. */
  ReadGpt = 4,
}

export const enum Status { Ok = 0, Invalid = 1, Unsupported = 2 }

const DISK_MAGIC: u32 = 0x474d4944;  // "DIMG"
const PE_MAGIC: u32 = 0x5f455044;    // "DPE_"
const GPT_MAGIC: u32 = 0x54504744;   // "DGPT"
const AREA_ESP: u32 = 1;
const AREA_PAYLOAD: u32 = 2;
const AREA_SYSTEM_VOLUME: u32 = 3;
const AREA_HOME_VOLUME: u32 = 4;

function input(index: u32): Uint8Array | null {
  if (index == 0 || index >= <u32>inputs.length) {
    setMessage("description refers to input " + index.toString() + ", which was not given");
    return null;
  }
  return inputs[index];
}

function readPlan(): DiskPlan | null {
  if (inputs.length == 0) { setMessage("no description given"); return null; }
  const reader = new Reader(inputs[0]);
  if (reader.u32() != DISK_MAGIC || reader.u32() != 1) { setMessage("not a version 1 disk description"); return null; }
  const plan = new DiskPlan();
  plan.espMinMiB = <i32>reader.u32();
  plan.systemMinMiB = <i32>reader.u32();
  plan.volumeLabel = reader.string();
  const count = reader.u32();
  const payloadFiles = new Array<PayloadFile>();
  for (let i: u32 = 0; i < count && !reader.failed; i++) {
    const area = reader.u32();
    const path = reader.string();
    const data = input(reader.u32());
    if (data == null) return null;
    if (area == AREA_ESP) plan.espFiles.push(new FatFile(path, data));
    else if (area == AREA_PAYLOAD) payloadFiles.push(new PayloadFile(path, data));
    else if (area == AREA_SYSTEM_VOLUME) plan.systemVolume = data;
    else if (area == AREA_HOME_VOLUME) plan.homeVolume = data;
    else { setMessage("unknown area " + area.toString() + " for " + path); return null; }
  }
  if (reader.failed) { setMessage("the disk description is truncated"); return null; }
  const payload = buildPayload(payloadFiles);
  if (payload == null) return null;
  plan.payload = payload;
  return plan;
}

function disk(): i32 {
  const plan = readPlan();
  if (plan == null) return Status.Invalid;
  const image = buildDisk(plan);
  if (image == null) return Status.Invalid;
  setOutput(image);
  return Status.Ok;
}

function payload(): i32 {
  const plan = readPlan();
  if (plan == null) return Status.Invalid;
  setOutput(plan.payload);
  return Status.Ok;
}

function pe(): i32 {
  if (inputs.length == 0) { setMessage("no description given"); return Status.Invalid; }
  const reader = new Reader(inputs[0]);
  if (reader.u32() != PE_MAGIC || reader.u32() != 1) { setMessage("not a version 1 PE description"); return Status.Invalid; }
  const entryRva = <i32>reader.u32();
  const count = reader.u32();
  const sections = new Array<PeSection>();
  for (let i: u32 = 0; i < count && !reader.failed; i++) {
    const name = reader.string();
    const virtualSize = <i32>reader.u32();
    const characteristics = reader.u32();
    const data = input(reader.u32());
    if (data == null) return Status.Invalid;
    sections.push(new PeSection(name, data, max(virtualSize, data.length), characteristics));
  }
  const relocationCount = reader.u32();
  const sites = new Array<i32>();
  for (let i: u32 = 0; i < relocationCount && !reader.failed; i++) sites.push(<i32>reader.u32());
  if (reader.failed) { setMessage("the PE description is truncated"); return Status.Invalid; }
  const image = writePe(sections, entryRva, sites);
  if (image == null) return Status.Invalid;
  setOutput(image);
  return Status.Ok;
}

/** Little-endian output of the GPT reader, as the host parses it. */
class Writer {
  parts: u8[] = [];
  u32(value: u32): this { for (let i = 0; i < 4; i++) this.parts.push(<u8>(value >> (8 * i))); return this; }
  u64(value: u64): this { for (let i = 0; i < 8; i++) this.parts.push(<u8>(value >> (8 * <u64>i))); return this; }
  string(text: string): this {
    const bytes = Uint8Array.wrap(String.UTF8.encode(text));
    this.u32(bytes.length);
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i]);
    return this;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.parts.length);
    for (let i = 0; i < this.parts.length; i++) out[i] = this.parts[i];
    return out;
  }
}

function readTable(): i32 {
  if (inputs.length < 3) { setMessage("a GPT read needs a description, the disk's head and its tail"); return Status.Invalid; }
  const reader = new Reader(inputs[0]);
  if (reader.u32() != GPT_MAGIC || reader.u32() != 1) { setMessage("not a version 1 GPT read description"); return Status.Invalid; }
  const totalSectors = <i64>reader.u64();
  if (reader.failed) { setMessage("the GPT read description is truncated"); return Status.Invalid; }
  const table = readGpt(new StretchSource(totalSectors, inputs[1], inputs[2]));
  if (table == null) {
    if (gptProblem.length > 0) { setMessage(gptProblem); return Status.Invalid; }
    setOutput(new Uint8Array(0));
    return Status.Ok;
  }
  const out = new Writer().u32(table.fromBackup ? 1 : 0).string(table.primaryProblem).string(table.diskGuid).u32(table.partitions.length);
  for (let i = 0; i < table.partitions.length; i++) {
    const p = table.partitions[i];
    out.u32(p.number).string(p.typeGuid).string(p.uniqueGuid).u64(p.firstLba).u64(p.lastLba).string(p.name);
  }
  setOutput(out.bytes());
  return Status.Ok;
}

export function runCommand(command: i32): i32 {
  if (command == Command.Disk) return disk();
  if (command == Command.Payload) return payload();
  if (command == Command.Pe) return pe();
  if (command == Command.ReadGpt) return readTable();
  setMessage("unknown image writer command " + command.toString());
  return Status.Unsupported;
}
