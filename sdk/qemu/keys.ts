// Turns the text of `--keys` into key chords for QMP's send-key, as typed on
// a US keyboard. Plain characters type themselves (upper case and symbols add
// shift); a newline presses Enter; `{name}` presses a named key or a chord,
// names joined by '-': `{esc}`, `{f2}`, `{ctrl-alt-delete}`, `{shift-tab}`.
// `{{` types a literal '{'.

/** One chord: QEMU key codes (QKeyCode names) pressed together. */
export type Chord = string[];

const UNSHIFTED: Record<string, string> = {
  " ": "spc", "\n": "ret", "\t": "tab", "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right",
  "\\": "backslash", ";": "semicolon", "'": "apostrophe", "`": "grave_accent", ",": "comma", ".": "dot", "/": "slash",
};

const SHIFTED: Record<string, string> = {
  "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9", ")": "0",
  "_": "minus", "+": "equal", "{": "bracket_left", "}": "bracket_right", "|": "backslash", ":": "semicolon",
  "\"": "apostrophe", "~": "grave_accent", "<": "comma", ">": "dot", "?": "slash",
};

const ALIASES: Record<string, string> = {
  enter: "ret", return: "ret", space: "spc", escape: "esc", control: "ctrl", del: "delete",
  pageup: "pgup", pagedown: "pgdn", ins: "insert", win: "meta_l", super: "meta_l",
};

const NAMED = new Set([
  "ret", "spc", "tab", "esc", "backspace", "delete", "insert", "home", "end", "pgup", "pgdn",
  "up", "down", "left", "right", "shift", "shift_r", "ctrl", "ctrl_r", "alt", "alt_r", "meta_l", "meta_r", "menu",
  "caps_lock", "num_lock", "scroll_lock", "print", "sysrq", "pause",
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
  ...Object.values(UNSHIFTED), ..."abcdefghijklmnopqrstuvwxyz0123456789".split(""),
]);

function characterChord(character: string): Chord | null {
  if (/^[a-z0-9]$/.test(character)) return [character];
  if (/^[A-Z]$/.test(character)) return ["shift", character.toLowerCase()];
  if (character in UNSHIFTED) return [UNSHIFTED[character]!];
  if (character in SHIFTED) return ["shift", SHIFTED[character]!];
  return null;
}

/** Parses `--keys` text; throws with the offending position on an unknown key. */
export function parseKeys(text: string): Chord[] {
  const chords: Chord[] = [];
  for (let at = 0; at < text.length; at++) {
    const character = text[at]!;
    if (character === "{" && text[at + 1] === "{") {
      chords.push(characterChord("{")!);
      at++;
    } else if (character === "{") {
      const end = text.indexOf("}", at);
      if (end < 0) throw new Error(`keys: '{' at ${at} has no closing '}'`);
      const chord = text.slice(at + 1, end).toLowerCase().split("-").map((name) => ALIASES[name] ?? name);
      for (const name of chord) if (!NAMED.has(name)) throw new Error(`keys: unknown key '${name}' at ${at}`);
      chords.push(chord);
      at = end;
    } else {
      const chord = characterChord(character);
      if (!chord) throw new Error(`keys: cannot type ${JSON.stringify(character)} at ${at}`);
      chords.push(chord);
    }
  }
  return chords;
}
