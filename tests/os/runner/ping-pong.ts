// Ping-pong between two components: the runner and the echo server
// (tests/os/echo). Every reply must carry its request's sequence number,
// the server's instance and the very bytes sent, for small messages, for
// 4 KiB ones, and for a message gathered from several buffers whose reply
// is scattered into several others (msg.sendv).

import {
  handleClose, msgSend, msgSendv, nameOpen, Iovec, IOVEC_SIZE, TEST_ECHO_PATH, TEST_ECHO_ECHO,
  TEST_ECHO_ECHO_REQUEST_SIZE, TestEchoEchoReply, TestEchoEchoRequest,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { initStart } from "./init-client";

const SMALL_TRIPS: u32 = 1000;
const LARGE_TRIPS: u32 = 100;
const LARGE: u32 = 4096;

function pattern(sequence: u32, index: u32): u8 {
  return <u8>(sequence * 17 + index * 3 + 1);
}

/** One echo round trip of `length` data bytes; false (with the check's failure set) when the reply is wrong. */
function trip(check: Check, echo: i32, request: usize, reply: usize, sequence: u32, length: u32, instance: u32): bool {
  const message = changetype<TestEchoEchoRequest>(request);
  message.operation = TEST_ECHO_ECHO;
  message.sequence = sequence;
  for (let i: u32 = 0; i < length; i++) store<u8>(message.data + i, pattern(sequence, i));
  memory.fill(reply, 0, TEST_ECHO_ECHO_REQUEST_SIZE + length);
  const size = TEST_ECHO_ECHO_REQUEST_SIZE + length;
  // Messages are built only on failure (check.ts).
  const status = msgSend(echo, request, size, reply, size);
  if (status < 0) return check.succeeded(status, "msg.send " + sequence.toString());
  const answer = changetype<TestEchoEchoReply>(reply);
  if (answer.sequence != sequence) return check.equal(answer.sequence, sequence, "reply " + sequence.toString() + "'s sequence");
  if (answer.instance != instance) return check.equal(answer.instance, instance, "reply " + sequence.toString() + "'s server instance");
  for (let i: u32 = 0; i < length; i++) {
    const byte = load<u8>(answer.data + i);
    if (byte != pattern(sequence, i)) return check.equal(byte, pattern(sequence, i), "reply " + sequence.toString() + " byte " + i.toString());
  }
  return true;
}

/** A request gathered from three buffers, its reply scattered into two. */
function vectored(check: Check, echo: i32, instance: u32): bool {
  const header = heap.alloc(8), middle = heap.alloc(100), tail = heap.alloc(28);
  const replyHead = heap.alloc(20), replyRest = heap.alloc(116);
  store<u32>(header, TEST_ECHO_ECHO);
  store<u32>(header, 777, 4);
  for (let i: u32 = 0; i < 100; i++) store<u8>(middle + i, <u8>(i + 1));
  for (let i: u32 = 0; i < 28; i++) store<u8>(tail + i, <u8>(200 + i));
  const send = heap.alloc(3 * IOVEC_SIZE), receive = heap.alloc(2 * IOVEC_SIZE);
  const parts: StaticArray<usize> = [header, 8, middle, 100, tail, 28];
  for (let i = 0; i < 3; i++) {
    const iovec = changetype<Iovec>(send + <usize>i * IOVEC_SIZE);
    iovec.address = <u32>parts[2 * i];
    iovec.length = <u32>parts[2 * i + 1];
  }
  changetype<Iovec>(receive).address = <u32>replyHead;
  changetype<Iovec>(receive).length = 20;
  changetype<Iovec>(receive + IOVEC_SIZE).address = <u32>replyRest;
  changetype<Iovec>(receive + IOVEC_SIZE).length = 116;
  if (!check.succeeded(msgSendv(echo, send, 3, receive, 2, 0), "msg.sendv")) return false;
  // The reply: sequence, instance, then the 128 data bytes: 12 in the first buffer, 116 in the second.
  if (!check.equal(load<u32>(replyHead), 777, "vectored reply's sequence")) return false;
  if (!check.equal(load<u32>(replyHead, 4), instance, "vectored reply's instance")) return false;
  for (let i: u32 = 0; i < 128; i++) {
    const expected: u8 = i < 100 ? <u8>(i + 1) : <u8>(200 + i - 100);
    const actual = i < 12 ? load<u8>(replyHead + 8 + i) : load<u8>(replyRest + i - 12);
    if (actual != expected) return check.equal(actual, expected, "vectored reply byte " + i.toString());
  }
  return true;
}

export function pingPong(check: Check): void {
  const server = initStart("echo");
  if (!check.succeeded(server, "init.start echo")) return;
  const echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  if (!check.succeeded(echo, "name.open " + TEST_ECHO_PATH)) return;
  const request = heap.alloc(TEST_ECHO_ECHO_REQUEST_SIZE + LARGE);
  const reply = heap.alloc(TEST_ECHO_ECHO_REQUEST_SIZE + LARGE);
  const instance = <u32>server;
  let sequence: u32 = 0;
  for (; sequence < SMALL_TRIPS; sequence++) {
    if (!trip(check, echo, request, reply, sequence, 8, instance)) return;
  }
  for (let i: u32 = 0; i < LARGE_TRIPS; i++, sequence++) {
    if (!trip(check, echo, request, reply, sequence, LARGE - TEST_ECHO_ECHO_REQUEST_SIZE, instance)) return;
  }
  if (!vectored(check, echo, instance)) return;
  handleClose(echo);
  check.summary = SMALL_TRIPS.toString() + " round trips of 16 bytes, " + LARGE_TRIPS.toString()
    + " of 4 KiB and one gathered from 3 buffers into 2, each answered with its own sequence and bytes by component " + instance.toString();
}
