// Faults. A SIGSEGV or SIGBUS whose pc lies in a registered range of
// guard-region code (the code-range table the loader fills,
// docs/linux-runtime.md) is a wasm trap: an out-of-bounds access. The
// handler rewrites the signal context so that returning from the signal
// resumes in the trap path (RT_TRAP) with the kind and the faulting pc, on
// the stack of the innermost invoke.
//
// Everything else is a failure, reported on stderr with exit status 70: a
// fault in the region below the wasm stack's limit (a stack check let code
// write further below the limit than docs/compiler-abi.md allows), a fault
// in explicit-bounds code (a missing bounds check), and any other signal,
// a bug in the runtime or the stubs (`fatal: SIGNAL at pc 0x...`). The
// handler runs on its own signal stack, so it still reports when the wasm
// stack is unusable.

import { TrapKind, THREAD_TRAP_RSP } from "../../abi";
import { Alu, Cond, fsAbsolute, Label, mem, memLabel, Reg } from "../../x64/assembler";
import { CODE_RANGE_ENTRY_SIZE, SIGNAL_STACK_SIZE, STACK_GUARD_SIZE } from "./layout";
import { Stubs } from "./stubs";
import {
  SA_ONSTACK, SA_RESTORER, SA_SIGINFO, SIGACTION_SIZE, SIGBUS, SIGFPE, SIGILL, SIGINFO_ADDRESS, SIGSEGV, SIGSET_SIZE,
  SYS_RT_SIGACTION, SYS_RT_SIGRETURN, SYS_SIGALTSTACK, UCONTEXT_RDI, UCONTEXT_RIP, UCONTEXT_RSI, UCONTEXT_RSP,
} from "./system";

const HANDLED_SIGNALS: i32[] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE];

/** Part of _start: the signal stack and the handlers. Clobbers rax, rcx, rdx, rsi, rdi, r10, r11. */
export function emitInstallSignals(stubs: Stubs): void {
  const a = stubs.a;
  const layout = stubs.layout;

  // stack_t { ss_sp, ss_flags, ss_size } built on the stack.
  a.movImm(8, Reg.RAX, <i64>SIGNAL_STACK_SIZE);
  a.push(Reg.RAX);
  a.pushImm(0);
  a.movImm(8, Reg.RAX, <i64>layout.signalStack);
  a.push(Reg.RAX);
  a.mov(8, Reg.RDI, Reg.RSP);
  a.xor(4, Reg.RSI, Reg.RSI);
  a.movImm(4, Reg.RAX, SYS_SIGALTSTACK);
  a.syscall();
  a.addImm(8, Reg.RSP, 24);
  a.test(8, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, stubs.fatal("cannot set the signal stack"));

  // struct sigaction { handler, flags, restorer, mask = 0 }.
  a.pushImm(0);
  a.lea(8, Reg.RAX, memLabel(stubs.signalRestorer));
  a.push(Reg.RAX);
  a.pushImm(SA_SIGINFO | SA_ONSTACK | SA_RESTORER);
  a.lea(8, Reg.RAX, memLabel(stubs.signalHandler));
  a.push(Reg.RAX);
  const failed = stubs.fatal("cannot install the signal handlers");
  for (let i = 0; i < HANDLED_SIGNALS.length; i++) {
    a.movImm(4, Reg.RDI, HANDLED_SIGNALS[i]);
    a.mov(8, Reg.RSI, Reg.RSP);
    a.xor(4, Reg.RDX, Reg.RDX);
    a.movImm(4, Reg.R10, SIGSET_SIZE);
    a.movImm(4, Reg.RAX, SYS_RT_SIGACTION);
    a.syscall();
    a.test(8, Reg.RAX, Reg.RAX);
    a.jcc(Cond.NE, failed);
  }
  a.addImm(8, Reg.RSP, SIGACTION_SIZE);
}

/**
 * Jumps to `found` when the pc in r8 lies in a range of the code-range table
 * at `table`; falls through otherwise. Clobbers rcx and r9.
 */
function emitSearch(stubs: Stubs, table: u64, found: Label): void {
  const a = stubs.a;
  const search = a.newLabel();
  const next = a.newLabel();
  const done = a.newLabel();
  a.movImm(8, Reg.R9, <i64>table);
  a.load(8, Reg.RCX, mem(Reg.R9));
  a.addImm(8, Reg.R9, 8);
  a.bind(search);
  a.test(8, Reg.RCX, Reg.RCX);
  a.jcc(Cond.E, done);
  a.cmpLoad(8, Reg.R8, mem(Reg.R9));
  a.jcc(Cond.B, next);
  a.cmpLoad(8, Reg.R8, mem(Reg.R9, 8));
  a.jcc(Cond.B, found);
  a.bind(next);
  a.addImm(8, Reg.R9, <i32>CODE_RANGE_ENTRY_SIZE);
  a.subImm(8, Reg.RCX, 1);
  a.jmp(search);
  a.bind(done);
}

/** Reports `fatal: TEXT at pc 0x...` (pc in r12) and exits. */
function emitFatalAtPc(stubs: Stubs, label: Label, text: string): void {
  const a = stubs.a;
  a.bind(label);
  stubs.beginLine("fatal: " + text + " at pc 0x");
  a.mov(8, Reg.RSI, Reg.R12);
  a.call(stubs.appendHex);
  a.jmp(stubs.fatalExit);
}

/** The handler (signal, siginfo, ucontext) and its rt_sigreturn restorer. */
export function emitSignalHandler(stubs: Stubs): void {
  const a = stubs.a;
  const layout = stubs.layout;
  const candidate = a.newLabel();
  const found = a.newLabel();
  const belowLimit = a.newLabel();
  const explicitFault = a.newLabel();
  const fatal = a.newLabel();

  a.align(16);
  a.bind(stubs.signalHandler);
  a.cmpImm(4, Reg.RDI, SIGSEGV);
  a.jcc(Cond.E, candidate);
  a.cmpImm(4, Reg.RDI, SIGBUS);
  a.jcc(Cond.NE, fatal);
  a.bind(candidate);
  a.load(8, Reg.R8, mem(Reg.RDX, UCONTEXT_RIP));
  a.mov(8, Reg.R12, Reg.R8);
  // Nothing may write more than STACK_LIMIT_OVERRUN bytes below the stack
  // limit, which is where the guard region ends: a fault there is a broken
  // stack check, never a trap.
  a.load(8, Reg.RAX, mem(Reg.RSI, SIGINFO_ADDRESS));
  a.movImm(8, Reg.R9, <i64>layout.stackBottom);
  a.aluLoad(Alu.SUB, 8, Reg.RAX, mem(Reg.R9));
  a.cmpImm(8, Reg.RAX, <i32>STACK_GUARD_SIZE);
  a.jcc(Cond.B, belowLimit);
  emitSearch(stubs, layout.codeRanges, found);
  emitSearch(stubs, layout.explicitCodeRanges, explicitFault);
  a.jmp(fatal);

  // A fault in guard-region code: an out-of-bounds access. Resume in the
  // trap path: trap(kind, pc) on the innermost invoke's stack.
  a.bind(found);
  a.movImm(4, Reg.RCX, TrapKind.MemoryOutOfBounds);
  a.store(8, mem(Reg.RDX, UCONTEXT_RDI), Reg.RCX);
  a.store(8, mem(Reg.RDX, UCONTEXT_RSI), Reg.R8);
  a.load(8, Reg.RAX, fsAbsolute(THREAD_TRAP_RSP));
  a.store(8, mem(Reg.RDX, UCONTEXT_RSP), Reg.RAX);
  a.lea(8, Reg.RAX, memLabel(stubs.trap));
  a.store(8, mem(Reg.RDX, UCONTEXT_RIP), Reg.RAX);
  a.ret();

  emitFatalAtPc(stubs, belowLimit, "stack write below the limit");
  // Explicit-bounds code checks every access, so it never faults.
  emitFatalAtPc(stubs, explicitFault, "memory fault in explicit-bounds mode: a bounds check is missing");

  // A fault outside wasm code: report and exit.
  a.bind(fatal);
  a.mov(4, Reg.RBX, Reg.RDI);
  a.load(8, Reg.R12, mem(Reg.RDX, UCONTEXT_RIP));
  stubs.beginLine("fatal: ");
  const named = a.newLabel();
  for (let i = 0; i < HANDLED_SIGNALS.length; i++) {
    const skip = a.newLabel();
    a.cmpImm(4, Reg.RBX, HANDLED_SIGNALS[i]);
    a.jcc(Cond.NE, skip);
    stubs.append(signalName(HANDLED_SIGNALS[i]));
    a.jmp(named);
    a.bind(skip);
  }
  stubs.append("signal ");
  a.mov(4, Reg.RSI, Reg.RBX);
  a.call(stubs.appendDecimal);
  a.bind(named);
  stubs.append(" at pc 0x");
  a.mov(8, Reg.RSI, Reg.R12);
  a.call(stubs.appendHex);
  a.jmp(stubs.fatalExit);

  a.align(16);
  a.bind(stubs.signalRestorer);
  a.movImm(4, Reg.RAX, SYS_RT_SIGRETURN);
  a.syscall();
  a.ud2();
}

function signalName(signal: i32): string {
  if (signal == SIGSEGV) return "SIGSEGV";
  if (signal == SIGBUS) return "SIGBUS";
  if (signal == SIGILL) return "SIGILL";
  if (signal == SIGFPE) return "SIGFPE";
  return "signal";
}
