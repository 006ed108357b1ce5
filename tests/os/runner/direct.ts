// Direct calls (msg.serve_direct, docs/ipc.md "Direct calls"): init swaps
// the echo server for its direct version (tests/os/echo-direct), whose
// handlers run on the runner's thread, and the test checks what a client
// and the rest of the machine see when the handler behaves and when it
// does not:
//
//  - a request is answered directly (an echo reply's instance carries
//    DIRECT_BIT, a square reply DIRECT_SQUARE_BIT), and one whose handler
//    returns REPLY_LATER goes on to the server's own thread, which answers
//    it; the orders to a broken handler ride on square requests;
//  - two threads of the runner calling at once, the second preempting the
//    first and waiting for the runner's lock: each gets its own replies;
//  - a handler that makes a system call, or traps, ends its server alone:
//    the runner's msg.send returns DEAD_SERVER, init restarts the server,
//    the next request is answered directly by the new instance;
//  - a handler that spins forever on a thread of the runner: the runner's
//    other thread runs meanwhile (it takes the runner's lock from the
//    visiting thread), the timer ticks, init restarts the server, and the
//    spinning thread's msg.send returns DEAD_SERVER;
//  - requests from ever deeper in the runner's stack: once less than
//    DIRECT_STACK is left above the stack's floor, the server's thread
//    answers them;
//  - a client (tests/os/direct-client) killed while its thread spins in a
//    handler: KILLED at once, while the handler runs on (the server's CPU
//    time grows) until init restarts the server; the next instance answers
//    directly;
//  - msg.serve_direct's own checks, on a channel of the runner: a handler
//    out of the table or of the wrong type, a short buffer, a buffer out of
//    memory, a handle of the wrong type or none.
// The echo server's first version comes back at the end.

import {
  channelCreate, clockNow, componentKill, connectionCreate, handleClose, msgSend, msgServeDirect, nameOpen, threadCreate,
  threadExit, threadSleep, COMPONENT_STATE_KILLED, ERROR_BAD_ADDRESS, ERROR_BAD_HANDLE, ERROR_DEAD_SERVER, ERROR_INVALID_ARGUMENT, ERROR_WRONG_TYPE, PRIORITY_DEFAULT,
  TEST_ECHO_ECHO, TEST_ECHO_ECHO_REQUEST_SIZE, TEST_ECHO_PATH, TEST_ECHO_SQUARE, TEST_ECHO_SQUARE_REPLY_SIZE,
  TEST_ECHO_SQUARE_REQUEST_SIZE, TestEchoEchoReply, TestEchoEchoRequest, TestEchoSquareReply, TestEchoSquareRequest,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { spawnComponent } from "./grants";
import { awaitEnd, awaitPulse, cpuTicks, takeEndPulse } from "./supervision";
import { PULSE_CALLING } from "../lib/runner-path";
import { initReplace, initRestart, initStart, initStatus, initStatusReply } from "./init-client";
import { DIRECT_BIT, DIRECT_LATER, DIRECT_SPIN, DIRECT_SQUARE_BIT, DIRECT_SYSTEM_CALL, DIRECT_TRAP } from "../echo/server";

const REQUEST_DATA: u32 = 8;
const OPEN_TIMEOUT: i64 = 5_000_000_000;
/** What spinningSend leaves while its msg.send has not returned. */
const PENDING: i32 = 1;

let spinResult: i32 = PENDING;

/** msg.send of the `length` bytes at `message` to test.echo on a connection of its own, the reply (`replyLength`) over them: the status. */
function sendToEcho(message: usize, length: u32, replyLength: u32): i32 {
  const connection = nameOpen(TEST_ECHO_PATH, OPEN_TIMEOUT);
  if (connection < 0) return connection;
  const status = msgSend(connection, message, length, message, replyLength);
  handleClose(connection);
  return status;
}

/** Sends test.echo's echo with `sequence` and 8 bytes of data: the status; `answer` the reply's sequence and instance. */
function ask(sequence: u32, answer: StaticArray<u32>): i32 {
  const message = heap.alloc(TEST_ECHO_ECHO_REQUEST_SIZE + REQUEST_DATA);
  changetype<TestEchoEchoRequest>(message).operation = TEST_ECHO_ECHO;
  changetype<TestEchoEchoRequest>(message).sequence = sequence;
  store<u64>(message + TEST_ECHO_ECHO_REQUEST_SIZE, 0x0102030405060708);
  const status = sendToEcho(message, TEST_ECHO_ECHO_REQUEST_SIZE + REQUEST_DATA, TEST_ECHO_ECHO_REQUEST_SIZE + REQUEST_DATA);
  unchecked(answer[0] = changetype<TestEchoEchoReply>(message).sequence);
  unchecked(answer[1] = changetype<TestEchoEchoReply>(message).instance);
  unchecked(answer[2] = <u32>load<u64>(message + TEST_ECHO_ECHO_REQUEST_SIZE));
  heap.free(message);
  return status;
}

/** Sends test.echo's square of `order` (an order to the direct version's handler, tests/os/echo/server.ts): the status; `answer` the square. */
function give(order: u32, answer: StaticArray<u64>): i32 {
  const message = heap.alloc(TEST_ECHO_SQUARE_REQUEST_SIZE);
  changetype<TestEchoSquareRequest>(message).operation = TEST_ECHO_SQUARE;
  changetype<TestEchoSquareRequest>(message).value = order;
  const status = sendToEcho(message, TEST_ECHO_SQUARE_REQUEST_SIZE, TEST_ECHO_SQUARE_REPLY_SIZE);
  unchecked(answer[0] = changetype<TestEchoSquareReply>(message).square);
  heap.free(message);
  return status;
}

/** The instance of the echo server init runs now, or 0. */
export function echoComponent(): u32 {
  return initStatus("echo") < 0 ? 0 : initStatusReply.component;
}

/** A thread of the runner: sends the order to spin forever, and records what msg.send returned. */
function spinningSend(_argument: i32): void {
  spinResult = give(DIRECT_SPIN, new StaticArray<u64>(1));
  threadExit();
}

/** How many requests interleavedSender sends, a millisecond apart. */
const INTERLEAVED: i32 = 40;
/** A bound on the first thread's stream, should the second never be done. */
const STREAM_LIMIT: u32 = 2_000_000;
/** What interleavedSender saw go wrong first: a status, or the number of the request whose reply was not its own; 0: nothing. */
let interleavedFailure: i32 = 0;
let interleavedDone: bool = false;
/** The first thread's requests in interleavedCalls, and how many of each thread's were direct calls. */
let interleavedSent: u32 = 0;
let interleavedDirect: i32 = 0;
let streamDirect: u32 = 0;

/**
 * A second thread of the runner, above the first one's priority: every
 * millisecond a request of its own, whose reply must be its own.
 * It preempts the first thread wherever that is, and it often has to wait
 * for the runner's lock, which the first thread hands it at its next call:
 * then its own call runs while the first thread waits for the lock back,
 * between its handler's end and its msg.send's return.
 */
function interleavedSender(_argument: i32): void {
  const answer = new StaticArray<u32>(3);
  for (let i = 0; i < INTERLEAVED && interleavedFailure == 0; i++) {
    threadSleep(1_000_000);
    const sequence = 0x40000000 + <u32>i;
    const status = ask(sequence, answer);
    if (status < 0) interleavedFailure = status;
    else if (answer[0] != sequence) interleavedFailure = i + 1;
    else if ((answer[1] & DIRECT_BIT) != 0) interleavedDirect++;
  }
  interleavedDone = true;
  threadExit();
}

/**
 * Direct calls from two threads of the runner at once, into the one
 * buffer the server's handler has: each thread must get its own reply
 * (the first one's is copied out while the server's lock still keeps the
 * second one's call out of the buffer).
 */
function interleavedCalls(check: Check): bool {
  interleavedFailure = 0;
  interleavedDone = false;
  interleavedDirect = 0;
  streamDirect = 0;
  const connection = nameOpen(TEST_ECHO_PATH, OPEN_TIMEOUT);
  if (!check.succeeded(connection, "name.open " + TEST_ECHO_PATH)) return false;
  if (!check.succeeded(threadCreate(interleavedSender.index, 0, PRIORITY_DEFAULT + 5), "thread.create")) return false;
  const size = TEST_ECHO_ECHO_REQUEST_SIZE + REQUEST_DATA;
  const request = heap.alloc(size), reply = heap.alloc(size);
  let sent: u32 = 0;
  let right = true;
  while (!interleavedDone && sent < STREAM_LIMIT && right) {
    changetype<TestEchoEchoRequest>(request).operation = TEST_ECHO_ECHO;
    changetype<TestEchoEchoRequest>(request).sequence = sent;
    store<u64>(request + TEST_ECHO_ECHO_REQUEST_SIZE, <u64>sent * 0x9e3779b97f4a7c15);
    memory.fill(reply, 0, size);
    const status = msgSend(connection, request, size, reply, size);
    const answer = changetype<TestEchoEchoReply>(reply);
    // The messages are built only on failure: the stream is long, and the runner's heap never frees.
    if (status < 0) right = check.succeeded(status, "the first thread's request " + sent.toString());
    else if (answer.sequence != sent || load<u64>(reply + TEST_ECHO_ECHO_REQUEST_SIZE) != <u64>sent * 0x9e3779b97f4a7c15) {
      right = check.ok(false, "the reply to the first thread's request " + sent.toString() + " is its own (sequence " + answer.sequence.toString() + ")");
    }
    if ((answer.instance & DIRECT_BIT) != 0) streamDirect++;
    sent++;
  }
  handleClose(connection);
  for (let i = 0; i < 500 && !interleavedDone; i++) threadSleep(10_000_000);
  if (!right) return false;
  if (!check.ok(interleavedDone, "the second thread's " + INTERLEAVED.toString() + " requests done")) return false;
  interleavedSent = sent;
  // Most are direct; a call finding the server's lock with the other thread, or the server's own thread serving, is not.
  return check.equal(interleavedFailure, 0, "the second thread's replies, each its own (0: all)")
    && check.ok(streamDirect > sent / 2, "most of the first thread's requests direct calls (" + streamDirect.toString() + " of " + sent.toString() + ")");
}

/** A handler of the right type for msg.serve_direct's checks; never called. */
function unusedHandler(length: i32, sender: i32): i32 { return length + sender; }

/** msg.serve_direct's checks on a channel of the runner's own. */
function registrationChecks(check: Check): bool {
  const channel = channelCreate(0);
  if (!check.succeeded(channel, "channel.create")) return false;
  const connection = connectionCreate(channel);
  if (!check.succeeded(connection, "connection.create")) return false;
  const buffer = heap.alloc(64);
  const good = unusedHandler.index;
  const ok = check.refused(msgServeDirect(channel, 0x7ffffff0, buffer, 64), ERROR_INVALID_ARGUMENT, "a handler out of the table")
    && check.refused(msgServeDirect(channel, spinningSend.index, buffer, 64), ERROR_INVALID_ARGUMENT, "a handler of type (i32) -> ()")
    && check.refused(msgServeDirect(channel, good, buffer, 8), ERROR_INVALID_ARGUMENT, "a buffer of 8 bytes")
    && check.refused(msgServeDirect(channel, good, 0xfffffff0, 64), ERROR_BAD_ADDRESS, "a buffer past the memory's end")
    && check.refused(msgServeDirect(connection, good, buffer, 64), ERROR_WRONG_TYPE, "a connection for the channel")
    && check.refused(msgServeDirect(0x7fff0000, good, buffer, 64), ERROR_BAD_HANDLE, "a handle that is not open")
    && check.equal(msgServeDirect(channel, good, buffer, 64), 0, "a handler of the runner's own, (i32, i32) -> i32")
    && check.equal(msgServeDirect(channel, 0xffffffff, 0, 0), 0, "stopping direct calls");
  handleClose(connection);
  handleClose(channel);
  return ok;
}

/** An order that breaks the handler: DEAD_SERVER, then init's new instance answers directly. */
function brokenHandler(check: Check, order: u32, what: string): bool {
  const answer = new StaticArray<u32>(3);
  const before = echoComponent();
  if (!check.equal(give(order, new StaticArray<u64>(1)), ERROR_DEAD_SERVER, "msg.send to a handler that " + what)) return false;
  const status = ask(10, answer);
  if (!check.succeeded(status, "the echo server after a handler that " + what)) return false;
  return check.ok((answer[1] & DIRECT_BIT) != 0 && (answer[1] & ~DIRECT_BIT) != before,
    "after a handler that " + what + ", a new instance answers directly (instance " + (answer[1] & ~DIRECT_BIT).toString() + ", before " + before.toString() + ")");
}

/** How deep deepCall recurses at most, and how many frames apart it asks. */
const DEEPEST: i32 = 40_000;
const ASK_EVERY: i32 = 64;

/**
 * Recurses, asking the echo server every ASK_EVERY frames, until a reply
 * comes from the server's own thread: the depth then, -1 when a request
 * failed, -2 when every one down to DEEPEST was direct.
 */
function deepCall(depth: i32, answer: StaticArray<u32>): i32 {
  if (depth % ASK_EVERY == 0) {
    if (ask(<u32>depth, answer) < 0 || answer[0] != <u32>depth) return -1;
    if ((answer[1] & DIRECT_BIT) == 0) return depth;
  }
  if (depth >= DEEPEST) return -2;
  // Each call keeps its frame while the deeper ones run (wasm without its tail-call extension reuses none).
  return deepCall(depth + 1, answer);
}

/**
 * A client deep in its stack: once less than DIRECT_STACK is left above
 * its stack's floor, its calls are served by the server's thread (a
 * client does not choose how deep a handler may go), answered all the
 * same; the direct ones before that came from ever deeper.
 */
function deepStack(check: Check): bool {
  const answer = new StaticArray<u32>(3);
  const depth = deepCall(ASK_EVERY, answer);
  if (!check.ok(depth > ASK_EVERY, "requests from deep in the runner's stack: the first served by the server's thread came at depth "
    + depth.toString() + " (-1: a request failed, -2: none)")) return false;
  deepDepth = depth;
  // Back up the stack, direct again.
  return check.succeeded(ask(14, answer), "a request after the deep ones") && check.ok((answer[1] & DIRECT_BIT) != 0, "the next request from the top of the stack is direct");
}

/** The depth at which deepStack's requests stopped being direct. */
let deepDepth: i32 = 0;

/**
 * A client (tests/os/direct-client) killed while its thread is in a
 * handler that spins: the client is KILLED at once, while its thread goes
 * on in the handler (leaving it in the middle would leave the server's heap
 * half changed): the server's CPU time still grows, with its own thread
 * blocked. The thread ends once the handler is over, here when init
 * restarts the server.
 */
function killedClient(check: Check): bool {
  const client = spawnComponent("direct-client");
  if (!check.succeeded(client, "component.spawn of direct-client")) return false;
  if (!check.ok(awaitPulse(PULSE_CALLING, <u32>client) >= 0, "direct-client about to call the handler")) return false;
  // Its call reaches the handler and spins there.
  threadSleep(50_000_000);
  const spinning = echoComponent();
  if (!check.succeeded(componentKill(<u32>client), "component.kill of the client whose thread is in the handler")) return false;
  if (!check.equal(awaitEnd(<u32>client, 0), COMPONENT_STATE_KILLED, "the killed client's state, at once")) return false;
  const before = cpuTicks(spinning);
  threadSleep(100_000_000);
  const ticks = cpuTicks(spinning) - before;
  if (!check.ok(before >= 0 && ticks > 0, "the server's CPU ticks over 100 ms after the client's kill, its handler still running on the client's thread: "
    + ticks.toString())) return false;
  if (!check.succeeded(initRestart(spinning), "init.restart of the server whose handler the killed client's thread spins in")) return false;
  takeEndPulse(<u32>client);
  const answer = new StaticArray<u32>(3);
  if (!check.succeeded(ask(13, answer), "the echo server after the killed client's call")) return false;
  return check.ok((answer[1] & DIRECT_BIT) != 0 && (answer[1] & ~DIRECT_BIT) != spinning, "after that restart, a new instance answers directly");
}

export function directCalls(check: Check): void {
  if (!check.succeeded(initStart("echo"), "init.start echo")) return;
  const answer = new StaticArray<u32>(3);
  const first = echoComponent();
  if (!check.ok(first != 0, "init.status echo")) return;
  if (!check.succeeded(initReplace(first, "test/echo-direct.wasm"), "init.replace echo by test/echo-direct.wasm")) return;

  // Served directly, and handed on to the server's thread.
  if (!check.succeeded(ask(7, answer), "an echo request to the direct server")) return;
  if (!check.ok(answer[0] == 7 && answer[2] == 0x05060708, "the direct reply's sequence and data")) return;
  if (!check.ok((answer[1] & DIRECT_BIT) != 0, "the request was served by a direct call")) return;
  const square = new StaticArray<u64>(1);
  if (!check.succeeded(give(9, square), "a square request to the direct server")) return;
  if (!check.ok(square[0] == (81 | DIRECT_SQUARE_BIT), "the square served by a direct call")) return;
  if (!check.succeeded(give(DIRECT_LATER, square), "a request whose handler returns REPLY_LATER")) return;
  if (!check.ok(square[0] == <u64>DIRECT_LATER * <u64>DIRECT_LATER, "REPLY_LATER: answered by the server's own thread")) return;

  if (!interleavedCalls(check)) return;
  if (!registrationChecks(check)) return;

  // Handlers that break: the server alone ends.
  if (!brokenHandler(check, DIRECT_SYSTEM_CALL, "makes a system call")) return;
  if (!brokenHandler(check, DIRECT_TRAP, "traps")) return;

  // A handler that never returns, on a thread of ours.
  spinResult = PENDING;
  const spinner = threadCreate(spinningSend.index, 0, PRIORITY_DEFAULT);
  if (!check.succeeded(spinner, "thread.create")) return;
  const before = clockNow();
  threadSleep(50_000_000);
  if (!check.ok(clockNow() - before >= 50_000_000, "the clock while a handler spins")) return;
  if (!check.equal(spinResult, PENDING, "the spinning handler's msg.send before the restart")) return;
  const spinning = echoComponent();
  if (!check.succeeded(initRestart(spinning), "init.restart of the server whose handler spins")) return;
  for (let i = 0; i < 100 && spinResult == PENDING; i++) threadSleep(10_000_000);
  if (!check.equal(spinResult, ERROR_DEAD_SERVER, "the spinning handler's msg.send after the restart")) return;
  if (!check.succeeded(ask(11, answer), "the echo server after the restart")) return;
  if (!check.ok((answer[1] & DIRECT_BIT) != 0 && (answer[1] & ~DIRECT_BIT) != spinning, "after the restart, a new instance answers directly")) return;

  if (!deepStack(check)) return;
  if (!killedClient(check)) return;

  if (!check.succeeded(initReplace(echoComponent(), "test/echo.wasm"), "init.replace echo by test/echo.wasm")) return;
  if (!check.succeeded(ask(12, answer), "the echo server's first version")) return;
  check.ok((answer[1] & DIRECT_BIT) == 0, "the first version serves on its thread");
  check.summary = "requests answered on the runner's thread, REPLY_LATER handed to the server's; two threads of the runner calling at once each got its own replies ("
    + interleavedSent.toString() + " requests, " + streamDirect.toString() + " direct, and " + INTERLEAVED.toString() + ", "
    + interleavedDirect.toString() + " direct); msg.serve_direct refused a handler out of the table or of another type, a short buffer, one out of memory, a wrong or closed handle; a handler's system call and its trap each ended the server alone (DEAD_SERVER, a new instance answered directly); a handler spinning on a runner thread let the runner's other thread and the timer run, and its msg.send returned DEAD_SERVER when init restarted the server; a client killed while its thread spun in a handler was KILLED at once while the handler ran on (the server's CPU time grew) until init restarted the server; requests from deep in the runner's stack went to the server's thread from depth " + deepDepth.toString();
}
