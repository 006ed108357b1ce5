// Keys as input events name them: USB HID keyboard usages (page 7) in an
// inputEvent's `code`, the character and the modifiers in its `text`
// (ipc/table/protocols/input.ts). The few usages the toolkit, the
// terminal and the shell act on by code rather than by character.

import { INPUT_ALT, INPUT_CONTROL, INPUT_META, INPUT_SHIFT, INPUT_TEXT_MASK } from "../../ipc/generated/abi";

export const KEY_A: u32 = 0x04;
export const KEY_ENTER: u32 = 0x28;
export const KEY_ESCAPE: u32 = 0x29;
export const KEY_BACKSPACE: u32 = 0x2a;
export const KEY_TAB: u32 = 0x2b;
export const KEY_SPACE: u32 = 0x2c;
export const KEY_HOME: u32 = 0x4a;
export const KEY_PAGE_UP: u32 = 0x4b;
export const KEY_DELETE: u32 = 0x4c;
export const KEY_END: u32 = 0x4d;
export const KEY_PAGE_DOWN: u32 = 0x4e;
export const KEY_RIGHT: u32 = 0x4f;
export const KEY_LEFT: u32 = 0x50;
export const KEY_DOWN: u32 = 0x51;
export const KEY_UP: u32 = 0x52;

/** The usage of letter `letter` ('a'..'z'). */
export function letterKey(letter: i32): u32 { return KEY_A + <u32>(letter - 0x61); }

/** A key press (or its repeat) as widgets get it. */
export class Key {
  constructor(readonly code: u32, readonly text: u32) {}

  /** The character the key makes (0: none). */
  get character(): u32 { return this.text & INPUT_TEXT_MASK; }
  get shift(): bool { return (this.text & INPUT_SHIFT) != 0; }
  get control(): bool { return (this.text & INPUT_CONTROL) != 0; }
  get alt(): bool { return (this.text & INPUT_ALT) != 0; }
  get meta(): bool { return (this.text & INPUT_META) != 0; }

  /** Text to insert: a printable character typed without Control, Alt or Meta. */
  get typed(): u32 {
    const c = this.character;
    if (c < 0x20 || c == 0x7f || this.control || this.alt || this.meta) return 0;
    return c;
  }

  /** Control and `letter` ('a'..'z'), without Alt or Meta. */
  isControl(letter: i32): bool { return this.control && !this.alt && !this.meta && this.code == letterKey(letter); }
}
