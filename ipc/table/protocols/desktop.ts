// Protocols of the desktop's own servers: the shell, which a terminal
// talks to, and the clipboard, which the toolkit's text fields use.
//
// Neither server keeps anything of its clients between requests. The
// shell's session — the line being edited, its cursor, the history, a
// key sequence cut between two requests — is an opaque block the terminal
// holds and sends with every request; the reply carries the new one. So
// a shell that crashes, restarts or is replaced mid-line answers the next
// key as if nothing happened, and one shell serves any number of
// terminals. The clipboard is shared by every app, so it lives in the
// clipboard server's state object: it outlives the app that copied and
// the server's own restarts.

import type { Constant, Protocol } from "../schema";

export const SHELL_SESSION_SIZE = 4096;
export const CLIPBOARD_MAXIMUM = 60000;

export const desktopConstants: Constant[] = [
  { name: "SHELL_SESSION_SIZE", value: SHELL_SESSION_SIZE, type: "u32", doc: "Bytes of a shell session: what shell.input carries both ways. All zeros is a new session." },
  { name: "CLIPBOARD_MAXIMUM", value: CLIPBOARD_MAXIMUM, type: "u32", doc: "The longest text the clipboard holds, in bytes." },
];

export const desktopProtocols: Protocol[] = [
  {
    name: "shell", path: "/desktop/shell",
    doc: "A command shell for terminals, a pty in spirit: bytes the user typed in (keys as a VT100 terminal sends them), bytes to show out (text and VT100 sequences). The terminal holds the session and sends it with each request.",
    messages: [
      {
        name: "input", operation: 1, idempotent: true,
        doc: "Edits the session's line with `input` (printable text, Backspace, Delete, the cursor keys, Home, End, Control-A/E/K/U/W, Tab to complete, Up and Down through the history) and runs it at Enter. An empty `input` with a new (zeroed) session prints the banner and the prompt. The same session and input give the same output, but for what the commands read from the running system, and commands that act on components act idempotently (on named instances, through init).",
        request: [
          { name: "session", type: "bytes", length: SHELL_SESSION_SIZE, doc: "The session as the last reply left it, or zeros for a new one." },
          { name: "input", type: "bytes", doc: "What the user typed since: UTF-8 text, control characters and escape sequences." },
        ],
        reply: [
          { name: "session", type: "bytes", length: SHELL_SESSION_SIZE, doc: "The session to send with the next request." },
          { name: "outputLength", type: "u32", doc: "The length of `output` in bytes (msg.send tells the client the status, not the reply's length)." },
          { name: "output", type: "bytes", doc: "What to show: UTF-8 text and VT100 sequences (echo, line redraws, the commands' output, the prompt)." },
        ],
      },
    ],
    errors: [
      { name: "BAD_SESSION", code: 256, doc: "The session is not one the shell made (its lengths lie outside it): start a new one." },
    ],
  },
  {
    name: "clipboard", path: "/desktop/clipboard",
    doc: "The desktop's clipboard: one text, shared by every app, kept by the server in a state object.",
    messages: [
      {
        name: "write", operation: 1, idempotent: true,
        doc: "Replaces the clipboard's text. Sending it again leaves the same text.",
        request: [{ name: "text", type: "bytes", doc: "UTF-8 text, at most CLIPBOARD_MAXIMUM bytes." }],
        reply: [{ name: "serial", type: "u32", doc: "How many writes the clipboard has taken, this one included." }],
      },
      {
        name: "read", operation: 2, idempotent: true,
        doc: "The clipboard's text.",
        request: [],
        reply: [
          { name: "serial", type: "u32", doc: "How many writes the clipboard has taken (0: it was never written)." },
          { name: "length", type: "u32", doc: "The length of `text` in bytes." },
          { name: "text", type: "bytes", doc: "The text." },
        ],
      },
    ],
  },
];
