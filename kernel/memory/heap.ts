//! The kernel heap: AssemblyScript's own allocator (TLSF, with its
//! incremental collector) running in the kernel's linear memory, which
//! grows on frames the kernel maps.
//!
//! The linear memory starts as the image's .kmem section (its initial pages,
//! enough for the early boot) and grows past the image's end, where the
//! address space keeps its guard reservation free. memory.grow reaches
//! growMemory through the link's RT_MEMORY_GROW stub; it runs in the middle
//! of an allocation, so nothing here may allocate.

import { MEMORY_BASE, MEMORY_LENGTH, MEMORY_MAX_PAGES, MEMORY_RESERVED, PAGE_SIZE } from "../../sdk/compiler/src/abi";
import { link } from "../arch/x86_64/handoff";
import { LINK_MEMORY_OBJECT } from "../arch/x86_64/link-info";
import { load64, store64 } from "../arch/x86_64/native";
import { NO_EXECUTE, SMALL_PAGE, WRITABLE, mapPage } from "../arch/x86_64/paging";
import { allocateZeroedFrame } from "./frames";

let growable: bool = false;
let grownPages: u64 = 0;

/** From now on memory.grow maps frames (the kernel's own page tables are active). */
export function enableHeapGrowth(): void { growable = true; }

function memoryObject(): i64 { return link(LINK_MEMORY_OBJECT); }
export function heapBase(): u64 { return <u64>load64(memoryObject() + MEMORY_BASE); }
export function heapLength(): u64 { return <u64>load64(memoryObject() + MEMORY_LENGTH); }
export function heapGrownPages(): u64 { return grownPages; }

/** memory.grow of the kernel's memory: the old size in wasm pages, or -1. */
export function growHeap(deltaPages: i32): i32 {
  const object = memoryObject();
  const length = <u64>load64(object + MEMORY_LENGTH);
  const oldPages = length / <u64>PAGE_SIZE;
  if (deltaPages == 0) return <i32>oldPages;
  if (!growable || deltaPages < 0) return -1;
  const newLength = length + <u64>deltaPages * <u64>PAGE_SIZE;
  if (newLength / <u64>PAGE_SIZE > <u64>load64(object + MEMORY_MAX_PAGES)) return -1;
  if (newLength > <u64>load64(object + MEMORY_RESERVED)) return -1;
  const base = <u64>load64(object + MEMORY_BASE);
  for (let address = base + length; address < base + newLength; address += SMALL_PAGE) {
    const frame = allocateZeroedFrame();
    // Out of frames: what was mapped stays mapped past the length, unused; the next grow maps over it.
    if (frame == 0 || !mapPage(address, frame, WRITABLE | NO_EXECUTE)) return -1;
  }
  store64(object + MEMORY_LENGTH, <i64>newLength);
  grownPages += <u64>deltaPages;
  return <i32>oldPages;
}
