// Timeouts on blocking message calls (thread.timeout, QNX's TimerTimeout),
// seen from both ends, on private channels of the runner:
//
//   1. receive-blocked: nothing to receive fails with TIMED_OUT, at once
//      with TIMEOUT_NONE and after the time otherwise; a timeout is taken
//      by the next message call even when that call does not block, and
//      only covers the states it names — in both cases a later receive
//      waits for the pulse a second thread sends it much later;
//   2. send-blocked: nobody receives; the send fails with TIMED_OUT, its
//      message is no longer among the channel's senders (a receive finds
//      nothing), and the handle it carried was dropped, not leaked (the
//      channel it named closes when the runner closes its own handle);
//   3. reply-blocked: a server thread (own priority 15) received the
//      message and holds it; the client fails with TIMED_OUT, the server is
//      back at its own priority while it still holds the receive id, and
//      its msg.reply and msg.read for that id get NO_SENDER — also once the
//      same client thread waits for its reply to a second message, which
//      is answered normally; a timeout for the send state only does not cut
//      a reply wait short, nor one for the reply state only the wait to be
//      received (150 ms, while the server sleeps).
//
// The server thread is ordered by priorities, not by timing: at 15 it runs
// as soon as it is ready, ahead of the runner's main thread (10) — once
// that thread lets go of the runner's component lock (docs/kernel.md: the
// threads of a component run its wasm one at a time), which it does by
// blocking, in a send or a short sleep.

import {
  channelCreate, clockNow, connectionCreate, handleClose, msgRead, msgReceive, msgReply, msgSend, msgSendv, pulseSend,
  threadCreate, threadExit, threadPriority, threadSleep, threadTimeout, ERROR_DEAD_SERVER, ERROR_NO_SENDER,
  ERROR_TIMED_OUT, IOVEC_SIZE, Iovec, RECEIVE_ID_PULSE, TIMEOUT_NONE, TIMEOUT_RECEIVE, TIMEOUT_REPLY, TIMEOUT_SEND,
} from "../../../ipc/generated/index";
import { Check } from "./check";

const MILLISECOND: i64 = 1_000_000;
/** Long after any timeout of the test: a pulse that comes this late shows a receive was not cut short. */
const LATE: i64 = 150 * MILLISECOND;
const SERVER_PRIORITY: i32 = 15;
const CLIENT_PRIORITY: i32 = 10;
const STATUS_SECOND: i32 = 77;
const STATUS_SLOW: i32 = 5;

const buffer = heap.alloc(64);
const reply = heap.alloc(64);

// The late pulser (part 1).
let pulser: i32 = 0;

function latePulse(code: i32): void {
  threadSleep(LATE);
  pulseSend(pulser, code, 0);
  threadExit();
}

/** Receives on `channel` while a second thread pulses it LATE from now: the result. */
function receiveLatePulse(channel: i32, code: i32): i64 {
  threadCreate(<u32>latePulse.index, code, CLIENT_PRIORITY + 1);
  return msgReceive(channel, buffer, 64, 0);
}

function receiveStates(check: Check): void {
  const channel = channelCreate(0);
  if (!check.succeeded(channel, "channel.create")) return;
  pulser = connectionCreate(channel);
  check.succeeded(threadTimeout(TIMEOUT_RECEIVE, TIMEOUT_NONE), "thread.timeout(RECEIVE, NONE)");
  let start = clockNow();
  check.refused(msgReceive(channel, buffer, 64, 0), ERROR_TIMED_OUT, "msg.receive with TIMEOUT_NONE and nothing to receive");
  check.ok(clockNow() - start < LATE, "msg.receive with TIMEOUT_NONE returned at once");

  check.succeeded(threadTimeout(TIMEOUT_RECEIVE, 30 * MILLISECOND), "thread.timeout(RECEIVE, 30 ms)");
  start = clockNow();
  check.refused(msgReceive(channel, buffer, 64, 0), ERROR_TIMED_OUT, "msg.receive with a 30 ms timeout and nothing to receive");
  const waited = clockNow() - start;
  check.ok(waited >= 30 * MILLISECOND, "msg.receive timed out after " + waited.toString() + " ns, not before its 30 ms");

  // Taken by a call that does not block: the queued pulse is received, and the next receive waits for ever.
  pulseSend(pulser, 1, 0);
  check.succeeded(threadTimeout(TIMEOUT_RECEIVE, 10 * MILLISECOND), "thread.timeout(RECEIVE, 10 ms)");
  check.equal(msgReceive(channel, buffer, 64, 0), RECEIVE_ID_PULSE, "msg.receive with a pulse queued, under a timeout");
  check.equal(receiveLatePulse(channel, 2), RECEIVE_ID_PULSE, "the next msg.receive (the timeout was taken by the one before): the late pulse");
  // A timeout for other states does not cover a receive.
  check.succeeded(threadTimeout(TIMEOUT_SEND | TIMEOUT_REPLY, 10 * MILLISECOND), "thread.timeout(SEND | REPLY, 10 ms)");
  check.equal(receiveLatePulse(channel, 3), RECEIVE_ID_PULSE, "msg.receive under a timeout of the send states only: the late pulse");
  handleClose(pulser);
  handleClose(channel);
}

function sendState(check: Check): void {
  const quiet = channelCreate(0);
  const carried = channelCreate(0);
  if (!check.succeeded(quiet, "channel.create") || !check.succeeded(carried, "channel.create")) return;
  const toQuiet = connectionCreate(quiet);
  const toCarried = connectionCreate(carried);
  store<u32>(buffer, 0x600d);
  check.succeeded(threadTimeout(TIMEOUT_SEND, TIMEOUT_NONE), "thread.timeout(SEND, NONE)");
  check.refused(msgSend(toQuiet, buffer, 4, reply, 4), ERROR_TIMED_OUT, "msg.send with TIMEOUT_NONE to a channel nobody receives on");

  const iovec = changetype<Iovec>(heap.alloc(IOVEC_SIZE));
  iovec.address = <u32>buffer;
  iovec.length = 4;
  check.succeeded(threadTimeout(TIMEOUT_SEND, 20 * MILLISECOND), "thread.timeout(SEND, 20 ms)");
  const start = clockNow();
  check.refused(msgSendv(toQuiet, changetype<usize>(iovec), 1, changetype<usize>(iovec), 1, carried), ERROR_TIMED_OUT,
    "msg.sendv carrying a handle, with a 20 ms timeout, to a channel nobody receives on");
  check.ok(clockNow() - start >= 20 * MILLISECOND, "msg.sendv timed out after its 20 ms, not before");
  check.succeeded(threadTimeout(TIMEOUT_RECEIVE, TIMEOUT_NONE), "thread.timeout(RECEIVE, NONE)");
  check.refused(msgReceive(quiet, buffer, 64, 0), ERROR_TIMED_OUT, "msg.receive on that channel (the timed-out message must be gone)");
  // The message held a handle of `carried`; with it dropped, closing ours is the last one.
  handleClose(carried);
  check.refused(pulseSend(toCarried, 1, 0), ERROR_DEAD_SERVER, "a pulse to the channel whose handle the timed-out message carried (it must have closed)");
  handleClose(toCarried);
  handleClose(toQuiet);
  handleClose(quiet);
}

// The server thread of part 3, and what it saw.
let service: i32 = 0;
let firstId: i32 = 0;
let secondId: i32 = 0;
let servingPriority: i32 = 0;
let afterTimeoutPriority: i32 = 0;
let lateReply: i32 = 0;
let lateRead: i32 = 0;
let lateReplyAgain: i32 = 0;
let lateId: i32 = 0;
let lateHeldReply: i32 = 0;
/** When the server began the sleep that makes it late to receive. */
let lateSleepStart: i64 = 0;
let serverDone: bool = false;

function server(_argument: i32): void {
  const messages = heap.alloc(64);
  firstId = msgReceive(service, messages, 64, 0);
  servingPriority = threadPriority();
  // Hold it: receive again, until the client says it timed out.
  msgReceive(service, messages, 64, 0);
  afterTimeoutPriority = threadPriority();
  lateReply = msgReply(firstId, 0, messages, 4);
  lateRead = msgRead(firstId, 0, messages, 4);
  secondId = msgReceive(service, messages, 64, 0);
  lateReplyAgain = msgReply(firstId, 0, messages, 4);
  store<u32>(messages, load<u32>(messages) + 1);
  msgReply(secondId, STATUS_SECOND, messages, 4);
  const slow = msgReceive(service, messages, 64, 0);
  threadSleep(LATE);
  msgReply(slow, STATUS_SLOW, messages, 4);
  // Late to receive: the client waits in the senders past its deadline, then times out once received.
  lateSleepStart = clockNow();
  threadSleep(LATE);
  lateId = msgReceive(service, messages, 64, 0);
  msgReceive(service, messages, 64, 0);
  lateHeldReply = msgReply(lateId, 0, messages, 4);
  serverDone = true;
  threadExit();
}

function replyState(check: Check): void {
  service = channelCreate(0);
  if (!check.succeeded(service, "channel.create")) return;
  const toService = connectionCreate(service);
  serverDone = false;
  if (!check.succeeded(threadCreate(<u32>server.index, 0, SERVER_PRIORITY), "thread.create of the server thread")) return;
  // The server thread (15) ran at once and waits in msg.receive.
  store<u32>(buffer, 1);
  check.succeeded(threadTimeout(TIMEOUT_REPLY, 30 * MILLISECOND), "thread.timeout(REPLY, 30 ms)");
  check.refused(msgSend(toService, buffer, 4, reply, 4), ERROR_TIMED_OUT, "msg.send held by the server, with a 30 ms reply timeout");
  check.equal(servingPriority, CLIENT_PRIORITY, "the server's priority while it held the message (the client's)");
  pulseSend(toService, 1, 0);
  // Sleeping lets go of the runner's lock: the server (15) runs now, at its own priority again, and the receive id is dead.
  threadSleep(MILLISECOND);
  check.equal(afterTimeoutPriority, SERVER_PRIORITY, "the server's priority after the client timed out, still holding its receive id (its own)");
  check.refused(lateReply, ERROR_NO_SENDER, "msg.reply to the timed-out message");
  check.refused(lateRead, ERROR_NO_SENDER, "msg.read of the timed-out message");

  store<u32>(buffer, 41);
  check.equal(msgSend(toService, buffer, 4, reply, 4), STATUS_SECOND, "the client's next message: the server's status");
  check.equal(load<u32>(reply), 42, "its reply");
  check.ok(secondId > 0 && secondId != firstId, "the next message got a receive id of its own (" + firstId.toString() + ", then " + secondId.toString() + ")");
  check.refused(lateReplyAgain, ERROR_NO_SENDER, "msg.reply to the timed-out message while the same client waits for its next reply");

  check.succeeded(threadTimeout(TIMEOUT_SEND, 10 * MILLISECOND), "thread.timeout(SEND, 10 ms)");
  check.equal(msgSend(toService, buffer, 4, reply, 4), STATUS_SLOW, "a send received at once, then answered after 150 ms, under a 10 ms timeout of the send state only");

  // The server sleeps 150 ms before it receives again: a reply-state timeout does not cover that wait.
  check.succeeded(threadTimeout(TIMEOUT_REPLY, 30 * MILLISECOND), "thread.timeout(REPLY, 30 ms)");
  check.refused(msgSend(toService, buffer, 4, reply, 4), ERROR_TIMED_OUT, "a send received 150 ms late and then held, under a 30 ms reply-state timeout");
  // Timed from the server's sleep, which began (the server runs first) before this send.
  const waited = clockNow() - lateSleepStart;
  check.ok(waited >= LATE, "it timed out " + waited.toString() + " ns after the server began its 150 ms sleep: once received, not while it waited to be");
  pulseSend(toService, 1, 0);
  threadSleep(MILLISECOND);
  check.ok(lateId > 0, "the server received it");
  check.refused(lateHeldReply, ERROR_NO_SENDER, "msg.reply to it");
  check.ok(serverDone, "the server thread finished");
  handleClose(toService);
  handleClose(service);
}

export function messageTimeouts(check: Check): void {
  receiveStates(check);
  if (!check.failed) sendState(check);
  if (!check.failed) replyState(check);
  check.summary = "receive, send and reply states each time out with TIMED_OUT (TIMEOUT_NONE at once); the next message call takes"
    + " the timeout, for its states only; a timed-out send leaves the senders and drops its handle; a server holding a timed-out"
    + " message is back at its own priority and its reply and read get NO_SENDER, also once the client waits again";
}
