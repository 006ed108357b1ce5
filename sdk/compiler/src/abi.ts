// The native ABI shared by the generator, the component format, the loader,
// the runtimes and the kernel. docs/compiler-abi.md explains each field; this
// file is the only place the numbers are written.

import { Module } from "./module";

// Thread block, addressed through the fs segment.
export const THREAD_STACK_LIMIT: i32 = 0;
export const THREAD_TRAP_RSP: i32 = 8;
export const THREAD_TRAP_KIND: i32 = 16;
export const THREAD_TRAP_PC: i32 = 24;
export const THREAD_SELF: i32 = 32;
export const THREAD_BLOCK_SIZE: i32 = 64;

// Stack exhaustion (docs/compiler-abi.md, "Stack exhaustion").
/** The largest frame a function may have; a larger one is a compile error. Stack limits lie above it, so `rsp - frame` cannot wrap. */
export const MAX_FRAME_SIZE: i32 = 16 << 20;
/** Generated code and the runtime services never write more than this many bytes below THREAD_STACK_LIMIT. */
export const STACK_LIMIT_OVERRUN: i32 = 256;
/**
 * The largest frame of a leaf function (one that calls nothing) that the
 * optimizing tier gives no stack check: entered with rsp at or above the
 * limit, it writes its return address, rbp and r14 (24 bytes), its frame
 * and, if it traps, the trap stub's call and the thunk's push (48): 200
 * bytes below the limit at most, within STACK_LIMIT_OVERRUN.
 */
export const UNCHECKED_LEAF_FRAME: i32 = 128;

// vmctx header.
export const VMCTX_MEMORY_BASE: i32 = 0;
export const VMCTX_MEMORY: i32 = 8;
export const VMCTX_TABLE: i32 = 16;
export const VMCTX_RUNTIME: i32 = 24;
export const VMCTX_INSTANCE: i32 = 32;
export const VMCTX_HEADER_SIZE: i32 = 40;

// Memory object.
export const MEMORY_BASE: i32 = 0;
export const MEMORY_LENGTH: i32 = 8;
export const MEMORY_MAX_PAGES: i32 = 16;
export const MEMORY_RESERVED: i32 = 24;
export const MEMORY_OBJECT_SIZE: i32 = 32;

/** Guard-region reservation: 8 GiB covers any 32-bit index plus 32-bit offset. */
export const GUARD_RESERVATION: u64 = (8 << 30) + 65536;
export const PAGE_SIZE: u32 = 65536;

// Table object and its elements.
export const TABLE_ELEMENTS: i32 = 0;
export const TABLE_LENGTH: i32 = 8;
export const TABLE_MAX: i32 = 16;
export const TABLE_OBJECT_SIZE: i32 = 24;
export const ELEMENT_TYPE_ID: i32 = 0;
export const ELEMENT_CODE: i32 = 8;
export const ELEMENT_VMCTX: i32 = 16;
export const ELEMENT_SIZE: i32 = 24;

// Runtime services (System V calling convention).
export const RT_MEMORY_GROW: i32 = 0;
export const RT_TRAP: i32 = 8;
export const RT_INVOKE: i32 = 16;
/** The kernel's fault-tolerant copy (delos:native copy_checked); 0 in hosts that have none. */
export const RT_COPY_CHECKED: i32 = 24;
export const RT_SERVICES_SIZE: i32 = 32;

// Trap kinds: defined once, in traps.ts.
export { TrapKind, trapMessage } from "./traps";

/** The module that privileged components import intrinsics from. */
export const INTRINSICS_MODULE = "delos:native";
/** The module the kernel imports its machine intrinsics from (generate/x86.ts). */
export const X86_MODULE = "x86";

/** Where each per-module part of a vmctx starts; see docs/compiler-abi.md. */
export class VmctxLayout {
  typeIds: i32 = 0;
  importedFuncs: i32 = 0;
  globals: i32 = 0;
  dataDropped: i32 = 0;
  elemDropped: i32 = 0;
  size: i32 = 0;

  typeId(typeIndex: u32): i32 { return this.typeIds + 8 * <i32>typeIndex; }
  importCode(funcIndex: u32): i32 { return this.importedFuncs + 16 * <i32>funcIndex; }
  importVmctx(funcIndex: u32): i32 { return this.importedFuncs + 16 * <i32>funcIndex + 8; }
  global(globalIndex: u32): i32 { return this.globals + 8 * <i32>globalIndex; }
  dataSegment(index: u32): i32 { return this.dataDropped + 8 * <i32>index; }
  elemSegment(index: u32): i32 { return this.elemDropped + 8 * <i32>index; }
}

export function vmctxLayout(module: Module): VmctxLayout {
  const layout = new VmctxLayout();
  let at = VMCTX_HEADER_SIZE;
  layout.typeIds = at;
  at += 8 * module.types.length;
  layout.importedFuncs = at;
  at += 16 * <i32>module.numImportedFuncs;
  layout.globals = at;
  at += 8 * module.globals.length;
  layout.dataDropped = at;
  at += 8 * module.datas.length;
  layout.elemDropped = at;
  at += 8 * module.elems.length;
  layout.size = at;
  return layout;
}
