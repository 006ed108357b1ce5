// Priority inheritance along chains of servers. A server thread runs at
// the priority of the clients it serves, and a server that is itself
// blocked — sending to another server, waiting for its reply, waiting for
// its component's lock — passes that priority on to the thread it waits
// for, and so on down the chain:
//
//   client C (20) ──send──▶ S1 (own 4) ──send──▶ S2 (own 4)
//                   S1 runs at 20          S2 runs at 20
//
// and when C's priority changes while the chain stands (C is a server
// itself and a client of 25 arrived), S1 and S2 follow.
//
// What a thread inherits (object/thread.ts, computePriority):
//  - `lent`: the highest priority of the Reply-blocked clients whose
//    messages it received and has not replied to (`serving` counts them:
//    the Reply-blocked threads with `servedBy` its id); with no
//    client it runs at its own priority (a client of lower priority than
//    the server's own makes it run lower, as in QNX);
//  - `sendersBoost`: the priority of the first sender waiting on the
//    channel it last received on (`lastChannel`, whose `lastReceiver` it
//    is), so that a busy server — or one preempted right after a reply,
//    still short of its next receive — gets to the waiting message;
//  - `lockBoost` (sched/lock.ts), raised here too when a waiter of the lock
//    was raised.
//
// Invariants:
//  - `lent` and `sendersBoost` are recomputed whenever what they come from
//    changes (a client received, replied to, timed out or ended; a sender
//    queued, received, timed out, ended or failed) and whenever the
//    priority of such a client or sender changes. The common case costs no
//    scan: a server's first client sets `lent`, its last reply clears it;
//    only a server holding several clients rescans the threads when one
//    leaves;
//  - a change is passed on from a thread that is blocked with BlockReason
//    Send (to its channel's last receiver), Reply (to the server thread
//    that received it) or Lock (to the lock's owner), at most CHAIN_LIMIT
//    hops, and stops where a thread's priority does not change or the chain
//    comes back to where it started. A cycle (A waits for B's reply while B
//    sends to A's channel) is a deadlock that only a timeout or an end
//    breaks; its threads keep the highest priority that reached them until
//    then, and fall back once it is broken.

import { Component } from "../component/component";
import { allThreads } from "../sched/scheduler";
import { BlockReason, NO_PRIORITY, Thread, ThreadState, applyPriority, threadById } from "./thread";
import { Channel, SenderQueue } from "./channel";
import { storedAt } from "./array";

/** Hops a priority change travels at most. */
export const CHAIN_LIMIT: i32 = 16;

/** The live server thread a Reply-blocked `client` waits for, or null. */
export function serverOf(client: Thread): Thread | null {
  return threadById(client.servedBy);
}

/** One of `server`'s clients stopped pending (answered, timed out): `server` when its priority changed, else null. */
export function releaseClient(server: Thread): Thread | null {
  if (--server.serving > 0) return recountClients(server);
  server.serving = 0;
  return setLent(server, NO_PRIORITY);
}

/** Recounts `server`'s clients (the Reply-blocked threads it received): `server` when its priority changed, else null. */
export function recountClients(server: Thread): Thread | null {
  let count = 0;
  let lent = NO_PRIORITY;
  const threads = allThreads();
  for (let i = 0, count = threads.length; i < count; i++) {
    const client = storedAt(threads, i);
    if (client.servedBy != server.id || client.state != ThreadState.Blocked || client.blockReason != BlockReason.Reply) continue;
    count++;
    if (client.priority > lent) lent = client.priority;
  }
  server.serving = count;
  return setLent(server, lent);
}

function setLent(server: Thread, lent: i32): Thread | null {
  if (lent == server.lent) return null;
  const before = server.priority;
  server.lent = lent;
  applyPriority(server);
  return server.priority != before ? server : null;
}

/** Recomputes the boost `channel`'s waiting senders give its last receiver: that thread when its priority changed, else null. */
export function settleSenders(channel: Channel): Thread | null {
  const receiver = channel.lastReceiver;
  if (receiver == null || receiver.lastChannel !== channel) return null;
  const first = channel.senders.first;
  return setSendersBoost(receiver, first != null ? first.priority : NO_PRIORITY);
}

/** `sender` is about to wait in `channel`'s senders: its last receiver runs at least at its priority. */
export function boostLastReceiver(channel: Channel, sender: Thread): Thread | null {
  const receiver = channel.lastReceiver;
  if (receiver == null || receiver.lastChannel !== channel || sender.priority <= receiver.sendersBoost) return null;
  return setSendersBoost(receiver, sender.priority);
}

function setSendersBoost(thread: Thread, boost: i32): Thread | null {
  if (boost == thread.sendersBoost || !thread.isAlive) return null;
  const before = thread.priority;
  thread.sendersBoost = boost;
  applyPriority(thread);
  return thread.priority != before ? thread : null;
}

/**
 * `thread` receives on `channel`, which it did not receive on last: it
 * becomes the channel's last receiver (the previous one loses the boost of
 * its senders) and stops being the last receiver of its previous channel.
 */
export function becomeLastReceiver(thread: Thread, channel: Channel): void {
  const previous = channel.lastReceiver;
  if (previous != null && previous.lastChannel === channel) {
    previous.lastChannel = null;
    passOn(setSendersBoost(previous, NO_PRIORITY));
  }
  const left = thread.lastChannel;
  if (left != null) {
    const old = changetype<Channel>(left);
    if (old.lastReceiver === thread) old.lastReceiver = null;
  }
  channel.lastReceiver = thread;
  thread.lastChannel = channel;
  const first = channel.senders.first;
  setSendersBoost(thread, first != null ? first.priority : NO_PRIORITY);
}

/** The thread that `thread`, blocked, passes its priority to after a change: its priority changed too, else null. */
function nextInChain(thread: Thread): Thread | null {
  const reason = thread.blockReason;
  const queue = thread.waitQueue;
  if (reason == BlockReason.Send) {
    return queue != null ? settleSenders(changetype<SenderQueue>(queue).channel!) : null;
  }
  if (reason == BlockReason.Reply) {
    const server = serverOf(thread);
    return server != null ? recountClients(server) : null;
  }
  if (reason == BlockReason.Lock) {
    const component = thread.component;
    const owner = component != null ? component.lockOwner : null;
    if (owner == null || owner === thread || thread.priority <= owner.priority) return null;
    owner.lockBoost = thread.priority;
    applyPriority(owner);
    return owner;
  }
  return null;
}

/** `thread`'s priority changed (null: nothing changed): passes the change on along the chain it blocks in. */
export function passOn(thread: Thread | null): void {
  if (thread == null) return;
  const start = thread;
  let at: Thread = thread;
  for (let hop = 0; hop < CHAIN_LIMIT && at.state == ThreadState.Blocked; hop++) {
    const next = nextInChain(at);
    if (next == null || next === start) return;
    at = next;
  }
}

/**
 * The server threads that `component`'s threads wait for replies from, to
 * be recounted once they ended (settleAfterEnd): taken before its threads
 * end, while they are still Reply-blocked.
 */
export function serversOfClients(component: Component): Array<Thread> {
  const servers = new Array<Thread>();
  const threads = component.threads;
  for (let i = 0; i < threads.length; i++) {
    const thread = threads[i];
    if (thread.state != ThreadState.Blocked || thread.blockReason != BlockReason.Reply) continue;
    const server = serverOf(thread);
    if (server != null && !servers.includes(server)) servers.push(server);
  }
  return servers;
}

/**
 * A component ended: its threads left every queue they waited in (as
 * senders, lock waiters) and, dead, wait for no reply, so what the
 * survivors inherit is recomputed — the clients of `servers` (the
 * servers its threads waited for, serversOfClients) recounted, as the
 * dead ones no longer count; no other server lost a client — and every
 * survivor's waiting senders looked at again, and passed on.
 */
export function settleAfterEnd(component: Component, servers: Array<Thread>): void {
  for (let i = 0; i < servers.length; i++) {
    const server = servers[i];
    if (server.isAlive && server.serving > 0) passOn(recountClients(server));
  }
  const threads = allThreads();
  for (let i = 0, count = threads.length; i < count; i++) {
    const thread = storedAt(threads, i);
    if (!thread.isAlive) continue;
    const channel = thread.lastChannel;
    if (channel != null) passOn(settleSenders(changetype<Channel>(channel)));
  }
}
