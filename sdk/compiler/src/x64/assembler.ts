// The x86-64 assembler used by the code generator and the native stubs.
// Import everything from here: the Assembler class (encoding core in
// encoder.ts, integer instructions in integer.ts, SSE in float.ts), the
// register and condition names and the memory-operand builders.

import { FloatAssembler } from "./float";

export { Reg, Xmm, Cond, Size, invertCond, swapCond } from "./registers";
export { Mem, mem, memIndex, memScaled, memAbsolute, memLabel, withFs, fsAbsolute, memOffset } from "./memory";
export { Label } from "./encoder";
export { Alu, Shift } from "./integer";
export { Scalar, Packed, Rounding } from "./float";

export class Assembler extends FloatAssembler {}
