// An intrusive doubly linked list of threads through Thread.nextLink and
// previousLink: the ready queues and the wait queues are made of it. A
// thread is in at most one list (object/thread.ts), so one pair of links
// serves all.
//
// The links are plain addresses, not managed references: a store of a
// managed reference costs a call of the collector's write barrier, and the
// ready and wait queues change several times in every message round trip.
// The collector need not follow them: every thread that is not freed is
// held by the scheduler's list of all threads (scheduler.ts), and a thread
// is taken out of every list before it is freed.

import { Thread } from "../object/thread";
import { LIST_COUNT, LIST_HEAD, LIST_TAIL, THREAD_NEXT_LINK, THREAD_PREVIOUS_LINK } from "./layout";

// @ts-ignore: decorator
@inline function threadAt(link: usize): Thread | null { return changetype<Thread | null>(link); }
// @ts-ignore: decorator
@inline function linkOf(thread: Thread | null): usize { return changetype<usize>(thread); }

export class ThreadList {
  private head: usize = 0;
  private tail: usize = 0;
  count: i32 = 0;

// @ts-ignore: decorator
  @inline get first(): Thread | null { return threadAt(this.head); }
// @ts-ignore: decorator
  @inline get last(): Thread | null { return threadAt(this.tail); }
// @ts-ignore: decorator
  @inline get isEmpty(): bool { return this.head == 0; }

  // @ts-ignore: decorator
  @inline pushBack(thread: Thread): void {
    const link = linkOf(thread);
    const tail = this.tail;
    thread.nextLink = 0;
    thread.previousLink = tail;
    if (tail != 0) changetype<Thread>(tail).nextLink = link;
    else this.head = link;
    this.tail = link;
    this.count++;
  }

  pushFront(thread: Thread): void {
    const link = linkOf(thread);
    const head = this.head;
    thread.previousLink = 0;
    thread.nextLink = head;
    if (head != 0) changetype<Thread>(head).previousLink = link;
    else this.tail = link;
    this.head = link;
    this.count++;
  }

  /** Inserts `thread` before `before` (which is in this list). */
  insertBefore(thread: Thread, before: Thread): void {
    const link = linkOf(thread);
    const previous = before.previousLink;
    thread.nextLink = linkOf(before);
    thread.previousLink = previous;
    before.previousLink = link;
    if (previous != 0) changetype<Thread>(previous).nextLink = link;
    else this.head = link;
    this.count++;
  }

  /** Takes `thread` (which is in this list) out. */
  // @ts-ignore: decorator
  @inline remove(thread: Thread): void {
    const next = thread.nextLink, previous = thread.previousLink;
    if (previous != 0) changetype<Thread>(previous).nextLink = next;
    else this.head = next;
    if (next != 0) changetype<Thread>(next).previousLink = previous;
    else this.tail = previous;
    thread.nextLink = 0;
    thread.previousLink = 0;
    this.count--;
  }

  // @ts-ignore: decorator
  @inline popFront(): Thread | null {
    const head = this.head;
    if (head != 0) this.remove(changetype<Thread>(head));
    return threadAt(head);
  }
}

// The same on addresses, for the message fast path (object/fast-path.ts),
// which holds no managed reference (sched/scheduler.ts says why).

/** pushBack of the thread at `thread` onto the list at `list`. */
// @ts-ignore: decorator
@inline export function pushBackAddress(list: usize, thread: usize): void {
  const tail = load<usize>(list + LIST_TAIL);
  store<usize>(thread + THREAD_NEXT_LINK, 0);
  store<usize>(thread + THREAD_PREVIOUS_LINK, tail);
  if (tail != 0) store<usize>(tail + THREAD_NEXT_LINK, thread);
  else store<usize>(list + LIST_HEAD, thread);
  store<usize>(list + LIST_TAIL, thread);
  store<i32>(list + LIST_COUNT, load<i32>(list + LIST_COUNT) + 1);
}

/** popFront of the list at `list`, which is not empty: the thread's address. */
// @ts-ignore: decorator
@inline export function popFrontAddress(list: usize): usize {
  const thread = load<usize>(list + LIST_HEAD);
  const next = load<usize>(thread + THREAD_NEXT_LINK);
  store<usize>(list + LIST_HEAD, next);
  if (next != 0) store<usize>(next + THREAD_PREVIOUS_LINK, 0);
  else store<usize>(list + LIST_TAIL, 0);
  store<usize>(thread + THREAD_NEXT_LINK, 0);
  store<usize>(thread + THREAD_PREVIOUS_LINK, 0);
  store<i32>(list + LIST_COUNT, load<i32>(list + LIST_COUNT) - 1);
  return thread;
}
