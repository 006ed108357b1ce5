// A tokenizer: a state machine dispatching on character classes with many
// live locals, identifiers hashed and looked up among keywords, numbers in
// decimal, hex and with a fraction, strings with escapes, comments and
// two-character operators, over a generated source text.

const SPACE: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const QUOTE: u8 = 3;
const SLASH: u8 = 4;
const OPERATOR: u8 = 5;
const OTHER: u8 = 6;

const CLASSES = new StaticArray<u8>(128);
const KEYWORD_HASHES = new StaticArray<u32>(16);

function hashWord(word: string): u32 {
  let h: u32 = 0;
  for (let i = 0; i < word.length; i++) h = h * 31 + <u32>word.charCodeAt(i);
  return h;
}

function setUp(): void {
  for (let c = 0; c < 128; c++) {
    let k = OTHER;
    if (c == 32 || c == 9 || c == 10 || c == 13) k = SPACE;
    else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95) k = LETTER;
    else if (c >= 48 && c <= 57) k = DIGIT;
    else if (c == 34) k = QUOTE;
    else if (c == 47) k = SLASH;
    else if (c == 43 || c == 45 || c == 42 || c == 61 || c == 60 || c == 62 || c == 33 || c == 40 || c == 41 || c == 123 || c == 125 || c == 59 || c == 44 || c == 63 || c == 58) k = OPERATOR;
    CLASSES[c] = k;
  }
  const words = ["let", "const", "function", "return", "if", "else", "while", "for", "class", "new", "break", "continue"];
  for (let i = 0; i < words.length; i++) KEYWORD_HASHES[i] = hashWord(words[i]);
}

function isKeyword(h: u32): bool {
  for (let i = 0; i < 12; i++) if (unchecked(KEYWORD_HASHES[i]) == h) return true;
  return false;
}

function buildSource(lines: i32): Uint8Array {
  let text = "";
  for (let i = 0; i < lines; i++) {
    text += "let x" + i.toString() + " = (y" + (i % 7).toString() + " + 0x" + ((i * 40503) & 0xffff).toString(16) + ") * 3.25; // note " + i.toString() + "\n";
    if (i % 5 == 0) text += "function f" + i.toString() + "(a, b) { return a <= b ? \"s\\\"q\" : b; }\n";
    if (i % 3 == 0) text += "while (k != 10) { k += 1; if (k >= 5) { break; } }\n";
  }
  return Uint8Array.wrap(String.UTF8.encode(text));
}

function classOf(c: i32): u8 {
  return c < 128 ? unchecked(CLASSES[c]) : LETTER;
}

export function run(n: i32): i32 {
  setUp();
  const src = buildSource(300);
  const len = src.length;
  let hash: u32 = 2166136261;
  let total = 0;
  for (let r = 0; r < n; r++) {
    let pos = 0;
    let line = 1;
    let identifiers = 0;
    let keywords = 0;
    let numbers = 0;
    let fractions = 0;
    let strings = 0;
    let escapes = 0;
    let comments = 0;
    let operators = 0;
    let pairs = 0;
    let others = 0;
    while (pos < len) {
      const c = <i32>unchecked(src[pos]);
      switch (classOf(c)) {
        case SPACE: {
          if (c == 10) line++;
          pos++;
          break;
        }
        case LETTER: {
          let h: u32 = 0;
          while (pos < len) {
            const d = <i32>unchecked(src[pos]);
            const k = classOf(d);
            if (k != LETTER && k != DIGIT) break;
            h = h * 31 + <u32>d;
            pos++;
          }
          if (isKeyword(h)) keywords++;
          else identifiers++;
          hash = (hash ^ h) * 16777619;
          break;
        }
        case DIGIT: {
          let value: u64 = 0;
          if (c == 48 && pos + 1 < len && unchecked(src[pos + 1]) == 120) {
            pos += 2;
            while (pos < len) {
              const d = <i32>unchecked(src[pos]);
              let digit = -1;
              if (d >= 48 && d <= 57) digit = d - 48;
              else if (d >= 97 && d <= 102) digit = d - 87;
              if (digit < 0) break;
              value = value * 16 + <u64>digit;
              pos++;
            }
          } else {
            while (pos < len && classOf(<i32>unchecked(src[pos])) == DIGIT) {
              value = value * 10 + <u64>(unchecked(src[pos]) - 48);
              pos++;
            }
            if (pos < len && unchecked(src[pos]) == 46) {
              pos++;
              fractions++;
              while (pos < len && classOf(<i32>unchecked(src[pos])) == DIGIT) {
                value = value * 10 + <u64>(unchecked(src[pos]) - 48);
                pos++;
              }
            }
          }
          numbers++;
          hash = (hash ^ <u32>value) * 16777619;
          break;
        }
        case QUOTE: {
          pos++;
          while (pos < len) {
            const d = <i32>unchecked(src[pos]);
            if (d == 92) { escapes++; pos += 2; continue; }
            pos++;
            if (d == 34) break;
          }
          strings++;
          break;
        }
        case SLASH: {
          if (pos + 1 < len && unchecked(src[pos + 1]) == 47) {
            while (pos < len && unchecked(src[pos]) != 10) pos++;
            comments++;
          } else {
            operators++;
            pos++;
          }
          break;
        }
        case OPERATOR: {
          const next = pos + 1 < len ? <i32>unchecked(src[pos + 1]) : 0;
          if (next == 61 && (c == 60 || c == 62 || c == 33 || c == 61 || c == 43 || c == 45)) { pairs++; pos += 2; }
          else { operators++; pos++; }
          hash = (hash ^ <u32>c) * 16777619;
          break;
        }
        default: {
          others++;
          pos++;
        }
      }
    }
    total += identifiers * 3 + keywords * 5 + numbers * 7 + fractions * 11 + strings * 13 + escapes * 17 + comments * 19 + operators * 23 + pairs * 29 + others * 31 + line;
  }
  return total ^ <i32>hash;
}
