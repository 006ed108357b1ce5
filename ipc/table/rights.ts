// Kernel object types and the rights a handle to them can carry. A handle
// is a 32-bit number in its component's handle table (never 0); its entry
// holds the object and a set of rights. handle.duplicate and msg.grant can
// only drop rights, never add them.

import type { ObjectType, Right } from "./schema";

export const rights: Right[] = [
  { name: "DUPLICATE", bit: 0, doc: "handle.duplicate may copy the handle." },
  { name: "TRANSFER", bit: 1, doc: "The handle may be given to another component (msg.sendv, msg.grant)." },
  { name: "SEND", bit: 2, doc: "Messages and pulses may be sent through the connection." },
  { name: "RECEIVE", bit: 3, doc: "Messages may be received on the channel and replied to; the channel may be registered under a name." },
  { name: "CONNECT", bit: 4, doc: "connection.create may make connections to the channel." },
  { name: "MAP", bit: 5, doc: "The memory object may be mapped for reading." },
  { name: "WRITE", bit: 6, doc: "The memory object may be mapped writable." },
  { name: "CONTROL", bit: 7, doc: "The timer may be set; the interrupt may be unmasked." },
];

export const objectTypes: ObjectType[] = [
  { name: "channel", code: 1, doc: "The server side of message passing: a queue of senders and pulses that threads receive from.", initialRights: ["DUPLICATE", "TRANSFER", "RECEIVE", "CONNECT"] },
  { name: "connection", code: 2, doc: "The client side: sends messages and pulses to one channel.", initialRights: ["DUPLICATE", "TRANSFER", "SEND"] },
  { name: "memory", code: 3, doc: "Zeroed pages that can be mapped into linear memories, shared by handle; state objects are named ones.", initialRights: ["DUPLICATE", "TRANSFER", "MAP", "WRITE"] },
  { name: "timer", code: 4, doc: "Sends a pulse through a connection when it expires, once or periodically.", initialRights: ["DUPLICATE", "CONTROL"] },
  { name: "interrupt", code: 5, doc: "A device interrupt line delivered as a pulse; masked until unmasked after each delivery. TRANSFER lets the bus server that attached it hand it to the driver (msg.grant).", initialRights: ["TRANSFER", "CONTROL"] },
];
