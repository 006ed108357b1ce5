// A stream of echo requests through a re-sending connection (ipc/client's
// NamedConnection) while another thread of the runner disturbs the server
// — kills it (restart-stream.ts) or replaces it (replace.ts). Every reply must carry
// its own request's sequence and bytes, so the client sees each request
// answered once and in order, whatever happened to the server in between.
// The stream goes on until the disturbing thread is done, and then for
// TAIL more requests, so every disturbance falls inside the stream.

import {
  threadCreate, TEST_ECHO_PATH, TEST_ECHO_ECHO, TEST_ECHO_ECHO_REQUEST_SIZE, TestEchoEchoReply, TestEchoEchoRequest,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { NamedConnection, RESOLVE_TIMEOUT } from "../../../ipc/client/index";

const DATA: u32 = 24;
const TAIL: u32 = 200;
/** A bound on the stream should the disturbing thread never be done: far more requests than its sleeps and restarts take. */
const LIMIT: u32 = 2000000;
/** Above the streaming thread's priority: it preempts the stream when its sleep ends. */
export const DISTURBER_PRIORITY: i32 = 15;

export class StreamResult {
  requests: u32 = 0;
  resends: u32 = 0;
  /** The server instances that answered, in order of first answer. */
  instances: u32[] = [];
}

/** Set by the disturbing thread when it is done. */
export let disturbanceDone: bool = false;
export function markDisturbanceDone(): void { disturbanceDone = true; }

function byteOf(sequence: u32, index: u32): u8 { return <u8>(sequence * 13 + index * 5 + 7); }

/**
 * Starts `disturber` (an `(i32) -> ()` function's table index) on its own
 * thread and streams until it is done; re-resolutions of the name wait up
 * to `resolveTimeout` for it (TIMEOUT_NONE: a missing name fails the
 * request with NOT_FOUND).
 */
export function streamWhile(check: Check, disturber: u32, argument: u32, resolveTimeout: i64 = RESOLVE_TIMEOUT): StreamResult {
  const result = new StreamResult();
  disturbanceDone = false;
  const service = new NamedConnection(TEST_ECHO_PATH);
  service.resolveTimeout = resolveTimeout;
  if (!check.succeeded(service.open(), "name.open " + TEST_ECHO_PATH)) return result;
  if (!check.succeeded(threadCreate(disturber, argument, DISTURBER_PRIORITY), "thread.create")) return result;
  const request = heap.alloc(TEST_ECHO_ECHO_REQUEST_SIZE + DATA);
  const reply = heap.alloc(TEST_ECHO_ECHO_REQUEST_SIZE + DATA);
  const size = TEST_ECHO_ECHO_REQUEST_SIZE + DATA;
  let doneAt: u32 = LIMIT;
  for (let sequence: u32 = 0; sequence < min(LIMIT, doneAt + TAIL); sequence++) {
    if (disturbanceDone && doneAt == LIMIT) doneAt = sequence;
    const message = changetype<TestEchoEchoRequest>(request);
    message.operation = TEST_ECHO_ECHO;
    message.sequence = sequence;
    for (let i: u32 = 0; i < DATA; i++) store<u8>(message.data + i, byteOf(sequence, i));
    memory.fill(reply, 0, size);
    const status = service.send(request, size, reply, size);
    // Messages are built only on failure (check.ts).
    if (status < 0) { check.succeeded(status, "request " + sequence.toString()); break; }
    const answer = changetype<TestEchoEchoReply>(reply);
    if (answer.sequence != sequence) { check.equal(answer.sequence, sequence, "the sequence of the reply to request " + sequence.toString()); break; }
    let right = true;
    for (let i: u32 = 0; right && i < DATA; i++) right = load<u8>(answer.data + i) == byteOf(sequence, i);
    if (!right) { check.ok(false, "the data of the reply to request " + sequence.toString()); break; }
    if (result.instances.length == 0 || result.instances[result.instances.length - 1] != answer.instance) result.instances.push(answer.instance);
    result.requests = sequence + 1;
  }
  check.ok(disturbanceDone, "the stream hit its limit of " + LIMIT.toString() + " requests before the disturbing thread was done");
  result.resends = service.resends;
  service.close();
  return result;
}
