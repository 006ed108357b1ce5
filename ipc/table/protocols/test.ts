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
        handle: { name: "memory", doc: "The memory object, with MAP and WRITE rights; at most 64 KiB." },
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
      {
        name: "hold", operation: 2, idempotent: true,
        doc: "Holds the request — tells the runner by a pulse, then goes on receiving — until a release pulse arrives on the server's channel; then replies with thread.priority() as seen at that moment (tests/os/lib/runner-path.ts has the pulse codes).",
        request: [],
        reply: [{ name: "priority", type: "u32", doc: "The serving thread's priority when it let the request go." }],
      },
    ],
  },
  {
    name: "test.relay", path: "/test/relay",
    doc: "A second low-priority server in front of test.priority, for priority along chains of servers: it serves each request by a request of its own to test.priority.",
    messages: [
      {
        name: "forward", operation: 1, idempotent: true,
        doc: "Sends test.priority the operation given and replies with what it answered and the relay's own priority once it had the answer.",
        request: [{ name: "forwarded", type: "u32", doc: "The test.priority operation to send: probe or hold." }],
        reply: [
          { name: "relayPriority", type: "u32", doc: "The relay's thread priority after test.priority answered (while it still served the request)." },
          { name: "serverPriority", type: "u32", doc: "The priority test.priority reported." },
        ],
      },
    ],
  },
  {
    name: "test.rtc", path: "/test/rtc",
    doc: "A driver of the CMOS clock's periodic interrupt (ISA line 8, ports 0x70-0x71), for the interrupt test: the line arrives as pulses, the driver acknowledges the clock (register C) and unmasks.",
    messages: [
      {
        name: "attach", operation: 1, idempotent: true,
        doc: "Attaches line 8 (once; later requests answer with the same handle) with the clock's interrupt off. The reply status is interrupt.attach's error when it failed.",
        request: [],
        reply: [{ name: "handle", type: "u32", doc: "The driver's interrupt handle." }],
      },
      {
        name: "count", operation: 2, idempotent: true,
        doc: "Runs the periodic interrupt at a rate and services `pulses` pulses (register C read, then interrupt.unmask), timed from the first to the last; the interrupt is off again afterwards.",
        request: [
          { name: "rate", type: "u32", doc: "Register A's rate select, 3..15: 32768 >> (rate - 1) Hz." },
          { name: "pulses", type: "u32", doc: "How many pulses to service." },
        ],
        reply: [
          { name: "pulses", type: "u32", doc: "Pulses serviced (fewer when they took more than 10 s)." },
          { name: "told", type: "u32", doc: "The sum of their values: interrupts the kernel took." },
          { name: "flagged", type: "u32", doc: "Pulses after which register C had the periodic flag set." },
          { name: "nanoseconds", type: "u64", doc: "clock.now from the first pulse to the last." },
          { name: "cycles", type: "u64", doc: "clock.cycles over the same pulses." },
        ],
      },
      {
        name: "hold", operation: 3, idempotent: true,
        doc: "Runs the periodic interrupt at a rate; after the first pulse, acknowledges the clock but does not unmask for `milliseconds`; then unmasks and waits for the next pulse.",
        request: [
          { name: "rate", type: "u32", doc: "Register A's rate select, 3..15." },
          { name: "milliseconds", type: "u32", doc: "How long to hold the line masked." },
        ],
        reply: [
          { name: "during", type: "u32", doc: "Pulses that arrived while the line was held (none should)." },
          { name: "told", type: "u32", doc: "The value of the pulse after the unmask: interrupts taken while held." },
          { name: "nanoseconds", type: "u64", doc: "clock.now from the unmask to that pulse." },
        ],
      },
      {
        name: "start", operation: 4, idempotent: true,
        doc: "Starts the periodic interrupt and leaves it running without servicing it (the line stays held after its first pulse): the state a driver may die in.",
        request: [{ name: "rate", type: "u32", doc: "Register A's rate select, 3..15." }],
        reply: [],
      },
      {
        name: "flood", operation: 5, idempotent: true,
        doc: "Fills the driver's events queue with pulses of its own until it is full, runs the periodic interrupt for 50 ms (its pulse finds the queue full), then takes every pulse and waits for the interrupt's.",
        request: [{ name: "rate", type: "u32", doc: "Register A's rate select, 3..15." }],
        reply: [
          { name: "fillers", type: "u32", doc: "Pulses the queue took before QUEUE_FULL." },
          { name: "told", type: "u32", doc: "The value of the interrupt's pulse when it came." },
          { name: "after", type: "u32", doc: "How many of the driver's own pulses it received before the interrupt's." },
        ],
      },
    ],
    errors: [
      { name: "NOT_ATTACHED", code: 256, doc: "The driver has not attached its line." },
      { name: "NO_PULSE", code: 257, doc: "No interrupt pulse came within the time allowed." },
    ],
  },
];
