// Window events as input events: the compositor delivers a window's input
// as windowEvent records (ipc/table/protocols/window.ts: key, pointer,
// button and wheel, with the pointer's place in the window's content),
// while widgets and the terminal's keyboard take inputEvent records
// (ipc/table/protocols/input.ts). A button or a wheel step comes with the
// pointer's place, so the pointer is moved there first.

import {
  INPUT_BUTTON, INPUT_EVENT_SIZE, INPUT_KEY, INPUT_POINTER, INPUT_WHEEL, InputEvent, WINDOW_EVENT_BUTTON, WINDOW_EVENT_KEY,
  WINDOW_EVENT_POINTER, WINDOW_EVENT_WHEEL, WindowEvent,
} from "../../ipc/generated/abi";
import { Root } from "./root";

export class WindowInput {
  /** The last conversion's record (valid until the next call). */
  readonly record: InputEvent = changetype<InputEvent>(heap.alloc(INPUT_EVENT_SIZE));

  /** The inputEvent a key event stands for, or null when `event` is not a key. */
  key(event: WindowEvent): InputEvent | null {
    if (event.kind != WINDOW_EVENT_KEY) return null;
    return this.fill(INPUT_KEY, event.code, event.value, event.text);
  }

  /**
   * Hands `root` the inputEvents `event` stands for; false when it is not
   * input (focus, close, resize: the window's own business).
   */
  deliver(event: WindowEvent, root: Root): bool {
    const kind = event.kind;
    if (kind == WINDOW_EVENT_KEY) {
      root.handle(this.fill(INPUT_KEY, event.code, event.value, event.text));
      return true;
    }
    if (kind != WINDOW_EVENT_POINTER && kind != WINDOW_EVENT_BUTTON && kind != WINDOW_EVENT_WHEEL) return false;
    if (kind == WINDOW_EVENT_POINTER || event.x != root.pointerX || event.y != root.pointerY) {
      root.handle(this.fill(INPUT_POINTER, <u32>event.x, <u32>event.y, 0));
    }
    if (kind == WINDOW_EVENT_BUTTON) root.handle(this.fill(INPUT_BUTTON, event.code, event.value, 0));
    else if (kind == WINDOW_EVENT_WHEEL) root.handle(this.fill(INPUT_WHEEL, event.code, event.value, 0));
    return true;
  }

  private fill(kind: u32, code: u32, value: u32, text: u32): InputEvent {
    const record = this.record;
    record.kind = kind;
    record.code = code;
    record.value = value;
    record.text = text;
    return record;
  }
}
