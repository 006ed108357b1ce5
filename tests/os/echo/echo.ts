// The test.echo server, version 1 (server.ts).
import "../lib/abort";
import { serve } from "./server";

export function _start(): void {
  serve(1);
}
