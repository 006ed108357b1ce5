// A connection to a server by its name, which outlives the server's
// instances: the state spill-free contract's client side (docs/design.md
// section 4). It keeps the path it was opened by; when a send fails with
// DEAD_SERVER — the server died before or while serving it — it closes the
// dead connection, resolves the path again (name.open waits, up to
// `resolveTimeout`, for the restarted server to register it) and sends the
// same request again. Requests are idempotent by design, so the program
// sees one answer per request, as if nothing had happened.
//
// What it cannot hide: a server that does not come back within
// `resolveTimeout` (the send returns the resolution's error, TIMED_OUT or
// NOT_FOUND), and one that dies on every attempt (after `resendLimit`
// re-sends the send returns DEAD_SERVER).

import {
  Handle, handleClose, msgSend, msgSendv, nameOpen, pulseSend,
} from "../generated/system";
import { ERROR_DEAD_SERVER } from "../generated/abi";

/** How long a re-resolution waits for the new instance to register, by default: 5 s. */
export const RESOLVE_TIMEOUT: i64 = 5_000_000_000;
/** Re-sends of one request, by default, before giving up (each after a fresh resolution). */
export const RESEND_LIMIT: i32 = 16;

export class NamedConnection {
  /** The current connection; 0 before the first resolution and after close. */
  handle: Handle = 0;
  /** Sends (and pulses) that failed with DEAD_SERVER and were sent again. */
  resends: u32 = 0;
  /** Resolutions of the path, the first one included. */
  resolutions: u32 = 0;
  resolveTimeout: i64 = RESOLVE_TIMEOUT;
  resendLimit: i32 = RESEND_LIMIT;

  constructor(readonly path: string) {}

  /** Resolves the path (again), closing the connection it replaces: the new handle, or an error. */
  open(): i32 {
    this.close();
    const handle = nameOpen(this.path, this.resolveTimeout);
    this.resolutions++;
    if (handle > 0) this.handle = handle;
    return handle;
  }

  /** The connection, resolving the path first if there is none: the handle, or an error. */
  private connected(): i32 {
    return this.handle > 0 ? this.handle : this.open();
  }

  /** msg.send that re-resolves and re-sends on DEAD_SERVER: the reply status, or an error. */
  send(request: usize, requestLength: u32, reply: usize, replyLength: u32): i32 {
    let result = ERROR_DEAD_SERVER;
    for (let attempt = 0; attempt <= this.resendLimit; attempt++) {
      if (attempt > 0) {
        this.resends++;
        this.close();
      }
      const handle = this.connected();
      if (handle < 0) return handle;
      result = msgSend(handle, request, requestLength, reply, replyLength);
      if (result != ERROR_DEAD_SERVER) break;
    }
    return result;
  }

  /**
   * msg.sendv that re-resolves and re-sends on DEAD_SERVER. `transferred`
   * (0: none) is given to every attempt's receiver as a copy: the caller
   * keeps it, so a re-send can give it again.
   */
  sendv(request: usize, requestCount: u32, reply: usize, replyCount: u32, transferred: Handle): i32 {
    let result = ERROR_DEAD_SERVER;
    for (let attempt = 0; attempt <= this.resendLimit; attempt++) {
      if (attempt > 0) {
        this.resends++;
        this.close();
      }
      const handle = this.connected();
      if (handle < 0) return handle;
      result = msgSendv(handle, request, requestCount, reply, replyCount, transferred);
      if (result != ERROR_DEAD_SERVER) break;
    }
    return result;
  }

  /** pulse.send that re-resolves and re-sends on DEAD_SERVER: 0 or an error. */
  pulse(code: i32, value: i64): i32 {
    let result = ERROR_DEAD_SERVER;
    for (let attempt = 0; attempt <= this.resendLimit; attempt++) {
      if (attempt > 0) {
        this.resends++;
        this.close();
      }
      const handle = this.connected();
      if (handle < 0) return handle;
      result = pulseSend(handle, code, value);
      if (result != ERROR_DEAD_SERVER) break;
    }
    return result;
  }

  /** Closes the current connection (the next send resolves the path again). */
  close(): void {
    if (this.handle > 0) handleClose(this.handle);
    this.handle = 0;
  }
}
