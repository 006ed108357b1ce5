// The discipline of kernel code run on behalf of a component. Component
// code runs with interrupts on and is preempted by the timer; the kernel's
// AssemblyScript heap must never be re-entered, so kernel code runs with
// interrupts off: every dispatch function (kernel/generated/dispatch.ts)
// begins with enterKernel and returns through leaveKernel.
//
// - enterKernel: `cli`, and the calling thread (its component is the
//   caller; pointers it passes are checked against that component's
//   memory).
// - leaveKernel: when the call made a thread of higher priority ready (a
//   reply to a client, a pulse to a server), switch to it now: the caller
//   waits in the ready queue holding its component lock, as if preempted
//   in its wasm code; then `sti` and back to wasm.
//
// A call that blocks lets go of the component lock while it waits and
// takes it back before it returns (sched/scheduler.ts block).

import { cli, sti } from "../arch/x86_64/cpu";
import { Thread } from "../object/thread";
import { currentThread, preemptIfWanted, rescheduleIsWanted } from "../sched/scheduler";

// @ts-ignore: decorator
@inline export function enterKernel(): Thread {
  cli();
  return currentThread();
}

// @ts-ignore: decorator
@inline export function leaveKernel(): void {
  if (rescheduleIsWanted()) preemptIfWanted();
  sti();
}
