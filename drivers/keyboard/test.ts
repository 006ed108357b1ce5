// The keyboard driver's in-OS test (the test runner runs it after init
// started the driver). Without keys typed — the QEMU harness types them in
// tests/kernel/keyboard.test.ts — it checks what every instance does on
// its own: it comes up serving /dev/keyboard, gets in step with the
// keyboard and sets its LEDs to the locks (the LED byte's ACK is what the
// status reports), and an instance killed by init is followed by one that
// continues the same state object (its counts never go back, one more
// start each time). With nothing typed, every killed instance had its
// exchange idle and every byte it wrote answered, so its successor is in
// step at once: the LEDs known, no echo and no set-LEDs sent again (the
// QEMU harness's kills while keys are typed take the other way). Malformed
// status requests are refused and the same instance answers on.

import "../../sdk/lib/abort";
import {
  componentExit, handleClose, msgSend, nameOpen, threadSleep, ERROR_INVALID_ARGUMENT, KEYBOARD_PATH, KEYBOARD_STATUS,
  KEYBOARD_STATUS_REPLY_SIZE, KEYBOARD_STATUS_REQUEST_SIZE, KeyboardStatusReply,
} from "../../ipc/generated/index";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { connectInit, initRestart } from "../../tests/os/runner/init-client";

const RESTARTS: u32 = 5;
/** How long an instance may take to be in step with the keyboard and have its LEDs acknowledged. */
const LEDS_WAIT: i64 = 3_000_000_000;
/** What the status reports for LEDs not yet acknowledged by this instance. */
const LEDS_UNKNOWN: u32 = 0xff;

const request = heap.alloc(64);
const reply = changetype<KeyboardStatusReply>(heap.alloc(64));

/** Asks the driver for its status through a fresh connection: the status of the send. */
function status(length: u32 = KEYBOARD_STATUS_REQUEST_SIZE, operation: u32 = KEYBOARD_STATUS): i32 {
  const connection = nameOpen(KEYBOARD_PATH, 5_000_000_000);
  if (connection < 0) return connection;
  store<u32>(request, operation);
  const result = msgSend(connection, request, length, changetype<usize>(reply), KEYBOARD_STATUS_REPLY_SIZE);
  handleClose(connection);
  return result;
}

/** Waits until instance `instance` (0: any) reports LEDs acknowledged. */
function awaitLeds(instance: u32): bool {
  const deadline = LEDS_WAIT / 10_000_000;
  for (let tick: i64 = 0; tick < deadline; tick++) {
    if (status() >= 0 && (instance == 0 || reply.instance == instance) && reply.leds != LEDS_UNKNOWN) return true;
    threadSleep(10_000_000);
  }
  return false;
}

export function _start(): void {
  expect(connectInit() > 0, "name.open /init");
  expect(awaitLeds(0), "the driver serves " + KEYBOARD_PATH + " and has its LEDs acknowledged within 3 s");
  expect(reply.leds == reply.locks, "the LEDs acknowledged are the locks (" + reply.leds.toString() + ", " + reply.locks.toString() + ")");
  expect(reply.ledCommands >= 1, "a set-LEDs command was acknowledged");
  let instance = reply.instance;
  let starts = reply.starts, taken = reply.taken, numbered = reply.numbered, ledCommands = reply.ledCommands;

  for (let round: u32 = 0; round < RESTARTS; round++) {
    const next = initRestart(instance);
    expect(next > 0 && <u32>next != instance, "init restarts the driver (round " + round.toString() + ")");
    instance = <u32>next;
    expect(awaitLeds(instance), "instance " + instance.toString() + " serves with its LEDs known");
    expect(reply.starts == starts + 1, "one more start on the same state object (" + reply.starts.toString() + " after " + starts.toString() + ")");
    expect(reply.taken >= taken && reply.numbered >= numbered, "the counts continue from the last instance's");
    expect(reply.ledCommands == ledCommands, "the new instance took the keyboard in step, setting no LEDs again (" + reply.ledCommands.toString() + " LED commands, " + ledCommands.toString() + " before)");
    expect(reply.leds == reply.locks, "the LEDs are the locks");
    expect(reply.decoded == reply.taken, "every byte taken is decoded");
    starts = reply.starts; taken = reply.taken; numbered = reply.numbered; ledCommands = reply.ledCommands;
  }

  expect(status(KEYBOARD_STATUS_REQUEST_SIZE + 4) == ERROR_INVALID_ARGUMENT, "a status request too long is refused");
  expect(status(2) == ERROR_INVALID_ARGUMENT, "a status request cut short is refused");
  expect(status(KEYBOARD_STATUS_REQUEST_SIZE, 77) == ERROR_INVALID_ARGUMENT, "an unknown operation is refused");
  expect(status() >= 0 && reply.instance == instance, "the same instance answers afterwards");
  log("keyboard-test: " + RESTARTS.toString() + " restarts, " + reply.starts.toString() + " starts, " + reply.ledCommands.toString() + " LED commands acknowledged");
  componentExit(0);
}
