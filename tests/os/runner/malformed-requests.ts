// Malformed requests to every generated protocol server of the test image
// (ipc/generated/servers): init, echo, store, shared, priority, relay, the
// trapper and the rtc driver. For each request of each protocol (the
// generated `*_REQUESTS` lists them with their sizes), the runner sends it
// cut short at every length from 0 to its size - 1 and, when it has no
// variable-length field, longer by 1 to 16 bytes and by a megabyte; with a
// variable-length field, a megabyte long (more than any server's buffer).
// Then an unknown operation, at 4 and at 16 bytes. Each must get the error
// the generated dispatch gives — INVALID_ARGUMENT, TOO_LARGE for the
// megabyte with a variable-length field — and the same instance must then
// answer a correct request as it should.

import {
  componentKill, handleClose, msgSend, nameOpen, COMPONENT_STATE_FAULTED, COMPONENT_STATE_KILLED, ERROR_DEAD_SERVER, ERROR_INVALID_ARGUMENT, ERROR_TOO_LARGE, INIT_PATH, INIT_STATUS,
  INIT_STATUS_REQUEST_NAME, InitStatusReply, TEST_ECHO_ECHO, TEST_ECHO_PATH, TestEchoEchoReply, TEST_PRIORITY_PATH,
  TEST_PRIORITY_PROBE, TestPriorityProbeReply, TEST_RELAY_FORWARD, TEST_RELAY_PATH, TestRelayForwardReply,
  TEST_RTC_COUNT, TEST_RTC_ERROR_NOT_ATTACHED, TEST_RTC_PATH, TEST_SHARED_PATH, TEST_SHARED_SHARE, TestSharedShareReply,
  TEST_STORE_GET, TEST_STORE_PATH, TestStoreGetReply, TEST_TRAP_PATH, TEST_TRAP_TRAP, PAGE_SIZE,
  CLIPBOARD_PATH, CLIPBOARD_READ, CLIPBOARD_READ_REQUEST_SIZE, SHELL_INPUT, SHELL_INPUT_REQUEST_SESSION, SHELL_INPUT_REQUEST_SIZE, SHELL_PATH,
  SHELL_SESSION_SIZE,
} from "../../../ipc/generated/index";
import { INIT_REQUESTS } from "../../../ipc/generated/servers/init";
import { TEST_ECHO_REQUESTS } from "../../../ipc/generated/servers/test-echo";
import { TEST_STORE_REQUESTS } from "../../../ipc/generated/servers/test-store";
import { TEST_SHARED_REQUESTS } from "../../../ipc/generated/servers/test-shared";
import { TEST_PRIORITY_REQUESTS } from "../../../ipc/generated/servers/test-priority";
import { TEST_RELAY_REQUESTS } from "../../../ipc/generated/servers/test-relay";
import { TEST_TRAP_REQUESTS } from "../../../ipc/generated/servers/test-trap";
import { TEST_RTC_REQUESTS } from "../../../ipc/generated/servers/test-rtc";
import { SHELL_REQUESTS } from "../../../ipc/generated/servers/shell";
import { CLIPBOARD_REQUESTS } from "../../../ipc/generated/servers/clipboard";
import { DISK_REQUESTS } from "../../../ipc/generated/servers/disk";
import { FILES_REQUESTS } from "../../../ipc/generated/servers/files";
import { DISK_GEOMETRY, DISK_PATH, DiskGeometryReply } from "../../../ipc/generated/protocols/disk";
import { FILES_PATH, FILES_STATFS, FilesStatfsReply } from "../../../ipc/generated/protocols/files";
import { Check, describeStatus } from "./check";
import { initStart, initStatus, initStatusReply } from "./init-client";
import { awaitEnd, status, takeEndPulse } from "./supervision";
import { spawnComponent } from "./grants";

/** Beyond a request without a variable-length field: 1..OVERSIZE bytes more, and HUGE. */
const OVERSIZE: u32 = 16;
/** More than the largest receive buffer of any server (the echo server's 64 KiB). */
const HUGE: u32 = 1 << 20;
/** Unknown operations: none of the protocols numbers one 0 or 0xffffffff. */
const UNKNOWN: StaticArray<u32> = [0, 0xffffffff];

const request = heap.alloc(HUGE);
const reply = heap.alloc(256);
/** Malformed requests sent, for the summary. */
let sent: u32 = 0;

/** Sends `length` bytes of `request`, `operation` written first (the rest as it is: the sizes alone make it malformed), and expects `expected`. */
function expectRefused(check: Check, connection: i32, operation: u32, length: u32, expected: i32, what: string): bool {
  store<u32>(request, operation);
  const result = msgSend(connection, request, length, reply, 256);
  sent++;
  if (result == expected) return true;
  return check.ok(false, what + ": operation " + operation.toString() + " with " + length.toString() + " bytes: "
    + describeStatus(result) + ", expected " + describeStatus(expected));
}

/** Every malformed form of each request in `requests` (operation, size, tail triples), and unknown operations. */
function sendMalformed(check: Check, connection: i32, requests: StaticArray<u32>, what: string): bool {
  for (let i = 0; i < requests.length; i += 3) {
    const operation = requests[i], size = requests[i + 1], tail = requests[i + 2] != 0;
    for (let length: u32 = 0; length < size; length++) {
      if (!expectRefused(check, connection, operation, length, ERROR_INVALID_ARGUMENT, what + " cut short")) return false;
    }
    if (tail) {
      if (!expectRefused(check, connection, operation, HUGE, ERROR_TOO_LARGE, what + " longer than its buffer")) return false;
      continue;
    }
    for (let length = size + 1; length <= size + OVERSIZE; length++) {
      if (!expectRefused(check, connection, operation, length, ERROR_INVALID_ARGUMENT, what + " too long")) return false;
    }
    if (!expectRefused(check, connection, operation, HUGE, ERROR_INVALID_ARGUMENT, what + " a megabyte long")) return false;
  }
  for (let i = 0; i < UNKNOWN.length; i++) {
    if (!expectRefused(check, connection, UNKNOWN[i], 4, ERROR_INVALID_ARGUMENT, what + " unknown operation")) return false;
    if (!expectRefused(check, connection, UNKNOWN[i], 16, ERROR_INVALID_ARGUMENT, what + " unknown operation")) return false;
  }
  return true;
}

/** Opens `path`: the connection, or 0 with the failure recorded. */
function open(check: Check, path: string): i32 {
  const connection = nameOpen(path, 5_000_000_000);
  return check.succeeded(connection, "name.open " + path) ? connection : 0;
}

/** Sends the correct request in `request` (`length` bytes): its status. */
function ask(connection: i32, length: u32): i32 {
  memory.fill(reply, 0, 256);
  return msgSend(connection, request, length, reply, 256);
}

/** A server init started (`name` of its list) at `path`: malformed requests, then `answers` with the same instance. */
function initServer(check: Check, name: string, path: string, requests: StaticArray<u32>, answers: (check: Check, connection: i32, instance: u32) => bool): void {
  const instance = initStart(name);
  if (!check.succeeded(instance, "init.start " + name)) return;
  if (!check.succeeded(initStatus(name), "init.status " + name)) return;
  const starts = initStatusReply.starts;
  const connection = open(check, path);
  if (connection == 0) return;
  if (sendMalformed(check, connection, requests, path) && answers(check, connection, <u32>instance)) {
    if (check.succeeded(initStatus(name), "init.status " + name + " afterwards")) {
      check.equal(initStatusReply.component, instance, path + ": the instance after the malformed requests");
      check.equal(initStatusReply.starts, starts, path + ": init's starts of " + name + " after the malformed requests");
    }
  }
  handleClose(connection);
}

function echoAnswers(check: Check, connection: i32, instance: u32): bool {
  store<u32>(request, TEST_ECHO_ECHO);
  store<u32>(request, 4242, 4);
  store<u64>(request, 0x0123456789abcdef, 8);
  if (!check.succeeded(ask(connection, 16), "test.echo echo after the malformed requests")) return false;
  const answer = changetype<TestEchoEchoReply>(reply);
  check.equal(answer.sequence, 4242, "test.echo echo: the sequence");
  check.equal(answer.instance, instance, "test.echo echo: the instance");
  return check.equal(load<u64>(answer.data), 0x0123456789abcdef, "test.echo echo: the data");
}

function storeAnswers(check: Check, connection: i32, instance: u32): bool {
  store<u32>(request, TEST_STORE_GET);
  store<u32>(request, 0, 4);
  if (!check.succeeded(ask(connection, 8), "test.store get after the malformed requests")) return false;
  return check.equal(changetype<TestStoreGetReply>(reply).instance, instance, "test.store get: the instance");
}

function sharedAnswers(check: Check, connection: i32, instance: u32): bool {
  store<u32>(request, TEST_SHARED_SHARE);
  store<u32>(request, PAGE_SIZE, 4);
  store<u32>(request, 7, 8);
  if (!check.succeeded(ask(connection, 12), "test.shared share after the malformed requests")) return false;
  const handle = <i32>changetype<TestSharedShareReply>(reply).handle;
  return check.succeeded(handleClose(handle), "handle.close of the object test.shared granted");
}

function priorityAnswers(check: Check, connection: i32, instance: u32): bool {
  store<u32>(request, TEST_PRIORITY_PROBE);
  if (!check.succeeded(ask(connection, 4), "test.priority probe after the malformed requests")) return false;
  return check.ok(changetype<TestPriorityProbeReply>(reply).priority > 0, "test.priority probe: a priority");
}

function relayAnswers(check: Check, connection: i32, instance: u32): bool {
  store<u32>(request, TEST_RELAY_FORWARD);
  store<u32>(request, TEST_PRIORITY_PROBE, 4);
  if (!check.succeeded(ask(connection, 8), "test.relay forward after the malformed requests")) return false;
  return check.ok(changetype<TestRelayForwardReply>(reply).serverPriority > 0, "test.relay forward: test.priority's priority");
}

function shellAnswers(check: Check, connection: i32, instance: u32): bool {
  // A new session (all zeros) and no input: the banner and the prompt.
  store<u32>(request, SHELL_INPUT);
  memory.fill(request + SHELL_INPUT_REQUEST_SESSION, 0, SHELL_SESSION_SIZE);
  return check.succeeded(ask(connection, SHELL_INPUT_REQUEST_SIZE), "shell input after the malformed requests");
}

function clipboardAnswers(check: Check, connection: i32, instance: u32): bool {
  store<u32>(request, CLIPBOARD_READ);
  return check.succeeded(ask(connection, CLIPBOARD_READ_REQUEST_SIZE), "clipboard read after the malformed requests");
}

/** init itself: it is never restarted; after the malformed requests its status request answers about echo. */
function init(check: Check): void {
  const echo = initStart("echo");
  if (!check.succeeded(echo, "init.start echo")) return;
  const connection = open(check, INIT_PATH);
  if (connection == 0) return;
  if (sendMalformed(check, connection, INIT_REQUESTS, INIT_PATH)) {
    store<u32>(request, INIT_STATUS);
    String.UTF8.encodeUnsafe(changetype<usize>("echo"), 4, request + INIT_STATUS_REQUEST_NAME);
    if (check.succeeded(ask(connection, INIT_STATUS_REQUEST_NAME + 4), "init status after the malformed requests")) {
      check.equal(changetype<InitStatusReply>(reply).component, echo, "init status: echo's instance");
    }
  }
  handleClose(connection);
}

/**
 * A server the runner spawns (the image's component `name`, with its folder's grant, serving `path`):
 * malformed requests, then `correct` — a correct request of `length`
 * bytes, already in `request` — gets `expected` from the same instance,
 * which then ends as `ending`.
 */
function spawnedServer(check: Check, name: string, path: string, requests: StaticArray<u32>, length: u32, expected: i32, ending: i32): void {
  const component = spawnComponent(name);
  if (!check.succeeded(component, "component.spawn " + name)) return;
  const connection = open(check, path);
  if (connection != 0) {
    // The correct request is written over by the malformed ones: kept aside meanwhile.
    const correct = heap.alloc(length);
    memory.copy(correct, request, length);
    if (sendMalformed(check, connection, requests, path)) {
      memory.copy(request, correct, length);
      check.refused(ask(connection, length), expected, path + ": a correct request after the malformed ones");
    }
    handleClose(connection);
  }
  if (ending == COMPONENT_STATE_KILLED) componentKill(<u32>component);
  check.equal(awaitEnd(<u32>component, 10_000_000_000), ending, name + ": its end state");
  takeEndPulse(<u32>component);
}

/** The rtc driver: a count before it attached its line gets NOT_ATTACHED from its handler. */
function rtc(check: Check): void {
  store<u32>(request, TEST_RTC_COUNT);
  store<u32>(request, 6, 4);
  store<u32>(request, 1, 8);
  spawnedServer(check, "rtc", TEST_RTC_PATH, TEST_RTC_REQUESTS, 12, TEST_RTC_ERROR_NOT_ATTACHED, COMPONENT_STATE_KILLED);
}

/** The trapper: a trap of kind 1 makes the same instance trap (unreachable). */
function trapper(check: Check): void {
  store<u32>(request, TEST_TRAP_TRAP);
  store<u32>(request, 1, 4);
  store<u32>(request, 0, 8);
  spawnedServer(check, "trapper", TEST_TRAP_PATH, TEST_TRAP_REQUESTS, 12, ERROR_DEAD_SERVER, COMPONENT_STATE_FAULTED);
  if (!check.failed) check.equal(status.trap, 1, "the trapper's trap kind (unreachable)");
}

function diskAnswers(check: Check, connection: i32, instance: u32): bool {
  store<u32>(request, DISK_GEOMETRY);
  if (!check.succeeded(ask(connection, 4), "disk geometry after the malformed requests")) return false;
  return check.ok(changetype<DiskGeometryReply>(reply).sectors > 0, "disk geometry: a disk of some sectors");
}

function filesAnswers(check: Check, connection: i32, instance: u32): bool {
  store<u32>(request, FILES_STATFS);
  if (!check.succeeded(ask(connection, 4), "files statfs after the malformed requests")) return false;
  return check.ok(changetype<FilesStatfsReply>(reply).blocks > 0, "files statfs: a volume of some blocks");
}

export function malformedRequests(check: Check): void {
  sent = 0;
  init(check);
  if (!check.failed) initServer(check, "echo", TEST_ECHO_PATH, TEST_ECHO_REQUESTS, echoAnswers);
  if (!check.failed) initServer(check, "store", TEST_STORE_PATH, TEST_STORE_REQUESTS, storeAnswers);
  if (!check.failed) initServer(check, "shared", TEST_SHARED_PATH, TEST_SHARED_REQUESTS, sharedAnswers);
  if (!check.failed) initServer(check, "priority", TEST_PRIORITY_PATH, TEST_PRIORITY_REQUESTS, priorityAnswers);
  if (!check.failed) initServer(check, "relay", TEST_RELAY_PATH, TEST_RELAY_REQUESTS, relayAnswers);
  if (!check.failed) initServer(check, "shell", SHELL_PATH, SHELL_REQUESTS, shellAnswers);
  if (!check.failed) initServer(check, "clipboard", CLIPBOARD_PATH, CLIPBOARD_REQUESTS, clipboardAnswers);
  if (!check.failed) trapper(check);
  if (!check.failed) rtc(check);
  if (!check.failed) initServer(check, "disk", DISK_PATH, DISK_REQUESTS, diskAnswers);
  if (!check.failed) initServer(check, "files", FILES_PATH, FILES_REQUESTS, filesAnswers);
  if (check.failed) return;
  check.summary = sent.toString() + " malformed requests to 12 servers (init, echo, store, shared, priority, relay, shell, clipboard, trapper, rtc, disk, files)"
    + " each refused with INVALID_ARGUMENT or TOO_LARGE; each server then answered a correct request, the same instance";
}
