// How the kernel reaches physical memory: through the direct map of all
// physical memory its page tables set up (docs/kernel.md), and before
// those tables exist, through the firmware's identity map. Page tables,
// frames being zeroed, the payload, the framebuffer and the local APIC are
// all reached as phys(address).

let offset: u64 = 0;

/** From now on physical memory is reached at `base + address`. */
export function useDirectMap(base: u64): void { offset = base; }

// @ts-ignore: decorator
@inline export function phys(address: u64): i64 { return <i64>(offset + address); }
