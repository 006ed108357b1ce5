// The protocol {{NAME}} serves on {{PATH}}, declared as the protocols of
// ipc/table are (ipc/table/schema.ts): a request starts with its operation,
// then its fields; a reply holds its fields, its status says whether it
// succeeded. The manifest's `@protocol protocol.ts` has the ipc generator
// write, into this folder's generated/, its client bindings
// (generated/protocols/{{FILE}}.ts: the path, operations and the views of
// requests and replies, for clients in any folder) and its server side
// (generated/servers/{{FILE}}.ts: the handler class and the dispatch); the
// build regenerates them when this file changes (docs/ipc.md, "A
// component's own protocols"). Every request is idempotent: the server
// keeps no state of its clients, so any request may be sent again.

import type { Protocol } from "{{ROOT}}ipc/table/schema";

export const protocols: Protocol[] = [
  {
    name: "{{PROTOCOL}}", path: "{{PATH}}",
    doc: "What {{NAME}} serves.",
    messages: [
      {
        name: "ping", operation: 1, idempotent: true,
        doc: "Answers with the request's value plus one.",
        request: [{ name: "value", type: "u32", doc: "Any number." }],
        reply: [{ name: "value", type: "u32", doc: "The request's value plus one." }],
      },
    ],
  },
];
