// What the desktop's test programs share: inputEvent records built in
// memory and handed to a window's root, as the compositor will deliver them.

import { INPUT_BUTTON, INPUT_BUTTON_LEFT, INPUT_EVENT_SIZE, INPUT_KEY, INPUT_POINTER, INPUT_PRESSED, INPUT_RELEASED, InputEvent }
  from "../../../ipc/generated/abi";
import { Root } from "../../../desktop/toolkit/root";

const event = changetype<InputEvent>(heap.alloc(INPUT_EVENT_SIZE));

/** One inputEvent of these fields to `root`. */
export function sendEvent(root: Root, kind: u32, code: u32, value: u32, text: u32): void {
  event.kind = kind;
  event.code = code;
  event.value = value;
  event.text = text;
  root.handle(event);
}

/** A key pressed and released. */
export function pressKey(root: Root, code: u32, text: u32): void {
  sendEvent(root, INPUT_KEY, code, INPUT_PRESSED, text);
  sendEvent(root, INPUT_KEY, code, INPUT_RELEASED, text);
}

/** The pointer to (x, y), then the left button pressed (1) or released (0). */
export function pointerTo(root: Root, x: i32, y: i32): void { sendEvent(root, INPUT_POINTER, <u32>x, <u32>y, 0); }
export function leftButton(root: Root, pressed: bool): void {
  sendEvent(root, INPUT_BUTTON, INPUT_BUTTON_LEFT, pressed ? INPUT_PRESSED : INPUT_RELEASED, 0);
}
