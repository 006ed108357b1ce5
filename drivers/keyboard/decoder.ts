// Decoding: one byte of the ring into the working checkpoint (state.ts)
// and, for a key, events written past the queue's committed end. The
// caller commits; until then nothing here is visible, so a byte decoded
// by an instance killed before its commit is decoded again by the next.
//
// The same stream carries the keyboard's replies to the driver's commands
// (ACK, resend, echo), which drive the command exchange:
//   SYNC    every instance starts here: it writes echo (EE) and waits for
//           the echo back. A command a killed instance left half-written
//           (set-LEDs waiting for its LED byte) takes the echo as its
//           argument and ACKs, and the driver writes echo again; once an
//           echo comes back, every earlier command's reply has come too.
//   SCRIPT  the bytes of `script` one at a time, each after the ACK of the
//           one before: scancode set 2 (translated to set 1 by the
//           controller) and the LEDs, or the LEDs alone after a lock key.
//   IDLE    nothing awaited; a lock that changes starts a LED script.
// A write of the exchange made by an instance that is killed before its
// commit is repeated or not by the next instance's own SYNC. An instance
// begins there unless its predecessor's committed checkpoint stood IDLE
// with every byte it wrote answered: each byte is counted in the state
// object before it is written, and IDLE records the count (inStep), so
// a count that moved since says a byte may be on its way.

import {
  INPUT_ALT, INPUT_CAPS_LOCK, INPUT_CONTROL, INPUT_KEY, INPUT_META, INPUT_NUM_LOCK, INPUT_PRESSED, INPUT_RELEASED,
  INPUT_REPEATED, INPUT_SHIFT, KEY_CAPS_LOCK, KEY_LEFT_CONTROL, KEY_NUM_LOCK, KEY_PAUSE, KEY_SCROLL_LOCK,
  KEYBOARD_LED_CAPS_LOCK, KEYBOARD_LED_NUM_LOCK, KEYBOARD_LED_SCROLL_LOCK,
} from "../../ipc/generated/index";
import { InputQueue } from "../lib/input/index";
import { KEYBOARD_ACK, KEYBOARD_ECHO, KEYBOARD_RESEND, KEYBOARD_SCANCODE_SET, KEYBOARD_SET_LEDS, writeKeyboard } from "./i8042";
import { usageOf } from "./scancodes";
import { characterOf } from "./layout";
import { Checkpoint } from "./state";

export const COMMANDS_IDLE: u32 = 0;
export const COMMANDS_SYNC: u32 = 1;
export const COMMANDS_SCRIPT: u32 = 2;

/** The most events one byte makes (Pause: a press and its release). */
export const EVENTS_PER_BYTE: u32 = 2;

const PREFIX_EXTENDED: u32 = 0xe0;
const PREFIX_PAUSE: u32 = 0xe1;
/** After E1: the two bytes that follow it (1D 45 for Pause, 9D C5 for its break half). */
const PAUSE_BYTES: u32 = 2;
const PAUSE_LAST: u32 = 0x45;
const BREAK: u32 = 0x80;

/** The modifier keys' usages, 0xE0..0xE7: bit i of `modifiers` is usage 0xE0 + i. */
const MODIFIER_FIRST: u32 = KEY_LEFT_CONTROL;
const MODIFIER_LAST: u32 = MODIFIER_FIRST + 7;
const CONTROL_KEYS: u32 = 0x11;
const SHIFT_KEYS: u32 = 0x22;
const ALT_KEYS: u32 = 0x44;
const META_KEYS: u32 = 0x88;

/** Scancode set 2: the keyboard's own set, which the controller translates to set 1. */
const SCANCODE_SET_2: u32 = 2;

/** Where the decoder writes events: the queue and this instance's number. */
export class Events {
  constructor(readonly queue: InputQueue, readonly instance: u32) {}

  /** Numbers an event in `checkpoint` and writes it at its tail. */
  add(checkpoint: Checkpoint, code: u32, value: u32, text: u32): void {
    const tail = checkpoint.tail;
    this.queue.write(tail, this.instance, checkpoint.nextSequence, INPUT_KEY, code, value, text);
    checkpoint.tail = tail + 1;
    checkpoint.nextSequence = checkpoint.nextSequence + 1;
    checkpoint.numbered = checkpoint.numbered + 1;
  }
}

/** The modifier and lock bits of the input protocol for `checkpoint`'s state. */
function modifierBits(checkpoint: Checkpoint): u32 {
  const held = checkpoint.modifiers, locks = checkpoint.locks;
  let bits: u32 = 0;
  if ((held & SHIFT_KEYS) != 0) bits |= INPUT_SHIFT;
  if ((held & CONTROL_KEYS) != 0) bits |= INPUT_CONTROL;
  if ((held & ALT_KEYS) != 0) bits |= INPUT_ALT;
  if ((held & META_KEYS) != 0) bits |= INPUT_META;
  if ((locks & KEYBOARD_LED_CAPS_LOCK) != 0) bits |= INPUT_CAPS_LOCK;
  if ((locks & KEYBOARD_LED_NUM_LOCK) != 0) bits |= INPUT_NUM_LOCK;
  return bits;
}

/** An inputEvent's `text` for `usage`: its character and the modifier bits. */
export function textOf(checkpoint: Checkpoint, usage: u32): u32 {
  const held = checkpoint.modifiers, locks = checkpoint.locks;
  const character = characterOf(usage, (held & SHIFT_KEYS) != 0, (held & CONTROL_KEYS) != 0,
    (locks & KEYBOARD_LED_CAPS_LOCK) != 0, (locks & KEYBOARD_LED_NUM_LOCK) != 0);
  return character | modifierBits(checkpoint);
}

/** The lock bit a lock key toggles, or 0. */
function lockOf(usage: u32): u32 {
  if (usage == KEY_CAPS_LOCK) return KEYBOARD_LED_CAPS_LOCK;
  if (usage == KEY_NUM_LOCK) return KEYBOARD_LED_NUM_LOCK;
  if (usage == KEY_SCROLL_LOCK) return KEYBOARD_LED_SCROLL_LOCK;
  return 0;
}

/** Whether the driver's typematic repeat repeats `usage`: not modifiers, locks or Pause. */
function repeats(usage: u32): bool {
  return usage != KEY_PAUSE && lockOf(usage) == 0 && (usage < MODIFIER_FIRST || usage > MODIFIER_LAST);
}

// ---- the command exchange ---------------------------------------------------

/** The state object's count of bytes written to the keyboard (KeyboardState.writtenAddress); 0 until set. */
let writtenAt: usize = 0;

/** Counts the bytes written to the keyboard at `address` from now on. */
export function countWritesAt(address: usize): void {
  writtenAt = address;
}

function written(): u32 {
  return writtenAt != 0 ? load<u32>(writtenAt) : 0;
}

/** Writes `byte` to the keyboard, counted first: a kill between the two leaves the count ahead, which is safe. */
function write(byte: u32): void {
  if (writtenAt != 0) store<u32>(writtenAt, written() + 1);
  writeKeyboard(byte);
}

/** Writes the script's byte `at`. */
function writeScriptByte(checkpoint: Checkpoint, at: u32): void {
  checkpoint.scriptAt = at;
  write((checkpoint.script >> (at * 8)) & 0xff);
}

function startScript(checkpoint: Checkpoint, script: u32, length: u32): void {
  checkpoint.commandPhase = COMMANDS_SCRIPT;
  checkpoint.script = script;
  checkpoint.scriptLength = length;
  writeScriptByte(checkpoint, 0);
}

/** Starts setting the LEDs to the locks, when nothing else is under way and they differ. */
function updateLeds(checkpoint: Checkpoint): void {
  if (checkpoint.commandPhase == COMMANDS_IDLE && checkpoint.leds != checkpoint.locks) {
    startScript(checkpoint, KEYBOARD_SET_LEDS | (checkpoint.locks << 8), 2);
  }
}

/**
 * Begins an instance's exchange with the keyboard. When the last
 * instance's committed exchange stood idle and no byte was written since,
 * the keyboard is in step and its LEDs are what the checkpoint says:
 * nothing to do. Otherwise SYNC, and the LEDs are set again once in step,
 * since a killed instance may have left them half-set.
 */
export function beginCommands(checkpoint: Checkpoint): void {
  if (checkpoint.commandPhase == COMMANDS_IDLE && checkpoint.inStep != 0 && checkpoint.inStep - 1 == written()) return;
  checkpoint.inStep = 0;
  checkpoint.commandPhase = COMMANDS_SYNC;
  checkpoint.leds = 0xff;
  write(KEYBOARD_ECHO);
}

/** A reply of the keyboard: true when `byte` was one (it is no scancode). */
function reply(checkpoint: Checkpoint, byte: u32): bool {
  if (byte != KEYBOARD_ACK && byte != KEYBOARD_RESEND && byte != KEYBOARD_ECHO) return false;
  const phase = checkpoint.commandPhase;
  if (phase == COMMANDS_SYNC) {
    if (byte == KEYBOARD_ECHO) {
      // In step: scancode set 2, then the LEDs.
      startScript(checkpoint, KEYBOARD_SCANCODE_SET | (SCANCODE_SET_2 << 8) | (KEYBOARD_SET_LEDS << 16) | (checkpoint.locks << 24), 4);
    } else {
      // The echo was taken as a half-written command's argument, or must be sent again.
      write(KEYBOARD_ECHO);
    }
  } else if (phase == COMMANDS_SCRIPT) {
    if (byte == KEYBOARD_RESEND) {
      writeScriptByte(checkpoint, checkpoint.scriptAt);
    } else if (byte == KEYBOARD_ACK) {
      const at = checkpoint.scriptAt;
      if (at >= 1 && ((checkpoint.script >> ((at - 1) * 8)) & 0xff) == KEYBOARD_SET_LEDS) {
        // The LED byte was acknowledged: the LEDs are what it said.
        checkpoint.leds = (checkpoint.script >> (at * 8)) & 0xff;
        checkpoint.ledCommands = checkpoint.ledCommands + 1;
      }
      if (at + 1 < checkpoint.scriptLength) {
        writeScriptByte(checkpoint, at + 1);
      } else {
        checkpoint.commandPhase = COMMANDS_IDLE;
        updateLeds(checkpoint);
        // Every byte written is answered: a successor may start from here.
        if (checkpoint.commandPhase == COMMANDS_IDLE) checkpoint.inStep = written() + 1;
      }
    }
    // An echo here answers an extra echo of SYNC: nothing to do.
  }
  return true;
}

// ---- keys -------------------------------------------------------------------

function press(checkpoint: Checkpoint, events: Events, usage: u32): void {
  // A make code of a key already down is the keyboard's own typematic repeat: the driver repeats keys itself.
  if (checkpoint.isDown(usage)) return;
  checkpoint.setDown(usage, true);
  if (usage >= MODIFIER_FIRST && usage <= MODIFIER_LAST) checkpoint.modifiers = checkpoint.modifiers | (1 << (usage - MODIFIER_FIRST));
  const lock = lockOf(usage);
  if (lock != 0) {
    checkpoint.locks = checkpoint.locks ^ lock;
    updateLeds(checkpoint);
  }
  events.add(checkpoint, usage, INPUT_PRESSED, textOf(checkpoint, usage));
  if (repeats(usage)) checkpoint.repeatKey = usage;
}

function release(checkpoint: Checkpoint, events: Events, usage: u32): void {
  // A break of a key not down (held since before the driver first started): no event.
  if (!checkpoint.isDown(usage)) return;
  checkpoint.setDown(usage, false);
  if (usage >= MODIFIER_FIRST && usage <= MODIFIER_LAST) checkpoint.modifiers = checkpoint.modifiers & ~(1 << (usage - MODIFIER_FIRST));
  events.add(checkpoint, usage, INPUT_RELEASED, textOf(checkpoint, usage));
  if (checkpoint.repeatKey == usage) checkpoint.repeatKey = 0;
}

/** Decodes `byte` into `checkpoint` (the working copy), with room for EVENTS_PER_BYTE events past its tail. */
export function decode(checkpoint: Checkpoint, events: Events, byte: u32): void {
  checkpoint.decoded = checkpoint.decoded + 1;
  if (reply(checkpoint, byte)) return;
  const prefix = checkpoint.prefix;
  if (prefix > PREFIX_PAUSE && prefix <= PREFIX_PAUSE + PAUSE_BYTES) {
    // Inside a Pause sequence: its make half ends with 45, and Pause has no break.
    checkpoint.prefix = prefix == PREFIX_PAUSE + 1 ? 0 : prefix - 1;
    if (prefix == PREFIX_PAUSE + 1 && byte == PAUSE_LAST) {
      events.add(checkpoint, KEY_PAUSE, INPUT_PRESSED, modifierBits(checkpoint));
      events.add(checkpoint, KEY_PAUSE, INPUT_RELEASED, modifierBits(checkpoint));
    }
    return;
  }
  if (byte == PREFIX_EXTENDED) { checkpoint.prefix = PREFIX_EXTENDED; return; }
  if (byte == PREFIX_PAUSE) { checkpoint.prefix = PREFIX_PAUSE + PAUSE_BYTES; return; }
  checkpoint.prefix = 0;
  const usage = usageOf(byte & ~BREAK, prefix == PREFIX_EXTENDED);
  if (usage == 0) return;
  if ((byte & BREAK) == 0) press(checkpoint, events, usage);
  else release(checkpoint, events, usage);
}

/** The typematic repeat of the held key, into `checkpoint` (the working copy): false when no key repeats. */
export function repeat(checkpoint: Checkpoint, events: Events): bool {
  const usage = checkpoint.repeatKey;
  if (usage == 0) return false;
  events.add(checkpoint, usage, INPUT_REPEATED, textOf(checkpoint, usage));
  checkpoint.repeats = checkpoint.repeats + 1;
  return true;
}
