// A hostile app that calls a function with a frame larger than its whole
// stack, for the hostile-overflow test (tests/os/runner/hostile.ts). The
// build gives it eight such functions, of about 288 KB each (a thread's
// stack is 256 KiB) and 16 bytes apart, and makes `_start` call the one
// its first thread's priority picks (priority 2 + n: variant n,
// tests/os/hostile-overflow/huge-frame.mjs). When the prologue moved the stack
// pointer by the whole frame before checking the limit, the trap path's
// call wrote its return address that far below: past the guard page, into
// whatever lay under this thread's stack — the victim's stack, made just
// before it. The check must come first, so that the only outcome is this
// app's `call stack exhausted` and nothing outside its own stack is
// touched (the victim's checksum, its exit status).

import "../lib/abort";
import { threadPriority } from "../../../ipc/generated/index";

/** Stands for the functions the build adds; `_start`'s body is the build's too. */
export function hugeFrame(value: i32): i32 {
  return value + 1;
}

export function _start(): void {
  store<i32>(heap.alloc(4), hugeFrame(threadPriority()));
}
