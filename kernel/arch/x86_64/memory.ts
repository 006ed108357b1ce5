// Turning the UEFI memory map into free frames, and the account of where
// every page of the map went, which must add up (tests check it against
// the boot stub's own totals):
//
//   total = free + low + kept + reserved
//   free     conventional and boot-services memory at or above 1 MiB: the
//            frame allocator's (boot-services memory only once the kernel
//            runs on its own page tables: until then the firmware's page
//            tables and the stub's stack live there)
//   low      the same types below 1 MiB, kept for later (real-mode
//            trampolines for other processors)
//   kept     loader code and data: BOOTX64.EFI itself (with the boot info
//            and the memory map) and the payload
//   reserved everything else: firmware runtime, ACPI, devices

import * as console from "../../console";
import { addFreeRange, droppedFramePages, freeFrameCount } from "../../memory/frames";
import {
  BOOT_SERVICES_CODE, BOOT_SERVICES_DATA, CONVENTIONAL, LOADER_CODE, LOADER_DATA, MMIO, MMIO_PORT_SPACE, PAGE_SIZE,
  regionCount, regionPages, regionStart, regionType,
} from "./memory-map";

/** Reserved (type 0) and unusable (type 8) regions: not memory anybody was given. */
const RESERVED: u32 = 0;
const UNUSABLE: u32 = 8;

const LOW_MEMORY_END: u64 = 1 << 20;

/** Pages of a region at or above LOW_MEMORY_END. */
function highPages(index: i32): u64 {
  const start = regionStart(index);
  const end = start + regionPages(index) * PAGE_SIZE;
  if (end <= LOW_MEMORY_END) return 0;
  return (end - max(start, LOW_MEMORY_END)) / PAGE_SIZE;
}

/** Gives the frame allocator the free regions of the given types (above 1 MiB). */
function addRegionsOfType(first: u32, second: u32): void {
  for (let i = 0; i < regionCount(); i++) {
    const type = regionType(i);
    if (type != first && type != second) continue;
    const start = max(regionStart(i), LOW_MEMORY_END);
    const end = regionStart(i) + regionPages(i) * PAGE_SIZE;
    if (end > start) addFreeRange(start, end);
  }
}

/** Conventional memory: free from the start. */
export function addConventionalMemory(): void { addRegionsOfType(CONVENTIONAL, CONVENTIONAL); }

/** Boot-services code and data: free once the firmware's page tables and stack are no longer in use. */
export function addBootServicesMemory(): void { addRegionsOfType(BOOT_SERVICES_CODE, BOOT_SERVICES_DATA); }

/**
 * Does [start, end) overlap memory of the map — RAM of any use, firmware
 * runtime, ACPI tables — rather than device space? Device memory objects
 * (memory.device) may cover only reserved, unusable and MMIO regions and
 * what the map does not list (PCI apertures, the framebuffer).
 */
export function overlapsMemory(start: u64, end: u64): bool {
  if (memoryStarts.length == 0) collectMemory();
  for (let i = 0; i < memoryStarts.length; i++) {
    if (start < unchecked(memoryEnds[i]) && unchecked(memoryStarts[i]) < end) return true;
  }
  return false;
}

// The map's memory for overlapsMemory, its regions joined where one ends where the next begins: the map
// does not change after boot, and a driver's start asks (msg.bus_master, memory.device) about ranges the
// map's hundred-odd regions would be read for each time.
const memoryStarts = new Array<u64>();
const memoryEnds = new Array<u64>();

function collectMemory(): void {
  for (let i = 0; i < regionCount(); i++) {
    const type = regionType(i);
    if (type == RESERVED || type == UNUSABLE || type == MMIO || type == MMIO_PORT_SPACE) continue;
    const regionBegin = regionStart(i);
    const regionEnd = regionBegin + regionPages(i) * PAGE_SIZE;
    const last = memoryEnds.length - 1;
    if (last >= 0 && memoryEnds[last] == regionBegin) memoryEnds[last] = regionEnd;
    else {
      memoryStarts.push(regionBegin);
      memoryEnds.push(regionEnd);
    }
  }
  // A map without memory still gets an empty range, so that it is not read again.
  if (memoryStarts.length == 0) { memoryStarts.push(0); memoryEnds.push(0); }
}

/** Prints the account of the memory map. */
export function reportMemoryMap(): void {
  let total: u64 = 0, conventional: u64 = 0, bootServices: u64 = 0, low: u64 = 0, kept: u64 = 0, reserved: u64 = 0;
  const count = regionCount();
  for (let i = 0; i < count; i++) {
    const type = regionType(i);
    const pages = regionPages(i);
    total += pages;
    if (type == CONVENTIONAL || type == BOOT_SERVICES_CODE || type == BOOT_SERVICES_DATA) {
      const high = highPages(i);
      low += pages - high;
      if (type == CONVENTIONAL) conventional += high; else bootServices += high;
    } else if (type == LOADER_CODE || type == LOADER_DATA) {
      kept += pages;
    } else {
      reserved += pages;
    }
  }
  console.begin();
  console.text("memory: ");
  console.decimal(<u64>count);
  console.text(" regions, total ");
  console.decimal(total);
  console.text(" pages = free ");
  console.decimal(conventional + bootServices);
  console.text(" (conventional ");
  console.decimal(conventional);
  console.text(", boot services ");
  console.decimal(bootServices);
  console.text(") + low ");
  console.decimal(low);
  console.text(" + kept ");
  console.decimal(kept);
  console.text(" + reserved ");
  console.decimal(reserved);
  console.text(" pages; ");
  console.decimal((conventional + bootServices) * PAGE_SIZE >> 20);
  console.text(" MiB free");
  console.end();
  if (droppedFramePages() > 0) {
    console.begin();
    console.text("memory: the frame allocator's range table is full; ");
    console.decimal(droppedFramePages());
    console.text(" free pages left unused");
    console.end();
  }
}

export function reportFrames(what: string): void {
  console.begin();
  console.text("frames: ");
  console.decimal(freeFrameCount());
  console.text(" free ");
  console.text(what);
  console.end();
}
