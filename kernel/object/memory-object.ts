// Memory objects: zeroed pages that can be mapped into a page-aligned range
// of a component's linear memory and shared with other components through
// handles (framebuffers, window surfaces, disk buffers). State objects
// (state-object.ts) are named memory objects the kernel keeps. Two kinds
// serve drivers: device objects (memory.device) are windows onto device
// memory — a BAR, an ECAM page — whose pages are the device's, mapped
// uncached, never allocated, zeroed or freed; DMA objects (memory.dma, and
// state.dma for the ones a state name keeps) are physically contiguous
// frames whose physical address their holder may ask (memory.physical), so
// that a device can be pointed at them.
//
// Invariants:
//  - an object owns its frames until its last reference goes: references
//    are its handles, its mappings and its state name (`references`
//    counts mappings and state names; handleCount the handles); then the
//    frames go back to the allocator, once;
//  - a mapping covers whole pages inside the component's memory as it was
//    when mapped (memory only grows); the component's own frames there are
//    set aside, unmapped, and put back by memory.unmap or at the
//    component's end, before its memory region is released — so a region
//    release never frees an object's frames, and no frame is lost;
//  - mappings of one component never overlap; a read-only mapping faults
//    on a write like any access outside the memory (the component traps);
//  - an object's pages count against the `objects` limit of the component
//    that made it (`Component.objectPages`) from its creation until its
//    frames go back, also after that component ended (a state object
//    outlives it); a device object has no frames of RAM and charges nothing;
//  - a device object covers only pages its maker's mmio rights hold and
//    the firmware's memory map does not give to RAM or the firmware;
//  - every DMA object whose frames were not yet freed is in `dmaObjects`,
//    and `kept` tells whether a state name holds it (state.dma): what the
//    bus-master rule asks when a driver ends (bus-master.ts).

import { Component } from "../component/component";
import { LIMIT_OBJECTS } from "../component/manifest";
import { CACHE_DISABLE, NO_EXECUTE, WRITABLE, WRITE_THROUGH, mapPage, translate } from "../arch/x86_64/paging";
import { overlapsMemory } from "../arch/x86_64/memory";
import { releaseBootFramebuffer } from "../arch/x86_64/framebuffer";
import { allocateContiguous, allocateZeroedFrame, freeFrame } from "../memory/frames";
import { phys } from "../memory/physical";
import { store64 } from "../arch/x86_64/native";
import { allowsRange } from "../component/policy";
import { Thread } from "./thread";
import { HandleEntry, KernelObject, handlesOf } from "./handle";
import * as abi from "../generated/abi";

const PAGE: u64 = 4096;
/** The largest memory object: 1 GiB. */
export const MEMORY_OBJECT_LIMIT: u64 = <u64>1 << 30;

/** What a memory object's frames are. */
export enum MemoryKind {
  /** Zeroed frames of RAM (memory.create, state.open). */
  Ordinary = 0,
  /** Zeroed, physically contiguous frames of RAM (memory.dma). */
  Dma = 1,
  /** A device's own pages (memory.device): not RAM, never freed, mapped uncached. */
  Device = 2,
}

export class MemoryObject extends KernelObject {
  /** Mappings and state names holding it (handles are counted in handleCount). */
  references: i32 = 0;
  /** A DMA object a state name holds (state.dma): its frames outlive the instance that made it. */
  kept: bool = false;
  private released: bool = false;

  /**
   * The component charged with its pages, by address: components are never
   * freed (the registry keeps every one for component.status).
   */
  private ownerLink: usize = 0;

  constructor(readonly frames: StaticArray<u64>, owner: Component, readonly kind: MemoryKind = MemoryKind.Ordinary) {
    super(abi.OBJECT_TYPE_MEMORY);
    this.ownerLink = changetype<usize>(owner);
    if (kind != MemoryKind.Device) owner.objectPages += <i64>frames.length;
  }

  /** The component charged with its pages (the one that made it; it may have ended). */
  get owner(): Component { return changetype<Component>(this.ownerLink); }

  get pages(): i32 { return this.frames.length; }
  get bytes(): u64 { return <u64>this.frames.length * PAGE; }

  lastHandleClosed(): void { this.releaseIfUnused(); }

  /** Drops a mapping's or a state name's reference. */
  unreference(): void {
    this.references--;
    this.releaseIfUnused();
  }

  private releaseIfUnused(): void {
    if (this.released || this.references > 0 || this.handleCount > 0) return;
    this.released = true;
    if (this.kind == MemoryKind.Device) return;
    if (this.kind == MemoryKind.Dma) forgetDma(this);
    for (let i = 0; i < this.frames.length; i++) freeFrame(unchecked(this.frames[i]));
    this.owner.objectPages -= <i64>this.frames.length;
  }
}

/** A new memory object of `bytes` (rounded up to pages), zeroed, charged to `owner`; null when out of frames. */
export function createMemoryObject(bytes: u64, owner: Component): MemoryObject | null {
  const pages = <i32>((bytes + PAGE - 1) / PAGE);
  const frames = new StaticArray<u64>(pages);
  for (let i = 0; i < pages; i++) {
    const frame = allocateZeroedFrame();
    if (frame == 0) {
      for (let k = 0; k < i; k++) freeFrame(frames[k]);
      return null;
    }
    unchecked(frames[i] = frame);
  }
  return new MemoryObject(frames, owner);
}

/** Why `owner` cannot make a memory object of `bytes`, or 0: a size out of range, or past its `objects` limit. */
export function sizeProblem(bytes: u64, owner: Component): i32 {
  if (bytes == 0) return abi.ERROR_INVALID_ARGUMENT;
  if (bytes > MEMORY_OBJECT_LIMIT) return abi.ERROR_TOO_LARGE;
  if (owner.objectPages + <i64>((bytes + PAGE - 1) / PAGE) > owner.limit(LIMIT_OBJECTS)) return abi.ERROR_QUOTA_EXCEEDED;
  return 0;
}

class Mapping {
  constructor(
    readonly component: Component,
    readonly object: MemoryObject,
    /** Offset in the component's memory, and bytes. */
    readonly offset: u64,
    readonly length: u64,
    /** The component's own frames that were there, and their page flags. */
    readonly saved: StaticArray<u64>,
  ) {}
}

const mappings = new Array<Mapping>();

/** memory.create */
export function memoryCreate(caller: Thread, size: u32): i32 {
  const problem = sizeProblem(<u64>size, caller.component!);
  if (problem != 0) return problem;
  const object = createMemoryObject(<u64>size, caller.component!);
  if (object == null) return abi.ERROR_NO_MEMORY;
  const handle = handlesOf(caller.component!).add(object, abi.MEMORY_RIGHTS);
  // Refused (the caller's handles are at their limit): nothing holds it, its frames go back.
  if (handle < 0) object.lastHandleClosed();
  return handle;
}

/** memory.device */
export function memoryDevice(caller: Thread, base: u64, length: u32): i32 {
  const bytes = <u64>length;
  if (bytes == 0 || (base & (PAGE - 1)) != 0 || (bytes & (PAGE - 1)) != 0) return abi.ERROR_INVALID_ARGUMENT;
  if (bytes > MEMORY_OBJECT_LIMIT) return abi.ERROR_TOO_LARGE;
  if (!allowsRange(caller.component!, base, bytes) || overlapsMemory(base, base + bytes)) return abi.ERROR_ACCESS_DENIED;
  const pages = <i32>(bytes / PAGE);
  const frames = new StaticArray<u64>(pages);
  for (let i = 0; i < pages; i++) unchecked(frames[i] = base + <u64>i * PAGE);
  const handle = handlesOf(caller.component!).add(new MemoryObject(frames, caller.component!, MemoryKind.Device), abi.MEMORY_RIGHTS);
  // A display driver owns the screen from here on: the kernel's boot screen stops drawing.
  if (handle >= 0) releaseBootFramebuffer(base, base + bytes);
  return handle;
}

/** The DMA objects whose frames were not yet freed: few (a driver makes a handful), so a list and a scan. */
const dmaObjects = new Array<MemoryObject>();

function forgetDma(object: MemoryObject): void {
  const at = dmaObjects.indexOf(object);
  if (at >= 0) dmaObjects.splice(at, 1);
}

/** Why `owner` cannot make a DMA object of `size` bytes, or 0. */
export function dmaSizeProblem(size: u32, owner: Component): i32 {
  if (size > abi.DMA_MAXIMUM) return abi.ERROR_TOO_LARGE;
  return sizeProblem(<u64>size, owner);
}

/** A DMA object of `size` bytes (checked by dmaSizeProblem): zeroed, physically contiguous frames charged to `owner`; null when no run of frames is free. */
export function createDmaObject(size: u32, owner: Component): MemoryObject | null {
  const pages = (<u64>size + PAGE - 1) / PAGE;
  const first = allocateContiguous(pages);
  if (first == 0) return null;
  const frames = new StaticArray<u64>(<i32>pages);
  for (let i = 0; i < <i32>pages; i++) {
    const frame = first + <u64>i * PAGE;
    const address = phys(frame);
    for (let at: i64 = 0; at < <i64>PAGE; at += 8) store64(address + at, 0);
    unchecked(frames[i] = frame);
  }
  const object = new MemoryObject(frames, owner, MemoryKind.Dma);
  dmaObjects.push(object);
  return object;
}

/**
 * Whether a DMA object made by `component` is not held by a state name:
 * its frames go back to the allocator once its handles and mappings let
 * go, which the component's end may do.
 */
export function holdsDmaNotKept(component: Component): bool {
  for (let i = 0; i < dmaObjects.length; i++) {
    const object = unchecked(dmaObjects[i]);
    if (!object.kept && object.owner === component) return true;
  }
  return false;
}

/** Whether a state name of `identity` holds a DMA object (state.dma), whose frames outlive its instances. */
export function identityKeepsDma(identity: string): bool {
  for (let i = 0; i < dmaObjects.length; i++) {
    const object = unchecked(dmaObjects[i]);
    if (object.kept && object.owner.identity == identity) return true;
  }
  return false;
}

/** memory.dma */
export function memoryDma(caller: Thread, size: u32): i32 {
  const problem = dmaSizeProblem(size, caller.component!);
  if (problem != 0) return problem;
  const object = createDmaObject(size, caller.component!);
  if (object == null) return abi.ERROR_NO_MEMORY;
  const handle = handlesOf(caller.component!).add(object, abi.MEMORY_RIGHTS);
  if (handle < 0) object.lastHandleClosed();
  return handle;
}

/** memory.physical */
export function memoryPhysical(caller: Thread, object: MemoryObject, offset: u32): i64 {
  if (object.kind != MemoryKind.Dma || <u64>offset >= object.bytes) return <i64>abi.ERROR_INVALID_ARGUMENT;
  return <i64>(unchecked(object.frames[<i32>(offset / <u32>PAGE)]) + (<u64>offset & (PAGE - 1)));
}

/** memory.map */
export function memoryMap(caller: Thread, handle: HandleEntry, address: u32, length: u32, flags: u32): i32 {
  const object = changetype<MemoryObject>(handle.object);
  const component = caller.component!;
  if ((flags & ~abi.MAP_WRITABLE) != 0) return abi.ERROR_INVALID_ARGUMENT;
  const writable = (flags & abi.MAP_WRITABLE) != 0;
  if (writable && (handle.rights & abi.RIGHT_WRITE) == 0) return abi.ERROR_ACCESS_DENIED;
  const offset = <u64>address;
  const bytes = <u64>length;
  if (bytes == 0 || (offset & (PAGE - 1)) != 0 || (bytes & (PAGE - 1)) != 0) return abi.ERROR_INVALID_ARGUMENT;
  if (offset + bytes > component.memoryLength) return abi.ERROR_BAD_ADDRESS;
  if (bytes > object.bytes) return abi.ERROR_TOO_LARGE;
  for (let i = 0; i < mappings.length; i++) {
    const other = mappings[i];
    if (other.component === component && offset < other.offset + other.length && other.offset < offset + bytes) return abi.ERROR_NOT_MAPPED;
  }
  const pages = <i32>(bytes / PAGE);
  const base = component.memoryBase + offset;
  const saved = new StaticArray<u64>(pages);
  for (let i = 0; i < pages; i++) {
    const frame = translate(base + <u64>i * PAGE);
    if (frame < 0) return abi.ERROR_BAD_ADDRESS;
    unchecked(saved[i] = <u64>frame);
  }
  let pageFlags = writable ? WRITABLE | NO_EXECUTE : NO_EXECUTE;
  // Device registers must see every access, in order: no caching.
  if (object.kind == MemoryKind.Device) pageFlags |= CACHE_DISABLE | WRITE_THROUGH;
  for (let i = 0; i < pages; i++) {
    // The tables for these pages exist (the pages are mapped), so mapPage needs no frame and cannot fail.
    mapPage(base + <u64>i * PAGE, unchecked(object.frames[i]), pageFlags);
  }
  object.references++;
  mappings.push(new Mapping(component, object, offset, bytes, saved));
  return 0;
}

/** Puts a mapping's saved frames back. */
function undo(mapping: Mapping): void {
  const base = mapping.component.memoryBase + mapping.offset;
  const saved = mapping.saved;
  for (let i = 0; i < saved.length; i++) mapPage(base + <u64>i * PAGE, unchecked(saved[i]), WRITABLE | NO_EXECUTE);
  mapping.object.unreference();
}

/** memory.unmap */
export function memoryUnmap(caller: Thread, address: u32, length: u32): i32 {
  const component = caller.component!;
  for (let i = 0; i < mappings.length; i++) {
    const mapping = mappings[i];
    if (mapping.component !== component || mapping.offset != <u64>address || mapping.length != <u64>length) continue;
    mappings.splice(i, 1);
    undo(mapping);
    return 0;
  }
  return abi.ERROR_NOT_MAPPED;
}

/** Mappings of `component` now (tests and reports). */
export function mappingCount(component: Component): i32 {
  let count = 0;
  for (let i = 0; i < mappings.length; i++) if (mappings[i].component === component) count++;
  return count;
}

/** A component is ending (component/end.ts): every mapping into its memory is undone. */
export function unmapAll(component: Component): void {
  for (let i = mappings.length - 1; i >= 0; i--) {
    const mapping = mappings[i];
    if (mapping.component !== component) continue;
    mappings.splice(i, 1);
    undo(mapping);
  }
}
