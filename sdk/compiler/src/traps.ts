// The trap kinds: every way wasm code traps, by number. This is their one
// definition. The compiler's generated code passes the kind to the
// runtime's RT_TRAP (docs/compiler-abi.md, "Traps"); the kernel records it
// for a component that faulted (component.status `trap`) and prints its
// message; init, the in-OS trap test and the linux runtime print the same
// messages. The messages are the spec tests' wording.
//
// Plain AssemblyScript with no imports, so that components import it as
// well as the compiler and the kernel.

export const enum TrapKind {
  None = 0,
  Unreachable = 1,
  DivideByZero = 2,
  IntegerOverflow = 3,
  InvalidConversion = 4,
  MemoryOutOfBounds = 5,
  UndefinedElement = 6,
  UninitializedElement = 7,
  SignatureMismatch = 8,
  StackExhausted = 9,
  TableOutOfBounds = 10,
  /** One past the last kind: the kinds are 1 .. Count - 1. */
  Count = 11,
}

/** The message of trap kind `kind`; `unknown trap N` for a number that is no kind. */
export function trapMessage(kind: i32): string {
  switch (kind) {
    case TrapKind.Unreachable: return "unreachable";
    case TrapKind.DivideByZero: return "integer divide by zero";
    case TrapKind.IntegerOverflow: return "integer overflow";
    case TrapKind.InvalidConversion: return "invalid conversion to integer";
    case TrapKind.MemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind.UndefinedElement: return "undefined element";
    case TrapKind.UninitializedElement: return "uninitialized element";
    case TrapKind.SignatureMismatch: return "indirect call type mismatch";
    case TrapKind.StackExhausted: return "call stack exhausted";
    case TrapKind.TableOutOfBounds: return "out of bounds table access";
  }
  return "unknown trap " + kind.toString();
}
