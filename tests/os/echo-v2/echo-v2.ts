// The test.echo server, version 2: what init's replace test swaps in for
// version 1 while clients keep sending (server.ts).
import "../lib/abort";
import { serve } from "../echo/server";

export function _start(): void {
  serve(2);
}
