// The discipline of kernel code run on behalf of a component. Component
// code runs with interrupts on and is preempted by the timer; the kernel's
// AssemblyScript heap must never be re-entered, so kernel code runs with
// interrupts off: every dispatch function (kernel/generated/dispatch.ts)
// begins with enterKernel and returns through leaveKernel.
//
// - enterKernel: `cli`, and the calling thread (its component is the
//   caller; pointers it passes are checked against that component's
//   memory). Kernel code runs on the caller's stack, under the stack limit
//   of the caller's thread block: so a call made with less than
//   SYSTEM_CALL_RESERVE bytes left above the limit grows the caller's
//   stack (sched/threads.ts), or when it cannot, is refused before it
//   changes anything, by a `call stack exhausted` trap of the caller. A
//   component cannot choose where kernel code stops: whatever depth it
//   calls from, the kernel has its reserve.
// - A thread running a direct handler (object/direct.ts) makes no system
//   call: enterKernel refuses it, as a trap of the handler's component.
// - leaveKernel: when the call made a thread of higher priority ready (a
//   reply to a client, a pulse to a server), switch to it now: the caller
//   waits in the ready queue holding its component lock, as if preempted
//   in its wasm code; then `sti` and back to wasm.
//
// A call that blocks lets go of the component lock while it waits and
// takes it back before it returns (sched/scheduler.ts block); the link's
// native message paths keep it, for another thread to take (sched/lock.ts).

import { TrapKind, THREAD_STACK_LIMIT } from "../../sdk/compiler/src/abi";
import { cli, readRsp, sti } from "../arch/x86_64/cpu";
import { load64, threadBlock, trap } from "../arch/x86_64/native";
import { Thread } from "../object/thread";
import { afterSwitch, currentAddress, currentThread, preemptIfWanted, rescheduleIsWanted } from "./scheduler";
import { THREAD_VISIT_HOME } from "./layout";
import { acquireComponentLock } from "./lock";
import { reserveStack } from "./threads";
import { refuseVisitor } from "../object/direct";

/**
 * The stack every system call may use below its dispatch function's frame.
 * Chosen, not measured: kernel paths are iterative (a send that wakes, lends
 * priority along a chain of at most 16 servers and switches, with an
 * allocation that grows the heap), and it leaves a component thread 168 of
 * its 216 KiB above its limit (docs/kernel.md, "The stack reserve").
 */
export const SYSTEM_CALL_RESERVE: u64 = 48 << 10;

/**
 * What a fast path (ipc/table `fastPath`, object/fast-path.ts) returns when
 * it declines: outside every i32 result, so no result of a call it did can
 * be mistaken for it.
 */
export const FAST_PATH_DECLINED: i64 = i64.MIN_VALUE;

// @ts-ignore: decorator
@inline export function enterKernel(): Thread {
  cli();
  if (!hasReserve() && !reserveStack(SYSTEM_CALL_RESERVE)) trap(TrapKind.StackExhausted);
  const thread = currentThread();
  if (thread.visitHome != null) refuseVisitor(thread);
  return thread;
}

/**
 * A fast path's entry (object/fast-path.ts, syscall/threads.ts): `cli`,
 * then the calling thread's address, or 0 when the call must take the
 * general path: its stack lacks the reserve, or it runs a direct handler
 * (enterKernel refuses it, object/direct.ts).
 */
// @ts-ignore: decorator
@inline export function enterFastPath(): usize {
  cli();
  if (!hasReserve()) return 0;
  const caller = currentAddress();
  return load<usize>(caller + THREAD_VISIT_HOME) != 0 ? 0 : caller;
}

/** True when the running thread has SYSTEM_CALL_RESERVE bytes of stack above its limit. */
// @ts-ignore: decorator
@inline export function hasReserve(): bool {
  return <u64>readRsp() >= <u64>load64(threadBlock() + THREAD_STACK_LIMIT) + SYSTEM_CALL_RESERVE;
}

// @ts-ignore: decorator
@inline export function leaveKernel(): void {
  if (rescheduleIsWanted()) preemptIfWanted();
  sti();
}

/**
 * The end of a call done by one of the link's native fast paths
 * (arch/x86_64/link/fast-path.ts, exported by main.ts), after its thread
 * runs again, when the native code's own checks there did not hold: the
 * thread that ended before it is freed, the component lock taken back
 * (waiting for it if another thread holds it), and a switch made if one is
 * wanted, as switchToAddress and leaveKernel do for the fast paths here.
 * The native code then writes the result and turns interrupts on.
 */
export function fastPathResume(): void {
  afterSwitch();
  acquireComponentLock(currentThread());
  if (rescheduleIsWanted()) preemptIfWanted();
}
