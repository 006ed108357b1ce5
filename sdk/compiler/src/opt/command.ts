// The Ir command: the optimizing tier's SSA form of every function of
// inputs[0], verified, as text (print.ts). Tests use it to check the
// construction on small modules and to build and verify whole programs.
// A function the IR cannot express yet is listed as "function N: no IR:
// reason"; a function whose IR fails verification fails the command, since
// that is a bug of the tier.

import { decodeModule } from "../decode";
import { inputs, setMessage, setOutput } from "../io";
import { validateModule } from "../validate";
import { buildFailure, buildFunction } from "./build";
import { printFunction } from "./print";
import { verifyFunction } from "./verify";
import { eliminateRedundancy } from "./redundancy";
import { inlineCalls } from "./inline";
import { hoistInvariants } from "./licm";
import { sinkIntoEdges } from "./sink";
import { splitRemainders } from "./remainders";
import { CORRUPTIONS, corrupt, corruptionName } from "./corrupt";
import { Module } from "../module";
import { IrFunction } from "./ir";

/** One line per corruption that applies to defined function `bodyIndex`, each on a fresh build of it. */
function corruptions(module: Module, bodyIndex: i32): string {
  let text = "";
  for (let kind = 0; kind < CORRUPTIONS; kind++) {
    const func = buildFunction(module, bodyIndex)!;
    if (!corrupt(func, kind)) continue;
    const error = verifyFunction(func, module);
    text += "function " + func.funcIndex.toString() + ", " + corruptionName(kind) + ": " + (error.length > 0 ? "rejected: " + error : "ACCEPTED") + "\n";
  }
  return text;
}

/** Flags of the Ir command: bit 0 prints only a line per function (its size), not the IR. */
export const IR_SUMMARY: i32 = 1;
/**
 * Bit 1: instead, breaks each function in every way corrupt.ts knows and
 * prints a line per corruption: "rejected: " and the verifier's message,
 * or "ACCEPTED" when the verifier let it pass.
 */
export const IR_CORRUPT: i32 = 2;
/** Bit 2: runs the tier's passes (licm.ts, redundancy.ts) before verifying and printing. */
export const IR_OPTIMIZE: i32 = 4;
/** Bit 3: inlines the small direct callees first (inline.ts), as the lowering does. */
export const IR_INLINE: i32 = 8;

function acceptEvery(callee: IrFunction): bool {
  return true;
}

export function irCommand(flags: i32): i32 {
  if (inputs.length != 1) {
    setMessage("Ir takes one module");
    return 1;
  }
  const module = decodeModule(inputs[0]);
  if (module == null || !validateModule(module)) return 1;
  let text = "";
  for (let i = 0; i < module.bodies.length; i++) {
    const func = buildFunction(module, i);
    if (func == null) {
      text += buildFailure + " (no IR)\n";
      continue;
    }
    if (flags & IR_CORRUPT) {
      text += corruptions(module, i);
      continue;
    }
    if (flags & IR_INLINE) inlineCalls(func, module, acceptEvery);
    if (flags & IR_OPTIMIZE) {
      splitRemainders(func);
      hoistInvariants(func);
      eliminateRedundancy(func);
      sinkIntoEdges(func);
    }
    const error = verifyFunction(func, module);
    if (error.length > 0) {
      setMessage("IR verification failed: " + error);
      return 1;
    }
    if (flags & IR_SUMMARY) {
      text += "function " + func.funcIndex.toString() + ": " + func.blocks.length.toString() + " blocks, " + func.insts.length.toString() + " values\n";
    } else {
      text += printFunction(func);
    }
  }
  setOutput(Uint8Array.wrap(String.UTF8.encode(text)));
  return 0;
}
