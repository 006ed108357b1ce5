// The protocol the clock driver serves on /dev/clock (README.md), declared
// as the protocols of ipc/table are (ipc/table/schema.ts). The manifest's
// `@protocol protocol.ts` has the ipc generator write its client bindings
// (generated/protocols/clock.ts) and its server side
// (generated/servers/clock.ts) into this folder (docs/ipc.md, "A
// component's own protocols"). The driver keeps no state of its clients:
// every request may be sent again.

import type { Protocol } from "../../ipc/table/schema";

export const protocols: Protocol[] = [
  {
    name: "clock", path: "/dev/clock",
    doc: "The wall-clock time, from the CMOS real-time clock (UTC on QEMU, which starts it at the host's UTC time).",
    messages: [
      {
        name: "time", operation: 1, idempotent: true,
        doc: "Reads the real-time clock: the time as seconds since 1970-01-01 00:00:00 and as its calendar fields, and clock.now at the reading, so that a client can count on from it without asking again.",
        request: [],
        reply: [
          { name: "seconds", type: "u64", doc: "Seconds since 1970-01-01 00:00:00 (the clock's time zone: UTC on QEMU)." },
          { name: "uptime", type: "u64", doc: "clock.now (nanoseconds since the kernel started) when the clock showed `seconds`." },
          { name: "year", type: "u32", doc: "The year, e.g. 2026." },
          { name: "month", type: "u32", doc: "1..12." },
          { name: "day", type: "u32", doc: "1..31." },
          { name: "hour", type: "u32", doc: "0..23." },
          { name: "minute", type: "u32", doc: "0..59." },
          { name: "second", type: "u32", doc: "0..59." },
        ],
      },
    ],
    errors: [
      { name: "UNREADABLE", code: 256, doc: "The clock showed no valid time in two consistent readings (a field out of range, or an update that never ended)." },
    ],
  },
];
