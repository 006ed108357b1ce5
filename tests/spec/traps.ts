// Trap messages: the runtime prints the ABI's messages (docs/compiler-abi.md,
// trapMessage() in sdk/compiler/src/traps.ts); the spec tests expect texts that
// are sometimes shorter or worded differently; V8 has its own wording. This
// file is the one place where those vocabularies meet.
//
// Matching a spec text against a printed message:
//  - the printed message starts with the spec text ("out of bounds" matches
//    "out of bounds memory access" and "out of bounds table access",
//    "undefined" matches "undefined element", "indirect call" matches
//    "indirect call type mismatch");
//  - or the spec text is the message followed by a detail the runtime does
//    not print ("uninitialized element 2" names the element: it matches
//    "uninitialized element").
// A printed message may list alternatives separated by " | " (the V8 backend
// does so when V8's wording covers two ABI kinds); any alternative may match.

/** The messages of docs/compiler-abi.md, by trap kind. */
export const abiTrapMessages = [
  "unreachable",
  "integer divide by zero",
  "integer overflow",
  "invalid conversion to integer",
  "out of bounds memory access",
  "undefined element",
  "uninitialized element",
  "indirect call type mismatch",
  "call stack exhausted",
  "out of bounds table access",
] as const;

/** V8's messages (Node 20) and the ABI messages each one stands for. */
const v8Messages: Array<[RegExp, string[]]> = [
  [/^unreachable/, ["unreachable"]],
  [/^(divide|remainder) by zero/, ["integer divide by zero"]],
  [/^divide result unrepresentable/, ["integer overflow"]],
  // The spec says `integer overflow` for an out-of-range float, `invalid
  // conversion to integer` for NaN; V8 uses one message for both.
  [/^float unrepresentable in integer range/, ["invalid conversion to integer", "integer overflow"]],
  [/^memory access out of bounds/, ["out of bounds memory access"]],
  [/^data segment .*out of bounds/, ["out of bounds memory access"]],
  // call_indirect past the table's end, and table.copy/table.init out of range.
  [/^table index is out of bounds/, ["undefined element", "out of bounds table access"]],
  [/^element segment .*out of bounds/, ["out of bounds table access"]],
  // V8 does not tell a null entry from a signature mismatch.
  [/^null function or function signature mismatch/, ["uninitialized element", "indirect call type mismatch"]],
  [/^Maximum call stack size exceeded/, ["call stack exhausted"]],
];

/** Translates a V8 trap (RuntimeError or stack RangeError) to ABI message alternatives. */
export function abiMessageOfV8(message: string): string {
  message = message.replace(/^WebAssembly\.Instance\(\): /, "");
  for (const [pattern, messages] of v8Messages) if (pattern.test(message)) return messages.join(" | ");
  return `v8: ${message}`;
}

/** Does a printed trap message satisfy the spec's expected text? */
export function trapMatches(expected: string, printed: string): boolean {
  return printed.split(" | ").some((message) =>
    message.startsWith(expected) || (expected.startsWith(message) && expected[message.length] === " "));
}
