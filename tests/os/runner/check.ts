// What a test of the runner records: the first thing that went wrong (the
// verdict's reason), notes for the log, and a summary for the ok line. The
// runner prints the lines of tests/os/README.md from it.

import { errorName } from "../../../ipc/generated/index";
import { line } from "../lib/log";

export class Check {
  /** The first failure, "" while none. */
  failure: string = "";
  /** What the ok line says. */
  summary: string = "";

  constructor(readonly name: string) {}

  get failed(): bool { return this.failure.length > 0; }

  /** Records `what` as the failure when `condition` is false (the first one stays); returns `condition`. */
  ok(condition: bool, what: string): bool {
    if (!condition && this.failure.length == 0) this.failure = what;
    return condition;
  }

  // The checks below build their message only when they fail: the
  // programs' allocator never frees, and a passing check in a loop must
  // not grow the runner's memory.

  /** Checks that a number is what it should be. */
  equal(actual: i64, expected: i64, what: string): bool {
    if (actual == expected) return true;
    return this.ok(false, what + ": " + actual.toString() + ", expected " + expected.toString());
  }

  /** Checks that a system call succeeded (≥ 0); the error's name otherwise. */
  succeeded(result: i64, what: string): bool {
    if (result >= 0) return true;
    return this.ok(false, what + " failed: " + describeStatus(<i32>result));
  }

  /** Checks that a system call failed with exactly `expected`. */
  refused(result: i64, expected: i32, what: string): bool {
    if (result == <i64>expected) return true;
    return this.ok(false, what + ": " + describeStatus(<i32>result) + ", expected " + describeStatus(expected));
  }

  note(text: string): void {
    line("ostest: note " + this.name + ": " + text);
  }
}

/** A call's result as a name: `DEAD_SERVER (-10)`, or the number when it is not an error. */
export function describeStatus(status: i32): string {
  return status < 0 ? errorName(status) + " (" + status.toString() + ")" : status.toString();
}
