// Judges each execution check of a plan against the outcome of its command.
// Link-error wording is not compared: assert_unlinkable passes on any
// `unlinkable:` outcome, because the reasons (unknown import, incompatible
// import type, segment does not fit) are the loader's own words.

import { ExecutionCheck } from "./plan";
import { describeOutcome, Outcome } from "./script";
import { trapMatches } from "./traps";
import { describeExpected, matches } from "./values";

export interface Verdict { pass: boolean; detail: string; }

export function judge(check: ExecutionCheck, outcome: Outcome): Verdict {
  const actual = describeOutcome(outcome);
  const fail = (expected: string): Verdict => ({ pass: false, detail: `expected ${expected}, got ${actual}` });
  switch (check.kind) {
    case "module":
    case "register":
      return outcome.kind === "ok" ? { pass: true, detail: "" } : fail("ok");
    case "action":
      return outcome.kind === "values" || outcome.kind === "ok" ? { pass: true, detail: "" } : fail("results");
    case "assert_return": {
      const expected = check.expected ?? [];
      const wanted = expected.map(describeExpected).join(" ") || "(no results)";
      // An invoke without results may print `ok`.
      if (outcome.kind === "ok" && expected.length === 0) return { pass: true, detail: "" };
      if (outcome.kind !== "values" || outcome.values.length !== expected.length) return fail(wanted);
      return expected.every((e, i) => matches(e, outcome.values[i])) ? { pass: true, detail: "" } : fail(wanted);
    }
    case "assert_trap":
    case "assert_exhaustion":
    case "assert_uninstantiable":
      return outcome.kind === "trap" && trapMatches(check.text ?? "", outcome.message) ? { pass: true, detail: "" } : fail(`trap: ${check.text}`);
    case "assert_unlinkable":
      return outcome.kind === "unlinkable" ? { pass: true, detail: "" } : fail(`unlinkable: ${check.text}`);
  }
}
