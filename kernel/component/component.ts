// A component: one instance of a compiled wasm module, with its own linear
// memory in its own reserved region, its own table, its threads, and its
// rights: the capabilities and limits its parent granted, as far as its
// manifest asked for them (authority.ts).
//
// Invariants:
//  - pointers a component passes to the kernel are offsets in its linear
//    memory; the kernel uses one only after `inMemory` said the whole range
//    lies below the memory's current length (memory.grow only raises it);
//  - a component's threads run its wasm code one at a time: the one holding
//    `lockOwner` (sched/lock.ts); the others wait in `lockWaiters` or in the
//    kernel; each has shadow-stack frames of its own (component-shadow-stack.ts);
//  - once it ends (`state` past Running) none of its threads runs again,
//    its end (end.ts) has run once (its handles closed, its clients' sends
//    failed), its memory, table, stacks and page-table pages are given back, and only this record stays, for
//    component.status; its supervisor learns of the end by a pulse.

import { Instance } from "../../sdk/loader/instance";
import { CompiledComponent } from "../../sdk/loader/component";
import { MEMORY_BASE, MEMORY_LENGTH } from "../../sdk/compiler/src/abi";
import { Thread } from "../object/thread";
import { WaitQueue } from "../sched/wait-queue";
import { currentThread } from "../sched/scheduler";
import { load64 } from "../arch/x86_64/native";
import { Manifest } from "./manifest";
import { ComponentShadowStack } from "./component-shadow-stack";

/** A component's kind, from its grant or its manifest. */
export const enum ComponentKind {
  Driver = 1,
  Server = 2,
  App = 3,
  Test = 4,
  /** A supervisor may hold every capability, to grant its children what they need. */
  Supervisor = 5,
}

/** The values of ipc/'s COMPONENT_STATE_*. */
export const enum ComponentState {
  Loading = 0,
  Running = 1,
  Exited = 2,
  Faulted = 3,
  Killed = 4,
}

/** Where and how a component faulted. */
export class ComponentFault {
  /** The trap kind (docs/compiler-abi.md, Traps). */
  trapKind: i32 = 0;
  /** The native pc of the trap site. */
  pc: u64 = 0;
  /** The wasm function index and byte offset in the module, -1 when unknown. */
  functionIndex: i32 = -1;
  wasmOffset: i64 = -1;
  /** The CPU exception that became the trap, -1 for a trap of the code itself. */
  vector: i32 = -1;
  /** The faulting address of a page fault. */
  address: u64 = 0;
  /** The thread it happened on. */
  threadId: u32 = 0;
}

let nextComponentId: u32 = 1;

export class Component {
  readonly id: u32;
  /** What it may do: its name, kind, capabilities and limits (authority.ts). */
  readonly rights: Manifest;
  /** Its name under its parent's identity (`init/echo`): what its state objects and names belong to. */
  readonly identity: string;
  /** Its pulses waiting in channels' queues (pulse.ts), against its `pulses` limit. */
  queuedPulses: i32 = 0;
  /** 4 KiB pages of the memory objects it made that still hold their frames (memory-object.ts), against its `objects` limit. */
  objectPages: i64 = 0;
  state: ComponentState = ComponentState.Loading;
  /**
   * The thread whose shadow-stack frames lie in the running area, by
   * address as lockOwner, so that the lock's fast path compares it without
   * a managed local; cleared when that thread ends (threadEnded). Without
   * a shadow stack, the thread that last took the lock: the fast path is
   * one comparison either way. Right after `state`: the link's native
   * direct call tests both (running, nobody's frames) with one 8-byte
   * compare (arch/x86_64/link/fast-path.ts).
   */
  shadowRunnerLink: usize = 0;
  /** Clock ticks that found one of its threads running (sched/scheduler.ts): its CPU time, sampled. */
  cpuTicks: u64 = 0;
  /** Messages it sent (msg.send and msg.sendv, fast path or not). */
  messages: u64 = 0;
  /** It ended while a thread of another component ran its direct handler: its memory, held until that call is over (end.ts); 0: none. */
  memoryHeldByVisit: u64 = 0;
  /** component.exit's status. */
  exitStatus: i32 = 0;
  fault: ComponentFault | null = null;
  /** The component that started it (null: the kernel started it). */
  supervisor: Component | null;

  /** The compiled code (shared by every instance of the same wasm) and this instance. */
  compiled: CompiledComponent | null = null;
  instance: Instance | null = null;
  /** Absolute address of its memory object (0: it has no memory). */
  memoryObject: u64 = 0;

  threads: Thread[] = [];
  /**
   * The thread holding the component lock (sched/lock.ts), by address: it
   * changes hands at every blocking call, and a plain store spares the
   * collector's write barrier. The collector need not follow it: the owner
   * is one of the component's threads, held by the scheduler's list of all
   * threads, and the component's end clears it (end.ts).
   */
  private lockOwnerLink: usize = 0;
  /**
   * Not 0 whenever a thread may wait in lockWaiters (set before one waits,
   * cleared when the lock is let go or handed over with none left; a waiter
   * that leaves otherwise, killed, may leave it set until then). Right after
   * lockOwnerLink: the link's native message paths compare both with the
   * holder in one 8-byte compare (arch/x86_64/link/fast-path.ts).
   */
  lockWaited: u32 = 0;
  readonly lockWaiters: WaitQueue = new WaitQueue();
  /** Its threads' AssemblyScript shadow-stack frames (null: it has no shadow stack; component-shadow-stack.ts). */
  shadowStack: ComponentShadowStack | null = null;

  /**
   * For the message-passing objects: the component's handle table and
   * whatever else they keep per component, and what to tell at its end
   * (the connection component.spawn was given). Never read here.
   */
  ipc: Object | null = null;
  endNotice: Object | null = null;
  /**
   * The address of its handle table (in `ipc`), set with it: the link's
   * native message paths reach the table in one load (object/handle.ts).
   */
  handleTableLink: usize = 0;

  constructor(rights: Manifest, identity: string, supervisor: Component | null) {
    this.id = nextComponentId++;
    this.rights = rights;
    this.identity = identity;
    this.supervisor = supervisor;
  }

  // @ts-ignore: decorator
  @inline get lockOwner(): Thread | null { return changetype<Thread | null>(this.lockOwnerLink); }
  // @ts-ignore: decorator
  @inline set lockOwner(thread: Thread | null) { this.lockOwnerLink = changetype<usize>(thread); }
  // @ts-ignore: decorator
  @inline get shadowRunner(): Thread | null { return changetype<Thread | null>(this.shadowRunnerLink); }
  // @ts-ignore: decorator
  @inline set shadowRunner(thread: Thread | null) { this.shadowRunnerLink = changetype<usize>(thread); }

  get name(): string { return this.rights.name; }
  get kind(): ComponentKind { return this.rights.componentKind; }
  /** Its limit LIMIT_* (manifest.ts). */
  limit(index: i32): i64 { return this.rights.limit(index); }
  get isRunning(): bool { return this.state == ComponentState.Running; }

  /** Absolute address of byte 0 of its linear memory (0: none). */
  // @ts-ignore: decorator
  @inline get memoryBase(): u64 {
    return this.memoryObject == 0 ? 0 : rawLoad(this.memoryObject + <u64>MEMORY_BASE);
  }

  /** Current length of its linear memory in bytes. */
  // @ts-ignore: decorator
  @inline get memoryLength(): u64 {
    return this.memoryObject == 0 ? 0 : rawLoad(this.memoryObject + <u64>MEMORY_LENGTH);
  }

  /** True when [pointer, pointer + length) lies in its memory (u32 operands: the sum cannot overflow 64 bits). */
  inMemory(pointer: u32, length: u32): bool {
    return <u64>pointer + <u64>length <= this.memoryLength;
  }

  /** The absolute address of offset `pointer` of its memory (check with inMemory first). */
  address(pointer: u32): u64 {
    return this.memoryBase + <u64>pointer;
  }

  /** Threads not yet dead. */
  get liveThreads(): i32 {
    let count = 0;
    for (let i = 0; i < this.threads.length; i++) if (this.threads[i].isAlive) count++;
    return count;
  }
}

// @ts-ignore: decorator
@inline function rawLoad(address: u64): u64 { return <u64>load64(<i64>address); }

const components = new Array<Component>();

/** Every component ever started, ended ones included (component.status reads them). */
export function allComponents(): Component[] { return components; }

export function registerComponent(component: Component): void { components.push(component); }

export function componentById(id: u32): Component | null {
  for (let i = 0; i < components.length; i++) if (components[i].id == id) return components[i];
  return null;
}

/** The component of the running thread; null for kernel threads. */
export function currentComponent(): Component | null {
  return currentThread().component;
}
