// The protocol of init, the supervisor (servers/init): what a component
// may ask of it about the components of its list. Every request is
// idempotent, as the state spill-free contract asks: a request that names
// an instance (`restart`, `replace`) does nothing when that instance is no
// longer the running one, so re-sending it after init restarted — or after
// the reply was lost — cannot end a second instance.

import type { Protocol } from "../schema";

export const initProtocols: Protocol[] = [
  {
    name: "init", path: "/init",
    doc: "Start, stop, restart or replace a component of init's list, and ask how it is doing. Components are named by their name in the list, which init grants them (their identity is init/NAME).",
    messages: [
      {
        name: "start", operation: 1, idempotent: true,
        doc: "Starts the named component unless it is running; from then on init restarts it whenever it ends other than by `stop`.",
        request: [{ name: "name", type: "bytes", doc: "The component's name in init's list." }],
        reply: [{ name: "component", type: "u32", doc: "The id of its running instance." }],
      },
      {
        name: "stop", operation: 2, idempotent: true,
        doc: "Ends the named component, if it runs, and does not restart it.",
        request: [{ name: "name", type: "bytes", doc: "The component's name in init's list." }],
        reply: [],
      },
      {
        name: "restart", operation: 3, idempotent: true,
        doc: "Kills instance `component` as a fault would (its clients' pending sends fail with DEAD_SERVER) and starts a new instance at once. Nothing happens when `component` is not the running instance of a component of the list.",
        request: [{ name: "component", type: "u32", doc: "The instance to end." }],
        reply: [{ name: "component", type: "u32", doc: "The id of the instance running now." }],
      },
      {
        name: "replace", operation: 4, idempotent: true,
        doc: "Replaces instance `component` by a new version loaded from `path`: starts the new one, waits until it has taken over the names the old one served (name.register with NAME_TAKE_OVER; up to 5 s), then retires the old one, so that name.open finds one instance or the other throughout. Later restarts load the new version. Nothing happens when `component` is not the running instance of a component of the list.",
        request: [
          { name: "component", type: "u32", doc: "The instance to replace." },
          { name: "path", type: "bytes", doc: "The new version's wasm file in the boot payload." },
        ],
        reply: [{ name: "component", type: "u32", doc: "The id of the instance running now." }],
      },
      {
        name: "status", operation: 5, idempotent: true,
        doc: "How the named component is doing.",
        request: [{ name: "name", type: "bytes", doc: "The component's name in init's list." }],
        reply: [
          { name: "component", type: "u32", doc: "The id of its running instance, 0 when none runs." },
          { name: "starts", type: "u32", doc: "How many instances init started so far." },
          { name: "trap", type: "u32", doc: "The trap kind that ended the last instance that ended, 0 when none trapped." },
          { name: "functionIndex", type: "u32", doc: "The wasm function of that trap." },
          { name: "wasmOffset", type: "u32", doc: "The wasm byte offset of that trap." },
        ],
      },
      {
        name: "standby", operation: 6, idempotent: true,
        doc: "Sent by an instance of a component of the list when it is ready to take its state over and serve. The running instance gets the reply at once, and from then on init keeps a warm spare of the component: another instance, started in the background, whose standby request init answers only when the running instance ends, so that a restart costs the spare's take-over rather than a load and a start. A component init did not start gets the reply at once.",
        request: [],
        reply: [],
      },
    ],
    errors: [
      { name: "UNKNOWN_COMPONENT", code: 256, doc: "No component of init's list has this name." },
      { name: "START_FAILED", code: 257, doc: "The component could not be loaded or started (init's log line says why)." },
    ],
  },
];
