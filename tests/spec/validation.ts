// The validation side of the spec tests: assert_invalid and binary
// assert_malformed modules must be rejected by our decoder and validator
// (validateWasm in sdk/host/compiler.ts) with a message. A compiler that
// aborts or traps on such input has not rejected it: it crashed, and the
// compiler must never crash on bad input.

import { validateWasm } from "../../sdk/host/compiler";

export interface ValidationVerdict { pass: boolean; detail: string; }

export function validationVerdict(bytes: Uint8Array): ValidationVerdict {
  let message: string | null;
  try {
    message = validateWasm(bytes);
  } catch (error) {
    return { pass: false, detail: `the compiler crashed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (message === null) return { pass: false, detail: "accepted as valid" };
  if (message.startsWith("compiler aborted")) return { pass: false, detail: `the compiler crashed: ${message}` };
  return { pass: true, detail: message };
}
