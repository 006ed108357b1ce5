// The in-OS test of {{NAME}} (the test runner runs it in the test image,
// after init started {{NAME}}): a ping is answered with its value plus one,
// a malformed request with INVALID_ARGUMENT, and the server answers on.

import "{{ROOT}}sdk/lib/abort";
import { componentExit, msgSend, nameOpen, ERROR_INVALID_ARGUMENT } from "{{ROOT}}ipc/generated/index";
import { expect } from "{{ROOT}}sdk/lib/test";
import { {{CONST}}_PATH, PING, PING_REQUEST_SIZE, PING_REPLY_SIZE, PingReply, PingRequest } from "./protocol";

export function _start(): void {
  const connection = nameOpen({{CONST}}_PATH, 5_000_000_000);
  expect(connection >= 0, "name.open " + {{CONST}}_PATH);
  const request = changetype<PingRequest>(heap.alloc(PING_REQUEST_SIZE));
  const reply = changetype<PingReply>(heap.alloc(PING_REPLY_SIZE));
  for (let value: u32 = 0; value < 3; value++) {
    request.operation = PING;
    request.value = value;
    const result = msgSend(connection, changetype<usize>(request), PING_REQUEST_SIZE, changetype<usize>(reply), PING_REPLY_SIZE);
    expect(result >= 0 && reply.value == value + 1, "ping " + value.toString() + " answered with " + (value + 1).toString());
  }
  request.operation = 0;
  expect(msgSend(connection, changetype<usize>(request), PING_REQUEST_SIZE, changetype<usize>(reply), PING_REPLY_SIZE)
    == ERROR_INVALID_ARGUMENT, "an unknown operation is refused with INVALID_ARGUMENT");
  request.operation = PING;
  expect(msgSend(connection, changetype<usize>(request), PING_REQUEST_SIZE, changetype<usize>(reply), PING_REPLY_SIZE) >= 0,
    "a ping after the malformed request is answered");
  componentExit(0);
}
