// The message calls' fast path: msg.send, msg.receive, msg.reply and
// msg.reply_receive in their common case, tried first by the dispatch (ipc/table: `fastPath`),
// the general code of channel.ts the fallback. After seL4's fastpath: each
// function checks every precondition of its case and declines (returns
// FAST_PATH_DECLINED, having changed nothing) when one fails; a
// `POINT OF NO RETURN` comment separates the checks from the changes,
// which are then exactly the general path's for that case. For msg.send,
// msg.reply_receive and thread.yield the kernel link has the same cases as
// native code in front of the dispatch (arch/x86_64/link/fast-path.ts);
// what it declines comes here first.
//
// Why it is faster: the kernel is AssemblyScript under the incremental
// collector, so a function with a managed reference in a local or an
// argument keeps a frame on the shadow stack (cleared at entry, each
// reference stored into it), and a thread switch moves the outgoing
// thread's frames into its slot and the incoming one's back
// (sched/kernel-shadow-stack.ts). Here every object is held by its address (a
// usize) and read through offsetof, every helper is inlined: no frame, so
// a switch between two threads that blocked here moves nothing. References
// are stored without the collector's write barrier; that is sound because
// each one stored (a thread, a channel's wait queue) stays reachable from
// a root through barriered references (the scheduler's list of threads,
// the channel's fields) for as long as it is stored here.
//
// The cases:
//  - msg.send: a thread of a component waits in msg.receive on the
//    connection's channel with one buffer; the caller has no timeout armed, holds its
//    component lock with no boost and no waiter; no thread readier than the
//    receiver at the priority the caller lends it. The message and the
//    receiveInfo are copied (checked copies: a fault declines, and the
//    general path then fails the right side), the caller blocks for the
//    reply and the receiver runs in its place.
//  - msg.receive: nothing waits on the channel (no message, no pulse), no
//    other thread receives on it, the caller received on it last and some
//    thread is ready: the caller blocks in `receivers` and the best ready
//    thread runs.
//  - msg.reply: the client is found, still Reply-blocked, received by the
//    caller, which serves no one else; one reply buffer. The reply is
//    copied, the client made ready, the caller's lent priority ends.
//  - msg.reply_receive: both of the last two, checked before either
//    changes anything; the receive needs no other ready thread, since the
//    client it answers will be.
// (thread.yield's fast path, in syscall/threads.ts, uses the same steps.)
//
// Buffers are always a single range here (msg.send, msg.receive,
// msg.reply, msg.reply_receive); iovecs, handles in flight, timeouts, pulses, priority
// changes along chains and every error take the general path.

import { RECEIVE_ID_MASK, RECEIVE_SLOTS, receiveSlots } from "./receive-id";
import { BlockReason, FastBlock, NO_PRIORITY, ThreadState, WakeReason } from "./thread";
import { FLAG_REPLY_VECTOR, FLAG_SEND_VECTOR, VALUE_FLAGS, VALUE_INFO, VALUE_REPLY_ADDRESS, VALUE_REPLY_SIZE, VALUE_SEND_ADDRESS,
  VALUE_SEND_SIZE, storeReceiveInfo } from "./message";
import {
  ARRAY_DATA, CHANNEL_DIRECT, CHANNEL_IS_OPEN, CHANNEL_LAST_RECEIVER, CHANNEL_PULSES, CHANNEL_RECEIVERS, CHANNEL_SENDERS,
  COMPONENT_ID, COMPONENT_IPC, COMPONENT_LOCK_OWNER, COMPONENT_LOCK_WAITERS, COMPONENT_MEMORY_OBJECT, COMPONENT_MESSAGES, COMPONENT_SHADOW_RUNNER,
  CONNECTION_CHANNEL, ENTRY_NUMBER, ENTRY_OBJECT, ENTRY_RIGHTS, OBJECTS_HANDLES, OBJECT_TYPE,
  PULSES_COUNT, TABLE_MASK, TABLE_SLOTS,
} from "./layout";
import {
  LIST_HEAD, THREAD_BLOCK_REASON, THREAD_COMPONENT, THREAD_FAST_BLOCK, THREAD_ID, THREAD_IPC_RESULT, THREAD_IPC_VALUES,
  THREAD_LENT, THREAD_LOCK_BOOST, THREAD_OWN_PRIORITY, THREAD_PENDING_IN, THREAD_PRIORITY, THREAD_RECEIVE_ID, THREAD_SENDERS_BOOST,
  THREAD_SERVED_BY, THREAD_SERVING, THREAD_DELIVERED_HANDLE, THREAD_STATE, THREAD_TIMEOUT, THREAD_TIMEOUT_STATES, THREAD_WAIT_QUEUE, THREAD_WAKE_REASON,
  TIMEOUT_DEADLINE, WAIT_QUEUE_THREADS,
} from "../sched/layout";
import { copyUser } from "../component/copy";
import { popFrontAddress, pushBackAddress } from "../sched/thread-list";
import { highestReadyPriority, makeReadyAddress, setRescheduleWanted, switchToAddress, takeBestReadyAddress } from "../sched/scheduler";
import { waitForComponentLockAt } from "../sched/lock";
import { FAST_PATH_DECLINED, enterFastPath, leaveKernel } from "../sched/entry";
import { load64 } from "../arch/x86_64/native";
import { MEMORY_BASE, MEMORY_LENGTH } from "../../sdk/compiler/src/abi";
import * as abi from "../generated/abi";


// @ts-ignore: decorator
@inline function field(address: usize, offset: usize): usize { return load<usize>(address + offset); }
/** Slot `index` of a thread's ipcValues (a StaticArray: its elements start at its address). */
// @ts-ignore: decorator
@inline function ipcValue(address: usize, index: i32): i64 { return load<i64>(field(address, THREAD_IPC_VALUES) + (<usize>index << 3)); }
// @ts-ignore: decorator
@inline function setIpcValue(address: usize, index: i32, value: i64): void { store<i64>(field(address, THREAD_IPC_VALUES) + (<usize>index << 3), value); }

/** Where element `index` of an Array of references whose storage is at `data` lies. */
// @ts-ignore: decorator
@inline function elementAt(data: usize, index: i32): usize { return data + (<usize>index << alignof<usize>()); }

/** The component's memory: where byte 0 is, and its length (0 without one). */
// @ts-ignore: decorator
@inline function memoryBaseOf(component: usize): u64 {
  const memoryObject = load<u64>(component + COMPONENT_MEMORY_OBJECT);
  return memoryObject == 0 ? 0 : <u64>load64(<i64>(memoryObject + <u64>MEMORY_BASE));
}
// @ts-ignore: decorator
@inline function memoryLengthOf(component: usize): u64 {
  const memoryObject = load<u64>(component + COMPONENT_MEMORY_OBJECT);
  return memoryObject == 0 ? 0 : <u64>load64(<i64>(memoryObject + <u64>MEMORY_LENGTH));
}

/** HandleTable.lookup by address: the entry `handle` names when it is open, names a `type` object and has `right`; else 0. */
// @ts-ignore: decorator
@inline function lookup(objects: usize, handle: i32, type: u32, right: u32): usize {
  const table = field(objects, OBJECTS_HANDLES);
  const slots = field(table, TABLE_SLOTS);
  const entry = load<usize>(elementAt(field(slots, ARRAY_DATA), handle & load<i32>(table + TABLE_MASK)));
  if (entry == 0 || load<i32>(entry + ENTRY_NUMBER) != handle || handle <= 0) return 0;
  if ((load<u32>(entry + ENTRY_RIGHTS) & right) != right) return 0;
  if (load<u32>(field(entry, ENTRY_OBJECT) + OBJECT_TYPE) != type) return 0;
  return entry;
}

/** The component's message-passing objects, 0 before its first use (the general path makes them). */
// @ts-ignore: decorator
@inline function objectsOf(component: usize): usize { return field(component, COMPONENT_IPC); }

/**
 * What every message fast path needs first: interrupts off, the system
 * calls' stack reserve, and a calling thread of a component that has
 * message-passing objects and no timeout armed. The caller's address, or 0
 * to decline (nothing has changed).
 */
// @ts-ignore: decorator
@inline function messageCaller(): usize {
  const caller = enterFastPath();
  if (caller == 0 || load<u32>(caller + THREAD_TIMEOUT_STATES) != 0) return 0;
  const component = field(caller, THREAD_COMPONENT);
  if (component == 0 || objectsOf(component) == 0) return 0;
  return caller;
}

/** releaseComponentLock's fast case is possible: the thread holds no boost and nobody waits (or it does not hold the lock). */
// @ts-ignore: decorator
@inline function lockLetsGo(caller: usize, component: usize): bool {
  if (field(component, COMPONENT_LOCK_OWNER) != caller) return true;
  return load<i32>(caller + THREAD_LOCK_BOOST) == NO_PRIORITY && field(field(field(component, COMPONENT_LOCK_WAITERS), WAIT_QUEUE_THREADS), LIST_HEAD) == 0;
}

/** releaseComponentLock once lockLetsGo said yes. */
// @ts-ignore: decorator
@inline function releaseLock(caller: usize, component: usize): void {
  if (field(component, COMPONENT_LOCK_OWNER) == caller) store<usize>(component + COMPONENT_LOCK_OWNER, 0);
}

/** acquireComponentLock: the fast case inline, the rest by address (sched/lock.ts). */
// @ts-ignore: decorator
@inline function acquireLock(caller: usize, component: usize): void {
  const owner = field(component, COMPONENT_LOCK_OWNER);
  if (owner == caller) return;
  if (owner == 0 && load<usize>(component + COMPONENT_SHADOW_RUNNER) == caller) store<usize>(component + COMPONENT_LOCK_OWNER, caller);
  else waitForComponentLockAt(caller);
}

/** No timeout of the thread's is armed (endBlock would have one to disarm). */
// @ts-ignore: decorator
@inline function noTimerArmed(address: usize): bool {
  const timer = field(address, THREAD_TIMEOUT);
  return timer == 0 || load<u64>(timer + TIMEOUT_DEADLINE) == 0;
}

/** The priority `address` runs at with `lent` lent (Thread.computePriority). */
// @ts-ignore: decorator
@inline function priorityWith(address: usize, lent: i32): i32 {
  let priority = lent != NO_PRIORITY ? lent : load<i32>(address + THREAD_OWN_PRIORITY);
  if (load<i32>(address + THREAD_SENDERS_BOOST) > priority) priority = load<i32>(address + THREAD_SENDERS_BOOST);
  if (load<i32>(address + THREAD_LOCK_BOOST) > priority) priority = load<i32>(address + THREAD_LOCK_BOOST);
  return priority;
}

/** A result of a fast path that did its call, as leaveKernel leaves. */
// @ts-ignore: decorator
@inline function done(result: i32): i64 {
  leaveKernel();
  return <i64>result;
}

/** msg.send's fast case (above): the reply status, or FAST_PATH_DECLINED. */
// @ts-ignore: decorator
@inline export function msgSendFast(connection: i32, send: u32, sendLength: u32, reply: u32, replyLength: u32): i64 {
  const caller = messageCaller();
  if (caller == 0) return FAST_PATH_DECLINED;
  const component = field(caller, THREAD_COMPONENT);
  const objects = objectsOf(component);
  const entry = lookup(objects, connection, abi.OBJECT_TYPE_CONNECTION, abi.RIGHT_SEND);
  if (entry == 0) return FAST_PATH_DECLINED;
  const base = memoryBaseOf(component);
  const length = memoryLengthOf(component);
  if (<u64>send + <u64>sendLength > length || <u64>reply + <u64>replyLength > length) return FAST_PATH_DECLINED;
  // msg.reply_wait's result holds 31 bits of length: a longer message goes the general way, which reports the most they hold.
  if (sendLength > 0x7fffffff) return FAST_PATH_DECLINED;
  const channel = field(field(entry, ENTRY_OBJECT), CONNECTION_CHANNEL);
  // A channel with a direct server is served on the caller's thread (direct.ts), by the general path.
  if (!load<bool>(channel + CHANNEL_IS_OPEN) || load<usize>(channel + CHANNEL_DIRECT) != 0) return FAST_PATH_DECLINED;
  const waiting = field(field(channel, CHANNEL_RECEIVERS), WAIT_QUEUE_THREADS);
  const receiver = load<usize>(waiting + LIST_HEAD);
  if (receiver == 0) return FAST_PATH_DECLINED;
  if ((ipcValue(receiver, VALUE_FLAGS) & FLAG_SEND_VECTOR) != 0 || !noTimerArmed(receiver)) return FAST_PATH_DECLINED;
  const serverComponent = field(receiver, THREAD_COMPONENT);
  if (serverComponent == 0) return FAST_PATH_DECLINED;
  const clientPriority = load<i32>(caller + THREAD_PRIORITY);
  const lent = clientPriority > load<i32>(receiver + THREAD_LENT) ? clientPriority : load<i32>(receiver + THREAD_LENT);
  const serverPriority = priorityWith(receiver, lent);
  if (highestReadyPriority() > serverPriority || !lockLetsGo(caller, component)) return FAST_PATH_DECLINED;
  // The message, cut to the receive buffer, and the receiveInfo: a fault in either declines (the general path says whose).
  const receiveSize = <u64>ipcValue(receiver, VALUE_SEND_SIZE);
  const copied = <u64>sendLength < receiveSize ? <u64>sendLength : receiveSize;
  if (!copyUser(<u64>ipcValue(receiver, VALUE_SEND_ADDRESS), base + <u64>send, copied)) return FAST_PATH_DECLINED;
  const info = <u64>ipcValue(receiver, VALUE_INFO);
  if (info != 0 && !storeReceiveInfo(info, load<u32>(component + COMPONENT_ID), load<u32>(caller + THREAD_ID), <u32>clientPriority, sendLength, replyLength)) {
    return FAST_PATH_DECLINED;
  }
  // POINT OF NO RETURN
  store<u64>(component + COMPONENT_MESSAGES, load<u64>(component + COMPONENT_MESSAGES) + 1);
  popFrontAddress(waiting);
  store<usize>(receiver + THREAD_WAIT_QUEUE, 0);
  setIpcValue(caller, VALUE_SEND_ADDRESS, <i64>(base + <u64>send));
  setIpcValue(caller, VALUE_SEND_SIZE, <i64>sendLength);
  setIpcValue(caller, VALUE_REPLY_ADDRESS, <i64>(base + <u64>reply));
  setIpcValue(caller, VALUE_REPLY_SIZE, <i64>replyLength);
  setIpcValue(caller, VALUE_FLAGS, 0);
  store<i64>(caller + THREAD_IPC_RESULT, abi.ERROR_DEAD_SERVER);
  // Its receive id: its slot, the next generation (receive-id.ts nextReceiveId).
  const receiveId = (load<u32>(caller + THREAD_RECEIVE_ID) + <u32>RECEIVE_SLOTS) & RECEIVE_ID_MASK;
  store<u32>(caller + THREAD_RECEIVE_ID, receiveId);
  store<u32>(caller + THREAD_PENDING_IN, load<u32>(serverComponent + COMPONENT_ID));
  store<u32>(caller + THREAD_SERVED_BY, load<u32>(receiver + THREAD_ID));
  store<u32>(caller + THREAD_DELIVERED_HANDLE, 0);
  store<i32>(receiver + THREAD_SERVING, load<i32>(receiver + THREAD_SERVING) + 1);
  store<i32>(receiver + THREAD_LENT, lent);
  store<i32>(receiver + THREAD_PRIORITY, serverPriority);
  store<i64>(receiver + THREAD_IPC_RESULT, <i64>(<u64>sendLength << abi.REPLY_WAIT_LENGTH_SHIFT | receiveId));
  // blockAndSwitchTo(Reply, receiver), its cases checked above.
  store<i32>(caller + THREAD_STATE, ThreadState.Blocked);
  store<i32>(caller + THREAD_BLOCK_REASON, BlockReason.Reply);
  store<i32>(caller + THREAD_WAKE_REASON, WakeReason.None);
  store<i32>(caller + THREAD_FAST_BLOCK, FastBlock.Reply);
  releaseLock(caller, component);
  store<i32>(receiver + THREAD_WAKE_REASON, WakeReason.Woken);
  store<i32>(receiver + THREAD_BLOCK_REASON, BlockReason.None);
  switchToAddress(receiver);
  acquireLock(caller, component);
  return done(<i32>load<i64>(caller + THREAD_IPC_RESULT));
}

/**
 * The channel object msg.receive(channel) waits on in its fast case, or 0:
 * open, received on last by the caller, no pulse, no sender and no other
 * receiver waiting.
 */
// @ts-ignore: decorator
@inline function receiveChannel(caller: usize, objects: usize, channel: i32): usize {
  const entry = lookup(objects, channel, abi.OBJECT_TYPE_CHANNEL, abi.RIGHT_RECEIVE);
  if (entry == 0) return 0;
  const object = field(entry, ENTRY_OBJECT);
  if (!load<bool>(object + CHANNEL_IS_OPEN) || field(object, CHANNEL_LAST_RECEIVER) != caller) return 0;
  if (load<i32>(field(object, CHANNEL_PULSES) + PULSES_COUNT) != 0) return 0;
  if (field(field(field(object, CHANNEL_SENDERS), WAIT_QUEUE_THREADS), LIST_HEAD) != 0) return 0;
  if (field(field(field(object, CHANNEL_RECEIVERS), WAIT_QUEUE_THREADS), LIST_HEAD) != 0) return 0;
  return object;
}

/** The receive's changes up to the switch: its buffers kept, the caller blocked in the channel's receivers, its lock let go. */
// @ts-ignore: decorator
@inline function beginReceive(caller: usize, component: usize, object: usize, base: u64, buffer: u32, bufferLength: u32, info: u32): void {
  setIpcValue(caller, VALUE_SEND_ADDRESS, <i64>(base + <u64>buffer));
  setIpcValue(caller, VALUE_SEND_SIZE, <i64>bufferLength);
  setIpcValue(caller, VALUE_FLAGS, 0);
  setIpcValue(caller, VALUE_INFO, info == 0 ? 0 : <i64>(base + <u64>info));
  store<i64>(caller + THREAD_IPC_RESULT, abi.ERROR_BAD_HANDLE);
  // block(Receive, forever, receivers), its cases checked before.
  releaseLock(caller, component);
  store<i32>(caller + THREAD_STATE, ThreadState.Blocked);
  store<i32>(caller + THREAD_BLOCK_REASON, BlockReason.Receive);
  store<i32>(caller + THREAD_WAKE_REASON, WakeReason.None);
  store<i32>(caller + THREAD_FAST_BLOCK, FastBlock.Receive);
  const receivers = field(object, CHANNEL_RECEIVERS);
  pushBackAddress(field(receivers, WAIT_QUEUE_THREADS), caller);
  store<usize>(caller + THREAD_WAIT_QUEUE, receivers);
}

/** msg.receive's fast case (above): the receive id, or FAST_PATH_DECLINED. */
// @ts-ignore: decorator
@inline export function msgReceiveFast(channel: i32, buffer: u32, bufferLength: u32, info: u32): i64 {
  const caller = messageCaller();
  if (caller == 0) return FAST_PATH_DECLINED;
  const component = field(caller, THREAD_COMPONENT);
  const objects = objectsOf(component);
  const length = memoryLengthOf(component);
  if (<u64>buffer + <u64>bufferLength > length || (info != 0 && <u64>info + abi.RECEIVE_INFO_SIZE > length)) return FAST_PATH_DECLINED;
  const object = receiveChannel(caller, objects, channel);
  if (object == 0 || highestReadyPriority() < 0 || !lockLetsGo(caller, component)) return FAST_PATH_DECLINED;
  // POINT OF NO RETURN
  beginReceive(caller, component, object, memoryBaseOf(component), buffer, bufferLength, info);
  switchToAddress(takeBestReadyAddress());
  acquireLock(caller, component);
  return done(<i32>load<i64>(caller + THREAD_IPC_RESULT));
}

/**
 * The client of msg.reply(receiveId) in the fast case, or 0: the thread in
 * the id's slot (receive-id.ts) holds this id, still reply-blocked,
 * received by the caller (so pending in the caller's component), which
 * serves no one else; one reply buffer.
 */
// @ts-ignore: decorator
@inline function replyClient(caller: usize, receiveId: u32): usize {
  const client = <usize>load<u32>(changetype<usize>(receiveSlots) + (<usize>(receiveId & <u32>(RECEIVE_SLOTS - 1)) << 2));
  if (client == 0 || load<u32>(client + THREAD_RECEIVE_ID) != receiveId) return 0;
  if (load<i32>(client + THREAD_STATE) != ThreadState.Blocked || load<i32>(client + THREAD_BLOCK_REASON) != BlockReason.Reply) return 0;
  if (load<u32>(client + THREAD_SERVED_BY) != load<u32>(caller + THREAD_ID) || load<i32>(caller + THREAD_SERVING) != 1) return 0;
  if (field(client, THREAD_WAIT_QUEUE) != 0 || !noTimerArmed(client)) return 0;
  if ((ipcValue(client, VALUE_FLAGS) & FLAG_REPLY_VECTOR) != 0) return 0;
  return client;
}

/** Copies the reply (`length` bytes at absolute `source`) into the client's reply buffer, cut to it: false when a fault stopped it. */
// @ts-ignore: decorator
@inline function copyReply(client: usize, source: u64, length: u32): bool {
  const room = <u64>ipcValue(client, VALUE_REPLY_SIZE);
  return copyUser(<u64>ipcValue(client, VALUE_REPLY_ADDRESS), source, <u64>length < room ? <u64>length : room);
}

/** The reply's changes: the client ready with `status` (so no longer pending), the caller's lent priority ended. */
// @ts-ignore: decorator
@inline function completeReply(caller: usize, client: usize, status: i32): void {
  store<i64>(client + THREAD_IPC_RESULT, status);
  store<i32>(client + THREAD_WAKE_REASON, WakeReason.Woken);
  store<i32>(client + THREAD_BLOCK_REASON, BlockReason.None);
  makeReadyAddress(client);
  // returnPriority(caller): it served this client only.
  store<i32>(caller + THREAD_SERVING, 0);
  if (load<i32>(caller + THREAD_LENT) != NO_PRIORITY) {
    store<i32>(caller + THREAD_LENT, NO_PRIORITY);
    const priority = priorityWith(caller, NO_PRIORITY);
    if (priority != load<i32>(caller + THREAD_PRIORITY)) {
      store<i32>(caller + THREAD_PRIORITY, priority);
      if (highestReadyPriority() > priority) setRescheduleWanted();
    }
  }
}

/** msg.reply's fast case (above): 0, or FAST_PATH_DECLINED. */
// @ts-ignore: decorator
@inline export function msgReplyFast(receiveId: u32, status: i32, buffer: u32, bufferLength: u32): i64 {
  const caller = enterFastPath();
  if (caller == 0 || status == abi.ERROR_DEAD_SERVER) return FAST_PATH_DECLINED;
  const component = field(caller, THREAD_COMPONENT);
  if (component == 0) return FAST_PATH_DECLINED;
  const objects = objectsOf(component);
  if (objects == 0) return FAST_PATH_DECLINED;
  if (<u64>buffer + <u64>bufferLength > memoryLengthOf(component)) return FAST_PATH_DECLINED;
  const client = replyClient(caller, receiveId);
  if (client == 0) return FAST_PATH_DECLINED;
  if (!copyReply(client, memoryBaseOf(component) + <u64>buffer, bufferLength)) return FAST_PATH_DECLINED;
  // POINT OF NO RETURN
  completeReply(caller, client, status);
  return done(0);
}

/**
 * msg.reply_receive's fast case: both halves' (above); the receive needs
 * no other thread ready, since the client it answers will be. The next
 * message's receive id, or FAST_PATH_DECLINED.
 */
// @ts-ignore: decorator
@inline export function msgReplyReceiveFast(receiveId: u32, status: i32, reply: u32, replyLength: u32, channel: i32, buffer: u32,
  bufferLength: u32, info: u32): i64 {
  const caller = enterFastPath();
  if (caller == 0 || status == abi.ERROR_DEAD_SERVER || load<u32>(caller + THREAD_TIMEOUT_STATES) != 0) return FAST_PATH_DECLINED;
  const component = field(caller, THREAD_COMPONENT);
  if (component == 0) return FAST_PATH_DECLINED;
  const objects = objectsOf(component);
  if (objects == 0) return FAST_PATH_DECLINED;
  const length = memoryLengthOf(component);
  if (<u64>reply + <u64>replyLength > length || <u64>buffer + <u64>bufferLength > length
    || (info != 0 && <u64>info + abi.RECEIVE_INFO_SIZE > length)) return FAST_PATH_DECLINED;
  const client = replyClient(caller, receiveId);
  if (client == 0) return FAST_PATH_DECLINED;
  const object = receiveChannel(caller, objects, channel);
  if (object == 0 || !lockLetsGo(caller, component)) return FAST_PATH_DECLINED;
  const base = memoryBaseOf(component);
  if (!copyReply(client, base + <u64>reply, replyLength)) return FAST_PATH_DECLINED;
  // POINT OF NO RETURN
  completeReply(caller, client, status);
  beginReceive(caller, component, object, base, buffer, bufferLength, info);
  switchToAddress(takeBestReadyAddress());
  acquireLock(caller, component);
  return done(<i32>load<i64>(caller + THREAD_IPC_RESULT));
}
