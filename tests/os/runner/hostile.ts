// Hostile apps against the system-call boundary (tests/os/hostile): each
// tries what once took the whole machine down, from the least-trusted
// kind of component. The runner supervises them and checks that the
// attack failed, that only the attacker was affected, and that the
// machine goes on: the timer still ticks (the runner's sleeps end and
// clock.now advances) and the echo server, the bystander, answers.
//
//  - hostile-memory: read-only pages handed to the kernel to write into
//    (records, receive buffers, receiveInfo, reply buffers); every such
//    call fails alone with BAD_ADDRESS and loses nothing (its own verdict,
//    the exit status, is 0).
//  - hostile-overflow: a thread calls a function whose frame is larger
//    than its whole stack, while a victim sleeps deep in recursion with
//    data on its own stack; the attacker alone ends, with `call stack
//    exhausted`, and the victim finds every value where it left it. Its
//    stacks grew as it went: all 26 together map under half their size.
//  - hostile-stack: system calls and memory.grow with the caller's stack
//    nearly used up. A grow is refused (-1) with interrupts left on: the
//    app spins without system calls and the runner still wakes to find it
//    running; a send is refused by a trap of the app in kernel code on its
//    behalf, and the echo server it was sending to answers on.

import {
  clockNow, componentKill, componentStatus, msgSend, nameOpen, handleClose, systemInfo, threadSleep, COMPONENT_STATE_EXITED, COMPONENT_STATE_FAULTED,
  COMPONENT_STATE_RUNNING, SYSTEM_INFO_SIZE, SystemInfo, TEST_ECHO_PATH, TEST_ECHO_SQUARE, TEST_ECHO_SQUARE_REQUEST_SIZE, TEST_ECHO_SQUARE_REPLY_SIZE,
} from "../../../ipc/generated/index";
import { Check, describeStatus } from "./check";
import { initStart } from "./init-client";
import { spawnComponent } from "./grants";
import { awaitEnd, awaitPulse, spawn, status, takeEndPulse } from "./supervision";
import { PULSE_VICTIM_READY } from "../lib/runner-path";

const STACK_EXHAUSTED: u32 = 9;
/** tests/os/hostile/huge-frame.mjs's VARIANTS. */
const OVERFLOW_VARIANTS: i32 = 8;
const buffer = heap.alloc(64);
/** tests/os/victim: its threads (the main one, FILLERS, the deep one) and a component thread's stack. */
const VICTIM_THREADS: u64 = 26;
const COMPONENT_STACK: u64 = 256 << 10;
const info = changetype<SystemInfo>(heap.alloc(SYSTEM_INFO_SIZE));

/** system.info's stackBytes: what every thread's stack has mapped now. */
function stackBytes(): u64 {
  return systemInfo(changetype<usize>(info)) < 0 ? 0 : info.stackBytes;
}

/** The echo server answers square(value) right. */
function echoAnswers(check: Check, value: u32, what: string): bool {
  const echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  if (!check.succeeded(echo, "name.open " + TEST_ECHO_PATH + " " + what)) return false;
  store<u32>(buffer, TEST_ECHO_SQUARE);
  store<u32>(buffer, value, 4);
  const sent = msgSend(echo, buffer, TEST_ECHO_SQUARE_REQUEST_SIZE, buffer + 16, TEST_ECHO_SQUARE_REPLY_SIZE);
  handleClose(echo);
  if (!check.succeeded(sent, "the echo server " + what)) return false;
  return check.ok(load<u64>(buffer + 16) == <u64>value * <u64>value, "the echo server's answer " + what);
}

/** The timer still ticks: a 20 ms sleep ends, and clock.now moved by at least that much. */
function timerTicks(check: Check, what: string): bool {
  const before = clockNow();
  threadSleep(20_000_000);
  return check.ok(clockNow() - before >= 20_000_000, "the clock " + what);
}

export function hostileMemory(check: Check): void {
  if (!check.succeeded(initStart("echo"), "init.start echo")) return;
  const attacker = spawnComponent("hostile-memory");
  if (!check.succeeded(attacker, "component.spawn test/hostile-memory.wasm")) return;
  const state = awaitEnd(<u32>attacker, 10_000_000_000);
  if (!check.equal(state, COMPONENT_STATE_EXITED, "hostile-memory's end state")) return;
  check.ok(status.exitStatus == 0, "hostile-memory: step " + status.exitStatus.toString() + " did not hold (" + describeStatus(status.exitStatus) + ")");
  takeEndPulse(<u32>attacker);
  timerTicks(check, "after hostile-memory");
  echoAnswers(check, 12, "after hostile-memory");
  check.summary = "read-only pages given to handle.info, component.status, msg.receive (buffer and receiveInfo, for a queued pulse and for a message sent to a waiting receiver), msg.send's reply: each call failed alone with BAD_ADDRESS, the pulse and the message were received next, the echo server answered on, the timer ticks";
}

export function hostileStack(check: Check): void {
  if (!check.succeeded(initStart("echo"), "init.start echo")) return;
  // memory.grow near the stack limit: refused, and interrupts stay on.
  const grower = spawn("test/hostile-grow.wasm", "");
  if (!check.succeeded(grower, "component.spawn test/hostile-grow.wasm")) return;
  threadSleep(100_000_000);
  if (!timerTicks(check, "while hostile-grow spins")) return;
  const running = componentStatus(<u32>grower, changetype<usize>(status));
  if (!check.equal(running, COMPONENT_STATE_RUNNING, "hostile-grow's state after its refused grow (a trap ended it otherwise)")) return;
  check.succeeded(componentKill(<u32>grower), "component.kill hostile-grow");
  takeEndPulse(<u32>grower);

  // msg.send near the stack limit: a trap in kernel code before anything changed.
  const sender = spawnComponent("hostile-syscall");
  if (!check.succeeded(sender, "component.spawn test/hostile-syscall.wasm")) return;
  const state = awaitEnd(<u32>sender, 20_000_000_000);
  if (!check.equal(state, COMPONENT_STATE_FAULTED, "hostile-syscall's end state")) return;
  check.equal(status.trap, STACK_EXHAUSTED, "hostile-syscall's trap kind");
  check.equal(<i32>status.functionIndex, -1, "hostile-syscall's trap location (kernel code on its behalf, not its own code)");
  takeEndPulse(<u32>sender);
  timerTicks(check, "after hostile-syscall");
  echoAnswers(check, 13, "after hostile-syscall");
  check.summary = "memory.grow near the stack limit refused with interrupts on (the app spun, the runner woke); msg.send near the limit refused by a stack trap in kernel code; the echo server answered on, the timer ticks";
}

export function hostileOverflow(check: Check): void {
  if (!check.succeeded(initStart("echo"), "init.start echo")) return;
  const stacksBefore = stackBytes();
  const victim = spawnComponent("victim");
  if (!check.succeeded(victim, "component.spawn test/victim.wasm")) return;
  // The victim is deep in its recursion, asleep, before the attack.
  if (!check.ok(awaitPulse(PULSE_VICTIM_READY, <u32>victim) >= 0, "the victim ended before it was ready")) return;
  // Stacks are mapped as they grow (docs/kernel.md, "Stacks mapped on demand"): the deep thread's has
  // grown past its 100 KB, the sleeping ones' have not, so all of them map well under half their size.
  const victimStacks = stackBytes() - stacksBefore;
  if (!check.ok(victimStacks >= 100_000 && victimStacks < VICTIM_THREADS * COMPONENT_STACK / 2,
    "the victim's " + VICTIM_THREADS.toString() + " stacks map " + victimStacks.toString() + " bytes (at least its deep thread's 100 KB, under half of " + (VICTIM_THREADS * COMPONENT_STACK).toString() + ")")) return;
  // Eight attackers, one after another, each with another frame size (its priority picks it): their stacks
  // take the same place, right above the victim's deep thread's, and the frames cover 128 bytes there.
  for (let variant = 0; variant < OVERFLOW_VARIANTS; variant++) {
    const attacker = spawn("test/hostile-overflow.wasm", "priority " + (2 + variant).toString());
    if (!check.succeeded(attacker, "component.spawn test/hostile-overflow.wasm (variant " + variant.toString() + ")")) return;
    const state = awaitEnd(<u32>attacker, 10_000_000_000);
    if (!check.equal(state, COMPONENT_STATE_FAULTED, "hostile-overflow's end state (variant " + variant.toString() + ")")) return;
    check.equal(status.trap, STACK_EXHAUSTED, "hostile-overflow's trap kind (its own stack check, not a fault below its stack; variant " + variant.toString() + ")");
    takeEndPulse(<u32>attacker);
  }
  const victimState = awaitEnd(<u32>victim, 10_000_000_000);
  if (check.equal(victimState, COMPONENT_STATE_EXITED, "the victim's end state")) {
    check.equal(status.exitStatus, 0, "the victim's verdict on its own stack (1: a value changed)");
  }
  takeEndPulse(<u32>victim);
  timerTicks(check, "after hostile-overflow");
  echoAnswers(check, 14, "after hostile-overflow");
  check.summary = "eight attackers calling functions with frames of about 288 KB, 16 bytes apart (a stack: 256 KiB), each ended alone with call stack exhausted; a victim asleep 100 KB deep on the stack made just before the attacker's (grown as it went; its 26 stacks mapped " + (victimStacks >> 10).toString() + " KiB) found it intact; the echo server answered on, the timer ticks";
}
