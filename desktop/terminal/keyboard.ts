// Keys to bytes, as a VT100-style terminal sends them to the program it
// runs: text as UTF-8, Enter as CR, Backspace as DEL, Control with a
// letter as its control character, the cursor and editing keys as escape
// sequences (ESC [ A, ESC [ 3 ~, ...). The terminal window hands every
// inputEvent it receives here and sends what comes out to the shell.

import { INPUT_KEY, INPUT_RELEASED, InputEvent } from "../../ipc/generated/abi";
import {
  KEY_BACKSPACE, KEY_DELETE, KEY_DOWN, KEY_END, KEY_ENTER, KEY_ESCAPE, KEY_HOME, KEY_LEFT, KEY_PAGE_DOWN, KEY_PAGE_UP, KEY_RIGHT, KEY_TAB,
  KEY_UP, Key,
} from "../toolkit/keys";

/** The bytes a key event sends ("" for releases, modifiers alone and keys that send nothing). */
export function keyBytes(event: InputEvent): string {
  if (event.kind != INPUT_KEY || event.value == INPUT_RELEASED) return "";
  const key = new Key(event.code, event.text);
  switch (key.code) {
    case KEY_ENTER: return "\r";
    case KEY_BACKSPACE: return "\x7f";
    case KEY_TAB: return "\t";
    case KEY_ESCAPE: return "\x1b";
    case KEY_UP: return "\x1b[A";
    case KEY_DOWN: return "\x1b[B";
    case KEY_RIGHT: return "\x1b[C";
    case KEY_LEFT: return "\x1b[D";
    case KEY_HOME: return "\x1b[H";
    case KEY_END: return "\x1b[F";
    case KEY_DELETE: return "\x1b[3~";
    case KEY_PAGE_UP: return "\x1b[5~";
    case KEY_PAGE_DOWN: return "\x1b[6~";
  }
  const character = key.character;
  if (key.control && !key.alt) {
    // Control with a letter or one of @[\]^_ : the character's low five bits.
    const upper = character >= 0x61 && character <= 0x7a ? character - 0x20 : character;
    if (upper >= 0x40 && upper <= 0x5f) return String.fromCharCode(<i32>(upper & 0x1f));
    return "";
  }
  if (character == 0) return "";
  const text = String.fromCodePoint(<i32>character);
  return key.alt ? "\x1b" + text : text;
}
