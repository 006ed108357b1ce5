// The virtio 1.x PCI transport (virtio spec 1.2, §4.1), shared by every
// virtio driver: the device's vendor capabilities in its configuration
// page say in which BAR, at which offset, its common configuration, its
// notification area, its ISR byte and its device-specific configuration
// lie; the driver maps those BARs (granted by the PCI bus server), resets
// the device, negotiates features (VERSION_1 at least), sets up its split
// virtqueues (virtqueue.ts) in DMA memory, and takes its interrupt as
// pulses (INTx through the bus server; reading the ISR byte lowers it).
//
// A restarted driver starts from a reset (the device forgets the old
// instance's queues), unless it kept them in DMA memory that outlives its
// instances (state.dma): then `runsQueue` tells whether the device still
// runs a queue there, and the driver adopts it (virtqueue.ts) without
// stopping the device. The disk driver resets: its requests are
// self-contained and its clients re-send what was not answered.

import { Handle, handleClose } from "../../../ipc/generated/index";
import { PciDevice } from "../device/pci";
import { mapFresh } from "../device/map";

// Configuration space.
const STATUS: usize = 0x06;
const STATUS_CAPABILITIES: u16 = 1 << 4;
const CAPABILITIES_POINTER: usize = 0x34;
const CAPABILITY_VENDOR: u8 = 0x09;

// virtio_pci_cap cfg_type.
const COMMON_CFG: u8 = 1;
const NOTIFY_CFG: u8 = 2;
const ISR_CFG: u8 = 3;
const DEVICE_CFG: u8 = 4;

// The common configuration's fields.
export const DEVICE_FEATURE_SELECT: usize = 0;
export const DEVICE_FEATURE: usize = 4;
export const DRIVER_FEATURE_SELECT: usize = 8;
export const DRIVER_FEATURE: usize = 12;
export const NUM_QUEUES: usize = 18;
export const DEVICE_STATUS: usize = 20;
export const QUEUE_SELECT: usize = 22;
export const QUEUE_SIZE: usize = 24;
export const QUEUE_MSIX_VECTOR: usize = 26;
export const QUEUE_ENABLE: usize = 28;
export const QUEUE_NOTIFY_OFF: usize = 30;
export const QUEUE_DESC: usize = 32;
export const QUEUE_DRIVER: usize = 40;
export const QUEUE_DEVICE: usize = 48;

// Device status bits.
export const ACKNOWLEDGE: u8 = 1;
export const DRIVER: u8 = 2;
export const DRIVER_OK: u8 = 4;
export const FEATURES_OK: u8 = 8;
export const NEEDS_RESET: u8 = 64;
export const FAILED: u8 = 128;

/** Feature bit 32: the device follows virtio 1.x (no legacy layout). */
export const FEATURE_VERSION_1: u64 = <u64>1 << 32;
const NO_VECTOR: u16 = 0xffff;

/** A virtio device on PCI: its configuration structures mapped, ready for negotiation. */
export class VirtioDevice {
  common: usize = 0;
  notify: usize = 0;
  notifyMultiplier: u32 = 0;
  isr: usize = 0;
  device: usize = 0;
  /** Why open() failed. */
  problem: string = "";
  /** Each BAR's mapping, 0 until a structure needs it. */
  private readonly bars: StaticArray<usize> = new StaticArray<usize>(6);

  constructor(readonly pci: PciDevice) {}

  /** Finds and maps the common, notify, ISR and device structures: false with `problem` when one is missing. */
  open(): bool {
    const configHandle = this.pci.config();
    if (configHandle < 0) { this.problem = "pci.config: error " + configHandle.toString(); return false; }
    const config = mapFresh(configHandle, 4096, true);
    handleClose(configHandle);
    if (config == 0) { this.problem = "cannot map the configuration page"; return false; }
    if ((load<u16>(config + STATUS) & STATUS_CAPABILITIES) == 0) { this.problem = "no capability list"; return false; }
    let at = <usize>(load<u8>(config + CAPABILITIES_POINTER) & 0xfc);
    for (let hops = 0; at >= 0x40 && at < 0x100 && hops < 48; hops++) {
      if (load<u8>(config + at) == CAPABILITY_VENDOR) {
        const type = load<u8>(config + at + 3);
        const bar = <u32>load<u8>(config + at + 4);
        const offset = <usize>load<u32>(config + at + 8);
        if (type == COMMON_CFG || type == NOTIFY_CFG || type == ISR_CFG || type == DEVICE_CFG) {
          const base = this.mapBar(bar);
          if (base == 0) return false;
          if (type == COMMON_CFG && this.common == 0) this.common = base + offset;
          else if (type == NOTIFY_CFG && this.notify == 0) { this.notify = base + offset; this.notifyMultiplier = load<u32>(config + at + 16); }
          else if (type == ISR_CFG && this.isr == 0) this.isr = base + offset;
          else if (type == DEVICE_CFG && this.device == 0) this.device = base + offset;
        }
      }
      at = <usize>(load<u8>(config + at + 1) & 0xfc);
    }
    if (this.common == 0 || this.notify == 0 || this.isr == 0) { this.problem = "no common, notify or ISR structure"; return false; }
    return true;
  }

  private mapBar(bar: u32): usize {
    if (bar > 5) { this.problem = "a capability names BAR " + bar.toString(); return 0; }
    if (unchecked(this.bars[bar]) != 0) return unchecked(this.bars[bar]);
    const handle: Handle = this.pci.bar(bar);
    if (handle < 0) { this.problem = "pci.bar " + bar.toString() + ": error " + handle.toString(); return 0; }
    const mapped = mapFresh(handle, this.pci.barBytes);
    handleClose(handle);
    if (mapped == 0) { this.problem = "cannot map BAR " + bar.toString(); return 0; }
    unchecked(this.bars[bar] = mapped);
    return mapped;
  }

  get status(): u8 { return load<u8>(this.common + DEVICE_STATUS); }
  set status(value: u8) { store<u8>(this.common + DEVICE_STATUS, value); }

  /** Resets the device and negotiates: VERSION_1 and those of `wanted` the device offers. The features agreed, or 0 when the device refused (status FAILED). */
  negotiate(wanted: u64): u64 {
    this.status = 0;
    // A reset is complete when the status reads 0 again (§4.1.4.3.2).
    for (let spins = 0; spins < 1_000_000 && this.status != 0; spins++) {}
    this.status = ACKNOWLEDGE;
    this.status = ACKNOWLEDGE | DRIVER;
    store<u32>(this.common + DEVICE_FEATURE_SELECT, 0);
    let offered = <u64>load<u32>(this.common + DEVICE_FEATURE);
    store<u32>(this.common + DEVICE_FEATURE_SELECT, 1);
    offered |= <u64>load<u32>(this.common + DEVICE_FEATURE) << 32;
    const agreed = (wanted | FEATURE_VERSION_1) & offered;
    if ((agreed & FEATURE_VERSION_1) == 0) { this.status = FAILED; this.problem = "the device does not offer VERSION_1"; return 0; }
    store<u32>(this.common + DRIVER_FEATURE_SELECT, 0);
    store<u32>(this.common + DRIVER_FEATURE, <u32>agreed);
    store<u32>(this.common + DRIVER_FEATURE_SELECT, 1);
    store<u32>(this.common + DRIVER_FEATURE, <u32>(agreed >> 32));
    this.status = ACKNOWLEDGE | DRIVER | FEATURES_OK;
    if ((this.status & FEATURES_OK) == 0) { this.status = FAILED; this.problem = "the device refused the features"; return 0; }
    return agreed;
  }

  /** How many queues the device has. */
  get queueCount(): u32 { return <u32>load<u16>(this.common + NUM_QUEUES); }

  /** The largest size of queue `index` (0: it does not exist). */
  queueSize(index: u32): u32 {
    store<u16>(this.common + QUEUE_SELECT, <u16>index);
    return <u32>load<u16>(this.common + QUEUE_SIZE);
  }

  /** Tells the device where queue `index` of `size` entries lies and enables it; its notify address. */
  enableQueue(index: u32, size: u32, descriptors: u64, driverArea: u64, deviceArea: u64): usize {
    const common = this.common;
    store<u16>(common + QUEUE_SELECT, <u16>index);
    store<u16>(common + QUEUE_SIZE, <u16>size);
    store<u16>(common + QUEUE_MSIX_VECTOR, NO_VECTOR);
    store<u64>(common + QUEUE_DESC, descriptors);
    store<u64>(common + QUEUE_DRIVER, driverArea);
    store<u64>(common + QUEUE_DEVICE, deviceArea);
    store<u16>(common + QUEUE_ENABLE, 1);
    return this.queueNotifyAddress(index);
  }

  /** Where the driver tells the device about queue `index`. */
  queueNotifyAddress(index: u32): usize {
    store<u16>(this.common + QUEUE_SELECT, <u16>index);
    return this.notify + <usize>load<u16>(this.common + QUEUE_NOTIFY_OFF) * <usize>this.notifyMultiplier;
  }

  /**
   * Whether the device runs (DRIVER_OK, not failed or needing a reset) with
   * queue `index` enabled at `size` entries on these areas: what a
   * previous instance set up and left running, which the next one adopts
   * instead of resetting. False with `problem` saying what differs.
   */
  runsQueue(index: u32, size: u32, descriptors: u64, driverArea: u64, deviceArea: u64): bool {
    const status = this.status;
    if ((status & (DRIVER_OK | FEATURES_OK)) != (DRIVER_OK | FEATURES_OK) || (status & (NEEDS_RESET | FAILED)) != 0) {
      this.problem = "device status " + status.toString(16);
      return false;
    }
    const common = this.common;
    store<u16>(common + QUEUE_SELECT, <u16>index);
    if (load<u16>(common + QUEUE_ENABLE) != 1 || <u32>load<u16>(common + QUEUE_SIZE) != size) {
      this.problem = "queue " + index.toString() + " not enabled with " + size.toString() + " entries";
      return false;
    }
    if (load<u64>(common + QUEUE_DESC) != descriptors || load<u64>(common + QUEUE_DRIVER) != driverArea || load<u64>(common + QUEUE_DEVICE) != deviceArea) {
      this.problem = "queue " + index.toString() + " lies elsewhere";
      return false;
    }
    return true;
  }

  /** The device may run: DRIVER_OK. */
  ready(): void { this.status = ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK; }

  /** Reads and so clears the ISR byte: bit 0 a queue interrupt, bit 1 a configuration change. */
  takeInterrupt(): u32 { return <u32>load<u8>(this.isr); }
}
