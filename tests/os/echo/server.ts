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
import { REPLY_LATER } from "../../../ipc/client/serve";
import { line } from "../lib/log";

/** Room for the largest request the tests send (the 4 KiB benchmark) and more. */
const BUFFER_SIZE: u32 = 64 << 10;

/**
 * The values of a square request the direct version (echo-direct) treats
 * as orders from the direct-calls test (tests/os/runner/direct.ts) when the
 * request comes as a direct call: each tries what a broken handler could.
 * Orders ride on square so that echo, which the round-trip benchmarks
 * time, does nothing a plain echo does not but mark its reply direct.
 */
export const DIRECT_TRAP: u32 = 0xd1ec0001;
export const DIRECT_SYSTEM_CALL: u32 = 0xd1ec0002;
export const DIRECT_SPIN: u32 = 0xd1ec0003;
export const DIRECT_LATER: u32 = 0xd1ec0004;
const DIRECT_ORDERS: u32 = 4;
/** The bit of an echo reply's instance set when the request came as a direct call. */
export const DIRECT_BIT: u32 = 0x80000000;
/** The bit of the direct version's square reply set when the request came as a direct call. */
export const DIRECT_SQUARE_BIT: u64 = 1 << 63;

/** echo's reply, built in place: the request's sequence, the instance; the data stays where it arrived. */
// @ts-ignore: decorator
@inline function answerEcho(instance: u32, sequence: u32, dataLength: u32, reply: TestEchoEchoReply): i32 {
  reply.sequence = sequence;
  reply.instance = instance;
  return <i32>dataLength;
}

/** square's reply: value². */
// @ts-ignore: decorator
@inline function answerSquare(value: u32, reply: TestEchoSquareReply): i32 {
  reply.square = <u64>value * <u64>value;
  return 0;
}

// @ts-ignore: decorator
@final class Echo extends TestEchoHandlers {
  constructor(readonly instance: u32) { super(); }

  echo(sequence: u32, data: usize, dataLength: u32, reply: TestEchoEchoReply): i32 {
    return answerEcho(this.instance, sequence, dataLength, reply);
  }

  square(value: u32, reply: TestEchoSquareReply): i32 {
    return answerSquare(value, reply);
  }
}

/**
 * The direct version's handlers: a request that comes as a direct call (it
 * has no receive id, ipc/client/serve.ts) is answered with DIRECT_BIT in the
 * instance, or obeys its order. A class apart from Echo, so that version 1's
 * handlers, which the round-trip benchmarks time, stay final and plain.
 */
// @ts-ignore: decorator
@final class DirectEcho extends TestEchoHandlers {
  constructor(readonly instance: u32) { super(); }

  // Inline in the dispatch, as Echo's is: the benchmarks time this version's direct calls.
  // @ts-ignore: decorator
  @inline echo(sequence: u32, data: usize, dataLength: u32, reply: TestEchoEchoReply): i32 {
    return answerEcho(this.receiveId != 0 ? this.instance : this.instance | DIRECT_BIT, sequence, dataLength, reply);
  }

  square(value: u32, reply: TestEchoSquareReply): i32 {
    if (this.receiveId != 0) return answerSquare(value, reply);
    if (value - DIRECT_TRAP < DIRECT_ORDERS) return this.obey(value, changetype<usize>(reply));
    reply.square = <u64>value * <u64>value | DIRECT_SQUARE_BIT;
    return 0;
  }

  /** A direct call's order: a trap, a system call, a loop until the client's thread is unwound, or REPLY_LATER. */
  obey(order: u32, buffer: usize): i32 {
    if (order == DIRECT_TRAP) unreachable();
    if (order == DIRECT_SYSTEM_CALL) componentSelf();
    // The buffer's first word is the request's operation, never this value.
    if (order == DIRECT_SPIN) while (load<u32>(buffer) != 0x5a5a5a5a) store<u32>(buffer + 4, load<u32>(buffer + 4) + 1);
    return REPLY_LATER;
  }
}

/** Serves test.echo as version `version`; `direct`: its handlers also serve calls on the clients' threads (msg.serve_direct). */
export function serve(version: u32, direct: bool = false): void {
  const server = new Server(TEST_ECHO_PATH);
  if (!server.isServing) return;
  const instance = <u32>componentSelf();
  line("serving " + TEST_ECHO_PATH + ": version " + version.toString() + ", component " + instance.toString());
  const failed = direct
    ? serveTestEcho(new DirectEcho(instance), server.channel, BUFFER_SIZE, true)
    : serveTestEcho(new Echo(instance), server.channel, BUFFER_SIZE);
  line("receiving on " + TEST_ECHO_PATH + " failed: " + failed.toString());
}
