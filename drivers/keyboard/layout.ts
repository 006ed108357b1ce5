// The US layout: the character a key makes (a Unicode codepoint), from its
// HID usage and the modifiers and locks. Shift gives the upper row of a
// key; Caps Lock shifts letters only (and Shift then unshifts them); Num
// Lock turns the keypad's digits and point on; Control makes the C0
// control character of a letter and of [ \ ] (Control-C is 3). Alt and
// Meta change no character: they travel as the event's modifier bits.

/** Usages 0x04..0x38 unshifted and shifted: letters, digits, Enter, Escape, Backspace, Tab, space, punctuation. */
const PLAIN = "abcdefghijklmnopqrstuvwxyz1234567890\n\x1b\x08\t -=[]\\\0;'`,./";
const SHIFTED = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()\n\x1b\x08\t _+{}|\0:\"~<>?";
const FIRST: u32 = 0x04;
/** The keypad, 0x54..0x63 (/ * - + Enter 1..9 0 .), with Num Lock on; without it only / * - + Enter. */
const KEYPAD = "/*-+\n1234567890.";
const KEYPAD_FIRST: u32 = 0x54;
const KEYPAD_DIGITS: u32 = 0x59;
/** The 102nd key of ISO keyboards, which US layouts give \ and |. */
const NON_US_BACKSLASH: u32 = 0x64;

const LETTER_FIRST: u32 = 0x04;
const LETTER_LAST: u32 = 0x1d;

/** The character of `usage` under the given state (0: none). */
export function characterOf(usage: u32, shift: bool, control: bool, capsLock: bool, numLock: bool): u32 {
  let character: u32 = 0;
  if (usage >= FIRST && usage < FIRST + <u32>PLAIN.length) {
    const letter = usage >= LETTER_FIRST && usage <= LETTER_LAST;
    const upper = letter ? shift != capsLock : shift;
    character = <u32>(upper ? SHIFTED : PLAIN).charCodeAt(usage - FIRST);
    if (control) {
      // Control-letter and Control-[ \ ]: the C0 controls 0x01..0x1d; other keys keep their character.
      if (letter) character = usage - LETTER_FIRST + 1;
      else if (character == 0x5b || character == 0x5c || character == 0x5d) character -= 0x40;
    }
  } else if (usage >= KEYPAD_FIRST && usage < KEYPAD_FIRST + <u32>KEYPAD.length) {
    if (usage < KEYPAD_DIGITS || numLock) character = <u32>KEYPAD.charCodeAt(usage - KEYPAD_FIRST);
  } else if (usage == NON_US_BACKSLASH) {
    character = shift ? 0x7c : 0x5c;
  }
  return character;
}
