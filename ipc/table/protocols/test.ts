// The protocols of the in-OS tests (tests/os): small servers that the
// tests talk to, each request idempotent so that a client can re-send it
// to a restarted server. A request starts with its operation (u32); the
// fields follow at naturally aligned offsets; a reply holds only its fields.

import type { Protocol } from "../schema";

export const testProtocols: Protocol[] = [
  {
    name: "test.echo", path: "/test/echo",
    doc: "Answers every request with its own contents: ping-pong, many clients, the server restarted in the middle of a stream, the round-trip benchmarks.",
    messages: [
      {
        name: "echo", operation: 1, idempotent: true,
        doc: "Returns the sequence number and the data as sent, and the instance of the server that answered.",
        request: [
          { name: "sequence", type: "u32", doc: "The client's number for the request." },
          { name: "data", type: "bytes", doc: "Anything, echoed back." },
        ],
        reply: [
          { name: "sequence", type: "u32", doc: "The request's sequence number." },
          { name: "instance", type: "u32", doc: "The answering server's component id (it changes when the server restarts)." },
          { name: "data", type: "bytes", doc: "The request's data." },
        ],
      },
      {
        name: "square", operation: 2, idempotent: true,
        doc: "Returns value². A pure function of the request, so a re-sent request gets the same answer from any instance.",
        request: [{ name: "value", type: "u32", doc: "The number." }],
        reply: [{ name: "square", type: "u64", doc: "value × value." }],
      },
    ],
  },
  {
    name: "test.store", path: "/test/store",
    doc: "A table of numbers the server keeps in a state object, so that it survives the server's death.",
    messages: [
      {
        name: "put", operation: 1, idempotent: true,
        doc: "Sets a slot (setting it twice to the same value changes nothing).",
        request: [
          { name: "slot", type: "u32", doc: "0..1023." },
          { name: "value", type: "u64", doc: "The value." },
        ],
        reply: [],
      },
      {
        name: "get", operation: 2, idempotent: true,
        doc: "Reads a slot.",
        request: [{ name: "slot", type: "u32", doc: "0..1023." }],
        reply: [
          { name: "value", type: "u64", doc: "The slot's value (0 when never set)." },
          { name: "instance", type: "u32", doc: "The answering server's component id." },
        ],
      },
    ],
    errors: [{ name: "BAD_SLOT", code: 256, doc: "The slot is outside 0..1023." }],
  },
  {
    name: "test.shared", path: "/test/shared",
    doc: "Shares a memory object between client and server: the client sends a handle with msg.sendv, the server maps it, checks what the client wrote and writes its own answer.",
    messages: [
      {
        name: "fill", operation: 1, idempotent: true,
        doc: "The server maps the transferred memory object, sums the bytes [0, length), then writes byte i = (seed + i) & 255 over [length, 2·length).",
        request: [
          { name: "length", type: "u32", doc: "Bytes the client wrote; at most half the object." },
          { name: "seed", type: "u32", doc: "The pattern's start." },
        ],
        reply: [{ name: "sum", type: "u32", doc: "The sum of the client's bytes." }],
      },
      {
        name: "share", operation: 2, idempotent: true,
        doc: "The server creates a memory object of `bytes` bytes filled with `seed + i`, grants it to the client (msg.grant) and replies with its number.",
        request: [
          { name: "bytes", type: "u32", doc: "The size, a multiple of PAGE_SIZE." },
          { name: "seed", type: "u32", doc: "The pattern's start." },
        ],
        reply: [{ name: "handle", type: "u32", doc: "The memory object's handle, in the client's table." }],
      },
    ],
  },
  {
    name: "test.trap", path: "/test/trap",
    doc: "A server that traps on request, for the trap test: the request never gets a reply, and the client's send fails with DEAD_SERVER.",
    messages: [
      {
        name: "trap", operation: 1, idempotent: true,
        doc: "Traps with the given kind (docs/compiler-abi.md, Traps) while serving the request.",
        request: [
          { name: "kind", type: "u32", doc: "The trap kind, 1..10." },
          { name: "operand", type: "u32", doc: "0: the zero divisor, NaN source and index base the server cannot know in advance." },
        ],
        reply: [],
      },
    ],
  },
  {
    name: "test.priority", path: "/test/priority",
    doc: "Makes priority inheritance observable: the server's thread reports the priority it runs at while serving.",
    messages: [
      {
        name: "probe", operation: 1, idempotent: true,
        doc: "Replies with thread.priority() as seen by the serving thread.",
        request: [],
        reply: [{ name: "priority", type: "u32", doc: "The serving thread's priority while it served the request." }],
      },
    ],
  },
];
