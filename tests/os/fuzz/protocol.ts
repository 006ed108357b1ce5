// What the system-call fuzzer's components (tests/os/fuzz) say to each
// other: the supervisor's and the victim's paths, the messages on them,
// the attack classes and the outcome slots of the counts.
//
// These messages cross between components that attack the kernel, so every
// receiver checks the length and the magic word first; a message that does
// not match is answered with INVALID_ARGUMENT and otherwise ignored.

/** The supervisor's public channel: workers say hello and send their counts. */
export const FUZZ_PATH = "/test/fuzz";
/** The victim server: workers send it messages, good and bad. */
export const VICTIM_PATH = "/test/fuzz-victim";

/** First word of every fuzz protocol message. */
export const MAGIC: u32 = 0x7a7a7546; // "Fuzz"
export const OP_HELLO: u32 = 1;
export const OP_COUNTS: u32 = 2;
export const OP_CHECK: u32 = 3;

// hello request: magic, op. Reply:
export const HELLO_REPLY_SEED: u32 = 0;        // u64
export const HELLO_REPLY_INSTANCE: u32 = 8;    // u32
export const HELLO_REPLY_ATTACKS: u32 = 12;    // u32, ATTACK_* bits
export const HELLO_REPLY_STACK_SAFE: u32 = 16; // u32: deepest recursion that came back
export const HELLO_REPLY_STACK_FAIL: u32 = 20; // u32: shallowest recursion that ended a worker (0: none yet)
export const HELLO_REPLY_VICTIM: u32 = 24;     // u32: the victim's component id
export const HELLO_REPLY_SIZE: u32 = 28;

/** The system calls the worker issues (ipc/table/calls.ts's order, then memory.grow and the calls added since); the counts carry one slot per call. */
export const CALL_NAMES: string[] = [
  "handle.close", "handle.duplicate", "handle.info", "channel.create", "connection.create", "name.register",
  "name.unregister", "name.open", "msg.send", "msg.sendv", "msg.receive", "msg.receivev", "msg.reply", "msg.replyv",
  "msg.read", "msg.grant", "pulse.send", "memory.create", "memory.map", "memory.unmap", "state.open", "state.delete",
  "timer.create", "timer.set", "interrupt.attach", "interrupt.unmask", "port.read", "port.write", "thread.create",
  "thread.exit", "thread.sleep", "thread.yield", "thread.self", "thread.timeout", "thread.priority",
  "thread.set_priority", "clock.now", "clock.cycles", "component.spawn", "component.kill", "component.status",
  "component.self", "component.exit", "log.write", "memory.grow", "msg.reply_receive", "port.take", "memory.device", "memory.dma",
  "memory.physical", "firmware.table", "msg.check_device", "system.info", "system.components", "system.list",
  "msg.bus_master",
  "state.dma",
  "msg.reply_wait", "msg.info",
  "msg.serve_direct",
];
export const CALL_COUNT: i32 = 60;

/** Outcome slots: 0 success, 1..16 the kernel's error codes (ERROR_* negated), 17 any other negative result. */
export const OUTCOME_SLOTS: i32 = 18;
/** The highest error code the kernel returns, negated (ipc/table/errors.ts). */
export const LAST_ERROR: i32 = 16;
export const OUTCOME_NAMES: string[] = [
  "OK", "BAD_HANDLE", "WRONG_TYPE", "ACCESS_DENIED", "BAD_ADDRESS", "INVALID_ARGUMENT", "NO_MEMORY", "NOT_FOUND",
  "ALREADY_EXISTS", "TIMED_OUT", "DEAD_SERVER", "NO_SENDER", "QUEUE_FULL", "NOT_MAPPED", "NOT_SUPPORTED", "TOO_LARGE",
  "QUOTA_EXCEEDED", "OTHER",
];

// counts request: magic, op, then u32s:
export const COUNTS_CALLS: u32 = 8;        // calls since the last counts
export const COUNTS_STACK_SAFE: u32 = 12;  // deepest recursion that came back
export const COUNTS_STACK_TRYING: u32 = 16; // the recursion it is about to try (0: none)
export const COUNTS_OUTCOMES: u32 = 20;    // OUTCOME_SLOTS u32
export const COUNTS_PER_CALL: u32 = COUNTS_OUTCOMES + 4 * <u32>OUTCOME_SLOTS; // CALL_COUNT u32
export const COUNTS_SIZE: u32 = COUNTS_PER_CALL + 4 * <u32>CALL_COUNT;

// check request (supervisor -> victim): magic, op. Reply: u32 checksum ok (1) or not (0), u32 messages served, u32 checksum.
export const CHECK_REPLY_SIZE: u32 = 12;

/** Attack classes, each switchable (the host's --attacks). */
export const ATTACK_READONLY: u32 = 1;  // read-only mappings passed as output buffers
export const ATTACK_STACK: u32 = 2;     // system calls and memory.grow near the stack limit
export const ATTACK_GROW: u32 = 4;      // memory.grow in another thread, racing the calls
export const ATTACK_KILL: u32 = 8;      // the supervisor kills workers at random
export const ATTACK_PRIORITY: u32 = 16; // priorities up to 31 and beyond, for threads and components
export const ATTACK_QUOTA: u32 = 32;    // many threads, handles, pulses, large memory objects
export const ATTACK_NAMES: string[] = ["readonly", "stack", "grow", "kill", "priority", "quota"];
export const ATTACK_ALL: u32 = 63;

/** Pulse codes to the supervisor's private channel. */
export const PULSE_TICK: i32 = 1;
