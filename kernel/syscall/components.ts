// The kernel side of the component, payload and console system calls
// (ipc/table calls.ts: component.*, payload.read, log.write): spawning
// through the loader thread, ending, status for supervisors, reading the
// payload's files, and a line on the console.

import * as abi from "../generated/abi";
import * as console from "../console";
import { Component, ComponentState, componentById } from "../component/component";
import { spawnComponent } from "../component/loader";
import { PAYLOAD_BAD_OFFSET, PAYLOAD_NOT_FOUND, copyPayloadFile } from "../component/payload";
import { copyIn } from "../component/copy";
import { PAGE_SIZE } from "../../sdk/compiler/src/abi";
import { Thread } from "../object/thread";
import { namesHeldBy } from "../object/pathname";
import { exitComponent, killComponent } from "../component/end";
import { readUser, writeUser } from "../component/copy";

/**
 * component.spawn: loads and starts payload file `path` with the grant at
 * absolute `grant` (`grantLength` bytes of manifest text); the caller
 * supervises it (`notice`: where its end pulse goes).
 */
export function componentSpawn(caller: Thread, path: string, notice: Object | null, grant: u64, grantLength: u32): i32 {
  const bytes = new Uint8Array(grantLength);
  if (grantLength > 0) copyIn(bytes.dataStart, grant, <u64>grantLength);
  return spawnComponent(path, String.UTF8.decodeUnsafe(bytes.dataStart, grantLength), notice, caller);
}

/** The component `id` if the caller supervises it. */
function supervised(caller: Thread, id: u32): Component | null {
  const component = componentById(id);
  if (component == null || component.supervisor !== caller.component) return null;
  return component;
}

export function componentKill(caller: Thread, id: u32): i32 {
  const component = componentById(id);
  if (component == null) return abi.ERROR_NOT_FOUND;
  if (component.supervisor !== caller.component) return abi.ERROR_ACCESS_DENIED;
  if (component.isRunning) killComponent(component!);
  return 0;
}

/** component.status: writes the componentStatus record at absolute `status`; the state. */
export function componentStatus(caller: Thread, id: u32, status: u64): i32 {
  const component = componentById(id);
  if (component == null) return abi.ERROR_NOT_FOUND;
  if (component.supervisor !== caller.component && component !== caller.component) return abi.ERROR_ACCESS_DENIED;
  const fault = component.fault;
  const at = statusRecord;
  store<i32>(at + <usize>abi.COMPONENT_STATUS_STATE, <i32>component.state);
  store<i32>(at + <usize>abi.COMPONENT_STATUS_TRAP, fault != null ? fault.trapKind : 0);
  store<i32>(at + <usize>abi.COMPONENT_STATUS_FUNCTION_INDEX, fault != null ? fault.functionIndex : -1);
  store<i32>(at + <usize>abi.COMPONENT_STATUS_WASM_OFFSET, fault != null ? <i32>fault.wasmOffset : -1);
  store<i32>(at + <usize>abi.COMPONENT_STATUS_THREADS, component.liveThreads);
  store<i32>(at + <usize>abi.COMPONENT_STATUS_PAGES, <i32>(component.memoryLength / <u64>PAGE_SIZE));
  store<i32>(at + <usize>abi.COMPONENT_STATUS_EXIT_STATUS, component.exitStatus);
  store<i32>(at + <usize>abi.COMPONENT_STATUS_NAMES, namesHeldBy(component));
  if (!writeUser(status, statusRecord, abi.COMPONENT_STATUS_SIZE)) return abi.ERROR_BAD_ADDRESS;
  return <i32>component.state;
}

// The componentStatus record is assembled here, then copied into the caller's memory.
const statusRecord = memory.data(<i32>abi.COMPONENT_STATUS_SIZE, 8);

// log.write's text is copied in here first (the table bounds its length).
const LOG_BUFFER_SIZE: i32 = 4096;
const logBuffer = memory.data(LOG_BUFFER_SIZE);

export function componentSelf(caller: Thread): i32 { return <i32>caller.component!.id; }

export function componentExit(caller: Thread, status: i32): void {
  exitComponent(caller, status);
}

/** log.write: one console line `NAME: TEXT` from the bytes at absolute `text`. */
export function logWrite(caller: Thread, text: u64, length: u32): i32 {
  const component = caller.component!;
  if (length > <u32>LOG_BUFFER_SIZE) length = <u32>LOG_BUFFER_SIZE;
  if (!readUser(logBuffer, text, <u64>length)) return abi.ERROR_BAD_ADDRESS;
  console.begin();
  console.text(component.name);
  console.text(": ");
  for (let i: u32 = 0; i < length; i++) {
    const character = <i32>load<u8>(logBuffer + <usize>i);
    if (character == 10 || character == 13) continue;
    console.character(character >= 0x20 && character < 0x7f ? character : 0x3f);
  }
  console.end();
  return 0;
}

/**
 * payload.read: copies payload file `path` from `offset` into the caller's
 * buffer at absolute `buffer` (`length` bytes at most); the file's size.
 */
export function payloadRead(caller: Thread, path: string, offset: u32, buffer: u64, length: u32): i32 {
  const result = copyPayloadFile(path, <u64>offset, buffer, <u64>length);
  if (result == PAYLOAD_NOT_FOUND) return abi.ERROR_NOT_FOUND;
  if (result == PAYLOAD_BAD_OFFSET) return abi.ERROR_INVALID_ARGUMENT;
  if (result < 0) return abi.ERROR_BAD_ADDRESS;
  if (result > <i64>i32.MAX_VALUE) return abi.ERROR_TOO_LARGE;
  return <i32>result;
}
