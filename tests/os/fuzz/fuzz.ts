// The system-call fuzzer's supervisor, started by init in the fuzz image
// (images/fuzz.json). It reads the run's settings from the host (fw-cfg.ts:
// seed, calls, workers, attacks), starts the victim server and the
// heartbeat, then WORKERS fuzz workers (fuzz-worker.ts), each instance
// with a seed of its own derived from the run's seed and its instance
// number. Workers say hello on /test/fuzz and send their counts there; a
// worker that ends (it trapped, called component.exit, or was killed) is
// reported and replaced by a new instance until the run's calls are done.
// With ATTACK_KILL it kills workers at random moments itself; a worker
// whose counts stop for STALL_NANOSECONDS is killed as stalled.
//
// It also steers the stack attack: workers report the deepest recursion
// that came back and the one they are about to try, so that the depth
// that ended a worker with `call stack exhausted` is known, and later
// instances try depths between the two — where a system call starts with
// little stack left.
//
// At the end it kills the workers, asks the victim whether its memory is
// intact, and prints (tests/kernel/fuzz-boot.ts reads these):
//
//   fuzz: begin seed S calls N workers W attacks A
//   fuzz: worker INSTANCE component C seed X
//   fuzz: worker INSTANCE component C ended: faulted KIND (MESSAGE) function F offset 0xO | killed | stalled | exited S
//   fuzz: progress calls N
//   fuzz: outcomes OK=n BAD_HANDLE=n ...
//   fuzz: calls handle.close=n ...
//   fuzz: workers started S faulted F killed K stalled T exited E; stack safe D fail E
//   fuzz: victim intact|CHANGED checksum 0xC served M
//   fuzz: end calls N in T ms verdict ok|FAIL: REASON

import "../lib/abort";
import {
  delos_channel_create, delos_component_kill, delos_component_spawn, delos_component_status, delos_connection_create,
  delos_msg_receive, delos_msg_reply, delos_msg_send, delos_name_open, delos_name_register, delos_thread_create,
  delos_thread_timeout, delos_clock_now, delos_component_exit, delos_thread_sleep,
} from "../../../ipc/generated/imports";
import {
  ComponentStatus, COMPONENT_STATUS_SIZE, COMPONENT_STATE_EXITED, COMPONENT_STATE_FAULTED, COMPONENT_STATE_KILLED,
  ERROR_INVALID_ARGUMENT, PULSE_CODE_COMPONENT_ENDED, ReceiveInfo, RECEIVE_INFO_SIZE, TIMEOUT_RECEIVE, TIMEOUT_REPLY,
  TIMEOUT_SEND,
} from "../../../ipc/generated/index";
import { line } from "../lib/log";
import { readFwCfgFile, setting } from "./fw-cfg";
import {
  ATTACK_ALL, ATTACK_KILL, ATTACK_NAMES, CALL_COUNT, CALL_NAMES, CHECK_REPLY_SIZE, COUNTS_CALLS, COUNTS_OUTCOMES,
  COUNTS_PER_CALL, COUNTS_SIZE, COUNTS_STACK_SAFE, COUNTS_STACK_TRYING, FUZZ_PATH, HELLO_REPLY_ATTACKS,
  HELLO_REPLY_INSTANCE, HELLO_REPLY_SEED, HELLO_REPLY_SIZE, HELLO_REPLY_STACK_FAIL, HELLO_REPLY_STACK_SAFE,
  HELLO_REPLY_VICTIM, MAGIC, OP_CHECK, OP_COUNTS, OP_HELLO, OUTCOME_NAMES, OUTCOME_SLOTS, VICTIM_PATH,
} from "./protocol";
import { mix, Random } from "./random";

const MOST_WORKERS: i32 = 16;
const STALL_NANOSECONDS: i64 = 3_000_000_000;
const PROGRESS_NANOSECONDS: i64 = 2_000_000_000;
const TRAP_MESSAGES: string[] = [
  "none", "unreachable", "integer divide by zero", "integer overflow", "invalid conversion to integer",
  "out of bounds memory access", "undefined element", "uninitialized element", "indirect call type mismatch",
  "call stack exhausted", "out of bounds table access",
];
const TRAP_STACK_EXHAUSTED: u32 = 9;
/** component.exit's slot in the counts (protocol.ts's CALL_NAMES). */
const CALL_COMPONENT_EXIT: i32 = 42;

// The run's settings.
let seed: u64 = 1;
let budget: u64 = 20000;
let workerCount: i32 = 4;
let attacks: u32 = ATTACK_ALL;

// Channels: the public one workers reach by name, the private one for the kernel's end pulses.
let publicChannel: i32 = 0;
let privateChannel: i32 = 0;
let supervisorConnection: i32 = 0;
let victimComponent: u32 = 0;
let heartbeatComponent: u32 = 0;

// Per worker slot.
const slotComponent = new StaticArray<u32>(MOST_WORKERS);
const slotInstance = new StaticArray<u32>(MOST_WORKERS);
const slotProgress = new StaticArray<i64>(MOST_WORKERS);
const slotTrying = new StaticArray<u32>(MOST_WORKERS);
const slotKilled = new StaticArray<u8>(MOST_WORKERS); // 1: by the kill attack, 2: stalled, 3: at the run's end

// Totals.
let calls: u64 = 0;
const outcomes = new StaticArray<u64>(OUTCOME_SLOTS);
const perCall = new StaticArray<u64>(CALL_COUNT);
let instances: u32 = 0;
let faulted: u32 = 0;
let killed: u32 = 0;
let stalled: u32 = 0;
let exited: u32 = 0;
let stackSafe: u32 = 0;
let stackFail: u32 = 0;
let failure: string = "";

const publicBuffer = heap.alloc(1024);
const publicInfo = changetype<ReceiveInfo>(heap.alloc(RECEIVE_INFO_SIZE));
const helloReply = heap.alloc(HELLO_REPLY_SIZE);
const privateBuffer = heap.alloc(64);
const status = changetype<ComponentStatus>(heap.alloc(COMPONENT_STATUS_SIZE));

function utf8(text: string): u32 {
  return changetype<u32>(String.UTF8.encode(text));
}

function fail(reason: string): void {
  if (failure.length == 0) failure = reason;
  line("fuzz: problem: " + reason);
}

function readSettings(): void {
  const text = readFwCfgFile("opt/delos/fuzz");
  seed = setting(text, "seed", 1);
  budget = setting(text, "calls", 20000);
  workerCount = <i32>setting(text, "workers", 4);
  if (workerCount < 1) workerCount = 1;
  if (workerCount > MOST_WORKERS) workerCount = MOST_WORKERS;
  attacks = <u32>setting(text, "attacks", ATTACK_ALL) & ATTACK_ALL;
}

function attackList(): string {
  let text = "";
  for (let i = 0; i < ATTACK_NAMES.length; i++) {
    if ((attacks & (1 << i)) == 0) continue;
    text += (text.length > 0 ? "," : "") + ATTACK_NAMES[i];
  }
  return text.length > 0 ? text : "none";
}

/**
 * What the supervisor grants its children (component.spawn's grant,
 * docs/kernel.md "Manifests and capabilities"): a worker the capabilities
 * its manifest names and room for the quota attack's bursts, with memory
 * objects capped at 4 MiB so that zeroing them never holds the clock up
 * for long; the victim its path.
 */
const WORKER_GRANT = "serve /test/fuzz-w/*\nopen /test/*\nstate fuzz-scratch\nspawn test/fuzz-absent.wasm\nport 0x80 1\nirq 8\nmmio 0x100000 0x1000\ndma\nfirmware MCFG\nsystem\nobjects 1024";
const VICTIM_GRANT = "serve /test/fuzz-victim";
const HEARTBEAT_GRANT = "ceiling 30";

function spawn(path: string, grant: string): i32 {
  return delos_component_spawn(utf8(path), <u32>String.UTF8.byteLength(path), supervisorConnection,
    utf8(grant), <u32>String.UTF8.byteLength(grant));
}

function startWorker(slot: i32): void {
  const instance = ++instances;
  slotInstance[slot] = instance;
  slotProgress[slot] = delos_clock_now();
  slotTrying[slot] = 0;
  slotKilled[slot] = 0;
  const component = spawn("test/fuzz-worker.wasm", WORKER_GRANT);
  if (component < 0) {
    slotComponent[slot] = 0;
    line("fuzz: worker " + instance.toString() + " not started: " + component.toString());
    return;
  }
  slotComponent[slot] = <u32>component;
  line("fuzz: worker " + instance.toString() + " component " + component.toString() + " seed " + mix(seed, instance).toString());
}

function slotOf(component: u32): i32 {
  if (component == 0) return -1;
  for (let i = 0; i < workerCount; i++) if (slotComponent[i] == component) return i;
  return -1;
}

/** Serves /test/fuzz: hellos and counts from the workers; anything else is refused. */
function publicThread(argument: u32): void {
  while (true) {
    const id = delos_msg_receive(publicChannel, <u32>publicBuffer, 1024, changetype<u32>(publicInfo));
    if (id <= 0) continue;
    const slot = slotOf(publicInfo.component);
    const length = publicInfo.sendLength;
    if (slot < 0 || length < 8 || load<u32>(publicBuffer) != MAGIC) {
      delos_msg_reply(<u32>id, ERROR_INVALID_ARGUMENT, 0, 0);
      continue;
    }
    const operation = load<u32>(publicBuffer, 4);
    if (operation == OP_HELLO && length == 8) {
      store<u64>(helloReply, mix(seed, slotInstance[slot]), HELLO_REPLY_SEED);
      store<u32>(helloReply, slotInstance[slot], HELLO_REPLY_INSTANCE);
      store<u32>(helloReply, attacks, HELLO_REPLY_ATTACKS);
      store<u32>(helloReply, stackSafe, HELLO_REPLY_STACK_SAFE);
      store<u32>(helloReply, stackFail, HELLO_REPLY_STACK_FAIL);
      store<u32>(helloReply, victimComponent, HELLO_REPLY_VICTIM);
      slotProgress[slot] = delos_clock_now();
      delos_msg_reply(<u32>id, 0, <u32>helloReply, HELLO_REPLY_SIZE);
      continue;
    }
    if (operation == OP_COUNTS && length == COUNTS_SIZE) {
      const count = load<u32>(publicBuffer, COUNTS_CALLS);
      calls += <u64>count;
      for (let i = 0; i < OUTCOME_SLOTS; i++) outcomes[i] += <u64>load<u32>(publicBuffer + COUNTS_OUTCOMES + 4 * i);
      for (let i = 0; i < CALL_COUNT; i++) perCall[i] += <u64>load<u32>(publicBuffer + COUNTS_PER_CALL + 4 * i);
      const safe = load<u32>(publicBuffer, COUNTS_STACK_SAFE);
      if (safe > stackSafe) stackSafe = safe;
      if (stackFail != 0 && stackFail <= stackSafe) stackFail = 0;
      slotTrying[slot] = load<u32>(publicBuffer, COUNTS_STACK_TRYING);
      slotProgress[slot] = delos_clock_now();
      delos_msg_reply(<u32>id, 0, 0, 0);
      continue;
    }
    delos_msg_reply(<u32>id, ERROR_INVALID_ARGUMENT, 0, 0);
  }
}

/** The kernel's end pulse for `component`: report how it ended, and start the next instance in its slot. */
function ended(component: u32, more: bool): void {
  if (component == victimComponent) { fail("the victim ended"); victimComponent = 0; return; }
  if (component == heartbeatComponent) { fail("the heartbeat ended"); heartbeatComponent = 0; return; }
  const slot = slotOf(component);
  if (slot < 0) return;
  const state = delos_component_status(component, changetype<u32>(status));
  let how: string;
  if (slotKilled[slot] == 3) how = "stopped at the run's end";
  else if (slotKilled[slot] == 1) { how = "killed"; killed++; }
  else if (slotKilled[slot] == 2) { how = "stalled"; stalled++; }
  else if (state == COMPONENT_STATE_FAULTED) {
    faulted++;
    const kind = status.trap;
    how = "faulted " + kind.toString() + " (" + (kind < <u32>TRAP_MESSAGES.length ? TRAP_MESSAGES[kind] : "?") + ") function "
      + (<i32>status.functionIndex).toString() + " offset 0x" + status.wasmOffset.toString(16);
    const trying = slotTrying[slot];
    if (kind == TRAP_STACK_EXHAUSTED && trying > stackSafe && (stackFail == 0 || trying < stackFail)) stackFail = trying;
  } else if (state == COMPONENT_STATE_EXITED) {
    how = "exited " + status.exitStatus.toString();
    exited++;
    // component.exit never returns to be counted by the worker: it is counted here.
    calls++;
    outcomes[0]++;
    perCall[CALL_COMPONENT_EXIT]++;
  }
  else if (state == COMPONENT_STATE_KILLED) { how = "killed"; killed++; }
  else how = "ended in state " + state.toString();
  line("fuzz: worker " + slotInstance[slot].toString() + " component " + component.toString() + " ended: " + how);
  slotComponent[slot] = 0;
  if (more) startWorker(slot);
}

/** Receives on the private channel until `deadline`: end pulses. */
function receiveEnds(deadline: i64, more: bool): void {
  while (true) {
    const left = deadline - delos_clock_now();
    if (left <= 0) return;
    delos_thread_timeout(TIMEOUT_RECEIVE, left);
    const id = delos_msg_receive(privateChannel, <u32>privateBuffer, 64, 0);
    if (id != 0) { if (id < 0) return; continue; }
    const code = load<i32>(privateBuffer);
    const from = load<u32>(privateBuffer, 4);
    if (code == PULSE_CODE_COMPONENT_ENDED && from == 0) ended(<u32>load<u64>(privateBuffer, 8), more);
  }
}

function line64(label: string, names: string[], values: StaticArray<u64>): void {
  let text = "fuzz: " + label;
  for (let i = 0; i < values.length; i++) {
    if (values[i] == 0) continue;
    text += " " + names[i] + "=" + values[i].toString();
  }
  line(text);
}

function checkVictim(): void {
  const connection = delos_name_open(utf8(VICTIM_PATH), <u32>String.UTF8.byteLength(VICTIM_PATH), 1_000_000_000);
  if (connection < 0) { fail("the victim's name is gone: " + connection.toString()); return; }
  const request = heap.alloc(8);
  const reply = heap.alloc(CHECK_REPLY_SIZE);
  store<u32>(request, MAGIC);
  store<u32>(request, OP_CHECK, 4);
  delos_thread_timeout(TIMEOUT_SEND | TIMEOUT_REPLY, 5_000_000_000);
  const result = delos_msg_send(connection, <u32>request, 8, <u32>reply, CHECK_REPLY_SIZE);
  if (result != 0) { fail("the victim did not answer its check: " + result.toString()); return; }
  const intact = load<u32>(reply) == 1;
  line("fuzz: victim " + (intact ? "intact" : "CHANGED") + " checksum 0x" + load<u32>(reply, 8).toString(16) + " served " + load<u32>(reply, 4).toString());
  if (!intact) fail("the victim's memory changed");
}

export function _start(): void {
  readSettings();
  line("fuzz: begin seed " + seed.toString() + " calls " + budget.toString() + " workers " + workerCount.toString() + " attacks " + attackList());
  privateChannel = delos_channel_create(0);
  supervisorConnection = delos_connection_create(privateChannel);
  publicChannel = delos_channel_create(0);
  const registered = delos_name_register(utf8(FUZZ_PATH), <u32>String.UTF8.byteLength(FUZZ_PATH), publicChannel, 0);
  if (privateChannel < 0 || supervisorConnection < 0 || publicChannel < 0 || registered < 0) {
    line("fuzz: end calls 0 in 0 ms verdict FAIL: could not set up its channels");
    delos_component_exit(1);
  }
  const victim = spawn("test/fuzz-victim.wasm", VICTIM_GRANT);
  const heartbeat = spawn("test/fuzz-heartbeat.wasm", HEARTBEAT_GRANT);
  if (victim < 0 || heartbeat < 0) {
    line("fuzz: end calls 0 in 0 ms verdict FAIL: could not start the victim (" + victim.toString() + ") or the heartbeat (" + heartbeat.toString() + ")");
    delos_component_exit(1);
  }
  victimComponent = <u32>victim;
  heartbeatComponent = <u32>heartbeat;
  const victimConnection = delos_name_open(utf8(VICTIM_PATH), <u32>String.UTF8.byteLength(VICTIM_PATH), 5_000_000_000);
  if (victimConnection < 0) fail("the victim did not register its name");
  delos_thread_create(<u32>publicThread.index, 0, 25);

  const random = new Random(mix(seed, 0x6b696c6c));
  const start = delos_clock_now();
  for (let slot = 0; slot < workerCount; slot++) startWorker(slot);
  let nextKill = start + <i64>random.below(400_000_000);
  let nextProgress = start + PROGRESS_NANOSECONDS;
  while (calls < budget) {
    receiveEnds(delos_clock_now() + 20_000_000, true);
    const now = delos_clock_now();
    for (let slot = 0; slot < workerCount; slot++) {
      const component = slotComponent[slot];
      if (component == 0) { startWorker(slot); continue; }
      if (slotKilled[slot] == 0 && now - slotProgress[slot] > STALL_NANOSECONDS) {
        slotKilled[slot] = 2;
        delos_component_kill(component);
      }
    }
    if ((attacks & ATTACK_KILL) != 0 && now >= nextKill) {
      const slot = <i32>random.below(<u32>workerCount);
      if (slotComponent[slot] != 0 && slotKilled[slot] == 0) {
        slotKilled[slot] = 1;
        delos_component_kill(slotComponent[slot]);
      }
      nextKill = now + <i64>random.below(400_000_000);
    }
    if (now >= nextProgress) {
      line("fuzz: progress calls " + calls.toString());
      nextProgress = now + PROGRESS_NANOSECONDS;
    }
  }
  const elapsed = delos_clock_now() - start;

  for (let slot = 0; slot < workerCount; slot++) {
    if (slotComponent[slot] != 0 && slotKilled[slot] == 0) { slotKilled[slot] = 3; delos_component_kill(slotComponent[slot]); }
  }
  receiveEnds(delos_clock_now() + 500_000_000, false);
  checkVictim();
  line64("outcomes", OUTCOME_NAMES, outcomes);
  line64("calls", CALL_NAMES, perCall);
  line("fuzz: workers started " + instances.toString() + " faulted " + faulted.toString() + " killed " + killed.toString()
    + " stalled " + stalled.toString() + " exited " + exited.toString() + "; stack safe " + stackSafe.toString() + " fail " + stackFail.toString());
  if (heartbeatComponent != 0) delos_component_kill(heartbeatComponent);
  const milliseconds = elapsed / 1_000_000;
  line("fuzz: end calls " + calls.toString() + " in " + milliseconds.toString() + " ms verdict "
    + (failure.length == 0 ? "ok" : "FAIL: " + failure));
  delos_thread_sleep(10_000_000);
  delos_component_exit(failure.length == 0 ? 0 : 1);
}
