// A component's shadow stack under many threads.
//
// AssemblyScript's full runtime keeps a component's managed locals in a
// shadow stack in its linear memory (`__stack_pointer`, growing down from
// `__heap_base` towards `__data_end`) so that its collector finds them: it
// scans [__stack_pointer, __heap_base) when it finishes marking. There is
// one such area per component, but each of its threads has wasm frames of
// its own, and a thread blocked in a system call keeps its frames while
// another thread of the component runs. So the area is split, as the
// kernel splits its own (sched/kernel-shadow-stack.ts, a different stack:
// the kernel's frames in the kernel's memory, moved at every thread
// switch):
//
//   __data_end                  runTop                          __heap_base
//   | running area (grows down)   | slot 0 | slot 1 | ... | slot N-1 |
//
// The running thread's frames sit right below runTop; a thread that does
// not run keeps a copy of its frames in a slot of its own. The component
// lock (sched/lock.ts) lets one thread at a time run the component's wasm,
// so frames move exactly when the lock goes to another thread than the one
// whose frames are below runTop (the runner, Component.shadowRunner): that
// one's frames go into its slot, the new holder's come back below runTop. Every thread thus runs
// with the frame addresses it had (compiled code may keep a frame's
// address across a call), and the collector, scanning up to __heap_base,
// sees the frames of every thread. Bytes of a slot beyond what it holds
// are kept zero: the collector reads them too.
//
// Invariants:
//  - the component exports `__stack_pointer` (a mutable i32 global),
//    `__data_end` and `__heap_base` (i32 constants); sdk/build's transform
//    adds them to every component with a shadow stack. A component without
//    them has none to move (`--runtime stub` or `minimal`);
//  - the running area is the first RUNNING_AREA bytes above __data_end
//    (AssemblyScript's default stack size, so a single-threaded component
//    has what it would have anyway); the rest, in SLOT_SIZE slots, holds
//    the frames of threads that do not run. With no room for a slot the
//    running area is the whole area, and the component has one thread;
//  - every live thread of a component with slots holds one
//    (`wasmShadowSlot`); thread.create finds none free: NO_MEMORY;
//  - a thread whose frames must be set aside has at most SLOT_SIZE bytes
//    of them, or its component faults (call stack exhausted);
//  - a single-threaded component copies nothing: its thread stays the
//    runner, and taking the lock back costs the fast path's one comparison.

import { TrapKind } from "../../sdk/compiler/src/traps";
import { ConstKind, ExternKind, ValType } from "../../sdk/compiler/src/module";
import { CompiledComponent } from "../../sdk/loader/component";
import { Instance } from "../../sdk/loader/instance";
import * as console from "../console";
import { componentTrapped, describe } from "./end";
import { Thread } from "../object/thread";
import { Component } from "./component";
import { copyUser, lastFault, zeroUser } from "./copy";

/** The running area: the deepest frames a thread may have while it runs. */
export const RUNNING_AREA: u32 = 32 << 10;
/** The frames a thread may keep while another thread of its component runs. */
export const SLOT_SIZE: u32 = 2 << 10;

const WASM_PAGE: u64 = 65536;

/** Where a module's shadow stack lies, from its exports: the same for every instance of its code. */
export class ComponentShadowStackLayout {
  /** The global index of `__stack_pointer`. */
  pointerGlobal: u32 = 0;
  dataEnd: u32 = 0;
  runTop: u32 = 0;
  heapBase: u32 = 0;
  slotCount: i32 = 0;
}

/** Why readShadowStackLayout refused a module. */
export let shadowStackError: string = "";

function refuse(why: string): ComponentShadowStackLayout | null {
  shadowStackError = "shadow stack: " + why;
  return null;
}

/** The global index of export `name`, -1 when there is none, -2 when it is not a defined i32 global (shadowStackError says why). */
function exportedGlobal(compiled: CompiledComponent, name: string): i64 {
  for (let i = 0; i < compiled.exports.length; i++) {
    const entry = compiled.exports[i];
    if (entry.name != name) continue;
    if (entry.kind != ExternKind.Global) { refuse("export " + name + " is not a global"); return -2; }
    if (entry.index < compiled.numImportedGlobals) { refuse("export " + name + " is an imported global"); return -2; }
    if (compiled.globals[entry.index].valType != <u8>ValType.I32) { refuse("export " + name + " is not an i32 global"); return -2; }
    return <i64>entry.index;
  }
  return -1;
}

/** The constant value of defined global `index`, -1 when its initialiser is not an i32 constant. */
function constantValue(compiled: CompiledComponent, index: u32): i64 {
  const init = compiled.globalInits[<i32>(index - compiled.numImportedGlobals)];
  return init.kind == ConstKind.I32 ? <i64>(<u32>init.bits) : -1;
}

/**
 * The shadow stack `compiled` exports; null when it has none, or when what
 * it exports is malformed (then shadowStackError says what is wrong, "" otherwise).
 */
export function readShadowStackLayout(compiled: CompiledComponent): ComponentShadowStackLayout | null {
  shadowStackError = "";
  const pointer = exportedGlobal(compiled, "__stack_pointer");
  const dataEndGlobal = exportedGlobal(compiled, "__data_end");
  const heapBaseGlobal = exportedGlobal(compiled, "__heap_base");
  if (shadowStackError.length > 0) return null;
  if (pointer < 0 && dataEndGlobal < 0 && heapBaseGlobal < 0) return null;
  if (pointer < 0) return refuse("exports __data_end and __heap_base but no __stack_pointer");
  if (dataEndGlobal < 0 || heapBaseGlobal < 0) return refuse("exports __stack_pointer but not both __data_end and __heap_base");
  if (!compiled.globals[<i32>pointer].mutable) return refuse("__stack_pointer is immutable");
  const dataEnd = constantValue(compiled, <u32>dataEndGlobal);
  const heapBase = constantValue(compiled, <u32>heapBaseGlobal);
  if (dataEnd < 0 || heapBase < 0) return refuse("__data_end and __heap_base must be i32 constants");
  if (dataEnd > heapBase) return refuse("__data_end (" + dataEnd.toString() + ") lies above __heap_base (" + heapBase.toString() + ")");
  if (compiled.memories.length == 0) return refuse("a shadow stack but no memory");
  const length = <u64>compiled.memories[0].min * WASM_PAGE;
  if (<u64>heapBase > length) {
    return refuse("__heap_base (" + heapBase.toString() + ") lies past the memory's initial " + length.toString() + " bytes");
  }
  const layout = new ComponentShadowStackLayout();
  layout.pointerGlobal = <u32>pointer;
  layout.dataEnd = <u32>dataEnd;
  layout.heapBase = <u32>heapBase;
  const area = <u32>(heapBase - dataEnd);
  layout.slotCount = area >= RUNNING_AREA + SLOT_SIZE ? <i32>((area - RUNNING_AREA) / SLOT_SIZE) : 0;
  layout.runTop = layout.heapBase - <u32>layout.slotCount * SLOT_SIZE;
  return layout;
}

/** A component's shadow stack while it runs. */
export class ComponentShadowStack {
  readonly layout: ComponentShadowStackLayout;
  /** The vmctx cell of `__stack_pointer` (a pointer into the kernel's memory: the instance keeps the vmctx). */
  readonly pointerCell: usize;
  /** Absolute address of byte 0 of the component's memory. */
  readonly memoryBase: u64;
  /** 1 for every slot a live thread holds. */
  readonly slotUsed: StaticArray<u8>;
  /** The component's live threads. */
  threads: i32 = 0;

  constructor(layout: ComponentShadowStackLayout, pointerCell: usize, memoryBase: u64) {
    this.layout = layout;
    this.pointerCell = pointerCell;
    this.memoryBase = memoryBase;
    this.slotUsed = new StaticArray<u8>(layout.slotCount);
  }

  get pointer(): u32 { return load<u32>(this.pointerCell); }
  set pointer(value: u32) { store<u32>(this.pointerCell, value); }

  /** Absolute address of slot `slot`. */
  slotAddress(slot: i32): u64 {
    return this.memoryBase + <u64>this.layout.runTop + <u64>slot * <u64>SLOT_SIZE;
  }
}

/**
 * Gives a new instance its shadow stack: the stack pointer starts at runTop,
 * below the slots, before any of its wasm runs.
 */
export function startShadowStack(component: Component, layout: ComponentShadowStackLayout, instance: Instance): void {
  const cell = instance.vmctx + <usize>instance.component.layout.global(layout.pointerGlobal);
  const stack = new ComponentShadowStack(layout, cell, instance.memory!.base);
  stack.pointer = layout.runTop;
  component.shadowStack = stack;
}

/** The first free slot of `stack`, -1 when none is. */
function freeSlot(stack: ComponentShadowStack): i32 {
  const used = stack.slotUsed;
  for (let i = 0; i < used.length; i++) if (unchecked(used[i]) == 0) return i;
  return -1;
}

/**
 * Can `component` have one more thread? Every thread needs a slot, but the
 * first thread of a component without slots: it is never set aside.
 */
export function canTakeShadowSlot(component: Component): bool {
  const stack = component.shadowStack;
  return stack == null || stack.threads == 0 || freeSlot(stack) >= 0;
}

/** Gives `thread`, a new thread of `component`, a slot for its frames (canTakeShadowSlot said there is one). */
export function takeShadowSlot(component: Component, thread: Thread): void {
  const stack = component.shadowStack;
  if (stack == null) return;
  const slot = freeSlot(stack);
  if (slot >= 0) unchecked(stack.slotUsed[slot] = 1);
  thread.wasmShadowSlot = slot;
  thread.wasmShadowBytes = 0;
  stack.threads++;
}

/** A thread of a running component ends: its frames are dropped and its slot is free again. */
export function dropShadowSlot(component: Component, thread: Thread): void {
  const stack = component.shadowStack;
  if (stack == null || !component.isRunning) return;
  if (component.shadowRunner === thread) component.shadowRunner = null;
  const slot = thread.wasmShadowSlot;
  if (slot >= 0) {
    // A slot that cannot be cleared (the component made it read-only) fails the next thread that moves frames there.
    if (thread.wasmShadowBytes > 0) zeroUser(stack.slotAddress(slot), <u64>thread.wasmShadowBytes);
    unchecked(stack.slotUsed[slot] = 0);
  }
  thread.wasmShadowSlot = -1;
  thread.wasmShadowBytes = 0;
  stack.threads--;
}

/** The runner's frames do not fit its slot: its component faults. Never returns. */
function framesTooDeep(component: Component, runner: Thread, thread: Thread, used: i64): void {
  describe(component, "thread ");
  console.decimal(<u64>runner.id);
  console.text(" blocked with ");
  console.signed(used);
  console.text(" bytes of shadow-stack frames, more than its slot's ");
  console.decimal(<u64>SLOT_SIZE);
  console.text(", when thread ");
  console.decimal(<u64>thread.id);
  console.text(" took the lock");
  console.end();
  componentTrapped(runner, TrapKind.StackExhausted, 0);
}

/** Moving frames faulted: the component's memory there is not its own to write (it mapped it read-only). Never returns. */
function framesUnreachable(component: Component, thread: Thread): void {
  describe(component, "shadow stack at ");
  console.hex(lastFault());
  console.text(" cannot be written when thread ");
  console.decimal(<u64>thread.id);
  console.text(" took the lock");
  console.end();
  componentTrapped(thread, TrapKind.MemoryOutOfBounds, 0);
}

/**
 * `thread` has just taken its component's lock: when another thread's
 * frames lie below runTop, they go into that thread's slot and `thread`'s
 * come back from its own. A runner whose frames do not fit its slot faults
 * its component (call stack exhausted), and this never returns: `thread`
 * ends with it. The lock's fast path skips the call when `thread` is the
 * runner already (sched/lock.ts).
 */
export function switchShadowFrames(component: Component, thread: Thread): void {
  if (component.shadowRunnerLink == changetype<usize>(thread)) return;
  const stack = component.shadowStack;
  if (stack == null || !component.isRunning) {
    component.shadowRunner = thread;
    return;
  }
  const runner = component.shadowRunner;
  const runTop = <u64>stack.layout.runTop;
  if (runner != null && runner.isAlive && runner.wasmShadowSlot >= 0) {
    const used = <i64>runTop - <i64>stack.pointer;
    if (used < 0 || used > <i64>SLOT_SIZE) { framesTooDeep(component, runner, thread, used); return; }
    if (!setAsideFrames(stack, runner, used)) {
      framesUnreachable(component, thread);
      return;
    }
  }
  const bytes = <u64>thread.wasmShadowBytes;
  if (bytes > 0) {
    const slot = stack.slotAddress(thread.wasmShadowSlot);
    if (!copyUser(stack.memoryBase + runTop - bytes, slot, bytes) || !zeroUser(slot, bytes)) {
      framesUnreachable(component, thread);
      return;
    }
  }
  stack.pointer = <u32>(runTop - bytes);
  thread.wasmShadowBytes = 0;
  component.shadowRunner = thread;
}

/** The runner's `used` bytes of frames below runTop go into its slot; false when the copy faulted. */
function setAsideFrames(stack: ComponentShadowStack, runner: Thread, used: i64): bool {
  const from = stack.memoryBase + <u64>stack.layout.runTop - <u64>used;
  if (!copyUser(stack.slotAddress(runner.wasmShadowSlot), from, <u64>used)) return false;
  runner.wasmShadowBytes = <u32>used;
  return true;
}

/**
 * A direct call's handler is about to run in `component` on a thread of
 * another (object/direct.ts): the runner's frames go into its slot and the
 * running area is left empty, with no runner, so that the next holder of
 * the lock gets its own frames back. False, with nothing moved, when they
 * cannot be set aside (more than a slot's bytes, a runner without a slot,
 * or the component's memory not writable there).
 */
export function emptyRunningArea(component: Component): bool {
  const stack = component.shadowStack;
  if (stack == null) {
    component.shadowRunner = null;
    return true;
  }
  const runner = component.shadowRunner;
  const used = <i64>stack.layout.runTop - <i64>stack.pointer;
  if (runner != null && runner.isAlive && used != 0) {
    if (used < 0 || used > <i64>SLOT_SIZE || runner.wasmShadowSlot < 0 || !setAsideFrames(stack, runner, used)) return false;
  }
  stack.pointer = stack.layout.runTop;
  component.shadowRunner = null;
  return true;
}
