// The scheduler: preemptive, by priority (PRIORITY_COUNT levels, higher
// runs first), round robin with a time slice within a priority.
//
// - One ready queue per priority and a bitmap of the non-empty ones; the
//   running thread is in none. The idle thread (the boot thread, priority
//   0) is never queued: it runs when nothing else is ready.
// - Every switch happens in kernel code with interrupts off: when the
//   running thread blocks, yields or ends, in a system call that readied a
//   thread of higher priority (at the call's exit), and at the end of a
//   timer interrupt when a higher priority became ready or the slice ran
//   out. A thread preempted by a higher priority goes back to the front of
//   its queue, one whose slice ran out to the back.
// - Blocking takes an optional wait queue and timeout; waking takes the
//   thread out of both, so wake, timeouts and kills never race.
// - A thread of a component lets go of the component lock while blocked
//   (block) and takes it back before it returns (sched/lock.ts).
//
// Kernel frames on the shadow stack move with their thread
// (kernel-shadow-stack.ts); a dead thread's stack is freed by the next thread to
// run, once nothing stands on it.

import { switchContext } from "../arch/x86_64/cpu";
import { BlockReason, FastBlock, Thread, ThreadState, WakeReason } from "../object/thread";
import { NO_PRIORITY, PRIORITY_COUNT, PRIORITY_LOWEST } from "./priority";
import { ThreadList, popFrontAddress, pushBackAddress } from "./thread-list";
import {
  LIST_HEAD, THREAD_CONTEXT_BLOCK, THREAD_ID, THREAD_PRIORITY, THREAD_SHADOW_BYTES, THREAD_SHADOW_PARKED, THREAD_SHADOW_SLOT, THREAD_SHADOW_SLOT_COUNT,
  THREAD_SLICE_LEFT, THREAD_STATE,
} from "./layout";
import { WaitQueue } from "./wait-queue";
import { Timeout, arm, disarm, fireExpired, nanosToCycles } from "./timeouts";
import { freeKernelShadowSlots, restoreShadowFrames, saveShadowFrames, shadowDepth, slotAddress, slotCapacity } from "./kernel-shadow-stack";
import { acquireComponentLock, releaseComponentLock } from "./lock";
import { releaseReceiveSlot } from "../object/receive-id";
import { storedAt } from "../object/array";
import { now } from "../time";

/** Ticks of a time slice (20 ms at 100 Hz). */
export const SLICE_TICKS: i32 = 2;

// `current`, the ready queues and their mask, `rescheduleWanted`,
// `deadPending` and `switchCount` are exported for the kernel link's native
// fast path (sched/layout.ts), which reads and writes their cells as the
// inlined steps at the end of this file do. Nothing else writes them.

/**
 * The running thread, by address: a plain store on every switch (the
 * collector need not see it: every thread not freed is in `threads`).
 */
export let current: usize = 0;
let idleThread: Thread | null = null;
export const readyQueues = new StaticArray<ThreadList>(PRIORITY_COUNT);
export let readyMask: u32 = 0;
export let rescheduleWanted: bool = false;
/** A dead thread whose stack the next thread frees. */
export let deadPending: Thread | null = null;
/** Every thread not yet freed, for lookups by id (and to keep them alive). */
const threads = new Array<Thread>();
/** Called to give back a dead thread's stack (sched/threads.ts sets it). */
let freeStack: (thread: Thread) => void = ignoreThread;
export let switchCount: u64 = 0;

function ignoreThread(thread: Thread): void {}

class ThreadTimeout extends Timeout {
  thread: Thread;
  constructor(thread: Thread) { super(); this.thread = thread; }
  fire(deadline: u64): void { wake(this.thread, WakeReason.TimedOut); }
}

/** Makes the running boot context the idle thread; from now on the scheduler runs. */
export function startScheduler(idle: Thread, stackFreer: (thread: Thread) => void): void {
  for (let i = 0; i < PRIORITY_COUNT; i++) readyQueues[i] = new ThreadList();
  idle.state = ThreadState.Running;
  idle.ownPriority = PRIORITY_LOWEST;
  idle.priority = PRIORITY_LOWEST;
  idleThread = idle;
  current = changetype<usize>(idle);
  threads.push(idle);
  freeStack = stackFreer;
}

// @ts-ignore: decorator
@inline export function currentThread(): Thread { return changetype<Thread>(current); }
export function isIdle(thread: Thread): bool { return thread === idleThread; }
export function switches(): u64 { return switchCount; }
/** Whether preemptIfWanted has anything to do (a check cheap enough for every system call's exit). */
// @ts-ignore: decorator
@inline export function rescheduleIsWanted(): bool { return rescheduleWanted; }
export function allThreads(): Thread[] { return threads; }

export function addThread(thread: Thread): void { threads.push(thread); }

export function threadById(id: u32): Thread | null {
  for (let i = 0; i < threads.length; i++) if (threads[i].id == id && threads[i].isAlive) return threads[i];
  return null;
}

// @ts-ignore: decorator
@inline function enqueue(thread: Thread, front: bool): void {
  const queue = unchecked(readyQueues[thread.priority]);
  if (front) queue.pushFront(thread); else queue.pushBack(thread);
  readyMask |= <u32>1 << <u32>thread.priority;
}

// @ts-ignore: decorator
@inline function dequeue(thread: Thread): void {
  const queue = unchecked(readyQueues[thread.priority]);
  queue.remove(thread);
  if (queue.isEmpty) readyMask &= ~(<u32>1 << <u32>thread.priority);
}

/** The highest priority with a ready thread, -1 when none. */
// @ts-ignore: decorator
@inline function highestReady(): i32 {
  return readyMask == 0 ? -1 : 31 - <i32>clz(readyMask);
}

/** Makes a created or blocked thread ready (wake is the way to end a block). */
export function makeReady(thread: Thread): void {
  if (thread === idleThread || thread.state == ThreadState.Dead) return;
  thread.state = ThreadState.Ready;
  enqueue(thread, false);
  if (thread.priority > changetype<Thread>(current).priority) rescheduleWanted = true;
}

/** Runs `next` in place of the running thread, which has been put where it belongs. */
function runThread(next: Thread): void {
  const previous = changetype<Thread>(current);
  next.state = ThreadState.Running;
  // A thread preempted before its slice was over runs out the rest of it; only a slice used up is renewed here.
  // Renewing every slice would let a thread that a higher priority interrupts more often than a slice lasts keep
  // the processor from the others of its own priority for good (a client calling a direct server never blocks).
  if (next.sliceLeft <= 0) next.sliceLeft = SLICE_TICKS;
  if (next === previous) return;
  const from = previous.context.blockAddress();
  const to = next.context.blockAddress();
  const nextSlot = slotAddress(next.shadowSlot);
  const nextBytes = next.shadowBytes;
  if (previous.state == ThreadState.Dead) deadPending = previous;
  else previous.shadowBytes = saveShadowFrames(slotAddress(previous.shadowSlot), slotCapacity(previous.kernelShadowSlotCount) - previous.shadowParked, previous.id);
  // Nothing below can fail: `current` changes only now.
  current = changetype<usize>(next);
  rescheduleWanted = false;
  switchCount++;
  next.shadowBytes = 0;
  // From here until the switch the shadow stack holds `next`'s frames: no managed local may change.
  restoreShadowFrames(nextSlot, nextBytes);
  switchContext(from, to);
  afterSwitch();
}

/** What the thread that just started or resumed does first: free the thread that ended before it. */
export function afterSwitch(): void {
  const dead = deadPending;
  if (dead == null) return;
  deadPending = null;
  releaseThread(dead);
}

/** Gives back a dead thread's stack and shadow slots and forgets it. */
function releaseThread(thread: Thread): void {
  freeKernelShadowSlots(thread);
  releaseReceiveSlot(thread);
  freeStack(thread);
  for (let i = 0, count = threads.length; i < count; i++) {
    if (storedAt(threads, i) !== thread) continue;
    threads.splice(i, 1);
    break;
  }
}

/** Switches to the best ready thread (or idle); the running one is already queued, blocked or dead. */
function switchAway(): void {
  const best = highestReady();
  let next: Thread;
  if (best >= 0) {
    next = changetype<Thread>(unchecked(readyQueues[best]).first);
    dequeue(next);
  } else {
    next = idleThread!;
  }
  runThread(next);
}

/** Called at the end of an interrupt and at a system call's exit: switch when something better is ready. */
export function preemptIfWanted(): void {
  if (!rescheduleWanted) return;
  rescheduleWanted = false;
  const thread = changetype<Thread>(current);
  const best = highestReady();
  if (best < 0) return;
  if (thread === idleThread) {
    thread.state = ThreadState.Ready;
    switchAway();
    return;
  }
  if (best > thread.priority) {
    // Back to the front of its queue with what is left of its slice; with none left, behind the others of its
    // priority, whose turn it is (a thread that a higher priority interrupts when its slice ends would otherwise
    // never give them one).
    thread.state = ThreadState.Ready;
    enqueue(thread, thread.sliceLeft > 0);
    switchAway();
  } else if (best == thread.priority && thread.sliceLeft <= 0) {
    thread.state = ThreadState.Ready;
    enqueue(thread, false);
    switchAway();
  }
}

/** Ticks that found the idle thread running (system.info). */
let idleTickCount: u64 = 0;
export function idleTicks(): u64 { return idleTickCount; }

/**
 * The clock tick (interrupts off): fire expired timeouts, count down the
 * slice, and charge the tick to the running thread's component (or to
 * idle): CPU time by sampling, which costs the switch paths nothing.
 */
export function schedulerTick(): void {
  if (current == 0) return;
  fireExpired(now());
  const thread = changetype<Thread>(current);
  if (thread === idleThread) idleTickCount++;
  else if (thread.component != null) thread.component!.cpuTicks++;
  if (thread !== idleThread && --thread.sliceLeft <= 0 && highestReady() >= thread.priority) rescheduleWanted = true;
}

/** Lets the other ready threads of the running thread's priority (or higher) run first. */
export function yieldCurrent(): void {
  const thread = changetype<Thread>(current);
  if (thread === idleThread) {
    if (highestReady() < 0) return;
    thread.state = ThreadState.Ready;
    switchAway();
    return;
  }
  if (highestReady() < thread.priority) return;
  thread.state = ThreadState.Ready;
  enqueue(thread, false);
  switchAway();
}

/**
 * Blocks the running thread without touching its component lock: in
 * `queue` if given, until wake or, when `timeout` > 0, that many
 * nanoseconds. `timeout` 0 does not block (TimedOut at once); < 0 waits
 * for ever. Returns why it woke.
 */
export function blockRaw(reason: BlockReason, timeout: i64, queue: WaitQueue | null): WakeReason {
  const thread = changetype<Thread>(current);
  if (timeout == 0 || thread === idleThread) return WakeReason.TimedOut;
  beginBlock(thread, reason);
  if (queue != null) queue.add(thread);
  if (timeout > 0) {
    let timer = thread.timeout;
    if (timer == null) { timer = new ThreadTimeout(thread); thread.timeout = timer; }
    arm(timer, now() + nanosToCycles(<u64>timeout));
  }
  switchAway();
  return thread.wakeReason;
}

/**
 * Blocks the running thread (see blockRaw), letting go of its component's
 * lock meanwhile, so that the component's other threads may run its wasm
 * code; takes the lock back before it returns.
 */
export function block(reason: BlockReason, timeout: i64, queue: WaitQueue | null): WakeReason {
  const thread = changetype<Thread>(current);
  if (timeout == 0) return WakeReason.TimedOut;
  releaseComponentLock(thread);
  const why = blockRaw(reason, timeout, queue);
  acquireComponentLock(thread);
  return why;
}

/**
 * Blocks the running thread (no queue, no timeout, its component lock let
 * go meanwhile) and runs `next` in its place: the direct switch of a
 * message send to the receiver that waited for it. `next` must be blocked
 * and out of its wait queue (the caller took it out and handed it the
 * message); its block ends as wake would end it, but it skips the ready
 * queue unless a thread of higher priority is ready. Returns why the
 * running thread woke.
 */
export function blockAndSwitchTo(reason: BlockReason, next: Thread): WakeReason {
  const thread = changetype<Thread>(current);
  releaseComponentLock(thread);
  beginBlock(thread, reason);
  endBlock(next, WakeReason.Woken);
  if (highestReady() > next.priority) {
    makeReady(next);
    switchAway();
  } else {
    runThread(next);
  }
  acquireComponentLock(thread);
  return thread.wakeReason;
}

/** Sleeps the running thread for `nanoseconds` (with its component lock let go). */
export function sleepCurrent(nanoseconds: i64): void {
  if (nanoseconds <= 0) { yieldCurrent(); return; }
  block(BlockReason.Sleep, nanoseconds, null);
}

/** Ends a blocked thread's block with `reason`; false when it was not blocked. */
export function wake(thread: Thread, reason: WakeReason): bool {
  if (thread.state != ThreadState.Blocked) return false;
  const queue = thread.waitQueue;
  if (queue != null) queue.remove(thread);
  endBlock(thread, reason);
  makeReady(thread);
  return true;
}

/** The running thread's state as it blocks (the caller then queues it and switches away). */
// @ts-ignore: decorator
@inline function beginBlock(thread: Thread, reason: BlockReason): void {
  thread.state = ThreadState.Blocked;
  thread.blockReason = reason;
  thread.wakeReason = WakeReason.None;
  thread.fastBlock = FastBlock.None;
}

/** Ends a block, once the thread is out of its wait queue: its timeout disarmed, why it woke noted; the caller makes it run. */
// @ts-ignore: decorator
@inline function endBlock(thread: Thread, reason: WakeReason): void {
  const timer = thread.timeout;
  if (timer != null && timer.isArmed) disarm(timer);
  thread.wakeReason = reason;
  thread.blockReason = BlockReason.None;
}

/** Takes a thread that is not running out of every queue and marks it dead; its stack is freed now. */
export function killThread(thread: Thread): void {
  if (thread.state == ThreadState.Dead) return;
  if (changetype<usize>(thread) == current) { exitCurrent(); return; }
  if (thread.state == ThreadState.Ready) dequeue(thread);
  const queue = thread.waitQueue;
  if (queue != null) queue.remove(thread);
  const timer = thread.timeout;
  if (timer != null) disarm(timer);
  thread.state = ThreadState.Dead;
  releaseThread(thread);
}

/**
 * Ends the running thread: never returns. Its stack is freed by the next
 * thread to run. A trap may end it between being queued and switching
 * away (blocking, or preempted at a system call's exit): it leaves those
 * queues first, so that no queue ever links a dead thread.
 */
export function exitCurrent(): void {
  const thread = changetype<Thread>(current);
  releaseComponentLock(thread);
  const queue = thread.waitQueue;
  if (queue != null) queue.remove(thread);
  if (thread.state == ThreadState.Ready) dequeue(thread);
  const timer = thread.timeout;
  if (timer != null) disarm(timer);
  thread.state = ThreadState.Dead;
  switchAway();
}

/** Applies a change of own, lent or boost priority: requeues a ready or waiting thread, preempts a running one that fell behind. */
// @ts-ignore: decorator
@inline export function applyPriority(thread: Thread): void {
  if (thread.computePriority() != thread.priority) changePriority(thread);
}

function changePriority(thread: Thread): void {
  const priority = thread.computePriority();
  if (thread.state == ThreadState.Ready) {
    dequeue(thread);
    thread.priority = priority;
    enqueue(thread, false);
    if (priority > changetype<Thread>(current).priority) rescheduleWanted = true;
    return;
  }
  thread.priority = priority;
  const queue = thread.waitQueue;
  if (queue != null) queue.reposition(thread);
  if (changetype<usize>(thread) == current && highestReady() > priority) rescheduleWanted = true;
}

/** Sets a thread's own priority; returns the previous one. */
export function setOwnPriority(thread: Thread, priority: i32): i32 {
  const previous = thread.ownPriority;
  thread.ownPriority = priority;
  applyPriority(thread);
  return previous;
}

/** Makes `thread` run at `priority` (a client's, while its message is served) until returnPriority. */
export function lendPriority(thread: Thread, priority: i32): void {
  if (thread.lent == priority) return;
  thread.lent = priority;
  applyPriority(thread);
}

/** Ends a lent priority: the thread runs at its own again. */
export function returnPriority(thread: Thread): void {
  if (thread.lent == NO_PRIORITY) return;
  thread.lent = NO_PRIORITY;
  applyPriority(thread);
}

// ---- The message fast path's steps (object/fast-path.ts) -------------------
//
// The same steps as above on threads given by address. A function whose
// locals or arguments are managed references keeps a frame on the shadow
// stack, which a switch must then move (kernel-shadow-stack.ts); these are all
// inlined into the fast path and take and hold numbers only, so that the
// fast path has no frame and its switches move none.

/** The running thread's address. */
// @ts-ignore: decorator
@inline export function currentAddress(): usize { return current; }

/** Asks for a switch at the system call's exit (the running thread's priority fell below a ready one). */
// @ts-ignore: decorator
@inline export function setRescheduleWanted(): void { rescheduleWanted = true; }

/** The highest priority with a ready thread, -1 when none. */
// @ts-ignore: decorator
@inline export function highestReadyPriority(): i32 { return highestReady(); }

// @ts-ignore: decorator
@inline function readyQueueAddress(priority: i32): usize {
  return load<usize>(changetype<usize>(readyQueues) + (<usize>priority << alignof<usize>()));
}

/** makeReady of a blocked component thread at `thread`, at the back of its queue. */
// @ts-ignore: decorator
@inline export function makeReadyAddress(thread: usize): void {
  const priority = load<i32>(thread + THREAD_PRIORITY);
  store<i32>(thread + THREAD_STATE, ThreadState.Ready);
  pushBackAddress(readyQueueAddress(priority), thread);
  readyMask |= <u32>1 << <u32>priority;
  if (priority > load<i32>(current + THREAD_PRIORITY)) rescheduleWanted = true;
}

/**
 * yieldCurrent for a component thread (`thread`, the running one) when a
 * thread of its priority or higher is ready: it goes to the back of its
 * queue, the best ready thread runs. Returns when it runs again.
 */
// @ts-ignore: decorator
@inline export function yieldToReadyAddress(thread: usize): void {
  const priority = load<i32>(thread + THREAD_PRIORITY);
  store<i32>(thread + THREAD_STATE, ThreadState.Ready);
  pushBackAddress(readyQueueAddress(priority), thread);
  readyMask |= <u32>1 << <u32>priority;
  switchToAddress(takeBestReadyAddress());
}

/** The first thread of the highest ready priority, taken out of its queue (one must be ready). */
// @ts-ignore: decorator
@inline export function takeBestReadyAddress(): usize {
  const priority = highestReady();
  const queue = readyQueueAddress(priority);
  const thread = popFrontAddress(queue);
  if (load<usize>(queue + LIST_HEAD) == 0) readyMask &= ~(<u32>1 << <u32>priority);
  return thread;
}

/**
 * runThread for the fast path: the running thread has blocked (it is not
 * dead) and `next` runs in its place. Each side's kernel frames move as
 * runThread moves them; the fast path's own callers have none, so then
 * nothing is copied. Returns when the running thread runs again.
 */
// @ts-ignore: decorator
@inline export function switchToAddress(next: usize): void {
  const previous = current;
  store<i32>(next + THREAD_STATE, ThreadState.Running);
  store<i32>(next + THREAD_SLICE_LEFT, SLICE_TICKS);
  const from = contextBlockOf(previous);
  const to = contextBlockOf(next);
  const used = shadowDepth();
  if (used != 0) {
    store<usize>(previous + THREAD_SHADOW_BYTES, saveShadowFrames(slotAddress(load<i32>(previous + THREAD_SHADOW_SLOT)),
      slotCapacity(load<i32>(previous + THREAD_SHADOW_SLOT_COUNT)) - load<usize>(previous + THREAD_SHADOW_PARKED), load<u32>(previous + THREAD_ID)));
  }
  current = next;
  rescheduleWanted = false;
  switchCount++;
  const nextBytes = load<usize>(next + THREAD_SHADOW_BYTES);
  if (nextBytes != 0) {
    store<usize>(next + THREAD_SHADOW_BYTES, 0);
    restoreShadowFrames(slotAddress(load<i32>(next + THREAD_SHADOW_SLOT)), nextBytes);
  }
  switchContext(from, to);
  if (deadPending != null) afterSwitch();
}

/** The absolute address of a thread's context block. */
// @ts-ignore: decorator
@inline function contextBlockOf(thread: usize): i64 {
  return load<i64>(thread + THREAD_CONTEXT_BLOCK);
}
