// Room for device memory in a driver's own linear memory. memory.map needs
// a page-aligned range inside the memory's current length. The range is a
// block the runtime's own allocator handed out and that is never freed, so
// no later allocation can overlap the mapping. (Growing the memory past the
// heap is not enough: the stub runtime's bump allocator goes on into memory
// grown by anyone, mapped pages included.)

import { memoryMap, MAP_WRITABLE, Handle } from "../../../ipc/generated/index";

const PAGE_MASK: u32 = 4095;

/** Maps `bytes` of memory object `handle` at memory of its own (writable unless `readOnly`): its address, or 0 when memory.map failed. */
export function mapFresh(handle: Handle, bytes: u32, readOnly: bool = false): usize {
  const length = (bytes + PAGE_MASK) & ~PAGE_MASK;
  const block = heap.alloc(<usize>length + <usize>PAGE_MASK);
  const address = (block + <usize>PAGE_MASK) & ~<usize>PAGE_MASK;
  return memoryMap(handle, <u32>address, length, readOnly ? 0 : MAP_WRITABLE) < 0 ? 0 : address;
}
