// Page-aligned room in a component's own linear memory, for memory.map:
// a mapping must start on a page and lie inside the memory's current
// length. Taken from the heap (never given back) with a page of slack, so
// that the runtime's allocator never hands out the same bytes.

import { PAGE_SIZE } from "../../../ipc/generated/index";

/** The address of `bytes` (rounded up to pages) of page-aligned memory of this component. */
export function pageAligned(bytes: u32): usize {
  const rounded = (<usize>bytes + <usize>PAGE_SIZE - 1) & ~(<usize>PAGE_SIZE - 1);
  const start = heap.alloc(rounded + <usize>PAGE_SIZE);
  return (start + <usize>PAGE_SIZE - 1) & ~(<usize>PAGE_SIZE - 1);
}
