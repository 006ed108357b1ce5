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
// Claims are few (a driver drives a handful of functions), so a list and
// a scan are enough.

import { Component } from "../component/component";
import { load32, store32 } from "../arch/x86_64/native";
import { phys } from "../memory/physical";

/** Byte offset of the command register in a function's configuration space; the status register is the upper half of its dword. */
const COMMAND: u64 = 4;
/** The command register's bus master enable bit. */
export const COMMAND_BUS_MASTER: u32 = 1 << 2;
/** The most functions one component may claim. */
export const CLAIMS_MAXIMUM: i32 = 16;

class Claim {
  constructor(readonly component: Component, readonly config: u64) {}
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

/**
 * `component` drives the function whose configuration page is at physical
 * `config`: bus mastering goes on, and off again when it ends. False when
 * it already holds CLAIMS_MAXIMUM other claims.
 */
export function claimBusMaster(component: Component, config: u64): bool {
  let held = false;
  for (let i = 0; i < claims.length; i++) {
    const claim = unchecked(claims[i]);
    if (claim.component === component && claim.config == config) held = true;
  }
  if (!held) {
    if (claimsOf(component) >= CLAIMS_MAXIMUM) return false;
    claims.push(new Claim(component, config));
  }
  setCommand(config, command(config) | COMMAND_BUS_MASTER);
  return true;
}

/** `component` is ending: bus mastering goes off on each function it claimed that no one else holds. Before its memory objects let go of their frames. */
export function releaseBusMasters(component: Component): void {
  for (let i = claims.length - 1; i >= 0; i--) {
    const claim = unchecked(claims[i]);
    if (claim.component !== component) continue;
    claims.splice(i, 1);
    let shared = false;
    for (let k = 0; k < claims.length; k++) if (unchecked(claims[k]).config == claim.config) shared = true;
    if (!shared) setCommand(claim.config, command(claim.config) & ~COMMAND_BUS_MASTER);
  }
}
