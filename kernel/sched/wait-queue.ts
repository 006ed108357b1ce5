// A queue of blocked threads, highest priority first, first come first
// served within a priority: what a thread waits in for a component lock, a
// message, a reply, a name. block(reason, timeout, queue) puts the running
// thread in; wake (or its timeout, or its component's death) takes it out,
// so a waker never finds a thread that stopped waiting.

import { Thread } from "../object/thread";
import { ThreadList } from "./thread-list";

export class WaitQueue {
  private threads: ThreadList = new ThreadList();

// @ts-ignore: decorator
  @inline get isEmpty(): bool { return this.threads.isEmpty; }
// @ts-ignore: decorator
  @inline get count(): i32 { return this.threads.count; }
  /** The thread that would be woken first. */
// @ts-ignore: decorator
  @inline get first(): Thread | null { return this.threads.first; }

  /** Adds `thread` behind every thread of its priority or higher. */
  add(thread: Thread): void {
    let at = this.threads.first;
    while (at != null && at.priority >= thread.priority) at = at.next;
    if (at == null) this.threads.pushBack(thread);
    else this.threads.insertBefore(thread, at);
    thread.waitQueue = this;
  }

  // @ts-ignore: decorator
  @inline remove(thread: Thread): void {
    this.threads.remove(thread);
    thread.waitQueue = null;
  }

  /** Puts `thread` back in priority order after its priority changed. */
  reposition(thread: Thread): void {
    this.threads.remove(thread);
    this.add(thread);
  }

  /** Calls nothing: the caller wakes what it takes (sched/scheduler.ts wake). */
  // @ts-ignore: decorator
  @inline takeFirst(): Thread | null {
    const thread = this.threads.popFront();
    if (thread != null) thread.waitQueue = null;
    return thread;
  }
}
