// A split virtqueue for request-and-answer devices (virtio spec 1.2, §2.7):
// the driver offers a chain of descriptors — parts the device reads (a
// request header, data to write) then parts it writes (data read, a status
// byte) — and waits for the chain to come back on the used ring. Unlike
// virtqueue.ts, whose buffers the device fills unasked, nothing is offered
// until there is a request, and one request is in flight at a time: the
// chain always starts at descriptor 0, so the rings never hold anything an
// instance killed midway could leave half-done for the next one (which
// resets the device anyway).

import { Handle, handleClose, memoryDma, memoryPhysical } from "../../../ipc/generated/index";
import { mapFresh } from "../device/map";
import { VirtioDevice } from "./transport";

const PAGE: u32 = 4096;
const DESCRIPTOR_BYTES: u32 = 16;
/** Descriptor flags: the chain goes on; the device writes this part. */
const NEXT: u16 = 1;
const WRITE: u16 = 2;
/** The most parts one chain may have. */
export const CHAIN_MAXIMUM: u32 = 4;

export class RequestQueue {
  private ring: usize = 0;
  private available: usize = 0;
  private used: usize = 0;
  private notifyAddress: usize = 0;
  /** The used index up to which chains came back. */
  private taken: u16 = 0;
  /** Parts of the chain being built. */
  private parts: u32 = 0;
  problem: string = "";

  constructor(readonly index: u32, readonly size: u32) {}

  /** Makes the ring in DMA memory and tells the device: false with `problem`. */
  open(device: VirtioDevice): bool {
    if (this.size < CHAIN_MAXIMUM) { this.problem = "a queue of " + this.size.toString() + " entries cannot hold a chain"; return false; }
    const usedStart = (DESCRIPTOR_BYTES * this.size + 6 + 2 * this.size + 3) & ~3;
    if (usedStart + 6 + 8 * this.size > PAGE) { this.problem = "a queue of " + this.size.toString() + " entries does not fit a page"; return false; }
    const handle: Handle = memoryDma(PAGE);
    if (handle < 0) { this.problem = "memory.dma: error " + handle.toString(); return false; }
    this.ring = mapFresh(handle, PAGE);
    const physical = <u64>memoryPhysical(handle, 0);
    handleClose(handle);
    if (this.ring == 0 || <i64>physical < 0) { this.problem = "cannot map or locate the ring"; return false; }
    this.available = this.ring + <usize>(DESCRIPTOR_BYTES * this.size);
    this.used = this.ring + <usize>usedStart;
    this.notifyAddress = device.enableQueue(this.index, this.size, physical, physical + <u64>(this.available - this.ring),
      physical + <u64>(this.used - this.ring));
    return true;
  }

  /** Adds a part to the chain being built: `bytes` at physical address `physical`, written by the device when `writable`. */
  part(physical: u64, bytes: u32, writable: bool): void {
    assert(this.parts < CHAIN_MAXIMUM, "a chain of more than CHAIN_MAXIMUM parts");
    const descriptor = this.ring + <usize>(this.parts * DESCRIPTOR_BYTES);
    store<u64>(descriptor, physical);
    store<u32>(descriptor + 8, bytes);
    store<u16>(descriptor + 12, writable ? WRITE : 0);
    store<u16>(descriptor + 14, 0);
    if (this.parts > 0) {
      const previous = descriptor - DESCRIPTOR_BYTES;
      store<u16>(previous + 12, load<u16>(previous + 12) | NEXT);
      store<u16>(previous + 14, <u16>this.parts);
    }
    this.parts++;
  }

  /** Offers the chain built by part() to the device and tells it. */
  submit(): void {
    const index = load<u16>(this.available + 2);
    store<u16>(this.available + 4 + 2 * <usize>(index % <u16>this.size), 0);
    // The entry before the index: the device reads the ring only up to the index it sees.
    store<u16>(this.available + 2, index + 1);
    this.parts = 0;
    store<u16>(this.notifyAddress, <u16>this.index);
  }

  /** Whether the chain submitted last came back; takes it from the used ring. */
  completed(): bool {
    if (load<u16>(this.used + 2) == this.taken) return false;
    this.taken++;
    return true;
  }
}
