// {{NAME}}: serves its protocol (protocol.ts) on {{PATH}}. It keeps nothing
// between requests, so a restarted instance answers like the one before.

import "{{ROOT}}sdk/lib/abort";
import { ReceiveInfo, RECEIVE_INFO_SIZE, ERROR_INVALID_ARGUMENT } from "{{ROOT}}ipc/generated/index";
import { Server } from "{{ROOT}}ipc/client/index";
import { log } from "{{ROOT}}sdk/lib/log";
import { {{CONST}}_PATH, PING, PING_REQUEST_SIZE, PING_REPLY_SIZE, PingReply, PingRequest } from "./protocol";

const BUFFER_SIZE: u32 = 256;

export function _start(): void {
  const server = new Server({{CONST}}_PATH);
  if (!server.isServing) {
    log("cannot serve " + {{CONST}}_PATH + ": error " + server.error.toString());
    return;
  }
  log("serving " + {{CONST}}_PATH);
  const buffer = heap.alloc(BUFFER_SIZE);
  const info = heap.alloc(RECEIVE_INFO_SIZE);
  let receiveId = server.receive(buffer, BUFFER_SIZE, info);
  while (true) {
    // Pulses (receive id 0) and failed receives carry no request.
    if (receiveId <= 0) {
      receiveId = server.receive(buffer, BUFFER_SIZE, info);
      continue;
    }
    const length = changetype<ReceiveInfo>(info).sendLength;
    let status = 0;
    let replyLength: u32 = 0;
    if (length == PING_REQUEST_SIZE && load<u32>(buffer) == PING) {
      const value = changetype<PingRequest>(buffer).value;
      changetype<PingReply>(buffer).value = value + 1;
      replyLength = PING_REPLY_SIZE;
    } else {
      status = ERROR_INVALID_ARGUMENT;
    }
    receiveId = server.replyReceive(receiveId, status, buffer, replyLength, buffer, BUFFER_SIZE, info);
  }
}
