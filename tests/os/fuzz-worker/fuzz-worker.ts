// A system-call fuzzer: one hostile component of several that the fuzz
// supervisor (fuzz.ts) runs at once. It says hello to the supervisor, which
// answers with its seed and the attack classes of the run, and then issues
// system calls for ever — every call of ipc/table, through the raw imports,
// with random and boundary arguments (calls.ts) — from its main thread and
// from threads it makes, while a server thread receives and answers what is
// sent to its own channels and, with ATTACK_GROW, another thread grows its
// memory under them. Every FLUSH_EVERY calls it sends the supervisor its
// counts (calls by name, outcomes by error code). It ends when it traps, is
// killed, or calls component.exit; the supervisor starts another instance.
//
// The kernel may answer anything, but must neither fault, nor hang, nor
// write outside the buffers it was given: the supervisor and the host check
// that (tests/kernel/fuzz-boot.ts).

import "../lib/abort";
import {
  delos_channel_create, delos_component_exit, delos_component_self, delos_connection_create, delos_memory_create,
  delos_memory_map, delos_msg_receive, delos_msg_reply, delos_msg_send, delos_name_open, delos_thread_create,
  delos_thread_exit, delos_thread_sleep, delos_thread_timeout, delos_clock_now,
} from "../../../ipc/generated/imports";
import { PAGE_SIZE, TIMEOUT_RECEIVE, TIMEOUT_REPLY, TIMEOUT_SEND } from "../../../ipc/generated/index";
import { line } from "../lib/log";
import { pageAligned } from "../lib/pages";
import {
  ATTACK_GROW, ATTACK_QUOTA, ATTACK_READONLY, ATTACK_STACK, CALL_COUNT, COUNTS_CALLS, COUNTS_OUTCOMES, COUNTS_PER_CALL,
  COUNTS_SIZE, COUNTS_STACK_SAFE, COUNTS_STACK_TRYING, FUZZ_PATH, HELLO_REPLY_ATTACKS, HELLO_REPLY_INSTANCE,
  HELLO_REPLY_SEED, HELLO_REPLY_SIZE, HELLO_REPLY_STACK_FAIL, HELLO_REPLY_STACK_SAFE, HELLO_REPLY_VICTIM, MAGIC,
  OP_COUNTS, OP_HELLO, OUTCOME_SLOTS, VICTIM_PATH,
} from "../fuzz/protocol";
import { mix, Random } from "../fuzz/random";
import { Fuzz, CALL_MEMORY_GROW, CALL_HANDLE_INFO, CALL_CHANNEL_CREATE, CALL_THREAD_YIELD, CALL_MSG_SEND, CALL_THREAD_EXIT, GROW_FAILED } from "../fuzz/calls";

/** Calls between two counts sent to the supervisor. */
const FLUSH_EVERY: u32 = 512;
/** How long the grow attack spins, interrupts presumably off, after memory.grow failed near the stack limit. */
const SPIN_MILLISECONDS: u64 = 1500;

let supervisor: i32 = 0;
let instance: u32 = 0;
let seed: u64 = 0;
let stackSafe: u32 = 0;
let stackFail: u32 = 0;
const fuzz = new Fuzz();

const helloBuffer = heap.alloc(16);
const helloReply = heap.alloc(HELLO_REPLY_SIZE);
const countsBuffer = heap.alloc(COUNTS_SIZE);
const serverBuffer = pageAligned(2 * PAGE_SIZE);
const serverInfo = heap.alloc(32);
let spinIterationsPerMillisecond: u64 = 1000;
let sink: u64 = 0;
/** memory.grow failed at the bottom of the stack attack, and the worker spun. */
let spun = false;

function openSupervisor(): bool {
  supervisor = delos_name_open(changetype<u32>(String.UTF8.encode(FUZZ_PATH)), <u32>String.UTF8.byteLength(FUZZ_PATH), 1_000_000_000);
  return supervisor > 0;
}

function sayHello(): void {
  store<u32>(helloBuffer, MAGIC);
  store<u32>(helloBuffer, OP_HELLO, 4);
  delos_thread_timeout(TIMEOUT_SEND | TIMEOUT_REPLY, 5_000_000_000);
  const status = delos_msg_send(supervisor, <u32>helloBuffer, 8, <u32>helloReply, HELLO_REPLY_SIZE);
  if (status != 0) delos_component_exit(100);
  seed = load<u64>(helloReply, HELLO_REPLY_SEED);
  instance = load<u32>(helloReply, HELLO_REPLY_INSTANCE);
  stackSafe = load<u32>(helloReply, HELLO_REPLY_STACK_SAFE);
  stackFail = load<u32>(helloReply, HELLO_REPLY_STACK_FAIL);
  fuzz.attacks = load<u32>(helloReply, HELLO_REPLY_ATTACKS);
  fuzz.victimComponent = load<u32>(helloReply, HELLO_REPLY_VICTIM);
}

/** Sends the counts since the last flush; `trying`: the recursion depth about to be tried (0: none). */
function flush(trying: u32): void {
  store<u32>(countsBuffer, MAGIC);
  store<u32>(countsBuffer, OP_COUNTS, 4);
  store<u32>(countsBuffer, fuzz.pendingCalls, COUNTS_CALLS);
  store<u32>(countsBuffer, stackSafe, COUNTS_STACK_SAFE);
  store<u32>(countsBuffer, trying, COUNTS_STACK_TRYING);
  for (let i = 0; i < OUTCOME_SLOTS; i++) store<u32>(countsBuffer + COUNTS_OUTCOMES + 4 * i, fuzz.outcomes[i]);
  for (let i = 0; i < CALL_COUNT; i++) store<u32>(countsBuffer + COUNTS_PER_CALL + 4 * i, fuzz.perCall[i]);
  for (let attempt = 0; attempt < 3; attempt++) {
    // Replaces whatever timeout the fuzzing armed for the next message call.
    delos_thread_timeout(TIMEOUT_SEND | TIMEOUT_REPLY, 2_000_000_000);
    if (delos_msg_send(supervisor, <u32>countsBuffer, COUNTS_SIZE, 0, 0) == 0) {
      fuzz.clearCounts();
      return;
    }
    // The fuzzing closed or replaced the supervisor's handle: open it again.
    openSupervisor();
  }
}

/**
 * Recursion to `depth` frames, then `wide` frames of another size, then one
 * call at the bottom: near the stack limit the kernel runs on what is left.
 * The two frame sizes make the stack left at the bottom vary in smaller
 * steps than either frame.
 */
function descend(depth: u32, wide: u32, operation: u32): i64 {
  if (depth == 0) return descendWide(wide, operation);
  return descend(depth - 1, wide, operation) + 1;
}

function descendWide(depth: u32, operation: u32): i64 {
  if (depth == 0) return bottom(operation);
  // Values live across the call: the frame holds them.
  const a = sink + <u64>depth, b = a * 3, c = b ^ (a >> 7), d = c + b, e = d * a, f = e ^ (c << 3);
  const result = descendWide(depth - 1, operation);
  return result + <i64>(a ^ b ^ c ^ d ^ e ^ f);
}

function bottom(operation: u32): i64 {
  const random = fuzz.random;
  if (operation == 0) {
    const result = memory.grow(<i32>random.below(2));
    fuzz.record(CALL_MEMORY_GROW, result < 0 ? GROW_FAILED : 0);
    // Failing to grow by a page or none near the limit: the kernel trapped inside memory.grow. Spin
    // without a system call; a kernel that came back with interrupts off stops the clock and the
    // heartbeat meanwhile, which the host sees.
    if (result < 0) {
      spin(SPIN_MILLISECONDS);
      spun = true;
    }
    return <i64>result;
  }
  if (operation == 1) {
    const result = fuzz.handleInfoInto(fuzz.arena);
    return <i64>result;
  }
  if (operation == 2) return <i64>fuzz.issue(CALL_CHANNEL_CREATE);
  if (operation == 3) return <i64>fuzz.issue(CALL_THREAD_YIELD);
  if (operation == 4) return <i64>fuzz.issue(CALL_MSG_SEND);
  if (operation == 5) return <i64>fuzz.issue(CALL_HANDLE_INFO);
  return <i64>fuzz.step();
}

function spin(milliseconds: u64): void {
  let value = sink;
  const iterations = milliseconds * spinIterationsPerMillisecond;
  for (let i: u64 = 0; i < iterations; i++) value = value * 6364136223846793005 + 1442695040888963407;
  sink = value;
}

/** Iterations of spin's loop per millisecond, from the fastest of three rounds (a round may be preempted). */
function calibrateSpin(): void {
  const iterations: u64 = 1 << 20;
  let fastest: i64 = i64.MAX_VALUE;
  for (let round = 0; round < 3; round++) {
    const start = delos_clock_now();
    let value = sink;
    for (let i: u64 = 0; i < iterations; i++) value = value * 6364136223846793005 + 1442695040888963407;
    sink = value;
    const elapsed = delos_clock_now() - start;
    if (elapsed > 0 && elapsed < fastest) fastest = elapsed;
  }
  if (fastest < i64.MAX_VALUE) spinIterationsPerMillisecond = iterations * 1_000_000 / <u64>fastest + 1;
}

/** The stack attack: recursion to a depth between the deepest that came back and the shallowest that ended a worker. */
function stackAttack(): void {
  const random = fuzz.random;
  let depth: u32;
  if (random.oneIn(4)) depth = stackSafe > 64 ? stackSafe - random.below(64) : random.below(256);
  else if (stackFail == 0) depth = stackSafe == 0 ? 256 : stackSafe * 2;
  else if (stackFail <= stackSafe + 1) depth = stackSafe + random.below(3);
  else depth = stackSafe + 1 + random.below(stackFail - stackSafe - 1);
  if (depth > stackSafe) flush(depth);
  descend(depth, random.below(4), random.below(7));
  // Told once the stack is back: printing at the bottom would run out of it.
  if (spun) line("memory.grow failed near the stack limit; spun " + SPIN_MILLISECONDS.toString() + " ms without a system call");
  spun = false;
  if (depth > stackSafe) {
    stackSafe = depth;
    if (stackFail != 0 && stackFail <= stackSafe) stackFail = 0;
    flush(0);
  }
}

/** Receives on the worker's own channels and answers at random: replies, reads, grants, or nothing. */
function serverThread(argument: u32): void {
  const random = new Random(mix(seed, 0x5e5e0000 + <u64>argument));
  while (true) {
    let channel = fuzz.ownChannel;
    delos_thread_timeout(TIMEOUT_RECEIVE, 20_000_000);
    const id = delos_msg_receive(channel, <u32>serverBuffer, random.oneIn(8) ? 2 * PAGE_SIZE : 64, <u32>serverInfo);
    fuzz.record(10, id);
    if (id == -1 || id == -2 || id == -3) {
      // The fuzzing closed our channel: make another, and let the main thread find it.
      const made = delos_channel_create(0);
      if (made > 0) { fuzz.ownChannel = made; fuzz.remember(made); fuzz.remember(delos_connection_create(made)); }
      delos_thread_sleep(1_000_000);
      continue;
    }
    if (id <= 0) continue;
    fuzz.lastReceiveId = <u32>id;
    if (random.oneIn(8)) continue;
    if (random.oneIn(2)) fuzz.replyTo(<u32>id, random);
    else fuzz.record(12, delos_msg_reply(<u32>id, 0, <u32>serverBuffer, random.below(64)));
  }
}

/** Grows the worker's memory a little at a time while the other threads' calls use it. */
function growThread(argument: u32): void {
  const random = new Random(mix(seed, 0x67000000 + <u64>argument));
  const most = memory.size() + 256;
  while (true) {
    const delta = memory.size() < most ? <i32>random.below(3) : 0;
    fuzz.record(CALL_MEMORY_GROW, memory.grow(delta) < 0 ? GROW_FAILED : 0);
    delos_thread_sleep(random.oneIn(2) ? 0 : 200_000);
  }
}

/** A thread made by thread.create: some random calls of its own, then an end by return or thread.exit. */
function fuzzThread(argument: u32): void {
  const random = new Random(mix(seed, 0x7400000000 + <u64>argument));
  const calls = random.below(200);
  for (let i: u32 = 0; i < calls; i++) fuzz.stepWith(random);
  fuzz.liveThreads--;
  if (random.oneIn(2)) {
    // Counted before: thread.exit does not return.
    fuzz.record(CALL_THREAD_EXIT, 0);
    delos_thread_exit();
  }
}

/**
 * The worker's direct handler (msg.serve_direct): called on other threads'
 * sends to its channel, with no system call. Its answers vary with the
 * request: a reply of up to 255 bytes, an error status, REPLY_LATER (the
 * request then goes on to the worker's receives).
 */
function fuzzDirectHandler(length: i32, sender: i32): i32 {
  if ((length & 7) == 3) return i32.MIN_VALUE;
  if ((sender & 3) == 0) return -((length & 15) + 1);
  return (length * 31 + sender) & 0xff;
}

function setUp(): void {
  fuzz.self = <u32>delos_component_self();
  if (!openSupervisor()) delos_component_exit(101);
  sayHello();
  fuzz.random = new Random(seed);
  fuzz.seedThreads = mix(seed, 0x1000);
  fuzz.threadEntry = <u32>fuzzThread.index;
  fuzz.directHandler = <u32>fuzzDirectHandler.index;
  fuzz.remember(supervisor);
  fuzz.ownChannel = delos_channel_create(0);
  fuzz.remember(fuzz.ownChannel);
  fuzz.remember(delos_connection_create(fuzz.ownChannel));
  fuzz.remember(delos_name_open(changetype<u32>(String.UTF8.encode(VICTIM_PATH)), <u32>String.UTF8.byteLength(VICTIM_PATH), 1_000_000_000));
  if (fuzz.attacks & ATTACK_READONLY) {
    fuzz.readOnlyObject = delos_memory_create(2 * PAGE_SIZE);
    fuzz.remember(fuzz.readOnlyObject);
    fuzz.mapReadOnly();
  }
  calibrateSpin();
  delos_thread_create(<u32>serverThread.index, 0, 10);
  if (fuzz.attacks & ATTACK_GROW) delos_thread_create(<u32>growThread.index, 0, 10);
}

export function _start(): void {
  setUp();
  const random = fuzz.random;
  while (true) {
    if ((fuzz.attacks & ATTACK_STACK) != 0 && random.oneIn(256)) stackAttack();
    else if ((fuzz.attacks & ATTACK_QUOTA) != 0 && random.oneIn(4096)) fuzz.quotaBurst();
    else fuzz.step();
    if (fuzz.pendingCalls >= FLUSH_EVERY) {
      flush(0);
      if ((fuzz.attacks & ATTACK_READONLY) != 0) fuzz.mapReadOnly();
    }
  }
}
