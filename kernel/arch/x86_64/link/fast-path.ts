// The message calls' native fast path: msg.send, msg.reply_receive and
// thread.yield in their common case as hand-written x86-64, in front of the
// kernel's AssemblyScript (object/fast-path.ts, the generated dispatch).
// The kernel binds a call's import slot to the native entry instead of its
// dispatch function (syscall/table.ts), so a component enters it exactly as
// it would enter the dispatch function: the arguments in the caller's
// slots at [rsp + 8 + 8*i], r14 and r15 the kernel's vmctx and memory base
// (docs/compiler-abi.md). The native code checks every precondition of its
// case; when one fails it jumps to the dispatch function with nothing
// changed (the record's fallback, written by the kernel), and that runs the
// AssemblyScript fast path or the general path. Once all checks passed, a
// POINT OF NO RETURN; after it, exactly the changes the AssemblyScript fast
// path makes for that case, then the switch.
//
// Why native: the same steps compiled from AssemblyScript keep every local
// in the native frame (zeroed at entry, a load and a store around each
// use), and the compiled switch reads the FS base with rdmsr; here every
// value stays in a register. The kernel's objects are read where the
// kernel's own code reads them: at the offsets the kernel exports
// (sched/layout.ts, object/layout.ts, which compute them with offsetof),
// relative to r15, and its globals in their vmctx cells, both resolved
// here at link time from the kernel component's exports.
//
// What every path that switches needs besides its own case (msg.send's
// direct case switches nothing and needs neither of the two stack tests):
//  - `cli` first; the resumed thread turns interrupts on again right before
//    it returns to its wasm code (`sti; ret`), and a decline leaves that to
//    the dispatch function.
//  - SYSTEM_CALL_RESERVE bytes above the stack limit, as enterKernel wants:
//    a resume may call the kernel's AssemblyScript (fastPathResume).
//  - The kernel's shadow stack's running area empty (`__stack_pointer` at
//    `runTop`) and the next thread with no frames kept in its slots, so that
//    the switch moves none (docs/kernel.md, "The shadow stack under many
//    threads").
//  - The switch itself: the running thread's rsp, rbp, resume address and
//    fs base into its context block, the next one's loaded (its fs base
//    through wrmsr, or wrfsbase where the kernel rewrote the write: below),
//    as switch_context does. Every switch is made by kernel code, which
//    runs with the kernel's r14 and r15, so the resume finds them as they
//    were.
//  - The component lock kept across the block (sched/lock.ts): a message
//    path blocks without letting go when nobody waits for the lock and the
//    caller has no boost; a thread that wants the lock meanwhile takes it
//    from the blocked holder.
//  - The resume: the thread that ended before it freed, the component lock
//    taken back, a wanted switch made — inline when nothing is to do (no
//    dead thread pending, the lock still held by this thread, or free and
//    last held by it, no switch wanted), else through the kernel's
//    fastPathResume — then the result into the caller's slot, `sti`, `ret`.
//
// Every access to component memory is a call of the checked copy
// (RT_COPY_CHECKED, services.ts) or of writeReceiveInfo, whose stores lie
// in the same exception range; a fault there declines, and the general
// path repeats the copy and fails the side whose memory it was.

import { MEMORY_BASE, MEMORY_LENGTH, THREAD_SELF, THREAD_STACK_LIMIT, THREAD_TRAP_RSP, VMCTX_MEMORY_BASE } from "../../../../sdk/compiler/src/abi";
import { ExternKind, ConstKind } from "../../../../sdk/compiler/src/module";
import { CONTEXT_FS_BASE, CONTEXT_RBP, CONTEXT_RIP, CONTEXT_RSP } from "../../../../sdk/compiler/src/generate/x86";
import { Alu, Cond, Label, Mem, Reg, Shift, fsAbsolute, mem, memIndex, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { SystemAssembler } from "../../../../sdk/compiler/src/x64/system";
import { FAST_PATH_FALLBACK, FAST_PATH_RECORD_SIZE, FS_BASE_SITE_COUNT } from "../link-info";
import { KernelLink } from "./context";

/** The i32 slot of argument `i` at the native code's entry (above the return address). */
function argument(i: i32): Mem { return mem(Reg.RSP, 8 + 8 * i); }
/** What emitDirect puts below msg.send's return address: 8 bytes for alignment and invoke's frame (80). */
const DIRECT_FRAME: i32 = 8 + 80;
/** directSendEnd's nine argument slots, with the room that aligns rsp at its call (emitDirect). */
const END_ARGUMENTS: i32 = 72;
/** The result slot: the caller reads its first slot after the call. */
const RESULT: Mem = mem(Reg.RSP, 8);

/** Field `offset` of the kernel object whose address (in the kernel's memory) is in `base`. */
function field(base: Reg, offset: i32): Mem { return memIndex(Reg.R15, base, 1, offset); }

/**
 * The kernel's exports the native code is built from: constants (field
 * offsets, values) and the vmctx cells of its globals. A missing or
 * mistyped one makes the link fail with `error`.
 */
class KernelSymbols {
  error: string = "";
  private readonly cells: Map<string, Label> = new Map();
  constructor(private readonly k: KernelLink) {}

  private globalIndex(name: string): i32 {
    const entry = this.k.component.findExport(name);
    if (entry == null || entry.kind != ExternKind.Global) {
      if (this.error.length == 0) this.error = "the kernel exports no global " + name + " (native fast path)";
      return -1;
    }
    return <i32>entry.index;
  }

  /** The value of an exported constant. */
  constant(name: string): i32 {
    const index = this.globalIndex(name);
    if (index < 0) return 0;
    const component = this.k.component;
    const init = component.globalInits[index - <i32>component.numImportedGlobals];
    if (component.globals[index].mutable || (init.kind != ConstKind.I32 && init.kind != ConstKind.I64)) {
      if (this.error.length == 0) this.error = "the kernel's " + name + " is not an integer constant (native fast path)";
      return 0;
    }
    const value = init.kind == ConstKind.I32 ? <i64><i32><u32>init.bits : <i64>init.bits;
    if (value != <i64><i32>value && this.error.length == 0) this.error = "the kernel's " + name + " does not fit in 32 bits";
    return <i32>value;
  }

  /** `[rip + cell]` of an exported global. */
  cell(name: string): Mem {
    if (!this.cells.has(name)) {
      const index = this.globalIndex(name);
      const k = this.k;
      this.cells.set(name, k.c.p.labelAt(k.vmctx, index < 0 ? 0 : k.component.layout.global(<u32>index)));
    }
    return memLabel(this.cells.get(name));
  }
}

/** A lookupRemembered miss, emitted out of line at the end of its path. */
class Miss {
  constructor(
    readonly label: Label, readonly back: Label, readonly table: Reg, readonly type: i32, readonly right: i32,
    readonly object: Reg, readonly handleField: i32, readonly objectField: i32,
  ) {}
}

/**
 * The 8 bytes the kernel writes over each switch's fs-base write when the
 * CPU has FSGSBASE (fs-base.ts): `wrfsbase rax` (F3 REX.W 0F AE /2) and a
 * copy of the switch's closing `jmp [rsi + CONTEXT_RIP]` (FF /4, disp8),
 * so that the switch ends there. The wrmsr sequence it replaces (rdx and
 * ecx set, wrmsr, 14 bytes) is longer, and what is left of it after the
 * jump is never reached.
 */
export function fsBasePatch(): u64 {
  const bytes: u8[] = [0xf3, 0x48, 0x0f, 0xae, 0xd0, 0xff, 0x66, <u8>CONTEXT_RIP];
  let value: u64 = 0;
  for (let i = 7; i >= 0; i--) value = (value << 8) | <u64>bytes[i];
  return value;
}
/** The bytes of fsBasePatch. */
const FS_BASE_PATCH_SIZE: i32 = 8;

/** Emits the native fast paths; false with `error` when the kernel does not export what they need. */
export class FastPaths {
  error: string = "";
  private readonly a: SystemAssembler;
  private readonly s: KernelSymbols;
  /** writeReceiveInfo: msg.send's receiveInfo stored straight into the receiver's memory, inside the checked range. */
  private readonly writeReceiveInfo: Label;
  /** The switches emitted so far (their fs-base writes: KernelLink.fsBaseSites). */
  private switches: i32 = 0;
  /** `[rip + this]`: the kernel's memory base, in its vmctx. */
  private readonly kernelMemoryBase: Label;
  /** lookupRemembered's misses in the path being emitted. */
  private readonly misses: Miss[] = [];

  // Offsets and values, read once.
  private readonly THREAD_ID: i32; private readonly THREAD_COMPONENT: i32; private readonly THREAD_CONTEXT_BLOCK: i32;
  private readonly THREAD_STATE: i32; private readonly THREAD_OWN_PRIORITY: i32; private readonly THREAD_PRIORITY: i32;
  private readonly THREAD_LENT: i32; private readonly THREAD_LOCK_BOOST: i32; private readonly THREAD_NEXT_LINK: i32;
  private readonly THREAD_PREVIOUS_LINK: i32; private readonly THREAD_WAIT_QUEUE: i32; private readonly THREAD_BLOCK_REASON: i32;
  private readonly THREAD_WAKE_REASON: i32; private readonly THREAD_SLICE_LEFT: i32;
  private readonly THREAD_SHADOW_BYTES: i32; private readonly THREAD_IPC_VALUES: i32; private readonly THREAD_IPC_RESULT: i32;
  private readonly THREAD_SERVING: i32; private readonly THREAD_SENDERS_BOOST: i32; private readonly THREAD_RECEIVE_ID: i32;
  private readonly THREAD_SERVED_BY: i32; private readonly THREAD_PENDING_IN: i32; private readonly THREAD_TIMEOUT_STATES: i32;
  private readonly THREAD_DELIVERED_HANDLE: i32; private readonly REPLY_WAIT_LENGTH_SHIFT: i32;
  private readonly TABLE_SEND_HANDLE: i32; private readonly TABLE_SEND_OBJECT: i32;
  private readonly TABLE_RECEIVE_HANDLE: i32; private readonly TABLE_RECEIVE_OBJECT: i32;
  private readonly WAIT_QUEUE_THREADS: i32; private readonly LIST_HEAD: i32; private readonly LIST_TAIL: i32;
  private readonly LIST_COUNT: i32;
  private readonly COMPONENT_ID: i32; private readonly COMPONENT_MEMORY_OBJECT: i32; private readonly COMPONENT_LOCK_OWNER: i32;
  private readonly COMPONENT_SHADOW_RUNNER: i32;
  private readonly COMPONENT_MESSAGES: i32;
  private readonly COMPONENT_HANDLES: i32; private readonly RECEIVE_SLOTS: i32; private readonly RECEIVE_ID_MASK: i32; private readonly TABLE_SLOTS: i32;
  private readonly TABLE_MASK: i32; private readonly ENTRY_OBJECT: i32; private readonly ENTRY_RIGHTS: i32;
  private readonly ENTRY_NUMBER: i32; private readonly OBJECT_TYPE: i32; private readonly CONNECTION_CHANNEL: i32;
  private readonly CHANNEL_SENDERS: i32; private readonly CHANNEL_RECEIVERS: i32; private readonly CHANNEL_PULSES: i32;
  private readonly CHANNEL_LAST_RECEIVER: i32; private readonly CHANNEL_IS_OPEN: i32; private readonly PULSES_COUNT: i32;
  private readonly CHANNEL_DIRECT: i32; private readonly THREAD_VISIT_HOME: i32; private readonly THREAD_DIRECT_CALL_LOWEST: i32;
  private readonly COMPONENT_STATE: i32; private readonly COMPONENT_RUNNING: i32;
  private readonly DIRECT_SERVER: i32; private readonly DIRECT_BODY: i32; private readonly DIRECT_VMCTX: i32;
  private readonly DIRECT_BUFFER: i32; private readonly DIRECT_CAPACITY: i32;
  private readonly ERROR_BAD_ADDRESS: i32;
  private readonly ARRAY_DATA: i32;
  private readonly STATE_READY: i32; private readonly STATE_RUNNING: i32; private readonly STATE_BLOCKED: i32;
  private readonly BLOCK_REPLY: i32; private readonly BLOCK_RECEIVE: i32;
  private readonly WAKE_WOKEN: i32; private readonly NO_PRIORITY: i32;
  private readonly THREAD_FAST_BLOCK: i32; private readonly FAST_BLOCK_REPLY: i32; private readonly FAST_BLOCK_RECEIVE: i32;
  private readonly SLICE_TICKS: i32; private readonly SYSTEM_CALL_RESERVE: i32;
  private readonly VALUE_SEND_ADDRESS: i32; private readonly VALUE_SEND_SIZE: i32; private readonly VALUE_REPLY_ADDRESS: i32;
  private readonly VALUE_REPLY_SIZE: i32; private readonly VALUE_FLAGS: i32; private readonly VALUE_INFO: i32;
  private readonly ERROR_BAD_HANDLE: i32; private readonly ERROR_DEAD_SERVER: i32;
  private readonly OBJECT_TYPE_CHANNEL: i32; private readonly OBJECT_TYPE_CONNECTION: i32;
  private readonly RIGHT_SEND: i32; private readonly RIGHT_RECEIVE: i32;
  private readonly RECEIVE_INFO_COMPONENT: i32; private readonly RECEIVE_INFO_THREAD: i32; private readonly RECEIVE_INFO_PRIORITY: i32;
  private readonly RECEIVE_INFO_SEND_LENGTH: i32; private readonly RECEIVE_INFO_REPLY_LENGTH: i32; private readonly RECEIVE_INFO_SIZE: i32;
  private readonly RECEIVE_INFO_HANDLE: i32;

  constructor(private readonly k: KernelLink) {
    this.a = k.c.p.asm;
    const s = new KernelSymbols(k);
    this.s = s;
    this.writeReceiveInfo = k.c.p.label();
    this.THREAD_ID = s.constant("THREAD_ID"); this.THREAD_COMPONENT = s.constant("THREAD_COMPONENT");
    this.THREAD_CONTEXT_BLOCK = s.constant("THREAD_CONTEXT_BLOCK"); this.THREAD_STATE = s.constant("THREAD_STATE");
    this.THREAD_OWN_PRIORITY = s.constant("THREAD_OWN_PRIORITY"); this.THREAD_PRIORITY = s.constant("THREAD_PRIORITY");
    this.THREAD_LENT = s.constant("THREAD_LENT"); this.THREAD_LOCK_BOOST = s.constant("THREAD_LOCK_BOOST");
    this.THREAD_NEXT_LINK = s.constant("THREAD_NEXT_LINK"); this.THREAD_PREVIOUS_LINK = s.constant("THREAD_PREVIOUS_LINK");
    this.THREAD_WAIT_QUEUE = s.constant("THREAD_WAIT_QUEUE"); this.THREAD_BLOCK_REASON = s.constant("THREAD_BLOCK_REASON");
    this.THREAD_WAKE_REASON = s.constant("THREAD_WAKE_REASON");
    this.THREAD_SLICE_LEFT = s.constant("THREAD_SLICE_LEFT"); this.THREAD_SHADOW_BYTES = s.constant("THREAD_SHADOW_BYTES");
    this.THREAD_IPC_VALUES = s.constant("THREAD_IPC_VALUES"); this.THREAD_IPC_RESULT = s.constant("THREAD_IPC_RESULT");
    this.THREAD_SERVING = s.constant("THREAD_SERVING"); this.THREAD_SENDERS_BOOST = s.constant("THREAD_SENDERS_BOOST");
    this.THREAD_RECEIVE_ID = s.constant("THREAD_RECEIVE_ID"); this.THREAD_SERVED_BY = s.constant("THREAD_SERVED_BY");
    this.THREAD_PENDING_IN = s.constant("THREAD_PENDING_IN");
    this.THREAD_DELIVERED_HANDLE = s.constant("THREAD_DELIVERED_HANDLE");
    this.REPLY_WAIT_LENGTH_SHIFT = s.constant("REPLY_WAIT_LENGTH_SHIFT");
    this.TABLE_SEND_HANDLE = s.constant("TABLE_SEND_HANDLE"); this.TABLE_SEND_OBJECT = s.constant("TABLE_SEND_OBJECT");
    this.TABLE_RECEIVE_HANDLE = s.constant("TABLE_RECEIVE_HANDLE"); this.TABLE_RECEIVE_OBJECT = s.constant("TABLE_RECEIVE_OBJECT");
    this.THREAD_TIMEOUT_STATES = s.constant("THREAD_TIMEOUT_STATES");
    this.WAIT_QUEUE_THREADS = s.constant("WAIT_QUEUE_THREADS"); this.LIST_HEAD = s.constant("LIST_HEAD");
    this.LIST_TAIL = s.constant("LIST_TAIL"); this.LIST_COUNT = s.constant("LIST_COUNT");
    this.COMPONENT_ID = s.constant("COMPONENT_ID"); this.COMPONENT_MEMORY_OBJECT = s.constant("COMPONENT_MEMORY_OBJECT");
    this.COMPONENT_LOCK_OWNER = s.constant("COMPONENT_LOCK_OWNER");
    this.COMPONENT_SHADOW_RUNNER = s.constant("COMPONENT_SHADOW_RUNNER");
    this.COMPONENT_MESSAGES = s.constant("COMPONENT_MESSAGES");
    this.COMPONENT_HANDLES = s.constant("COMPONENT_HANDLES");
    this.RECEIVE_SLOTS = s.constant("RECEIVE_SLOTS"); this.RECEIVE_ID_MASK = s.constant("RECEIVE_ID_MASK");
    this.TABLE_SLOTS = s.constant("TABLE_SLOTS"); this.TABLE_MASK = s.constant("TABLE_MASK");
    this.ENTRY_OBJECT = s.constant("ENTRY_OBJECT"); this.ENTRY_RIGHTS = s.constant("ENTRY_RIGHTS");
    this.ENTRY_NUMBER = s.constant("ENTRY_NUMBER"); this.OBJECT_TYPE = s.constant("OBJECT_TYPE");
    this.CONNECTION_CHANNEL = s.constant("CONNECTION_CHANNEL"); this.CHANNEL_SENDERS = s.constant("CHANNEL_SENDERS");
    this.CHANNEL_RECEIVERS = s.constant("CHANNEL_RECEIVERS"); this.CHANNEL_PULSES = s.constant("CHANNEL_PULSES");
    this.CHANNEL_LAST_RECEIVER = s.constant("CHANNEL_LAST_RECEIVER"); this.CHANNEL_IS_OPEN = s.constant("CHANNEL_IS_OPEN");
    this.CHANNEL_DIRECT = s.constant("CHANNEL_DIRECT"); this.THREAD_VISIT_HOME = s.constant("THREAD_VISIT_HOME");
    this.THREAD_DIRECT_CALL_LOWEST = s.constant("THREAD_DIRECT_CALL_LOWEST");
    this.COMPONENT_STATE = s.constant("COMPONENT_STATE"); this.COMPONENT_RUNNING = s.constant("COMPONENT_RUNNING");
    this.DIRECT_SERVER = s.constant("DIRECT_SERVER"); this.DIRECT_BODY = s.constant("DIRECT_BODY");
    this.DIRECT_VMCTX = s.constant("DIRECT_VMCTX"); this.DIRECT_BUFFER = s.constant("DIRECT_BUFFER");
    this.DIRECT_CAPACITY = s.constant("DIRECT_CAPACITY");
    if (s.constant("DIRECT_CALL_FRAME") != DIRECT_FRAME && s.error.length == 0) {
      s.error = "the kernel's DIRECT_CALL_FRAME is not the native direct call's frame (" + DIRECT_FRAME.toString() + " bytes)";
    }
    this.ERROR_BAD_ADDRESS = s.constant("ERROR_BAD_ADDRESS");
    this.kernelMemoryBase = k.c.p.labelAt(k.vmctx, VMCTX_MEMORY_BASE);
    // The pairs of fields the paths test with one 8-byte compare.
    if (s.constant("COMPONENT_LOCK_WAITED") != this.COMPONENT_LOCK_OWNER + 4 && s.error.length == 0) {
      s.error = "the kernel's Component.lockWaited does not follow lockOwnerLink (native fast path)";
    }
    if (this.COMPONENT_SHADOW_RUNNER != this.COMPONENT_STATE + 4 && s.error.length == 0) {
      s.error = "the kernel's Component.shadowRunnerLink does not follow state (native fast path)";
    }
    if (this.THREAD_TIMEOUT_STATES != this.THREAD_VISIT_HOME + 4 && s.error.length == 0) {
      s.error = "the kernel's Thread.timeoutStates does not follow visitHome (native fast path)";
    }
    this.PULSES_COUNT = s.constant("PULSES_COUNT");
    this.ARRAY_DATA = s.constant("ARRAY_DATA");
    this.STATE_READY = s.constant("STATE_READY"); this.STATE_RUNNING = s.constant("STATE_RUNNING");
    this.STATE_BLOCKED = s.constant("STATE_BLOCKED");
    this.BLOCK_REPLY = s.constant("BLOCK_REPLY"); this.BLOCK_RECEIVE = s.constant("BLOCK_RECEIVE");
    this.WAKE_WOKEN = s.constant("WAKE_WOKEN");
    this.THREAD_FAST_BLOCK = s.constant("THREAD_FAST_BLOCK");
    this.FAST_BLOCK_REPLY = s.constant("FAST_BLOCK_REPLY"); this.FAST_BLOCK_RECEIVE = s.constant("FAST_BLOCK_RECEIVE");
    this.NO_PRIORITY = s.constant("NO_PRIORITY"); this.SLICE_TICKS = s.constant("SLICE_TICKS");
    this.SYSTEM_CALL_RESERVE = s.constant("SYSTEM_CALL_RESERVE");
    this.VALUE_SEND_ADDRESS = s.constant("VALUE_SEND_ADDRESS"); this.VALUE_SEND_SIZE = s.constant("VALUE_SEND_SIZE");
    this.VALUE_REPLY_ADDRESS = s.constant("VALUE_REPLY_ADDRESS"); this.VALUE_REPLY_SIZE = s.constant("VALUE_REPLY_SIZE");
    this.VALUE_FLAGS = s.constant("VALUE_FLAGS"); this.VALUE_INFO = s.constant("VALUE_INFO");
    this.ERROR_BAD_HANDLE = s.constant("ERROR_BAD_HANDLE"); this.ERROR_DEAD_SERVER = s.constant("ERROR_DEAD_SERVER");
    this.OBJECT_TYPE_CHANNEL = s.constant("OBJECT_TYPE_CHANNEL"); this.OBJECT_TYPE_CONNECTION = s.constant("OBJECT_TYPE_CONNECTION");
    this.RIGHT_SEND = s.constant("RIGHT_SEND"); this.RIGHT_RECEIVE = s.constant("RIGHT_RECEIVE");
    this.RECEIVE_INFO_COMPONENT = s.constant("RECEIVE_INFO_COMPONENT"); this.RECEIVE_INFO_THREAD = s.constant("RECEIVE_INFO_THREAD");
    this.RECEIVE_INFO_PRIORITY = s.constant("RECEIVE_INFO_PRIORITY"); this.RECEIVE_INFO_SEND_LENGTH = s.constant("RECEIVE_INFO_SEND_LENGTH");
    this.RECEIVE_INFO_REPLY_LENGTH = s.constant("RECEIVE_INFO_REPLY_LENGTH"); this.RECEIVE_INFO_SIZE = s.constant("RECEIVE_INFO_SIZE");
    this.RECEIVE_INFO_HANDLE = s.constant("RECEIVE_INFO_HANDLE");
  }

  /** Emits msg.send, msg.reply_receive, thread.yield and msg.reply_wait (FAST_PATH_NAMES' order); false with `error` set when it cannot. */
  emit(): bool {
    if (this.s.error.length > 0) { this.error = this.s.error; return false; }
    // Each ipcValues slot is an i64 in a StaticArray (its elements at its address); lists link by 32-bit address.
    this.emitSend(0);
    this.emitReplyReceive(1, false);
    this.emitYield(2);
    this.emitReplyReceive(3, true);
    if (this.s.error.length > 0) { this.error = this.s.error; return false; }
    if (this.switches != FS_BASE_SITE_COUNT) {
      this.error = "the native fast paths hold " + this.switches.toString() + " switches, not FS_BASE_SITE_COUNT ("
        + FS_BASE_SITE_COUNT.toString() + ")";
      return false;
    }
    return true;
  }

  /**
   * The routines that store into component memory themselves, emitted
   * between the start of the checked copy's exception range and
   * RT_COPY_CHECKED (kernel.ts), so that a page fault at one of their
   * stores resumes at the copy's fixup, which returns with rax the
   * faulting address, as the copy does; 0 when every store went through.
   *
   * writeReceiveInfo: msg.send's receiveInfo for its receiver, each field
   * stored where it goes instead of built in kernel memory and copied (the
   * copy's call and set-up cost more than the stores). In: rdi the record's
   * absolute address, eax the sender's component id, ecx its thread id,
   * edx its priority; the send's and the reply's lengths from msg.send's
   * argument slots, above this routine's return address. Its only loads
   * are those two stack slots, so a fault it turns into an error is always
   * one of component memory.
   */
  emitCheckedStores(): void {
    const a = this.a;
    const i = this.RECEIVE_INFO_COMPONENT, t = this.RECEIVE_INFO_THREAD, p = this.RECEIVE_INFO_PRIORITY;
    const sent = this.RECEIVE_INFO_SEND_LENGTH, reply = this.RECEIVE_INFO_REPLY_LENGTH, h = this.RECEIVE_INFO_HANDLE;
    // Six 4-byte fields that fill the record: nothing of it is left unwritten.
    let words = 0;
    const offsets: i32[] = [i, t, p, sent, reply, h];
    for (let j = 0; j < offsets.length; j++) if (offsets[j] % 4 == 0 && offsets[j] >= 0 && offsets[j] < 24) words |= 1 << (offsets[j] / 4);
    if ((this.RECEIVE_INFO_SIZE != 24 || words != 0x3f) && this.s.error.length == 0) {
      this.s.error = "the receiveInfo record is not the six 4-byte fields writeReceiveInfo writes (native fast path)";
    }
    a.align(16);
    a.bind(this.writeReceiveInfo);
    a.store(4, mem(Reg.RDI, i), Reg.RAX);
    a.store(4, mem(Reg.RDI, t), Reg.RCX);
    a.store(4, mem(Reg.RDI, p), Reg.RDX);
    // msg.send's argument i, seen from here: one return address further up.
    a.load(4, Reg.RAX, mem(Reg.RSP, 16 + 8 * 2));
    a.store(4, mem(Reg.RDI, sent), Reg.RAX);
    a.load(4, Reg.RAX, mem(Reg.RSP, 16 + 8 * 4));
    a.store(4, mem(Reg.RDI, reply), Reg.RAX);
    a.storeImm(4, mem(Reg.RDI, h), 0);
    a.xor(4, Reg.RAX, Reg.RAX);
    a.ret();
  }

  // ---- pieces shared by the paths ----------------------------------------

  /** Where path `index` goes when it declines: its dispatch function, the record's fallback. */
  private decline(index: i32): Mem {
    return memLabel(this.k.c.p.labelAt(this.k.fastPaths, index * FAST_PATH_RECORD_SIZE + FAST_PATH_FALLBACK));
  }

  /**
   * The entry every path shares: `cli`; rbx the calling thread, not in a
   * direct handler (and with `message`, no thread.timeout armed either:
   * the two fields side by side, one compare); when `component` is not
   * NONE, that register its component, which must exist. With `stack`,
   * checkKernelStack too (msg.send leaves it for after its direct case).
   * Jumps to `declined` otherwise.
   */
  private enter(declined: Label, component: Reg, message: bool, stack: bool): void {
    const a = this.a;
    a.cli();
    if (stack) this.checkKernelStack(declined, Reg.RAX);
    a.load(4, Reg.RBX, this.s.cell("current"));
    // A thread in a direct handler makes no system call: the dispatch refuses it (object/direct.ts).
    a.cmpMemImm(message ? 8 : 4, field(Reg.RBX, this.THREAD_VISIT_HOME), 0);
    a.jcc(Cond.NE, declined);
    a.load(4, component, field(Reg.RBX, this.THREAD_COMPONENT));
    a.test(4, component, component);
    a.jcc(Cond.E, declined);
  }

  /**
   * SYSTEM_CALL_RESERVE bytes above the stack limit, as enterKernel wants
   * (a resume may call the kernel's AssemblyScript), and the kernel's
   * shadow stack's running area empty (the switch moves no frames).
   * Clobbers `scratch`.
   */
  private checkKernelStack(declined: Label, scratch: Reg): void {
    const a = this.a;
    a.lea(8, scratch, mem(Reg.RSP, -this.SYSTEM_CALL_RESERVE));
    a.cmpLoad(8, scratch, fsAbsolute(THREAD_STACK_LIMIT));
    a.jcc(Cond.B, declined);
    a.load(4, scratch, this.s.cell("__stack_pointer"));
    a.cmpLoad(4, scratch, this.s.cell("runTop"));
    a.jcc(Cond.NE, declined);
  }

  /**
   * The message calls' entry: enter, then the component's handle table in
   * `table` (made with the component, component/run.ts: never null for a
   * thread of a component); r9 the base of the component's memory and r8
   * its length.
   */
  private enterMessage(declined: Label, table: Reg, stack: bool): void {
    const a = this.a;
    this.enter(declined, Reg.R12, true, stack);
    a.load(4, table, field(Reg.R12, this.COMPONENT_HANDLES));
    a.load(8, Reg.RSI, field(Reg.R12, this.COMPONENT_MEMORY_OBJECT));
    a.test(8, Reg.RSI, Reg.RSI);
    a.jcc(Cond.E, declined);
    a.load(8, Reg.R9, mem(Reg.RSI, MEMORY_BASE));
    a.load(8, Reg.R8, mem(Reg.RSI, MEMORY_LENGTH));
  }

  /** Declines unless the `address` and `length` arguments name a range inside the memory (length in r8). */
  private checkRange(declined: Label, address: i32, length: i32): void {
    const a = this.a;
    a.load(4, Reg.RAX, argument(address));
    a.load(4, Reg.RCX, argument(length));
    a.add(8, Reg.RAX, Reg.RCX);
    a.cmp(8, Reg.RAX, Reg.R8);
    a.jcc(Cond.A, declined);
  }

  /**
   * HandleTable.lookup of the handle in ecx in the handle table in `table`:
   * `object` the object of an open entry with that number, `type` and
   * `right`; declines otherwise. Clobbers rax and rdx. No test of ecx > 0
   * of its own: an entry's number is never 0 or negative (object/handle.ts),
   * so the comparison with it refuses such a handle.
   */
  private lookup(declined: Label, table: Reg, type: i32, right: i32, object: Reg): void {
    const a = this.a;
    a.load(4, Reg.RDX, field(table, this.TABLE_MASK));
    a.and(4, Reg.RDX, Reg.RCX);
    a.load(4, Reg.RAX, field(table, this.TABLE_SLOTS));
    a.load(4, Reg.RAX, field(Reg.RAX, this.ARRAY_DATA));
    a.add(8, Reg.RAX, Reg.R15);
    a.load(4, Reg.RAX, memIndex(Reg.RAX, Reg.RDX, 4));
    a.test(4, Reg.RAX, Reg.RAX);
    a.jcc(Cond.E, declined);
    a.cmpLoad(4, Reg.RCX, field(Reg.RAX, this.ENTRY_NUMBER));
    a.jcc(Cond.NE, declined);
    if ((right & (right - 1)) == 0) {
      a.testMemImm(4, field(Reg.RAX, this.ENTRY_RIGHTS), right);
      a.jcc(Cond.E, declined);
    } else {
      a.load(4, Reg.RDX, field(Reg.RAX, this.ENTRY_RIGHTS));
      a.andImm(4, Reg.RDX, right);
      a.cmpImm(4, Reg.RDX, right);
      a.jcc(Cond.NE, declined);
    }
    a.load(4, object, field(Reg.RAX, this.ENTRY_OBJECT));
    a.cmpMemImm(4, field(object, this.OBJECT_TYPE), type);
    a.jcc(Cond.NE, declined);
  }

  /**
   * lookup through the table's remembered lookup (HandleTable.sendHandle or
   * receiveHandle, `send` says which): when the handle in ecx is the
   * remembered one, `object` is its object at once; otherwise the lookup
   * runs out of line (emitted by end()) and remembers what it found.
   * Clobbers rax, rdx and, on a miss, rsi.
   */
  private lookupRemembered(declined: Label, table: Reg, type: i32, right: i32, object: Reg, send: bool): void {
    const a = this.a;
    const miss = a.newLabel(), back = a.newLabel();
    const handleField = send ? this.TABLE_SEND_HANDLE : this.TABLE_RECEIVE_HANDLE;
    const objectField = send ? this.TABLE_SEND_OBJECT : this.TABLE_RECEIVE_OBJECT;
    a.cmpLoad(8, Reg.RCX, field(table, handleField));
    a.jcc(Cond.NE, miss);
    a.load(4, object, field(table, objectField));
    a.bind(back);
    this.misses.push(new Miss(miss, back, table, type, right, object, handleField, objectField));
  }

  /** The misses of lookupRemembered in the path being emitted, out of line: each jumps back or declines. */
  private emitMisses(declined: Label): void {
    const a = this.a;
    for (let i = 0; i < this.misses.length; i++) {
      const m = this.misses[i];
      a.bind(m.label);
      // The table in rsi, which the lookup keeps: `object` may be the table's register.
      a.mov(4, Reg.RSI, m.table);
      this.lookup(declined, Reg.RSI, m.type, m.right, m.object);
      a.store(8, field(Reg.RSI, m.handleField), Reg.RCX);
      a.store(4, field(Reg.RSI, m.objectField), m.object);
      a.jmp(m.back);
    }
    this.misses.length = 0;
  }

  /** Jumps to `busy` unless the wait queue at field `queue` of the object in `owner` is empty. Clobbers `scratch`. */
  private checkQueueEmpty(busy: Label, owner: Reg, queue: i32, scratch: Reg): void {
    const a = this.a;
    a.load(4, scratch, field(owner, queue));
    a.load(4, scratch, field(scratch, this.WAIT_QUEUE_THREADS));
    a.cmpMemImm(4, field(scratch, this.LIST_HEAD), 0);
    a.jcc(Cond.NE, busy);
  }

  /** Declines when the thread in `thread` keeps kernel frames in its slots (the switch to it would have to move them). */
  private checkNoFrames(declined: Label, thread: Reg): void {
    this.a.cmpMemImm(4, field(thread, this.THREAD_SHADOW_BYTES), 0);
    this.a.jcc(Cond.NE, declined);
  }

  /**
   * Declines unless the caller (rbx) may block keeping its component's (r12)
   * lock (sched/lock.ts): it holds it with no boost and nobody waits, or
   * it does not hold it. Nobody waits when lockWaited, beside the owner,
   * is 0: the common case, held with nobody waiting, is one compare.
   */
  private checkLockLetsGo(declined: Label): void {
    const a = this.a;
    const free = a.newLabel(), quiet = a.newLabel();
    a.cmpLoad(8, Reg.RBX, field(Reg.R12, this.COMPONENT_LOCK_OWNER));
    a.jcc(Cond.E, quiet);
    a.cmpLoad(4, Reg.RBX, field(Reg.R12, this.COMPONENT_LOCK_OWNER));
    a.jcc(Cond.E, declined);
    a.jmp(free);
    a.bind(quiet);
    a.cmpMemImm(4, field(Reg.RBX, this.THREAD_LOCK_BOOST), this.NO_PRIORITY);
    a.jcc(Cond.NE, declined);
    a.bind(free);
  }

  /**
   * `dst` = the priority the thread in `thread` runs at (Thread.computePriority)
   * with `lent` lent, a priority (never NO_PRIORITY), or, when `lent` is
   * NONE, with nothing lent: its own priority with its boosts.
   */
  private priorityWith(dst: Reg, thread: Reg, lent: Reg): void {
    const a = this.a;
    if (lent == Reg.NONE) a.load(4, dst, field(thread, this.THREAD_OWN_PRIORITY));
    else a.mov(4, dst, lent);
    a.cmpLoad(4, dst, field(thread, this.THREAD_SENDERS_BOOST));
    a.cmovLoad(Cond.L, 4, dst, field(thread, this.THREAD_SENDERS_BOOST));
    a.cmpLoad(4, dst, field(thread, this.THREAD_LOCK_BOOST));
    a.cmovLoad(Cond.L, 4, dst, field(thread, this.THREAD_LOCK_BOOST));
  }

  /** `dst` = the highest priority with a ready thread; jumps to `none` when no thread is ready. */
  private highestReady(dst: Reg, none: Label): void {
    this.a.load(4, dst, this.s.cell("readyMask"));
    this.a.bsr(4, dst, dst);
    this.a.jcc(Cond.E, none);
  }

  /** The absolute address of slot `index` of the ipcValues of the thread in `thread` (clobbers `scratch`). */
  private ipcValue(thread: Reg, scratch: Reg, index: i32): Mem {
    this.a.load(4, scratch, field(thread, this.THREAD_IPC_VALUES));
    return field(scratch, index * 8);
  }

  /**
   * The checked copy of rdx bytes from rsi to rdi (absolute addresses);
   * declines when a fault stopped it. Clobbers rax, rcx, rdx, rsi, rdi.
   */
  private copyChecked(declined: Label): void {
    this.a.call(this.k.copyChecked);
    this.a.test(8, Reg.RAX, Reg.RAX);
    this.a.jcc(Cond.NE, declined);
  }

  /**
   * A buffer kept in the ipcValues at rdx: the absolute address of argument
   * `address` (in the memory at r9) in slot `addressSlot`, argument
   * `length` in slot `lengthSlot`. Clobbers rax.
   */
  private keepBuffer(addressSlot: i32, address: i32, lengthSlot: i32, length: i32): void {
    const a = this.a;
    a.load(4, Reg.RAX, argument(address));
    a.add(8, Reg.RAX, Reg.R9);
    a.store(8, field(Reg.RDX, addressSlot * 8), Reg.RAX);
    a.load(4, Reg.RAX, argument(length));
    a.store(8, field(Reg.RDX, lengthSlot * 8), Reg.RAX);
  }

  /**
   * The caller's (rbx) next receive id into ecx and its field: its thread
   * slot, the generation after its last (object/receive-id.ts,
   * nextReceiveId).
   */
  private takeReceiveId(): void {
    const a = this.a;
    a.load(4, Reg.RCX, field(Reg.RBX, this.THREAD_RECEIVE_ID));
    a.addImm(4, Reg.RCX, this.RECEIVE_SLOTS);
    a.andImm(4, Reg.RCX, this.RECEIVE_ID_MASK);
    a.store(4, field(Reg.RBX, this.THREAD_RECEIVE_ID), Reg.RCX);
  }

  /** popFrontAddress of the thread in `thread`, the head of the list in `list`. Clobbers rax. */
  private popHead(list: Reg, thread: Reg): void {
    const a = this.a;
    const last = a.newLabel(), linked = a.newLabel();
    a.load(4, Reg.RAX, field(thread, this.THREAD_NEXT_LINK));
    a.store(4, field(list, this.LIST_HEAD), Reg.RAX);
    a.test(4, Reg.RAX, Reg.RAX);
    a.jcc(Cond.E, last);
    a.storeImm(4, field(Reg.RAX, this.THREAD_PREVIOUS_LINK), 0);
    a.jmp(linked);
    a.bind(last);
    a.storeImm(4, field(list, this.LIST_TAIL), 0);
    a.bind(linked);
    // The head's previous link is 0 already.
    a.storeImm(4, field(thread, this.THREAD_NEXT_LINK), 0);
    a.aluStoreImm(Alu.SUB, 4, field(list, this.LIST_COUNT), 1);
  }

  /** pushBackAddress of the thread in `thread` onto the list in `list`. Clobbers rax. */
  private pushBack(list: Reg, thread: Reg): void {
    const a = this.a;
    const empty = a.newLabel(), linked = a.newLabel();
    a.load(4, Reg.RAX, field(list, this.LIST_TAIL));
    a.storeImm(4, field(thread, this.THREAD_NEXT_LINK), 0);
    a.store(4, field(thread, this.THREAD_PREVIOUS_LINK), Reg.RAX);
    a.test(4, Reg.RAX, Reg.RAX);
    a.jcc(Cond.E, empty);
    a.store(4, field(Reg.RAX, this.THREAD_NEXT_LINK), thread);
    a.jmp(linked);
    a.bind(empty);
    a.store(4, field(list, this.LIST_HEAD), thread);
    a.bind(linked);
    a.store(4, field(list, this.LIST_TAIL), thread);
    a.aluStoreImm(Alu.ADD, 4, field(list, this.LIST_COUNT), 1);
  }

  /**
   * switchToAddress from the caller (rbx, blocked or ready by now) to the
   * thread in `next`, whose frames were checked: `next` runs, the caller
   * continues at `resume` when something switches back to it.
   */
  private switchTo(next: Reg, resume: Label): void {
    const a = this.a;
    a.storeImm(4, field(next, this.THREAD_STATE), this.STATE_RUNNING);
    a.storeImm(4, field(next, this.THREAD_SLICE_LEFT), this.SLICE_TICKS);
    a.store(4, this.s.cell("current"), next);
    a.storeImm(4, this.s.cell("rescheduleWanted"), 0);
    a.aluStoreImm(Alu.ADD, 8, this.s.cell("switchCount"), 1);
    // The caller's context block: rsp, the resume address, rbp, the fs base (its own thread block).
    a.load(8, Reg.RAX, field(Reg.RBX, this.THREAD_CONTEXT_BLOCK));
    a.store(8, mem(Reg.RAX, CONTEXT_RSP), Reg.RSP);
    a.lea(8, Reg.RCX, memLabel(resume));
    a.store(8, mem(Reg.RAX, CONTEXT_RIP), Reg.RCX);
    a.store(8, mem(Reg.RAX, CONTEXT_RBP), Reg.RBP);
    a.load(8, Reg.RCX, fsAbsolute(THREAD_SELF));
    a.store(8, mem(Reg.RAX, CONTEXT_FS_BASE), Reg.RCX);
    // The next one's, its fs base last: the write and the jump are what the kernel rewrites to
    // `wrfsbase rax; jmp [rsi + CONTEXT_RIP]` when the CPU has FSGSBASE (fsBasePatch), 3 instructions fewer.
    a.load(8, Reg.RSI, field(next, this.THREAD_CONTEXT_BLOCK));
    a.load(8, Reg.RSP, mem(Reg.RSI, CONTEXT_RSP));
    a.load(8, Reg.RBP, mem(Reg.RSI, CONTEXT_RBP));
    a.load(8, Reg.RAX, mem(Reg.RSI, CONTEXT_FS_BASE));
    const start = a.buffer.length;
    if (this.switches < FS_BASE_SITE_COUNT) a.bind(this.k.fsBaseSites[this.switches]);
    this.switches++;
    a.writeFsBase();
    a.jmpMem(mem(Reg.RSI, CONTEXT_RIP));
    if ((a.buffer.length - start < FS_BASE_PATCH_SIZE || CONTEXT_RIP < 0 || CONTEXT_RIP > 127) && this.s.error.length == 0) {
      this.s.error = "the native switch's fs-base write and jump do not leave room for wrfsbase's (native fast path)";
    }
  }

  /**
   * Where a message call's thread (`fromIpc`: its result is its ipcResult)
   * or a yield's (result 0) resumes, and also the end of a call that did
   * not switch: afterSwitch, the component lock, leaveKernel, inline when
   * there is nothing to do, else the kernel's fastPathResume; then the
   * result, `sti`, back to wasm.
   */
  private finish(fromIpc: bool, wide: bool = false): void {
    const a = this.a;
    const slow = a.newLabel(), held = a.newLabel(), done = a.newLabel();
    a.load(4, Reg.RBX, this.s.cell("current"));
    a.cmpMemImm(4, this.s.cell("deadPending"), 0);
    a.jcc(Cond.NE, slow);
    a.load(4, Reg.R12, field(Reg.RBX, this.THREAD_COMPONENT));
    // The common case first: the thread kept its lock across the block (a blocked owner's lock is taken
    // from it by a thread that wants it: then it is another's, or free with another's frames in place).
    a.load(4, Reg.RAX, field(Reg.R12, this.COMPONENT_LOCK_OWNER));
    a.cmp(4, Reg.RAX, Reg.RBX);
    a.jcc(Cond.E, held);
    a.test(4, Reg.RAX, Reg.RAX);
    a.jcc(Cond.NE, slow);
    a.cmpLoad(4, Reg.RBX, field(Reg.R12, this.COMPONENT_SHADOW_RUNNER));
    a.jcc(Cond.NE, slow);
    a.store(4, field(Reg.R12, this.COMPONENT_LOCK_OWNER), Reg.RBX);
    a.bind(held);
    a.cmpMemImm(4, this.s.cell("rescheduleWanted"), 0);
    a.jcc(Cond.NE, slow);
    a.bind(done);
    if (fromIpc) {
      // An i64 result (msg.reply_wait's) is the whole ipcResult, an i32 its low half.
      const size = wide ? 8 : 4;
      a.load(size, Reg.RAX, field(Reg.RBX, this.THREAD_IPC_RESULT));
      a.store(size, RESULT, Reg.RAX);
    } else {
      a.storeImm(4, RESULT, 0);
    }
    a.sti();
    a.ret();
    // The kernel's AssemblyScript, entered as a wasm function of no parameters (rsp 16-byte aligned at the call).
    a.bind(slow);
    a.subImm(8, Reg.RSP, 8);
    a.call(this.k.functionLabel(<u32>this.k.fastPathResume));
    a.addImm(8, Reg.RSP, 8);
    if (fromIpc) a.load(4, Reg.RBX, this.s.cell("current"));
    a.jmp(done);
  }

  /** The end of a message path's case: the switch to `next` and the resume. */
  private switchAndFinish(next: Reg, wide: bool = false): void {
    const resume = this.a.newLabel();
    this.switchTo(next, resume);
    this.a.bind(resume);
    this.finish(true, wide);
  }

  private begin(index: i32): void {
    this.a.align(16);
    this.a.bind(this.k.fastPathEntries[index]);
  }

  private end(index: i32, declined: Label): void {
    this.emitMisses(declined);
    this.a.bind(declined);
    this.a.jmpMem(this.decline(index));
    this.a.bind(this.k.fastPathEnds[index]);
  }

  // ---- msg.send(connection, send, sendLength, reply, replyLength) --------

  /**
   * msgSendFast's case (object/fast-path.ts): a thread waits in msg.receive
   * on the connection's channel with one buffer and no timer, keeping no
   * frames, a thread of a component; the caller has no timeout armed and
   * its lock lets go; no thread readier than the receiver at the priority
   * the caller lends it. The message and the receiveInfo
   * are copied, the caller blocks for the reply and the receiver runs.
   */
  private emitSend(index: i32): void {
    const a = this.a;
    const declined = a.newLabel(), noReady = a.newLabel(), noInfo = a.newLabel();
    const direct = a.newLabel();
    this.begin(index);
    // Registers: rbx the caller, r12 its component, r13 its objects, r9/r8 its memory's base and length,
    // r11 the receiver, r13 then its component's id, r10 the lent priority, r8 then the server's priority.
    this.enterMessage(declined, Reg.R13, false);
    this.checkRange(declined, 1, 2);
    this.checkRange(declined, 3, 4);
    a.load(4, Reg.RCX, argument(0));
    this.lookupRemembered(declined, Reg.R13, this.OBJECT_TYPE_CONNECTION, this.RIGHT_SEND, Reg.RAX, true);
    a.load(4, Reg.RAX, field(Reg.RAX, this.CONNECTION_CHANNEL));
    // A channel with a direct server: its calls run on the caller's thread (emitDirect). Only an open channel has
    // one (closeChannel drops it), and the direct call checks the stack its own way.
    a.load(4, Reg.R13, field(Reg.RAX, this.CHANNEL_DIRECT));
    a.test(4, Reg.R13, Reg.R13);
    a.jcc(Cond.NE, direct);
    a.cmpMemImm(1, field(Reg.RAX, this.CHANNEL_IS_OPEN), 0);
    a.jcc(Cond.E, declined);
    this.checkKernelStack(declined, Reg.RDX);
    // msg.reply_wait's result holds 31 bits of the message's length.
    a.cmpMemImm(4, argument(2), 0);
    a.jcc(Cond.L, declined);
    a.load(4, Reg.RAX, field(Reg.RAX, this.CHANNEL_RECEIVERS));
    a.load(4, Reg.RAX, field(Reg.RAX, this.WAIT_QUEUE_THREADS));
    a.load(4, Reg.R11, field(Reg.RAX, this.LIST_HEAD));
    a.test(4, Reg.R11, Reg.R11);
    a.jcc(Cond.E, declined);
    // Its block a fast path's receive (it is blocked, being in the receivers): one buffer, no timer.
    a.cmpMemImm(4, field(Reg.R11, this.THREAD_FAST_BLOCK), this.FAST_BLOCK_RECEIVE);
    a.jcc(Cond.NE, declined);
    this.checkNoFrames(declined, Reg.R11);
    // rdi: the receiver's ipcValues, kept until the copy's set-up (nothing in between uses rdi).
    a.load(4, Reg.RDI, field(Reg.R11, this.THREAD_IPC_VALUES));
    // r13: the receiver's component's id, where the caller's message will be pending.
    a.load(4, Reg.RAX, field(Reg.R11, this.THREAD_COMPONENT));
    a.test(4, Reg.RAX, Reg.RAX);
    a.jcc(Cond.E, declined);
    a.load(4, Reg.R13, field(Reg.RAX, this.COMPONENT_ID));
    // The priority lent: the caller's or what the receiver has lent already, the higher; the receiver's with it.
    // A running thread's priority is never NO_PRIORITY (at least its own, 0 or more), so neither is the lent one.
    a.load(4, Reg.R10, field(Reg.R11, this.THREAD_LENT));
    a.load(4, Reg.RAX, field(Reg.RBX, this.THREAD_PRIORITY));
    a.cmp(4, Reg.RAX, Reg.R10);
    a.cmov(Cond.G, 4, Reg.R10, Reg.RAX);
    this.priorityWith(Reg.R8, Reg.R11, Reg.R10);
    this.highestReady(Reg.RAX, noReady);
    a.cmp(4, Reg.RAX, Reg.R8);
    a.jcc(Cond.G, declined);
    a.bind(noReady);
    this.checkLockLetsGo(declined);
    // The message, cut to the receive buffer.
    a.load(8, Reg.RDX, field(Reg.RDI, this.VALUE_SEND_SIZE * 8));
    a.load(8, Reg.RDI, field(Reg.RDI, this.VALUE_SEND_ADDRESS * 8));
    a.load(4, Reg.RCX, argument(2));
    a.cmp(8, Reg.RCX, Reg.RDX);
    a.cmov(Cond.B, 8, Reg.RDX, Reg.RCX);
    a.load(4, Reg.RSI, argument(1));
    a.add(8, Reg.RSI, Reg.R9);
    this.copyChecked(declined);
    // The receiveInfo, if the receiver asked for one: stored there field by field.
    a.load(8, Reg.RDI, this.ipcValue(Reg.R11, Reg.RAX, this.VALUE_INFO));
    a.test(8, Reg.RDI, Reg.RDI);
    a.jcc(Cond.E, noInfo);
    a.load(4, Reg.RAX, field(Reg.R12, this.COMPONENT_ID));
    a.load(4, Reg.RCX, field(Reg.RBX, this.THREAD_ID));
    a.load(4, Reg.RDX, field(Reg.RBX, this.THREAD_PRIORITY));
    a.call(this.writeReceiveInfo);
    a.test(8, Reg.RAX, Reg.RAX);
    a.jcc(Cond.NE, declined);
    a.bind(noInfo);
    // POINT OF NO RETURN
    a.aluStoreImm(Alu.ADD, 8, field(Reg.R12, this.COMPONENT_MESSAGES), 1);
    // The receiver out of the channel's receivers (it is their head).
    a.load(4, Reg.RDX, field(Reg.R11, this.THREAD_WAIT_QUEUE));
    a.load(4, Reg.RDX, field(Reg.RDX, this.WAIT_QUEUE_THREADS));
    this.popHead(Reg.RDX, Reg.R11);
    a.storeImm(4, field(Reg.R11, this.THREAD_WAIT_QUEUE), 0);
    // The caller's buffers and its result until the reply.
    a.load(4, Reg.RDX, field(Reg.RBX, this.THREAD_IPC_VALUES));
    this.keepBuffer(this.VALUE_SEND_ADDRESS, 1, this.VALUE_SEND_SIZE, 2);
    this.keepBuffer(this.VALUE_REPLY_ADDRESS, 3, this.VALUE_REPLY_SIZE, 4);
    a.storeImm(8, field(Reg.RDX, this.VALUE_FLAGS * 8), 0);
    a.storeImm(8, field(Reg.RBX, this.THREAD_IPC_RESULT), this.ERROR_DEAD_SERVER);
    // Its receive id, the component it is pending in, its server.
    this.takeReceiveId();
    a.store(4, field(Reg.RBX, this.THREAD_PENDING_IN), Reg.R13);
    a.load(4, Reg.RAX, field(Reg.R11, this.THREAD_ID));
    a.store(4, field(Reg.RBX, this.THREAD_SERVED_BY), Reg.RAX);
    a.storeImm(4, field(Reg.RBX, this.THREAD_DELIVERED_HANDLE), 0);
    // The receiver serves it at the priority lent, with the receive id as its result.
    a.aluStoreImm(Alu.ADD, 4, field(Reg.R11, this.THREAD_SERVING), 1);
    a.store(4, field(Reg.R11, this.THREAD_LENT), Reg.R10);
    a.store(4, field(Reg.R11, this.THREAD_PRIORITY), Reg.R8);
    // The receive id, with the message's length above it for msg.reply_wait.
    a.load(4, Reg.RAX, argument(2));
    a.shiftImm(Shift.SHL, 8, Reg.RAX, this.REPLY_WAIT_LENGTH_SHIFT);
    a.or(8, Reg.RAX, Reg.RCX);
    a.store(8, field(Reg.R11, this.THREAD_IPC_RESULT), Reg.RAX);
    // blockAndSwitchTo(Reply, receiver), its cases checked above: the caller's block a fast one (its wake
    // reason is read by no one: it resumes below), the receiver's wake reason for its block's caller, if general.
    a.storeImm(4, field(Reg.RBX, this.THREAD_STATE), this.STATE_BLOCKED);
    a.storeImm(4, field(Reg.RBX, this.THREAD_BLOCK_REASON), this.BLOCK_REPLY);
    a.storeImm(4, field(Reg.RBX, this.THREAD_FAST_BLOCK), this.FAST_BLOCK_REPLY);
    a.storeImm(4, field(Reg.R11, this.THREAD_WAKE_REASON), this.WAKE_WOKEN);
    this.switchAndFinish(Reg.R11);
    a.bind(direct);
    this.emitDirect(declined);
    this.end(index, declined);
  }

  /**
   * directCall's case (object/direct.ts), entered from emitSend with r13
   * the channel's DirectServer: the server is another component, running,
   * its lock free and no thread's shadow-stack frames in its running area;
   * nobody waits for the caller's lock; the message fits the server's
   * buffer; the caller's stack can grow by DIRECT_STACK and the call is made above its limit. The message is
   * copied into the server's buffer, the
   * thread takes the server's identity and lock and calls the handler
   * `(length, sender) -> i32` in a frame laid out as invoke's
   * (sdk/compiler/src/link/invoke.ts), so that a trap in the handler, or
   * the end of the server while the thread is preempted there (the
   * interrupt's resume trap, object/direct.ts), returns through
   * invokeReturn to `trapped` here. `sti; call`: an interrupt comes at the
   * handler's first instruction at the earliest, where the resume trap
   * sees it. After the handler, its quick case — a reply (≥ 0), the server
   * still running with nobody waiting for its lock, the caller's component
   * still running with its lock still the thread's — lets go of the
   * server's lock, goes home and copies the reply out.
   * Every other end, and a trap, is the kernel's directSendEnd.
   */
  private emitDirect(declined: Label): void {
    const a = this.a;
    const trapped = a.newLabel(), slow = a.newLabel(), callEnd = a.newLabel(), badReply = a.newLabel();
    // Registers: rbx the caller, r12 its component, r13 the DirectServer, r11 the server, r9 the caller's memory base.
    // The server's lock free with nobody waiting for it (its owner and lockWaited side by side, both 0): so the
    // server is not the caller's component, whose lock a thread running its code holds (sched/lock.ts).
    a.load(4, Reg.R11, field(Reg.R13, this.DIRECT_SERVER));
    a.cmpMemImm(8, field(Reg.R11, this.COMPONENT_LOCK_OWNER), 0);
    a.jcc(Cond.NE, declined);
    // Running, with no thread's frames in its running area: its state and shadowRunnerLink side by side.
    a.cmpMemImm(8, field(Reg.R11, this.COMPONENT_STATE), this.COMPONENT_RUNNING);
    a.jcc(Cond.NE, declined);
    // The caller's lock its own with nobody waiting for it (directCall hands it over): owner and lockWaited in
    // one compare with rbx (a 32-bit address, zero-extended).
    a.cmpLoad(8, Reg.RBX, field(Reg.R12, this.COMPONENT_LOCK_OWNER));
    a.jcc(Cond.NE, declined);
    a.load(4, Reg.RDX, argument(2));
    a.cmpLoad(4, Reg.RDX, field(Reg.R13, this.DIRECT_CAPACITY));
    a.jcc(Cond.A, declined);
    // The stack: the handler's can grow DIRECT_STACK down to its floor (the stack grows on demand: what counts is how
    // far it can), and the call below, this path's frame under it, is made at or above the limit, as any call of
    // compiled code is (docs/compiler-abi.md, "Stack exhaustion"). Both in one compare, with the least rsp the
    // kernel keeps with the limit (sched/threads.ts, setStackLimit). The kernel's system-call reserve is not
    // checked here: directSendEnd makes sure of it itself, which the floor leaves room for.
    a.cmpLoad(8, Reg.RSP, field(Reg.RBX, this.THREAD_DIRECT_CALL_LOWEST));
    a.jcc(Cond.B, declined);
    // The message into the server's buffer (the copy keeps its length in rdx).
    a.load(8, Reg.RDI, field(Reg.R13, this.DIRECT_BUFFER));
    a.load(4, Reg.RSI, argument(1));
    a.add(8, Reg.RSI, Reg.R9);
    this.copyChecked(declined);
    // POINT OF NO RETURN
    // The message counted; the thread the server's, holding its lock.
    a.aluStoreImm(Alu.ADD, 8, field(Reg.R12, this.COMPONENT_MESSAGES), 1);
    a.store(4, field(Reg.R11, this.COMPONENT_LOCK_OWNER), Reg.RBX);
    a.store(4, field(Reg.RBX, this.THREAD_VISIT_HOME), Reg.R12);
    a.store(4, field(Reg.RBX, this.THREAD_COMPONENT), Reg.R11);
    // invoke's frame, 8 bytes below the return address so that rsp is 16-byte aligned at the call: the return
    // address (trapped), rbp, rbx, r12, r13 and r14 (not needed: trapped sets what it uses again), in r15's place
    // the kernel's shadow-stack pointer (a trap lands with it in r15), the previous THREAD_TRAP_RSP, the slots and
    // the count, where THREAD_TRAP_RSP points and the call is made. The handler's two argument slots lie over
    // the last two, which invokeReturn skips. The first two are stored below rsp before it moves: with interrupts
    // off, and NMIs and faults on stacks of their own (idt.ts), nothing else writes there meanwhile.
    a.lea(8, Reg.RAX, memLabel(trapped));
    a.store(8, mem(Reg.RSP, -16), Reg.RAX);
    a.store(8, mem(Reg.RSP, -24), Reg.RBP);
    a.subImm(8, Reg.RSP, DIRECT_FRAME - 32);
    a.pushMem(this.s.cell("__stack_pointer"));
    a.pushMem(fsAbsolute(THREAD_TRAP_RSP));
    a.subImm(8, Reg.RSP, 16);
    a.store(8, fsAbsolute(THREAD_TRAP_RSP), Reg.RSP);
    // The handler entered at its body (DirectServer.body) with its arguments in registers, as a direct call of
    // its own module would (docs/compiler-abi.md): the message's length, the sender's component id.
    a.mov(4, Reg.RDI, Reg.RDX);
    a.load(4, Reg.RSI, field(Reg.R12, this.COMPONENT_ID));
    // Kept across the call (the handler keeps rbx, r12 and r13: docs/compiler-abi.md): the thread, the buffer, its capacity.
    a.load(8, Reg.R14, field(Reg.R13, this.DIRECT_VMCTX));
    a.load(8, Reg.RAX, field(Reg.R13, this.DIRECT_BODY));
    a.load(8, Reg.R12, field(Reg.R13, this.DIRECT_BUFFER));
    a.load(4, Reg.R13, field(Reg.R13, this.DIRECT_CAPACITY));
    a.load(8, Reg.R15, mem(Reg.R14, VMCTX_MEMORY_BASE));
    a.sti();
    a.callReg(Reg.RAX);
    a.cli();
    // The frame undone (rbp the handler kept), the kernel's vmctx and memory base back.
    a.load(8, Reg.RCX, mem(Reg.RSP, 16));
    a.store(8, fsAbsolute(THREAD_TRAP_RSP), Reg.RCX);
    a.addImm(8, Reg.RSP, DIRECT_FRAME);
    // The kernel's memory base back (the fields below are read through it); its vmctx only where kernel code runs
    // (callEnd): the caller reloads its own after a system call.
    a.load(8, Reg.R15, memLabel(this.kernelMemoryBase));
    // The quick case: a reply; the server's lock still the thread's (so the server runs: its end takes the lock) and
    // nobody waits for it (so no boost); the caller's component's lock still the thread's (so it runs too, and
    // the thread need not take its lock back), with nobody waiting for it either. Each lock word in one compare
    // with rbx, which the handler kept. No switch can be wanted: every interrupt that came during the handler
    // ended with preemptIfWanted, and nothing since ran but this.
    a.test(4, Reg.RAX, Reg.RAX);
    a.jcc(Cond.S, slow);
    a.load(4, Reg.R11, field(Reg.RBX, this.THREAD_COMPONENT));
    a.cmpLoad(8, Reg.RBX, field(Reg.R11, this.COMPONENT_LOCK_OWNER));
    a.jcc(Cond.NE, slow);
    a.cmpMemImm(4, field(Reg.RBX, this.THREAD_LOCK_BOOST), this.NO_PRIORITY);
    a.jcc(Cond.NE, slow);
    a.load(4, Reg.R10, field(Reg.RBX, this.THREAD_VISIT_HOME));
    a.cmpLoad(8, Reg.RBX, field(Reg.R10, this.COMPONENT_LOCK_OWNER));
    a.jcc(Cond.NE, slow);
    // The server's lock let go, the thread home.
    a.storeImm(4, field(Reg.R11, this.COMPONENT_LOCK_OWNER), 0);
    a.store(4, field(Reg.RBX, this.THREAD_COMPONENT), Reg.R10);
    a.storeImm(4, field(Reg.RBX, this.THREAD_VISIT_HOME), 0);
    // The reply, cut to the server's buffer and to the caller's reply buffer.
    a.mov(4, Reg.RDX, Reg.RAX);
    a.cmp(4, Reg.RDX, Reg.R13);
    a.cmov(Cond.A, 4, Reg.RDX, Reg.R13);
    a.cmpLoad(4, Reg.RDX, argument(4));
    a.cmovLoad(Cond.A, 4, Reg.RDX, argument(4));
    a.mov(8, Reg.RSI, Reg.R12);
    a.load(8, Reg.RDI, field(Reg.R10, this.COMPONENT_MEMORY_OBJECT));
    a.load(8, Reg.RDI, mem(Reg.RDI, MEMORY_BASE));
    a.load(4, Reg.RAX, argument(3));
    a.add(8, Reg.RDI, Reg.RAX);
    a.call(this.k.copyChecked);
    a.test(8, Reg.RAX, Reg.RAX);
    a.jcc(Cond.NE, badReply);
    a.storeImm(4, RESULT, 0);
    a.sti();
    a.ret();
    a.bind(badReply);
    a.storeImm(4, RESULT, this.ERROR_BAD_ADDRESS);
    a.sti();
    a.ret();

    // Not the quick case: eax the handler's result, no trap.
    a.bind(slow);
    a.mov(4, Reg.RCX, Reg.RAX);
    a.xor(4, Reg.RAX, Reg.RAX);
    a.lea(8, Reg.R14, memLabel(this.k.vmctx));
    a.jmp(callEnd);
    // A trap: invokeReturn's `ret` with eax the trap kind; rbp is the caller's, r15 the kernel's shadow-stack
    // pointer at the entry, the other registers are not. That pointer back: a system call the handler made left
    // frames below it when refused (object/direct.ts, refuseVisitor).
    a.bind(trapped);
    a.cli();
    // invokeReturn's `ret` took the return address 8 bytes below msg.send's.
    a.addImm(8, Reg.RSP, 8);
    a.store(4, this.s.cell("__stack_pointer"), Reg.R15);
    a.lea(8, Reg.R14, memLabel(this.k.vmctx));
    a.load(8, Reg.R15, memLabel(this.kernelMemoryBase));
    // directSendEnd(kind, result, buffer, capacity, connection, send, sendLength, reply, replyLength) -> msg.send's
    // result, a wasm function: its arguments in slots at rsp, 16-byte aligned at the call.
    a.bind(callEnd);
    a.subImm(8, Reg.RSP, END_ARGUMENTS);
    a.store(8, mem(Reg.RSP, 0), Reg.RAX);
    a.store(8, mem(Reg.RSP, 8), Reg.RCX);
    a.store(8, mem(Reg.RSP, 16), Reg.R12);
    a.store(8, mem(Reg.RSP, 24), Reg.R13);
    for (let i = 0; i < 5; i++) {
      a.load(4, Reg.RAX, mem(Reg.RSP, END_ARGUMENTS + 8 + 8 * i));
      a.store(8, mem(Reg.RSP, 32 + 8 * i), Reg.RAX);
    }
    a.call(this.k.functionLabel(<u32>this.k.directSendEnd));
    a.addImm(8, Reg.RSP, END_ARGUMENTS);
    a.store(4, RESULT, Reg.RAX);
    a.sti();
    a.ret();
  }

  // ---- msg.reply_receive(receiveId, status, reply, replyLength, channel, buffer, bufferLength, info)

  /**
   * msgReplyReceiveFast's case: the reply's (the client in the receive
   * id's thread slot, holding that id, found by one load; still
   * reply-blocked, received by the caller, which serves no one else, one
   * reply buffer, no timer) and the receive's (the channel open, received
   * on last by the caller, nothing waiting, nobody else receiving), and the
   * client runs next: no thread of its priority or higher is ready, and it
   * keeps no frames. makeReady and takeBestReady would put the client into
   * its empty ready queue and take it out again at once; here it runs
   * straight away, which leaves the queues and the mask as they would.
   */
  private emitReplyReceive(index: i32, wait: bool): void {
    // msg.reply_receive(receiveId, status, reply, replyLength, channel, buffer, bufferLength, info);
    // msg.reply_wait(receiveId, status, replyLength, channel, buffer, bufferLength): the reply from the buffer, no info.
    const REPLY = wait ? 4 : 2, REPLY_LENGTH = wait ? 2 : 3, CHANNEL = wait ? 3 : 4, BUFFER = wait ? 4 : 5, BUFFER_LENGTH = wait ? 5 : 6;
    const a = this.a;
    const declined = a.newLabel();
    const noReady = a.newLabel(), notLent = a.newLabel();
    this.begin(index);
    // Registers: rbx the caller, r12 its component, r13 its objects and then the channel, r9/r8 its memory's
    // base and length, r11 the client.
    a.cmpMemImm(4, argument(1), this.ERROR_DEAD_SERVER);
    a.jcc(Cond.E, declined);
    this.enterMessage(declined, Reg.R13, true);
    if (wait) {
      // The reply is the buffer's first replyLength bytes.
      this.checkRange(declined, BUFFER, BUFFER_LENGTH);
      a.load(4, Reg.RAX, argument(REPLY_LENGTH));
      a.cmpLoad(4, Reg.RAX, argument(BUFFER_LENGTH));
      a.jcc(Cond.A, declined);
    } else {
      const noInfo = a.newLabel();
      this.checkRange(declined, REPLY, REPLY_LENGTH);
      this.checkRange(declined, BUFFER, BUFFER_LENGTH);
      a.load(4, Reg.RAX, argument(7));
      a.test(4, Reg.RAX, Reg.RAX);
      a.jcc(Cond.E, noInfo);
      a.addImm(8, Reg.RAX, this.RECEIVE_INFO_SIZE);
      a.cmp(8, Reg.RAX, Reg.R8);
      a.jcc(Cond.A, declined);
      a.bind(noInfo);
    }
    // replyClient: the thread in the receive id's slot holds this id (object/receive-id.ts).
    a.load(4, Reg.RDX, argument(0));
    a.mov(4, Reg.RAX, Reg.RDX);
    a.andImm(4, Reg.RAX, this.RECEIVE_SLOTS - 1);
    a.load(4, Reg.RSI, this.s.cell("receiveSlots"));
    a.add(8, Reg.RSI, Reg.R15);
    a.load(4, Reg.R11, memIndex(Reg.RSI, Reg.RAX, 4));
    a.test(4, Reg.R11, Reg.R11);
    a.jcc(Cond.E, declined);
    a.cmpLoad(4, Reg.RDX, field(Reg.R11, this.THREAD_RECEIVE_ID));
    a.jcc(Cond.NE, declined);
    // Blocked in a fast path's send: Reply, one reply buffer, no timer, in no queue.
    a.cmpMemImm(4, field(Reg.R11, this.THREAD_STATE), this.STATE_BLOCKED);
    a.jcc(Cond.NE, declined);
    a.cmpMemImm(4, field(Reg.R11, this.THREAD_FAST_BLOCK), this.FAST_BLOCK_REPLY);
    a.jcc(Cond.NE, declined);
    a.load(4, Reg.RAX, field(Reg.RBX, this.THREAD_ID));
    a.cmpLoad(4, Reg.RAX, field(Reg.R11, this.THREAD_SERVED_BY));
    a.jcc(Cond.NE, declined);
    a.cmpMemImm(4, field(Reg.RBX, this.THREAD_SERVING), 1);
    a.jcc(Cond.NE, declined);
    // rdi: the client's ipcValues, kept until the copy's set-up (nothing in between uses rdi).
    a.load(4, Reg.RDI, field(Reg.R11, this.THREAD_IPC_VALUES));
    // receiveChannel: the channel open, received on last by the caller, no pulse, no sender, no other receiver.
    a.load(4, Reg.RCX, argument(CHANNEL));
    this.lookupRemembered(declined, Reg.R13, this.OBJECT_TYPE_CHANNEL, this.RIGHT_RECEIVE, Reg.R13, false);
    a.cmpMemImm(1, field(Reg.R13, this.CHANNEL_IS_OPEN), 0);
    a.jcc(Cond.E, declined);
    a.cmpLoad(4, Reg.RBX, field(Reg.R13, this.CHANNEL_LAST_RECEIVER));
    a.jcc(Cond.NE, declined);
    a.load(4, Reg.RAX, field(Reg.R13, this.CHANNEL_PULSES));
    a.cmpMemImm(4, field(Reg.RAX, this.PULSES_COUNT), 0);
    a.jcc(Cond.NE, declined);
    this.checkQueueEmpty(declined, Reg.R13, this.CHANNEL_SENDERS, Reg.RAX);
    this.checkQueueEmpty(declined, Reg.R13, this.CHANNEL_RECEIVERS, Reg.RAX);
    this.checkLockLetsGo(declined);
    // The client runs next.
    this.highestReady(Reg.RAX, noReady);
    a.cmpLoad(4, Reg.RAX, field(Reg.R11, this.THREAD_PRIORITY));
    a.jcc(Cond.GE, declined);
    a.bind(noReady);
    this.checkNoFrames(declined, Reg.R11);
    // The reply, cut to the client's reply buffer.
    a.load(8, Reg.RDX, field(Reg.RDI, this.VALUE_REPLY_SIZE * 8));
    a.load(8, Reg.RDI, field(Reg.RDI, this.VALUE_REPLY_ADDRESS * 8));
    a.load(4, Reg.RCX, argument(REPLY_LENGTH));
    a.cmp(8, Reg.RCX, Reg.RDX);
    a.cmov(Cond.B, 8, Reg.RDX, Reg.RCX);
    a.load(4, Reg.RSI, argument(REPLY));
    a.add(8, Reg.RSI, Reg.R9);
    this.copyChecked(declined);
    // POINT OF NO RETURN
    // completeReply: the client woken with the status (so no longer pending).
    a.loadSignExtend(8, 4, Reg.RAX, argument(1));
    a.store(8, field(Reg.R11, this.THREAD_IPC_RESULT), Reg.RAX);
    a.storeImm(4, field(Reg.R11, this.THREAD_WAKE_REASON), this.WAKE_WOKEN);
    // returnPriority: it served this client only (a reschedule it would ask for, the switch below clears).
    a.storeImm(4, field(Reg.RBX, this.THREAD_SERVING), 0);
    a.cmpMemImm(4, field(Reg.RBX, this.THREAD_LENT), this.NO_PRIORITY);
    a.jcc(Cond.E, notLent);
    a.storeImm(4, field(Reg.RBX, this.THREAD_LENT), this.NO_PRIORITY);
    this.priorityWith(Reg.RAX, Reg.RBX, Reg.NONE);
    a.store(4, field(Reg.RBX, this.THREAD_PRIORITY), Reg.RAX);
    a.bind(notLent);
    // beginReceive: the caller's buffers, blocked in the channel's receivers (empty: checked), its lock let go.
    a.load(4, Reg.RDX, field(Reg.RBX, this.THREAD_IPC_VALUES));
    this.keepBuffer(this.VALUE_SEND_ADDRESS, BUFFER, this.VALUE_SEND_SIZE, BUFFER_LENGTH);
    a.storeImm(8, field(Reg.RDX, this.VALUE_FLAGS * 8), 0);
    if (wait) {
      a.storeImm(8, field(Reg.RDX, this.VALUE_INFO * 8), 0);
    } else {
      const noInfoAddress = a.newLabel();
      a.load(4, Reg.RAX, argument(7));
      a.test(4, Reg.RAX, Reg.RAX);
      a.jcc(Cond.E, noInfoAddress);
      a.add(8, Reg.RAX, Reg.R9);
      a.bind(noInfoAddress);
      a.store(8, field(Reg.RDX, this.VALUE_INFO * 8), Reg.RAX);
    }
    a.storeImm(8, field(Reg.RBX, this.THREAD_IPC_RESULT), this.ERROR_BAD_HANDLE);
    a.storeImm(4, field(Reg.RBX, this.THREAD_STATE), this.STATE_BLOCKED);
    a.storeImm(4, field(Reg.RBX, this.THREAD_BLOCK_REASON), this.BLOCK_RECEIVE);
    a.storeImm(4, field(Reg.RBX, this.THREAD_FAST_BLOCK), this.FAST_BLOCK_RECEIVE);
    a.load(4, Reg.RCX, field(Reg.R13, this.CHANNEL_RECEIVERS));
    a.load(4, Reg.RDX, field(Reg.RCX, this.WAIT_QUEUE_THREADS));
    this.pushBack(Reg.RDX, Reg.RBX);
    a.store(4, field(Reg.RBX, this.THREAD_WAIT_QUEUE), Reg.RCX);
    this.switchAndFinish(Reg.R11, wait);
    this.end(index, declined);
  }

  // ---- thread.yield() ----------------------------------------------------

  /**
   * threadYieldFast's case: a component thread. When a thread of its
   * priority or higher is ready (and keeps no frames), the caller goes to
   * the back of its queue and the best ready thread runs; otherwise the
   * call only leaves the kernel.
   */
  private emitYield(index: i32): void {
    const a = this.a;
    const declined = a.newLabel(), resume = a.newLabel(), stay = a.newLabel(), notEmptied = a.newLabel();
    this.begin(index);
    // Registers: rbx the caller, r12 its component, rcx the best ready priority, rdx the caller's,
    // rsi the ready queues, r10 the best queue, r11 the thread that runs next.
    this.enter(declined, Reg.R12, false, true);
    this.highestReady(Reg.RCX, stay);
    a.load(4, Reg.RDX, field(Reg.RBX, this.THREAD_PRIORITY));
    a.cmp(4, Reg.RCX, Reg.RDX);
    a.jcc(Cond.L, stay);
    a.load(4, Reg.RSI, this.s.cell("readyQueues"));
    a.add(8, Reg.RSI, Reg.R15);
    a.load(4, Reg.R10, memIndex(Reg.RSI, Reg.RCX, 4));
    a.load(4, Reg.R11, field(Reg.R10, this.LIST_HEAD));
    this.checkNoFrames(declined, Reg.R11);
    // POINT OF NO RETURN
    // The best ready thread out of its queue (takeBestReadyAddress), the caller to the back of its own: the
    // same queues and mask as the other order, since the best queue is not empty.
    this.popHead(Reg.R10, Reg.R11);
    a.cmpMemImm(4, field(Reg.R10, this.LIST_HEAD), 0);
    a.jcc(Cond.NE, notEmptied);
    a.movImm(4, Reg.RAX, 1);
    a.shift(Shift.SHL, 4, Reg.RAX);
    a.not(4, Reg.RAX);
    a.aluStore(Alu.AND, 4, this.s.cell("readyMask"), Reg.RAX);
    a.bind(notEmptied);
    a.storeImm(4, field(Reg.RBX, this.THREAD_STATE), this.STATE_READY);
    a.load(4, Reg.R10, memIndex(Reg.RSI, Reg.RDX, 4));
    this.pushBack(Reg.R10, Reg.RBX);
    a.mov(4, Reg.RCX, Reg.RDX);
    a.movImm(4, Reg.RAX, 1);
    a.shift(Shift.SHL, 4, Reg.RAX);
    a.aluStore(Alu.OR, 4, this.s.cell("readyMask"), Reg.RAX);
    this.switchTo(Reg.R11, resume);
    a.bind(resume);
    a.bind(stay);
    this.finish(false);
    this.end(index, declined);
  }
}
