// A split virtqueue (virtio spec 1.2, §2.7) in one DMA page: the descriptor
// table at 0, the driver (available) ring at 16 × size, the device (used)
// ring at the next 4-byte boundary past it; buffers in a second DMA
// object. For devices that fill buffers the driver offers (virtio-input's
// event queue): every descriptor is a device-writable buffer of
// `bufferBytes`, offered at start and offered again once its contents were
// taken.

import { Handle, handleClose, memoryDma, memoryPhysical } from "../../../ipc/generated/index";
import { mapFresh } from "../device/map";
import { VirtioDevice } from "./transport";

const PAGE: u32 = 4096;
const DESCRIPTOR_BYTES: u32 = 16;
/** Descriptor flag: the device writes the buffer. */
const WRITE: u16 = 2;

export class Virtqueue {
  ring: usize = 0;
  buffers: usize = 0;
  private available: usize = 0;
  private used: usize = 0;
  private notifyAddress: usize = 0;
  /** The device's used index the driver has taken up to. */
  private taken: u16 = 0;
  problem: string = "";

  constructor(readonly index: u32, readonly size: u32, readonly bufferBytes: u32) {}

  /** The ring's bytes: descriptors, the available ring (flags, index, ring, used_event) and the used ring after it. */
  private layout(): u32 {
    const availableEnd = DESCRIPTOR_BYTES * this.size + 6 + 2 * this.size;
    const usedStart = (availableEnd + 3) & ~3;
    return usedStart + 6 + 8 * this.size;
  }

  /** Makes the DMA memory, tells the device, offers every buffer: false with `problem`. */
  open(device: VirtioDevice): bool {
    if (this.layout() > PAGE) { this.problem = "a queue of " + this.size.toString() + " entries does not fit a page"; return false; }
    const ringHandle: Handle = memoryDma(PAGE);
    const bufferHandle: Handle = memoryDma(this.size * this.bufferBytes);
    if (ringHandle < 0 || bufferHandle < 0) { this.problem = "memory.dma: error " + min(ringHandle, bufferHandle).toString(); return false; }
    this.ring = mapFresh(ringHandle, PAGE);
    this.buffers = mapFresh(bufferHandle, this.size * this.bufferBytes);
    const ringPhysical = <u64>memoryPhysical(ringHandle, 0);
    const bufferPhysical = <u64>memoryPhysical(bufferHandle, 0);
    // The mappings and the device hold the memory; the handles are no longer needed.
    handleClose(ringHandle);
    handleClose(bufferHandle);
    if (this.ring == 0 || this.buffers == 0 || <i64>ringPhysical < 0 || <i64>bufferPhysical < 0) { this.problem = "cannot map or locate the DMA memory"; return false; }
    this.available = this.ring + <usize>(DESCRIPTOR_BYTES * this.size);
    this.used = this.ring + <usize>((DESCRIPTOR_BYTES * this.size + 6 + 2 * this.size + 3) & ~3);
    for (let i: u32 = 0; i < this.size; i++) {
      const descriptor = this.ring + <usize>(i * DESCRIPTOR_BYTES);
      store<u64>(descriptor, bufferPhysical + <u64>(i * this.bufferBytes));
      store<u32>(descriptor + 8, this.bufferBytes);
      store<u16>(descriptor + 12, WRITE);
      store<u16>(descriptor + 14, 0);
      store<u16>(this.available + 4 + 2 * <usize>i, <u16>i);
    }
    store<u16>(this.available + 2, <u16>this.size);
    this.notifyAddress = device.enableQueue(this.index, this.size, ringPhysical,
      ringPhysical + <u64>(this.available - this.ring), ringPhysical + <u64>(this.used - this.ring));
    return true;
  }

  /** Tells the device that buffers were offered. */
  notify(): void { store<u16>(this.notifyAddress, <u16>this.index); }

  /** The next buffer the device filled, as its descriptor's index, or -1 when none is waiting. */
  next(): i32 {
    if (load<u16>(this.used + 2) == this.taken) return -1;
    const element = this.used + 4 + 8 * <usize>(this.taken % <u16>this.size);
    this.taken++;
    return <i32>load<u32>(element);
  }

  /** The address of descriptor `id`'s buffer. */
  buffer(id: i32): usize { return this.buffers + <usize>(<u32>id * this.bufferBytes); }

  /** Offers buffer `id` to the device again (the caller notifies once it offered all it took). */
  offer(id: i32): void {
    const index = load<u16>(this.available + 2);
    store<u16>(this.available + 4 + 2 * <usize>(index % <u16>this.size), <u16>id);
    store<u16>(this.available + 2, index + 1);
  }
}
