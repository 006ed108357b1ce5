// The kernel's initialised data (.kdata) and read-only tables: one block
// holding the link info, the runtime services, the memory and table
// objects, the vmctx, the table elements, the per-vector thread-block table,
// the thread blocks of the main stack and the IST stacks and the native fast
// paths' records. Everything is
// written here as an instance would find it after instantiation; absolute
// addresses become PE relocations.

import {
  ELEMENT_CODE, ELEMENT_SIZE, ELEMENT_TYPE_ID, ELEMENT_VMCTX, GUARD_RESERVATION, MEMORY_BASE, MEMORY_LENGTH,
  MEMORY_MAX_PAGES, MEMORY_OBJECT_SIZE, MEMORY_RESERVED, PAGE_SIZE, RT_COPY_CHECKED, RT_INVOKE, RT_MEMORY_GROW, RT_SERVICES_SIZE,
  RT_TRAP, TABLE_ELEMENTS, TABLE_LENGTH, TABLE_MAX, TABLE_OBJECT_SIZE, THREAD_BLOCK_SIZE, THREAD_SELF,
  THREAD_STACK_LIMIT, VMCTX_MEMORY, VMCTX_MEMORY_BASE, VMCTX_RUNTIME, VMCTX_TABLE,
} from "../../../../sdk/compiler/src/abi";
import { ConstKind, SegmentMode } from "../../../../sdk/compiler/src/module";
import { CompiledComponent } from "../../../../sdk/loader/component";
import {
  FAST_PATH_COUNT, FAST_PATH_END, FAST_PATH_ENTRY, FAST_PATH_RECORD_SIZE, FS_BASE_SITE_COUNT, LINK_FAST_PATHS,
  LINK_FS_BASE_PATCH, LINK_FS_BASE_SITES,
  IST_COUNT, IST_STACK_HEADROOM, IST_STACK_SIZE, LINK_CODE, LINK_CODE_SIZE, LINK_FIRST_FUNCTION, LINK_FUNCTIONS,
  LINK_FUNCTION_COUNT, LINK_INFO_MAGIC, LINK_INFO_SIZE, LINK_INFO_VERSION, LINK_IST_COUNT, LINK_IST_STACKS,
  LINK_IST_STACK_SIZE, LINK_IST_THREAD_BLOCKS, LINK_MAGIC, LINK_MAIN_STACK, LINK_MAIN_STACK_SIZE,
  LINK_MAIN_THREAD_BLOCK, LINK_MEMORY_OBJECT, LINK_NAMES, LINK_NAME_BYTES, LINK_PC_MAP, LINK_PC_MAP_COUNT,
  LINK_THREAD_START, LINK_COPY_CHECKED_START, LINK_COPY_CHECKED_END, LINK_COPY_CHECKED_FIXUP, LINK_VECTORS, LINK_VECTOR_STRIDE, LINK_VECTOR_THREAD_BLOCKS, LINK_VERSION, LINK_VMCTX,
  MAIN_STACK_HEADROOM, MAIN_STACK_SIZE, STACK_GUARD_SIZE, VECTOR_COUNT, VECTOR_STUB_SIZE,
} from "../link-info";
import { KernelLink } from "./context";
import { DataImage } from "./data-image";
import { fsBasePatch } from "./fast-path";
import { functionTable, nameTables, pcMapTable } from "./tables";

/** The kernel's type ids: 1 + the index of the first structurally equal type (compared only within the kernel). */
function typeIds(component: CompiledComponent): u64[] {
  const ids = new Array<u64>(component.types.length);
  for (let i = 0; i < component.types.length; i++) {
    let first = i;
    for (let j = 0; j < i; j++) {
      if (component.types[j].equals(component.types[i])) { first = j; break; }
    }
    ids[i] = <u64>(first + 1);
  }
  return ids;
}

export function layoutData(k: KernelLink, wasm: Uint8Array | null): void {
  const component = k.component;
  const p = k.c.p;
  const block = new DataImage(p);

  // Read-only tables in .text.
  const functions = p.bytes(functionTable(component), 8);
  const pcMap = p.bytes(pcMapTable(component), 8);
  const names = nameTables(wasm, <i32>component.functionCount);
  const nameIndex = p.bytes(names.index, 8);
  const nameBytes = p.bytes(names.bytes, 1);

  const linkInfo = block.reserve(LINK_INFO_SIZE, 64);
  const services = block.reserve(RT_SERVICES_SIZE, 8);
  const memoryObject = block.reserve(MEMORY_OBJECT_SIZE, 8);
  const tableObject = block.reserve(TABLE_OBJECT_SIZE, 8);
  const vmctx = block.reserve(component.layout.size, 16);
  const tableLength = component.tables.length > 0 ? <i32>component.tables[0].limits.min : 0;
  const elements = block.reserve(max(tableLength, 1) * ELEMENT_SIZE, 16);
  const vectorThreadBlocks = block.reserve(8 * VECTOR_COUNT, 8);
  const mainThreadBlock = block.reserve(THREAD_BLOCK_SIZE, 64);
  const istThreadBlocks = block.reserve(IST_COUNT * THREAD_BLOCK_SIZE, 64);
  const fastPaths = block.reserve(FAST_PATH_COUNT * FAST_PATH_RECORD_SIZE, 8);
  const fsBaseSites = block.reserve(FS_BASE_SITE_COUNT * 8, 8);
  const blockLabel = block.label;
  k.linkInfo = p.labelAt(blockLabel, linkInfo);
  k.services = p.labelAt(blockLabel, services);
  k.memoryObject = p.labelAt(blockLabel, memoryObject);
  k.tableObject = p.labelAt(blockLabel, tableObject);
  k.vmctx = p.labelAt(blockLabel, vmctx);
  k.vectorThreadBlocks = p.labelAt(blockLabel, vectorThreadBlocks);
  k.mainThreadBlock = p.labelAt(blockLabel, mainThreadBlock);
  k.fastPaths = p.labelAt(blockLabel, fastPaths);

  // The link info block.
  block.put64(linkInfo + LINK_MAGIC, LINK_INFO_MAGIC);
  block.put64(linkInfo + LINK_VERSION, LINK_INFO_VERSION);
  block.address(linkInfo + LINK_CODE, k.code);
  block.put64(linkInfo + LINK_CODE_SIZE, <u64>component.codeLength);
  block.address(linkInfo + LINK_FUNCTIONS, functions);
  block.put64(linkInfo + LINK_FUNCTION_COUNT, <u64>component.functions.length);
  block.put64(linkInfo + LINK_FIRST_FUNCTION, <u64>component.numImportedFuncs);
  block.address(linkInfo + LINK_PC_MAP, pcMap);
  block.put64(linkInfo + LINK_PC_MAP_COUNT, <u64>component.pcNative.length);
  block.address(linkInfo + LINK_NAMES, nameIndex);
  block.address(linkInfo + LINK_NAME_BYTES, nameBytes);
  block.address(linkInfo + LINK_VECTORS, k.vectors);
  block.put64(linkInfo + LINK_VECTOR_STRIDE, <u64>VECTOR_STUB_SIZE);
  block.address(linkInfo + LINK_VECTOR_THREAD_BLOCKS, blockLabel, vectorThreadBlocks);
  block.address(linkInfo + LINK_MAIN_STACK, k.mainStack);
  block.put64(linkInfo + LINK_MAIN_STACK_SIZE, <u64>MAIN_STACK_SIZE);
  block.address(linkInfo + LINK_IST_STACKS, k.istStacks);
  block.put64(linkInfo + LINK_IST_COUNT, <u64>IST_COUNT);
  block.put64(linkInfo + LINK_IST_STACK_SIZE, <u64>IST_STACK_SIZE);
  block.address(linkInfo + LINK_IST_THREAD_BLOCKS, blockLabel, istThreadBlocks);
  block.address(linkInfo + LINK_MAIN_THREAD_BLOCK, blockLabel, mainThreadBlock);
  block.address(linkInfo + LINK_VMCTX, blockLabel, vmctx);
  block.address(linkInfo + LINK_MEMORY_OBJECT, blockLabel, memoryObject);
  block.address(linkInfo + LINK_THREAD_START, k.threadStart);
  block.address(linkInfo + LINK_COPY_CHECKED_START, k.checkedStart);
  block.address(linkInfo + LINK_COPY_CHECKED_END, k.copyCheckedEnd);
  block.address(linkInfo + LINK_COPY_CHECKED_FIXUP, k.copyCheckedFixup);
  block.address(linkInfo + LINK_FAST_PATHS, blockLabel, fastPaths);

  // The native fast paths' records: entry and end here (0: none), the fallback written by the kernel (syscall/table.ts).
  for (let i = 0; i < FAST_PATH_COUNT && k.fastPathResume >= 0; i++) {
    block.address(fastPaths + i * FAST_PATH_RECORD_SIZE + FAST_PATH_ENTRY, k.fastPathEntries[i]);
    block.address(fastPaths + i * FAST_PATH_RECORD_SIZE + FAST_PATH_END, k.fastPathEnds[i]);
  }
  // Their switches' fs-base writes, which the kernel rewrites to wrfsbase when the CPU has it (fs-base.ts).
  if (k.fastPathResume >= 0) {
    block.address(linkInfo + LINK_FS_BASE_SITES, blockLabel, fsBaseSites);
    block.put64(linkInfo + LINK_FS_BASE_PATCH, fsBasePatch());
    for (let i = 0; i < FS_BASE_SITE_COUNT; i++) block.address(fsBaseSites + i * 8, k.fsBaseSites[i]);
  }

  // Runtime services.
  block.address(services + RT_MEMORY_GROW, k.memoryGrow);
  block.address(services + RT_TRAP, k.trap);
  block.address(services + RT_INVOKE, k.invoke);
  block.address(services + RT_COPY_CHECKED, k.copyChecked);

  // Memory object: reserved like any component's memory; its base never moves.
  const limits = component.memories[0];
  block.address(memoryObject + MEMORY_BASE, k.memory);
  block.put64(memoryObject + MEMORY_LENGTH, <u64>limits.min * <u64>PAGE_SIZE);
  block.put64(memoryObject + MEMORY_MAX_PAGES, limits.hasMax ? <u64>limits.max : 65536);
  block.put64(memoryObject + MEMORY_RESERVED, GUARD_RESERVATION);

  // Table object and elements.
  if (component.tables.length > 0) {
    const table = component.tables[0].limits;
    block.address(tableObject + TABLE_ELEMENTS, blockLabel, elements);
    block.put64(tableObject + TABLE_LENGTH, <u64>table.min);
    block.put64(tableObject + TABLE_MAX, <u64>table.min);
    block.address(vmctx + VMCTX_TABLE, blockLabel, tableObject);
  }

  // vmctx.
  const layout = component.layout;
  block.address(vmctx + VMCTX_MEMORY_BASE, k.memory);
  block.address(vmctx + VMCTX_MEMORY, blockLabel, memoryObject);
  block.address(vmctx + VMCTX_RUNTIME, blockLabel, services);
  const ids = typeIds(component);
  for (let i = 0; i < ids.length; i++) block.put64(vmctx + layout.typeId(<u32>i), ids[i]);
  for (let g = 0; g < component.globalInits.length; g++) {
    const init = component.globalInits[g];
    let value: u64 = init.bits;
    if (init.kind == ConstKind.I32 || init.kind == ConstKind.F32) value = <u64><u32>init.bits;
    if (init.kind == ConstKind.RefNull) value = 0;
    block.put64(vmctx + layout.global(component.numImportedGlobals + <u32>g), value);
  }
  for (let i = 0; i < component.datas.length; i++) {
    if (component.datas[i].mode == SegmentMode.Active) block.put64(vmctx + layout.dataSegment(<u32>i), 1);
  }
  for (let i = 0; i < component.elements.length; i++) {
    const segment = component.elements[i];
    if (segment.mode == SegmentMode.Passive) continue;
    block.put64(vmctx + layout.elemSegment(<u32>i), 1);
    if (segment.mode != SegmentMode.Active) continue;
    const offset = <i32><u32>segment.offset.bits;
    for (let j = 0; j < segment.items.length; j++) {
      const item = segment.items[j];
      if (item.kind != ConstKind.RefFunc) continue;
      const element = elements + (offset + j) * ELEMENT_SIZE;
      block.put64(element + ELEMENT_TYPE_ID, ids[component.funcTypes[item.index]]);
      block.address(element + ELEMENT_CODE, k.functionLabel(item.index));
      block.address(element + ELEMENT_VMCTX, blockLabel, vmctx);
    }
  }

  // Thread blocks: each knows its own address and its stack's limit.
  block.address(mainThreadBlock + THREAD_SELF, blockLabel, mainThreadBlock);
  block.address(mainThreadBlock + THREAD_STACK_LIMIT, k.mainStack, STACK_GUARD_SIZE + MAIN_STACK_HEADROOM);
  for (let i = 0; i < IST_COUNT; i++) {
    const thread = istThreadBlocks + i * THREAD_BLOCK_SIZE;
    block.address(thread + THREAD_SELF, blockLabel, thread);
    block.address(thread + THREAD_STACK_LIMIT, k.istStacks, i * (STACK_GUARD_SIZE + IST_STACK_SIZE) + STACK_GUARD_SIZE + IST_STACK_HEADROOM);
  }
  block.place(4096);
}
