// The PS/2 keyboard driver: the i8042 controller's keyboard (ports 0x60
// and 0x64, ISA line 1), decoded to USB HID usages and US-layout text and
// handed to the compositor as numbered input events (README.md).
//
// Two threads. The reader serves /dev/keyboard (the keyboard protocol's
// status), and on the same channel receives the interrupt's pulses, the
// typematic timer's and the sender's: it takes bytes from the controller
// into the state object's ring, decodes them into events and commits. The
// sender hands the committed events to the compositor and waits for its
// replies, which may take long (a compositor restarting); meanwhile the
// reader keeps draining the controller, whose 16 bytes would otherwise
// overflow. The component lock lets one thread at a time run wasm code,
// and a thread gives it up only in a system call, so the flags the two
// share need nothing more.

import "../../sdk/lib/abort";
import {
  channelCreate, clockNow, componentSelf, connectionCreate, errorName, interruptAttach, interruptUnmask, memoryMap,
  pulseSend, stateOpen, threadCreate, timerCreate, timerSet, msgReceive, Pulse, MAP_WRITABLE, PULSE_SIZE,
  KEYBOARD_PATH, KeyboardStatusReply,
} from "../../ipc/generated/index";
import { KeyboardHandlers, serveKeyboard } from "../../ipc/generated/servers/keyboard";
import { Server, awaitTakeOver } from "../../ipc/client/index";
import { InputSender } from "../lib/input/index";
import { log } from "../../sdk/lib/log";
import { configure, drop, status, take, STATUS_AUXILIARY, STATUS_OUTPUT_FULL } from "./i8042";
import { beginCommands, countWritesAt, decode, repeat, Events, EVENTS_PER_BYTE } from "./decoder";
import { KeyboardState, RING_SLOTS, STATE_NAME, STATE_SIZE } from "./state";

/** The keyboard's ISA interrupt line. */
const LINE: u32 = 1;
/** The typematic repeat: the first repeat this long after the press, then one every REPEAT_INTERVAL. */
const REPEAT_DELAY: i64 = 500_000_000;
const REPEAT_INTERVAL: i64 = 40_000_000;

// Pulse codes on the reader's channel, and on the sender's.
const PULSE_INTERRUPT: i32 = 1;
const PULSE_REPEAT: i32 = 2;
/** The sender made room in the queue. */
const PULSE_ROOM: i32 = 3;
/** The reader committed events. */
const PULSE_EVENTS: i32 = 4;

const SENDER_PRIORITY: i32 = 20;
const BUFFER_SIZE: u32 = 64;

let state: KeyboardState = changetype<KeyboardState>(0);
let events: Events = changetype<Events>(0);
let instance: u32 = 0;
let interrupt: i32 = 0;
let readerConnection: i32 = 0;
let senderChannel: i32 = 0;
let senderConnection: i32 = 0;
let repeatTimer: i32 = 0;
/** The key the repeat timer is armed for (0: disarmed), and when its next repeat is due. */
let armedKey: u32 = 0;
let repeatDue: i64 = 0;
/** The sender waits for an EVENTS pulse; the reader waits for a ROOM pulse. */
let senderIdle = false;
let readerNeedsRoom = false;

/** Commits the working checkpoint, then tells the sender and arms or disarms the repeat for the key now held. */
function commit(): void {
  state.commit();
  const committed = state.committed;
  if (senderIdle && committed.tail != state.queue.head) {
    senderIdle = false;
    pulseSend(senderConnection, PULSE_EVENTS, 0);
  }
  const key = committed.repeatKey;
  if (key != armedKey) {
    armedKey = key;
    if (key != 0) {
      repeatDue = clockNow() + REPEAT_DELAY;
      timerSet(repeatTimer, REPEAT_DELAY, REPEAT_INTERVAL);
    } else {
      timerSet(repeatTimer, 0, 0);
    }
  }
}

/** Takes every byte the controller holds, while the ring has room. */
function takeBytes(): void {
  while (state.taken - state.committed.decoded < RING_SLOTS) {
    const bits = status();
    if ((bits & STATUS_OUTPUT_FULL) == 0) return;
    if ((bits & STATUS_AUXILIARY) != 0) { drop(); continue; }
    const n = state.taken;
    const result = take(n + 1, state.slot(n));
    if (result < 0) { log("port.take: " + errorName(result)); return; }
    state.countTaken();
  }
}

/** Decodes the ring's bytes while the queue has room for what a byte makes: false when it had none. */
function decodeBytes(): bool {
  while (state.committed.decoded != state.taken) {
    const committed = state.committed;
    if (state.queue.room(committed.tail) < EVENTS_PER_BYTE) return false;
    const byte = state.byte(committed.decoded);
    decode(state.begin(), events, byte);
    commit();
  }
  return true;
}

/** Takes and decodes until the controller is empty or the queue full (then the sender's ROOM pulse resumes it). */
function service(): void {
  while (true) {
    takeBytes();
    if (!decodeBytes()) { readerNeedsRoom = true; return; }
    if ((status() & STATUS_OUTPUT_FULL) == 0) return;
  }
}

/** A repeat pulse: the held key's next INPUT_REPEATED event, unless the key was let go or it is early. */
function repeatKey(): void {
  if (armedKey == 0 || clockNow() < repeatDue - REPEAT_INTERVAL / 2) return;
  repeatDue += REPEAT_INTERVAL;
  // A repeat that finds the queue full is dropped: repeats stand for time held, not for keys typed.
  if (state.queue.room(state.committed.tail) < 1) return;
  if (repeat(state.begin(), events)) commit();
}

class Keyboard extends KeyboardHandlers {
  status(reply: KeyboardStatusReply): i32 {
    const committed = state.committed;
    reply.instance = instance;
    reply.starts = state.starts;
    reply.taken = state.taken;
    reply.decoded = committed.decoded;
    reply.numbered = committed.numbered;
    reply.applied = committed.numbered - (committed.tail - state.queue.head);
    reply.repeats = committed.repeats;
    reply.locks = committed.locks;
    reply.leds = committed.leds;
    reply.ledCommands = committed.ledCommands;
    return 0;
  }

  pulse(pulse: Pulse): void {
    const code = pulse.code;
    if (code == PULSE_INTERRUPT) {
      service();
      interruptUnmask(interrupt);
    } else if (code == PULSE_ROOM) {
      if (readerNeedsRoom) { readerNeedsRoom = false; service(); }
    } else if (code == PULSE_REPEAT) {
      repeatKey();
    }
  }
}

/**
 * The sender thread: hands committed events to the compositor, oldest
 * first, for ever. It is made before the instance may touch the state
 * (a warm spare makes it before it stands by), so it waits for the
 * reader's first EVENTS pulse, sent once the state is mapped.
 */
function sendEvents(_argument: i32): void {
  const sender = new InputSender();
  const pulse = changetype<Pulse>(heap.alloc(PULSE_SIZE));
  do msgReceive(senderChannel, changetype<usize>(pulse), PULSE_SIZE, 0); while (changetype<usize>(state) == 0);
  while (true) {
    const tail = state.committed.tail;
    if (state.queue.head == tail) {
      senderIdle = true;
      msgReceive(senderChannel, changetype<usize>(pulse), PULSE_SIZE, 0);
      continue;
    }
    const moved = sender.sendOnce(state.queue, tail);
    if (moved > 0 && readerNeedsRoom) pulseSend(readerConnection, PULSE_ROOM, 0);
    else if (moved < 0) log("sending to the compositor: " + errorName(moved) + "; trying again");
  }
}

export function _start(): void {
  instance = <u32>componentSelf();
  // What needs neither the state, the name nor the controller is made first: a warm spare makes it before it
  // stands by, so that its take-over does not.
  const channel = channelCreate(0);
  readerConnection = channel > 0 ? connectionCreate(channel) : channel;
  senderChannel = channelCreate(0);
  senderConnection = senderChannel > 0 ? connectionCreate(senderChannel) : senderChannel;
  repeatTimer = readerConnection > 0 ? timerCreate(readerConnection, PULSE_REPEAT, 0) : readerConnection;
  if (readerConnection < 0 || senderConnection < 0 || repeatTimer < 0) { log("cannot make the driver's channels and timer"); return; }
  const sender = threadCreate(sendEvents.index, 0, SENDER_PRIORITY);
  if (sender < 0) { log("thread.create of the sender: " + errorName(sender)); return; }
  // As init's warm spare, this waits here until the running instance has ended: nothing of the state or the
  // controller is touched before.
  awaitTakeOver();
  const object = stateOpen(STATE_NAME, STATE_SIZE);
  if (object < 0) { log("state.open " + STATE_NAME + ": " + errorName(object)); return; }
  const base = (heap.alloc(STATE_SIZE + 4096) + 4095) & ~(<usize>4095);
  const mapped = memoryMap(object, <u32>base, STATE_SIZE, MAP_WRITABLE);
  if (mapped < 0) { log("memory.map of the state object: " + errorName(mapped)); return; }
  state = new KeyboardState(base);
  events = new Events(state.queue, instance);
  state.started();
  countWritesAt(state.writtenAddress);
  const recovered = state.recover();

  const server = new Server(KEYBOARD_PATH, channel);
  if (!server.isServing) { log("cannot serve " + KEYBOARD_PATH + ": " + errorName(server.error)); return; }

  // This instance numbers its events from 1; its predecessors' stay queued under their numbers.
  const checkpoint = state.begin();
  checkpoint.instance = instance;
  checkpoint.nextSequence = 1;
  // The controller keeps its configuration: only the first instance writes it (or one whose predecessors
  // never committed that they did).
  if (checkpoint.configured == 0) {
    if (configure()) checkpoint.configured = 1;
    else log("the controller takes no bytes");
  }
  beginCommands(checkpoint);
  commit();

  interrupt = interruptAttach(LINE, readerConnection, PULSE_INTERRUPT);
  if (interrupt < 0) { log("interrupt.attach " + LINE.toString() + ": " + errorName(interrupt)); return; }
  // The sender may touch the state from now on.
  pulseSend(senderConnection, PULSE_EVENTS, 0);
  // What a restart carried over, when it carried something: init's line tells each start, and every line
  // on COM1 is time the new instance does not serve.
  const pending = state.committed.tail - state.queue.head;
  if (pending > 0 || recovered > 0) {
    log("component " + instance.toString() + " (start " + state.starts.toString() + "): " + pending.toString() + " events to send"
      + (recovered > 0 ? ", " + recovered.toString() + " taken byte recovered" : ""));
  }
  // What the controller held before the line was attached raised no pulse of ours.
  service();
  serveKeyboard(new Keyboard(), server.channel, BUFFER_SIZE);
}
