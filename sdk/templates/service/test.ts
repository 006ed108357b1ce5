// The in-OS test of {{NAME}} (the test runner runs it in the test image,
// after init started {{NAME}}): a ping is answered with its value plus one;
// malformed requests — an unknown operation, a ping a byte short and a
// byte long — are refused with INVALID_ARGUMENT, and the server answers
// on. It talks to {{NAME}} as a client in any other folder would, through
// the generated bindings of its protocol (generated/protocols/{{FILE}}.ts).

import "{{ROOT}}sdk/lib/abort";
import { componentExit, errorName, msgSend, nameOpen, ERROR_INVALID_ARGUMENT } from "{{ROOT}}ipc/generated/index";
import { expect } from "{{ROOT}}sdk/lib/test";
import {
  {{CONST}}_PATH, {{CONST}}_PING, {{CONST}}_PING_REPLY_SIZE, {{CONST}}_PING_REQUEST_SIZE, {{PASCAL}}PingReply, {{PASCAL}}PingRequest,
} from "./generated/protocols/{{FILE}}";

/** Sends the first `length` bytes of `request`: the reply's status. */
function send(connection: i32, request: {{PASCAL}}PingRequest, length: u32, reply: {{PASCAL}}PingReply): i32 {
  return msgSend(connection, changetype<usize>(request), length, changetype<usize>(reply), {{CONST}}_PING_REPLY_SIZE);
}

function ping(connection: i32, request: {{PASCAL}}PingRequest, reply: {{PASCAL}}PingReply, value: u32): void {
  request.operation = {{CONST}}_PING;
  request.value = value;
  reply.value = 0;
  const status = send(connection, request, {{CONST}}_PING_REQUEST_SIZE, reply);
  expect(status >= 0, "ping " + value.toString() + ": " + errorName(status));
  expect(reply.value == value + 1, "ping " + value.toString() + " answered with " + reply.value.toString());
}

export function _start(): void {
  const connection = nameOpen({{CONST}}_PATH, 5_000_000_000);
  expect(connection >= 0, "name.open " + {{CONST}}_PATH + ": " + errorName(connection));
  // A byte more than a ping, for the request that is too long.
  const request = changetype<{{PASCAL}}PingRequest>(heap.alloc({{CONST}}_PING_REQUEST_SIZE + 1));
  const reply = changetype<{{PASCAL}}PingReply>(heap.alloc({{CONST}}_PING_REPLY_SIZE));
  for (let value: u32 = 0; value < 3; value++) ping(connection, request, reply, value);

  request.operation = {{CONST}}_PING + 100;
  expect(send(connection, request, {{CONST}}_PING_REQUEST_SIZE, reply) == ERROR_INVALID_ARGUMENT,
    "an unknown operation is refused with INVALID_ARGUMENT");
  request.operation = {{CONST}}_PING;
  expect(send(connection, request, {{CONST}}_PING_REQUEST_SIZE - 1, reply) == ERROR_INVALID_ARGUMENT,
    "a ping a byte short is refused with INVALID_ARGUMENT");
  expect(send(connection, request, {{CONST}}_PING_REQUEST_SIZE + 1, reply) == ERROR_INVALID_ARGUMENT,
    "a ping a byte long is refused with INVALID_ARGUMENT");

  ping(connection, request, reply, 41);
  componentExit(0);
}
