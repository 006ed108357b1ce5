// Room for device memory in a driver's own linear memory. memory.map needs
// a page-aligned range inside the memory's current length; growing the
// memory gives fresh wasm pages (64 KiB-aligned) that the runtime's
// allocator never hands out, so a mapping there cannot overlap the heap.

import { memoryMap, MAP_WRITABLE, Handle } from "../../../ipc/generated/index";

const WASM_PAGE: u32 = 65536;

/** Maps `bytes` of memory object `handle` at fresh memory (writable unless `readOnly`): its address, or 0 when memory.grow or memory.map failed. */
export function mapFresh(handle: Handle, bytes: u32, readOnly: bool = false): usize {
  const pages = (bytes + WASM_PAGE - 1) / WASM_PAGE;
  const previous = memory.grow(<i32>pages);
  if (previous < 0) return 0;
  const address = <usize>previous * <usize>WASM_PAGE;
  const length = (bytes + 4095) & ~<u32>4095;
  return memoryMap(handle, <u32>address, length, readOnly ? 0 : MAP_WRITABLE) < 0 ? 0 : address;
}
