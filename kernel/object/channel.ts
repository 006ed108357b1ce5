// Channels: the server side of message passing, QNX style. A client's
// msg.send blocks until a server thread has received the message and
// replied; the message goes from the client's memory straight into the
// server's receive buffer, the reply straight back (message.ts), by
// whichever thread finds the other waiting.
//
//   client                        channel                      server
//   msg.send ── a receiver waits? ── yes: copy into its buffer ─▶ wakes with the receive id
//      │                            no: wait in `senders` ◀──── msg.receive takes the first, copies
//      ▼ (reply-blocked, in the receiving component's replyPending)
//   wakes with the status ◀──────────── copy the reply ◀──────── msg.reply(receive id, status)
//
// Invariants:
//  - a thread waiting in `senders` is blocked with BlockReason.Send and
//    its buffers in ipcValues; one that was received is blocked with
//    BlockReason.Reply and listed in the receiving component's
//    replyPending (handle.ts), under a receive id unique to the message (a
//    client that timed out and sent again is a new message: a late reply
//    to the old one finds NO_SENDER), with the thread that received it
//    (`servedBy`, whose `serving` counts it); it leaves the list at its
//    reply, its timeout or its end; any thread of the receiving component
//    may reply;
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

import { Component, allComponents } from "../component/component";
import { WaitQueue } from "../sched/wait-queue";
import { BlockReason, NO_PRIORITY, Thread, ThreadState, WakeReason, block, blockAndSwitchTo, lendPriority, returnPriority, wake } from "./thread";
import { HandleEntry, KernelObject, beforeHandlesClose, handlesOf, objectsOf, writeU32 } from "./handle";
import { Connection } from "./connection";
import { removeUnordered, storedAt } from "./array";
import { PulseQueue } from "./pulse";
import { dropNames } from "./pathname";
import { becomeLastReceiver, boostLastReceiver, passOn, recountClients, releaseClient, serverOf, settleSenders } from "./inheritance";
import { awaitReceiverTimed, awaitReplyTimed, awaitSenderTimed, startTimeout } from "./message-timeout";
import {
  FLAG_REPLY_VECTOR, FLAG_SEND_VECTOR, FLAG_TRANSFER, VALUE_FLAGS, VALUE_INFO, VALUE_REPLY_ADDRESS, VALUE_REPLY_SIZE,
  VALUE_SEND_ADDRESS, VALUE_SEND_SIZE, sideLength, transfer,
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

  constructor(readonly creator: Component) {
    super(abi.OBJECT_TYPE_CHANNEL);
    this.senders.channel = this;
  }

  lastHandleClosed(): void {
    closeChannel(this);
  }
}

/** Open channels, for the end hook (a dying client's pending transfers). */
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

/** The receive id of the next message received: positive, and not met again for 2^31 messages. */
let nextReceiveId: u32 = 1;

/**
 * Hands `client`'s message to `server` (which is receiving, its buffers in
 * its ipcValues): copies it, writes the receiveInfo, gives the message its
 * receive id, moves the client to the reply wait and lends the server the
 * client's priority. The server's result is the receive id.
 */
function deliver(client: Thread, server: Thread, channel: Channel): void {
  const clientComponent = client.component!;
  const serverComponent = server.component!;
  const sent = client.ipcValues;
  const receiving = server.ipcValues;
  const clientFlags = unchecked(sent[VALUE_FLAGS]);
  const sendVector = (clientFlags & FLAG_SEND_VECTOR) != 0;
  const sendAddress = <u64>unchecked(sent[VALUE_SEND_ADDRESS]);
  const sendSize = <u64>unchecked(sent[VALUE_SEND_SIZE]);
  transfer(clientComponent, sendAddress, sendSize, sendVector,
    serverComponent, <u64>unchecked(receiving[VALUE_SEND_ADDRESS]), <u64>unchecked(receiving[VALUE_SEND_SIZE]),
    (unchecked(receiving[VALUE_FLAGS]) & FLAG_SEND_VECTOR) != 0, 0);
  let handle: i32 = 0;
  if ((clientFlags & FLAG_TRANSFER) != 0) {
    const pending = takeTransfer(channel, client);
    if (pending != null) {
      handle = handlesOf(serverComponent).add(pending.object, pending.rights);
      if (handle < 0) handle = 0;
      dropTransfer(pending);
    }
  }
  const info = <u64>unchecked(receiving[VALUE_INFO]);
  if (info != 0) {
    writeU32(info + <u64>abi.RECEIVE_INFO_COMPONENT, clientComponent.id);
    writeU32(info + <u64>abi.RECEIVE_INFO_THREAD, client.id);
    writeU32(info + <u64>abi.RECEIVE_INFO_PRIORITY, <u32>client.priority);
    writeU32(info + <u64>abi.RECEIVE_INFO_SEND_LENGTH, <u32>sideLength(clientComponent, sendAddress, sendSize, sendVector));
    writeU32(info + <u64>abi.RECEIVE_INFO_REPLY_LENGTH, <u32>sideLength(clientComponent, <u64>unchecked(sent[VALUE_REPLY_ADDRESS]),
      <u64>unchecked(sent[VALUE_REPLY_SIZE]), (clientFlags & FLAG_REPLY_VECTOR) != 0));
    writeU32(info + <u64>abi.RECEIVE_INFO_HANDLE, <u32>handle);
  }
  const receiveId = nextReceiveId;
  nextReceiveId = receiveId < 0x7fffffff ? receiveId + 1 : 1;
  client.receiveId = receiveId;
  client.servedBy = server.id;
  client.blockReason = BlockReason.Reply;
  objectsOf(serverComponent).replyPending.push(client);
  server.serving++;
  if (client.priority > server.lent) lendPriority(server, client.priority);
  server.ipcResult = receiveId;
}

/** Sends the caller's message on `channel` and waits for the reply: the reply status or an error. */
function send(caller: Thread, channel: Channel, sendAddress: u64, sendSize: u64, replyAddress: u64, replySize: u64,
  flags: i64, handle: HandleEntry | null): i32 {
  if (caller.timeoutStates != 0) return sendTimed(caller, channel, sendAddress, sendSize, replyAddress, replySize, flags, handle);
  if (!channel.isOpen) return abi.ERROR_DEAD_SERVER;
  prepareSend(caller, channel, sendAddress, sendSize, replyAddress, replySize, flags, handle);
  const receiver = channel.receivers.takeFirst();
  if (receiver != null) {
    deliver(caller, receiver, channel);
    blockAndSwitchTo(BlockReason.Reply, receiver);
  } else {
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
  const receiver = channel.receivers.takeFirst();
  if (receiver != null) {
    deliver(caller, receiver, channel);
    if ((states & abi.TIMEOUT_REPLY) == 0) blockAndSwitchTo(BlockReason.Reply, receiver);
    else awaitReplyTimed(caller, receiver);
  } else {
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
  return send(caller, connection.channel, send_, <u64>sendLength, reply, <u64>replyLength, 0, null);
}

/** msg.sendv */
export function msgSendv(caller: Thread, connection: Connection, send_: u64, sendCount: u32, reply: u64, replyCount: u32,
  handle: HandleEntry | null): i32 {
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
  let done = true;
  if (channel.pulses.count != 0) {
    channel.pulses.deliverFirst(caller);
    caller.ipcResult = abi.RECEIVE_ID_PULSE;
  } else {
    const client = channel.senders.takeFirst();
    if (client != null) {
      deliver(client, caller, channel);
      if (caller.sendersBoost != NO_PRIORITY) passOn(settleSenders(channel));
    } else {
      caller.ipcResult = abi.ERROR_BAD_HANDLE;
      done = false;
    }
  }
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

/** The client waiting for the caller's component's reply under `receiveId`, or null; dead clients found on the way are dropped. */
function pendingClient(caller: Thread, receiveId: u32, remove: bool): Thread | null {
  const pending = objectsOf(caller.component!).replyPending;
  const count = pending.length;
  for (let i = 0; i < count; i++) {
    const client = storedAt(pending, i);
    if (client.receiveId != receiveId) continue;
    const waiting = client.state == ThreadState.Blocked && client.blockReason == BlockReason.Reply;
    if (remove || !waiting) removeUnordered(pending, i);
    return waiting ? client : null;
  }
  return null;
}

/**
 * Takes a Reply-blocked client that leaves without a reply (its timeout
 * passed) out of its server's component's replyPending: the server thread
 * when its priority changed, else null.
 */
export function withdrawClient(client: Thread): Thread | null {
  const server = serverOf(client);
  if (server != null) {
    dropPending(server.component!, client);
    return releaseClient(server);
  }
  // The thread that received it is gone; its component may still answer.
  const components = allComponents();
  for (let i = 0; i < components.length; i++) if (components[i].isRunning) dropPending(components[i], client);
  return null;
}

function dropPending(component: Component, client: Thread): void {
  if (component.ipc == null) return;
  const pending = objectsOf(component).replyPending;
  const at = pending.indexOf(client);
  if (at >= 0) removeUnordered(pending, at);
}

function reply(caller: Thread, receiveId: u32, status: i32, address: u64, size: u64, vector: bool): i32 {
  if (status == abi.ERROR_DEAD_SERVER) return abi.ERROR_INVALID_ARGUMENT;
  const client = pendingClient(caller, receiveId, true);
  if (client == null) return abi.ERROR_NO_SENDER;
  const values = client.ipcValues;
  transfer(caller.component!, address, size, vector, client.component!, <u64>unchecked(values[VALUE_REPLY_ADDRESS]),
    <u64>unchecked(values[VALUE_REPLY_SIZE]), (unchecked(values[VALUE_FLAGS]) & FLAG_REPLY_VECTOR) != 0, 0);
  finish(client, status, WakeReason.Woken);
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

/** msg.read */
export function msgRead(caller: Thread, receiveId: u32, offset: u32, buffer: u64, bufferLength: u32): i32 {
  const client = pendingClient(caller, receiveId, false);
  if (client == null) return abi.ERROR_NO_SENDER;
  const values = client.ipcValues;
  return <i32>transfer(client.component!, <u64>unchecked(values[VALUE_SEND_ADDRESS]), <u64>unchecked(values[VALUE_SEND_SIZE]),
    (unchecked(values[VALUE_FLAGS]) & FLAG_SEND_VECTOR) != 0, caller.component!, buffer, <u64>bufferLength, false, <u64>offset);
}

/** msg.grant */
export function msgGrant(caller: Thread, receiveId: u32, handle: HandleEntry, rights: u32): i32 {
  if ((rights & ~handle.rights) != 0) return abi.ERROR_ACCESS_DENIED;
  const client = pendingClient(caller, receiveId, false);
  if (client == null) return abi.ERROR_NO_SENDER;
  return handlesOf(client.component!).add(handle.object!, rights);
}

// At a component's end, before its handles close: the clients waiting for
// its replies learn that it is gone, and its own threads' handles in
// flight are dropped.
function failPendingReplies(component: Component): void {
  const pending = objectsOf(component).replyPending;
  while (pending.length > 0) {
    const client = pending.pop();
    if (client.state == ThreadState.Blocked && client.blockReason == BlockReason.Reply) {
      finish(client, abi.ERROR_DEAD_SERVER, WakeReason.Cancelled);
    }
  }
  for (let i = 0; i < openChannels.length; i++) {
    const transfers = openChannels[i].transfers;
    for (let k = transfers.length - 1; k >= 0; k--) {
      if (transfers[k].client.component !== component) continue;
      const pendingTransfer = transfers[k];
      transfers.splice(k, 1);
      dropTransfer(pendingTransfer);
    }
  }
}

beforeHandlesClose(failPendingReplies);
