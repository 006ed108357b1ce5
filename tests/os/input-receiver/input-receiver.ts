// Stands in for the compositor, which is not there yet, in the keyboard
// tests (tests/kernel/keyboard.test.ts): serves the input protocol on
// /desktop/input and rebuilds the text the keys make, line by line, in a
// state object, so that an instance killed in the middle of a line is
// followed by one that goes on with it.
//
// The ledger (ipc/client/input-ledger.ts) decides which events are new and
// commits their effect with their numbers in one store: the text's bytes
// are written past the committed length, and the length is among the
// ledger's extra bytes. Each complete line is printed once it is
// committed (`input-receiver: line N: TEXT`) and told to the killer by a
// pulse; an instance killed between the commit and the print prints it
// when it starts, so a line may be printed twice, never with other text.
//
// A key's text (`text` of a pressed or repeated key) is written as it is
// when printable; Enter ends the line; a C0 control as ^X; with Alt or
// Meta held, as M-X.

import "../lib/abort";
import {
  componentSelf, memoryMap, stateOpen, ERROR_INVALID_ARGUMENT, InputEvent, InputEventsReply, INPUT_ALT, INPUT_CONTROL, INPUT_EVENT_SIZE,
  INPUT_KEY, INPUT_META, INPUT_PATH, INPUT_PRESSED, INPUT_REPEATED, INPUT_TEXT_MASK, MAP_WRITABLE,
} from "../../../ipc/generated/index";
import { serveInput, InputHandlers } from "../../../ipc/generated/servers/input";
import { InputLedger, NamedConnection, Server } from "../../../ipc/client/index";
import { line } from "../lib/log";
import { pageAligned } from "../lib/pages";

/** The killer's path, told of each line by a pulse whose value is the line's number. */
export const KILLER_PATH = "/test/keyboard-killer";
export const PULSE_LINE: i32 = 1;

const TEXT_CAPACITY: u32 = 8192;
// The ledger's extra bytes: the committed text's length and its complete lines.
const EXTRA_LENGTH: u32 = 0;
const EXTRA_LINES: u32 = 4;
const EXTRA_BYTES: u32 = 8;
// The state object: the lines printed, the ledger, then the text.
const PRINTED: u32 = 0;
const LEDGER: u32 = 8;
const LEDGER_BYTES: u32 = InputLedger.bytes(EXTRA_BYTES);
const TEXT: u32 = (LEDGER + LEDGER_BYTES + 7) & ~7;
const STATE_SIZE: u32 = (TEXT + TEXT_CAPACITY + 4095) & ~4095;
const NEWLINE: u32 = 0x0a;
const BUFFER_SIZE: u32 = 2048;

let base: usize = 0;
let ledger: InputLedger = changetype<InputLedger>(0);
const killer = new NamedConnection(KILLER_PATH);

/** Writes `byte` at the working length, if there is room: the new length. */
function put(length: u32, byte: u32): u32 {
  if (length >= TEXT_CAPACITY) return length;
  store<u8>(base + TEXT + length, <u8>byte);
  return length + 1;
}

/** Applies one key event to the working copy's text. */
function apply(event: InputEvent): void {
  if (event.kind != INPUT_KEY || (event.value != INPUT_PRESSED && event.value != INPUT_REPEATED)) return;
  const character = event.text & INPUT_TEXT_MASK;
  if (character == 0) return;
  const extra = ledger.extra;
  let length = load<u32>(extra, EXTRA_LENGTH);
  if (character == NEWLINE) {
    length = put(length, NEWLINE);
    store<u32>(extra, load<u32>(extra, EXTRA_LINES) + 1, EXTRA_LINES);
  } else if (character < 0x20 || character == 0x7f) {
    length = put(put(length, 0x5e), character ^ 0x40);
  } else {
    if ((event.text & (INPUT_ALT | INPUT_META)) != 0) length = put(put(length, 0x4d), 0x2d);
    length = put(length, character < 0x7f ? character : 0x3f);
  }
  store<u32>(extra, length, EXTRA_LENGTH);
}

/** Prints the committed lines not yet printed, and tells the killer of each. */
function printLines(): void {
  const committed = ledger.committedExtra;
  const lines = load<u32>(committed, EXTRA_LINES), length = load<u32>(committed, EXTRA_LENGTH);
  let printed = load<u32>(base, PRINTED);
  while (printed < lines) {
    // Line `printed` (from 0) starts after the printed-th newline.
    let start: u32 = 0, seen: u32 = 0;
    while (seen < printed) { if (load<u8>(base + TEXT + start) == NEWLINE) seen++; start++; }
    let end = start;
    while (end < length && load<u8>(base + TEXT + end) != NEWLINE) end++;
    line("line " + (printed + 1).toString() + ": " + String.UTF8.decodeUnsafe(base + TEXT + start, end - start));
    printed++;
    store<u32>(base, printed, PRINTED);
    killer.pulse(PULSE_LINE, <i64>printed);
  }
}

class Receiver extends InputHandlers {
  events(instance: u32, first: u32, events: usize, eventsLength: u32, reply: InputEventsReply): i32 {
    const count = eventsLength / INPUT_EVENT_SIZE;
    if (count == 0 || eventsLength % INPUT_EVENT_SIZE != 0) return ERROR_INVALID_ARGUMENT;
    ledger.begin();
    const skip = ledger.skip(instance, first, count);
    if (skip < 0) return skip;
    for (let i = <u32>skip; i < count; i++) apply(changetype<InputEvent>(events + i * INPUT_EVENT_SIZE));
    ledger.record(instance, first + count - 1);
    ledger.commit();
    reply.applied = ledger.applied(instance);
    printLines();
    return 0;
  }
}

export function _start(): void {
  const object = stateOpen("input", STATE_SIZE);
  if (object < 0) { line("state.open: " + object.toString()); return; }
  base = pageAligned(STATE_SIZE);
  const mapped = memoryMap(object, <u32>base, STATE_SIZE, MAP_WRITABLE);
  if (mapped < 0) { line("memory.map: " + mapped.toString()); return; }
  ledger = new InputLedger(base + LEDGER, EXTRA_BYTES);
  killer.resolveTimeout = 0;
  const server = new Server(INPUT_PATH);
  if (!server.isServing) { line("cannot serve " + INPUT_PATH + ": " + server.error.toString()); return; }
  const committed = ledger.committedExtra;
  line("component " + (<u32>componentSelf()).toString() + " serving " + INPUT_PATH + ": " + load<u32>(committed, EXTRA_LENGTH).toString()
    + " bytes of text, " + load<u32>(committed, EXTRA_LINES).toString() + " lines");
  printLines();
  serveInput(new Receiver(), server.channel, BUFFER_SIZE);
}
