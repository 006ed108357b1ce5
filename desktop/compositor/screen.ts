// The screen the compositor shows its frames on: a back buffer it composes
// into (a memory object, so that window.frame can hand it out), and the
// framebuffer the display driver scans out, when there is one. The display
// protocol's client fills `attach` with the driver's framebuffer memory
// object and mode; until then the frames stay in the back buffer. Only the
// rectangles composed are copied to the framebuffer.
//
// The back buffer is the state object "screen", so it outlives an instance:
// a new instance adopts the picture its predecessor composed instead of
// composing the whole screen again. The page after the pixels says whether
// the picture can be adopted: its size, and whether it was whole — every
// change the state object holds composed into it — when the last instance
// ended. An instance marks it unfinished (`changing`) before it handles
// anything that may change what the screen shows, and finished once what
// changed is composed and copied to the framebuffer (`composed`); an
// instance that ended in between leaves it unfinished, and the next one
// composes the whole screen.

import { Handle, handleClose, memoryCreate, memoryMap, memoryUnmap, stateOpen } from "../../ipc/generated/system";
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

/** The back buffer's state object, and the marks in the page after its pixels. */
export const SCREEN_STATE = "screen";
const SCREEN_MAGIC: u32 = 0x4e524353; // "SCRN"
const MARK_MAGIC: usize = 0;
const MARK_WIDTH: usize = 4;
const MARK_HEIGHT: usize = 8;
/** 1: the pixels show every change the state holds, composed and shown; 0: a change is under way. */
const MARK_WHOLE: usize = 12;
/** 1: and the framebuffer shows them (the instance that composed them was attached to the display). */
const MARK_SHOWN: usize = 16;

export class Screen {
  /** The back buffer's memory object (0 when it could not be made). */
  readonly memory: Handle;
  readonly back: Surface;
  /** The back buffer holds the whole picture a predecessor composed: nothing needs composing again. */
  readonly adopted: bool;
  /** The marks' page (0: the back buffer is not kept, as when the state object could not be had). */
  private readonly marks: usize;
  /**
   * The display's framebuffer still shows the back buffer whole: the
   * predecessor showed its picture there, and nothing composed since missed
   * it. Cleared by any compose before attach (present), so that attach,
   * which reads it, copies the whole picture unless it is really there.
   */
  private framebufferCurrent: bool;
  private framebuffer: Surface | null = null;
  private framebufferMemory: Handle = 0;
  private framebufferBytes: u32 = 0;

  constructor(readonly width: i32, readonly height: i32) {
    const bytes = <u32>width * <u32>height * 4;
    const kept = stateOpen(SCREEN_STATE, bytes + PAGE_SIZE);
    let memory = kept;
    let address = kept > 0 ? mapObject(kept, bytes + PAGE_SIZE, MAP_WRITABLE) : 0;
    let marks: usize = 0;
    let adopted = false;
    if (address != 0) {
      marks = address + <usize>bytes;
      adopted = load<u32>(marks, MARK_MAGIC) == SCREEN_MAGIC && load<u32>(marks, MARK_WIDTH) == <u32>width
        && load<u32>(marks, MARK_HEIGHT) == <u32>height && load<u32>(marks, MARK_WHOLE) == 1;
      if (!adopted) {
        store<u32>(marks, 0, MARK_WHOLE);
        store<u32>(marks, SCREEN_MAGIC, MARK_MAGIC);
        store<u32>(marks, <u32>width, MARK_WIDTH);
        store<u32>(marks, <u32>height, MARK_HEIGHT);
      }
    } else {
      // Without its state object the screen works as well, but a new instance composes it whole.
      if (kept > 0) handleClose(kept);
      memory = memoryCreate(bytes);
      address = memory > 0 ? mapObject(memory, bytes, MAP_WRITABLE) : 0;
    }
    this.marks = marks;
    this.adopted = adopted;
    this.framebufferCurrent = adopted && load<u32>(marks, MARK_SHOWN) == 1;
    this.memory = address != 0 ? memory : 0;
    this.back = address != 0 ? new Surface(address, width, height, width * 4) : Surface.allocate(width, height);
  }

  /** A change the screen may show is under way: a successor must not adopt the picture until `composed`. */
  changing(): void {
    if (this.marks != 0) store<u32>(this.marks, 0, MARK_WHOLE);
  }

  /** Every change so far is composed and shown: a successor may adopt the picture. */
  composed(): void {
    if (this.marks == 0) return;
    store<u32>(this.marks, this.framebuffer != null ? 1 : 0, MARK_SHOWN);
    store<u32>(this.marks, 1, MARK_WHOLE);
  }

  /**
   * Shows frames on the display driver's framebuffer from now on: `memory`
   * mapped writable, `width` × `height` pixels `stride` bytes apart (it must
   * be the back buffer's size). The whole back buffer is copied to it,
   * unless it shows the adopted picture already (framebufferCurrent). False
   * when it cannot be mapped.
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
    // Read after the framebuffer is set: a compose on another thread either
    // cleared the flag before it looked for the framebuffer, or found it.
    if (!this.framebufferCurrent) this.present([this.back.bounds]);
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
    // Cleared before the framebuffer is looked at (attach's order is the reverse).
    if (rects.length > 0) this.framebufferCurrent = false;
    const framebuffer = this.framebuffer;
    if (framebuffer == null) return;
    for (let i = 0; i < rects.length; i++) framebuffer.copyFrom(this.back, rects[i], rects[i].x, rects[i].y);
  }
}
