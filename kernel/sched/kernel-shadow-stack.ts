// AssemblyScript's shadow stack under many kernel stacks.
//
// The kernel's code keeps its managed locals in a shadow stack in linear
// memory (`__stack_pointer`, growing down towards `__data_end`) so that the
// collector finds them: it scans [__stack_pointer, __heap_base) when it
// finishes marking. There is one such area, but every thread has kernel
// frames of its own (a blocked thread is inside a system call). So the
// area is split:
//
//   __data_end            runTop                                __heap_base
//   | running area (grows down) | slot 0 | slot 1 | ... | slot N-1 |
//
// The running thread's frames sit right below runTop; every thread that
// does not run keeps a copy of its frames in a slot of its own. A switch
// copies the outgoing thread's frames [__stack_pointer, runTop) into its
// slot and the incoming thread's slot down to below runTop. Every thread
// thus runs with the same frame addresses it had (runTop is the base of
// all of them, so absolute shadow-stack pointers saved across a call stay
// right), and the collector, scanning up to __heap_base, sees the frames of
// every thread. Frames hold only managed pointers or zeros; bytes of a slot
// beyond what it holds are kept zero, since the collector reads them too.
// A switch copies a few dozen words.
//
// Not to be confused with a component's shadow stack
// (component/component-shadow-stack.ts): that one lies in a component's
// linear memory and holds its wasm frames; it is split the same way, but
// it moves when the component lock changes hands, not at every switch,
// through the fault-tolerant copy (a component's memory is not the
// kernel's to trust), one slot per thread, and a thread with too deep
// frames faults its component instead of halting the kernel. The two share
// the idea, not the memory, the moment or the failure, so they are two
// files.

import * as console from "../console";
import { Thread } from "../object/thread";

/** Bytes of one slot; a thread may take several. */
export const SLOT_SIZE: usize = 2048;
/** The running area: the deepest kernel frames a thread may have. */
const RUNNING_AREA: usize = 32 << 10;
const MAX_SLOTS: i32 = 512;

/** The running area's top (exported for the link's native fast path: a switch there needs the running area empty). */
export let runTop: usize = 0;
let slotCount: i32 = 0;
const slotUsed = memory.data(MAX_SLOTS);

/**
 * Moves the boot thread's frames from the top of the area to below runTop
 * and clears the slots. Called once by main, before any other thread exists.
 */
export function initKernelShadowStack(): bool {
  const top = __heap_base;
  runTop = __data_end + RUNNING_AREA;
  if (runTop > top) return false;
  slotCount = <i32>((top - runTop) / SLOT_SIZE);
  if (slotCount > MAX_SLOTS) slotCount = MAX_SLOTS;
  const used = top - __stack_pointer;
  if (used > RUNNING_AREA) return false;
  memory.copy(runTop - used, __stack_pointer, used);
  __stack_pointer = runTop - used;
  memory.fill(runTop, 0, top - runTop);
  return true;
}

export function kernelShadowSlotCount(): i32 { return slotCount; }

/** Gives `thread` `count` consecutive slots; false when none are free. */
export function allocateKernelShadowSlots(thread: Thread, count: i32): bool {
  let run = 0;
  for (let i = 0; i < slotCount; i++) {
    if (load<u8>(slotUsed + <usize>i) != 0) { run = 0; continue; }
    if (++run < count) continue;
    const first = i - count + 1;
    for (let k = first; k <= i; k++) store<u8>(slotUsed + <usize>k, 1);
    thread.shadowSlot = first;
    thread.kernelShadowSlotCount = count;
    thread.shadowBytes = 0;
    return true;
  }
  return false;
}

/** Frees a dead thread's slots (and clears what they held). */
export function freeKernelShadowSlots(thread: Thread): void {
  if (thread.shadowSlot < 0) return;
  if (thread.shadowBytes > 0) memory.fill(slotAddress(thread.shadowSlot), 0, thread.shadowBytes);
  const parked = thread.shadowParked;
  if (parked > 0) memory.fill(slotAddress(thread.shadowSlot) + slotCapacity(thread.kernelShadowSlotCount) - parked, 0, parked);
  thread.shadowParked = 0;
  for (let k = 0; k < thread.kernelShadowSlotCount; k++) store<u8>(slotUsed + <usize>(thread.shadowSlot + k), 0);
  thread.shadowSlot = -1;
  thread.kernelShadowSlotCount = 0;
  thread.shadowBytes = 0;
}

/** Where slot `slot` starts. */
export function slotAddress(slot: i32): usize {
  return runTop + <usize>slot * SLOT_SIZE;
}

/** The bytes a thread's slots hold. */
export function slotCapacity(count: i32): usize { return <usize>count * SLOT_SIZE; }

function overflow(threadId: u32, used: usize): void {
  console.begin();
  console.text("shadow stack: thread ");
  console.decimal(<u64>threadId);
  console.text(" has ");
  console.decimal(<u64>used);
  console.text(" bytes of kernel frames, more than its slots hold; halted");
  console.end();
  console.halt();
}

// The two halves of a switch are inlined into the switching function and
// take only numbers: a function of their own with managed locals would have
// a frame of its own on the shadow stack, and the frames saved or restored
// would be off by it.

/** Copies the running thread's frames into its slot (at `slot`, `capacity` bytes); returns their size. */
// @ts-ignore: decorator
@inline export function saveShadowFrames(slot: usize, capacity: usize, threadId: u32): usize {
  const used = runTop - __stack_pointer;
  if (used > capacity) overflow(threadId, used);
  memory.copy(slot, __stack_pointer, used);
  return used;
}

/** Makes the `used` bytes of frames at `slot` the running ones: copies them below runTop and clears the slot. */
// @ts-ignore: decorator
@inline export function restoreShadowFrames(slot: usize, used: usize): void {
  memory.copy(runTop - used, slot, used);
  __stack_pointer = runTop - used;
  memory.fill(slot, 0, used);
}

// While a thread runs wasm code, the kernel frames below it (the kernel's
// call into the component: runComponentThread, the start sequence) do not
// change; they would be copied at every switch of a thread that makes
// system calls. So callWasm parks them at the end of the thread's slots
// and runs the wasm with the running area empty; a system call's frames
// then start at runTop, and a fast path's switch copies nothing. They come
// back when the wasm code returns (or traps). Parked frames stay where the
// collector sees them; a switch saves at most the slots' capacity less
// what is parked.

/** Parks the running thread's frames (`thread`'s slots at `slot`, `capacity` bytes): how many bytes, 0 when none. */
// @ts-ignore: decorator
@inline export function parkShadowFrames(slot: usize, capacity: usize): usize {
  const used = runTop - __stack_pointer;
  if (used == 0) return 0;
  memory.copy(slot + capacity - used, __stack_pointer, used);
  __stack_pointer = runTop;
  return used;
}

/** Brings back `parked` bytes of frames parked at the end of slots at `slot` (`capacity` bytes); the running area is empty. */
// @ts-ignore: decorator
@inline export function unparkShadowFrames(slot: usize, capacity: usize, parked: usize): void {
  __stack_pointer = runTop - parked;
  memory.copy(__stack_pointer, slot + capacity - parked, parked);
  memory.fill(slot + capacity - parked, 0, parked);
}

/** Bytes of frames the running thread has now. */
// @ts-ignore: decorator
@inline export function shadowDepth(): usize { return runTop - __stack_pointer; }
