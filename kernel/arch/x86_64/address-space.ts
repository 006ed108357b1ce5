// The kernel's address space (docs/kernel.md, "Virtual memory"):
//
//   [image base, image end)   BOOTX64.EFI identity-mapped, section by
//                             section: .text read/execute, the rest
//                             read/write/no-execute, stack guard pages and
//                             .reloc left out
//   image end ...             the kernel's linear memory grows here, up to
//                             its 8 GiB + 64 KiB guard reservation
//   0xffff800000000000        the direct map of physical memory, 2 MiB
//                             pages, no-execute; RAM write-back, the rest
//                             uncached (devices)
//
// Everything else is unmapped: a null pointer, a stray pointer or a stack
// overflow faults.

import { INFO_FRAMEBUFFER_BASE, INFO_FRAMEBUFFER_SIZE, INFO_IMAGE_BASE } from "./boot/boot-info";
import { boot, link } from "./handoff";
import {
  IST_COUNT, IST_STACK_SIZE, LINK_IST_STACKS, LINK_MAIN_STACK, STACK_GUARD_SIZE,
} from "./link-info";
import { isRamType, regionCount, regionEnd, regionStart, regionType } from "./memory-map";
import { load32 } from "./native";
import {
  CACHE_DISABLE, LARGE_PAGE, NO_EXECUTE, SMALL_PAGE, WRITABLE, WRITE_THROUGH, mapLargePage, mapPage,
} from "./paging";

export const DIRECT_MAP_BASE: u64 = 0xffff800000000000;
const FOUR_GIB: u64 = <u64>4 << 30;
const SECTION_EXECUTE: u32 = 0x20000000;
const SECTION_DISCARDABLE: u32 = 0x02000000;

let directMapEnd: u64 = 0;
export function directMapSize(): u64 { return directMapEnd; }

/** Highest physical address to map: the end of the memory map and of the framebuffer, at least 4 GiB (devices). */
function physicalTop(): u64 {
  let top = FOUR_GIB;
  for (let i = 0; i < regionCount(); i++) top = max(top, regionEnd(i));
  top = max(top, <u64>boot(INFO_FRAMEBUFFER_BASE) + <u64>boot(INFO_FRAMEBUFFER_SIZE));
  return (top + LARGE_PAGE - 1) & ~(LARGE_PAGE - 1);
}

function overlapsRam(start: u64, end: u64): bool {
  for (let i = 0; i < regionCount(); i++) {
    if (isRamType(regionType(i)) && regionStart(i) < end && regionEnd(i) > start) return true;
  }
  return false;
}

export function mapDirectMap(): bool {
  directMapEnd = physicalTop();
  for (let address: u64 = 0; address < directMapEnd; address += LARGE_PAGE) {
    let flags = WRITABLE | NO_EXECUTE;
    if (!overlapsRam(address, address + LARGE_PAGE)) flags |= CACHE_DISABLE | WRITE_THROUGH;
    if (!mapLargePage(DIRECT_MAP_BASE + address, address, flags)) return false;
  }
  return true;
}

/** True for the guard page below the main stack or below an IST stack. */
function isGuardPage(address: u64): bool {
  if (address == <u64>link(LINK_MAIN_STACK)) return true;
  const ist = <u64>link(LINK_IST_STACKS);
  for (let i = 0; i < IST_COUNT; i++) {
    if (address == ist + <u64>(i * (STACK_GUARD_SIZE + IST_STACK_SIZE))) return true;
  }
  return false;
}

function mapRange(start: u64, end: u64, flags: u64): bool {
  for (let address = start; address < end; address += SMALL_PAGE) {
    if (isGuardPage(address)) continue;
    if (!mapPage(address, address, flags)) return false;
  }
  return true;
}

/**
 * Maps BOOTX64.EFI where the firmware loaded it, reading the PE section
 * table the firmware left in memory at the image base.
 */
export function mapImage(): bool {
  const base = <u64>boot(INFO_IMAGE_BASE);
  if (!mapRange(base, base + SMALL_PAGE, NO_EXECUTE)) return false;
  const pe = base + <u64>load32(<i64>(base + 0x3c));
  const count = <i32>(load32(<i64>(pe + 6)) & 0xffff);
  const optionalSize = <u64>(load32(<i64>(pe + 20)) & 0xffff);
  const table = pe + 24 + optionalSize;
  for (let i = 0; i < count; i++) {
    const header = table + <u64>(40 * i);
    const characteristics = <u32>load32(<i64>(header + 36));
    if ((characteristics & SECTION_DISCARDABLE) != 0) continue; // .reloc: the firmware is done with it
    const size = (<u64><u32>load32(<i64>(header + 8)) + SMALL_PAGE - 1) & ~(SMALL_PAGE - 1);
    const start = base + <u64><u32>load32(<i64>(header + 12));
    const flags = (characteristics & SECTION_EXECUTE) != 0 ? 0 : WRITABLE | NO_EXECUTE;
    if (!mapRange(start, start + size, flags)) return false;
  }
  return true;
}
