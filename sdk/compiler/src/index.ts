// The compiler as a library: the entry points the Node host calls.
//
// Protocol: the host calls inputAlloc(length) once per input and writes the
// bytes at the returned address, then run(command, flags); on status 0 the
// result is at outputPtr()/outputLength(), otherwise a UTF-8 error message
// is at messagePtr()/messageLength().

import { addInput, getOutput, getMessageBytes } from "./io";
import { runCommand } from "./driver";
import { tier2Fallbacks, tier2Functions } from "./link/commands";

export function inputAlloc(length: i32): usize {
  return addInput(length).dataStart;
}

export function run(command: i32, flags: i32): i32 {
  return runCommand(command, flags);
}

export function outputPtr(): usize { return getOutput().dataStart; }
export function outputLength(): i32 { return getOutput().length; }
export function messagePtr(): usize { return changetype<usize>(getMessageBytes()); }
export function messageLength(): i32 { return getMessageBytes().byteLength; }

/** Functions the optimizing tier compiled in this instance's commands, and those it left to the baseline. */
export function tier2Compiled(): i32 { return tier2Functions; }
export function tier2FellBack(): i32 { return tier2Fallbacks; }
