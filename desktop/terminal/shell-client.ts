// The terminal's side of the shell protocol (ipc/table/protocols/desktop.ts):
// it holds the shell session, sends it with the bytes typed, keeps the
// session the reply brings back and writes the output on the terminal.
// Because the session lives here, the shell can be restarted or replaced
// between any two keys: the connection re-sends the request to the next
// instance, which carries on with the same line and history.

import { SHELL_INPUT, SHELL_INPUT_REPLY_SIZE, SHELL_INPUT_REQUEST_SESSION, SHELL_INPUT_REQUEST_SIZE, SHELL_PATH, SHELL_SESSION_SIZE, ShellInputReply }
  from "../../ipc/generated/index";
import { NamedConnection } from "../../ipc/client/named-connection";
import { Terminal } from "./terminal";

/** Room for a reply: the session and the most output the shell sends at once. */
export const SHELL_REPLY_CAPACITY: u32 = 64 << 10;

export class ShellClient {
  readonly connection: NamedConnection;
  private readonly session: usize = heap.alloc(SHELL_SESSION_SIZE);
  private readonly reply: usize = heap.alloc(SHELL_REPLY_CAPACITY);
  /** The last request's status (0: answered). */
  status: i32 = 0;

  constructor(readonly terminal: Terminal, path: string = SHELL_PATH) {
    this.connection = new NamedConnection(path);
    memory.fill(this.session, 0, SHELL_SESSION_SIZE);
  }

  /** Starts a new session (the banner and a prompt come with the next `send`). */
  reset(): void { memory.fill(this.session, 0, SHELL_SESSION_SIZE); }

  /**
   * Sends `input` (UTF-8 text, control characters, escape sequences) with
   * the session; writes the output on the terminal and returns it. On an
   * error (`status`) the session is kept as it was and nothing is written.
   */
  send(input: string): string {
    const bytes = String.UTF8.encode(input);
    const length = SHELL_INPUT_REQUEST_SIZE + <u32>bytes.byteLength;
    const request = heap.alloc(length);
    store<u32>(request, SHELL_INPUT);
    memory.copy(request + SHELL_INPUT_REQUEST_SESSION, this.session, SHELL_SESSION_SIZE);
    memory.copy(request + SHELL_INPUT_REQUEST_SIZE, changetype<usize>(bytes), <usize>bytes.byteLength);
    this.status = this.connection.send(request, length, this.reply, SHELL_REPLY_CAPACITY);
    heap.free(request);
    if (this.status != 0) return "";
    const outputLength = min(changetype<ShellInputReply>(this.reply).outputLength, SHELL_REPLY_CAPACITY - SHELL_INPUT_REPLY_SIZE);
    memory.copy(this.session, this.reply, SHELL_SESSION_SIZE);
    const output = this.reply + SHELL_INPUT_REPLY_SIZE;
    this.terminal.write(output, outputLength);
    return String.UTF8.decodeUnsafe(output, outputLength);
  }
}
