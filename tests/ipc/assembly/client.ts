// The client library (ipc/client) under test in V8: tests/ipc/client.test.ts
// runs it with a scripted stand-in for the kernel's `delos` imports.

import { NamedConnection, Server } from "../../../ipc/client/index";

let connection: NamedConnection | null = null;

export function connect(resendLimit: i32, resolveTimeout: i64): void {
  const opened = new NamedConnection("/test/echo");
  opened.resendLimit = resendLimit;
  opened.resolveTimeout = resolveTimeout;
  connection = opened;
}

export function send(request: usize, requestLength: u32, reply: usize, replyLength: u32): i32 {
  return connection!.send(request, requestLength, reply, replyLength);
}

export function sendv(request: usize, requestCount: u32, reply: usize, replyCount: u32, transferred: i32): i32 {
  return connection!.sendv(request, requestCount, reply, replyCount, transferred);
}

export function pulse(code: i32, value: i64): i32 {
  return connection!.pulse(code, value);
}

export function close(): void { connection!.close(); }
export function handle(): i32 { return connection!.handle; }
export function resends(): u32 { return connection!.resends; }
export function resolutions(): u32 { return connection!.resolutions; }

/** Serves /test/echo: the channel, or the error. */
export function serve(): i32 {
  const server = new Server("/test/echo");
  return server.isServing ? server.channel : server.error;
}

export function allocate(bytes: usize): usize {
  return heap.alloc(bytes);
}
