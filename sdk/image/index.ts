// The image writer as a library: the entry points its host calls. Same
// protocol as the compiler's: inputAlloc(length) once per input (writing the
// bytes at the returned address), then run(command); on status 0 the result
// is at outputPtr()/outputLength(), otherwise a UTF-8 message is at
// messagePtr()/messageLength(). Commands and descriptions: commands.ts.

import { addInput, getMessageBytes, getOutput } from "./io";
import { runCommand } from "./commands";

export function inputAlloc(length: i32): usize { return addInput(length).dataStart; }
export function run(command: i32): i32 { return runCommand(command); }
export function outputPtr(): usize { return getOutput().dataStart; }
export function outputLength(): i32 { return getOutput().length; }
export function messagePtr(): usize { return changetype<usize>(getMessageBytes()); }
export function messageLength(): i32 { return getMessageBytes().byteLength; }
