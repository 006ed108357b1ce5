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
// up to INPUT_EVENTS_MAXIMUM of them in its tail. KEY_* name the HID usages
// the drivers and the compositor use. The driver side is drivers/lib/input,
// the compositor's ledger ipc/client/input-ledger.ts.
//
// The `keyboard` protocol is the PS/2 keyboard driver's own status on
// /dev/keyboard (drivers/keyboard/README.md).

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
  { name: "KEY_A", value: 0x04, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): a and A; the letters follow in order to KEY_Z." },
  { name: "KEY_Z", value: 0x1d, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): z and Z." },
  { name: "KEY_1", value: 0x1e, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): 1 and !; the digits follow in order, 2 to 9, then KEY_0." },
  { name: "KEY_0", value: 0x27, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): 0 and )." },
  { name: "KEY_ENTER", value: 0x28, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Enter (Return)." },
  { name: "KEY_ESCAPE", value: 0x29, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Escape." },
  { name: "KEY_BACKSPACE", value: 0x2a, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Backspace." },
  { name: "KEY_TAB", value: 0x2b, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Tab." },
  { name: "KEY_SPACE", value: 0x2c, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the space bar." },
  { name: "KEY_CAPS_LOCK", value: 0x39, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Caps Lock." },
  { name: "KEY_F1", value: 0x3a, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): F1; F2 to F12 follow in order." },
  { name: "KEY_F12", value: 0x45, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): F12." },
  { name: "KEY_PRINT_SCREEN", value: 0x46, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Print Screen (SysRq)." },
  { name: "KEY_SCROLL_LOCK", value: 0x47, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Scroll Lock." },
  { name: "KEY_PAUSE", value: 0x48, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Pause (Break)." },
  { name: "KEY_INSERT", value: 0x49, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Insert." },
  { name: "KEY_HOME", value: 0x4a, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Home." },
  { name: "KEY_PAGE_UP", value: 0x4b, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Page Up." },
  { name: "KEY_DELETE", value: 0x4c, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Delete (forward)." },
  { name: "KEY_END", value: 0x4d, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): End." },
  { name: "KEY_PAGE_DOWN", value: 0x4e, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Page Down." },
  { name: "KEY_RIGHT", value: 0x4f, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the right arrow." },
  { name: "KEY_LEFT", value: 0x50, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the left arrow." },
  { name: "KEY_DOWN", value: 0x51, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the down arrow." },
  { name: "KEY_UP", value: 0x52, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the up arrow." },
  { name: "KEY_NUM_LOCK", value: 0x53, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): Num Lock." },
  { name: "KEY_KEYPAD_ENTER", value: 0x58, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the keypad's Enter." },
  { name: "KEY_MENU", value: 0x65, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the Menu (Application) key." },
  { name: "KEY_LEFT_CONTROL", value: 0xe0, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the left Control; the other modifiers follow: left Shift, Alt, Meta, then right Control, Shift, Alt, Meta (0xE7)." },
  { name: "KEY_LEFT_SHIFT", value: 0xe1, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the left Shift." },
  { name: "KEY_LEFT_ALT", value: 0xe2, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the left Alt." },
  { name: "KEY_LEFT_META", value: 0xe3, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the left Meta (Windows) key." },
  { name: "KEY_RIGHT_CONTROL", value: 0xe4, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the right Control." },
  { name: "KEY_RIGHT_SHIFT", value: 0xe5, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the right Shift." },
  { name: "KEY_RIGHT_ALT", value: 0xe6, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the right Alt (AltGr)." },
  { name: "KEY_RIGHT_META", value: 0xe7, type: "u32", doc: "inputEvent code (a USB HID keyboard usage): the right Meta (Windows) key." },
  { name: "KEYBOARD_LED_SCROLL_LOCK", value: 1, type: "u32", doc: "keyboard.status leds: the Scroll Lock LED (the PS/2 set-LEDs command's bit 0)." },
  { name: "KEYBOARD_LED_NUM_LOCK", value: 2, type: "u32", doc: "keyboard.status leds: the Num Lock LED (bit 1)." },
  { name: "KEYBOARD_LED_CAPS_LOCK", value: 4, type: "u32", doc: "keyboard.status leds: the Caps Lock LED (bit 2)." },
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
  {
    name: "keyboard", path: "/dev/keyboard",
    doc: "The PS/2 keyboard driver's own state, for whoever watches it (its tests, a system monitor): what it took from the controller and what it handed on, across all its instances, and the LEDs the keyboard acknowledged (drivers/keyboard/README.md).",
    messages: [
      {
        name: "status", operation: 1, idempotent: true,
        doc: "The driver's counts and lock state, from its state object.",
        request: [],
        reply: [
          { name: "instance", type: "u32", doc: "This instance's component id." },
          { name: "starts", type: "u32", doc: "Instances of the driver that have started on this state object, this one included." },
          { name: "taken", type: "u32", doc: "Bytes taken from the controller's data port (port.take), by every instance." },
          { name: "decoded", type: "u32", doc: "Of those, the bytes decoded into events and state." },
          { name: "numbered", type: "u32", doc: "Events numbered and queued for the compositor, by every instance." },
          { name: "applied", type: "u32", doc: "Of those, the events the compositor said it applied." },
          { name: "repeats", type: "u32", doc: "INPUT_REPEATED events the driver's typematic repeat made." },
          { name: "locks", type: "u32", doc: "The locks on: KEYBOARD_LED_* bits (Caps, Num, Scroll Lock)." },
          { name: "leds", type: "u32", doc: "The LEDs the keyboard acknowledged last (KEYBOARD_LED_* bits): the byte of the last set-LEDs command after the keyboard's ACK of it." },
          { name: "ledCommands", type: "u32", doc: "Set-LEDs commands the keyboard acknowledged, by every instance." },
        ],
      },
    ],
    errors: [],
  },
];
