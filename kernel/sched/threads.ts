// Making threads: a stack in its own region above an unmapped guard page
// (component/region.ts), a context that starts at `threadStart` through
// the link's thread start stub, a shadow-stack slot, and a place in the
// scheduler's list.
//
// A stack is mapped on demand, from its top down (docs/kernel.md,
// "Stacks"). The thread's stack limit (THREAD_STACK_LIMIT) sits
// STACK_HEADROOM above the lowest mapped page: the interrupt stubs lower it
// by INTERRUPT_ROOM while a handler runs on the thread's stack, and the
// trap path needs a little more, so nothing that respects the limit ever
// touches an unmapped page. When a prologue's stack check fails, the
// link's trap path asks growStack to map more and move the limit down,
// then runs the prologue again (link/services.ts); a system call or a
// memory.grow that finds less than its reserve above the limit asks the
// same. Only when the stack is mapped to the bottom (the limit
// STACK_HEADROOM above the guard page) does a deeper call trap with `call
// stack exhausted`; anything that still runs past it hits the guard page.
//
// growStack runs inside whatever the thread was doing, kernel code
// included, at the start of a function (a prologue) or of a system call:
// so it allocates nothing on the heap and touches only the frame allocator
// (whose functions call nothing between the changes they make), the
// stack's own page-table entries and the thread's own fields. The page
// tables over a stack are made with it and pinned (paging.ts pinTable), so
// growing never makes a table: a table being made elsewhere, interrupted at
// a prologue, is never one it needs.

import { THREAD_STACK_LIMIT } from "../../sdk/compiler/src/abi";
import { prepareContext } from "../arch/x86_64/contexts";
import { readRsp } from "../arch/x86_64/cpu";
import { INTERRUPT_ROOM, STACK_GROW_ROOM, STACK_GUARD_SIZE } from "../arch/x86_64/link-info";
import { load64, store64, threadBlock } from "../arch/x86_64/native";
import { SMALL_PAGE, pinTable, unpinTable } from "../arch/x86_64/paging";
import { Component } from "../component/component";
import { PageAccess, mapRegionPages, releaseRegion, releaseRegionLater, reserveRegion } from "../component/region";
import { Thread } from "../object/thread";
import { addThread, afterSwitch, current, currentThread, exitCurrent, makeReady } from "./scheduler";
import { allocateKernelShadowSlots, freeKernelShadowSlots } from "./kernel-shadow-stack";
import { releaseReceiveSlot, takeReceiveSlot } from "../object/receive-id";

/** Usable stack of a kernel thread (the loader runs the compiler on it). */
export const KERNEL_STACK_SIZE: u64 = 1 << 20;
/** Usable stack of a component's thread. */
export const COMPONENT_STACK_SIZE: u64 = 256 << 10;
const STACK_HEADROOM: u64 = <u64>INTERRUPT_ROOM + (8 << 10);
/**
 * How far below a new thread's top its first stack limit lies: a system
 * call's reserve (sched/entry.ts) and the frames of a thread's usual run,
 * so that most threads never grow.
 */
const FIRST_DEPTH: u64 = 64 << 10;
/** A stack grows by at least this much past what the failed check asked for, so that it grows seldom. */
const GROW_STEP: u64 = 16 << 10;
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

/**
 * Gives back the stack of a dead thread (the scheduler calls it once
 * nothing stands on it): in the background, like the memory of an ended
 * component (component/region.ts, releaseRegionLater), so that a
 * component's end does not wait for its threads' stacks to be unmapped.
 */
export function freeThreadStack(thread: Thread): void {
  if (thread.stackRegion == 0) return;
  unpinTable(thread.stackRegion);
  releaseRegionLater(thread.stackRegion);
  thread.stackRegion = 0;
}

/** Bytes of `thread`'s stack mapped now (0 for the boot stack, which is the image's). */
export function mappedStackBytes(thread: Thread): u64 {
  if (thread.stackRegion == 0) return 0;
  return thread.stackRegion + <u64>STACK_GUARD_SIZE + thread.stackSize - (thread.stackLimit - STACK_HEADROOM);
}

function createThread(component: Component | null, priority: i32, stackSize: u64, shadowSlots: i32,
  entry: (argument: i64) => void, argument: i64): Thread | null {
  const thread = new Thread(component, priority);
  // A component thread's slot names its messages (object/receive-id.ts); with none free it cannot be made.
  if (component != null && !takeReceiveSlot(thread)) return null;
  if (!allocateKernelShadowSlots(thread, shadowSlots)) {
    releaseReceiveSlot(thread);
    return null;
  }
  const guard = <u64>STACK_GUARD_SIZE;
  const region = reserveRegion(guard + stackSize);
  const bottom = region + guard;
  const top = bottom + stackSize;
  // The limit starts FIRST_DEPTH below the top (or at the bottom's, for a small stack).
  const limit = stackSize > FIRST_DEPTH + STACK_HEADROOM ? top - FIRST_DEPTH : bottom + STACK_HEADROOM;
  // The guard page's pin keeps the table over the bottom; the mapped top keeps the one over the top.
  if (region == 0 || !pinTable(region) || !mapRegionPages(limit - STACK_HEADROOM, top - (limit - STACK_HEADROOM), PageAccess.ReadWrite)) {
    if (region != 0) {
      unpinTable(region);
      releaseRegion(region);
    }
    freeKernelShadowSlots(thread);
    releaseReceiveSlot(thread);
    return null;
  }
  thread.stackRegion = region;
  thread.stackSize = stackSize;
  setStackLimit(thread, limit);
  thread.kernelEntry = entry;
  thread.kernelArgument = argument;
  prepareContext(thread.context, <i64>bottom, <i64>top, threadStart, 0);
  store64(thread.context.threadBlockAddress() + THREAD_STACK_LIMIT, <i64>limit);
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
 * (component/run.ts). Null when out of memory or out of thread slots
 * (object/receive-id.ts).
 */
export function createComponentThread(component: Component, priority: i32, entry: (argument: i64) => void): Thread | null {
  return createThread(component, priority, COMPONENT_STACK_SIZE, COMPONENT_SHADOW_SLOTS, entry, 0);
}

/** True when `address` is below what is mapped of `thread`'s stack: its guard page or the part not grown into yet. */
export function inStackGuard(thread: Thread, address: u64): bool {
  return thread.stackRegion != 0 && address >= thread.stackRegion && address < thread.stackLimit - STACK_HEADROOM;
}

/** The lowest limit `thread`'s stack can grow down to (0 for a stack that does not grow). */
export function stackFloor(thread: Thread): u64 {
  return thread.stackRegion == 0 ? 0 : thread.stackRegion + STACK_FLOOR_OFFSET;
}

/** Where a thread's stack floor lies above its stack region (its guard page's address). */
export const STACK_FLOOR_OFFSET: u64 = <u64>STACK_GUARD_SIZE + STACK_HEADROOM;

/**
 * The stack a direct call (object/direct.ts) leaves the handler at least,
 * down to the thread's stack floor; a thread with less is served by the
 * server's threads, so that no client chooses how deep a server's handler
 * may go.
 */
export const DIRECT_STACK: u64 = 64 << 10;
/**
 * What the link's native direct call puts below msg.send's return address
 * before it calls the handler (arch/x86_64/link/fast-path.ts, which checks
 * it against its own frame): rsp there must lie at or above the limit, as
 * at any call of compiled code (docs/compiler-abi.md, "Stack exhaustion").
 */
export const DIRECT_CALL_FRAME: u64 = 88;

/** Sets `thread`'s stack limit, and with it the least rsp a direct call may start from (Thread.directCallLowest). */
function setStackLimit(thread: Thread, limit: u64): void {
  thread.stackLimit = limit;
  thread.directCallLowest = max(stackFloor(thread) + DIRECT_STACK, limit + DIRECT_CALL_FRAME);
}

/** Set while growStack runs: a stack check failing inside it traps rather than growing again. */
let growing: bool = false;

/**
 * Grows the running thread's stack so that its limit, `limit` now (lowered
 * by INTERRUPT_ROOM when an interrupt handler runs), moves at least `need`
 * bytes down: maps the pages and returns the new limit for the thread
 * block, or 0 when the stack cannot grow that far (the caller traps as
 * before) or this is not a thread's own stack (the boot stack, an IST
 * stack). Called by the link's trap path (through the kernel's export
 * growStack, main.ts) and by reserveStack.
 */
export function growStack(limit: u64, need: u64): u64 {
  if (growing || current == 0 || need == 0) return 0;
  const thread = changetype<Thread>(current);
  const region = thread.stackRegion;
  if (region == 0 || <u64>threadBlock() != <u64>thread.context.threadBlockAddress()) return 0;
  const softLimit = thread.stackLimit;
  const offset = softLimit - limit;
  if (offset != 0 && offset != <u64>INTERRUPT_ROOM) return 0;
  const hardLimit = stackFloor(thread);
  if (need > softLimit - hardLimit) return 0;
  const wanted = softLimit - need;
  const newLimit = wanted >= hardLimit + GROW_STEP ? max((wanted - GROW_STEP) & ~(SMALL_PAGE - 1), hardLimit) : hardLimit;
  growing = true;
  const mapped = mapRegionPages(newLimit - STACK_HEADROOM, softLimit - newLimit, PageAccess.ReadWrite);
  growing = false;
  if (!mapped) return 0;
  setStackLimit(thread, newLimit);
  return newLimit - offset;
}

/**
 * Makes sure the running thread has `reserve` bytes of stack above its
 * limit, growing it when not: false when it cannot (sched/entry.ts, a
 * system call; component/memory.ts, a memory.grow).
 */
export function reserveStack(reserve: u64): bool {
  const block = threadBlock();
  const limit = <u64>load64(block + THREAD_STACK_LIMIT);
  const rsp = <u64>readRsp();
  if (rsp >= limit + reserve) return true;
  if (rsp < reserve) return false;
  // growStack runs below the limit, in the room the trap path has there.
  store64(block + THREAD_STACK_LIMIT, <i64>(limit - <u64>STACK_GROW_ROOM));
  const newLimit = growStack(limit, limit - (rsp - reserve));
  store64(block + THREAD_STACK_LIMIT, <i64>(newLimit != 0 ? newLimit : limit));
  return newLimit != 0;
}
