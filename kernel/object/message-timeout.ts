// Timeouts on blocking message calls, as QNX's TimerTimeout: a thread arms
// one with thread.timeout(states, nanoseconds) for its NEXT message call
// (msg.send, msg.sendv, msg.receive, msg.receivev), which takes it at its
// start whether it blocks or not. The deadline counts from that start; the
// call fails with TIMED_OUT if it is still blocked in one of `states` when
// the deadline passes:
//
//   TIMEOUT_SEND     in the channel's senders, not received yet
//   TIMEOUT_REPLY    received, waiting for the reply
//   TIMEOUT_RECEIVE  in msg.receive, waiting for a message or a pulse
//
// A send that is received moves from the first state to the second while
// it waits; the timer fires in whichever state it is in then, and does
// nothing in a state the call does not cover (a send waiting to be
// received under TIMEOUT_REPLY alone is looked at again every tick until
// it is received). So receiving a message (channel.ts, deliver) costs the
// timeouts nothing. A deadline that has passed when the call would block
// (TIMEOUT_NONE, 0 nanoseconds) fails it at once instead of blocking; one
// that passes while it is blocked is seen by the tick, at most 10 ms late.
//
// Why a separate call rather than a timeout argument on every message
// call: the plain msg.send stays as it is — its only cost is testing
// `timeoutStates` once (channel.ts compiles the send and receive paths
// twice, without and with the timeout) — and one mechanism covers send,
// reply and receive.
//
// Invariants:
//  - `timeoutStates` != 0 only between thread.timeout and the next
//    message call; `callStates` != 0 only while that call is blocked with
//    its timeout, and `messageTimeout` is armed only then;
//  - the thread leaves cleanly when its timer fires: out of the channel's
//    senders with its transferred handle dropped, or no longer pending in
//    the server (the server's msg.reply, msg.read and msg.grant for it get
//    NO_SENDER); what it lent the channel's last receiver or its server is
//    taken back, along the chain, before anything else runs.

import { Timeout, arm, disarm, nanosToCycles } from "../sched/timeouts";
import { now } from "../time";
import { BlockReason, Thread, ThreadState, WakeReason, block, blockAndSwitchTo, wake } from "./thread";
import { Channel, SenderQueue, dropTransferOf, withdrawClient } from "./channel";
import { boostLastReceiver, passOn, settleSenders } from "./inheritance";
import { Component } from "../component/component";
import * as abi from "../generated/abi";

const ALL_STATES: u32 = abi.TIMEOUT_SEND | abi.TIMEOUT_REPLY | abi.TIMEOUT_RECEIVE;

class MessageTimeout extends Timeout {
  constructor(readonly thread: Thread) { super(); }
  fire(deadline: u64): void { timedOut(this.thread); }
}

/** thread.timeout */
export function threadTimeout(caller: Thread, states: u32, timeout: i64): i32 {
  if ((states & ~ALL_STATES) != 0 || timeout < 0) return abi.ERROR_INVALID_ARGUMENT;
  caller.timeoutStates = states;
  caller.timeoutNanos = timeout;
  return 0;
}

/** A message call begins with a timeout armed: it takes it, and its deadline counts from now. */
export function startTimeout(caller: Thread): void {
  caller.timeoutStates = 0;
  caller.callDeadline = now() + nanosToCycles(<u64>caller.timeoutNanos);
}

function timerOf(thread: Thread): Timeout {
  let timer = thread.messageTimeout;
  if (timer == null) {
    timer = new MessageTimeout(thread);
    thread.messageTimeout = timer;
  }
  return timer;
}

function expired(thread: Thread): bool {
  return thread.callDeadline <= now();
}

/** The blocked call is over (its wait ended, however): the timer goes. */
function endCall(thread: Thread): void {
  thread.callStates = 0;
  const timer = thread.messageTimeout;
  if (timer != null) disarm(timer);
}

/** msg.send found `server` receiving and gave it the message: switches to it and waits for the reply under the call's timeout. */
export function awaitReplyTimed(client: Thread, server: Thread): void {
  if (expired(client)) {
    // It gives up at once: the server has the message, its reply will find no sender.
    client.ipcResult = abi.ERROR_TIMED_OUT;
    client.blockReason = BlockReason.None;
    wake(server, WakeReason.Woken);
    passOn(withdrawClient(client));
    return;
  }
  client.callStates = abi.TIMEOUT_REPLY;
  arm(timerOf(client), client.callDeadline);
  blockAndSwitchTo(BlockReason.Reply, server);
  endCall(client);
}

/** msg.send found no thread receiving on `channel`: waits to be received, then for the reply, under the call's timeout. */
export function awaitReceiverTimed(client: Thread, channel: Channel, states: u32): void {
  if ((states & abi.TIMEOUT_SEND) != 0 && expired(client)) {
    client.ipcResult = abi.ERROR_TIMED_OUT;
    dropTransferOf(channel, client);
    return;
  }
  if ((states & (abi.TIMEOUT_SEND | abi.TIMEOUT_REPLY)) != 0) arm(timerOf(client), client.callDeadline);
  client.callStates = states;
  passOn(boostLastReceiver(channel, client));
  block(BlockReason.Send, abi.TIMEOUT_FOREVER, channel.senders);
  endCall(client);
}

/** msg.receive found nothing to receive: waits under the call's timeout. */
export function awaitSenderTimed(receiver: Thread, channel: Channel): void {
  if (expired(receiver)) {
    receiver.ipcResult = abi.ERROR_TIMED_OUT;
    return;
  }
  receiver.callStates = abi.TIMEOUT_RECEIVE;
  arm(timerOf(receiver), receiver.callDeadline);
  block(BlockReason.Receive, abi.TIMEOUT_FOREVER, channel.receivers);
  endCall(receiver);
}

/** The tick: `thread`'s deadline passed while it was blocked in a covered state. It leaves, and what it lent goes back. */
function timedOut(thread: Thread): void {
  if (thread.state != ThreadState.Blocked) return;
  const reason = thread.blockReason;
  const queue = thread.waitQueue;
  const states = thread.callStates;
  if (reason == BlockReason.Send && (states & abi.TIMEOUT_SEND) == 0) {
    // Past the deadline, not received yet, covered once it is: look again at the next tick.
    if ((states & abi.TIMEOUT_REPLY) != 0) arm(timerOf(thread), now() + 1);
  } else if (reason == BlockReason.Send && queue != null) {
    const channel = changetype<SenderQueue>(queue).channel!;
    leave(thread);
    dropTransferOf(channel, thread);
    passOn(settleSenders(channel));
  } else if (reason == BlockReason.Reply && (states & abi.TIMEOUT_REPLY) != 0) {
    leave(thread);
    passOn(withdrawClient(thread));
  } else if (reason == BlockReason.Receive) {
    leave(thread);
  }
}

function leave(thread: Thread): void {
  thread.ipcResult = abi.ERROR_TIMED_OUT;
  thread.callStates = 0;
  wake(thread, WakeReason.TimedOut);
}

/** A component is ending (component/end.ts): timers of its threads that were blocked with one go. */
export function disarmEnded(component: Component): void {
  const threads = component.threads;
  for (let i = 0; i < threads.length; i++) {
    const timer = threads[i].messageTimeout;
    if (timer != null) disarm(timer);
  }
}
