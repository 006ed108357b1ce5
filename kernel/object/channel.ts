// Channels: the server side of message passing, QNX style. A client's
// msg.send blocks until a server thread has received the message and
// replied; the message goes from the client's memory straight into the
// server's receive buffer, the reply straight back (message.ts), by
// whichever thread finds the other waiting.
//
//   client                        channel                      server
//   msg.send ── a receiver waits? ── yes: copy into its buffer ─▶ wakes with the receive id
//      │                            no: wait in `senders` ◀──── msg.receive takes the first, copies
//      ▼ (reply-blocked, pending in the receiving component)
//   wakes with the status ◀──────────── copy the reply ◀──────── msg.reply(receive id, status)
//
// Invariants:
//  - a thread waiting in `senders` is blocked with BlockReason.Send and
//    its buffers in ipcValues; one that was received is blocked with
//    BlockReason.Reply, pending in the receiving component (`pendingIn`)
//    under a receive id that names its thread slot and the message's
//    generation (receive-id.ts: a client that timed out and sent again is
//    a new message, and a late reply to the old one finds NO_SENDER), with
//    the thread that received it (`servedBy`, whose `serving` counts it);
//    it stops pending at its reply, its timeout or its end; any thread of
//    the receiving component may reply;
//  - a thread waiting in `receivers` is blocked with BlockReason.Receive,
//    its buffers in ipcValues; `senders` and `receivers` are never both
//    non-empty, and pulses wait only while `receivers` is empty;
//  - the receiving thread runs at the highest priority of the clients it
//    serves, and no lower than the first sender waiting on the
//    channel it last received on; when it is blocked itself, in a send or
//    waiting for a reply, the change goes on to the thread it waits for
//    (inheritance.ts);
//  - once closed (its last handle gone) a channel never opens again: its
//    waiting senders, and from then on every send and pulse, fail with
//    DEAD_SERVER; its names are gone; a component's end fails every client
//    waiting for its replies with DEAD_SERVER, so no send waits for ever
//    on a dead server;
//  - a handle sent with msg.sendv counts as a handle of its object until
//    the message is received (then the receiver holds it) or fails (the
//    channel closed, the sender's timeout passed or it ended);
//  - thread.timeout's states and deadline apply to the next send or
//    receive only (message-timeout.ts); without one the calls below never
//    read more than `timeoutStates`.

import { Component } from "../component/component";
import { allThreads } from "../sched/scheduler";
import { WaitQueue } from "../sched/wait-queue";
import { BlockReason, NO_PRIORITY, Thread, ThreadState, WakeReason, block, blockAndSwitchTo, lendPriority, returnPriority, wake } from "./thread";
import { HandleEntry, KernelObject, handlesOf } from "./handle";
import { lastFaultWasWrite } from "../component/copy";
import { allows, allowsRange, CAPABILITY_DEVICE, CAPABILITY_DMA } from "../component/policy";
import { overlapsMemory } from "../arch/x86_64/memory";
import { storedAt } from "./array";
import { claimBusMaster } from "./bus-master";
import { Connection } from "./connection";
import { DIRECT_DECLINED, DirectServer, directCall } from "./direct";
import { nextReceiveId, pendingClientOf } from "./receive-id";
import { PulseQueue } from "./pulse";
import { dropNames } from "./pathname";
import { becomeLastReceiver, boostLastReceiver, passOn, recountClients, releaseClient, serverOf, settleSenders } from "./inheritance";
import { awaitReceiverTimed, awaitReplyTimed, awaitSenderTimed, startTimeout } from "./message-timeout";
import {
  FLAG_REPLY_VECTOR, FLAG_SEND_VECTOR, FLAG_TRANSFER, VALUE_FLAGS, VALUE_INFO, VALUE_REPLY_ADDRESS, VALUE_REPLY_SIZE,
  VALUE_SEND_ADDRESS, VALUE_SEND_SIZE, sideLength, transfer, writeReceiveHandle, writeReceiveInfo,
} from "./message";
import * as abi from "../generated/abi";

/** A handle on its way to the receiver of a msg.sendv. */
class Transfer {
  constructor(readonly client: Thread, readonly object: KernelObject, readonly rights: u32) {}
}

/** The senders of a channel: a wait queue that knows its channel, so that a sender's priority follows it there. */
export class SenderQueue extends WaitQueue {
  channel: Channel | null = null;
}

export class Channel extends KernelObject {
  /** Clients whose message no thread has received yet, highest priority first. */
  readonly senders: SenderQueue = new SenderQueue();
  /** Threads waiting in msg.receive. */
  readonly receivers: WaitQueue = new WaitQueue();
  readonly pulses: PulseQueue = new PulseQueue();
  readonly transfers: Transfer[] = [];
  /** The thread that received on it last (its `lastChannel` is this one): the one a waiting sender lends its priority to. */
  lastReceiver: Thread | null = null;
  isOpen: bool = true;
  /** Whose handler serves its calls on their senders' threads (msg.serve_direct, direct.ts); null: none. */
  direct: DirectServer | null = null;

  constructor(readonly creator: Component) {
    super(abi.OBJECT_TYPE_CHANNEL);
    this.senders.channel = this;
  }

  lastHandleClosed(): void {
    closeChannel(this);
  }
}

/** Open channels, for a component's end (a dying client's pending transfers). */
const openChannels = new Array<Channel>();

/** channel.create */
export function channelCreate(caller: Thread, flags: u32): i32 {
  if (flags != 0) return abi.ERROR_INVALID_ARGUMENT;
  const component = caller.component!;
  const channel = new Channel(component);
  const handle = handlesOf(component).add(channel, abi.CHANNEL_RIGHTS);
  if (handle > 0) openChannels.push(channel);
  return handle;
}

/** Closes a channel: fails its waiting senders and receivers, drops its pulses, transfers and names. */
export function closeChannel(channel: Channel): void {
  if (!channel.isOpen) return;
  channel.isOpen = false;
  channel.direct = null;
  const at = openChannels.indexOf(channel);
  if (at >= 0) openChannels.splice(at, 1);
  dropNames(channel);
  while (true) {
    const sender = channel.senders.takeFirst();
    if (sender == null) break;
    finish(sender, abi.ERROR_DEAD_SERVER, WakeReason.Cancelled);
  }
  passOn(settleSenders(channel));
  while (true) {
    const receiver = channel.receivers.takeFirst();
    if (receiver == null) break;
    finish(receiver, abi.ERROR_BAD_HANDLE, WakeReason.Cancelled);
  }
  channel.pulses.clear();
  while (channel.transfers.length > 0) dropTransfer(channel.transfers.pop());
}

/** Ends a blocked thread's wait with `result`. */
function finish(thread: Thread, result: i32, reason: WakeReason): void {
  thread.ipcResult = result;
  wake(thread, reason);
}

function dropTransfer(pending: Transfer): void {
  const object = pending.object;
  object.handleCount--;
  if (object.handleCount == 0) object.lastHandleClosed();
}

/** Drops the handle `client` is sending on `channel`, if any (its send failed). */
export function dropTransferOf(channel: Channel, client: Thread): void {
  const pending = takeTransfer(channel, client);
  if (pending != null) dropTransfer(pending);
}

function takeTransfer(channel: Channel, client: Thread): Transfer | null {
  const transfers = channel.transfers;
  for (let i = 0; i < transfers.length; i++) {
    const pending = transfers[i];
    if (pending.client !== client) continue;
    transfers.splice(i, 1);
    return pending;
  }
  return null;
}

// What deliver found. A page fault in a side's memory (component/copy.ts)
// is the fault of the component that owns it: that side's call fails with
// BAD_ADDRESS and the other side waits on as if nothing had happened.
const DELIVERED: i32 = 0;
const CLIENT_FAULT: i32 = 1;
const SERVER_FAULT: i32 = 2;

/**
 * Hands `client`'s message to `server` (which is receiving, its buffers in
 * its ipcValues): copies it, writes the receiveInfo, gives the message its
 * receive id, moves the client to the reply wait and lends the server the
 * client's priority. The server's result is the receive id. The copies
 * come first: when one faults nothing has changed (CLIENT_FAULT,
 * SERVER_FAULT: whose memory it was).
 */
function deliver(client: Thread, server: Thread, channel: Channel): i32 {
  const clientComponent = client.component!;
  const serverComponent = server.component!;
  const sent = client.ipcValues;
  const receiving = server.ipcValues;
  const clientFlags = unchecked(sent[VALUE_FLAGS]);
  const sendVector = (clientFlags & FLAG_SEND_VECTOR) != 0;
  const sendAddress = <u64>unchecked(sent[VALUE_SEND_ADDRESS]);
  const sendSize = <u64>unchecked(sent[VALUE_SEND_SIZE]);
  const copied = transfer(clientComponent, sendAddress, sendSize, sendVector,
    serverComponent, <u64>unchecked(receiving[VALUE_SEND_ADDRESS]), <u64>unchecked(receiving[VALUE_SEND_SIZE]),
    (unchecked(receiving[VALUE_FLAGS]) & FLAG_SEND_VECTOR) != 0, 0);
  if (copied < 0) return lastFaultWasWrite() ? SERVER_FAULT : CLIENT_FAULT;
  const info = <u64>unchecked(receiving[VALUE_INFO]);
  if (info != 0 && !writeMessageInfo(info, client, clientComponent, sendAddress, sendSize, sendVector)) return SERVER_FAULT;
  // POINT OF NO RETURN: the receiveInfo's bytes were all written, so the handle's field can be.
  let received = <u64>messageLength(clientComponent, sendAddress, sendSize, sendVector) << abi.REPLY_WAIT_LENGTH_SHIFT;
  client.deliveredHandle = 0;
  if ((clientFlags & FLAG_TRANSFER) != 0) {
    const pending = takeTransfer(channel, client);
    if (pending != null) {
      let handle = handlesOf(serverComponent).add(pending.object, pending.rights);
      if (handle < 0) handle = 0;
      dropTransfer(pending);
      if (info != 0) {
        writeReceiveHandle(info, <u32>handle);
      }
      client.deliveredHandle = <u32>handle;
      if (handle > 0) received |= RECEIVED_HANDLE;
    }
  }
  const receiveId = nextReceiveId(client);
  client.receiveId = receiveId;
  client.pendingIn = serverComponent.id;
  client.servedBy = server.id;
  client.blockReason = BlockReason.Reply;
  server.serving++;
  if (client.priority > server.lent) lendPriority(server, client.priority);
  server.ipcResult = <i64>(received | receiveId);
  return DELIVERED;
}

/** msg.reply_wait's result, bit 63: a handle came with the message. */
const RECEIVED_HANDLE: u64 = 1 << 63;

/** A message's length for msg.reply_wait's result: 31 bits, a longer one read as the most they hold. */
function messageLength(component: Component, address: u64, size: u64, vector: bool): u64 {
  const length = sideLength(component, address, size, vector);
  return length < 0x7fffffff ? length : 0x7fffffff;
}

/** The receiveInfo of a message (a function of its own: deliver's frame stays small). */
function writeMessageInfo(info: u64, client: Thread, clientComponent: Component, sendAddress: u64, sendSize: u64, sendVector: bool): bool {
  const sent = client.ipcValues;
  return writeReceiveInfo(info, clientComponent.id, client.id, <u32>client.priority,
    <u32>sideLength(clientComponent, sendAddress, sendSize, sendVector),
    <u32>sideLength(clientComponent, <u64>unchecked(sent[VALUE_REPLY_ADDRESS]), <u64>unchecked(sent[VALUE_REPLY_SIZE]),
      (unchecked(sent[VALUE_FLAGS]) & FLAG_REPLY_VECTOR) != 0));
}

/**
 * Hands the caller's message to the first receiver whose buffers take it:
 * that receiver, or null when none waits or the caller's own buffers
 * faulted (then caller.ipcResult is BAD_ADDRESS and nothing changed). A
 * receiver whose buffers faulted gets BAD_ADDRESS from its msg.receive.
 */
function deliverToReceiver(caller: Thread, channel: Channel): Thread | null {
  while (true) {
    const receiver = channel.receivers.takeFirst();
    if (receiver == null) return null;
    const outcome = deliver(caller, receiver, channel);
    if (outcome == DELIVERED) return receiver;
    if (outcome == SERVER_FAULT) {
      finish(receiver, abi.ERROR_BAD_ADDRESS, WakeReason.Woken);
      continue;
    }
    channel.receivers.add(receiver);
    dropTransferOf(channel, caller);
    caller.ipcResult = abi.ERROR_BAD_ADDRESS;
    return null;
  }
}

/** Sends the caller's message on `channel` and waits for the reply: the reply status or an error. */
function send(caller: Thread, channel: Channel, sendAddress: u64, sendSize: u64, replyAddress: u64, replySize: u64,
  flags: i64, handle: HandleEntry | null): i32 {
  if (caller.timeoutStates != 0) return sendTimed(caller, channel, sendAddress, sendSize, replyAddress, replySize, flags, handle);
  if (!channel.isOpen) return abi.ERROR_DEAD_SERVER;
  prepareSend(caller, channel, sendAddress, sendSize, replyAddress, replySize, flags, handle);
  const receiver = deliverToReceiver(caller, channel);
  if (receiver != null) {
    blockAndSwitchTo(BlockReason.Reply, receiver);
  } else if (caller.ipcResult != abi.ERROR_BAD_ADDRESS) {
    // No thread waits to receive: the server is busy, or has not come back to msg.receive yet.
    passOn(boostLastReceiver(channel, caller));
    block(BlockReason.Send, abi.TIMEOUT_FOREVER, channel.senders);
  }
  return <i32>caller.ipcResult;
}

/** send under the timeout thread.timeout armed (message-timeout.ts), which this call takes. */
function sendTimed(caller: Thread, channel: Channel, sendAddress: u64, sendSize: u64, replyAddress: u64, replySize: u64,
  flags: i64, handle: HandleEntry | null): i32 {
  const states = caller.timeoutStates;
  startTimeout(caller);
  if (!channel.isOpen) return abi.ERROR_DEAD_SERVER;
  prepareSend(caller, channel, sendAddress, sendSize, replyAddress, replySize, flags, handle);
  const receiver = deliverToReceiver(caller, channel);
  if (receiver != null) {
    if ((states & abi.TIMEOUT_REPLY) == 0) blockAndSwitchTo(BlockReason.Reply, receiver);
    else awaitReplyTimed(caller, receiver);
  } else if (caller.ipcResult != abi.ERROR_BAD_ADDRESS) {
    awaitReceiverTimed(caller, channel, states);
  }
  return <i32>caller.ipcResult;
}

/** Keeps the message's buffers in the caller's ipcValues and its handle, if any, in the channel's transfers. */
// @ts-ignore: decorator
@inline function prepareSend(caller: Thread, channel: Channel, sendAddress: u64, sendSize: u64, replyAddress: u64, replySize: u64,
  flags: i64, handle: HandleEntry | null): void {
  const values = caller.ipcValues;
  unchecked(values[VALUE_SEND_ADDRESS] = <i64>sendAddress);
  unchecked(values[VALUE_SEND_SIZE] = <i64>sendSize);
  unchecked(values[VALUE_REPLY_ADDRESS] = <i64>replyAddress);
  unchecked(values[VALUE_REPLY_SIZE] = <i64>replySize);
  if (handle != null) {
    holdTransfer(caller, channel, handle);
    flags |= FLAG_TRANSFER;
  }
  unchecked(values[VALUE_FLAGS] = flags);
  caller.ipcResult = abi.ERROR_DEAD_SERVER;
}

/** The channel's transfers hold `handle`'s object for the caller's message (a function of its own: send's frame stays small). */
function holdTransfer(caller: Thread, channel: Channel, handle: HandleEntry): void {
  const object = handle.object!;
  object.handleCount++;
  channel.transfers.push(new Transfer(caller, object, handle.rights));
}

/** msg.send */
export function msgSend(caller: Thread, connection: Connection, send_: u64, sendLength: u32, reply: u64, replyLength: u32): i32 {
  caller.component!.messages++;
  const direct = connection.channel.direct;
  if (direct != null) {
    const result = directCall(caller, direct, send_, <u64>sendLength, reply, <u64>replyLength);
    if (result != DIRECT_DECLINED) return <i32>result;
  }
  return send(caller, connection.channel, send_, <u64>sendLength, reply, <u64>replyLength, 0, null);
}

/**
 * msg.send of a message counted already, on the server's threads: what a
 * native direct call (object/direct.ts, directSendEnd) hands on. The
 * connection is looked up again, since the handler ran with the caller's
 * handles free to change.
 */
export function sendOnThreads(caller: Thread, connection: i32, send_: u64, sendLength: u32, reply: u64, replyLength: u32): i32 {
  const handles = handlesOf(caller.component!);
  const entry = handles.lookup(connection, abi.OBJECT_TYPE_CONNECTION, abi.RIGHT_SEND);
  if (entry == null) return handles.error;
  return send(caller, changetype<Connection>(entry.object).channel, send_, <u64>sendLength, reply, <u64>replyLength, 0, null);
}

/** msg.sendv */
export function msgSendv(caller: Thread, connection: Connection, send_: u64, sendCount: u32, reply: u64, replyCount: u32,
  handle: HandleEntry | null): i32 {
  caller.component!.messages++;
  return send(caller, connection.channel, send_, <u64>sendCount, reply, <u64>replyCount, FLAG_SEND_VECTOR | FLAG_REPLY_VECTOR, handle);
}

/** Receives on `channel` into the caller's buffers: a receive id, 0 for a pulse, or an error. */
function receive(caller: Thread, channel: Channel, address: u64, size: u64, vector: bool, info: u64): i32 {
  if (caller.timeoutStates != 0) return receiveTimed(caller, channel, address, size, vector, info);
  if (!channel.isOpen) return abi.ERROR_BAD_HANDLE;
  if (receiveAtOnce(caller, channel, address, size, vector, info)) return <i32>caller.ipcResult;
  block(BlockReason.Receive, abi.TIMEOUT_FOREVER, channel.receivers);
  return <i32>caller.ipcResult;
}

/** receive under the timeout thread.timeout armed (message-timeout.ts), which this call takes. */
function receiveTimed(caller: Thread, channel: Channel, address: u64, size: u64, vector: bool, info: u64): i32 {
  const states = caller.timeoutStates;
  startTimeout(caller);
  if (!channel.isOpen) return abi.ERROR_BAD_HANDLE;
  if (receiveAtOnce(caller, channel, address, size, vector, info)) return <i32>caller.ipcResult;
  if ((states & abi.TIMEOUT_RECEIVE) == 0) block(BlockReason.Receive, abi.TIMEOUT_FOREVER, channel.receivers);
  else awaitSenderTimed(caller, channel);
  return <i32>caller.ipcResult;
}

/**
 * The receive up to its wait: keeps the caller's buffers, then takes a
 * waiting pulse or message (true, the caller's result set: receive id, or
 * RECEIVE_ID_PULSE); false when there is none and the caller must wait.
 */
// @ts-ignore: decorator
@inline function receiveAtOnce(caller: Thread, channel: Channel, address: u64, size: u64, vector: bool, info: u64): bool {
  if (channel.lastReceiver !== caller) becomeLastReceiver(caller, channel);
  const values = caller.ipcValues;
  unchecked(values[VALUE_SEND_ADDRESS] = <i64>address);
  unchecked(values[VALUE_SEND_SIZE] = <i64>size);
  unchecked(values[VALUE_FLAGS] = vector ? FLAG_SEND_VECTOR : 0);
  unchecked(values[VALUE_INFO] = <i64>info);
  if (channel.pulses.count != 0) {
    caller.ipcResult = channel.pulses.deliverFirst(caller) ? abi.RECEIVE_ID_PULSE : abi.ERROR_BAD_ADDRESS;
    return true;
  }
  const client = channel.senders.takeFirst();
  if (client == null) {
    caller.ipcResult = abi.ERROR_BAD_HANDLE;
    return false;
  }
  const outcome = deliver(client, caller, channel);
  if (outcome != DELIVERED) return receiveAfterFault(caller, channel, client, outcome);
  if (caller.sendersBoost != NO_PRIORITY) passOn(settleSenders(channel));
  return true;
}

/**
 * receiveAtOnce after `client`'s message could not be delivered to the
 * caller: a client whose buffers faulted fails with BAD_ADDRESS and the
 * next sender is tried; when the caller's own buffers faulted, it gets
 * BAD_ADDRESS and the client waits on, first again.
 */
function receiveAfterFault(caller: Thread, channel: Channel, client: Thread, outcome: i32): bool {
  let done = true;
  while (outcome != DELIVERED) {
    if (outcome == SERVER_FAULT) {
      channel.senders.add(client);
      caller.ipcResult = abi.ERROR_BAD_ADDRESS;
      break;
    }
    dropTransferOf(channel, client);
    finish(client, abi.ERROR_BAD_ADDRESS, WakeReason.Woken);
    const next = channel.senders.takeFirst();
    if (next == null) {
      caller.ipcResult = abi.ERROR_BAD_HANDLE;
      done = false;
      break;
    }
    client = next;
    outcome = deliver(client, caller, channel);
  }
  passOn(settleSenders(channel));
  return done;
}

/** msg.receive */
export function msgReceive(caller: Thread, channel: Channel, buffer: u64, bufferLength: u32, info: u64): i32 {
  return receive(caller, channel, buffer, <u64>bufferLength, false, info);
}

/** msg.receivev */
export function msgReceivev(caller: Thread, channel: Channel, buffers: u64, buffersCount: u32, info: u64): i32 {
  return receive(caller, channel, buffers, <u64>buffersCount, true, info);
}

/** The client waiting for the caller's component's reply under `receiveId`, or null. */
// @ts-ignore: decorator
@inline function pendingClient(caller: Thread, receiveId: u32): Thread | null {
  return pendingClientOf(caller.component!.id, receiveId);
}

/**
 * A Reply-blocked client leaves without a reply (its timeout passed; the
 * caller wakes it, so it stops pending): the server thread that received
 * it when its priority changed, else null.
 */
export function withdrawClient(client: Thread): Thread | null {
  const server = serverOf(client);
  return server != null ? releaseClient(server) : null;
}

function reply(caller: Thread, receiveId: u32, status: i32, address: u64, size: u64, vector: bool): i32 {
  if (status == abi.ERROR_DEAD_SERVER) return abi.ERROR_INVALID_ARGUMENT;
  const client = pendingClient(caller, receiveId);
  if (client == null) return abi.ERROR_NO_SENDER;
  const values = client.ipcValues;
  const copied = transfer(caller.component!, address, size, vector, client.component!, <u64>unchecked(values[VALUE_REPLY_ADDRESS]),
    <u64>unchecked(values[VALUE_REPLY_SIZE]), (unchecked(values[VALUE_FLAGS]) & FLAG_REPLY_VECTOR) != 0, 0);
  // Reading the server's own buffers faulted: refused, the client still waits. Writing the client's: its send fails.
  if (copied < 0 && !lastFaultWasWrite()) return abi.ERROR_BAD_ADDRESS;
  // POINT OF NO RETURN
  finish(client, copied < 0 ? abi.ERROR_BAD_ADDRESS : status, WakeReason.Woken);
  // The common case without a scan or a chain: the caller received it and served no one else.
  if (client.servedBy != caller.id) {
    const server = serverOf(client);
    if (server != null) passOn(releaseClient(server));
  } else if (--caller.serving <= 0) {
    caller.serving = 0;
    returnPriority(caller);
  } else {
    recountClients(caller);
  }
  return 0;
}

/** msg.reply */
export function msgReply(caller: Thread, receiveId: u32, status: i32, buffer: u64, bufferLength: u32): i32 {
  return reply(caller, receiveId, status, buffer, <u64>bufferLength, false);
}

/** msg.replyv */
export function msgReplyv(caller: Thread, receiveId: u32, status: i32, buffers: u64, buffersCount: u32): i32 {
  return reply(caller, receiveId, status, buffers, <u64>buffersCount, true);
}

/** msg.reply_receive: the reply, then, once it was made, the receive. */
export function msgReplyReceive(caller: Thread, receiveId: u32, status: i32, reply: u64, replyLength: u32, channel: Channel, buffer: u64,
  bufferLength: u32, info: u64): i32 {
  const replied = msgReply(caller, receiveId, status, reply, replyLength);
  if (replied < 0) return replied;
  return msgReceive(caller, channel, buffer, bufferLength, info);
}

/**
 * msg.reply_wait: the reply from the start of `buffer` unless `receiveId`
 * is 0, then the receive into it. The receive's result is the receiver's
 * ipcResult as deliver left it: the receive id with the message's length
 * and the handle bit above it.
 */
export function msgReplyWait(caller: Thread, receiveId: u32, status: i32, replyLength: u32, channel: Channel, buffer: u64,
  bufferLength: u32): i64 {
  if (replyLength > bufferLength) return <i64><u32>abi.ERROR_INVALID_ARGUMENT;
  const received = receiveId != 0
    ? msgReplyReceive(caller, receiveId, status, buffer, replyLength, channel, buffer, bufferLength, 0)
    : msgReceive(caller, channel, buffer, bufferLength, 0);
  return received > 0 ? caller.ipcResult : <i64><u32>received;
}

/** msg.info: the receiveInfo of the pending message `receiveId`, as msg.receive would have written it. */
export function msgInfo(caller: Thread, receiveId: u32, info: u64): i32 {
  const client = pendingClient(caller, receiveId);
  if (client == null) return abi.ERROR_NO_SENDER;
  const sent = client.ipcValues;
  const written = writeMessageInfo(info, client, client.component!, <u64>unchecked(sent[VALUE_SEND_ADDRESS]),
    <u64>unchecked(sent[VALUE_SEND_SIZE]), (unchecked(sent[VALUE_FLAGS]) & FLAG_SEND_VECTOR) != 0);
  if (!written) return abi.ERROR_BAD_ADDRESS;
  writeReceiveHandle(info, client.deliveredHandle);
  return 0;
}

/** msg.read */
export function msgRead(caller: Thread, receiveId: u32, offset: u32, buffer: u64, bufferLength: u32): i32 {
  const client = pendingClient(caller, receiveId);
  if (client == null) return abi.ERROR_NO_SENDER;
  const values = client.ipcValues;
  const copied = transfer(client.component!, <u64>unchecked(values[VALUE_SEND_ADDRESS]), <u64>unchecked(values[VALUE_SEND_SIZE]),
    (unchecked(values[VALUE_FLAGS]) & FLAG_SEND_VECTOR) != 0, caller.component!, buffer, <u64>bufferLength, false, <u64>offset);
  return copied < 0 ? abi.ERROR_BAD_ADDRESS : <i32>copied;
}

/** msg.grant */
export function msgGrant(caller: Thread, receiveId: u32, handle: HandleEntry, rights: u32): i32 {
  if ((rights & ~handle.rights) != 0) return abi.ERROR_ACCESS_DENIED;
  const client = pendingClient(caller, receiveId);
  if (client == null) return abi.ERROR_NO_SENDER;
  return handlesOf(client.component!).add(handle.object!, rights);
}

/** msg.check_device: does the sender of the caller's received message `receiveId` hold `device` in its rights? */
export function msgCheckDevice(caller: Thread, receiveId: u32, device: string): i32 {
  const client = pendingClient(caller, receiveId);
  if (client == null) return abi.ERROR_NO_SENDER;
  return allows(client.component!, CAPABILITY_DEVICE, device.toLowerCase()) ? 0 : abi.ERROR_ACCESS_DENIED;
}

/** msg.bus_master: turns bus mastering on, for the sender of `receiveId`, on the PCI function whose configuration page is at physical `config` (bus-master.ts). */
export function msgBusMaster(caller: Thread, receiveId: u32, config: u64): i32 {
  if ((config & 4095) != 0) return abi.ERROR_INVALID_ARGUMENT;
  if (!allowsRange(caller.component!, config, 4096) || overlapsMemory(config, config + 4096)) return abi.ERROR_ACCESS_DENIED;
  const client = pendingClient(caller, receiveId);
  if (client == null) return abi.ERROR_NO_SENDER;
  // Bus mastering is DMA: only for a driver its supervisor trusted with it.
  if (!allows(client.component!, CAPABILITY_DMA, "")) return abi.ERROR_ACCESS_DENIED;
  return claimBusMaster(client.component!, config) ? 0 : abi.ERROR_QUOTA_EXCEEDED;
}

/**
 * A component is ending, before its handles close (component/end.ts): the
 * clients waiting for its replies learn that it is gone, and its own
 * threads' handles in flight are dropped.
 */
export function failPendingReplies(component: Component): void {
  const threads = allThreads();
  for (let i = 0, count = threads.length; i < count; i++) {
    const client = storedAt(threads, i);
    if (client.pendingIn == component.id && client.state == ThreadState.Blocked && client.blockReason == BlockReason.Reply) {
      finish(client, abi.ERROR_DEAD_SERVER, WakeReason.Cancelled);
    }
  }
  for (let i = 0, count = openChannels.length; i < count; i++) {
    const transfers = storedAt(openChannels, i).transfers;
    for (let k = transfers.length - 1; k >= 0; k--) {
      if (storedAt(transfers, k).client.component !== component) continue;
      const pendingTransfer = transfers[k];
      transfers.splice(k, 1);
      dropTransfer(pendingTransfer);
    }
  }
}
