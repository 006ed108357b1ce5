// The test.echo server (ipc/table/protocols/test.ts): ping-pong, many
// clients, the restart and replace tests and the round-trip benchmarks
// all talk to it. It keeps nothing between requests, so any instance
// answers any request the same way; `instance` (its component id) lets a
// client see that a restart happened.
//
// An echo reply has the request's size and is built in place: the request
// is `operation, sequence, data` and the reply `sequence, instance, data`,
// so the handler rewrites two words and the data stays where it arrived —
// one copy in, one copy out, as a round trip should cost. The generated
// loop (ipc/generated/servers/test-echo.ts) waits for the next request in
// the same system call as the reply (msg.reply_receive).
//
// Two versions are built from this file (echo.ts and echo-v2.ts): the same
// behaviour, different wasm, so that init's replace test loads a new
// version at run time.

import { componentSelf, TEST_ECHO_PATH, TestEchoEchoReply, TestEchoSquareReply } from "../../../ipc/generated/index";
import { serveTestEcho, TestEchoHandlers } from "../../../ipc/generated/servers/test-echo";
import { Server } from "../../../ipc/client/index";
import { line } from "../lib/log";

/** Room for the largest request the tests send (the 4 KiB benchmark) and more. */
const BUFFER_SIZE: u32 = 64 << 10;

class Echo extends TestEchoHandlers {
  constructor(readonly instance: u32) { super(); }

  echo(sequence: u32, data: usize, dataLength: u32, reply: TestEchoEchoReply): i32 {
    reply.sequence = sequence;
    reply.instance = this.instance;
    // reply.data is where the request's data arrived.
    return <i32>dataLength;
  }

  square(value: u32, reply: TestEchoSquareReply): i32 {
    reply.square = <u64>value * <u64>value;
    return 0;
  }
}

export function serve(version: u32): void {
  const server = new Server(TEST_ECHO_PATH);
  if (!server.isServing) return;
  const instance = <u32>componentSelf();
  line("serving " + TEST_ECHO_PATH + ": version " + version.toString() + ", component " + instance.toString());
  const failed = serveTestEcho(new Echo(instance), server.channel, BUFFER_SIZE);
  line("receiving on " + TEST_ECHO_PATH + " failed: " + failed.toString());
}
