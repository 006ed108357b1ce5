// The protocol the pointer driver serves on /dev/tablet (README.md),
// declared as the protocols of ipc/table are (ipc/table/schema.ts). The
// manifest's `@protocol protocol.ts` has the ipc generator write its client
// bindings (generated/protocols/tablet.ts) and its server side
// (generated/servers/tablet.ts) into this folder (docs/ipc.md, "A
// component's own protocols"). Its answer comes from the state object, so
// every request may be sent again, to any instance.

import type { Protocol } from "../../ipc/table/schema";

export const protocols: Protocol[] = [
  {
    name: "tablet", path: "/dev/tablet",
    doc: "The pointer driver's own state, for whoever watches it (the desktop bench times its restart by the first answer of a new instance, tests/os/desktop-bench): its instances and what it took from the device.",
    messages: [
      {
        name: "status", operation: 1, idempotent: true,
        doc: "The driver's counts, from its state object.",
        request: [],
        reply: [
          { name: "instance", type: "u32", doc: "This instance's component id." },
          { name: "starts", type: "u32", doc: "Instances of the driver that have started on this state object, this one included." },
          { name: "adoptions", type: "u32", doc: "Of those, the instances that adopted the device's event queue as their predecessor left it." },
          { name: "events", type: "u32", doc: "Device events (evdev reports' entries) consumed from the event queue, by every instance." },
        ],
      },
    ],
    errors: [],
  },
];
