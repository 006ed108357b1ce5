// The test.echo server, version 2: what init's replace test swaps in for
// version 1 while clients keep sending (server.ts). Unlike version 1 it
// stands by as a restartable driver does (ipc/client/standby.ts), so the
// replacement's new instance asks init something before it takes the
// names over, which init must answer while the replace waits.
import "../lib/abort";
import { serve } from "../echo/server";
import { awaitTakeOver } from "../../../ipc/client/standby";

export function _start(): void {
  awaitTakeOver();
  serve(2);
}
