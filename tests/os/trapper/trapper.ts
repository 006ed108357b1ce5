// A server that traps on request, one trap kind per request, for the trap
// test (tests/os/runner/traps.ts). Each kind has its own function, called
// through the table so that no optimisation folds it into its caller: the
// supervisor's report must name that very function (the host test checks
// the function index and wasm offset against this program's wasm).
//
// The request carries a zero (`operand`) so that the compiler cannot see
// the division by zero, the NaN or the bad index coming. Built with
// nontrapping float-to-int conversions off, so that `<i32>` of a NaN is the
// trapping `i32.trunc_f64_s`.

import "../lib/abort";
import { ERROR_INVALID_ARGUMENT, TEST_TRAP_PATH } from "../../../ipc/generated/index";
import { serveTestTrap, TestTrapHandlers } from "../../../ipc/generated/servers/test-trap";
import { Server } from "../../../ipc/client/index";

const BUFFER_SIZE: u32 = 64;
let operand: i32 = 0;
/** Results go here so that no trapping operation is dead code. */
let sink: i64 = 0;

function unreachableTrap(): void {
  unreachable();
}

function divideByZero(): void {
  sink = <i64>(1000 / operand);
}

function divideOverflow(): void {
  sink = <i64>((i32.MIN_VALUE + operand) / (operand - 1));
}

function invalidConversion(): void {
  const notANumber = <f64>operand / <f64>operand;
  sink = <i64><i32>notANumber;
}

function outOfBoundsLoad(): void {
  sink = <i64>load<u32>(<usize>0xfffffff0 + <usize>operand);
}

function undefinedElement(): void {
  call_indirect<void>(<u32>0x7ffffff0 + <u32>operand);
}

function uninitializedElement(): void {
  // Element 0 of an AssemblyScript table is always null.
  call_indirect<void>(<u32>operand);
}

function takesAnInteger(value: i32): i32 { return value + 1; }

function typeMismatch(): void {
  // takesAnInteger is (i32) -> i32; called as () -> void.
  call_indirect<void>(<u32>takesAnInteger.index + <u32>operand);
}

function recurse(depth: i32): i32 {
  return recurse(depth + 1 + operand) + 1;
}

function recurseTrap(): void {
  sink = <i64>recurse(0);
}

function tableOutOfBounds(): void {
  table.copy(<u32>0x7ffffff0 + <u32>operand, 0, 1);
}

/** By trap kind (docs/compiler-abi.md, Traps): index 0 is unused. */
const TRAPS: StaticArray<() => void> = [
  unreachableTrap, unreachableTrap, divideByZero, divideOverflow, invalidConversion, outOfBoundsLoad,
  undefinedElement, uninitializedElement, typeMismatch, recurseTrap, tableOutOfBounds,
];

class Trapper extends TestTrapHandlers {
  trap(kind: u32, requestOperand: u32): i32 {
    if (kind == 0 || kind >= <u32>TRAPS.length) return ERROR_INVALID_ARGUMENT;
    operand = <i32>requestOperand;
    TRAPS[kind]();
    // Only reached when the trap did not happen.
    return 0;
  }
}

export function _start(): void {
  const server = new Server(TEST_TRAP_PATH);
  if (!server.isServing) return;
  serveTestTrap(new Trapper(), server.channel, BUFFER_SIZE);
}
