// Direct calls (msg.serve_direct): a server's handler run on its client's
// thread, as LRPC and migrating-thread kernels do, so that a send, its
// receive and its reply cost no thread switch.
//
// A server registers, for a channel it receives on, a handler `(length,
// sender) -> i32` of its own table and a buffer of its own memory. A
// msg.send on a connection to that channel then, when the case is simple
// (below), copies the message into the buffer and calls the handler on
// the sender's thread: for the call's length the thread is a thread of the
// server (`Thread.component` is the server, `Thread.visitHome` its own
// component), holds the server's component lock and runs the server's code
// on its own machine stack, below its frames, at its own priority. The
// handler's return is the reply: ≥ 0 its length at the buffer's start,
// negative the status msg.send returns, REPLY_LATER or DEAD_SERVER the
// request going on to the channel's receivers as an ordinary message (the
// client's buffer still holds it).
//
// The common case is the link's native code (arch/x86_64/link/fast-path.ts,
// emitDirect), in front of directCall as the threaded paths' are in front
// of theirs: it takes a free lock only, calls the handler with `sti; call`
// (no handler instruction before an interrupt can see the visit), and ends
// in directSendEnd below whenever its quick return does not hold. Both
// copy the reply out before they let go of the server's lock: the buffer is
// one for every call.
//
// What keeps it safe:
//  - Authority: only a holder of the channel's RECEIVE right registers, a
//    function of its own instance (the element's vmctx is the caller's) of
//    type (i32, i32) -> i32; the buffer lies in its memory.
//  - The handler makes no system call: enterKernel and the native fast
//    paths refuse a visiting thread, and the refusal is a trap of the
//    server (a handler that logs, sends or blocks would make a client's
//    thread a server thread that blocks; the threaded path serves that).
//    So a visiting thread never blocks: it runs, or is ready (preempted).
//  - A trap in the handler unwinds to the call (callWasm's invoke); the
//    server ends as faulted, the client's msg.send returns DEAD_SERVER, its
//    thread goes on in its own component.
//  - The server ending while a client's thread is preempted in its
//    handler (killed, or its own thread faulted): the interrupt that
//    resumes the thread turns into a trap of the handler when the thread
//    would resume in component code (visitEndedTrap), so no more of a dead
//    server's code runs for it; it lands at the call as above. A thread
//    preempted between callWasm's `sti` and the handler's first
//    instruction still enters the handler once: so the dead server's
//    memory goes back only once the call is over (endComponent holds it,
//    releaseVisitedMemory), and its vmctx lives as long as the
//    DirectServer holds its instance; the handler then touches nothing but
//    what was the server's, and the next interrupt unwinds it.
//  - The client ending while its thread visits: the thread is not ended
//    in the middle of the server's handler (which would leave the server's
//    heap half changed); it finishes the handler, then ends.
//  - The client's lock: handed to a thread of the client that waits for
//    it when the call begins, as a block would.
//  - The server's lock: taken only when free or kept by a blocked thread,
//    as any thread takes it (sched/lock.ts). A thread in a handler never
//    blocks, so while it holds the lock no other direct call enters the
//    component. The runner's shadow-stack
//    frames go into its slot, so the handler starts with the running area
//    empty, and leaves it empty. The client's lock stays with the thread
//    but may be taken by another thread of the client meanwhile, as from a
//    blocked holder; the thread takes it back before it returns.
//  - A stack reserve: the call is direct only when the thread's stack can
//    still grow by DIRECT_STACK bytes above its floor, so that no client
//    chooses how deep the server's handler may go; with less, the threaded
//    path serves it. Both paths test rsp against Thread.directCallLowest,
//    kept with the stack limit (sched/threads.ts).

import { ELEMENT_CODE, ELEMENT_SIZE, ELEMENT_TYPE_ID, ELEMENT_VMCTX, THREAD_TRAP_PC } from "../../sdk/compiler/src/abi";
import { TrapKind } from "../../sdk/compiler/src/traps";
import { FuncType, ValType } from "../../sdk/compiler/src/module";
import { Instance } from "../../sdk/loader/instance";
import { readRsp } from "../arch/x86_64/cpu";
import { load32, load64, load8, threadBlock, trap } from "../arch/x86_64/native";
import * as console from "../console";
import { Component } from "../component/component";
import { copyUser } from "../component/copy";
import { emptyRunningArea } from "../component/component-shadow-stack";
import { componentFaulted, describe, releaseVisitedMemory } from "../component/end";
import { callWasm, isComponentCode } from "../component/platform";
import { acquireComponentLock, dropLockBoost, releaseComponentLock } from "../sched/lock";
import { currentThread, exitCurrent, preemptIfWanted, rescheduleIsWanted } from "../sched/scheduler";
import { reserveStack } from "../sched/threads";
import { SYSTEM_CALL_RESERVE, hasReserve } from "../sched/entry";
import * as abi from "../generated/abi";
import { Thread, ThreadState } from "./thread";
import { Channel, sendOnThreads } from "./channel";

/** The smallest buffer of a direct server. */
export const DIRECT_BUFFER_MINIMUM: u32 = 16;
/** msg.serve_direct's handler that stops direct calls. */
const NO_HANDLER: u32 = 0xffffffff;
/** What directCall returns when the call is not direct after all: outside every i32. */
export const DIRECT_DECLINED: i64 = i64.MIN_VALUE;
/** The handler's result that hands the request to the channel's receivers (the client library's REPLY_LATER). */
const HANDLER_REPLY_LATER: i32 = i32.MIN_VALUE;

/** A channel's direct server: whose handler, where it lies, its buffer. */
export class DirectServer {
  constructor(
    readonly server: Component,
    /** The server's instance: its vmctx stays alive while a call may still enter the handler. */
    readonly instance: Instance,
    /** The handler's code (absolute): its slot entry. */
    readonly code: u64,
    /** The buffer, absolute, and its length. */
    readonly buffer: u64, readonly capacity: u32,
  ) {
    this.vmctx = instance.vmctxAddress;
    this.body = handlerBody(code);
  }
  /** The instance's vmctx, for the link's native direct call. */
  readonly vmctx: u64;
  /** The handler's body (absolute), where the native direct call enters it with its arguments in registers (0: none found, never registered). */
  readonly body: u64;
}

/** A slot entry's loads of a handler's two i32 parameters (`mov edi, [rsp + 8]; mov esi, [rsp + 16]`), as a little-endian u64. */
const HANDLER_SLOT_LOADS: u64 = 0x1024_748b_0824_7c8b;
const JMP_REL32: i32 = 0xe9;
/** The slot entry's length: the two loads and the jump. */
const HANDLER_SLOT_ENTRY_SIZE: u64 = 13;

/**
 * Where the body of a handler whose slot entry is at `code` begins: the
 * compiler gives a function reached through a table a slot entry that
 * loads its register parameters from their slots and jumps to its body
 * (docs/compiler-abi.md, "Calling convention between wasm functions"),
 * and the link's native direct call enters the body with the length and
 * the sender already in rdi and rsi. 0 when the entry is not exactly
 * those loads and a `jmp rel32`: msg.serve_direct then refuses the
 * handler (code this kernel's compiler made always has that entry).
 */
function handlerBody(code: u64): u64 {
  if (<u64>load64(<i64>code) != HANDLER_SLOT_LOADS || (load8(<i64>code + 8) & 0xff) != JMP_REL32) return 0;
  return code + HANDLER_SLOT_ENTRY_SIZE + <u64><i64>load32(<i64>code + 9);
}

let handlerTypeCache: FuncType | null = null;

/** The type `(i32, i32) -> i32` of direct handlers. */
function handlerType(): FuncType {
  if (handlerTypeCache == null) {
    const type = new FuncType();
    type.params = [<u8>ValType.I32, <u8>ValType.I32];
    type.results = [<u8>ValType.I32];
    handlerTypeCache = type;
  }
  return handlerTypeCache!;
}

/** msg.serve_direct: `handler` (a table index of the caller's, or NO_HANDLER) serves `channel`'s calls directly into `buffer`. */
export function msgServeDirect(caller: Thread, channel: Channel, handler: u32, buffer: u64, bufferLength: u32): i32 {
  if (!channel.isOpen) return abi.ERROR_BAD_HANDLE;
  if (handler == NO_HANDLER) {
    channel.direct = null;
    return 0;
  }
  const component = caller.component!;
  if (bufferLength < DIRECT_BUFFER_MINIMUM) return abi.ERROR_INVALID_ARGUMENT;
  const instance = component.instance;
  if (instance == null || instance.table == null) return abi.ERROR_INVALID_ARGUMENT;
  const table = instance.table!;
  if (handler >= table.length) return abi.ERROR_INVALID_ARGUMENT;
  const element = table.elements + <usize>handler * <usize>ELEMENT_SIZE;
  const code = load<u64>(element + ELEMENT_CODE);
  const vmctx = load<u64>(element + ELEMENT_VMCTX);
  // A function of its own instance: an imported one (a system call's) is refused too.
  if (code == 0 || vmctx != instance.vmctxAddress) return abi.ERROR_INVALID_ARGUMENT;
  if (load<u64>(element + ELEMENT_TYPE_ID) != instance.linker.signatures.id(handlerType())) return abi.ERROR_INVALID_ARGUMENT;
  const direct = new DirectServer(component, instance, code, buffer, bufferLength);
  if (direct.body == 0) {
    describe(component, "registered a direct handler whose code has no slot entry the kernel knows");
    console.end();
    return abi.ERROR_INVALID_ARGUMENT;
  }
  channel.direct = direct;
  return 0;
}

/**
 * msg.send's direct case: DIRECT_DECLINED when the call is not simple
 * enough (nothing changed then), else msg.send's result. `send` and
 * `reply` are absolute and inside the caller's memory.
 */
export function directCall(caller: Thread, direct: DirectServer, send: u64, sendLength: u64, reply: u64, replyLength: u64): i64 {
  const server = direct.server;
  const home = caller.component!;
  if (!server.isRunning || server === home || caller.visitHome != null) return DIRECT_DECLINED;
  // A timed call keeps its timeout on the threaded path.
  if (caller.timeoutStates != 0 || sendLength > <u64>direct.capacity) return DIRECT_DECLINED;
  // The stack grows on demand: what counts is how far it can grow, down to its guard (sched/threads.ts).
  if (<u64>readRsp() < caller.directCallLowest) return DIRECT_DECLINED;
  const owner = server.lockOwner;
  if (owner != null && owner.state != ThreadState.Blocked) return DIRECT_DECLINED;
  if (!copyUser(direct.buffer, send, sendLength)) return DIRECT_DECLINED;
  // POINT OF NO RETURN
  // The caller's own lock to a thread of its component that waits for it: a direct call is the caller's wait
  // for its server, as a block is, where a thread lets go of its lock (a client that only ever calls directly
  // would otherwise keep it from its other threads for good).
  if (!home.lockWaiters.isEmpty) releaseComponentLock(caller);
  // The server's lock, from a blocked holder as sched/lock.ts takes it, and its running area emptied.
  if (owner != null) dropLockBoost(owner);
  server.lockOwner = caller;
  caller.visitHome = home;
  caller.component = server;
  let kind: i32 = TrapKind.StackExhausted;
  let pc: u64 = 0;
  let handlerResult: i32 = 0;
  if (emptyRunningArea(server)) {
    const slots = new StaticArray<u64>(2);
    unchecked(slots[0] = sendLength);
    unchecked(slots[1] = <u64>home.id);
    kind = callWasm(direct.code, direct.vmctx, changetype<usize>(slots), 2);
    if (kind != 0) pc = <u64>load64(threadBlock() + THREAD_TRAP_PC);
    else handlerResult = <i32><u32>unchecked(slots[0]);
  }
  return endVisit(caller, kind, pc, handlerResult, direct.buffer, direct.capacity, reply, replyLength);
}

/**
 * The end of a direct call of `caller`, still the server's thread: its
 * handler returned `handlerResult` (kind 0) or trapped with `kind` at
 * `pc`. A reply goes from the server's `buffer` (of `capacity`) into the
 * client's `reply` (absolute) first, while the server's lock keeps every
 * other call out of that buffer: once the thread lets go of it, and
 * perhaps waits for its own component's lock, another thread's direct
 * call may fill the buffer before this one runs again. Then the thread
 * goes home, without the server's lock, with its own back (it ends here
 * if its component ended meanwhile). msg.send's result, or
 * DIRECT_DECLINED when the request goes on to the server's threads.
 */
function endVisit(caller: Thread, kind: i32, pc: u64, handlerResult: i32, buffer: u64, capacity: u32, reply: u64,
  replyLength: u64): i64 {
  const server = caller.component!;
  const home = caller.visitHome!;
  let result: i64;
  if (!server.isRunning) result = abi.ERROR_DEAD_SERVER;
  else if (kind != 0) result = handlerFaulted(caller, server, kind, pc);
  else result = <i64>handlerResult;
  if (result >= 0 && home.isRunning) result = replyFrom(buffer, capacity, result, reply, replyLength);
  // The handler leaves the running area empty; whatever it left there is not a thread's.
  const stack = server.shadowStack;
  if (stack != null) stack.pointer = stack.layout.runTop;
  releaseComponentLock(caller);
  caller.component = home;
  caller.visitHome = null;
  releaseVisitedMemory(server);
  // A client that ended meanwhile: its thread ends now, the handler done.
  if (!home.isRunning) exitCurrent();
  acquireComponentLock(caller);
  if (result == <i64>HANDLER_REPLY_LATER || result == <i64>abi.ERROR_DEAD_SERVER && server.isRunning) return DIRECT_DECLINED;
  return result;
}

/** The reply of `length` bytes at the server's `buffer` (of `capacity`), cut to both buffers, into the client's `reply`: 0 or BAD_ADDRESS. */
function replyFrom(buffer: u64, capacity: u32, length: i64, reply: u64, replyLength: u64): i64 {
  let bytes = <u64>length;
  if (bytes > <u64>capacity) bytes = <u64>capacity;
  if (bytes > replyLength) bytes = replyLength;
  return copyUser(reply, buffer, bytes) ? 0 : abi.ERROR_BAD_ADDRESS;
}

/**
 * The end of a msg.send that the link's native fast path called directly
 * (arch/x86_64/link/fast-path.ts), when its own quick case does not hold
 * after the handler: a trap (`kind`, the pc in the thread block), the
 * server or the client ended, the lock wanted meanwhile, a status or
 * REPLY_LATER. `buffer` and `capacity` are the server's buffer's (read
 * before the call), the others msg.send's arguments; the message was
 * counted. msg.send's result, after the switch a higher priority wants.
 */
export function directSendEnd(kind: i32, handlerResult: i32, buffer: u64, capacity: u32, connection: i32, send: u32,
  sendLength: u32, reply: u32, replyLength: u32): i32 {
  const caller = currentThread();
  const pc = kind != 0 ? <u64>load64(threadBlock() + THREAD_TRAP_PC) : 0;
  // The native call checked the stack's floor, not the reserve kernel code wants: the floor leaves room for it.
  if (!hasReserve()) reserveStack(SYSTEM_CALL_RESERVE);
  const base = caller.visitHome!.memoryBase;
  let result = endVisit(caller, kind, pc, handlerResult, buffer, capacity, base + <u64>reply, <u64>replyLength);
  if (result == DIRECT_DECLINED) result = sendOnThreads(caller, connection, base + <u64>send, sendLength, base + <u64>reply, replyLength);
  if (rescheduleIsWanted()) preemptIfWanted();
  return <i32>result;
}

/** A trap of kind `kind` in the handler (or of the call on its behalf): the server ends as faulted; DEAD_SERVER for the client. */
function handlerFaulted(caller: Thread, server: Component, kind: i32, pc: u64): i64 {
  componentFaulted(server, caller, kind, pc);
  return abi.ERROR_DEAD_SERVER;
}

/**
 * A system call from a thread running a direct handler: refused before it
 * changes anything, as a trap of the handler's component (the call ends it,
 * directCall). Never returns.
 */
export function refuseVisitor(thread: Thread): void {
  describe(thread.component!, "made a system call in a direct handler (thread ");
  console.decimal(<u64>thread.id);
  console.text("): handlers make none");
  console.end();
  trap(TrapKind.Unreachable);
}

/**
 * At the end of an interrupt, before the thread it interrupted resumes at
 * `rip`: a trap kind when that thread runs a direct handler whose component
 * ended meanwhile and would resume in component code (so that no more of a
 * dead server's code runs for it), else 0.
 */
export function visitEndedTrap(rip: u64): i32 {
  const thread = currentThread();
  if (thread.visitHome == null) return 0;
  const server = thread.component;
  if (server == null || server.isRunning || !isComponentCode(rip)) return 0;
  return TrapKind.Unreachable;
}
