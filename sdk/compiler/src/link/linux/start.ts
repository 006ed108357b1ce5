// _start, the process entry, and the native env.abort of the runtime.
//
// _start runs on the stack the kernel gave the process only long enough to
// set up: the wasm stack (16 MiB with a guard page below), the thread block
// (fs), the signal handlers, the runtime's memory and data. Then it switches
// to the wasm stack and calls the runtime through invoke — its start
// function, `_initialize`, then `main` — and exits with main's result.

import { GUARD_RESERVATION, PAGE_SIZE, THREAD_STACK_LIMIT, THREAD_TRAP_PC, TrapKind, trapMessage, VMCTX_MEMORY_BASE } from "../../abi";
import { Cond, fsAbsolute, Label, mem, memLabel, Reg } from "../../x64/assembler";
import { CODE_RANGE_CAPACITY, STACK_GUARD_SIZE, STACK_HEADROOM, WASM_STACK_SIZE } from "./layout";
import { RuntimeInfo } from "./runtime";
import { emitInstallSignals } from "./signals";
import { Stubs } from "./stubs";
import {
  ARCH_SET_FS, MAP_ANONYMOUS, MAP_NORESERVE, MAP_PRIVATE, PROT_NONE, PROT_READ_WRITE, SYS_ARCH_PRCTL,
  SYS_EXIT_GROUP, SYS_MMAP, SYS_MPROTECT,
} from "./system";

/** Emits `mmap(0, size, protection, private anonymous, -1, 0)` leaving the address in rax. */
function emitMapAnonymous(stubs: Stubs, size: u64, protection: i32, what: string): void {
  const a = stubs.a;
  a.xor(4, Reg.RDI, Reg.RDI);
  a.movImm(8, Reg.RSI, <i64>size);
  a.movImm(4, Reg.RDX, protection);
  a.movImm(4, Reg.R10, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
  a.movImm(8, Reg.R8, -1);
  a.xor(4, Reg.R9, Reg.R9);
  a.movImm(4, Reg.RAX, SYS_MMAP);
  a.syscall();
  a.cmpImm(8, Reg.RAX, -4096);
  a.jcc(Cond.A, stubs.fatal("cannot map " + what));
}

/** Emits `mprotect(rdi, size, protection)`, fatal on failure. */
function emitProtect(stubs: Stubs, size: u64, protection: i32, what: string): void {
  const a = stubs.a;
  a.movImm(8, Reg.RSI, <i64>size);
  a.movImm(4, Reg.RDX, protection);
  a.movImm(4, Reg.RAX, SYS_MPROTECT);
  a.syscall();
  a.test(8, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, stubs.fatal("cannot protect " + what));
}

/** Emits a call through invoke with `count` call slots; a trap goes to `trapped` with the kind in eax. */
function emitInvoke(stubs: Stubs, code: Label, count: i32, trapped: Label): void {
  const a = stubs.a;
  a.lea(8, Reg.RDI, memLabel(code));
  a.movImm(8, Reg.RSI, <i64>stubs.layout.vmctx);
  a.movImm(8, Reg.RDX, <i64>stubs.layout.callSlots);
  a.movImm(4, Reg.RCX, count);
  a.call(stubs.invoke);
  a.test(4, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, trapped);
}

/**
 * _start. `functionLabels` are bound to the runtime's code once it is
 * appended: indexed by function index (imports included).
 */
export function emitStart(stubs: Stubs, info: RuntimeInfo, functionLabels: Label[], payloadLength: u64): void {
  const a = stubs.a;
  const layout = stubs.layout;
  const module = info.code.module;
  a.align(16);
  a.bind(stubs.start);
  a.mov(8, Reg.R12, Reg.RSP); // the initial process stack: argc, argv, envp, auxv

  // The wasm stack; rbx = its lowest address (the guard region).
  emitMapAnonymous(stubs, STACK_GUARD_SIZE + WASM_STACK_SIZE, PROT_READ_WRITE, "the wasm stack");
  a.mov(8, Reg.RBX, Reg.RAX);
  a.movImm(8, Reg.RAX, <i64>layout.stackBottom);
  a.store(8, mem(Reg.RAX), Reg.RBX);
  a.mov(8, Reg.RDI, Reg.RBX);
  emitProtect(stubs, STACK_GUARD_SIZE, PROT_NONE, "the stack guard region");

  // The thread block.
  a.movImm(4, Reg.RDI, ARCH_SET_FS);
  a.movImm(8, Reg.RSI, <i64>layout.threadBlock);
  a.movImm(4, Reg.RAX, SYS_ARCH_PRCTL);
  a.syscall();
  a.test(8, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, stubs.fatal("cannot set the thread block"));
  a.lea(8, Reg.RAX, mem(Reg.RBX, <i32>(STACK_GUARD_SIZE + STACK_HEADROOM)));
  a.store(8, fsAbsolute(THREAD_STACK_LIMIT), Reg.RAX);

  emitInstallSignals(stubs);

  // The runtime's memory: reserved once, readable and writable up to its length.
  if (info.hasMemory) {
    emitMapAnonymous(stubs, GUARD_RESERVATION, PROT_NONE, "the runtime's memory");
    a.mov(8, Reg.R13, Reg.RAX);
    if (info.memoryPages > 0) {
      a.mov(8, Reg.RDI, Reg.R13);
      emitProtect(stubs, <u64>info.memoryPages * <u64>PAGE_SIZE, PROT_READ_WRITE, "the runtime's memory");
    }
    a.movImm(8, Reg.RAX, <i64>layout.memoryObject);
    a.store(8, mem(Reg.RAX), Reg.R13);
    a.movImm(8, Reg.RAX, <i64>layout.vmctx);
    a.store(8, mem(Reg.RAX, VMCTX_MEMORY_BASE), Reg.R13);
    a.cld();
    for (let i = 0; i < module.datas.length; i++) {
      const length = layout.dataImages[i] != 0 ? module.datas[i].dataLength : 0;
      if (length == 0) continue;
      a.movImm(8, Reg.RDI, <i64>info.dataOffsets[i]);
      a.add(8, Reg.RDI, Reg.R13);
      a.movImm(8, Reg.RSI, <i64>layout.dataImages[i]);
      a.movImm(8, Reg.RCX, <i64>length);
      a.repMovsb();
    }
  }

  // Onto the wasm stack, then into the runtime.
  a.lea(8, Reg.RSP, mem(Reg.RBX, <i32>(STACK_GUARD_SIZE + WASM_STACK_SIZE)));
  const trapped = a.newLabel();
  if (module.startFunc >= 0) emitInvoke(stubs, functionLabels[module.startFunc], 0, trapped);
  if (info.initialize >= 0) emitInvoke(stubs, functionLabels[info.initialize], 0, trapped);

  a.movImm(8, Reg.RDX, <i64>layout.callSlots);
  const argumentValues: i64[] = [
    <i64>layout.payload, <i64>payloadLength, 0, <i64>layout.services,
    <i64>layout.codeRanges, <i64>CODE_RANGE_CAPACITY, <i64>layout.threadBlock, <i64>layout.vmctx,
  ];
  for (let i = 0; i < argumentValues.length; i++) {
    if (i == 2) {
      a.store(8, mem(Reg.RDX, 8 * i), Reg.R12);
    } else {
      a.movImm(8, Reg.RAX, argumentValues[i]);
      a.store(8, mem(Reg.RDX, 8 * i), Reg.RAX);
    }
  }
  emitInvoke(stubs, functionLabels[info.main], argumentValues.length, trapped);
  a.movImm(8, Reg.RAX, <i64>layout.callSlots);
  a.load(4, Reg.RDI, mem(Reg.RAX));
  a.movImm(4, Reg.RAX, SYS_EXIT_GROUP);
  a.syscall();
  a.ud2();

  // The runtime itself trapped: a bug in it, reported like a fault.
  a.bind(trapped);
  a.mov(4, Reg.RBX, Reg.RAX);
  stubs.beginLine("fatal: runtime trap: ");
  const named = a.newLabel();
  for (let kind = 1; kind < TrapKind.Count; kind++) {
    const skip = a.newLabel();
    a.cmpImm(4, Reg.RBX, kind);
    a.jcc(Cond.NE, skip);
    stubs.append(trapMessage(kind));
    a.jmp(named);
    a.bind(skip);
  }
  stubs.append("kind ");
  a.mov(4, Reg.RSI, Reg.RBX);
  a.call(stubs.appendDecimal);
  a.bind(named);
  stubs.append(" at pc 0x");
  a.load(8, Reg.RSI, fsAbsolute(THREAD_TRAP_PC));
  a.call(stubs.appendHex);
  a.jmp(stubs.fatalExit);
}

/**
 * env.abort(message, fileName, line, column) for the runtime, called with
 * the wasm convention (arguments in slots at rsp + 8 on entry, r15 the
 * runtime's memory base): `fatal: runtime abort: MESSAGE at FILE:LINE:COLUMN`.
 * The strings are AssemblyScript's: UTF-16, byte length in the 4 bytes before.
 */
export function emitRuntimeAbort(stubs: Stubs): void {
  const a = stubs.a;
  a.align(16);
  a.bind(stubs.runtimeAbort);
  a.mov(8, Reg.RBX, Reg.RSP);
  a.andImm(8, Reg.RSP, -16);
  stubs.beginLine("fatal: runtime abort");
  emitAppendString(stubs, 8, ": ", 120);
  stubs.append(" at ");
  emitAppendString(stubs, 16, "", 200);
  stubs.append(":");
  a.loadZeroExtend(4, Reg.RSI, mem(Reg.RBX, 24));
  a.call(stubs.appendDecimal);
  stubs.append(":");
  a.loadZeroExtend(4, Reg.RSI, mem(Reg.RBX, 32));
  a.call(stubs.appendDecimal);
  a.jmp(stubs.fatalExit);
}

/**
 * Appends `prefix` and the AssemblyScript string whose pointer is at
 * [rbx + slot], when not null, up to `room` bytes into the line buffer
 * (what follows it must still fit in LINE_BUFFER_SIZE).
 */
function emitAppendString(stubs: Stubs, slot: i32, prefix: string, room: i32): void {
  const a = stubs.a;
  const absent = a.newLabel();
  a.loadZeroExtend(4, Reg.RAX, mem(Reg.RBX, slot));
  a.test(4, Reg.RAX, Reg.RAX);
  a.jcc(Cond.E, absent);
  if (prefix.length > 0) {
    a.push(Reg.RAX);
    a.push(Reg.RAX);
    stubs.append(prefix);
    a.pop(Reg.RAX);
    a.pop(Reg.RAX);
  }
  a.lea(8, Reg.RSI, mem(Reg.R15));
  a.add(8, Reg.RSI, Reg.RAX);
  a.loadZeroExtend(4, Reg.RDX, mem(Reg.RSI, -4));
  a.movImm(8, Reg.R8, <i64>(stubs.layout.lineBuffer + <u64>room));
  a.call(stubs.appendUtf16);
  a.bind(absent);
}
