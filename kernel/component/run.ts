// Running a component's wasm code on its threads.
//
// A component's first thread runs its start sequence: the wasm start
// function (if any), `_initialize` (if exported: AssemblyScript's top-level
// code under --exportStart), then `_start` (if exported). Other threads
// (thread.create) run a function `(i32) -> ()` of the component's table.
// Each takes the component lock first and calls the wasm with interrupts
// on; when the call returns, the thread ends, and the component ends with
// its last thread (state Exited). When it traps, the component faulted:
// end.ts ends it. A component with an AssemblyScript shadow stack gives
// each thread a slot of it (component-shadow-stack.ts); with none free, thread.create
// fails with NO_MEMORY. The limits its parent set hold here too: no thread
// above its ceiling, no more alive than its `threads`, no memory.grow past
// its `pages` (the memory object's maximum is lowered to it).

import { ELEMENT_CODE, ELEMENT_SIZE, ELEMENT_TYPE_ID, ELEMENT_VMCTX, MEMORY_MAX_PAGES, THREAD_TRAP_PC } from "../../sdk/compiler/src/abi";
import { FuncType, ValType } from "../../sdk/compiler/src/module";
import { CompiledComponent } from "../../sdk/loader/component";
import { instantiate } from "../../sdk/loader/instance";
import { Linker } from "../../sdk/loader/linker";
import { load64, store64, threadBlock } from "../arch/x86_64/native";
import { Thread } from "../object/thread";
import { objectsOf } from "../object/handle";
import { acquireComponentLock } from "../sched/lock";
import { currentThread, makeReady } from "../sched/scheduler";
import { createComponentThread } from "../sched/threads";
import { Component, ComponentState, registerComponent } from "./component";
import { componentTrapped, threadEnded } from "./end";
import { LIMIT_CEILING, LIMIT_PAGES, LIMIT_THREADS, Manifest } from "./manifest";
import { callWasm, unsealCode } from "./platform";
import { releaseRegion } from "./region";
import { ComponentShadowStackLayout, canTakeShadowSlot, startShadowStack, takeShadowSlot } from "./component-shadow-stack";

/** Calls wasm function (code, vmctx) with up to one i32 argument; the trap kind, 0 when it returned. */
function call(code: u64, vmctx: u64, argument: i32, count: i32): i32 {
  const slots = new StaticArray<u64>(1);
  slots[0] = <u64><u32>argument;
  return callWasm(code, vmctx, changetype<usize>(slots), count);
}

/** Calls the component's export `name` `() -> ()` if it has one. */
function callExport(component: Component, name: string): i32 {
  const instance = component.instance!;
  const value = instance.findExport(name);
  if (value == null || value.func == null) return 0;
  const func = value.func!;
  if (func.type.params.length != 0 || func.type.results.length != 0) return 0;
  return call(func.code, func.vmctx, 0, 0);
}

function runStartSequence(component: Component): i32 {
  const instance = component.instance!;
  const start = instance.component.start;
  if (start >= 0) {
    const func = instance.function(<u32>start);
    const kind = call(func.code, func.vmctx, 0, 0);
    if (kind != 0) return kind;
  }
  const kind = callExport(component, "_initialize");
  if (kind != 0) return kind;
  return callExport(component, "_start");
}

/** The kernel entry of every component thread. */
function runComponentThread(argument: i64): void {
  const thread = currentThread();
  const component = thread.component!;
  acquireComponentLock(thread);
  if (!component.isRunning) return;
  const kind = thread.wasmCode == 0 ? runStartSequence(component) : call(thread.wasmCode, thread.wasmVmctx, thread.wasmArgument, 1);
  if (kind != 0) componentTrapped(thread, kind, <u64>load64(threadBlock() + THREAD_TRAP_PC));
  threadEnded(thread);
}

/**
 * Instantiates `compiled` as a new component and makes its first thread
 * ready; null (loaderError says why) when it cannot be instantiated.
 * `shadowStack`: where its AssemblyScript shadow stack lies, if it has one.
 */
export function startComponent(linker: Linker, compiled: CompiledComponent, rights: Manifest, identity: string,
  supervisor: Component | null, endNotice: Object | null, shadowStack: ComponentShadowStackLayout | null): Component | null {
  const instance = instantiate(compiled, linker);
  if (instance == null) return null;
  // Cached code that no live component ran was sealed (platform.ts).
  unsealCode(compiled);
  const component = new Component(rights, identity, supervisor);
  component.compiled = compiled;
  component.instance = instance;
  component.endNotice = endNotice;
  // Its message-passing objects now rather than at their first use, so that every system call of its threads
  // finds them (the link's native message paths rely on it).
  objectsOf(component);
  const memory = instance!.memory;
  if (memory != null) {
    component.memoryObject = memory.address;
    // memory.grow stops at the smaller of the module's maximum and the quota.
    const quota = <u64>rights.limit(LIMIT_PAGES);
    if (<u64>load64(<i64>memory.address + MEMORY_MAX_PAGES) > quota) store64(<i64>memory.address + MEMORY_MAX_PAGES, <i64>quota);
  }
  if (shadowStack != null) startShadowStack(component, shadowStack, instance!);
  const thread = createComponentThread(component, rights.priority, runComponentThread);
  if (thread == null) {
    if (memory != null) releaseRegion(memory.base);
    return null;
  }
  takeShadowSlot(component, thread!);
  component.state = ComponentState.Running;
  registerComponent(component);
  makeReady(thread!);
  return component;
}

let threadEntryType: FuncType | null = null;

/** The type `(i32) -> ()` of thread entry functions. */
function entryType(): FuncType {
  if (threadEntryType == null) {
    const type = new FuncType();
    type.params = [<u8>ValType.I32];
    threadEntryType = type;
  }
  return threadEntryType!;
}

/** Errors of createThreadOf (negative results, ipc/table/errors.ts). */
export const THREAD_ACCESS_DENIED: i32 = -3;
export const THREAD_INVALID_ARGUMENT: i32 = -5;
export const THREAD_NO_MEMORY: i32 = -6;
export const THREAD_QUOTA_EXCEEDED: i32 = -16;

/**
 * thread.create: a thread of `component` running table element `entry`
 * (a function `(i32) -> ()`) with `argument` at `priority`. Its id, or a
 * negative error: ACCESS_DENIED for a priority above the component's
 * ceiling; QUOTA_EXCEEDED when it has as many threads alive as its
 * `threads` limit; INVALID_ARGUMENT when the element is out of the table,
 * null or of another type; NO_MEMORY when there is no stack for it, or no
 * slot of the component's shadow stack.
 */
export function createThreadOf(component: Component, entry: u32, argument: i32, priority: i32): i32 {
  if (<i64>priority > component.limit(LIMIT_CEILING)) return THREAD_ACCESS_DENIED;
  if (<i64>component.liveThreads >= component.limit(LIMIT_THREADS)) return THREAD_QUOTA_EXCEEDED;
  const instance = component.instance;
  if (instance == null || instance.table == null) return THREAD_INVALID_ARGUMENT;
  const table = instance.table!;
  if (entry >= table.length) return THREAD_INVALID_ARGUMENT;
  const element = table.elements + <usize>entry * <usize>ELEMENT_SIZE;
  const code = load<u64>(element + ELEMENT_CODE);
  if (code == 0 || load<u64>(element + ELEMENT_TYPE_ID) != instance.linker.signatures.id(entryType())) return THREAD_INVALID_ARGUMENT;
  if (!canTakeShadowSlot(component)) return THREAD_NO_MEMORY;
  const thread = createComponentThread(component, priority, runComponentThread);
  if (thread == null) return THREAD_NO_MEMORY;
  takeShadowSlot(component, thread!);
  thread.wasmCode = code;
  thread.wasmVmctx = load<u64>(element + ELEMENT_VMCTX);
  thread.wasmArgument = argument;
  makeReady(thread!);
  return <i32>thread!.id;
}
