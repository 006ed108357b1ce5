// Fault containment: how a component ends.
//
// A trap of any kind in a component's code — a wasm trap, an access past
// its memory (a page fault in its guard region), a stack overflow (its
// thread's stack check, or a page fault in the stack's guard page), any
// other CPU exception in its code — unwinds the thread to the kernel's
// call into the component (run.ts), which lands here. So does a
// trap of kernel code run on behalf of the component (a system call that
// ran out of the thread's stack). The component alone ends:
//
//   1. the fault is recorded: trap kind, pc, wasm function and offset
//      (the pc map), the CPU exception and address when one caused it;
//   2. endComponent takes it apart, in the order written there: its other
//      threads, its objects (mappings, names, replies owed, handles,
//      message timers, lent priorities, the end pulse to its supervisor),
//      its memory and code (its table and vmctx are garbage for the
//      kernel's collector; every frame and page-table page of its memory
//      and its threads' stacks goes back in the background, region.ts);
//   3. the faulting thread ends too.
//
// The line that says how it ended and how many frames are in use once its
// memory went back is written then (reportEnds, from the idle loop), not at
// the end: a restart's new instance serves first.
//
// Its code stays mapped for the code cache, but no longer executable once no
// live component runs it (platform.ts, sealCode).
//
// The same path, without a fault, ends a component whose last thread
// returned (Exited), that called component.exit (Exited with a status) or
// that its supervisor killed (Killed).

import { TrapKind, trapMessage } from "../../sdk/compiler/src/traps";
import * as console from "../console";
import { Component, ComponentFault, ComponentState, allComponents } from "./component";
import { kernelLinker } from "./loader";
import { isComponentCode, sealCode } from "./platform";
import { CompiledComponent } from "../../sdk/loader/component";
import { regionWaits, releaseRegionLater } from "./region";
import { failPendingReplies } from "../object/channel";
import { handlesOf } from "../object/handle";
import { serversOfClients, settleAfterEnd } from "../object/inheritance";
import { unmapAll } from "../object/memory-object";
import { releaseBusMasters } from "../object/bus-master";
import { disarmEnded } from "../object/message-timeout";
import { dropComponentNames } from "../object/pathname";
import { tellSupervisor } from "../object/pulse";
import { Thread, ThreadState } from "../object/thread";
import { storedAt } from "../object/array";
import { currentThread, exitCurrent, killThread } from "../sched/scheduler";
import { inStackGuard } from "../sched/threads";
import { allocatedFrameCount } from "../memory/frames";
import { dropShadowSlot } from "./component-shadow-stack";

// Ended components whose end line waits for their memory to go back (reportEnds), and their memory's base.
const endsToReport = new Array<Component>();
const endedMemories = new Array<u64>();

// What the exception handler saw, for the trap it turned the exception into.
let exceptionVector: i32 = -1;
let exceptionAddress: u64 = 0;
let exceptionPc: u64 = 0;

/** The exception handler tells which exception in component code it made a trap (at `pc`). */
export function noteComponentException(vector: i32, address: u64, pc: u64): void {
  exceptionVector = vector;
  exceptionAddress = address;
  exceptionPc = pc;
}

/** Begins a console line about `component`: `component N (NAME) WHAT`; the caller ends it. */
export function describe(component: Component, what: string): void {
  console.begin();
  console.text("component ");
  console.decimal(<u64>component.id);
  console.text(" (");
  console.text(component.name);
  console.text(") ");
  console.text(what);
}

/**
 * Ends `component` in `state`, taking it apart in one fixed order; each
 * step relies on the ones before it. The running thread, if it is the
 * component's, must end next (exitCurrent).
 *
 *  1. its threads but the running one leave every queue and are freed,
 *     and nothing of it runs again: the lock and the shadow stack go;
 *  2. mappings of memory objects into its memory are undone, while the
 *     memory is still there (memory-object.ts);
 *  3. its names go, so that a supervisor restarting it finds them free
 *     (pathname.ts);
 *  4. clients waiting for its replies fail with DEAD_SERVER, and handles
 *     its threads had in flight are dropped (channel.ts);
 *  5. its handles close: channels fail their senders, objects lose a
 *     reference (handle.ts);
 *  6. the message timers of its threads are disarmed (message-timeout.ts);
 *  7. priorities lent through its threads are recomputed for the threads
 *     that survive (inheritance.ts);
 *  8. its supervisor is told by the end pulse, once all of the above
 *     holds (pulse.ts);
 *  9. its memory region goes back, in the background (region.ts,
 *     releaseRegionLater: nothing runs or reads there any more; when a
 *     thread of another component is in its direct handler, once that call
 *     is over, releaseVisitedMemory), and its
 *     code stops being executable once no live component runs it.
 *
 * Steps 2 to 5 concern the message-passing state it has only once it made
 * or was given an object (`Component.ipc`).
 */
export function endComponent(component: Component, state: ComponentState): void {
  if (component.state != ComponentState.Running && component.state != ComponentState.Loading) return;
  component.state = state;
  const running = currentThread();
  // A thread of another component in its direct handler may still touch its memory (object/direct.ts).
  const owner = component.lockOwner;
  const visited = owner != null && owner.visitHome != null;
  // The servers its threads wait for lose those clients: they are recounted below (settleAfterEnd).
  const servers = serversOfClients(component);
  for (let i = 0; i < component.threads.length; i++) {
    const thread = component.threads[i];
    // A thread running another component's direct handler ends once the handler returned (object/direct.ts).
    if (thread !== running && thread.state != ThreadState.Dead && thread.visitHome == null) killThread(thread);
  }
  component.lockOwner = null;
  component.shadowStack = null;
  if (component.ipc != null) {
    // Its devices stop writing into memory before any of it goes back.
    releaseBusMasters(component);
    unmapAll(component);
    dropComponentNames(component);
    failPendingReplies(component);
    handlesOf(component).closeAll();
  }
  disarmEnded(component);
  settleAfterEnd(component, servers);
  tellSupervisor(component);
  const memory = component.memoryObject != 0 ? component.memoryBase : 0;
  component.memoryHeldByVisit = visited ? memory : 0;
  if (memory != 0 && !visited) releaseRegionLater(memory);
  endsToReport.push(component);
  endedMemories.push(memory);
  component.memoryObject = 0;
  component.instance = null;
  component.threads.length = 0;
  sealIfUnused(component.compiled);
}

/** No live component runs `compiled` any more: its code stops being executable (platform.ts). */
function sealIfUnused(compiled: CompiledComponent | null): void {
  if (compiled == null) return;
  const components = allComponents();
  for (let i = 0, count = components.length; i < count; i++) {
    const other = storedAt(components, i);
    if (other.compiled === compiled && (other.state == ComponentState.Running || other.state == ComponentState.Loading)) return;
  }
  sealCode(compiled);
}

/** A thread of a component trapped with `kind` at native `pc`: the component faulted. Never returns. */
export function componentTrapped(thread: Thread, kind: i32, pc: u64): void {
  componentFaulted(thread.component!, thread, kind, pc);
  exitCurrent();
}

/**
 * `component` faulted: `thread` trapped with `kind` at native `pc` in its
 * code (or in kernel code on its behalf). Records and reports the fault and
 * ends the component; the thread goes on (a direct call's client thread,
 * object/direct.ts) or ends next (componentTrapped).
 */
export function componentFaulted(component: Component, thread: Thread, kind: i32, pc: u64): void {
  const fault = new ComponentFault();
  fault.trapKind = kind;
  fault.pc = pc;
  fault.threadId = thread.id;
  if (exceptionVector >= 0 && exceptionPc == pc) {
    fault.vector = exceptionVector;
    fault.address = exceptionAddress;
  }
  exceptionVector = -1;
  const location = kernelLinker().locate(pc);
  if (location != null && location.component === component.compiled) {
    fault.functionIndex = location.funcIndex;
    fault.wasmOffset = location.wasmOffset;
  }
  component.fault = fault;
  describe(component, "faulted: ");
  console.text(trapMessage(kind));
  if (fault.functionIndex >= 0) {
    console.text(" in wasm function ");
    console.decimal(<u64>fault.functionIndex);
    if (fault.wasmOffset >= 0) {
      console.text(" at wasm offset ");
      console.hex(<u64>fault.wasmOffset);
    }
  } else {
    console.text(" in kernel code on its behalf");
  }
  console.text(" (thread ");
  console.decimal(<u64>thread.id);
  console.text(")");
  console.end();
  endComponent(component, ComponentState.Faulted);
}

/**
 * Writes the end line of each ended component whose memory went back
 * (region.ts): how it ended, and the frames in use now. The idle loop
 * calls it after each region it gives back.
 */
export function reportEnds(): void {
  let kept = 0;
  for (let i = 0; i < endsToReport.length; i++) {
    const component = endsToReport[i];
    const memory = endedMemories[i];
    if (memory != 0 && (regionWaits(memory) || component.memoryHeldByVisit != 0)) {
      endsToReport[kept] = component;
      endedMemories[kept++] = memory;
      continue;
    }
    const state = component.state;
    if (state == ComponentState.Faulted) describe(component, "ended: threads, handles and memory reclaimed; ");
    else if (state == ComponentState.Killed) describe(component, "killed; threads, handles and memory reclaimed; ");
    else {
      describe(component, "exited with status ");
      console.signed(<i64>component.exitStatus);
      console.text("; ");
    }
    console.decimal(allocatedFrameCount());
    console.text(" frames in use");
    console.end();
  }
  endsToReport.length = kept;
  endedMemories.length = kept;
}

/**
 * A component thread's wasm returned (or it called thread.exit): the
 * thread ends, giving back its shadow-stack slot, and the component ends
 * with its last thread.
 */
export function threadEnded(thread: Thread): void {
  const component = thread.component;
  if (component == null || !component.isRunning) return;
  dropShadowSlot(component, thread);
  let others = 0;
  for (let i = 0; i < component.threads.length; i++) {
    const other = component.threads[i];
    if (other !== thread && other.state != ThreadState.Dead) others++;
  }
  if (others > 0) return;
  endComponent(component, ComponentState.Exited);
}

/**
 * The direct call that visited `component` when it ended is over: its
 * memory goes back now (endComponent held it, since the visiting thread
 * could still enter the handler once, object/direct.ts).
 */
export function releaseVisitedMemory(component: Component): void {
  const memory = component.memoryHeldByVisit;
  if (memory == 0) return;
  component.memoryHeldByVisit = 0;
  releaseRegionLater(memory);
}

/** component.exit: the calling component ends with `status`. Never returns. */
export function exitComponent(thread: Thread, status: i32): void {
  const component = thread.component!;
  component.exitStatus = status;
  endComponent(component, ComponentState.Exited);
  exitCurrent();
}

/** component.kill: ends `component` as if it had faulted (state Killed). */
export function killComponent(component: Component): void {
  const running = currentThread();
  endComponent(component, ComponentState.Killed);
  if (running.component === component) exitCurrent();
}

/**
 * What the exception handler does with exception `vector` at `rip` that is
 * not the kernel's own business: a trap kind for the running component
 * thread to unwind with, or -1 (a kernel bug: halt). A page fault in
 * component code is an access past its memory, or, in its thread's stack
 * guard page, a stack overflow; a stack overflow of kernel code running on
 * a component's thread ends that component too; any other exception in
 * component code is reported and ends the component as `unreachable`.
 */
export function classifyComponentException(vector: i32, rip: u64, address: u64): i32 {
  const thread = currentThread();
  const component = thread.component;
  if (component == null) return -1;
  const inGuard = vector == 14 && inStackGuard(thread, address);
  let kind: i32 = -1;
  if (isComponentCode(rip)) {
    if (inGuard) kind = TrapKind.StackExhausted;
    else if (vector == 14) kind = TrapKind.MemoryOutOfBounds;
    else kind = TrapKind.Unreachable;
  } else if (inGuard) {
    kind = TrapKind.StackExhausted;
  }
  if (kind < 0) return -1;
  noteComponentException(vector, address, rip);
  describe(component, "caused it: trap ");
  console.text(trapMessage(kind));
  console.text(", unwinding to the kernel's call into the component");
  console.end();
  return kind;
}
