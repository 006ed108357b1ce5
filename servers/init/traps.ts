// The names of the trap kinds (docs/compiler-abi.md, Traps), for init's
// log lines about components that faulted.

const MESSAGES: StaticArray<string> = [
  "no trap", "unreachable", "integer divide by zero", "integer overflow", "invalid conversion to integer",
  "out of bounds memory access", "undefined element", "uninitialized element", "indirect call type mismatch",
  "call stack exhausted", "out of bounds table access", "element segment dropped",
];

export function trapMessage(kind: u32): string {
  return kind < <u32>MESSAGES.length ? MESSAGES[kind] : "trap kind " + kind.toString();
}
