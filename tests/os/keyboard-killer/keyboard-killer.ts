// The keyboard tests' killer (tests/kernel/keyboard.test.ts), in the
// keyboard image: it waits until the driver is in step with the keyboard
// and the receiver serves, says `ready`, then kills through init
//   phase 1  the keyboard driver, until the receiver tells it line 1 is done;
//   phase 2  the receiver and the driver in turn, until line 2 is done;
//   phase 3  nothing: after each later line it prints the driver's status
//            (locks, LEDs acknowledged, repeats) for the host to check.
// Kills come at random intervals of 100 to 400 ms; at priority 25 (init
// serves it at that priority) a kill lands wherever the driver is.

import "../lib/abort";
import {
  clockCycles, handleClose, msgSend, nameOpen, threadTimeout, msgReceive, Pulse, KEYBOARD_PATH, KEYBOARD_STATUS,
  KEYBOARD_STATUS_REPLY_SIZE, KEYBOARD_STATUS_REQUEST_SIZE, KeyboardStatusReply, INPUT_PATH, PULSE_SIZE,
  RECEIVE_ID_PULSE, TIMEOUT_RECEIVE,
} from "../../../ipc/generated/index";
import { Server } from "../../../ipc/client/index";
import { line } from "../lib/log";
import { Random } from "../fuzz/random";
import { connectInit, initRestart, initStatus, initStatusReply } from "../runner/init-client";
import { KILLER_PATH, PULSE_LINE } from "../input-receiver/input-receiver";

const KILL_MINIMUM: i64 = 100_000_000;
const KILL_SPREAD: u64 = 300;
/** What the driver's status reports for LEDs not yet acknowledged. */
const LEDS_UNKNOWN: u32 = 0xff;

const pulse = changetype<Pulse>(heap.alloc(PULSE_SIZE));
const request = heap.alloc(16);
const reply = changetype<KeyboardStatusReply>(heap.alloc(64));
const random = new Random(0);
let channel: i32 = 0;
let linesDone: i64 = 0;

/** The driver's status: true when it answered. */
function keyboardStatus(): bool {
  const connection = nameOpen(KEYBOARD_PATH, 5_000_000_000);
  if (connection < 0) return false;
  store<u32>(request, KEYBOARD_STATUS);
  const result = msgSend(connection, request, KEYBOARD_STATUS_REQUEST_SIZE, changetype<usize>(reply), KEYBOARD_STATUS_REPLY_SIZE);
  handleClose(connection);
  return result >= 0;
}

/** Waits up to `nanoseconds` for the receiver's line pulses; the highest line done so far. */
function awaitLines(nanoseconds: i64): i64 {
  threadTimeout(TIMEOUT_RECEIVE, nanoseconds);
  while (msgReceive(channel, changetype<usize>(pulse), PULSE_SIZE, 0) == RECEIVE_ID_PULSE) {
    if (pulse.code == PULSE_LINE && pulse.value > linesDone) linesDone = pulse.value;
    threadTimeout(TIMEOUT_RECEIVE, 0);
  }
  return linesDone;
}

/** Has init restart the running instance of `name`: the kill's number, or 0 when none runs. */
function kill(name: string, kills: u32): u32 {
  if (initStatus(name) < 0 || initStatusReply.component == 0) return 0;
  const killed = initStatusReply.component;
  const next = initRestart(killed);
  line("kill " + name + " " + (kills + 1).toString() + ": component " + killed.toString() + " -> " + next.toString());
  return kills + 1;
}

export function _start(): void {
  random.state = <u64>clockCycles();
  const server = new Server(KILLER_PATH);
  if (!server.isServing || connectInit() < 0) { line("cannot serve " + KILLER_PATH + " or reach init"); return; }
  channel = server.channel;
  while (!keyboardStatus() || reply.leds == LEDS_UNKNOWN) awaitLines(10_000_000);
  const receiver = nameOpen(INPUT_PATH, 5_000_000_000);
  if (receiver < 0) { line("the input receiver does not serve " + INPUT_PATH); return; }
  handleClose(receiver);
  line("ready");

  let keyboardKills: u32 = 0, receiverKills: u32 = 0;
  line("phase 1");
  while (awaitLines(KILL_MINIMUM + <i64>(random.next() % KILL_SPREAD) * 1_000_000) < 1) keyboardKills = kill("keyboard", keyboardKills);
  line("phase 1 ended: " + keyboardKills.toString() + " keyboard kills");
  line("phase 2");
  let turn: u32 = 0;
  while (awaitLines(KILL_MINIMUM + <i64>(random.next() % KILL_SPREAD) * 1_000_000) < 2) {
    if (turn++ % 2 == 0) receiverKills = kill("input-receiver", receiverKills);
    else keyboardKills = kill("keyboard", keyboardKills);
  }
  line("phase 2 ended: " + keyboardKills.toString() + " keyboard kills, " + receiverKills.toString() + " receiver kills");
  line("phase 3");
  let reported: i64 = 2;
  while (true) {
    if (awaitLines(1_000_000_000) > reported) {
      reported = linesDone;
      if (keyboardStatus()) {
        line("status after line " + reported.toString() + ": locks " + reply.locks.toString() + " leds " + reply.leds.toString()
          + " ledCommands " + reply.ledCommands.toString() + " repeats " + reply.repeats.toString() + " taken " + reply.taken.toString()
          + " decoded " + reply.decoded.toString() + " numbered " + reply.numbered.toString() + " applied " + reply.applied.toString()
          + " starts " + reply.starts.toString());
      }
    }
  }
}
