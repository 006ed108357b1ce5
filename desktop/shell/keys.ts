// Keys as a VT100 terminal sends them, decoded from the bytes of a
// shell.input request: text (UTF-8), control characters, and the escape
// sequences of the cursor and editing keys (`ESC [ A`, `ESC [ 3 ~`,
// `ESC O H`, ...). A sequence cut at the end of one request's bytes is
// handed back as `rest`, to be kept in the session and read with the next.

export const enum KeyKind { Text, Control, Up, Down, Right, Left, Home, End, Delete, Unknown }

export class InputKey {
  constructor(readonly kind: KeyKind, readonly value: i32 = 0) {}
}

/** The keys of `bytes` and, in `rest`, an unfinished sequence at their end. */
export class DecodedKeys {
  keys: InputKey[] = [];
  rest: u8[] = [];
}

/** How many bytes a UTF-8 sequence starting with `lead` has (1 for a stray byte). */
function sequenceLength(lead: u8): i32 {
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0) return 4;
  return 1;
}

function escapeKey(final: u8, parameter: i32): InputKey {
  switch (final) {
    case 0x41: return new InputKey(KeyKind.Up);
    case 0x42: return new InputKey(KeyKind.Down);
    case 0x43: return new InputKey(KeyKind.Right);
    case 0x44: return new InputKey(KeyKind.Left);
    case 0x48: return new InputKey(KeyKind.Home);
    case 0x46: return new InputKey(KeyKind.End);
    case 0x7e:
      if (parameter == 1 || parameter == 7) return new InputKey(KeyKind.Home);
      if (parameter == 4 || parameter == 8) return new InputKey(KeyKind.End);
      if (parameter == 3) return new InputKey(KeyKind.Delete);
  }
  return new InputKey(KeyKind.Unknown);
}

export function decodeKeys(bytes: u8[]): DecodedKeys {
  const decoded = new DecodedKeys();
  let i = 0;
  while (i < bytes.length) {
    const start = i;
    const b = bytes[i];
    if (b == 0x1b) {
      if (i + 1 >= bytes.length) { decoded.rest = bytes.slice(start); break; }
      const introducer = bytes[i + 1];
      if (introducer != 0x5b && introducer != 0x4f) { decoded.keys.push(new InputKey(KeyKind.Unknown)); i += 2; continue; }
      // ESC [ parameters final, or ESC O final.
      let at = i + 2, parameter = 0;
      while (at < bytes.length && bytes[at] >= 0x30 && bytes[at] <= 0x3f) {
        if (bytes[at] <= 0x39) parameter = min(parameter * 10 + <i32>(bytes[at] - 0x30), 9999);
        at++;
      }
      if (at >= bytes.length) {
        if (at - start <= 8) decoded.rest = bytes.slice(start);
        break;
      }
      decoded.keys.push(escapeKey(bytes[at], parameter));
      i = at + 1;
    } else if (b < 0x20 || b == 0x7f) {
      decoded.keys.push(new InputKey(KeyKind.Control, <i32>b));
      i++;
    } else if (b < 0x80) {
      decoded.keys.push(new InputKey(KeyKind.Text, <i32>b));
      i++;
    } else {
      const length = sequenceLength(b);
      if (i + length > bytes.length) {
        if (length > 1) { decoded.rest = bytes.slice(start); break; }
      }
      let codepoint: i32 = length == 1 ? 0xfffd : (<i32>b & (0x7f >> length));
      let used = 1;
      for (; used < length; used++) {
        const next = bytes[i + used];
        if ((next & 0xc0) != 0x80) { codepoint = 0xfffd; break; }
        codepoint = (codepoint << 6) | <i32>(next & 0x3f);
      }
      decoded.keys.push(new InputKey(KeyKind.Text, codepoint));
      i += used;
    }
  }
  return decoded;
}
