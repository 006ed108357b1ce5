// The test.echo server (ipc/table/protocols/test.ts): ping-pong, many
// clients, the restart and replace tests and the round-trip benchmarks
// all talk to it. It keeps nothing between requests, so any instance
// answers any request the same way; `instance` (its component id) lets a
// client see that a restart happened.
//
// An echo reply has the request's size and is built in place: the request
// is `operation, sequence, data` and the reply `sequence, instance, data`,
// so the server rewrites two words and replies from the same buffer —
// one copy in, one copy out, as a round trip should cost — and waits for
// the next request in the same system call (msg.reply_receive).
//
// Two versions are built from this file (echo.ts and echo-v2.ts): the same
// behaviour, different wasm, so that init's replace test loads a new
// version at run time.

import {
  componentSelf, msgReceive, ReceiveInfo, RECEIVE_INFO_SIZE, ERROR_INVALID_ARGUMENT,
  TEST_ECHO_PATH, TEST_ECHO_ECHO, TEST_ECHO_SQUARE, TEST_ECHO_ECHO_REQUEST_SIZE, TEST_ECHO_SQUARE_REQUEST_SIZE,
  TEST_ECHO_SQUARE_REPLY_SIZE, TestEchoEchoReply, TestEchoEchoRequest, TestEchoSquareReply, TestEchoSquareRequest,
} from "../../../ipc/generated/index";
import { Server } from "../../../ipc/client/index";
import { line } from "../lib/log";

/** Room for the largest request the tests send (the 4 KiB benchmark) and more. */
const BUFFER_SIZE: u32 = 64 << 10;

export function serve(version: u32): void {
  const server = new Server(TEST_ECHO_PATH);
  if (!server.isServing) return;
  const channel = server.channel;
  const instance = <u32>componentSelf();
  line("serving " + TEST_ECHO_PATH + ": version " + version.toString() + ", component " + instance.toString());
  const buffer = heap.alloc(BUFFER_SIZE);
  const info = heap.alloc(RECEIVE_INFO_SIZE);
  // One system call per message: each reply goes with the wait for the next (msg.reply_receive).
  let receiveId = msgReceive(channel, buffer, BUFFER_SIZE, info);
  while (true) {
    if (receiveId <= 0) {
      receiveId = msgReceive(channel, buffer, BUFFER_SIZE, info);
      continue;
    }
    const length = min(changetype<ReceiveInfo>(info).sendLength, BUFFER_SIZE);
    const operation = length >= 4 ? load<u32>(buffer) : 0;
    let status = 0;
    let replyLength: u32 = 0;
    if (operation == TEST_ECHO_ECHO && length >= TEST_ECHO_ECHO_REQUEST_SIZE) {
      const sequence = changetype<TestEchoEchoRequest>(buffer).sequence;
      const reply = changetype<TestEchoEchoReply>(buffer);
      reply.sequence = sequence;
      reply.instance = instance;
      replyLength = length;
    } else if (operation == TEST_ECHO_SQUARE && length >= TEST_ECHO_SQUARE_REQUEST_SIZE) {
      const value = <u64>changetype<TestEchoSquareRequest>(buffer).value;
      changetype<TestEchoSquareReply>(buffer).square = value * value;
      replyLength = TEST_ECHO_SQUARE_REPLY_SIZE;
    } else {
      status = ERROR_INVALID_ARGUMENT;
    }
    receiveId = server.replyReceive(receiveId, status, buffer, replyLength, buffer, BUFFER_SIZE, info);
  }
}
