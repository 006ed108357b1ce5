// {{NAME}}: serves its protocol ({{PROTOCOL}}, declared in protocol.ts) on
// {{PATH}}. It is written as one handler per request; the generated
// dispatch (generated/servers/{{FILE}}.ts) reads the operation, checks the
// request's size, refuses a malformed request with INVALID_ARGUMENT and
// sets the reply's length. It keeps nothing between requests, so a
// restarted instance answers like the one before.

import "{{ROOT}}sdk/lib/abort";
import { Server } from "{{ROOT}}ipc/client/index";
import { log } from "{{ROOT}}sdk/lib/log";
import { {{CONST}}_PATH, {{PASCAL}}PingReply } from "./generated/protocols/{{FILE}}";
import { {{PASCAL}}Handlers, serve{{PASCAL}} } from "./generated/servers/{{FILE}}";

/** Room for the largest request it takes (at least {{CONST}}_SERVER_BUFFER_MINIMUM). */
const BUFFER_SIZE: u32 = 256;

class {{PASCAL}}Server extends {{PASCAL}}Handlers {
  ping(value: u32, reply: {{PASCAL}}PingReply): i32 {
    reply.value = value + 1;
    return 0;
  }
}

export function _start(): void {
  const server = new Server({{CONST}}_PATH);
  if (!server.isServing) {
    log("cannot serve " + {{CONST}}_PATH + ": error " + server.error.toString());
    return;
  }
  log("serving " + {{CONST}}_PATH);
  const failed = serve{{PASCAL}}(new {{PASCAL}}Server(), server.channel, BUFFER_SIZE);
  log("receiving on " + {{CONST}}_PATH + " failed: error " + failed.toString());
}
