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
//    replyPending (handle.ts); its receive id is its thread id;
//  - a thread waiting in `receivers` is blocked with BlockReason.Receive,
//    its buffers in ipcValues; `senders` and `receivers` are never both
//    non-empty, and pulses wait only while `receivers` is empty;
//  - the receiving thread runs at the client's priority from the receive
//    to its reply (or its next receive); a sender that finds no thread
//    receiving lends its priority to the channel's last receiver while
//    that one is ready or running, until it receives again;
//  - once closed (its last handle gone) a channel never opens again: its
//    waiting senders, and from then on every send and pulse, fail with
//    DEAD_SERVER; its names are gone; a component's end fails every client
//    waiting for its replies with DEAD_SERVER, so no send waits for ever
//    on a dead server;
//  - a handle sent with msg.sendv counts as a handle of its object until
//    the message is received (then the receiver holds it) or fails.

import { Component } from "../component/component";
import { WaitQueue } from "../sched/wait-queue";
import { BlockReason, Thread, ThreadState, WakeReason, block, blockAndSwitchTo, lendPriority, returnPriority, wake } from "./thread";
import { HandleEntry, KernelObject, beforeHandlesClose, handlesOf, objectsOf, writeU32 } from "./handle";
import { Connection } from "./connection";
import { PulseQueue } from "./pulse";
import { dropNames } from "./pathname";
import {
  FLAG_REPLY_VECTOR, FLAG_SEND_VECTOR, FLAG_TRANSFER, VALUE_FLAGS, VALUE_INFO, VALUE_REPLY_ADDRESS, VALUE_REPLY_SIZE,
  VALUE_SEND_ADDRESS, VALUE_SEND_SIZE, sideLength, transfer,
} from "./message";
import * as abi from "../generated/abi";

/** A handle on its way to the receiver of a msg.sendv. */
class Transfer {
  constructor(readonly client: Thread, readonly object: KernelObject, readonly rights: u32) {}
}

export class Channel extends KernelObject {
  /** Clients whose message no thread has received yet, highest priority first. */
  readonly senders: WaitQueue = new WaitQueue();
  /** Threads waiting in msg.receive. */
  readonly receivers: WaitQueue = new WaitQueue();
  readonly pulses: PulseQueue = new PulseQueue();
  readonly transfers: Transfer[] = [];
  /** The thread that received on it last: the one a waiting sender lends its priority to. */
  lastReceiver: Thread | null = null;
  isOpen: bool = true;

  constructor(readonly creator: Component) {
    super(abi.OBJECT_TYPE_CHANNEL);
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

/**
 * Hands `client`'s message to `server` (which is receiving, its buffers in
 * its ipcValues): copies it, writes the receiveInfo, moves the client to
 * the reply wait and lends the server the client's priority. The server's
 * result is the receive id.
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
  client.blockReason = BlockReason.Reply;
  objectsOf(serverComponent).replyPending.push(client);
  lendPriority(server, client.priority);
  server.ipcResult = client.id;
}

/**
 * No thread waits to receive: the server is busy, or has not come back to
 * msg.receive since its last reply. Its last receiving thread, if it is
 * ready or running, runs at the sender's priority until it receives again,
 * so that a thread of middle priority cannot keep it from the message
 * (it may be preempted right after a reply, still below its next receive).
 */
function lendToBusyServer(channel: Channel, priority: i32): void {
  const server = channel.lastReceiver;
  if (server == null || server.priority >= priority) return;
  if (server.state != ThreadState.Ready && server.state != ThreadState.Running) return;
  lendPriority(server, priority);
}

/** Sends the caller's message on `channel` and waits for the reply: the reply status or an error. */
function send(caller: Thread, channel: Channel, sendAddress: u64, sendSize: u64, replyAddress: u64, replySize: u64,
  flags: i64, handle: HandleEntry | null): i32 {
  if (!channel.isOpen) return abi.ERROR_DEAD_SERVER;
  const values = caller.ipcValues;
  unchecked(values[VALUE_SEND_ADDRESS] = <i64>sendAddress);
  unchecked(values[VALUE_SEND_SIZE] = <i64>sendSize);
  unchecked(values[VALUE_REPLY_ADDRESS] = <i64>replyAddress);
  unchecked(values[VALUE_REPLY_SIZE] = <i64>replySize);
  if (handle != null) {
    const object = handle.object!;
    object.handleCount++;
    channel.transfers.push(new Transfer(caller, object, handle.rights));
    flags |= FLAG_TRANSFER;
  }
  unchecked(values[VALUE_FLAGS] = flags);
  caller.ipcResult = abi.ERROR_DEAD_SERVER;
  const receiver = channel.receivers.takeFirst();
  if (receiver != null) {
    deliver(caller, receiver, channel);
    blockAndSwitchTo(BlockReason.Reply, receiver);
  } else {
    lendToBusyServer(channel, caller.priority);
    block(BlockReason.Send, abi.TIMEOUT_FOREVER, channel.senders);
  }
  return <i32>caller.ipcResult;
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
  if (!channel.isOpen) return abi.ERROR_BAD_HANDLE;
  // A thread that receives again has finished serving whoever lent it a priority.
  returnPriority(caller);
  if (channel.lastReceiver !== caller) channel.lastReceiver = caller;
  const values = caller.ipcValues;
  unchecked(values[VALUE_SEND_ADDRESS] = <i64>address);
  unchecked(values[VALUE_SEND_SIZE] = <i64>size);
  unchecked(values[VALUE_FLAGS] = vector ? FLAG_SEND_VECTOR : 0);
  unchecked(values[VALUE_INFO] = <i64>info);
  if (!channel.pulses.isEmpty) {
    channel.pulses.deliverFirst(caller);
    return abi.RECEIVE_ID_PULSE;
  }
  const client = channel.senders.takeFirst();
  if (client != null) {
    deliver(client, caller, channel);
    return <i32>caller.ipcResult;
  }
  caller.ipcResult = abi.ERROR_BAD_HANDLE;
  block(BlockReason.Receive, abi.TIMEOUT_FOREVER, channel.receivers);
  return <i32>caller.ipcResult;
}

/** msg.receive */
export function msgReceive(caller: Thread, channel: Channel, buffer: u64, bufferLength: u32, info: u64): i32 {
  return receive(caller, channel, buffer, <u64>bufferLength, false, info);
}

/** msg.receivev */
export function msgReceivev(caller: Thread, channel: Channel, buffers: u64, buffersCount: u32, info: u64): i32 {
  return receive(caller, channel, buffers, <u64>buffersCount, true, info);
}

/** The client waiting for the caller's reply under `receiveId`, or null; dead clients found on the way are dropped. */
function pendingClient(caller: Thread, receiveId: u32, remove: bool): Thread | null {
  const pending = objectsOf(caller.component!).replyPending;
  for (let i = 0; i < pending.length; i++) {
    const client = unchecked(pending[i]);
    if (client.id != receiveId) continue;
    const waiting = client.state == ThreadState.Blocked && client.blockReason == BlockReason.Reply;
    if (remove || !waiting) {
      pending[i] = pending[pending.length - 1];
      pending.pop();
    }
    return waiting ? client : null;
  }
  return null;
}

function reply(caller: Thread, receiveId: u32, status: i32, address: u64, size: u64, vector: bool): i32 {
  if (status == abi.ERROR_DEAD_SERVER) return abi.ERROR_INVALID_ARGUMENT;
  const client = pendingClient(caller, receiveId, true);
  returnPriority(caller);
  if (client == null) return abi.ERROR_NO_SENDER;
  const values = client.ipcValues;
  transfer(caller.component!, address, size, vector, client.component!, <u64>unchecked(values[VALUE_REPLY_ADDRESS]),
    <u64>unchecked(values[VALUE_REPLY_SIZE]), (unchecked(values[VALUE_FLAGS]) & FLAG_REPLY_VECTOR) != 0, 0);
  finish(client, status, WakeReason.Woken);
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
