// The loader's Platform in the kernel (sdk/loader/platform.ts): address
// space from the component regions (region.ts), raw memory access through
// the delos:native intrinsics, code ranges recorded for the fault handler,
// the link's runtime services for every component's vmctx, and wasm entered
// through RT_INVOKE with interrupts on (component code is preemptible; the
// kernel's own code is not).

import { THREAD_TRAP_PC, VMCTX_RUNTIME } from "../../sdk/compiler/src/abi";
import { Access, Platform } from "../../sdk/loader/platform";
import { CompiledComponent } from "../../sdk/loader/component";
import { cli, sti } from "../arch/x86_64/cpu";
import { link } from "../arch/x86_64/handoff";
import { LINK_VMCTX } from "../arch/x86_64/link-info";
import { absolute, invoke, load64, store64, threadBlock } from "../arch/x86_64/native";
import { copyOut } from "./copy";
import { currentAddress } from "../sched/scheduler";
import { parkShadowFrames, slotAddress, slotCapacity, unparkShadowFrames } from "../sched/kernel-shadow-stack";
import { THREAD_SHADOW_PARKED, THREAD_SHADOW_SLOT, THREAD_SHADOW_SLOT_COUNT } from "../sched/layout";
import { PageAccess, mapRegionPages, reserveRegion, unmapRegionPages } from "./region";

// Native code of every mapped component, for the exception handler: is a pc component code?
const codeStarts = new Array<u64>();
const codeEnds = new Array<u64>();

/** True when `pc` is in the code of some component. */
export function isComponentCode(pc: u64): bool {
  for (let i = 0; i < codeStarts.length; i++) if (pc >= codeStarts[i] && pc < codeEnds[i]) return true;
  return false;
}

/**
 * Calls wasm code with interrupts on; a trap comes back as its kind (0:
 * returned). The kernel's shadow stack pointer is put back after a trap,
 * which skipped the epilogues that would have.
 */
export function callWasm(code: u64, vmctx: u64, slots: usize, count: i32): i32 {
  const shadow = __stack_pointer;
  // The kernel frames below the wasm code wait parked in the thread's slots (sched/kernel-shadow-stack.ts); not when already parked.
  const thread = currentAddress();
  const slot = thread != 0 ? load<i32>(thread + THREAD_SHADOW_SLOT) : -1;
  const capacity = slot >= 0 ? slotCapacity(load<i32>(thread + THREAD_SHADOW_SLOT_COUNT)) : 0;
  const parks = slot >= 0 && load<usize>(thread + THREAD_SHADOW_PARKED) == 0;
  if (parks) store<usize>(thread + THREAD_SHADOW_PARKED, parkShadowFrames(slotAddress(slot), capacity));
  sti();
  const kind = invoke(<i64>code, <i64>vmctx, absolute(slots), count);
  cli();
  if (kind != 0) __stack_pointer = shadow;
  if (parks) {
    const parked = load<usize>(thread + THREAD_SHADOW_PARKED);
    store<usize>(thread + THREAD_SHADOW_PARKED, 0);
    if (parked != 0) unparkShadowFrames(slotAddress(slot), capacity, parked);
  }
  return kind;
}

/**
 * Compiled code stays mapped while the code cache holds it, shared by
 * every instance; while no live component runs it, its pages are not
 * executable, so that nothing can run a dead component's code (a return
 * address left behind, a stale pointer): fetching from them faults, which
 * in component code is a trap of whoever tried. `sealCode` when the last
 * instance ended, `unsealCode` before the next one starts. (Without the
 * CPU's no-execute bit the pages stay executable.)
 */
export function sealCode(compiled: CompiledComponent): void {
  setCodeAccess(compiled, PageAccess.ReadOnly);
}

export function unsealCode(compiled: CompiledComponent): void {
  setCodeAccess(compiled, PageAccess.ReadExecute);
}

function setCodeAccess(compiled: CompiledComponent, access: PageAccess): void {
  if (compiled.mappedCode == 0 || compiled.codeLength == 0) return;
  mapRegionPages(compiled.mappedCode, <u64>compiled.codeLength, access);
}

export class KernelPlatform extends Platform {
  address(local: usize): u64 { return <u64>absolute(local); }

  reserve(bytes: u64): u64 { return reserveRegion(bytes); }

  protect(address: u64, bytes: u64, access: Access): bool {
    if (access == Access.None) { unmapRegionPages(address, bytes); return true; }
    return mapRegionPages(address, bytes, access == Access.ReadWrite ? PageAccess.ReadWrite : PageAccess.ReadExecute);
  }

  copyIn(destination: u64, source: usize, length: usize): void { copyOut(destination, source, <u64>length); }

  load64(address: u64): u64 { return <u64>load64(<i64>address); }
  store64(address: u64, value: u64): void { store64(<i64>address, <i64>value); }

  registerCode(start: u64, end: u64): bool {
    codeStarts.push(start);
    codeEnds.push(end);
    return true;
  }

  services(): u64 { return <u64>load64(link(LINK_VMCTX) + VMCTX_RUNTIME); }

  invoke(code: u64, vmctx: u64, slots: u64, count: i32): i32 {
    return callWasm(code, vmctx, <usize>(slots - <u64>absolute(0)), count);
  }

  trapPc(): u64 { return <u64>load64(threadBlock() + THREAD_TRAP_PC); }
}
