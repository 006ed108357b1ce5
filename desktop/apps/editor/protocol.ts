// The protocol an editor serves while it runs, on /desktop/editor/ID (ID:
// its component id), declared as the protocols of ipc/table are
// (ipc/table/schema.ts); the manifest's `@protocol protocol.ts` has the ipc
// generator write its bindings into generated/. A program that starts the
// editor (the file manager) gets its id from component.spawn and asks it to
// open a file, which is how the editor is started "with a path": the kernel
// gives a component no arguments.

import type { Protocol } from "../../../ipc/table/schema";

export const protocols: Protocol[] = [
  {
    name: "editor", path: "/desktop/editor",
    doc: "Asks a running editor to show a file; each editor serves it under this path followed by /ID, its component id.",
    messages: [
      {
        name: "open", operation: 1, idempotent: true,
        doc: "Opens the file at `path` in the editor's window, as if typed in its path field and opened (the outcome shows on the editor's status line). Opening the same file again shows it again: safe to re-send.",
        request: [
          { name: "path", type: "bytes", doc: "The file's absolute path on the file server, UTF-8." },
        ],
        reply: [],
      },
    ],
    errors: [
      { name: "PATH_TOO_LONG", code: 256, doc: "The path is longer than the editor takes (1024 bytes)." },
    ],
  },
];
