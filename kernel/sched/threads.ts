// Making threads: a stack in its own region above an unmapped guard page
// (component/region.ts), a context that starts at `threadStart` through
// the link's thread start stub, a shadow-stack slot, and a place in the
// scheduler's list. The stack limit (THREAD_STACK_LIMIT) sits
// STACK_HEADROOM above the guard page: the interrupt stubs lower it by
// INTERRUPT_ROOM while a handler runs on the thread's stack, and the trap
// path needs a little more; a deeper call traps with `call stack
// exhausted`, and anything that still runs past it hits the guard page.

import { THREAD_STACK_LIMIT } from "../../sdk/compiler/src/abi";
import { prepareContext } from "../arch/x86_64/contexts";
import { INTERRUPT_ROOM, STACK_GUARD_SIZE } from "../arch/x86_64/link-info";
import { store64 } from "../arch/x86_64/native";
import { Component } from "../component/component";
import { PageAccess, mapRegionPages, releaseRegion, reserveRegion } from "../component/region";
import { Thread } from "../object/thread";
import { addThread, afterSwitch, currentThread, exitCurrent, makeReady } from "./scheduler";
import { allocateKernelShadowSlots, freeKernelShadowSlots } from "./kernel-shadow-stack";

/** Usable stack of a kernel thread (the loader runs the compiler on it). */
export const KERNEL_STACK_SIZE: u64 = 1 << 20;
/** Usable stack of a component's thread. */
export const COMPONENT_STACK_SIZE: u64 = 256 << 10;
const STACK_HEADROOM: u64 = <u64>INTERRUPT_ROOM + (8 << 10);
/** Shadow-stack slots: kernel threads run deep kernel code (the loader); component threads only system calls. */
const KERNEL_SHADOW_SLOTS: i32 = 8;
const COMPONENT_SHADOW_SLOTS: i32 = 1;

/** Where every thread starts: runs its kernel entry, then ends. */
function threadStart(argument: i64): void {
  afterSwitch();
  const thread = currentThread();
  const entry = thread.kernelEntry;
  entry(thread.kernelArgument);
  exitCurrent();
}

/** Gives back the stack of a dead thread (the scheduler calls it once nothing stands on it). */
export function freeThreadStack(thread: Thread): void {
  if (thread.stackRegion == 0) return;
  releaseRegion(thread.stackRegion);
  thread.stackRegion = 0;
}

function createThread(component: Component | null, priority: i32, stackSize: u64, shadowSlots: i32,
  entry: (argument: i64) => void, argument: i64): Thread | null {
  const thread = new Thread(component, priority);
  if (!allocateKernelShadowSlots(thread, shadowSlots)) return null;
  const guard = <u64>STACK_GUARD_SIZE;
  const region = reserveRegion(guard + stackSize);
  if (region == 0 || !mapRegionPages(region + guard, stackSize, PageAccess.ReadWrite)) {
    if (region != 0) releaseRegion(region);
    freeKernelShadowSlots(thread);
    return null;
  }
  thread.stackRegion = region;
  thread.stackSize = stackSize;
  thread.kernelEntry = entry;
  thread.kernelArgument = argument;
  const bottom = region + guard;
  prepareContext(thread.context, <i64>bottom, <i64>(bottom + stackSize), threadStart, 0);
  store64(thread.context.threadBlockAddress() + THREAD_STACK_LIMIT, <i64>(bottom + STACK_HEADROOM));
  addThread(thread);
  if (component != null) component.threads.push(thread);
  return thread;
}

/** A kernel thread running `entry(argument)`, ready to run; null when out of memory. */
export function createKernelThread(entry: (argument: i64) => void, argument: i64, priority: i32): Thread | null {
  const thread = createThread(null, priority, KERNEL_STACK_SIZE, KERNEL_SHADOW_SLOTS, entry, argument);
  if (thread != null) makeReady(thread);
  return thread;
}

/**
 * A thread of `component` (not yet ready: the caller sets what wasm it
 * runs, then makes it ready); `entry` is the kernel function that runs it
 * (component/run.ts). Null when out of memory.
 */
export function createComponentThread(component: Component, priority: i32, entry: (argument: i64) => void): Thread | null {
  return createThread(component, priority, COMPONENT_STACK_SIZE, COMPONENT_SHADOW_SLOTS, entry, 0);
}

/** True when `address` is in the guard page below `thread`'s stack. */
export function inStackGuard(thread: Thread, address: u64): bool {
  return thread.stackRegion != 0 && address >= thread.stackRegion && address - thread.stackRegion < <u64>STACK_GUARD_SIZE;
}
