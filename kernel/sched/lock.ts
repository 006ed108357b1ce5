// The component lock. AssemblyScript is single-threaded: a component's
// heap, globals and shadow stack are not made for two threads at once. So
// the threads of one component run its wasm code one at a time: a thread
// holds its component's lock whenever it is in wasm code (preemption
// inside wasm keeps it: the component's other threads wait, other
// components' threads run), lets go when it blocks in the kernel, and takes
// it back before it returns to wasm. The lock is handed over directly to
// the highest-priority waiter, and a waiter of higher priority than the
// holder lends it its priority until the lock changes hands (no
// priority inversion through the lock).
//
// The lock is also where a component's threads trade places on its
// AssemblyScript shadow stack: a thread that takes it gets its own frames
// back below the running area's top (component/component-shadow-stack.ts).
//
// Kept across a block: the link's native message paths block without
// letting go (when no thread waits for the lock and its holder has no
// boost), so that the common round trip neither releases nor takes it.
// A blocked thread runs no wasm code, so its lock is free for the taking:
// a thread that wants it from a Blocked owner takes it at once (the
// shadow-stack frames move as they would after a release), and the owner
// takes it back, waiting if need be, before it returns to wasm. So a
// thread waits for the lock only while its owner is ready or running. A
// holder running another component's direct handler (object/direct.ts)
// gives it up the same way.
//
// `lockWaited`, beside the owner, is not 0 whenever a thread may wait for
// the lock: set before a thread waits, cleared when the lock is let go or
// handed over with nobody left waiting (a waiter that leaves otherwise, a
// killed one, may leave it set until then, which costs only a fast path's
// decline). The link's native paths test "held by this thread, nobody
// waiting" as one 8-byte compare of the two.

import { BlockReason, Thread, ThreadState, WakeReason } from "../object/thread";
import { Component } from "../component/component";
import { NO_PRIORITY } from "./priority";
import { applyPriority, blockRaw, wake } from "./scheduler";
import { switchShadowFrames } from "../component/component-shadow-stack";

/**
 * Takes `thread`'s component lock, waiting while another thread of the
 * component holds it. The fast path: the lock is free and `thread` was
 * the last to hold it (its frames are where it left them).
 */
// @ts-ignore: decorator
@inline export function acquireComponentLock(thread: Thread): void {
  const component = thread.component;
  if (component != null && component.lockOwner !== thread) {
    if (component.lockOwner == null && component.shadowRunnerLink == changetype<usize>(thread)) component.lockOwner = thread;
    else waitForComponentLock(thread, component);
  }
}

/**
 * The lock's slow path: another thread holds it (a blocked one only kept
 * it: taken from it), or held it last and its shadow-stack frames must
 * move.
 */
function waitForComponentLock(thread: Thread, component: Component): void {
  while (true) {
    let owner = component.lockOwner;
    // A holder running another component's direct handler runs none of this one's code either.
    if (owner != null && owner !== thread && owner.component !== component) {
      owner = null;
    } else if (owner != null && owner !== thread && owner.state == ThreadState.Blocked) {
      // A native block keeps the lock only without a boost; one given since has nobody left to be for.
      dropLockBoost(owner);
      owner = null;
    }
    if (owner == null) component.lockOwner = thread;
    if (owner == null || owner === thread) {
      switchShadowFrames(component, thread);
      return;
    }
    if (thread.priority > owner.priority) {
      owner.lockBoost = thread.priority;
      applyPriority(owner);
    }
    component.lockWaited = 1;
    blockRaw(BlockReason.Lock, -1, component.lockWaiters);
    // releaseComponentLock handed the lock over; loop to check (a kill may also have moved things).
  }
}

/** waitForComponentLock for the message fast path, which holds threads by address (object/fast-path.ts). */
export function waitForComponentLockAt(thread: usize): void {
  const owner = changetype<Thread>(thread);
  waitForComponentLock(owner, owner.component!);
}

/** Lets go of `thread`'s component lock if it holds it, handing it to the first waiter. */
// @ts-ignore: decorator
@inline export function releaseComponentLock(thread: Thread): void {
  const component = thread.component;
  if (component == null || component.lockOwner !== thread) return;
  if (thread.lockBoost == NO_PRIORITY && component.lockWaiters.isEmpty) {
    component.lockOwner = null;
    component.lockWaited = 0;
  } else {
    handOverComponentLock(thread, component);
  }
}

/** `thread` no longer holds a lock others wait for: the priority they lent it through the lock ends. */
export function dropLockBoost(thread: Thread): void {
  if (thread.lockBoost == NO_PRIORITY) return;
  thread.lockBoost = NO_PRIORITY;
  applyPriority(thread);
}

function handOverComponentLock(thread: Thread, component: Component): void {
  dropLockBoost(thread);
  const next = component.lockWaiters.takeFirst();
  component.lockOwner = next;
  if (component.lockWaiters.isEmpty) component.lockWaited = 0;
  if (next == null) return;
  // The next holder inherits the boost of those still waiting behind it.
  const behind = component.lockWaiters.first;
  if (behind != null && behind.priority > next.priority) {
    next.lockBoost = behind.priority;
    applyPriority(next);
  }
  wake(next, WakeReason.Woken);
}
