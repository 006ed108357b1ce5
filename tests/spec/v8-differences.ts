// Where V8 (Node 20) legitimately disagrees with the spec tests as pinned,
// so that the V8 backend's disagreements are each explained rather than
// ignored. These rules apply to the V8 backend only; native runs count every
// assertion. Each rule names the file, the assertion kind and what V8 did.

import { ExecutionCheck } from "./plan";
import { Outcome } from "./script";

export interface V8Difference {
  file: string;
  kind: ExecutionCheck["kind"];
  /** Source lines of the assertions; all of the file's assertions of that kind when absent. */
  lines?: number[];
  /** What V8 printed instead, as a pattern over the outcome's description. */
  outcome: (outcome: Outcome) => boolean;
  reason: string;
}

const segmentTrap = (outcome: Outcome) => outcome.kind === "trap" && /out of bounds|undefined element/.test(outcome.message);

const bulkMemoryInstantiation =
  "V8 follows the bulk-memory proposal: segments are bounds-checked one by one while they are written, so a segment " +
  "that does not fit traps at instantiation (after the earlier segments were written) instead of failing to link " +
  "with no effect as in the pinned MVP tests";

export const v8Differences: V8Difference[] = [
  { file: "data", kind: "assert_unlinkable", outcome: segmentTrap, reason: bulkMemoryInstantiation },
  { file: "linking", kind: "assert_unlinkable", lines: [207, 228, 239, 299, 335, 345], outcome: segmentTrap, reason: bulkMemoryInstantiation },
  {
    file: "linking", kind: "assert_trap", lines: [236, 248],
    outcome: (outcome) => outcome.kind === "values",
    reason: `${bulkMemoryInstantiation}; here the table element written before the failing segment stays`,
  },
  {
    file: "linking", kind: "assert_return", lines: [342, 354],
    outcome: (outcome) => outcome.kind === "values",
    reason: `${bulkMemoryInstantiation}; here the data written before the failing segment stays`,
  },
];

export function explainV8Difference(file: string, check: ExecutionCheck, outcome: Outcome): string | null {
  for (const rule of v8Differences) {
    if (rule.file !== file || rule.kind !== check.kind) continue;
    if (rule.lines && !rule.lines.includes(check.line)) continue;
    if (rule.outcome(outcome)) return rule.reason;
  }
  return null;
}
