// x86-64 four-level page tables: one root (PML4) with tables allocated from
// the frame allocator and reached through phys(). Maps 4 KiB and 2 MiB pages;
// intermediate tables are created writable and executable, so a leaf's
// flags alone decide what its memory allows.

import { allocateZeroedFrame, freeFrame } from "../../memory/frames";
import { phys } from "../../memory/physical";
import { load64, store64 } from "./native";
import { cpuid, invlpg, rdmsr, readCr0, writeCr0, writeCr3, wrmsr, MSR_EFER } from "./cpu";

export const PRESENT: u64 = 1;
export const WRITABLE: u64 = 2;
export const WRITE_THROUGH: u64 = 8;
export const CACHE_DISABLE: u64 = 16;
export const HUGE: u64 = 128;
export const GLOBAL: u64 = 256;
export const NO_EXECUTE: u64 = <u64>1 << 63;
const ADDRESS_MASK: u64 = 0x000ffffffffff000;
const EFER_NXE: i64 = 1 << 11;
const CR0_WP: i64 = 1 << 16;

export const SMALL_PAGE: u64 = 4096;
export const LARGE_PAGE: u64 = 2 << 20;

let root: u64 = 0;
let noExecute: bool = false;
let tableFrames: u64 = 0;

export function tableFrameCount(): u64 { return tableFrames; }
export function rootTable(): u64 { return root; }

/** Starts an empty address space; false when no frame is left. */
export function createRoot(): bool {
  root = allocateZeroedFrame();
  if (root == 0) return false;
  tableFrames = 1;
  // The NX bit is reserved (a fault) unless the CPU has it and EFER.NXE is on.
  noExecute = (cpuid(0x80000001, 0, 3) & (1 << 20)) != 0;
  return true;
}

/** `flags` without NO_EXECUTE when the CPU lacks it. */
function effective(flags: u64): u64 {
  return noExecute ? flags : flags & ~NO_EXECUTE;
}

/** The table the entry at `entryAddress` points to, created when absent; 0 when out of frames or the entry maps a large page. */
function nextTable(entryAddress: i64): u64 {
  const entry = <u64>load64(entryAddress);
  if ((entry & PRESENT) != 0) return (entry & HUGE) != 0 ? 0 : entry & ADDRESS_MASK;
  const table = allocateZeroedFrame();
  if (table == 0) return 0;
  tableFrames++;
  store64(entryAddress, <i64>(table | PRESENT | WRITABLE));
  return table;
}

function index(virtual: u64, level: i32): i64 {
  return <i64>((virtual >> <u64>(12 + 9 * level)) & 511) * 8;
}

/** Maps one 4 KiB page; false when out of frames or a large page is in the way. */
export function mapPage(virtual: u64, physical: u64, flags: u64): bool {
  let table = root;
  for (let level = 3; level > 0; level--) {
    table = nextTable(phys(table) + index(virtual, level));
    if (table == 0) return false;
  }
  store64(phys(table) + index(virtual, 0), <i64>((physical & ADDRESS_MASK) | effective(flags) | PRESENT));
  invlpg(<i64>virtual);
  return true;
}

/**
 * An absent page's entry that keeps its page table: not present (an access
 * faults), yet not zero, so that unmapping a neighbour never finds the
 * table empty and gives it back (bit 9 is the software's).
 */
const PINNED: u64 = 1 << 9;

/**
 * Keeps the page table that maps `virtual` (an unmapped 4 KiB page) for as
 * long as the pin stays: pages mapped later anywhere in that table's 2 MiB
 * need no new table. False when out of frames.
 */
export function pinTable(virtual: u64): bool {
  let table = root;
  for (let level = 3; level > 0; level--) {
    table = nextTable(phys(table) + index(virtual, level));
    if (table == 0) return false;
  }
  const at = phys(table) + index(virtual, 0);
  if (load64(at) == 0) store64(at, <i64>PINNED);
  return true;
}

/** Takes back pinTable's pin of `virtual`'s table (the table goes when unmapping finds it empty). */
export function unpinTable(virtual: u64): void {
  let table = root;
  for (let level = 3; level > 0; level--) {
    const entry = <u64>load64(phys(table) + index(virtual, level));
    if ((entry & PRESENT) == 0 || (entry & HUGE) != 0) return;
    table = entry & ADDRESS_MASK;
  }
  const at = phys(table) + index(virtual, 0);
  if (<u64>load64(at) == PINNED) store64(at, 0);
}

/** Maps one 2 MiB page (both addresses 2 MiB aligned). */
export function mapLargePage(virtual: u64, physical: u64, flags: u64): bool {
  let table = root;
  for (let level = 3; level > 1; level--) {
    table = nextTable(phys(table) + index(virtual, level));
    if (table == 0) return false;
  }
  store64(phys(table) + index(virtual, 1), <i64>((physical & ADDRESS_MASK) | effective(flags) | PRESENT | HUGE));
  return true;
}

/** The physical address `virtual` maps to, or -1 when it is not mapped. */
export function translate(virtual: u64): i64 {
  let table = root;
  for (let level = 3; level >= 0; level--) {
    const entry = <u64>load64(phys(table) + index(virtual, level));
    if ((entry & PRESENT) == 0) return -1;
    if (level == 0 || (entry & HUGE) != 0) {
      const pageMask = (<u64>1 << <u64>(12 + 9 * level)) - 1;
      return <i64>((entry & ADDRESS_MASK & ~pageMask) | (virtual & pageMask));
    }
    table = entry & ADDRESS_MASK;
  }
  return -1;
}

/**
 * Switches to these tables: enables the NX bit's meaning when the CPU has
 * it and write protection in ring 0 (read-only pages are read-only for the
 * kernel too), then loads CR3.
 */
export function activate(): void {
  if (noExecute) wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
  writeCr0(readCr0() | CR0_WP);
  writeCr3(<i64>root);
}

export function hasNoExecute(): bool { return noExecute; }

/** Rewrites the flags of the 4 KiB page mapping `virtual` (keeping its frame); false when it is not mapped so. */
export function setPageFlags(virtual: u64, flags: u64): bool {
  let table = root;
  for (let level = 3; level > 0; level--) {
    const entry = <u64>load64(phys(table) + index(virtual, level));
    if ((entry & PRESENT) == 0 || (entry & HUGE) != 0) return false;
    table = entry & ADDRESS_MASK;
  }
  const at = phys(table) + index(virtual, 0);
  const entry = <u64>load64(at);
  if ((entry & PRESENT) == 0) return false;
  store64(at, <i64>((entry & ADDRESS_MASK) | effective(flags) | PRESENT));
  invlpg(<i64>virtual);
  return true;
}

let unmappedCount: u64 = 0;

function tableIsEmpty(table: u64): bool {
  const base = phys(table);
  for (let at: i64 = 0; at < 4096; at += 8) if (load64(base + at) != 0) return false;
  return true;
}

/**
 * Unmaps the 4 KiB pages of [start, end) in `table` (a table of `level`
 * whose first entry maps `base`), skipping what is not mapped; gives back
 * each frame when `freeFrames`, and every table below that ends up empty.
 * True when `table` itself is empty afterwards.
 */
function unmapLevel(table: u64, level: i32, base: u64, start: u64, end: u64, freeFrames: bool): bool {
  const span = <u64>1 << <u64>(12 + 9 * level);
  const first = <i32>((start - base) / span);
  const last = <i32>((end - 1 - base) / span);
  const address = phys(table);
  for (let i = first; i <= last; i++) {
    const at = address + <i64>i * 8;
    const entry = <u64>load64(at);
    if ((entry & PRESENT) == 0) continue;
    const entryBase = base + <u64>i * span;
    if (level == 0) {
      if (freeFrames) freeFrame(entry & ADDRESS_MASK);
      unmappedCount++;
      store64(at, 0);
      invlpg(<i64>entryBase);
      continue;
    }
    if ((entry & HUGE) != 0) continue;
    const from = start > entryBase ? start : entryBase;
    const to = end < entryBase + span ? end : entryBase + span;
    if (unmapLevel(entry & ADDRESS_MASK, level - 1, entryBase, from, to, freeFrames)) {
      freeFrame(entry & ADDRESS_MASK);
      tableFrames--;
      store64(at, 0);
    }
  }
  return tableIsEmpty(table);
}

/**
 * Unmaps [start, end) (4 KiB aligned, in the lower half, no large pages):
 * the frames mapped there go back to the allocator when `freeFrames`, and
 * so does every page-table page that no longer maps anything. Returns how
 * many pages were mapped there.
 */
export function unmapRange(start: u64, end: u64, freeFrames: bool): u64 {
  if (end <= start) return 0;
  unmappedCount = 0;
  unmapLevel(root, 3, 0, start, end, freeFrames);
  return unmappedCount;
}
