// Priority along a chain of servers, observed through the order of events
// like priority.ts: the relay (tests/os/relay) and the priority server
// (tests/os/priority) both have priority 4, the spinner 12 and never
// blocks.
//
//   1. A chain that stands when the priority at its head changes. Before
//      the spinner starts, a second thread of the runner, T (own priority
//      6), receives once on a private channel X (so that it is X's last
//      receiver), then sends the relay a `forward` of `hold`: the relay
//      sends the priority server `hold`, which keeps the message and tells
//      the runner its receive id (a live id of another component's
//      message: the runner's msg.reply and msg.read of it get NO_SENDER).
//      Now T waits for the relay, the relay for the priority
//      server, all at 6. The spinner starts; the runner (20) pulses the
//      priority server to let the message go — it is ready, at 6, below
//      the spinner — and sends a message to X. Nobody receives on X: the
//      runner's 20 goes to X's last receiver T, from T to the relay it
//      waits for, from the relay to the priority server. So the priority
//      server runs at once, ahead of the spinner, answers at 20, the relay
//      answers T at 20, and T receives the runner's message — all while
//      the spinner still runs. Without propagation the priority server
//      would wait at 6 for the spinner to end (20 s): the runner's send has
//      a 5 s timeout, and TIMED_OUT is the failure.
//   2. A chain formed at 20 with the spinner running: the runner sends the
//      relay a `forward` of `probe`; both servers report 20 and the reply
//      comes while the spinner runs.

import {
  channelCreate, componentStatus, connectionCreate, handleClose, msgRead, msgReceive, msgReply, msgSend,
  nameOpen, pulseSend, threadCreate, threadExit, threadSetPriority, threadTimeout,
  COMPONENT_STATE_RUNNING, PRIORITY_DEFAULT, TEST_PRIORITY_HOLD, TEST_PRIORITY_PATH, TEST_PRIORITY_PROBE,
  TEST_RELAY_FORWARD, TEST_RELAY_FORWARD_REPLY_SIZE, TEST_RELAY_FORWARD_REQUEST_SIZE, TEST_RELAY_PATH,
  TestRelayForwardReply, TestRelayForwardRequest, TIMEOUT_RECEIVE, TIMEOUT_REPLY, TIMEOUT_SEND, ERROR_NO_SENDER,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { initStart } from "./init-client";
import { awaitPulse, killSpinner, spawn, status } from "./supervision";
import { spawnComponent } from "./grants";
import { PULSE_HOLDING, PULSE_RELEASE, PULSE_SPINNING } from "../lib/runner-path";

const MIDDLE_PRIORITY: i32 = 6;
const SPINNER_PRIORITY: i32 = 12;
const HEAD_PRIORITY: i32 = 20;
const RAISE_TIMEOUT: i64 = 5_000_000_000;

let relay: i32 = 0;
let spinner: i32 = 0;
let x: i32 = 0;

// What T saw: the relay's answer and the spinner's state when it came.
let middleStatus: i32 = 0;
let middleRelayPriority: u32 = 0;
let middleServerPriority: u32 = 0;
let middleSpinnerState: i32 = 0;
let middleReceived: i32 = 0;

/** Sends the relay a `forward` of `operation`: its status; the answer in `reply`. */
function forward(operation: u32, reply: usize): i32 {
  const request = heap.alloc(TEST_RELAY_FORWARD_REQUEST_SIZE);
  const message = changetype<TestRelayForwardRequest>(request);
  message.operation = TEST_RELAY_FORWARD;
  message.forwarded = operation;
  return msgSend(relay, request, TEST_RELAY_FORWARD_REQUEST_SIZE, reply, TEST_RELAY_FORWARD_REPLY_SIZE);
}

/** T: X's last receiver, then the head of the chain T → relay → priority server. */
function middle(_argument: i32): void {
  const buffer = heap.alloc(64);
  msgReceive(x, buffer, 64, 0);
  const reply = heap.alloc(TEST_RELAY_FORWARD_REPLY_SIZE);
  middleStatus = forward(TEST_PRIORITY_HOLD, reply);
  middleSpinnerState = componentStatus(<u32>spinner, changetype<usize>(status));
  middleRelayPriority = changetype<TestRelayForwardReply>(reply).relayPriority;
  middleServerPriority = changetype<TestRelayForwardReply>(reply).serverPriority;
  threadTimeout(TIMEOUT_RECEIVE, RAISE_TIMEOUT);
  middleReceived = msgReceive(x, buffer, 64, 0);
  if (middleReceived > 0) msgReply(middleReceived, 0, 0, 0);
  threadExit();
}

function standingChain(check: Check, priorityServer: i32): void {
  const channel = channelCreate(0);
  if (!check.succeeded(channel, "channel.create")) return;
  x = channel;
  const toX = connectionCreate(x);
  pulseSend(toX, 1, 0);
  if (!check.succeeded(threadCreate(<u32>middle.index, 0, MIDDLE_PRIORITY), "thread.create of T")) return;
  // T, the relay and the priority server run while the runner waits; the priority server then holds the message.
  const heldId = awaitPulse(PULSE_HOLDING, 0);
  if (!check.ok(heldId > 0, "the priority server's holding pulse")) return;
  // Its value is the held message's receive id: a live id of a message another component holds, which names
  // the relay's thread. This component did not receive it, so it can neither answer nor read it.
  check.refused(msgReply(<u32>heldId, 0, 0, 0), ERROR_NO_SENDER, "msg.reply to the message the priority server holds (its live receive id)");
  check.refused(msgRead(<u32>heldId, 0, 0, 0), ERROR_NO_SENDER, "msg.read of it");
  threadSetPriority(HEAD_PRIORITY);
  spinner = spawnComponent("spinner");
  if (!check.succeeded(spinner, "component.spawn test/spinner.wasm")) return;
  if (!check.ok(awaitPulse(PULSE_SPINNING, <u32>spinner) >= 0, "the spinner ended before it said it was spinning")) return;
  check.succeeded(pulseSend(priorityServer, PULSE_RELEASE, 0), "the release pulse to the priority server");
  threadTimeout(TIMEOUT_SEND | TIMEOUT_REPLY, RAISE_TIMEOUT);
  const sent = msgSend(toX, 0, 0, 0, 0);
  check.succeeded(sent, "the runner's send to X (TIMED_OUT: its priority did not reach the priority server ahead of the spinner)");
  if (sent >= 0) {
    check.succeeded(middleStatus, "T's forward of hold");
    check.equal(middleSpinnerState, COMPONENT_STATE_RUNNING, "the spinner's state when the relay answered T (it must still be spinning)");
    check.equal(middleServerPriority, HEAD_PRIORITY, "the priority server's priority when it let the held message go");
    check.equal(middleRelayPriority, HEAD_PRIORITY, "the relay's priority when the answer came");
    check.ok(middleReceived > 0, "T received the runner's message");
  }
  handleClose(toX);
}

function chainAtOnce(check: Check): void {
  const reply = heap.alloc(TEST_RELAY_FORWARD_REPLY_SIZE);
  const result = forward(TEST_PRIORITY_PROBE, reply);
  const spinnerState = componentStatus(<u32>spinner, changetype<usize>(status));
  if (!check.succeeded(result, "the runner's forward of probe")) return;
  check.equal(spinnerState, COMPONENT_STATE_RUNNING, "the spinner's state when the relay answered the runner");
  check.equal(changetype<TestRelayForwardReply>(reply).serverPriority, HEAD_PRIORITY, "the priority server's priority serving the relay serving the runner");
  check.equal(changetype<TestRelayForwardReply>(reply).relayPriority, HEAD_PRIORITY, "the relay's priority serving the runner");
}

export function priorityChain(check: Check): void {
  if (!check.succeeded(initStart("priority"), "init.start priority")) return;
  if (!check.succeeded(initStart("relay"), "init.start relay")) return;
  relay = nameOpen(TEST_RELAY_PATH, 5_000_000_000);
  if (!check.succeeded(relay, "name.open " + TEST_RELAY_PATH)) return;
  const priorityServer = nameOpen(TEST_PRIORITY_PATH, 5_000_000_000);
  if (!check.succeeded(priorityServer, "name.open " + TEST_PRIORITY_PATH)) return;
  spinner = 0;
  standingChain(check, priorityServer);
  if (!check.failed && spinner > 0) chainAtOnce(check);
  if (spinner > 0) {
    killSpinner(check, <u32>spinner);
  }
  threadSetPriority(PRIORITY_DEFAULT);
  handleClose(x);
  handleClose(priorityServer);
  handleClose(relay);
  check.summary = "with a spinner at " + SPINNER_PRIORITY.toString() + " running, a runner thread's " + HEAD_PRIORITY.toString()
    + " reached the end of the standing chain T (" + MIDDLE_PRIORITY.toString() + ") -> relay (4) -> priority server (4) through T's channel,"
    + " and a chain formed at " + HEAD_PRIORITY.toString() + " ran at " + HEAD_PRIORITY.toString() + " at both servers";
}
