// The test.echo server serving direct calls (msg.serve_direct): its
// handlers run on the clients' threads, and for the direct-calls test
// (tests/os/runner/direct.ts) it obeys orders a well-behaved handler never
// would: trap, make a system call, spin (server.ts).
import "../lib/abort";
import { serve } from "../echo/server";
import { awaitTakeOver } from "../../../ipc/client/standby";

export function _start(): void {
  awaitTakeOver();
  serve(3, true);
}
