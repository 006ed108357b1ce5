// The system calls: every service the kernel offers a component, as data.
// A component imports `delos.family_verb`; the kernel's loader resolves it
// to the generated dispatch function (kernel/generated/dispatch.ts), which
// checks every argument against the caller — handles in its handle table
// with the rights listed, pointers and lengths against its linear memory —
// before the kernel function named in `kernel` runs. A call without
// `kernel` is declared but not implemented yet: its dispatch returns
// NOT_SUPPORTED. docs/generated/system-calls.md is generated from this.

import type { Argument, SystemCall } from "./schema";

const timeout: Argument = { name: "timeout", kind: "value", type: "i64", doc: "Nanoseconds to wait at most: TIMEOUT_NONE does not wait, TIMEOUT_FOREVER waits for ever." };
const receiveId: Argument = { name: "receiveId", kind: "value", type: "u32", doc: "What msg.receive returned for the message." };
const path: Argument = { name: "path", kind: "string", maximum: 255, doc: "An absolute path: `/` followed by non-empty segments (`/test/echo`)." };
const IOVEC_MAXIMUM = 16;

export const calls: SystemCall[] = [
  // Handles.
  {
    name: "handle.close", doc: "Closes a handle. Closing the last handle of a channel makes pending and future sends to it fail with DEAD_SERVER; of a memory object, frees it once no mapping and no state name holds it.",
    arguments: [{ name: "handle", kind: "handle", object: "any", rights: [], doc: "The handle to close." }],
    result: { type: "i32", doc: "0." }, errors: [],
    kernel: "handleClose",
  },
  {
    name: "handle.duplicate", doc: "Makes a second handle to the same object with the same or fewer rights.",
    arguments: [
      { name: "handle", kind: "handle", object: "any", rights: ["DUPLICATE"], doc: "The handle to copy." },
      { name: "rights", kind: "value", type: "u32", doc: "Rights of the new handle (RIGHT_* bits); must be a subset of the handle's." },
    ],
    result: { type: "i32", doc: "The new handle." }, errors: ["ACCESS_DENIED", "NO_MEMORY", "QUOTA_EXCEEDED"],
    kernel: "handleDuplicate",
  },
  {
    name: "handle.info", doc: "Tells the type and rights of a handle's object.",
    arguments: [
      { name: "handle", kind: "handle", object: "any", rights: [], doc: "The handle." },
      { name: "info", kind: "record", record: "handleInfo", access: "write", doc: "Where to write the handleInfo." },
    ],
    result: { type: "i32", doc: "The object type (OBJECT_TYPE_*)." }, errors: [],
    kernel: "handleInfo",
  },

  // Channels and connections.
  {
    name: "channel.create", doc: "Creates a channel: the server side of message passing. Threads of the caller receive on it; connections send to it.",
    arguments: [{ name: "flags", kind: "value", type: "u32", doc: "0 (no flags are defined yet)." }],
    result: { type: "i32", doc: "The channel's handle, with RECEIVE, CONNECT, DUPLICATE and TRANSFER." }, errors: ["INVALID_ARGUMENT", "NO_MEMORY", "QUOTA_EXCEEDED"],
    kernel: "channelCreate",
  },
  {
    name: "connection.create", doc: "Creates a connection to a channel the caller holds: to send itself pulses (timers, interrupts) or to hand to another component.",
    arguments: [{ name: "channel", kind: "handle", object: "channel", rights: ["CONNECT"], doc: "The channel." }],
    result: { type: "i32", doc: "The connection's handle, with SEND, DUPLICATE and TRANSFER." }, errors: ["NO_MEMORY", "QUOTA_EXCEEDED"],
    kernel: "connectionCreate",
  },

  // The pathname space.
  {
    name: "name.register", doc: "Registers a channel under a path, so that name.open of the path connects to it. The name stays until name.unregister, the closing of the channel's last handle, or the caller's end; a client waiting in name.open for it is connected at once. With NAME_TAKE_OVER a new instance of a server takes the path over from the running one in one step, so that name.open never finds it missing during a replacement.",
    arguments: [
      path,
      { name: "channel", kind: "handle", object: "channel", rights: ["RECEIVE"], doc: "The channel to register." },
      { name: "flags", kind: "value", type: "u32", doc: "0, or NAME_TAKE_OVER: when the path is registered already, by a component the caller supervises or by one of the caller's identity (another instance its supervisor started under the same name), the name moves to this channel at once (the old channel keeps its connections and its waiting senders)." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["ALREADY_EXISTS", "INVALID_ARGUMENT", "NO_MEMORY"],
    capability: { kind: "serve", argument: "path", doc: "The caller's rights (its grant as far as its manifest asks) cover the path in their `serve` list." },
    kernel: "nameRegister",
  },
  {
    name: "name.unregister", doc: "Removes a name the caller registered. Connections made through it stay connected to the channel.",
    arguments: [path],
    result: { type: "i32", doc: "0." }, errors: ["NOT_FOUND", "ACCESS_DENIED"],
    kernel: "nameUnregister",
  },
  {
    name: "name.open", doc: "Resolves a path to a new connection to the channel registered under it, waiting up to `timeout` for it to be registered (a restarting server registers again).",
    arguments: [path, timeout],
    result: { type: "i32", doc: "The connection's handle, with SEND, DUPLICATE and TRANSFER." }, errors: ["NOT_FOUND", "TIMED_OUT", "INVALID_ARGUMENT", "NO_MEMORY", "QUOTA_EXCEEDED"],
    capability: { kind: "open", argument: "path", doc: "The caller's rights cover the path in their `open` list." },
    blocks: true,
    kernel: "nameOpen",
  },

  // Messages.
  {
    name: "msg.send", doc: "Sends a message and waits for the reply (QNX MsgSend): the message is copied from `send` straight into the receiving server's buffer, the reply straight into `reply`. The server runs at the caller's priority until it replies.",
    arguments: [
      { name: "connection", kind: "handle", object: "connection", rights: ["SEND"], doc: "The connection." },
      { name: "send", kind: "buffer", access: "read", doc: "The message." },
      { name: "reply", kind: "buffer", access: "write", doc: "Room for the reply; a longer reply is cut to it." },
    ],
    result: { type: "i32", doc: "The server's reply status: ≥ 0 on success, a negative error code of the server or of the kernel." },
    errors: ["DEAD_SERVER", "TIMED_OUT"], blocks: true,
    kernel: "msgSend",
    fastPath: "msgSendFast",
  },
  {
    name: "msg.sendv", doc: "msg.send with several send and reply buffers, and optionally a handle transferred to the receiver (it appears in its receiveInfo.handle).",
    arguments: [
      { name: "connection", kind: "handle", object: "connection", rights: ["SEND"], doc: "The connection." },
      { name: "send", kind: "iovec", access: "read", maximum: IOVEC_MAXIMUM, doc: "The message's buffers, sent one after another." },
      { name: "reply", kind: "iovec", access: "write", maximum: IOVEC_MAXIMUM, doc: "The reply's buffers, filled one after another." },
      { name: "handle", kind: "handle", object: "any", rights: ["TRANSFER"], optional: true, doc: "A handle to give the receiver a copy of (0: none); it keeps its rights." },
    ],
    result: { type: "i32", doc: "The server's reply status." },
    errors: ["DEAD_SERVER", "TIMED_OUT", "NO_MEMORY", "QUOTA_EXCEEDED"], blocks: true,
    kernel: "msgSendv",
  },
  {
    name: "msg.receive", doc: "Waits for a message or a pulse on a channel (QNX MsgReceive). A message is copied into `buffer` (cut to its length; msg.read reads the rest) and its sender waits for msg.reply; a pulse is written into `buffer` as a `pulse` record. Pulses are delivered before messages; messages in priority order, first come first served within a priority.",
    arguments: [
      { name: "channel", kind: "handle", object: "channel", rights: ["RECEIVE"], doc: "The channel." },
      { name: "buffer", kind: "buffer", access: "write", doc: "Room for the message (at least 16 bytes to take a pulse)." },
      { name: "info", kind: "record", record: "receiveInfo", access: "write", optional: true, doc: "Where to write the receiveInfo (0: not wanted)." },
    ],
    result: { type: "i32", doc: "The receive id of the message (> 0), or RECEIVE_ID_PULSE for a pulse." },
    errors: ["INVALID_ARGUMENT", "TIMED_OUT"], blocks: true,
    kernel: "msgReceive",
    fastPath: "msgReceiveFast",
  },
  {
    name: "msg.receivev", doc: "msg.receive into several buffers.",
    arguments: [
      { name: "channel", kind: "handle", object: "channel", rights: ["RECEIVE"], doc: "The channel." },
      { name: "buffers", kind: "iovec", access: "write", maximum: IOVEC_MAXIMUM, doc: "Room for the message, filled one after another." },
      { name: "info", kind: "record", record: "receiveInfo", access: "write", optional: true, doc: "Where to write the receiveInfo (0: not wanted)." },
    ],
    result: { type: "i32", doc: "The receive id, or RECEIVE_ID_PULSE." },
    errors: ["INVALID_ARGUMENT", "TIMED_OUT"], blocks: true,
    kernel: "msgReceivev",
  },
  {
    name: "msg.reply", doc: "Replies to a received message: copies `buffer` into the sender's reply buffer (cut to its room), makes its msg.send return `status`, and ends the priority the sender lent.",
    arguments: [
      receiveId,
      { name: "status", kind: "value", type: "i32", doc: "What the sender's msg.send returns: ≥ 0 for success, a negative error code otherwise (not ERROR_DEAD_SERVER)." },
      { name: "buffer", kind: "buffer", access: "read", doc: "The reply." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["NO_SENDER", "INVALID_ARGUMENT"],
    kernel: "msgReply",
    fastPath: "msgReplyFast",
  },
  {
    name: "msg.replyv", doc: "msg.reply from several buffers.",
    arguments: [
      receiveId,
      { name: "status", kind: "value", type: "i32", doc: "What the sender's msg.send returns." },
      { name: "buffers", kind: "iovec", access: "read", maximum: IOVEC_MAXIMUM, doc: "The reply's buffers, sent one after another." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["NO_SENDER", "INVALID_ARGUMENT"],
    kernel: "msgReplyv",
  },
  {
    name: "msg.reply_receive", doc: "msg.reply, then msg.receive on `channel`, in one call (seL4's ReplyRecv): a server's loop makes one system call per message. A reply that fails returns its error without receiving.",
    arguments: [
      receiveId,
      { name: "status", kind: "value", type: "i32", doc: "What the sender's msg.send returns (not ERROR_DEAD_SERVER)." },
      { name: "reply", kind: "buffer", access: "read", doc: "The reply." },
      { name: "channel", kind: "handle", object: "channel", rights: ["RECEIVE"], doc: "The channel to receive on next." },
      { name: "buffer", kind: "buffer", access: "write", doc: "Room for the next message (it may be the reply's buffer)." },
      { name: "info", kind: "record", record: "receiveInfo", access: "write", optional: true, doc: "Where to write the next message's receiveInfo (0: not wanted)." },
    ],
    result: { type: "i32", doc: "The next message's receive id, RECEIVE_ID_PULSE, or the reply's or the receive's error." },
    errors: ["NO_SENDER", "INVALID_ARGUMENT", "TIMED_OUT"], blocks: true,
    kernel: "msgReplyReceive",
    fastPath: "msgReplyReceiveFast",
  },
  {
    name: "msg.reply_wait", doc: "A server loop's one call per message, its common case made short: replies to `receiveId` (0: to none) with `status` and the first `replyLength` bytes of `buffer`, then waits on `channel` for the next message or pulse, received into the same `buffer`. Its result carries the next message's length, so that no receiveInfo is written; msg.info tells the rest of it when a server wants it. A reply that fails returns its error without receiving.",
    arguments: [
      receiveId,
      { name: "status", kind: "value", type: "i32", doc: "What the sender's msg.send returns (not ERROR_DEAD_SERVER); ignored when `receiveId` is 0." },
      { name: "replyLength", kind: "value", type: "u32", doc: "The reply's length: the first bytes of `buffer`, at most `bufferLength`." },
      { name: "channel", kind: "handle", object: "channel", rights: ["RECEIVE"], doc: "The channel to receive on next." },
      { name: "buffer", kind: "buffer", access: "write", doc: "The reply on the way in, room for the next message on the way out." },
    ],
    result: { type: "i64", doc: "Its low 32 bits, read as an i32, what msg.reply_receive returns: the next message's receive id, RECEIVE_ID_PULSE, or the reply's or the receive's error. For a message, the 31 bits from REPLY_WAIT_LENGTH_SHIFT on its length as sent (more than the buffer took when it was cut; a length of 2^31 or more reads as 2^31 - 1), and bit 63 set when a handle came with it (msg.info tells its number). For a pulse or an error the high bits carry nothing." },
    errors: ["NO_SENDER", "INVALID_ARGUMENT", "TIMED_OUT"], blocks: true,
    kernel: "msgReplyWait",
  },
  {
    name: "msg.serve_direct", doc: "Serves the calls on `channel` on their senders' threads (a direct call, as LRPC does): a msg.send on a connection to it copies the message into `buffer` and, on the sender's thread but as the caller's component (its identity, memory and lock), runs `handler(length, sender)`, which leaves the reply at the start of `buffer`. Its result ≥ 0 is the reply's length (msg.send returns 0 and gets those bytes, cut to its room); a negative error is the status msg.send returns; REPLY_LATER (or DEAD_SERVER) sends the request on to the channel's receivers as an ordinary message instead. A handler makes no system call: one is a fault of its component. A trap in it ends its component, and the sender's msg.send returns DEAD_SERVER. Only a message with no handle, no timeout and at most `buffer`'s length, sent while no other direct call runs in the component and no other thread of it holds its lock, is called directly; every other goes to the receivers. A handler of -1 (0xffffffff) stops direct calls on the channel. docs/ipc.md, \"Direct calls\".",
    arguments: [
      { name: "channel", kind: "handle", object: "channel", rights: ["RECEIVE"], doc: "The channel whose calls it serves." },
      { name: "handler", kind: "value", type: "u32", doc: "Index in the caller's table of a function `(i32, i32) -> i32` of its own (an AssemblyScript function reference's `.index`): called with the message's length and the sender's component id. -1 stops direct calls." },
      { name: "buffer", kind: "buffer", access: "write", doc: "Where each message is copied and the handler leaves its reply: at least 16 bytes." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT"],
    kernel: "msgServeDirect",
  },
  {
    name: "msg.info", doc: "Writes the receiveInfo of a received message that waits for its reply: what msg.receive writes when it is given a record (the sender, its priority now, the lengths, the handle that came with it).",
    arguments: [
      receiveId,
      { name: "info", kind: "record", record: "receiveInfo", access: "write", doc: "Where to write it." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["NO_SENDER"],
    kernel: "msgInfo",
  },
  {
    name: "msg.read", doc: "Reads more of a received message, from `offset` on (QNX MsgRead): for messages longer than the receive buffer.",
    arguments: [
      receiveId,
      { name: "offset", kind: "value", type: "u32", doc: "Where in the message to start." },
      { name: "buffer", kind: "buffer", access: "write", doc: "Where to copy to." },
    ],
    result: { type: "i32", doc: "Bytes copied (0 at or past the message's end)." }, errors: ["NO_SENDER"],
    kernel: "msgRead",
  },
  {
    name: "msg.grant", doc: "Gives the sender of a received message a copy of a handle, with the same or fewer rights, before replying (a server sharing a memory object with its client). The reply tells the client the number.",
    arguments: [
      receiveId,
      { name: "handle", kind: "handle", object: "any", rights: ["TRANSFER"], doc: "The handle to give." },
      { name: "rights", kind: "value", type: "u32", doc: "Rights of the sender's handle: a subset of the handle's." },
    ],
    result: { type: "i32", doc: "The handle's number in the sender's handle table." }, errors: ["NO_SENDER", "ACCESS_DENIED", "NO_MEMORY", "QUOTA_EXCEEDED"],
    kernel: "msgGrant",
  },

  // Pulses.
  {
    name: "msg.check_device", doc: "Tells whether the sender of a received message holds a device in its rights (a `device` entry its supervisor granted and its manifest asks for): how a bus server decides that a client is entitled to the device it asks for. Authority still comes only from the parent: the bus server hands out what the kernel confirms the client's supervisor granted.",
    arguments: [
      receiveId,
      { name: "device", kind: "string", maximum: 63, doc: "The device as a manifest names it: the bus and the bus's name of the device (`pci 1234:1111`: vendor and device in hexadecimal)." },
    ],
    result: { type: "i32", doc: "0: the sender holds it." }, errors: ["NO_SENDER", "ACCESS_DENIED"],
    kernel: "msgCheckDevice",
  },
  {
    name: "pulse.send", doc: "Queues a pulse — a code and a value — on the connection's channel without waiting. A receiver gets it before any message. A component may have at most its `pulses` limit of pulses queued and not yet received (QUOTA_EXCEEDED).",
    arguments: [
      { name: "connection", kind: "handle", object: "connection", rights: ["SEND"], doc: "The connection." },
      { name: "code", kind: "value", type: "i32", doc: "0..PULSE_CODE_MAXIMUM." },
      { name: "value", kind: "value", type: "i64", doc: "Anything." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT", "QUEUE_FULL", "DEAD_SERVER", "QUOTA_EXCEEDED"],
    kernel: "pulseSend",
  },

  // Memory objects and state objects.
  {
    name: "memory.create", doc: "Creates a memory object of zeroed pages. Its pages count against the caller's `objects` limit until they are freed (QUOTA_EXCEEDED past it).",
    arguments: [{ name: "size", kind: "value", type: "u32", doc: "Bytes, rounded up to whole pages; at most 1 GiB." }],
    result: { type: "i32", doc: "Its handle, with MAP, WRITE, DUPLICATE and TRANSFER." }, errors: ["INVALID_ARGUMENT", "TOO_LARGE", "NO_MEMORY", "QUOTA_EXCEEDED"],
    kernel: "memoryCreate",
  },
  {
    name: "memory.map", doc: "Maps a memory object, from its start, over a page-aligned range of the caller's linear memory (which must lie inside its current length). The pages there are set aside and come back at memory.unmap or when the caller ends.",
    arguments: [
      { name: "memory", kind: "handle", object: "memory", rights: ["MAP"], passEntry: true, doc: "The memory object (WRITE too for MAP_WRITABLE)." },
      { name: "address", kind: "value", type: "u32", doc: "Where in the caller's memory: a multiple of PAGE_SIZE." },
      { name: "length", kind: "value", type: "u32", doc: "Bytes: a multiple of PAGE_SIZE, at most the object's size." },
      { name: "flags", kind: "value", type: "u32", doc: "MAP_WRITABLE to map it writable (needs WRITE)." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT", "BAD_ADDRESS", "ACCESS_DENIED", "TOO_LARGE", "NOT_MAPPED", "NO_MEMORY"],
    kernel: "memoryMap",
  },
  {
    name: "memory.unmap", doc: "Undoes a memory.map: the range must be exactly one mapping. The caller's own pages come back.",
    arguments: [
      { name: "address", kind: "value", type: "u32", doc: "The mapping's start." },
      { name: "length", kind: "value", type: "u32", doc: "The mapping's length." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["NOT_MAPPED"],
    kernel: "memoryUnmap",
  },
  {
    name: "memory.device", doc: "Makes a memory object over device memory: the physical range [base, base + length) — a PCI BAR's registers or framebuffer, an ECAM page. Nothing is allocated or zeroed; memory.map maps it uncached. The whole range must lie in one of the caller's `mmio` ranges, and no page of it may be RAM of the firmware's memory map (ACCESS_DENIED). Once an object covers the boot framebuffer, the kernel draws there no more (a display driver owns it).",
    arguments: [
      { name: "base", kind: "value", type: "u64", doc: "The physical address: a multiple of PAGE_SIZE." },
      { name: "length", kind: "value", type: "u32", doc: "Bytes: a multiple of PAGE_SIZE, at most 1 GiB." },
    ],
    result: { type: "i32", doc: "Its handle, with MAP, WRITE, DUPLICATE and TRANSFER." }, errors: ["INVALID_ARGUMENT", "ACCESS_DENIED", "TOO_LARGE", "NO_MEMORY", "QUOTA_EXCEEDED"],
    capability: { kind: "mmio", argument: "base", doc: "The caller's rights hold the whole range in one of their `mmio` ranges (the kernel function checks the end too)." },
    kernel: "memoryDevice",
  },
  {
    name: "memory.dma", doc: "Creates a memory object of zeroed, physically contiguous pages for a device to read and write by DMA; memory.physical tells where it is. Its pages count against the caller's `objects` limit. Without an IOMMU a device writes wherever its driver points it, so the `dma` capability trusts the driver with all memory (docs/kernel.md, \"Memory for DMA\").",
    arguments: [{ name: "size", kind: "value", type: "u32", doc: "Bytes, rounded up to whole pages; at most DMA_MAXIMUM." }],
    result: { type: "i32", doc: "Its handle, with MAP, WRITE, DUPLICATE and TRANSFER." }, errors: ["INVALID_ARGUMENT", "TOO_LARGE", "NO_MEMORY", "QUOTA_EXCEEDED"],
    capability: { kind: "dma", doc: "The caller's rights hold `dma`." },
    kernel: "memoryDma",
  },
  {
    name: "memory.physical", doc: "The physical address of a byte of a memory object made by memory.dma, for the device's descriptors. Other memory objects are INVALID_ARGUMENT.",
    arguments: [
      { name: "memory", kind: "handle", object: "memory", rights: ["MAP"], doc: "The DMA memory object." },
      { name: "offset", kind: "value", type: "u32", doc: "A byte offset inside it." },
    ],
    result: { type: "i64", doc: "The physical address." }, errors: ["INVALID_ARGUMENT"],
    capability: { kind: "dma", doc: "The caller's rights hold `dma`." },
    kernel: "memoryPhysical",
  },
  {
    name: "state.open", doc: "Opens the caller's state object of this name, creating it zeroed when it does not exist. State objects belong to the component's identity (the name its supervisor gave it, under the supervisor's own identity), not to the instance: the next instance of a restarted server opens the same pages, and no component of another identity can. A new object's pages count against the caller's `objects` limit.",
    arguments: [
      { name: "name", kind: "string", maximum: 63, doc: "The state object's name (the caller's rights name it in their `state` list)." },
      { name: "size", kind: "value", type: "u32", doc: "Bytes when it is created (rounded up to pages); ignored when it exists." },
    ],
    result: { type: "i32", doc: "A memory object handle, with MAP, WRITE, DUPLICATE and TRANSFER." }, errors: ["INVALID_ARGUMENT", "TOO_LARGE", "NO_MEMORY", "QUOTA_EXCEEDED"],
    capability: { kind: "state", argument: "name", doc: "The caller's rights name it in their `state` list." },
    kernel: "stateOpen",
  },
  {
    name: "state.delete", doc: "Drops the caller's state object of this name; its pages are freed once no handle and no mapping holds them.",
    arguments: [{ name: "name", kind: "string", maximum: 63, doc: "The state object's name." }],
    result: { type: "i32", doc: "0." }, errors: ["NOT_FOUND"],
    capability: { kind: "state", argument: "name", doc: "The caller's rights name it in their `state` list." },
    kernel: "stateDelete",
  },

  // Timers and interrupts: pulses from the kernel.
  {
    name: "timer.create", doc: "Creates a timer that sends a pulse through a connection when it expires.",
    arguments: [
      { name: "connection", kind: "handle", object: "connection", rights: ["SEND"], doc: "Where the pulse goes." },
      { name: "code", kind: "value", type: "i32", doc: "The pulse's code (0..PULSE_CODE_MAXIMUM)." },
      { name: "value", kind: "value", type: "i64", doc: "The pulse's value." },
    ],
    result: { type: "i32", doc: "The timer's handle, with CONTROL and DUPLICATE." }, errors: ["INVALID_ARGUMENT", "NO_MEMORY", "QUOTA_EXCEEDED"],
    kernel: "timerCreate",
  },
  {
    name: "timer.set", doc: "Arms a timer: first pulse after `delay`, then every `interval` (0: once). A delay of 0 disarms it; an interval under 1 ms (the tick delivers them at most every 10 ms) is INVALID_ARGUMENT.",
    arguments: [
      { name: "timer", kind: "handle", object: "timer", rights: ["CONTROL"], doc: "The timer." },
      { name: "delay", kind: "value", type: "i64", doc: "Nanoseconds to the first pulse." },
      { name: "interval", kind: "value", type: "i64", doc: "Nanoseconds between later pulses; 0 for one pulse." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT"],
    kernel: "timerSet",
  },
  {
    name: "interrupt.attach", doc: "Delivers a device interrupt line as pulses through a connection, from component 0; the pulse's value is the number of interrupts it tells of (1, more when some could not be told at once). After each pulse no other comes until interrupt.unmask. Closing the handle (or the caller's end) masks the line and frees it for the next attach.",
    arguments: [
      { name: "line", kind: "value", type: "u32", doc: "The interrupt line: an ISA IRQ 0..15 (through the MADT's overrides), or a GSI from 16 (level-triggered, active low)." },
      { name: "connection", kind: "handle", object: "connection", rights: ["SEND"], doc: "Where the pulses go." },
      { name: "code", kind: "value", type: "i32", doc: "The pulse's code (0..PULSE_CODE_MAXIMUM)." },
    ],
    result: { type: "i32", doc: "The interrupt's handle, with CONTROL." }, errors: ["INVALID_ARGUMENT", "ALREADY_EXISTS", "NO_MEMORY", "QUOTA_EXCEEDED"],
    capability: { kind: "irq", argument: "line", doc: "The caller's rights hold the line in their `irq` list." },
    kernel: "interruptAttach",
  },
  {
    name: "interrupt.unmask", doc: "Opens an attached line again once the driver has serviced its device after a pulse; interrupts that came meanwhile are told at once by the next pulse. Unmasking an open line does nothing.",
    arguments: [{ name: "interrupt", kind: "handle", object: "interrupt", rights: ["CONTROL"], doc: "The interrupt." }],
    result: { type: "i32", doc: "0." }, errors: [],
    kernel: "interruptUnmask",
  },
  {
    name: "firmware.table", doc: "Copies an ACPI table of the firmware, header included, into `buffer` (cut to its length): a bus server reads the MCFG for PCI's ECAM this way. Only tables the kernel found sound (signature, length, checksum) through the XSDT or RSDT.",
    arguments: [
      { name: "signature", kind: "string", maximum: 4, doc: "The table's four-character signature (`MCFG`)." },
      { name: "buffer", kind: "buffer", access: "write", doc: "Where to copy it." },
    ],
    result: { type: "i32", doc: "The table's whole length in bytes (more than the buffer when it was cut)." }, errors: ["NOT_FOUND", "INVALID_ARGUMENT"],
    capability: { kind: "firmware", argument: "signature", doc: "The caller's rights name the signature in their `firmware` list." },
    kernel: "firmwareTable",
  },
  {
    name: "port.read", doc: "Reads an I/O port.",
    arguments: [
      { name: "port", kind: "value", type: "u32", doc: "The port." },
      { name: "width", kind: "value", type: "u32", doc: "1, 2 or 4 bytes." },
    ],
    result: { type: "i64", doc: "The value read, zero-extended." }, errors: ["INVALID_ARGUMENT"],
    capability: { kind: "port", argument: "port", doc: "The caller's rights hold the port in their `port` ranges." },
    kernel: "portRead",
  },
  {
    name: "port.write", doc: "Writes an I/O port.",
    arguments: [
      { name: "port", kind: "value", type: "u32", doc: "The port." },
      { name: "width", kind: "value", type: "u32", doc: "1, 2 or 4 bytes." },
      { name: "value", kind: "value", type: "u32", doc: "The value; only the low `width` bytes are written." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT"],
    capability: { kind: "port", argument: "port", doc: "The caller's rights hold the port in their `port` ranges." },
    kernel: "portWrite",
  },
  {
    name: "port.take", doc: "Reads an I/O port and writes the value with the caller's tag into a portTaken record in the caller's memory, in one call: a component ended at any instruction has either left the port unread or has the value and the tag in its memory. A driver whose device forgets a value once it is read (a keyboard controller's data port) keeps it so in a state object; the tag tells the next instance which reads happened (drivers/keyboard/README.md). The record is checked writable before the port is read, so a refused call has read nothing.",
    arguments: [
      { name: "port", kind: "value", type: "u32", doc: "The port." },
      { name: "width", kind: "value", type: "u32", doc: "1, 2 or 4 bytes." },
      { name: "tag", kind: "value", type: "u32", doc: "Written beside the value: what says, to whoever reads the record later, that this read happened." },
      { name: "taken", kind: "record", record: "portTaken", access: "write", doc: "Where to write the value and the tag." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT", "BAD_ADDRESS"],
    capability: { kind: "port", argument: "port", doc: "The caller's rights hold the port in their `port` ranges." },
    kernel: "portTake",
  },

  // Threads.
  {
    name: "thread.create", doc: "Starts a thread of the caller's component running `entry(argument)`. It holds the component lock while it runs wasm code, like every thread of the component, and has a slot of the component's shadow stack, if it has one: NO_MEMORY when none is free (docs/kernel.md). A priority above the component's ceiling is ACCESS_DENIED; more threads alive than its `threads` limit, QUOTA_EXCEEDED.",
    arguments: [
      { name: "entry", kind: "value", type: "u32", doc: "Index in the caller's table of a function `(i32) -> ()` (an AssemblyScript function reference's `.index`)." },
      { name: "argument", kind: "value", type: "u32", doc: "Its argument." },
      { name: "priority", kind: "value", type: "i32", doc: "PRIORITY_LOWEST..PRIORITY_HIGHEST." },
    ],
    result: { type: "i32", doc: "The thread's id." }, errors: ["INVALID_ARGUMENT", "ACCESS_DENIED", "QUOTA_EXCEEDED", "NO_MEMORY"],
    kernel: "threadCreate",
  },
  {
    name: "thread.exit", doc: "Ends the calling thread. The component ends with its last thread.",
    arguments: [],
    result: { type: "none", doc: "Never returns.", noReturn: true }, errors: [],
    kernel: "threadExit",
  },
  {
    name: "thread.sleep", doc: "Waits at least `duration`.",
    arguments: [{ name: "duration", kind: "value", type: "i64", doc: "Nanoseconds." }],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT"], blocks: true,
    kernel: "threadSleep",
  },
  {
    name: "thread.yield", doc: "Lets other ready threads of the same priority run.",
    arguments: [],
    result: { type: "i32", doc: "0." }, errors: [],
    kernel: "threadYield",
    fastPath: "threadYieldFast",
  },
  {
    name: "thread.self", doc: "The calling thread's id.",
    arguments: [],
    result: { type: "i32", doc: "The id." }, errors: [],
    kernel: "threadSelf",
  },
  {
    name: "thread.timeout", doc: "Arms a timeout for the calling thread's next message call — msg.send, msg.sendv, msg.receive or msg.receivev — as QNX's TimerTimeout: that call fails with TIMED_OUT when it is still blocked in one of `states` once `timeout` has passed since it began. The next message call takes the timeout whether it blocks or not. A send that times out before it was received leaves the channel's senders and its transferred handle is dropped; one that times out while waiting for the reply leaves the server, whose msg.reply, msg.read and msg.grant for it then get NO_SENDER. The priority it lent is returned at once.",
    arguments: [
      { name: "states", kind: "value", type: "u32", doc: "TIMEOUT_SEND, TIMEOUT_REPLY, TIMEOUT_RECEIVE: the blocked states the timeout covers; 0 disarms a timeout not yet taken." },
      { name: "timeout", kind: "value", type: "i64", doc: "Nanoseconds from the start of the call, ≥ 0; TIMEOUT_NONE fails at once where the call would block in those states." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT"],
    kernel: "threadTimeout",
  },
  {
    name: "thread.priority", doc: "The priority the calling thread runs at now: its own, or the higher one lent by the client whose message it is serving.",
    arguments: [],
    result: { type: "i32", doc: "The priority." }, errors: [],
    kernel: "threadPriority",
  },
  {
    name: "thread.set_priority", doc: "Sets the calling thread's own priority, up to its component's ceiling (set by its parent at spawn).",
    arguments: [{ name: "priority", kind: "value", type: "i32", doc: "PRIORITY_LOWEST..PRIORITY_HIGHEST." }],
    result: { type: "i32", doc: "The previous own priority." }, errors: ["INVALID_ARGUMENT", "ACCESS_DENIED"],
    kernel: "threadSetPriority",
  },

  // Time.
  {
    name: "clock.now", doc: "Nanoseconds since the kernel started.",
    arguments: [],
    result: { type: "i64", doc: "Nanoseconds." }, errors: [],
    kernel: "clockNow",
  },
  {
    name: "clock.cycles", doc: "The processor's time-stamp counter (benchmarks).",
    arguments: [],
    result: { type: "i64", doc: "TSC cycles." }, errors: [],
    kernel: "clockCycles",
  },

  // Components.
  {
    name: "component.spawn", doc: "Loads and starts a component from a wasm file of the boot payload with the authority the caller grants it: its name, kind, capabilities and limits come from `grant`, within the caller's own rights, and its own manifest can only ask for less (docs/kernel.md, \"Manifests and capabilities\"). The caller becomes its supervisor and is told of its end by a PULSE_CODE_COMPONENT_ENDED pulse through `supervisor`.",
    arguments: [
      { name: "path", kind: "string", maximum: 255, doc: "The wasm file's path in the payload (`test/echo.wasm`)." },
      { name: "supervisor", kind: "handle", object: "connection", rights: ["SEND"], optional: true, doc: "Where the end pulse goes (0: nowhere)." },
      { name: "grant", kind: "buffer", access: "read", maximum: 4096, doc: "Manifest text (UTF-8, one entry a line): `name`, `kind`, `priority`, the capabilities (`serve`, `open`, `state`, `spawn`, `port`, `irq`, `mmio`) and the limits (`ceiling`, `threads`, `pages`, `table`, `handles`, `pulses`, `objects`) the component gets; each within the caller's own (ACCESS_DENIED otherwise). Empty: no capabilities, the default limits (no higher than the caller's), the manifest's name and kind." },
    ],
    result: { type: "i32", doc: "The new component's id." }, errors: ["NOT_FOUND", "INVALID_ARGUMENT", "ACCESS_DENIED", "QUOTA_EXCEEDED", "NO_MEMORY"],
    capability: { kind: "spawn", argument: "path", doc: "The caller's rights name the file in their `spawn` list." },
    kernel: "componentSpawn",
  },
  {
    name: "component.kill", doc: "Ends a component the caller supervises, as if it had faulted: its threads, handles and memory are reclaimed, its clients' sends fail with DEAD_SERVER.",
    arguments: [{ name: "component", kind: "value", type: "u32", doc: "Its id." }],
    result: { type: "i32", doc: "0." }, errors: ["NOT_FOUND", "ACCESS_DENIED"],
    kernel: "componentKill",
  },
  {
    name: "component.status", doc: "Tells a supervisor how a component it started is, or how it ended.",
    arguments: [
      { name: "component", kind: "value", type: "u32", doc: "Its id." },
      { name: "status", kind: "record", record: "componentStatus", access: "write", doc: "Where to write the componentStatus." },
    ],
    result: { type: "i32", doc: "Its state (COMPONENT_STATE_*)." }, errors: ["NOT_FOUND", "ACCESS_DENIED"],
    kernel: "componentStatus",
  },
  {
    name: "component.self", doc: "The calling component's id.",
    arguments: [],
    result: { type: "i32", doc: "The id." }, errors: [],
    kernel: "componentSelf",
  },
  {
    name: "component.exit", doc: "Ends the calling component with all its threads; its supervisor sees COMPONENT_STATE_EXITED.",
    arguments: [{ name: "status", kind: "value", type: "i32", doc: "An exit status for the supervisor." }],
    result: { type: "none", doc: "Never returns.", noReturn: true }, errors: [],
    kernel: "componentExit",
  },

  // Files of the boot payload.
  {
    name: "payload.read", doc: "Copies part of a file of the boot payload into the caller's memory: fonts, icons and other data a component reads without a file system. Returns the file's size, so that a call with an empty buffer asks for it.",
    arguments: [
      { name: "path", kind: "string", maximum: 255, doc: "The file's path in the payload (`fonts/sans-13.atlas`)." },
      { name: "offset", kind: "value", type: "u32", doc: "Where in the file to start; at most its size." },
      { name: "buffer", kind: "buffer", access: "write", doc: "Where to copy to: min(its length, size - offset) bytes are copied." },
    ],
    result: { type: "i32", doc: "The file's size in bytes." }, errors: ["NOT_FOUND", "INVALID_ARGUMENT", "TOO_LARGE"],
    capability: { kind: "read", argument: "path", doc: "The caller's rights name the file in their `read` list." },
    kernel: "payloadRead",
  },

  // The console.
  {
    name: "log.write", doc: "Writes a line to the kernel console (COM1), prefixed with the component's name.",
    arguments: [{ name: "text", kind: "buffer", access: "read", maximum: 4096, doc: "UTF-8 text." }],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT"],
    kernel: "logWrite",
  },

  // What the system is running: for the shell and the system monitor (the `system` capability).
  {
    name: "system.info", doc: "Tells how the whole system is doing: uptime, clock ticks and those the processor idled, physical memory, running components and threads.",
    arguments: [{ name: "info", kind: "record", record: "systemInfo", access: "write", doc: "Where to write the systemInfo." }],
    result: { type: "i32", doc: "0." }, errors: [],
    capability: { kind: "system", doc: "The caller's rights hold `system`." },
    kernel: "systemInfo",
  },
  {
    name: "system.components", doc: "Lists the running components, in the order they started: one componentInfo record each, as many as `buffer` holds.",
    arguments: [{ name: "buffer", kind: "buffer", access: "write", doc: "Room for componentInfo records (COMPONENT_INFO_SIZE bytes each)." }],
    result: { type: "i32", doc: "How many components run (more than were written when `buffer` is too small)." }, errors: [],
    capability: { kind: "system", doc: "The caller's rights hold `system`." },
    kernel: "systemComponents",
  },
  {
    name: "system.list", doc: "Lists names as text, one a line: the paths registered in the pathname space (SYSTEM_LIST_NAMES), or the boot payload's files, each as its path, a space and its size in bytes (SYSTEM_LIST_FILES).",
    arguments: [
      { name: "what", kind: "value", type: "u32", doc: "SYSTEM_LIST_NAMES or SYSTEM_LIST_FILES." },
      { name: "buffer", kind: "buffer", access: "write", doc: "Room for the text; a longer list is cut at a line's end." },
    ],
    result: { type: "i32", doc: "The whole list's length in bytes (more than was written when `buffer` is too small)." }, errors: ["INVALID_ARGUMENT"],
    capability: { kind: "system", doc: "The caller's rights hold `system`." },
    kernel: "systemList",
  },

  // Devices.
  {
    name: "msg.bus_master", doc: "Turns bus mastering on for the sender of a received message, on the PCI function whose configuration page (ECAM) is at `config`, and records the sender as its driver: when that component ends, the kernel turns bus mastering off again before any of its memory goes back, unless another running component claimed the same function or the driver's memory is kept for its identity (state.dma, docs/kernel.md). How a bus server lets a driver's device do DMA without leaving it writing into freed memory after the driver's end. The sender's rights must hold `dma`.",
    arguments: [
      receiveId,
      { name: "config", kind: "value", type: "u64", doc: "The physical address of the function's configuration page: a multiple of PAGE_SIZE." },
    ],
    result: { type: "i32", doc: "0." }, errors: ["INVALID_ARGUMENT", "ACCESS_DENIED", "NO_SENDER", "QUOTA_EXCEEDED"],
    capability: { kind: "mmio", argument: "config", doc: "The caller's rights hold the page in one of their `mmio` ranges." },
    kernel: "msgBusMaster",
  },
  {
    name: "state.dma", doc: "Opens the caller's DMA state object of this name, creating it zeroed when it does not exist: physically contiguous pages, as memory.dma makes, held for the caller's identity as state.open's are, so that a device may go on writing into them between two instances of its driver. While one is held, the end of an instance that made no other DMA memory leaves its device's bus mastering on (msg.bus_master); state.delete turns it off before the pages can be freed. A name state.open made is INVALID_ARGUMENT.",
    arguments: [
      { name: "name", kind: "string", maximum: 63, doc: "The state object's name (the caller's rights name it in their `state` list)." },
      { name: "size", kind: "value", type: "u32", doc: "Bytes when it is created (rounded up to pages; at most DMA_MAXIMUM); ignored when it exists." },
    ],
    result: { type: "i32", doc: "A memory object handle, with MAP, WRITE, DUPLICATE and TRANSFER; memory.physical tells where it lies." }, errors: ["INVALID_ARGUMENT", "ACCESS_DENIED", "TOO_LARGE", "NO_MEMORY", "QUOTA_EXCEEDED"],
    capability: { kind: "state", argument: "name", doc: "The caller's rights name it in their `state` list, and hold `dma` (else ACCESS_DENIED)." },
    kernel: "stateDma",
  },
];
