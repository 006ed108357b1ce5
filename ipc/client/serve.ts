// The serve loop of the generated protocol servers (ipc/generated/servers):
// receive a message, let the protocol's generated dispatch decode it and
// call the server's handler, reply and wait for the next message in one
// system call (msg.reply_wait). What a server writes is its handlers;
// reading the operation, the size checks, the error reply to a malformed
// request and the reply's length are the dispatch's (docs/ipc.md, "The
// server side").
//
// The loop is generic over the protocol's dispatch and the server's
// handler class, so that AssemblyScript calls each handler directly: on
// the echo server's path there is no virtual call and no allocation.
//
// msg.reply_wait tells the message's length in its result and writes no
// receiveInfo: the handlers' `info` asks the kernel for it (msg.info) the
// first time a handler reads it while serving a request, so the servers
// that never look at their sender pay nothing for it.

import { Handle, handleClose, msgInfo, msgReplyWait, msgServeDirect } from "../generated/system";
import {
  ERROR_INVALID_ARGUMENT, ERROR_TIMED_OUT, Pulse, ReceiveInfo, RECEIVE_ID_PULSE, RECEIVE_INFO_SIZE, PULSE_SIZE, REPLY_WAIT_LENGTH_SHIFT,
} from "../generated/abi";

/**
 * What a handler returns when it keeps the request to answer later by
 * msg.reply itself (with `receiveId`, saved while it was being served):
 * the loop then sends no reply and goes on receiving.
 */
export const REPLY_LATER: i32 = i32.MIN_VALUE;

/**
 * The base of every protocol's generated handler class (`TestEchoHandlers`
 * and the like): what the loop tells the handlers about the request being
 * served, and the pulse hook.
 */
export abstract class Handlers {
  /** The receive id of the request being served: for msg.grant, msg.read, or a reply held with REPLY_LATER. */
  receiveId: i32 = 0;
  /** The record `info` fills, and the receive id it describes (0: none yet). */
  private infoRecord: ReceiveInfo = changetype<ReceiveInfo>(0);
  private infoOf: i32 = 0;

  /**
   * What the kernel tells about the request being served (its sender,
   * priority and lengths, the handle that came with it), asked for with
   * msg.info the first time it is read while serving it.
   */
  get info(): ReceiveInfo {
    if (changetype<usize>(this.infoRecord) == 0) this.infoRecord = changetype<ReceiveInfo>(heap.alloc(RECEIVE_INFO_SIZE));
    if (this.infoOf != this.receiveId) {
      if (msgInfo(<u32>this.receiveId, changetype<usize>(this.infoRecord)) < 0) memory.fill(changetype<usize>(this.infoRecord), 0, RECEIVE_INFO_SIZE);
      this.infoOf = this.receiveId;
    }
    return this.infoRecord;
  }

  /** A pulse arrived on the channel (a kernel notice or another component's pulse). Pulses are ignored unless a server overrides this. */
  pulse(pulse: Pulse): void {}
}

/**
 * Serves requests on `channel` until receiving fails: `dispatch` (a
 * protocol's generated dispatch: `serveTestEcho` and the like make it)
 * decodes each request, calls the handler of `handlers` and returns
 * the reply's length (status 0), a negative error status (no reply bytes)
 * or REPLY_LATER. A transferred handle that no handler took is closed, so
 * that a client cannot fill the server's handle table. Returns the error
 * of a failed receive (other than TIMED_OUT); a failed reply, whose client
 * is gone, is not one: the loop receives the next message.
 */
export function serveRequests<D, H extends Handlers>(dispatch: D, handlers: H, channel: Handle, capacity: u32, smallest: u32,
  direct: bool = false): i32 {
  if (capacity < smallest || capacity < PULSE_SIZE) return ERROR_INVALID_ARGUMENT;
  if (direct) {
    const server = new DirectServerOf<D, H>(dispatch, handlers, capacity);
    directServer = server;
    // One handler per protocol and handler class, so that the dispatch and the handler are called directly, as in the loop.
    const handler = (length: i32, sender: i32): i32 => {
      const server = changetype<DirectServerOf<D, H>>(directServer);
      const handlers = server.handlers;
      handlers.receiveId = 0;
      return server.dispatch.dispatch(handlers, server.buffer, <u32>length, server.capacity);
    };
    const status = msgServeDirect(channel, handler.index, server.buffer, capacity);
    if (status < 0) return status;
  }
  const buffer = heap.alloc(capacity);
  let received = msgReplyWait(0, 0, 0, channel, buffer, capacity);
  while (true) {
    const receiveId = <i32>received;
    if (receiveId > 0) {
      handlers.receiveId = receiveId;
      const result: i32 = dispatch.dispatch(handlers, buffer, <u32>(received >>> REPLY_WAIT_LENGTH_SHIFT) & 0x7fffffff, capacity);
      // Bit 63: a handle came with the request.
      if (received < 0) closeUntaken(handlers);
      // Two calls rather than one with the status and length chosen: fewer instructions on the echo path.
      if (result >= 0) {
        received = msgReplyWait(<u32>receiveId, 0, <u32>result, channel, buffer, capacity);
        // A reply that failed (its client is gone) received nothing: receive afresh.
        if (<i32>received >= 0) continue;
      } else if (result != REPLY_LATER) {
        received = msgReplyWait(<u32>receiveId, result, 0, channel, buffer, capacity);
        if (<i32>received >= 0) continue;
      }
    } else if (receiveId == RECEIVE_ID_PULSE) {
      handlers.pulse(changetype<Pulse>(buffer));
    } else if (receiveId != ERROR_TIMED_OUT) {
      return receiveId;
    }
    received = msgReplyWait(0, 0, 0, channel, buffer, capacity);
  }
}

/** Closes the handle that came with the request being served if no handler took it. */
function closeUntaken(handlers: Handlers): void {
  const transferred = <i32>handlers.info.handle;
  if (transferred != 0) handleClose(transferred);
}

/**
 * A component's direct server (msg.serve_direct): the kernel calls the
 * handler serveRequests registers on a client's thread with the request
 * in `buffer`; the dispatch leaves the reply there and returns its
 * length, an error status or REPLY_LATER (the kernel then sends the
 * request on to the loop above, where the handler may keep it). A
 * handler called this way has no receive id (0) and must make no system
 * call: one ends the component.
 */
// @ts-ignore: decorator
@final class DirectServerOf<D, H extends Handlers> {
  readonly buffer: usize;
  constructor(readonly dispatch: D, readonly handlers: H, readonly capacity: u32) {
    this.buffer = heap.alloc(capacity);
  }
}

/** The component's one direct server (a DirectServerOf of the handler serveRequests registers), null before it. */
let directServer: Object | null = null;
