// The shell: serves the shell protocol (ipc/table/protocols/desktop.ts) on
// /desktop/shell for any number of terminals. Each request brings its
// session and the bytes typed; the reply takes back the new session and
// what to show. Nothing of a terminal stays here between requests, so
// init may restart or replace the shell at any moment: the next key
// finds the line, the cursor and the history where the terminal's session
// left them.
//
// One request at a time: a program run by name holds the shell until it
// ends (10 s at most), other terminals' keys wait meanwhile.

import "../../sdk/lib/abort";
import {
  msgReply, errorName, SHELL_ERROR_BAD_SESSION, SHELL_INPUT_REPLY_SIZE, SHELL_PATH, SHELL_SESSION_SIZE, ShellInputReply,
} from "../../ipc/generated/index";
import { REPLY_LATER } from "../../ipc/client/serve";
import { ShellHandlers, serveShell } from "../../ipc/generated/servers/shell";
import { Server } from "../../ipc/client/server";
import { log } from "../../sdk/lib/log";
import { Commands } from "./commands";
import { Editor } from "./editor";
import { Output } from "./output";
import { Session } from "./session";

/** The receive buffer: a request's session and input, a reply's session and output. */
const CAPACITY: u32 = 64 << 10;

class ShellRequests extends ShellHandlers {
  private readonly commands: Commands = new Commands();

  input(session: usize, input: usize, inputLength: u32, reply: ShellInputReply): i32 {
    const state = Session.read(session);
    if (state == null) return SHELL_ERROR_BAD_SESSION;
    // The reply is written over the request: take the input out first.
    const bytes = new Array<u8>(inputLength);
    for (let i: u32 = 0; i < inputLength; i++) bytes[i] = load<u8>(input + <usize>i);
    const out = new Output(<i32>(CAPACITY - SHELL_SESSION_SIZE));
    new Editor(state, out, this.commands).input(bytes);
    state.write(reply.session);
    const text = String.UTF8.encode(out.toString());
    memory.copy(reply.output, changetype<usize>(text), <usize>text.byteLength);
    reply.outputLength = <u32>text.byteLength;
    if (this.commands.deferred == null) return text.byteLength;
    // An action on this instance: the reply goes first, then the action ends the instance.
    msgReply(<u32>this.receiveId, 0, changetype<usize>(reply), SHELL_INPUT_REPLY_SIZE + <u32>text.byteLength);
    this.commands.runDeferred();
    return REPLY_LATER;
  }
}

export function _start(): void {
  const server = new Server(SHELL_PATH);
  if (!server.isServing) { log("cannot serve " + SHELL_PATH + ": " + errorName(server.error)); return; }
  log("serving " + SHELL_PATH);
  const failed = serveShell(new ShellRequests(), server.channel, CAPACITY);
  log("receiving on " + SHELL_PATH + " failed: " + errorName(failed));
}
