// An intrusive doubly linked list of threads through Thread.next/previous:
// the ready queues and the wait queues are made of it. A thread is in at
// most one list (object/thread.ts), so one pair of links serves all.

import { Thread } from "../object/thread";

export class ThreadList {
  first: Thread | null = null;
  last: Thread | null = null;
  count: i32 = 0;

  get isEmpty(): bool { return this.first == null; }

  pushBack(thread: Thread): void {
    thread.next = null;
    thread.previous = this.last;
    if (this.last != null) this.last!.next = thread;
    else this.first = thread;
    this.last = thread;
    this.count++;
  }

  pushFront(thread: Thread): void {
    thread.previous = null;
    thread.next = this.first;
    if (this.first != null) this.first!.previous = thread;
    else this.last = thread;
    this.first = thread;
    this.count++;
  }

  /** Inserts `thread` before `before` (which is in this list). */
  insertBefore(thread: Thread, before: Thread): void {
    const previous = before.previous;
    thread.next = before;
    thread.previous = previous;
    before.previous = thread;
    if (previous != null) previous.next = thread;
    else this.first = thread;
    this.count++;
  }

  /** Takes `thread` (which is in this list) out. */
  remove(thread: Thread): void {
    const next = thread.next, previous = thread.previous;
    if (previous != null) previous.next = next;
    else this.first = next;
    if (next != null) next.previous = previous;
    else this.last = previous;
    thread.next = null;
    thread.previous = null;
    this.count--;
  }

  popFront(): Thread | null {
    const thread = this.first;
    if (thread != null) this.remove(thread);
    return thread;
  }
}
