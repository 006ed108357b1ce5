// Stepping through a string a character at a time: positions are UTF-16
// indices, and a surrogate pair (a character past U+FFFF) is one step, so
// that a caret or a cursor never stops inside one. Text fields and the
// shell's line editor share these.

/** The index of the character before `index` (0 at the start). */
export function previousCharacter(text: string, index: i32): i32 {
  if (index <= 0) return 0;
  const low = text.charCodeAt(index - 1);
  return index >= 2 && low >= 0xdc00 && low <= 0xdfff ? index - 2 : index - 1;
}

/** The index after the character at `index` (the length at the end). */
export function nextCharacter(text: string, index: i32): i32 {
  if (index >= text.length) return text.length;
  const high = text.charCodeAt(index);
  return high >= 0xd800 && high <= 0xdbff && index + 1 < text.length ? index + 2 : index + 1;
}
