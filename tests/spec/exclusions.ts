// Everything the spec harness does not check, in one place, with the reason.
// The harness prints this list on every run, with counts.

import { unconvertible } from "./convert";

/** Whole spec files that are not run (convert.ts cannot convert them). */
export const excludedFiles: Record<string, string> = { ...unconvertible };

/** Assertion kinds that are not checked. */
export const excludedKinds: Record<string, string> = {
  "assert_malformed (text)":
    "malformed text-format modules test the .wast parser; the compiler consumes binaries only, so there is nothing of ours to run",
};
