// Every trap kind contained (tests/os/trapper). For each kind the runner
// starts a trapper (it is its supervisor) and asks it to trap; then:
//
//  - the pending send fails with DEAD_SERVER, and so does a later one;
//  - the trapper ended FAULTED with that trap kind, its threads gone, and
//    the runner got its end pulse; the location (wasm function and
//    offset) goes into a note that the host checks against trapper.wasm;
//  - the others keep running: a client streaming to the echo server
//    through all the traps finishes with every reply right, and the echo
//    server is the same instance before and after.

import {
  handleClose, msgSend, nameOpen, COMPONENT_STATE_EXITED, COMPONENT_STATE_FAULTED, ERROR_DEAD_SERVER,
  TEST_ECHO_PATH, TEST_ECHO_SQUARE, TEST_ECHO_SQUARE_REQUEST_SIZE, TEST_ECHO_SQUARE_REPLY_SIZE, TEST_TRAP_PATH,
  TEST_TRAP_TRAP, TEST_TRAP_TRAP_REQUEST_SIZE, TestTrapTrapRequest,
} from "../../../ipc/generated/index";
import { TrapKind, trapMessage } from "../../../sdk/compiler/src/traps";
import { Check, describeStatus } from "./check";
import { initStart, initStatus, initStatusReply } from "./init-client";
import { awaitEnd, spawn, status, takeEndPulse } from "./supervision";
import { spawnComponent } from "./grants";

const TRAP_KINDS: u32 = TrapKind.Count - 1;

const buffer = heap.alloc(64);

/** The echo server still answers: square(value) right. */
function echoAnswers(check: Check, echo: i32, value: u32): bool {
  store<u32>(buffer, TEST_ECHO_SQUARE);
  store<u32>(buffer, value, 4);
  if (!check.succeeded(msgSend(echo, buffer, TEST_ECHO_SQUARE_REQUEST_SIZE, buffer + 16, TEST_ECHO_SQUARE_REPLY_SIZE), "the echo server after trap " + value.toString())) return false;
  return check.ok(load<u64>(buffer + 16) == <u64>value * <u64>value, "the echo server's answer after trap " + value.toString());
}

/** Starts a trapper, has it trap with `kind` and checks what followed. */
function trapOnce(check: Check, kind: u32): bool {
  const trapper = spawnComponent("trapper");
  if (!check.succeeded(trapper, "component.spawn test/trapper.wasm")) return false;
  const connection = nameOpen(TEST_TRAP_PATH, 5_000_000_000);
  if (!check.succeeded(connection, "name.open " + TEST_TRAP_PATH)) return false;
  const request = changetype<TestTrapTrapRequest>(buffer);
  request.operation = TEST_TRAP_TRAP;
  request.kind = kind;
  request.operand = 0;
  const what = "trap " + kind.toString() + " (" + trapMessage(kind) + ")";
  check.refused(msgSend(connection, buffer, TEST_TRAP_TRAP_REQUEST_SIZE, buffer + 32, 8), ERROR_DEAD_SERVER, what + ": the pending send");
  const state = awaitEnd(<u32>trapper, 10_000_000_000);
  if (!check.equal(state, COMPONENT_STATE_FAULTED, what + ": the trapper's end state")) return false;
  check.equal(status.trap, kind, what + ": the trap kind the kernel recorded");
  check.equal(status.threads, 0, what + ": threads left");
  check.note(what + " function " + status.functionIndex.toString() + " offset 0x" + status.wasmOffset.toString(16) + " threads " + status.threads.toString() + " pages " + status.pages.toString());
  check.ok(takeEndPulse(<u32>trapper), what + ": no end pulse for the trapper");
  check.refused(msgSend(connection, buffer, TEST_TRAP_TRAP_REQUEST_SIZE, buffer + 32, 8), ERROR_DEAD_SERVER, what + ": a later send");
  handleClose(connection);
  return !check.failed;
}

export function traps(check: Check): void {
  const echoServer = initStart("echo");
  if (!check.succeeded(echoServer, "init.start echo")) return;
  if (!check.succeeded(initStatus("echo"), "init.status echo")) return;
  const echoStarts = initStatusReply.starts;
  const echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  if (!check.succeeded(echo, "name.open " + TEST_ECHO_PATH)) return;
  // A bystander: a client streaming to the echo server all through the traps.
  const bystander = spawnComponent("client");
  if (!check.succeeded(bystander, "component.spawn test/client.wasm")) return;
  for (let kind: u32 = 1; kind <= TRAP_KINDS; kind++) {
    if (!trapOnce(check, kind)) break;
    if (!echoAnswers(check, echo, kind)) break;
  }
  handleClose(echo);
  const bystanderState = awaitEnd(<u32>bystander, 120_000_000_000);
  if (check.equal(bystanderState, COMPONENT_STATE_EXITED, "the bystander client's end state")) {
    check.ok(status.exitStatus == 0, "the bystander client reported " + describeStatus(status.exitStatus));
  }
  takeEndPulse(<u32>bystander);
  if (check.succeeded(initStatus("echo"), "init.status echo")) {
    check.equal(initStatusReply.component, echoServer, "the echo server instance after the traps");
    check.equal(initStatusReply.starts, echoStarts, "echo server starts during the traps");
  }
  check.summary = TRAP_KINDS.toString() + " trap kinds, each killing only its trapper (DEAD_SERVER for its clients, an end pulse and the location for its supervisor); the echo server and a client kept running throughout";
}
