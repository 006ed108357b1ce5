// Where everything lives in a linux-x64 executable (docs/linux-runtime.md,
// "Memory map of the executable"). All addresses are fixed at link time: the
// executable is not position-independent, so the stubs use them as
// immediates and the runtime's vmctx, tables and globals are written out
// fully initialised.
//
//   base          ELF headers (elf.ts)
//   read-only     services table, runtime data segments, payload
//   read-write    thread block, runtime memory object, table object, vmctx,
//                 table elements | BSS: call slots, stack bottom, line
//                 buffer, code-range tables, signal stack
//   code          native stubs, then the runtime's code

import { MAX_FRAME_SIZE, MEMORY_OBJECT_SIZE, RT_SERVICES_SIZE, STACK_LIMIT_OVERRUN, TABLE_OBJECT_SIZE, THREAD_BLOCK_SIZE, ELEMENT_SIZE } from "../../abi";
import { ELF_PAGE } from "../elf";

export const IMAGE_BASE: u64 = 0x400000;
/** The wasm stack, with an inaccessible guard region below it. */
export const WASM_STACK_SIZE: u64 = 16 << 20;
/**
 * Larger than any frame, so that a stack check that let a frame reach below
 * the limit faults in the guard region, wherever the frame's writes land.
 * It also keeps every stack limit above MAX_FRAME_SIZE (docs/compiler-abi.md).
 */
export const STACK_GUARD_SIZE: u64 = <u64>MAX_FRAME_SIZE + (64 << 10);
/** Room below THREAD_STACK_LIMIT: exactly what generated code and the services may write there. */
export const STACK_HEADROOM: u64 = <u64>STACK_LIMIT_OVERRUN;
export const SIGNAL_STACK_SIZE: u64 = 64 << 10;
export const CODE_RANGE_CAPACITY: u64 = 4096;
export const CODE_RANGE_ENTRY_SIZE: u64 = 16;
/** Argument slots for the calls _start makes through invoke (main has eight). */
export const CALL_SLOTS: u64 = 8;
export const LINE_BUFFER_SIZE: u64 = 256;

export function alignUp(value: u64, alignment: u64): u64 {
  return (value + alignment - 1) & ~(alignment - 1);
}

export class LinuxLayout {
  readOnly: u64 = 0;
  services: u64 = 0;
  /** Address of each runtime data segment's bytes (index = data segment index; 0 when passive). */
  dataImages: u64[] = [];
  payload: u64 = 0;
  readOnlySize: u64 = 0;

  readWrite: u64 = 0;
  threadBlock: u64 = 0;
  memoryObject: u64 = 0;
  tableObject: u64 = 0;
  vmctx: u64 = 0;
  elements: u64 = 0;
  /** End of the part of read-write written into the file; BSS follows. */
  readWriteFileSize: u64 = 0;
  callSlots: u64 = 0;
  /** Lowest address of the wasm stack mapping (its guard page), stored by _start. */
  stackBottom: u64 = 0;
  lineBuffer: u64 = 0;
  /** The code-range table of guard-region code; that of explicit-bounds code follows it. */
  codeRanges: u64 = 0;
  explicitCodeRanges: u64 = 0;
  signalStack: u64 = 0;
  readWriteSize: u64 = 0;

  code: u64 = 0;
}

/**
 * Lays out everything but the code, whose size the stubs decide: it goes
 * last, so that everything the stubs refer to has an address before they
 * are assembled.
 */
export function layoutLinux(dataLengths: u32[], payloadLength: u64, vmctxSize: u64, tableLength: u64): LinuxLayout {
  const layout = new LinuxLayout();
  layout.readOnly = IMAGE_BASE + ELF_PAGE;
  layout.services = layout.readOnly;
  let at = layout.services + <u64>RT_SERVICES_SIZE;
  for (let i = 0; i < dataLengths.length; i++) {
    at = alignUp(at, 16);
    layout.dataImages.push(at);
    at += <u64>dataLengths[i];
  }
  layout.payload = alignUp(at, ELF_PAGE);
  layout.readOnlySize = layout.payload + payloadLength - layout.readOnly;

  layout.readWrite = alignUp(layout.readOnly + layout.readOnlySize, ELF_PAGE);
  layout.threadBlock = layout.readWrite;
  layout.memoryObject = layout.threadBlock + <u64>THREAD_BLOCK_SIZE;
  layout.tableObject = layout.memoryObject + <u64>MEMORY_OBJECT_SIZE;
  layout.vmctx = alignUp(layout.tableObject + <u64>TABLE_OBJECT_SIZE, 16);
  layout.elements = alignUp(layout.vmctx + vmctxSize, 16);
  at = layout.elements + tableLength * <u64>ELEMENT_SIZE;
  layout.readWriteFileSize = at - layout.readWrite;

  layout.callSlots = alignUp(at, 16);
  layout.stackBottom = layout.callSlots + 8 * CALL_SLOTS;
  layout.lineBuffer = alignUp(layout.stackBottom + 8, 16);
  layout.codeRanges = alignUp(layout.lineBuffer + LINE_BUFFER_SIZE, 16);
  layout.explicitCodeRanges = layout.codeRanges + 8 + CODE_RANGE_CAPACITY * CODE_RANGE_ENTRY_SIZE;
  layout.signalStack = alignUp(layout.explicitCodeRanges + 8 + CODE_RANGE_CAPACITY * CODE_RANGE_ENTRY_SIZE, 16);
  layout.readWriteSize = layout.signalStack + SIGNAL_STACK_SIZE - layout.readWrite;

  layout.code = alignUp(layout.readWrite + layout.readWriteSize, ELF_PAGE);
  return layout;
}
