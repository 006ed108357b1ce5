// Page-aligned room in a component's own linear memory, for memory.map of
// a state or memory object: a mapping starts on a page and lies inside the
// memory's current length. Taken from the heap, never given back, with a
// page of slack so that the allocator never hands out the same bytes.

import { PAGE_SIZE } from "../../ipc/generated/index";

/** `bytes` rounded up to whole pages. */
export function pageRounded(bytes: u32): u32 { return (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }

/** The address of `bytes` (rounded up to pages) of page-aligned memory of this component. */
export function pageAligned(bytes: u32): usize {
  const start = heap.alloc(<usize>pageRounded(bytes) + <usize>PAGE_SIZE);
  return (start + <usize>PAGE_SIZE - 1) & ~(<usize>PAGE_SIZE - 1);
}
