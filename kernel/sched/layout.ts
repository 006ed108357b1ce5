// Where the fields of threads and of the scheduler's lists lie, for code
// that reads and writes them by address: the message fast path
// (object/fast-path.ts) and the scheduler's and thread lists' steps it
// inlines. AssemblyScript lays the objects out; offsetof reads its layout,
// so these follow any change. object/layout.ts has the other objects'.
//
// Why by address: reaching a field through a managed reference (even
// `changetype<Thread>(address).priority`) makes the compiler keep that
// reference in the function's shadow-stack frame, and a frame is what the
// fast path must not have (object/fast-path.ts). Loads and stores at these
// offsets keep every value a number.
//
// The kernel exports all of these (main.ts), with the values and the
// scheduler's globals below: the link's native fast path
// (arch/x86_64/link/fast-path.ts) reads them at link time and writes them
// into its instructions, so that it follows the same layout.

import { BlockReason, FastBlock, Thread, ThreadState, WakeReason } from "../object/thread";
import { WaitQueue } from "./wait-queue";
import { ThreadList } from "./thread-list";
import { Timeout } from "./timeouts";

export const THREAD_ID = offsetof<Thread>("id");
export const THREAD_COMPONENT = offsetof<Thread>("component");
export const THREAD_CONTEXT_BLOCK = offsetof<Thread>("contextBlock");
export const THREAD_STATE = offsetof<Thread>("state");
export const THREAD_OWN_PRIORITY = offsetof<Thread>("ownPriority");
export const THREAD_PRIORITY = offsetof<Thread>("priority");
export const THREAD_LENT = offsetof<Thread>("lent");
export const THREAD_LOCK_BOOST = offsetof<Thread>("lockBoost");
export const THREAD_NEXT_LINK = offsetof<Thread>("nextLink");
export const THREAD_PREVIOUS_LINK = offsetof<Thread>("previousLink");
export const THREAD_WAIT_QUEUE = offsetof<Thread>("waitQueue");
export const THREAD_BLOCK_REASON = offsetof<Thread>("blockReason");
export const THREAD_WAKE_REASON = offsetof<Thread>("wakeReason");
export const THREAD_FAST_BLOCK = offsetof<Thread>("fastBlock");
export const THREAD_VISIT_HOME = offsetof<Thread>("visitHome");
export const THREAD_TIMEOUT = offsetof<Thread>("timeout");
export const THREAD_SLICE_LEFT = offsetof<Thread>("sliceLeft");
export const THREAD_SHADOW_SLOT = offsetof<Thread>("shadowSlot");
export const THREAD_SHADOW_SLOT_COUNT = offsetof<Thread>("kernelShadowSlotCount");
export const THREAD_SHADOW_BYTES = offsetof<Thread>("shadowBytes");
export const THREAD_SHADOW_PARKED = offsetof<Thread>("shadowParked");
export const THREAD_IPC_VALUES = offsetof<Thread>("ipcValues");
export const THREAD_IPC_RESULT = offsetof<Thread>("ipcResult");
export const THREAD_SERVING = offsetof<Thread>("serving");
export const THREAD_SENDERS_BOOST = offsetof<Thread>("sendersBoost");
export const THREAD_RECEIVE_ID = offsetof<Thread>("receiveId");
export const THREAD_SERVED_BY = offsetof<Thread>("servedBy");
export const THREAD_PENDING_IN = offsetof<Thread>("pendingIn");
export const THREAD_DELIVERED_HANDLE = offsetof<Thread>("deliveredHandle");
export const THREAD_TIMEOUT_STATES = offsetof<Thread>("timeoutStates");
export const THREAD_DIRECT_CALL_LOWEST = offsetof<Thread>("directCallLowest");
export const WAIT_QUEUE_THREADS = offsetof<WaitQueue>("threads");
export const LIST_HEAD = offsetof<ThreadList>("head");
export const LIST_TAIL = offsetof<ThreadList>("tail");
export const LIST_COUNT = offsetof<ThreadList>("count");
export const TIMEOUT_DEADLINE = offsetof<Timeout>("deadline");

// The values the native fast path stores and compares.
export const STATE_READY: i32 = ThreadState.Ready;
export const STATE_RUNNING: i32 = ThreadState.Running;
export const STATE_BLOCKED: i32 = ThreadState.Blocked;
export const BLOCK_NONE: i32 = BlockReason.None;
export const BLOCK_REPLY: i32 = BlockReason.Reply;
export const BLOCK_RECEIVE: i32 = BlockReason.Receive;
export const WAKE_NONE: i32 = WakeReason.None;
export const WAKE_WOKEN: i32 = WakeReason.Woken;
export const FAST_BLOCK_REPLY: i32 = FastBlock.Reply;
export const FAST_BLOCK_RECEIVE: i32 = FastBlock.Receive;
export { NO_PRIORITY } from "./priority";
export { SYSTEM_CALL_RESERVE } from "./entry";

// The globals it shares with the scheduler (their cells in the kernel's vmctx).
export { current, deadPending, readyMask, readyQueues, rescheduleWanted, SLICE_TICKS, switchCount } from "./scheduler";
export { runTop } from "./kernel-shadow-stack";
