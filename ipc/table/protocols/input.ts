// The input protocol: how input drivers (the PS/2 keyboard, the
// virtio-tablet pointer) hand their events to the compositor, which serves
// it. Drivers are the clients and hold the session state, as every Delos
// client does: each event carries the driver instance's component id and a
// sequence number that instance counts from 1, and the compositor applies
// an event only when its sequence number is above the last it applied from
// that instance (which it keeps in its state object, so that a new
// compositor instance knows it). A driver keeps every event until a reply
// says it was applied and re-sends the rest after DEAD_SERVER; so across a
// restart of either side nothing is delivered twice or skipped.
//
// An event is one `inputEvent` record (16 bytes, below); `events` carries
// up to INPUT_EVENTS_MAXIMUM of them in its tail.

import type { Constant, Protocol, Record } from "../schema";

export const inputRecords: Record[] = [
  {
    name: "inputEvent", doc: "One input event, as drivers send it (input.events) and the compositor delivers it to windows.",
    fields: [
      { name: "kind", type: "u32", doc: "INPUT_KEY, INPUT_POINTER, INPUT_BUTTON or INPUT_WHEEL." },
      { name: "code", type: "u32", doc: "INPUT_KEY: the key's code, a USB HID keyboard usage (page 7: 0x04 is A, 0x28 Enter); INPUT_BUTTON: INPUT_BUTTON_LEFT/RIGHT/MIDDLE; INPUT_POINTER: x from 0 to INPUT_POINTER_MAXIMUM across the screen; INPUT_WHEEL: 0 vertical, 1 horizontal." },
      { name: "value", type: "u32", doc: "INPUT_KEY and INPUT_BUTTON: INPUT_RELEASED, INPUT_PRESSED or INPUT_REPEATED (keys only); INPUT_POINTER: y from 0 to INPUT_POINTER_MAXIMUM down the screen; INPUT_WHEEL: the steps as an i32 (positive: away from the user, or right)." },
      { name: "text", type: "u32", doc: "INPUT_KEY: the character the key makes under the driver's layout and the current modifiers (a Unicode codepoint; 0: none), in its low 21 bits, and the modifiers held (INPUT_SHIFT, INPUT_CONTROL, INPUT_ALT, INPUT_META, INPUT_CAPS_LOCK, INPUT_NUM_LOCK) from bit 24; 0 for other kinds." },
    ],
  },
];

export const inputConstants: Constant[] = [
  { name: "INPUT_KEY", value: 1, type: "u32", doc: "inputEvent kind: a key was pressed, released or repeated." },
  { name: "INPUT_POINTER", value: 2, type: "u32", doc: "inputEvent kind: the pointer is at an absolute position." },
  { name: "INPUT_BUTTON", value: 3, type: "u32", doc: "inputEvent kind: a pointer button was pressed or released." },
  { name: "INPUT_WHEEL", value: 4, type: "u32", doc: "inputEvent kind: the wheel turned." },
  { name: "INPUT_RELEASED", value: 0, type: "u32", doc: "inputEvent value: released." },
  { name: "INPUT_PRESSED", value: 1, type: "u32", doc: "inputEvent value: pressed." },
  { name: "INPUT_REPEATED", value: 2, type: "u32", doc: "inputEvent value: a held key repeated (the driver's typematic repeat)." },
  { name: "INPUT_BUTTON_LEFT", value: 1, type: "u32", doc: "inputEvent code of the left button." },
  { name: "INPUT_BUTTON_RIGHT", value: 2, type: "u32", doc: "inputEvent code of the right button." },
  { name: "INPUT_BUTTON_MIDDLE", value: 3, type: "u32", doc: "inputEvent code of the middle button." },
  { name: "INPUT_POINTER_MAXIMUM", value: 32767, type: "u32", doc: "The largest absolute pointer coordinate (the far edge of the screen)." },
  { name: "INPUT_TEXT_MASK", value: 0x1fffff, type: "u32", doc: "inputEvent text: the codepoint's bits." },
  { name: "INPUT_SHIFT", value: 1 << 24, type: "u32", doc: "inputEvent text modifier: a Shift key is held." },
  { name: "INPUT_CONTROL", value: 1 << 25, type: "u32", doc: "inputEvent text modifier: a Control key is held." },
  { name: "INPUT_ALT", value: 1 << 26, type: "u32", doc: "inputEvent text modifier: an Alt key is held." },
  { name: "INPUT_META", value: 1 << 27, type: "u32", doc: "inputEvent text modifier: a Meta (Windows) key is held." },
  { name: "INPUT_CAPS_LOCK", value: 1 << 28, type: "u32", doc: "inputEvent text modifier: Caps Lock is on." },
  { name: "INPUT_NUM_LOCK", value: 1 << 29, type: "u32", doc: "inputEvent text modifier: Num Lock is on." },
  { name: "INPUT_EVENTS_MAXIMUM", value: 64, type: "u32", doc: "The most events one input.events request carries." },
];

export const inputProtocols: Protocol[] = [
  {
    name: "input", path: "/desktop/input",
    doc: "Input drivers hand their events to the compositor. Each request names the driver instance and the sequence number of its first event; the compositor applies those above the last it applied from that instance, in order, and replies with the last it has applied, so a re-sent request applies nothing twice.",
    messages: [
      {
        name: "events", operation: 1, idempotent: true,
        doc: "Events of one driver instance, in order, numbered from `first`: events[i] has sequence number first + i. Sequence numbers start at 1 for each instance and have no gaps.",
        request: [
          { name: "instance", type: "u32", doc: "The driver instance's component id (component.self)." },
          { name: "first", type: "u32", doc: "The sequence number of the first event in `events`." },
          { name: "events", type: "bytes", doc: "1 to INPUT_EVENTS_MAXIMUM inputEvent records (a multiple of INPUT_EVENT_SIZE bytes)." },
        ],
        reply: [
          { name: "applied", type: "u32", doc: "The highest sequence number of this instance the compositor has applied (0: none): the driver may forget the events up to it." },
        ],
      },
    ],
    errors: [
      { name: "SEQUENCE_GAP", code: 256, doc: "`first` is more than one above the last applied sequence number of this instance: events would be skipped. The reply's status only; the driver re-sends from the last applied + 1." },
    ],
  },
];
