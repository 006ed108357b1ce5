// The server side, for servers written against ipc/: a channel registered
// under a path, and receive and reply on it. A restarted server registers
// the same path again. A new instance takes the name over at once from a
// running instance of the same identity, which its supervisor started
// (NAME_TAKE_OVER: a new version replacing the old one, name.open never
// finding the path missing); while
// a component it may not take it from holds the name, registration is
// retried for a while.

import {
  Handle, channelCreate, handleClose, msgReceive, msgReply, msgReplyReceive, nameRegister, threadSleep,
} from "../generated/system";
import { ERROR_ALREADY_EXISTS, NAME_TAKE_OVER } from "../generated/abi";

/** How often, and how many times, registration is tried while the name is still taken. */
const REGISTER_RETRY: i64 = 1_000_000;
const REGISTER_TRIES: i32 = 5000;

export class Server {
  /** The channel, or 0 when creating or registering failed (then `error` says why). */
  channel: Handle = 0;
  error: i32 = 0;

  /**
   * Registers `made`, a channel made beforehand (a warm spare makes it
   * before it stands by, ipc/client/standby.ts), or else a new channel,
   * under `path`.
   */
  constructor(readonly path: string, made: Handle = 0) {
    const channel = made > 0 ? made : channelCreate(0);
    if (channel < 0) {
      this.error = channel;
    } else {
      let result = nameRegister(path, channel, NAME_TAKE_OVER);
      for (let tries = 1; result == ERROR_ALREADY_EXISTS && tries < REGISTER_TRIES; tries++) {
        threadSleep(REGISTER_RETRY);
        result = nameRegister(path, channel, NAME_TAKE_OVER);
      }
      if (result < 0) {
        handleClose(channel);
        this.error = result;
      } else {
        this.channel = channel;
      }
    }
  }

  get isServing(): bool { return this.channel > 0; }

  /** Waits for a message or a pulse: the receive id, RECEIVE_ID_PULSE, or an error. `info`: a ReceiveInfo's address, or 0. */
  receive(buffer: usize, length: u32, info: usize): i32 {
    return msgReceive(this.channel, buffer, length, info);
  }

  /** Replies to a received message. */
  reply(receiveId: i32, status: i32, buffer: usize, length: u32): i32 {
    return msgReply(<u32>receiveId, status, buffer, length);
  }

  /**
   * Replies to a received message and waits for the next in one system
   * call (msg.reply_receive): the next receive id, RECEIVE_ID_PULSE, or an
   * error — of the reply (nothing was received) or of the receive.
   */
  replyReceive(receiveId: i32, status: i32, reply: usize, replyLength: u32, buffer: usize, length: u32, info: usize): i32 {
    return msgReplyReceive(<u32>receiveId, status, reply, replyLength, this.channel, buffer, length, info);
  }

  /** Closes the channel: its name goes, its clients' sends fail with DEAD_SERVER. */
  close(): void {
    if (this.channel > 0) handleClose(this.channel);
    this.channel = 0;
  }
}
