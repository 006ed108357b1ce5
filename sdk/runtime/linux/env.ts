// Module `env` as AssemblyScript programs import it: abort, trace, seed.
// abort prints nothing itself: it records its message and executes
// `unreachable`, which unwinds to the runner's innermost call like any other
// trap; the runner then reports the message instead of "unreachable".

import { guestString } from "./guest";
import { formatF64 } from "./float";
import { stderr, stdout } from "./output";
import { absolute } from "./native";
import { Sys, sys2 } from "./syscalls";

let pendingAbort: string | null = null;

/** The message of an abort that ended the last call, once; null when it was an ordinary trap. */
export function takeAbort(): string | null {
  const message = pendingAbort;
  pendingAbort = null;
  return message;
}

export function abort(message: i32, file: i32, line: i32, column: i32): void {
  pendingAbort = "abort: " + guestString(<u32>message, "(no message)") + " at " + guestString(<u32>file, "(unknown file)")
    + ":" + line.toString() + ":" + column.toString();
  unreachable();
}

export function trace(message: i32, count: i32, a0: f64, a1: f64, a2: f64, a3: f64, a4: f64): void {
  stdout.flush();
  stderr.text("trace: ").text(guestString(<u32>message, ""));
  const values: f64[] = [a0, a1, a2, a3, a4];
  for (let i = 0; i < count && i < 5; i++) {
    stderr.text(i == 0 ? " " : ", ").text(formatF64(reinterpret<u64>(values[i])));
  }
  stderr.byte(10).flush();
}

const clock = new StaticArray<i64>(2);

/** A seed for Math.random: the real-time clock in nanoseconds. */
export function seed(): f64 {
  sys2(Sys.ClockGettime, 0, absolute(changetype<usize>(clock)));
  return <f64>(clock[0] * 1000000000 + clock[1]);
}
