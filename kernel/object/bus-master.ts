// Bus mastering, held by the kernel for the drivers that use it.
//
// Without an IOMMU a device with bus mastering on writes wherever its
// driver pointed it. When a driver ends, its DMA memory objects lose their
// last handle and their frames go back to the allocator, which hands them
// to the next component that asks; a device still running (a virtio queue
// with buffers posted, an input device with events to deliver) would then
// write into another component's memory. So the bus server does not turn
// bus mastering on itself: it asks the kernel (msg.bus_master) for the
// driver whose request it is answering, and the kernel records the claim
// on the driver. When the driver ends, before any of its memory goes back
// (component/end.ts), the kernel turns bus mastering off on every function
// it claimed that no other running component claims too (a new instance
// that already took the device over keeps it on).
//
// A driver whose device must not stop between two of its instances (an
// input device drops the events that find no buffer, and QEMU's virtio
// clears DRIVER_OK when bus mastering goes off) keeps its rings and
// buffers in DMA memory that outlives it: a DMA state object (state.dma),
// held for its identity, whose frames go back only after state.delete. Its
// claim then passes to the identity and bus mastering stays on: the device
// can write only into memory that is not freed. It does so exactly when
//   - the identity holds a DMA state object, and
//   - the ending instance made no DMA object that no state name holds
//     (whose frames its end may free: it might have pointed the device
//     there);
// otherwise bus mastering goes off as before. A claim kept for an
// identity is weighed again at the end of every later instance of it that
// has not claimed the function itself (one that pointed the device at
// memory of its own, then died before pci.enable, turns it off), passes to
// whichever component claims the function next, and turns bus mastering
// off when the identity deletes a DMA state object (state-object.ts), so
// that no frame the device may write goes back while bus mastering is on.
// If the supervisor never starts the driver again, the device writes on
// into memory that stays the identity's, and nothing else.
//
// Claims are few (a driver drives a handful of functions), so a list and
// a scan are enough.

import { Component } from "../component/component";
import { load32, store32 } from "../arch/x86_64/native";
import { phys } from "../memory/physical";
import { holdsDmaNotKept, identityKeepsDma } from "./memory-object";

/** Byte offset of the command register in a function's configuration space; the status register is the upper half of its dword. */
const COMMAND: u64 = 4;
/** The command register's bus master enable bit. */
export const COMMAND_BUS_MASTER: u32 = 1 << 2;
/** The most functions one component may claim. */
export const CLAIMS_MAXIMUM: i32 = 16;

class Claim {
  constructor(
    /** The running driver that claimed it; null once the driver ended and the claim passed to its identity. */
    public component: Component | null,
    readonly identity: string,
    readonly config: u64,
  ) {}
}

const claims: Claim[] = [];

/** How many functions `component` claimed. */
function claimsOf(component: Component): i32 {
  let count = 0;
  for (let i = 0; i < claims.length; i++) if (unchecked(claims[i]).component === component) count++;
  return count;
}

/** Writes the command register of the function at `config`, leaving the status register alone (its bits clear when written as 1). */
function setCommand(config: u64, command: u32): void {
  store32(phys(config + COMMAND), <i32>(command & 0xffff));
}

function command(config: u64): u32 {
  return <u32>load32(phys(config + COMMAND)) & 0xffff;
}

/** Whether a claim on the function at `config` other than `except` is there: a running driver's, or also a kept one unless `running`. */
function claimedElsewhere(config: u64, except: Claim, running: bool = false): bool {
  for (let i = 0; i < claims.length; i++) {
    const claim = unchecked(claims[i]);
    if (claim !== except && claim.config == config && (!running || claim.component != null)) return true;
  }
  return false;
}

/** Drops claim `at`, and turns bus mastering off on its function unless another claim holds it. */
function drop(at: i32): void {
  const claim = unchecked(claims[at]);
  claims.splice(at, 1);
  if (!claimedElsewhere(claim.config, claim)) setCommand(claim.config, command(claim.config) & ~COMMAND_BUS_MASTER);
}

/**
 * `component` drives the function whose configuration page is at physical
 * `config`: bus mastering goes on, and off again when it ends. A claim
 * kept for an ended driver's identity passes to it. False when it already
 * holds CLAIMS_MAXIMUM other claims.
 */
export function claimBusMaster(component: Component, config: u64): bool {
  let held = false;
  for (let i = 0; i < claims.length; i++) {
    const claim = unchecked(claims[i]);
    if (claim.component === component && claim.config == config) held = true;
  }
  if (!held) {
    if (claimsOf(component) >= CLAIMS_MAXIMUM) return false;
    // The new driver answers for the device now; the bit stays on throughout.
    for (let i = claims.length - 1; i >= 0; i--) {
      const claim = unchecked(claims[i]);
      if (claim.component == null && claim.config == config) claims.splice(i, 1);
    }
    claims.push(new Claim(component, component.identity, config));
  }
  setCommand(config, command(config) | COMMAND_BUS_MASTER);
  return true;
}

/**
 * `component` is ending, before its memory objects let go of their
 * frames: each function it claimed, and each one kept for its identity,
 * stays bus master only when its memory is kept (above) or another
 * running component claims it.
 */
export function releaseBusMasters(component: Component): void {
  const keeps = identityKeepsDma(component.identity) && !holdsDmaNotKept(component);
  for (let i = claims.length - 1; i >= 0; i--) {
    const claim = unchecked(claims[i]);
    const own = claim.component === component;
    if (!own && !(claim.component == null && claim.identity == component.identity)) continue;
    // A new version that took the device over already answers for it.
    if (keeps && !claimedElsewhere(claim.config, claim, true)) claim.component = null;
    else drop(i);
  }
}

/** `identity` is deleting a DMA state object: bus mastering kept for it goes off before any of those frames can go back. */
export function releaseKeptBusMasters(identity: string): void {
  for (let i = claims.length - 1; i >= 0; i--) {
    const claim = unchecked(claims[i]);
    if (claim.component == null && claim.identity == identity) drop(i);
  }
}
