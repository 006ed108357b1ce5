// A thread: a kernel stack (its own virtual region above a guard page), a
// context block and a thread block (arch/x86_64/contexts.ts), a priority,
// and the state the scheduler (sched/) keeps it in.
//
// Invariants:
//  - a thread is in at most one list at a time, through `next`/`previous`:
//    a ready queue when Ready, a wait queue (or none) when Blocked, none
//    when Running or Dead;
//  - `priority` (what the scheduler uses) is `ownPriority`, or the highest
//    priority of the clients whose messages it serves (`lent`), raised
//    further by the first sender waiting on the channel it last received on
//    (`sendersBoost`) and by a waiter of the component lock the thread holds
//    (`lockBoost`); object/inheritance.ts passes changes on along chains of
//    servers;
//  - a thread of a component runs wasm code only while it holds its
//    component's lock (sched/lock.ts); it lets go when it blocks in the
//    kernel (a native message block keeps it until another thread wants
//    it) and takes it again before it returns to wasm;
//  - a Dead thread never runs again; its stack and shadow-stack slot are
//    given back by the next thread to run (a thread cannot free the stack
//    it stands on).
//
// Kernel threads (the idle thread, the loader) have no component.

import { Component } from "../component/component";
import { Context } from "../arch/x86_64/contexts";
import { WaitQueue } from "../sched/wait-queue";
import { Timeout } from "../sched/timeouts";
import { NO_PRIORITY } from "../sched/priority";

export { PRIORITY_COUNT, PRIORITY_LOWEST, PRIORITY_DEFAULT, PRIORITY_HIGHEST, NO_PRIORITY, isPriority } from "../sched/priority";

export const enum ThreadState {
  /** Made, not yet made ready. */
  Created = 0,
  Ready = 1,
  Running = 2,
  Blocked = 3,
  Dead = 4,
}

/** Why a thread is blocked (for reports and for the code that wakes it). */
export const enum BlockReason {
  None = 0,
  Sleep = 1,
  /** Waiting for its component's lock. */
  Lock = 2,
  /** A client waiting for a server to receive its message (K2's channels). */
  Send = 3,
  /** A client waiting for the reply. */
  Reply = 4,
  /** A server waiting for a message or a pulse. */
  Receive = 5,
  /** Waiting for a name to be registered. */
  Name = 6,
  /** Waiting for the loader to finish a job. */
  Load = 7,
  Other = 8,
}

/**
 * What a fast path's block promises (Thread.fastBlock): set by the message
 * fast paths' blocks (the link's native ones, object/fast-path.ts), 0 after
 * any other. While the thread is Blocked with it set, the block is that
 * fast path's: a single buffer (no iovec, flags 0), no timer armed, for
 * Reply not in a wait queue; so the next fast path need not check those.
 */
export const enum FastBlock {
  None = 0,
  /** Blocked for the reply of a msg.send. */
  Reply = 1,
  /** Blocked in the receive of a msg.reply_receive, msg.reply_wait or msg.receive. */
  Receive = 2,
}

/** What ended a block: `block` returns it. */
export const enum WakeReason {
  None = 0,
  /** Something woke it on purpose (wake(thread, WakeReason.Woken)). */
  Woken = 1,
  /** The timeout passed. */
  TimedOut = 2,
  /** The object it waited on went away (a channel closed, a server died). */
  Cancelled = 3,
}

let nextThreadId: u32 = 1;

export class Thread {
  readonly id: u32;
  /** Null for kernel threads. While it runs a direct handler, the handler's component (visitHome is its own). */
  component: Component | null;
  /** While it runs another component's direct handler (object/direct.ts): its own component; null otherwise. */
  visitHome: Component | null = null;
  /**
   * thread.timeout: the states (TIMEOUT_*) and nanoseconds (timeoutNanos) its
   * next message call takes; 0 states: none armed. Right after visitHome:
   * the link's native msg.send tests both with one 8-byte compare.
   */
  timeoutStates: u32 = 0;
  readonly context: Context = new Context();
  /**
   * The absolute address of its context block, fixed for the thread's life
   * (the context and its block are readonly, the kernel's memory never
   * moves): a switch reads it in one load instead of two and an add.
   */
  readonly contextBlock: i64;
  state: ThreadState = ThreadState.Created;
  ownPriority: i32;
  priority: i32;
  lent: i32 = NO_PRIORITY;
  lockBoost: i32 = NO_PRIORITY;

  /** Links of the one list the thread is in (a ready queue or a wait queue): addresses, not references (sched/thread-list.ts). */
  nextLink: usize = 0;
  previousLink: usize = 0;
  /** The wait queue it is blocked in, if any: a timeout or a kill takes it out. */
  waitQueue: WaitQueue | null = null;
  blockReason: BlockReason = BlockReason.None;
  wakeReason: WakeReason = WakeReason.None;
  /**
   * How its last block began (FastBlock): meaningful only while Blocked.
   * blockReason too is meaningful only while Blocked, and wakeReason only
   * to the thread itself right after its block (blockRaw's result): the
   * fast paths leave both as they were where nothing reads them.
   */
  fastBlock: FastBlock = FastBlock.None;
  /** TSC deadline of the block, 0 for none. */
  deadline: u64 = 0;
  /** Its timeout while blocked with one (sched/scheduler.ts). */
  timeout: Timeout | null = null;
  /** Ticks left of its time slice. */
  sliceLeft: i32 = 0;

  /** The stack: the guard page's address, the usable bytes above it (0: the boot stack). */
  stackRegion: u64 = 0;
  stackSize: u64 = 0;
  /** The stack limit of its wasm code outside interrupt handlers; the stack is mapped from STACK_HEADROOM below it up (sched/threads.ts). */
  stackLimit: u64 = 0;
  /**
   * The least rsp at which msg.send may call a direct handler on this
   * thread (sched/threads.ts, setStackLimit): the handler's stack can still
   * grow DIRECT_STACK, and the call's frame lies above the limit. Kept with
   * the limit, so that the link's native direct call compares rsp with it
   * once; no stack (a kernel thread): none.
   */
  directCallLowest: u64 = u64.MAX_VALUE;
  /** The slot its kernel shadow-stack frames are kept in while it does not run (sched/kernel-shadow-stack.ts). */
  shadowSlot: i32 = -1;
  kernelShadowSlotCount: i32 = 0;
  shadowBytes: usize = 0;
  /** Frames it keeps at the end of its slots while it runs wasm code (sched/kernel-shadow-stack.ts, parkShadowFrames). */
  shadowParked: usize = 0;
  /** Component threads: the slot of its component's shadow stack its wasm frames are kept in while another thread runs (component/component-shadow-stack.ts). */
  wasmShadowSlot: i32 = -1;
  wasmShadowBytes: u32 = 0;

  /** Kernel threads: the function the thread runs. */
  kernelEntry: (argument: i64) => void = noEntry;
  kernelArgument: i64 = 0;
  /** Component threads: the wasm function to call (native code, vmctx) and its i32 argument; code 0: the component's start sequence. */
  wasmCode: u64 = 0;
  wasmVmctx: u64 = 0;
  wasmArgument: i32 = 0;

  /**
   * For the message-passing objects (kernel/object/channel.ts ...): what a
   * blocked thread waits with — the message's buffers, the object — and the
   * result its waker leaves for it. The scheduler never reads them.
   */
  ipcObject: Object | null = null;
  ipcValues: StaticArray<i64> = new StaticArray<i64>(8);
  ipcResult: i64 = 0;
  /** Clients it received and has not answered (Reply-blocked, with `servedBy` = its id). */
  serving: i32 = 0;
  /** The priority of the first sender waiting on `lastChannel`, NO_PRIORITY when none (object/inheritance.ts). */
  sendersBoost: i32 = NO_PRIORITY;
  /** The channel it last received on, whose `lastReceiver` it is (a Channel; null: none). */
  lastChannel: Object | null = null;
  /**
   * The receive id of its last message (object/receive-id.ts: its slot
   * and a generation); while Reply-blocked, that message's, with the
   * component that received it (`pendingIn`, a component id) and the
   * thread that did (`servedBy`).
   */
  receiveId: u32 = 0;
  pendingIn: u32 = 0;
  servedBy: u32 = 0;
  /** Component threads: its slot in receive-id.ts's table, 0 for none. */
  receiveSlot: i32 = 0;
  /** While Reply-blocked: the number of the handle its message gave the server (0: none), for msg.info. */
  deliveredHandle: u32 = 0;
  timeoutNanos: i64 = 0;
  /** The running message call's timeout (object/message-timeout.ts): its states while blocked, its TSC deadline, its timer. */
  callStates: u32 = 0;
  callDeadline: u64 = 0;
  messageTimeout: Timeout | null = null;

  constructor(component: Component | null, priority: i32) {
    this.id = nextThreadId++;
    this.component = component;
    this.ownPriority = priority;
    this.priority = priority;
    this.contextBlock = this.context.blockAddress();
  }

  get isAlive(): bool { return this.state != ThreadState.Dead; }

  /** The thread after this one in its list. */
// @ts-ignore: decorator
  @inline get next(): Thread | null { return changetype<Thread | null>(this.nextLink); }

  /** The priority from own, lent, senders' and lock boost; requeues nothing (sched/scheduler.ts does). */
  // @ts-ignore: decorator
  @inline computePriority(): i32 {
    let priority = this.lent != NO_PRIORITY ? this.lent : this.ownPriority;
    if (this.sendersBoost > priority) priority = this.sendersBoost;
    if (this.lockBoost > priority) priority = this.lockBoost;
    return priority;
  }
}

function noEntry(argument: i64): void {}

// The API other kernel code uses, implemented by the scheduler.
export {
  currentThread, block, blockAndSwitchTo, wake, makeReady, yieldCurrent, exitCurrent, sleepCurrent,
  setOwnPriority, lendPriority, returnPriority, applyPriority, threadById,
} from "../sched/scheduler";
export { createKernelThread, createComponentThread } from "../sched/threads";
