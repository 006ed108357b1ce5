// A split virtqueue (virtio spec 1.2, §2.7) for devices that fill buffers
// the driver offers (virtio-input's event queue), in one DMA memory object
// the driver gives: the descriptor table at 0, the driver (available) ring
// at 16 × size, the device (used) ring at the next 4-byte boundary past it,
// then the buffers, `bufferBytes` each. Every descriptor is a
// device-writable buffer, offered at start and offered again once its
// contents were taken.
//
// The memory may outlive the driver's instance (a DMA state object,
// state.dma), so that the device goes on filling buffers while no instance
// runs and the next one adopts the queue instead of resetting the device.
// So the queue keeps nothing of its own that the rings do not hold but
// one number, which the driver commits with what it made of the buffers:
// `taken`, the used index up to which it consumed them. Buffers go back to
// the device only once taken, in the used ring's order: the buffer of used
// position p is offered again as available position p + size, so the
// available index is taken + size once every taken buffer was offered, and
// an instance killed between its commit and its offers leaves the next one
// a gap it can fill from the used ring (adopt), whose entries for those
// positions the device cannot have overwritten, since it never had more
// than `size` buffers ahead of them.

import { Handle, memoryPhysical } from "../../../ipc/generated/index";
import { mapFresh } from "../device/map";
import { VirtioDevice } from "./transport";

const DESCRIPTOR_BYTES: u32 = 16;
/** Descriptor flag: the device writes the buffer. */
const WRITE: u16 = 2;
/** Where the buffers start: past the rings, 16-byte aligned. */
const BUFFER_ALIGNMENT: u32 = 16;

export class Virtqueue {
  ring: usize = 0;
  buffers: usize = 0;
  private available: usize = 0;
  private used: usize = 0;
  private notifyAddress: usize = 0;
  /** Physical addresses of the descriptor table, the driver area and the device area. */
  private descriptorsPhysical: u64 = 0;
  private availablePhysical: u64 = 0;
  private usedPhysical: u64 = 0;
  problem: string = "";

  constructor(readonly index: u32, readonly size: u32, readonly bufferBytes: u32) {}

  /** Where the used ring starts. */
  private static usedStart(size: u32): u32 { return (DESCRIPTOR_BYTES * size + 6 + 2 * size + 3) & ~3; }

  /** Where the buffers start. */
  private static buffersStart(size: u32): u32 {
    return (Virtqueue.usedStart(size) + 6 + 8 * size + BUFFER_ALIGNMENT - 1) & ~(BUFFER_ALIGNMENT - 1);
  }

  /** The DMA memory a queue of `size` buffers of `bufferBytes` needs. */
  static bytes(size: u32, bufferBytes: u32): u32 { return Virtqueue.buffersStart(size) + size * bufferBytes; }

  /** Maps `memory` (a DMA object of at least bytes(size, bufferBytes)) and finds where it lies: false with `problem`. */
  place(memory: Handle): bool {
    const bytes = Virtqueue.bytes(this.size, this.bufferBytes);
    this.ring = mapFresh(memory, bytes);
    const physical = <u64>memoryPhysical(memory, 0);
    const last = memoryPhysical(memory, bytes - 1);
    if (this.ring == 0 || <i64>physical < 0 || last != <i64>physical + <i64>(bytes - 1)) {
      this.problem = "cannot map or locate " + bytes.toString() + " bytes of DMA memory";
      return false;
    }
    this.available = this.ring + <usize>(DESCRIPTOR_BYTES * this.size);
    this.used = this.ring + <usize>Virtqueue.usedStart(this.size);
    this.buffers = this.ring + <usize>Virtqueue.buffersStart(this.size);
    this.descriptorsPhysical = physical;
    this.availablePhysical = physical + <u64>(this.available - this.ring);
    this.usedPhysical = physical + <u64>(this.used - this.ring);
    return true;
  }

  /**
   * Fresh rings, every buffer offered, and the device told where they lie
   * (after negotiation; the device must not be running this memory's queue,
   * having been reset). The consumption index starts at 0.
   */
  open(device: VirtioDevice): void {
    const bufferPhysical = this.descriptorsPhysical + <u64>(this.buffers - this.ring);
    memory.fill(this.ring, 0, <usize>Virtqueue.buffersStart(this.size));
    for (let i: u32 = 0; i < this.size; i++) {
      const descriptor = this.ring + <usize>(i * DESCRIPTOR_BYTES);
      store<u64>(descriptor, bufferPhysical + <u64>(i * this.bufferBytes));
      store<u32>(descriptor + 8, this.bufferBytes);
      store<u16>(descriptor + 12, WRITE);
      store<u16>(descriptor + 14, 0);
      store<u16>(this.available + 4 + 2 * <usize>i, <u16>i);
    }
    store<u16>(this.available + 2, <u16>this.size);
    this.notifyAddress = device.enableQueue(this.index, this.size, this.descriptorsPhysical, this.availablePhysical, this.usedPhysical);
  }

  /**
   * Takes over the queue a previous instance left running: true when the
   * device still runs it here (device.runsQueue) and the rings agree with
   * `taken`, the used index that instance committed; then every buffer
   * taken up to it that was not offered again is offered now. False
   * (with `problem`) when the device must be reset instead.
   */
  adopt(device: VirtioDevice, taken: u16): bool {
    if (!device.runsQueue(this.index, this.size, this.descriptorsPhysical, this.availablePhysical, this.usedPhysical)) {
      this.problem = device.problem;
      return false;
    }
    const size = <u16>this.size;
    const usedIndex = load<u16>(this.used + 2);
    const availableIndex = load<u16>(this.available + 2);
    // Nothing is offered past taken + size, and the device returns only what was offered.
    if (<u16>(availableIndex - taken) > size || <u16>(usedIndex - taken) > <u16>(availableIndex - taken)) {
      this.problem = "rings out of step: used " + usedIndex.toString() + ", available " + availableIndex.toString() + ", taken " + taken.toString();
      return false;
    }
    this.notifyAddress = device.queueNotifyAddress(this.index);
    this.release(taken);
    return true;
  }

  /** The device's used index: buffers before it were filled. */
  get usedIndex(): u16 { return load<u16>(this.used + 2); }

  /** The buffer the device filled at used position `position` (below usedIndex): its address. */
  filled(position: u16): usize {
    const element = this.used + 4 + 8 * <usize>(position % <u16>this.size);
    return this.buffer(load<u32>(element) % this.size);
  }

  /** The address of descriptor `id`'s buffer. */
  buffer(id: u32): usize { return this.buffers + <usize>(id * this.bufferBytes); }

  /**
   * Offers again every buffer taken before used position `taken` (the
   * driver committed what it made of them), in the used ring's order, and
   * tells the device when it offered any. Safe to repeat: a position
   * already offered is not offered twice.
   */
  release(taken: u16): void {
    const size = <u16>this.size;
    const full = <u16>(taken + size);
    let index = load<u16>(this.available + 2);
    if (index == full) return;
    for (; index != full; index++) {
      const element = this.used + 4 + 8 * <usize>(<u16>(index - size) % size);
      store<u16>(this.available + 4 + 2 * <usize>(index % size), <u16>load<u32>(element));
      // The entry before the index: the device reads the ring only up to the index it sees.
      store<u16>(this.available + 2, index + 1);
    }
    this.notify();
  }

  /** Tells the device that buffers were offered. */
  notify(): void { store<u16>(this.notifyAddress, <u16>this.index); }
}
