// A cycle of servers: thread A (own priority 6) waits for B's reply while
// B (own 8), serving A, sends to A's channel — a deadlock, which only B's
// send timeout (100 ms) breaks. Priority must go round it without the
// kernel looping, and fall back once it is broken:
//
//   1. the runner's main thread, at 2 so that the others run first, pulses
//      A's channel CA and starts B, which waits in msg.receive on its
//      channel CB, and A, which receives the pulse (A is now CA's last
//      receiver) and sends B a message; B, serving it, sends to CA under
//      the timeout: nobody receives there, A waits for B. The runner lets
//      each run to where it blocks before it starts the next (they share
//      its component lock) and checks that the cycle closed before C;
//   2. C (20) sends to CB. Nobody receives there either: C's 20 goes to
//      CB's last receiver B, from B (waiting in CA's senders) to CA's last
//      receiver A, from A (waiting for B's reply) back to B — where it
//      stops;
//   3. B's send times out: B reports TIMED_OUT and runs at 20 (C still
//      waits on CB), answers A, then receives and answers C;
//   4. A, answered, runs at its own 6 again (what B's send gave it around
//      the cycle was taken back), and B, having answered everyone, at 8
//      (read after a sleep: C, answered, waits for the runner's component
//      lock and lends B its priority until B lets go, docs/kernel.md).
//
// Then the head of the cycle: the same cycle, but broken by a timeout of
// A's wait for B's reply (50 ms), so that A runs while B still waits in
// A's channel. A must read C's 20: it reached A only by being passed on
// from B (raised by C after it had started waiting) to the last receiver
// of the channel B waits on; without passing along chains A reads B's 8.
// A then receives B's message and answers it, B's send succeeds and B's
// late reply to A finds no sender.

import {
  channelCreate, clockNow, connectionCreate, handleClose, msgReceive, msgReply, msgSend, pulseSend, threadCreate, threadExit,
  threadPriority, threadSelf, threadSetPriority, threadSleep, threadTimeout, ERROR_NO_SENDER, ERROR_TIMED_OUT, PRIORITY_DEFAULT,
  RECEIVE_INFO_SIZE, ReceiveInfo, TIMEOUT_REPLY, TIMEOUT_SEND,
} from "../../../ipc/generated/index";
import { Check } from "./check";

const A_PRIORITY: i32 = 6;
const B_PRIORITY: i32 = 8;
const C_PRIORITY: i32 = 20;
const OBSERVER_PRIORITY: i32 = 2;
const CYCLE_TIMEOUT: i64 = 100_000_000;
const HEAD_TIMEOUT: i64 = 50_000_000;
const AFTER: i64 = 50_000_000;
/** How long the observer lets a new thread run before the next: well inside both timeouts. */
const STEP: i64 = 5_000_000;

let channelA: i32 = 0;
let channelB: i32 = 0;
let toA: i32 = 0;
let toB: i32 = 0;

let aStatus: i32 = 0;
let aAfter: i32 = 0;
let bSendStatus: i32 = 0;
let bAtTimeout: i32 = 0;
let bAfter: i32 = 0;
let cStatus: i32 = 0;
let done: i32 = 0;
/** The second scenario: A's reply wait times out first. */
let headFirst = false;
let aAtTimeout: i32 = 0;
let aServed: i32 = 0;
let bLateReply: i32 = 0;
/** B's progress: 1 once it received A's message (A's thread id was in its receiveInfo), 2 once it is about to send into A's channel. */
let bStage: i32 = 0;
let aThread: i32 = 0;

function cycleClosed(): bool { return bStage == 2; }

function threadA(_argument: i32): void {
  aThread = threadSelf();
  const buffer = heap.alloc(16);
  msgReceive(channelA, buffer, 16, 0);
  if (headFirst) threadTimeout(TIMEOUT_REPLY, HEAD_TIMEOUT);
  aStatus = msgSend(toB, buffer, 4, buffer, 4);
  if (headFirst) {
    aAtTimeout = threadPriority();
    const fromB = msgReceive(channelA, buffer, 16, 0);
    aServed = msgReply(fromB, 0, buffer, 4);
  }
  aAfter = threadPriority();
  done++;
  threadExit();
}

function threadB(_argument: i32): void {
  const buffer = heap.alloc(16);
  const info = heap.alloc(RECEIVE_INFO_SIZE);
  const fromA = msgReceive(channelB, buffer, 16, <u32>info);
  if (changetype<ReceiveInfo>(info).thread == <u32>aThread) bStage = 1;
  if (bStage == 1) bStage = 2;
  if (!headFirst) threadTimeout(TIMEOUT_SEND, CYCLE_TIMEOUT);
  bSendStatus = msgSend(toA, buffer, 4, buffer, 4);
  bAtTimeout = threadPriority();
  bLateReply = msgReply(fromA, 0, buffer, 4);
  const fromC = msgReceive(channelB, buffer, 16, 0);
  msgReply(fromC, 0, buffer, 4);
  // C, answered, waits for the runner's lock and lends B its 20 until B lets go: read after a sleep, once C and A ended.
  threadSleep(AFTER);
  bAfter = threadPriority();
  done++;
  threadExit();
}

function threadC(_argument: i32): void {
  const buffer = heap.alloc(16);
  cStatus = msgSend(toB, buffer, 4, buffer, 4);
  done++;
  threadExit();
}

/** Runs one cycle: the threads started, and awaited until all three finished (or 5 s). */
function runCycle(check: Check): bool {
  channelA = channelCreate(0);
  channelB = channelCreate(0);
  if (!check.succeeded(channelA, "channel.create") || !check.succeeded(channelB, "channel.create")) return false;
  toA = connectionCreate(channelA);
  toB = connectionCreate(channelB);
  done = 0;
  bStage = 0;
  aThread = -1;
  threadSetPriority(OBSERVER_PRIORITY);
  pulseSend(toA, 1, 0);
  // A new thread runs once this one lets go of the component lock (it lends this one its priority until
  // then): each is let run to where it blocks before the next starts — B receiving, then A, whose message
  // B receives before B sends into A's channel, closing the cycle; then C.
  check.succeeded(threadCreate(<u32>threadB.index, 0, B_PRIORITY), "thread.create of B");
  threadSleep(STEP);
  check.succeeded(threadCreate(<u32>threadA.index, 0, A_PRIORITY), "thread.create of A");
  threadSleep(STEP);
  check.ok(cycleClosed(), "B had received A's message and sent into A's channel before C started");
  check.succeeded(threadCreate(<u32>threadC.index, 0, C_PRIORITY), "thread.create of C");
  // The cycle stands until B's timeout; this thread (2) only runs while the others wait.
  const deadline = clockNow() + 5_000_000_000;
  while (done < 3 && clockNow() < deadline) threadSleep(1_000_000);
  threadSetPriority(PRIORITY_DEFAULT);
  handleClose(toA);
  handleClose(toB);
  handleClose(channelA);
  handleClose(channelB);
  return check.equal(done, 3, "threads A, B and C finished");
}

export function priorityCycle(check: Check): void {
  headFirst = false;
  if (!runCycle(check)) return;
  check.refused(bSendStatus, ERROR_TIMED_OUT, "B's send into the cycle");
  check.equal(bAtTimeout, C_PRIORITY, "B's priority when its send timed out (C waiting on B's channel)");
  check.succeeded(aStatus, "A's send to B");
  check.succeeded(cStatus, "C's send to B");
  check.equal(aAfter, A_PRIORITY, "A's priority once answered (its own: the cycle's priority taken back)");
  check.equal(bAfter, B_PRIORITY, "B's priority once it had answered A and C (its own)");
  headFirst = true;
  if (!runCycle(check)) return;
  check.refused(aStatus, ERROR_TIMED_OUT, "A's send into the cycle (head variant)");
  check.equal(aAtTimeout, C_PRIORITY, "A's priority when its reply wait timed out, B still waiting in A's channel (C's, passed on from B)");
  check.succeeded(aServed, "A's reply to B's message (head variant)");
  check.succeeded(bSendStatus, "B's send to A (head variant)");
  check.refused(bLateReply, ERROR_NO_SENDER, "B's late reply to A's timed-out message");
  check.succeeded(cStatus, "C's send to B (head variant)");
  check.summary = "a cycle (A waits for B, B sends to A's channel) passed a priority of " + C_PRIORITY.toString()
    + " round without looping; once B's send timed out, A ran at its own " + A_PRIORITY.toString() + " and B at its own "
    + B_PRIORITY.toString() + "; at the head of the cycle A read " + aAtTimeout.toString() + " when its own wait timed out";
}
