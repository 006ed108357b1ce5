// Fixed-layout records that system calls read or write in the caller's
// memory, and the named constants of the system-call ABI. Fields are
// little-endian at naturally aligned offsets in the order given; the
// generator computes offsets and sizes (docs/generated/system-calls.md).

import type { Constant, Record } from "./schema";

export const records: Record[] = [
  {
    name: "iovec", doc: "One buffer of a vectored message: msg.sendv, msg.receivev, msg.replyv.",
    fields: [
      { name: "address", type: "u32", doc: "Pointer into the caller's memory." },
      { name: "length", type: "u32", doc: "Bytes." },
    ],
  },
  {
    name: "receiveInfo", doc: "What msg.receive tells the server about a message (for a pulse, only `component` is set).",
    fields: [
      { name: "component", type: "u32", doc: "Id of the sender's component." },
      { name: "thread", type: "u32", doc: "Id of the sending thread (0 for a pulse)." },
      { name: "priority", type: "u32", doc: "The sender's priority, which the receiving thread now runs at." },
      { name: "sendLength", type: "u32", doc: "Bytes the sender sent (may exceed what was copied: msg.read reads the rest)." },
      { name: "replyLength", type: "u32", doc: "Bytes the sender's reply buffers hold." },
      { name: "handle", type: "u32", doc: "A handle the sender transferred with msg.sendv, now the receiver's (0: none)." },
    ],
  },
  {
    name: "pulse", doc: "A pulse as msg.receive writes it into the receive buffer (it returns 0 for a pulse).",
    fields: [
      { name: "code", type: "i32", doc: "What happened: the sender's code (0..127), or a kernel code (PULSE_CODE_*, negative)." },
      { name: "component", type: "u32", doc: "Id of the component that sent it (0: the kernel)." },
      { name: "value", type: "i64", doc: "The sender's value; for PULSE_CODE_COMPONENT_ENDED, the component's id." },
    ],
  },
  {
    name: "handleInfo", doc: "What handle.info tells about a handle.",
    fields: [
      { name: "objectType", type: "u32", doc: "The object type (OBJECT_TYPE_*)." },
      { name: "rights", type: "u32", doc: "The handle's rights (RIGHT_*)." },
      { name: "bytes", type: "u64", doc: "A memory object's size in bytes; 0 for other objects." },
    ],
  },
  {
    name: "componentStatus", doc: "What component.status tells a supervisor about a component it started.",
    fields: [
      { name: "state", type: "u32", doc: "COMPONENT_STATE_*." },
      { name: "trap", type: "u32", doc: "The trap kind that ended it (docs/compiler-abi.md, Traps), 0 when it did not trap." },
      { name: "functionIndex", type: "u32", doc: "The wasm function index of the trap site." },
      { name: "wasmOffset", type: "u32", doc: "The wasm byte offset of the trap site in the module." },
      { name: "threads", type: "u32", doc: "Threads still alive." },
      { name: "pages", type: "u32", doc: "Pages of linear memory." },
      { name: "exitStatus", type: "i32", doc: "component.exit's status when it exited (COMPONENT_STATE_EXITED), else 0." },
      { name: "names", type: "u32", doc: "Paths of the pathname space it holds now (a supervisor replacing it waits for the new instance to take them over)." },
    ],
  },
  {
    name: "portTaken", doc: "What port.take writes: the value read and the caller's tag, in one write.",
    fields: [
      { name: "value", type: "u32", doc: "The value read, zero-extended." },
      { name: "tag", type: "u32", doc: "The tag the caller gave port.take." },
    ],
  },
  {
    name: "systemInfo", doc: "What system.info tells about the whole system.",
    fields: [
      { name: "uptime", type: "u64", doc: "Nanoseconds since the kernel started." },
      { name: "ticks", type: "u64", doc: "Clock ticks so far (TICK_HZ a second)." },
      { name: "idleTicks", type: "u64", doc: "Ticks that found the processor idle: the rest went to components and the kernel's own threads." },
      { name: "framesFree", type: "u64", doc: "4 KiB frames of physical memory free." },
      { name: "framesUsed", type: "u64", doc: "4 KiB frames in use (kernel heap, component memories and code, stacks, objects, page tables)." },
      { name: "components", type: "u32", doc: "Components running." },
      { name: "threads", type: "u32", doc: "Threads alive, the kernel's own included." },
      { name: "heapBytes", type: "u64", doc: "Bytes of the kernel's heap (its linear memory: the image's initial pages and what grew on frames)." },
      { name: "stackBytes", type: "u64", doc: "Bytes of thread stacks mapped (every live thread's, the kernel's own included)." },
      { name: "codeBytes", type: "u64", doc: "Bytes of compiled component code mapped (once per compiled component, shared by its instances)." },
    ],
  },
  {
    name: "componentInfo", doc: "One running component, as system.components lists it.",
    fields: [
      { name: "id", type: "u32", doc: "Its component id." },
      { name: "supervisor", type: "u32", doc: "The id of the component that started it (0: the kernel)." },
      { name: "kind", type: "u32", doc: "COMPONENT_KIND_*." },
      { name: "state", type: "u32", doc: "COMPONENT_STATE_*." },
      { name: "threads", type: "u32", doc: "Threads alive." },
      { name: "pages", type: "u32", doc: "Pages (64 KiB) of linear memory." },
      { name: "objectPages", type: "u32", doc: "4 KiB pages of the memory and state objects it made that still exist." },
      { name: "restarts", type: "u32", doc: "Instances of its identity that ran before it (a restarted server counts its predecessors)." },
      { name: "lastTrap", type: "u32", doc: "The trap kind that ended the last instance of its identity that faulted (0: none did)." },
      { name: "priority", type: "u32", doc: "Its first thread's priority." },
      { name: "cpuTicks", type: "u64", doc: "Clock ticks that found one of its threads running: its CPU time, sampled." },
      { name: "messages", type: "u64", doc: "Messages it sent (msg.send, msg.sendv)." },
      { name: "name", type: "bytes", length: 48, doc: "Its identity (`init/echo`), UTF-8, zero-padded (cut at 48 bytes)." },
    ],
  },
];

export const constants: Constant[] = [
  { name: "TIMEOUT_NONE", value: 0, type: "i64", doc: "A timeout that does not wait: fail with TIMED_OUT at once when the call would block." },
  { name: "TIMEOUT_FOREVER", value: -1, type: "i64", doc: "A timeout that never expires." },
  { name: "TIMEOUT_SEND", value: 1, type: "u32", doc: "thread.timeout state: a send whose message no server has received yet (send-blocked)." },
  { name: "TIMEOUT_REPLY", value: 2, type: "u32", doc: "thread.timeout state: a send whose message was received and is not replied to yet (reply-blocked)." },
  { name: "TIMEOUT_RECEIVE", value: 4, type: "u32", doc: "thread.timeout state: a msg.receive waiting for a message or a pulse (receive-blocked)." },
  { name: "PRIORITY_LOWEST", value: 0, doc: "The lowest thread priority (the idle thread's)." },
  { name: "PRIORITY_DEFAULT", value: 10, doc: "The priority of a component's first thread." },
  { name: "PRIORITY_HIGHEST", value: 31, doc: "The highest thread priority." },
  { name: "PULSE_CODE_MAXIMUM", value: 127, doc: "The largest code a component may send in a pulse (codes 0..127 are the components')." },
  { name: "PULSE_CODE_COMPONENT_ENDED", value: -1, doc: "Kernel pulse to a supervisor: a component it started ended; the value is its id, component.status says how." },
  { name: "RECEIVE_ID_PULSE", value: 0, doc: "What msg.receive returns for a pulse." },
  { name: "REPLY_WAIT_LENGTH_SHIFT", value: 32, type: "u32", doc: "msg.reply_wait's result: where a message's length starts (31 bits)." },
  { name: "MAP_WRITABLE", value: 1, type: "u32", doc: "memory.map flag: map writable (needs the WRITE right)." },
  { name: "COMPONENT_STATE_RUNNING", value: 1, doc: "The component is running." },
  { name: "COMPONENT_STATE_EXITED", value: 2, doc: "Its last thread exited." },
  { name: "COMPONENT_STATE_FAULTED", value: 3, doc: "It trapped or faulted; componentStatus says where." },
  { name: "COMPONENT_STATE_KILLED", value: 4, doc: "component.kill ended it." },
  { name: "PAGE_SIZE", value: 4096, type: "u32", doc: "The granularity of memory.map." },
  { name: "DMA_MAXIMUM", value: 4 << 20, type: "u32", doc: "The largest memory.dma object, in bytes (4 MiB): contiguous frames are scarce." },
  { name: "NAME_MAXIMUM", value: 255, doc: "The longest path in the pathname space, in bytes." },
  { name: "SYSTEM_LIST_NAMES", value: 1, type: "u32", doc: "system.list: the pathname space's paths." },
  { name: "SYSTEM_LIST_FILES", value: 2, type: "u32", doc: "system.list: the boot payload's files and their sizes." },
  { name: "TICK_HZ", value: 100, type: "u32", doc: "Clock ticks a second (systemInfo.ticks, componentInfo.cpuTicks)." },
  { name: "COMPONENT_KIND_DRIVER", value: 1, type: "u32", doc: "componentInfo kind: a driver." },
  { name: "COMPONENT_KIND_SERVER", value: 2, type: "u32", doc: "componentInfo kind: a server." },
  { name: "COMPONENT_KIND_APP", value: 3, type: "u32", doc: "componentInfo kind: an app." },
  { name: "COMPONENT_KIND_TEST", value: 4, type: "u32", doc: "componentInfo kind: a test." },
  { name: "COMPONENT_KIND_SUPERVISOR", value: 5, type: "u32", doc: "componentInfo kind: a supervisor." },
  { name: "NAME_TAKE_OVER", value: 1, type: "u32", doc: "name.register flag: take the path over from the component that holds it (supervised by the caller, or of the caller's identity: another instance its supervisor started under the same name)." },
];
