// Threads of one component under AssemblyScript's full runtime (its
// collector scans the shadow stack): tests/os/threads runs WORKERS threads
// that keep managed data in their frames across blocking calls while the
// others run full collections and churn the heap, and must exit 0 (every
// value intact); it then makes threads until thread.create says NO_MEMORY
// and tells the runner how many were alive at once, which must be the
// slots its shadow stack holds. threads-deep blocks with more frames than
// a slot holds while a second thread waits for the lock, and must fault
// with `call stack exhausted`, in kernel code on its behalf. threads-malformed
// exports a `__heap_base` past its memory's end, and must not load
// (INVALID_ARGUMENT).

import { COMPONENT_STATE_EXITED, COMPONENT_STATE_FAULTED, ERROR_INVALID_ARGUMENT } from "../../../ipc/generated/index";
import { Check, describeStatus } from "./check";
import { initStart } from "./init-client";
import { awaitEnd, awaitPulse, spawn, status, takeEndPulse } from "./supervision";
import { spawnComponent } from "./grants";
import { PULSE_THREADS } from "../lib/runner-path";

/** tests/os/threads/threads.ts WORKERS and ROUNDS. */
const WORKERS: i32 = 4;
const ROUNDS: i32 = 24;
/** The slots of a 64 KiB shadow stack (sdk/build/build.mjs): 32 KiB of running area, then 2 KiB per thread. */
const SLOTS: i64 = 16;
/** docs/compiler-abi.md, Traps: `call stack exhausted`. */
const TRAP_STACK_EXHAUSTED: u32 = 9;
/** ComponentStatus.functionIndex when the trap was not in the component's code. */
const NO_FUNCTION: u32 = 0xffffffff;

function describeExit(exit: i32): string {
  if (exit >= 1000) return "worker " + ((exit - 1000) / 100).toString() + " found its data changed in round " + ((exit - 1000) % 100).toString();
  if (exit == 2) return "thread.create never said NO_MEMORY";
  if (exit == 3) return "a wrong echo reply";
  return describeStatus(exit);
}

export function componentThreads(check: Check): void {
  if (!check.succeeded(initStart("echo"), "init.start echo")) return;
  const id = spawnComponent("threads");
  if (!check.succeeded(id, "component.spawn test/threads.wasm")) return;
  const limit = awaitPulse(PULSE_THREADS, <u32>id);
  const state = awaitEnd(<u32>id, 120_000_000_000);
  if (!check.equal(state, COMPONENT_STATE_EXITED, "threads' end state (trap " + status.trap.toString() + ")")) return;
  const exit = status.exitStatus;
  if (!check.ok(exit == 0, "threads reported " + describeExit(exit))) return;
  if (!check.equal(limit, SLOTS, "threads alive at once when thread.create said NO_MEMORY")) return;
  if (!check.ok(takeEndPulse(<u32>id), "no end pulse for threads")) return;

  const deep = spawn("test/threads-deep.wasm", "");
  if (!check.succeeded(deep, "component.spawn test/threads-deep.wasm")) return;
  const deepState = awaitEnd(<u32>deep, 30_000_000_000);
  if (!check.equal(deepState, COMPONENT_STATE_FAULTED, "threads-deep's end state (exit status " + status.exitStatus.toString() + ")")) return;
  if (!check.equal(status.trap, TRAP_STACK_EXHAUSTED, "threads-deep's trap kind")) return;
  if (!check.equal(status.functionIndex, NO_FUNCTION, "threads-deep's trap function (none: the kernel's check)")) return;
  if (!check.ok(takeEndPulse(<u32>deep), "no end pulse for threads-deep")) return;

  if (!check.refused(spawn("test/threads-malformed.wasm", ""), ERROR_INVALID_ARGUMENT, "component.spawn test/threads-malformed.wasm")) return;
  check.summary = WORKERS.toString() + " threads of one component, " + ROUNDS.toString()
    + " rounds each of managed data held across blocking calls and full collections, all intact; "
    + limit.toString() + " threads at once, then NO_MEMORY, and a slot given back; a thread blocking with more frames than its slot faulted its component; malformed shadow-stack exports refused";
}
