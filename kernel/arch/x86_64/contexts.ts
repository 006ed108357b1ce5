// Execution contexts: a context block ({rsp, rip, rbp, fs base}, the
// layout switch_context saves and loads), a stack and a thread block of its
// own. prepareContext sets one up to start a kernel function on a fresh
// stack through the link's thread start stub; switchTo saves the running
// context and resumes another. Threads and the scheduler (a later issue)
// are built on this; at boot the kernel checks it with one round trip.

import { THREAD_BLOCK_SIZE, THREAD_SELF, THREAD_STACK_LIMIT } from "../../../sdk/compiler/src/abi";
import { switchContext } from "./cpu";
import { codeOf, link } from "./handoff";
import { LINK_THREAD_START } from "./link-info";
import { absolute, store64 } from "./native";

const CONTEXT_RSP: i32 = 0;
const CONTEXT_RIP: i32 = 8;
const CONTEXT_RBP: i32 = 16;
const CONTEXT_FS_BASE: i32 = 24;
export const CONTEXT_SIZE: i32 = 32;
/** Room below a context's stack limit that wasm code may not use (the trap path's). */
const STACK_HEADROOM: i64 = 2048;

export class Context {
  /** The context block, then the thread block, in the kernel's memory. */
  readonly block: StaticArray<u64> = new StaticArray<u64>((CONTEXT_SIZE + THREAD_BLOCK_SIZE) / 8);

  // @ts-ignore: decorator
  @inline blockAddress(): i64 { return absolute(changetype<usize>(this.block)); }
  threadBlockAddress(): i64 { return this.blockAddress() + CONTEXT_SIZE; }
}

/**
 * Makes `context` start `entry(argument)` on the stack [stackBottom, stackTop)
 * (absolute addresses, 16-byte aligned top) with a thread block of its own.
 * `entry` must never return: it ends by switching away.
 */
export function prepareContext(context: Context, stackBottom: i64, stackTop: i64, entry: (argument: i64) => void, argument: i64): void {
  const top = (stackTop & ~15) - 16;
  store64(top, codeOf(entry.index));
  store64(top + 8, argument);
  const block = context.blockAddress();
  store64(block + CONTEXT_RSP, top);
  store64(block + CONTEXT_RIP, link(LINK_THREAD_START));
  store64(block + CONTEXT_RBP, 0);
  const thread = context.threadBlockAddress();
  store64(block + CONTEXT_FS_BASE, thread);
  store64(thread + THREAD_SELF, thread);
  store64(thread + THREAD_STACK_LIMIT, stackBottom + STACK_HEADROOM);
}

/** Saves the running context into `from` and resumes `to`; returns when something switches back to `from`. */
export function switchTo(from: Context, to: Context): void {
  switchContext(from.blockAddress(), to.blockAddress());
}
