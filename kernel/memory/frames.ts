//! The physical frame allocator: 4 KiB frames from the free memory of the
//! UEFI memory map.
//!
//! Free memory is kept as up to MAX_RANGES ranges [start, end), handed out
//! from the start of the first non-empty one, plus a stack of frames given
//! back, linked through their first 8 bytes (reached through the direct
//! map). Nothing here uses the heap: the heap grows on frames from here.
//!
//! Contiguous runs (memory for DMA) come from the start of the first range
//! long enough; frames given back go to the stack one by one, so a run is
//! never rebuilt from freed frames: enough for drivers' rings and buffers,
//! made once per driver instance.
//!
//! Missing: NUMA, and reclaiming the image's
//! loader memory once the payload has been read.

import { phys } from "./physical";
import { copy, load64, store64 } from "../arch/x86_64/native";

export const FRAME_SIZE: u64 = 4096;
const MAX_RANGES: i32 = 256;

const ranges = memory.data(16 * MAX_RANGES, 16);
let rangeCount: i32 = 0;
let freeStack: u64 = 0;
let freeStackCount: u64 = 0;
let allocatedCount: u64 = 0;
/** Pages of free memory dropped because the range table was full. */
let droppedPages: u64 = 0;

function rangeStart(i: i32): u64 { return load<u64>(ranges + <usize>(16 * i)); }
function rangeEnd(i: i32): u64 { return load<u64>(ranges + <usize>(16 * i + 8)); }
function setRangeStart(i: i32, value: u64): void { store<u64>(ranges + <usize>(16 * i), value); }

/** Adds [start, end) (rounded inwards to whole frames) to the free memory; merges with a range it continues. */
export function addFreeRange(start: u64, end: u64): void {
  start = (start + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
  end &= ~(FRAME_SIZE - 1);
  if (end <= start) return;
  for (let i = 0; i < rangeCount; i++) {
    if (rangeEnd(i) == start) { store<u64>(ranges + <usize>(16 * i + 8), end); return; }
  }
  if (rangeCount == MAX_RANGES) { droppedPages += (end - start) / FRAME_SIZE; return; }
  setRangeStart(rangeCount, start);
  store<u64>(ranges + <usize>(16 * rangeCount + 8), end);
  rangeCount++;
}

/** A free frame's physical address, or 0 when none is left. Not zeroed. */
export function allocateFrame(): u64 {
  if (freeStack != 0) {
    const frame = freeStack;
    freeStack = <u64>load64(phys(frame));
    freeStackCount--;
    allocatedCount++;
    return frame;
  }
  for (let i = 0; i < rangeCount; i++) {
    const start = rangeStart(i);
    if (start < rangeEnd(i)) {
      setRangeStart(i, start + FRAME_SIZE);
      allocatedCount++;
      return start;
    }
  }
  return 0;
}

/** The first of `count` free, physically contiguous frames, not zeroed; 0 when no range has that many. */
export function allocateContiguous(count: u64): u64 {
  if (count == 0) return 0;
  for (let i = 0; i < rangeCount; i++) {
    const start = rangeStart(i);
    if (rangeEnd(i) - start >= count * FRAME_SIZE) {
      setRangeStart(i, start + count * FRAME_SIZE);
      allocatedCount += count;
      return start;
    }
  }
  return 0;
}

/**
 * A frame of zeros the allocator keeps for good, which allocateZeroedFrame
 * copies: one `rep movsq` of 512 quadwords instead of a loop of 512 stores,
 * a quarter of the instructions for every page a component's memory, a
 * stack or a page table gets. Nothing else maps or writes it.
 */
let zeroFrame: u64 = 0;

/** A free frame filled with zeros, or 0. */
export function allocateZeroedFrame(): u64 {
  if (zeroFrame == 0) {
    const zeros = allocateFrame();
    if (zeros == 0) return 0;
    const address = phys(zeros);
    for (let at: i64 = 0; at < <i64>FRAME_SIZE; at += 8) store64(address + at, 0);
    zeroFrame = zeros;
  }
  const frame = allocateFrame();
  if (frame == 0) return 0;
  copy(phys(frame), phys(zeroFrame), <i64>FRAME_SIZE);
  return frame;
}

export function freeFrame(frame: u64): void {
  store64(phys(frame), <i64>freeStack);
  freeStack = frame;
  freeStackCount++;
  allocatedCount--;
}

export function freeFrameCount(): u64 {
  let count = freeStackCount;
  for (let i = 0; i < rangeCount; i++) count += (rangeEnd(i) - rangeStart(i)) / FRAME_SIZE;
  return count;
}

export function allocatedFrameCount(): u64 { return allocatedCount; }
export function droppedFramePages(): u64 { return droppedPages; }
