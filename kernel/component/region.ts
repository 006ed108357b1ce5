// The part of the address space where components live (docs/kernel.md,
// "Virtual memory"), handed out as regions:
//
//   0x0000010000000000 (1 TiB)   small regions: component code, thread
//   .. 0x0000020000000000        stacks (each above a guard page)
//   0x0000020000000000 (2 TiB)   linear memories: one 16 GiB slot each, the
//   .. 0x00007f0000000000        8 GiB + 64 KiB guard reservation and more
//                                unmapped space after it
//
// A region is reserved inaccessible; pages become accessible when mapped
// (fresh zeroed frames) and inaccessible again when unmapped, their frames
// going back to the allocator. Releasing a region unmaps all of it, which
// also gives back the page-table pages that mapped it. Only kernel code
// runs here (interrupts off), so none of this needs a lock.
//
// The regions of what ended (a component's memory, a dead thread's stack)
// are released later, not at the end (releaseRegionLater): unmapping a
// linear memory walks its page tables and frees every frame, most of the
// kernel's work in a component's end, and nothing of it is needed for a
// restart, whose new instance (a warm spare) should serve first. A region
// waiting to go back stays reserved, so its addresses are not handed out
// again, and its frames count as in use; nothing runs or reads there any
// more (the component's threads and mappings are gone). The waiting
// regions go back, oldest first: in the idle loop, one per turn
// (releaseWaitingRegion, kernel/main.ts); all of them before any region is
// reserved, so that addresses are handed out as if each had gone back at
// its end; and all of them when mapping runs out of frames.

import { NO_EXECUTE, SMALL_PAGE, WRITABLE, mapPage, setPageFlags, translate, unmapRange } from "../arch/x86_64/paging";
import { allocateZeroedFrame, freeFrame } from "../memory/frames";

const SMALL_START: u64 = <u64>1 << 40;
const SMALL_END: u64 = <u64>2 << 40;
const MEMORY_START: u64 = <u64>2 << 40;
const MEMORY_END: u64 = <u64>0x7f << 40;
/** A linear memory's slot: its guard reservation fits with room to spare. */
export const MEMORY_SLOT: u64 = <u64>16 << 30;
/** Small regions larger than this go to a memory slot. */
const SMALL_LIMIT: u64 = <u64>1 << 30;
/** Unmapped space left after each small region, so that running off its end faults. */
const GAP: u64 = SMALL_PAGE;

/** Page access for mapRegionPages and protectRegionPages. */
export const enum PageAccess {
  ReadWrite = 1,
  ReadExecute = 2,
  /** Readable only: neither written nor run (code no live component uses). */
  ReadOnly = 3,
}

// Small regions: free ranges, first fit; memory slots: a free list of slot numbers.
const freeStarts = new Array<u64>();
const freeEnds = new Array<u64>();
let nextSlot: u64 = 0;
const freeSlots = new Array<u64>();
// Live regions: base and size, to release by base.
const regionBases = new Array<u64>();
const regionSizes = new Array<u64>();
let mappedPages: u64 = 0;
// Regions waiting to go back (releaseRegionLater), oldest first.
const waitingBases = new Array<u64>();
let waitingFirst: i32 = 0;

function roundUp(bytes: u64): u64 { return (bytes + SMALL_PAGE - 1) & ~(SMALL_PAGE - 1); }

/** Pages mapped in component regions now. */
export function regionPages(): u64 { return mappedPages; }

/** Reserves `bytes` of inaccessible address space; 0 when none is left. */
export function reserveRegion(bytes: u64): u64 {
  releaseWaitingRegions();
  if (bytes == 0) bytes = SMALL_PAGE;
  const size = roundUp(bytes);
  let base: u64 = 0;
  if (size > SMALL_LIMIT) {
    if (size > MEMORY_SLOT) return 0;
    if (freeSlots.length > 0) base = freeSlots.pop();
    else {
      base = MEMORY_START + nextSlot * MEMORY_SLOT;
      if (base + MEMORY_SLOT > MEMORY_END) return 0;
      nextSlot++;
    }
  } else {
    if (freeStarts.length == 0) { freeStarts.push(SMALL_START); freeEnds.push(SMALL_END); }
    for (let i = 0; i < freeStarts.length; i++) {
      if (freeEnds[i] - freeStarts[i] < size + GAP) continue;
      base = freeStarts[i];
      freeStarts[i] = base + size + GAP;
      break;
    }
    if (base == 0) return 0;
  }
  regionBases.push(base);
  regionSizes.push(size);
  return base;
}

function findRegion(base: u64): i32 {
  for (let i = 0; i < regionBases.length; i++) if (regionBases[i] == base) return i;
  return -1;
}

/** The region holding `address`: its base, or 0. */
export function regionOf(address: u64): u64 {
  for (let i = 0; i < regionBases.length; i++) {
    if (address >= regionBases[i] && address - regionBases[i] < regionSizes[i]) return regionBases[i];
  }
  return 0;
}

/** Unmaps a whole region (frames and page tables go back) and makes its space reservable again. */
export function releaseRegion(base: u64): void {
  const index = findRegion(base);
  if (index < 0) return;
  const size = regionSizes[index];
  unmapRegionPages(base, size);
  regionBases.splice(index, 1);
  regionSizes.splice(index, 1);
  if (size > SMALL_LIMIT) {
    freeSlots.push(base);
    return;
  }
  // Give the range (and its gap) back; join it to a free range it touches.
  const end = base + size + GAP;
  for (let i = 0; i < freeStarts.length; i++) {
    if (freeStarts[i] == end) { freeStarts[i] = base; return; }
    if (freeEnds[i] == base) { freeEnds[i] = end; return; }
  }
  freeStarts.push(base);
  freeEnds.push(end);
}

/**
 * Releases the region at `base` later, in the background (the file's
 * header): what ended holds nothing there any more. Until then it stays
 * reserved and mapped.
 */
export function releaseRegionLater(base: u64): void {
  waitingBases.push(base);
}

/** True while the region at `base` waits to go back. */
export function regionWaits(base: u64): bool {
  for (let i = waitingFirst; i < waitingBases.length; i++) if (waitingBases[i] == base) return true;
  return false;
}

/** Releases the oldest region waiting to go back: false when none waits. */
export function releaseWaitingRegion(): bool {
  if (waitingFirst >= waitingBases.length) return false;
  const base = waitingBases[waitingFirst++];
  if (waitingFirst == waitingBases.length) {
    waitingBases.length = 0;
    waitingFirst = 0;
  }
  releaseRegion(base);
  return true;
}

/** Releases every region waiting to go back. */
export function releaseWaitingRegions(): void {
  while (releaseWaitingRegion()) {}
}

function flagsFor(access: PageAccess): u64 {
  if (access == PageAccess.ReadWrite) return WRITABLE | NO_EXECUTE;
  return access == PageAccess.ReadOnly ? NO_EXECUTE : 0;
}

/** Maps fresh zeroed frames over [address, address + bytes) where nothing is mapped, and sets the access of what is; false when out of frames. */
export function mapRegionPages(address: u64, bytes: u64, access: PageAccess): bool {
  const flags = flagsFor(access);
  const end = address + roundUp(bytes);
  for (let page = address; page < end; page += SMALL_PAGE) {
    if (translate(page) >= 0) { setPageFlags(page, flags); continue; }
    if (!mapFreshPage(page, flags)) {
      // Out of frames: what waits to go back goes now, and the page is tried once more.
      if (waitingFirst >= waitingBases.length) return false;
      releaseWaitingRegions();
      if (!mapFreshPage(page, flags)) return false;
    }
    mappedPages++;
  }
  return true;
}

/** Maps a fresh zeroed frame at `page`: false when out of frames (for the frame or a page table). */
function mapFreshPage(page: u64, flags: u64): bool {
  const frame = allocateZeroedFrame();
  if (frame == 0) return false;
  if (!mapPage(page, frame, flags)) { freeFrame(frame); return false; }
  return true;
}

/** Unmaps [address, address + bytes), giving back frames and empty page tables. */
export function unmapRegionPages(address: u64, bytes: u64): void {
  mappedPages -= unmapRange(address, address + roundUp(bytes), true);
}
