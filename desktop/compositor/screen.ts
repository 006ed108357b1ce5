// The screen the compositor shows its frames on: a back buffer it composes
// into (a memory object of its own, so that window.frame can hand it out),
// and the framebuffer the display driver scans out, when there is one. The
// display protocol's client fills `attach` with the driver's framebuffer
// memory object and mode; until then the frames stay in the back buffer.
// Only the rectangles composed are copied to the framebuffer.

import { Handle, handleClose, memoryCreate, memoryMap, memoryUnmap } from "../../ipc/generated/system";
import { MAP_WRITABLE, PAGE_SIZE } from "../../ipc/generated/abi";
import { Rect, Surface } from "../lib/surface";

function alignUp(value: usize): usize { return (value + <usize>PAGE_SIZE - 1) & ~(<usize>PAGE_SIZE - 1); }

/** Maps `bytes` of memory object `memory` into fresh page-aligned room: the mapping's address, or 0. */
export function mapObject(memory: Handle, bytes: u32, flags: u32): usize {
  const length = <u32>alignUp(bytes);
  const region = heap.alloc(<usize>length + <usize>PAGE_SIZE);
  if (memoryMap(memory, <u32>alignUp(region), length, flags) < 0) { heap.free(region); return 0; }
  regions.set(alignUp(region), region);
  return alignUp(region);
}

/** Undoes mapObject. */
export function unmapObject(address: usize, bytes: u32): void {
  memoryUnmap(<u32>address, <u32>alignUp(bytes));
  if (regions.has(address)) { heap.free(regions.get(address)); regions.delete(address); }
}

/** Each mapping's address to the heap block it lies in. */
const regions = new Map<usize, usize>();

export class Screen {
  /** The back buffer's memory object (0 when it could not be made). */
  readonly memory: Handle;
  readonly back: Surface;
  private framebuffer: Surface | null = null;
  private framebufferMemory: Handle = 0;
  private framebufferBytes: u32 = 0;

  constructor(readonly width: i32, readonly height: i32) {
    const bytes = <u32>width * <u32>height * 4;
    const memory = memoryCreate(bytes);
    const address = memory > 0 ? mapObject(memory, bytes, MAP_WRITABLE) : 0;
    this.memory = address != 0 ? memory : 0;
    this.back = address != 0 ? new Surface(address, width, height, width * 4) : Surface.allocate(width, height);
  }

  /**
   * Shows frames on the display driver's framebuffer from now on: `memory`
   * mapped writable, `width` × `height` pixels `stride` bytes apart (it must
   * be the back buffer's size). False when it cannot be mapped.
   */
  attach(memory: Handle, width: i32, height: i32, stride: i32): bool {
    if (width != this.width || height != this.height || stride < width * 4) return false;
    const bytes = <u32>stride * <u32>height;
    const address = mapObject(memory, bytes, MAP_WRITABLE);
    if (address == 0) return false;
    this.detach();
    this.framebuffer = new Surface(address, width, height, stride);
    this.framebufferMemory = memory;
    this.framebufferBytes = bytes;
    this.present([this.back.bounds]);
    return true;
  }

  /** Frames show on the display's framebuffer. */
  get attached(): bool { return this.framebuffer != null; }

  /** Stops showing frames on the framebuffer (the display driver went away). */
  detach(): void {
    const framebuffer = this.framebuffer;
    if (framebuffer == null) return;
    unmapObject(framebuffer.pixels, this.framebufferBytes);
    handleClose(this.framebufferMemory);
    this.framebuffer = null;
  }

  /** Copies the composed rectangles to the framebuffer, if there is one. */
  present(rects: Rect[]): void {
    const framebuffer = this.framebuffer;
    if (framebuffer == null) return;
    for (let i = 0; i < rects.length; i++) framebuffer.copyFrom(this.back, rects[i], rects[i].x, rects[i].y);
  }
}
