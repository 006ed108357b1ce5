// The running system through the system.* calls: the records of
// ipc/table/records.ts (systemInfo, componentInfo) read into objects, the
// text lists, and payload files (payload.read). Each call answers from one moment; a list
// that grew between a size check and the read is read again.

import {
  payloadRead, systemComponents, systemInfo, systemList,
  COMPONENT_INFO_SIZE, COMPONENT_INFO_NAME, SYSTEM_INFO_SIZE, SYSTEM_LIST_FILES, SYSTEM_LIST_NAMES, ComponentInfo, SystemInfo,
} from "../../ipc/generated/index";
import { TICK_HZ } from "../../ipc/generated/abi";

/** One running component, as system.components reported it. */
export class ComponentRecord {
  id: u32 = 0;
  supervisor: u32 = 0;
  kind: u32 = 0;
  state: u32 = 0;
  threads: u32 = 0;
  /** 64 KiB pages of linear memory. */
  pages: u32 = 0;
  /** 4 KiB pages of memory and state objects it made. */
  objectPages: u32 = 0;
  restarts: u32 = 0;
  lastTrap: u32 = 0;
  priority: u32 = 0;
  cpuTicks: u64 = 0;
  messages: u64 = 0;
  /** Its identity (`init/echo`). */
  identity: string = "";

  /** Its name: the identity's last part (`echo`). */
  get name(): string { return this.identity.substring(this.identity.lastIndexOf("/") + 1); }
  /** Memory it holds in KiB: its linear memory and its objects. */
  get memoryKiB(): u64 { return <u64>this.pages * 64 + <u64>this.objectPages * 4; }
  /** CPU time in nanoseconds (sampled at each tick). */
  get cpuNanoseconds(): u64 { return this.cpuTicks * (1_000_000_000 / <u64>TICK_HZ); }
}

/** The error of the last call that returned null or an empty list (0: none). */
export let systemError: i32 = 0;

/** Every running component, in the order they started; null when system.components failed (systemError). */
export function listComponents(): ComponentRecord[] | null {
  let room: u32 = 64;
  while (true) {
    const buffer = heap.alloc(<usize>room * <usize>COMPONENT_INFO_SIZE);
    const count = systemComponents(buffer, room * COMPONENT_INFO_SIZE);
    if (count < 0) { heap.free(buffer); systemError = count; return null; }
    if (<u32>count > room) { heap.free(buffer); room = <u32>count + 16; continue; }
    const records = new Array<ComponentRecord>(count);
    for (let i = 0; i < count; i++) records[i] = readRecord(changetype<ComponentInfo>(buffer + <usize>i * <usize>COMPONENT_INFO_SIZE));
    heap.free(buffer);
    systemError = 0;
    return records;
  }
}

function readRecord(info: ComponentInfo): ComponentRecord {
  const record = new ComponentRecord();
  record.id = info.id;
  record.supervisor = info.supervisor;
  record.kind = info.kind;
  record.state = info.state;
  record.threads = info.threads;
  record.pages = info.pages;
  record.objectPages = info.objectPages;
  record.restarts = info.restarts;
  record.lastTrap = info.lastTrap;
  record.priority = info.priority;
  record.cpuTicks = info.cpuTicks;
  record.messages = info.messages;
  const name = changetype<usize>(info) + <usize>COMPONENT_INFO_NAME;
  let length: i32 = 0;
  const most = <i32>(COMPONENT_INFO_SIZE - COMPONENT_INFO_NAME);
  while (length < most && load<u8>(name + <usize>length) != 0) length++;
  record.identity = String.UTF8.decodeUnsafe(name, <usize>length);
  return record;
}

/** What system.info tells: the whole system's figures. */
export class SystemRecord {
  /** Nanoseconds since the kernel started. */
  uptime: u64 = 0;
  ticks: u64 = 0;
  idleTicks: u64 = 0;
  framesFree: u64 = 0;
  framesUsed: u64 = 0;
  components: u32 = 0;
  threads: u32 = 0;
}

/** The whole system's figures, or null (systemError). */
export function readSystemInfo(): SystemRecord | null {
  const at = heap.alloc(SYSTEM_INFO_SIZE);
  const result = systemInfo(at);
  if (result < 0) { heap.free(at); systemError = result; return null; }
  const info = changetype<SystemInfo>(at);
  const record = new SystemRecord();
  record.uptime = info.uptime;
  record.ticks = info.ticks;
  record.idleTicks = info.idleTicks;
  record.framesFree = info.framesFree;
  record.framesUsed = info.framesUsed;
  record.components = info.components;
  record.threads = info.threads;
  heap.free(at);
  systemError = 0;
  return record;
}

function listLines(what: u32): string[] {
  let room: u32 = 4096;
  while (true) {
    const buffer = heap.alloc(room);
    const total = systemList(what, buffer, room);
    if (total < 0) { heap.free(buffer); systemError = total; return []; }
    if (<u32>total > room) { heap.free(buffer); room = <u32>total + 1024; continue; }
    const text = String.UTF8.decodeUnsafe(buffer, <usize>total);
    heap.free(buffer);
    systemError = 0;
    const lines = text.split("\n");
    if (lines.length > 0 && lines[lines.length - 1].length == 0) lines.pop();
    return lines;
  }
}

/** The pathname space's registered paths. */
export function listNames(): string[] { return listLines(SYSTEM_LIST_NAMES); }

/** A file of the boot payload. */
export class PayloadFile {
  constructor(readonly path: string, readonly size: u64) {}
}

/** The boot payload's files, sorted by path. */
export function listFiles(): PayloadFile[] {
  const lines = listLines(SYSTEM_LIST_FILES);
  const files = new Array<PayloadFile>(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const space = lines[i].lastIndexOf(" ");
    files[i] = new PayloadFile(lines[i].substring(0, space), U64.parseInt(lines[i].substring(space + 1)));
  }
  return files;
}

/**
 * Up to `length` bytes of payload file `path` from `offset` (none past its
 * end); null when it cannot be read (systemError). The caller's rights need
 * `read` for the path.
 */
export function readFile(path: string, offset: u32, length: u32): Uint8Array | null {
  const bytes = new Uint8Array(length);
  const size = payloadRead(path, offset, bytes.dataStart, length);
  if (size < 0) { systemError = size; return null; }
  systemError = 0;
  return bytes.subarray(0, <i32>min<u32>(length, <u32>size - offset));
}
