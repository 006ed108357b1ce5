// Test program for the linux-x64 executable's native half (ELF writer,
// _start, services, fault handler), run by tests/compiler/linux.test.ts. It
// links hand-assembled stand-ins for the runtime — a `main` written directly
// in x86-64 that exercises one stub each — so these tests need neither the
// generator nor the real runtime.
//
// build(scenario) returns the executable's length (its bytes at
// outputPtr()), or -1 with the linker's message at messagePtr().

import { Module, FuncType, Export, ExternKind, Import, MemoryType, DataSegment, SegmentMode, ValType, ConstKind } from "../../../sdk/compiler/src/module";
import { CompiledCode, CompileOptions, CompiledFunction } from "../../../sdk/compiler/src/compiled";
import {
  MEMORY_LENGTH, MEMORY_RESERVED, RT_INVOKE, RT_MEMORY_GROW, RT_TRAP, THREAD_SELF, THREAD_STACK_LIMIT, TrapKind, VMCTX_MEMORY,
  VMCTX_RUNTIME, vmctxLayout,
} from "../../../sdk/compiler/src/abi";
import { Alu, Assembler, Cond, fsAbsolute, mem, memLabel, Reg } from "../../../sdk/compiler/src/x64/assembler";
import { getMessage } from "../../../sdk/compiler/src/io";
import { linkExecutable } from "../../../sdk/compiler/src/link/linux";

export const enum Scenario {
  /** Prints "hello\n" from a data segment, exits with the payload length. */
  Hello = 0,
  /** Calls RT_TRAP directly: the runtime itself trapped. */
  RuntimeTrap = 1,
  /** Faults outside registered wasm code: a fatal report. */
  UnregisteredFault = 2,
  /** Registers its own code, then faults: an out-of-bounds trap. */
  RegisteredFault = 3,
  /** memory.grow within and beyond the maximum. */
  MemoryGrow = 4,
  /** A nested invoke whose callee traps; main goes on. */
  NestedInvoke = 5,
  /** Registered code writing below the stack limit, into the guard region: a failure, never a trap. */
  RegisteredStackOverflow = 6,
  /** Unregistered code overflowing the wasm stack: reported, not hung. */
  UnregisteredStackOverflow = 7,
  /** Exits with argc, read through the initial stack argument. */
  ArgumentCount = 8,
  /** Exits 1 when the thread block and stack limit look as documented. */
  ThreadBlock = 9,
  /** Calls the imported env.abort("boom", "x.ts", 12, 34): the linker's native abort. */
  RuntimeAbort = 10,
  /** memory.grow within the maximum but past the reservation (shrunk to two pages): exits 1 when refused. */
  MemoryGrowPastReservation = 11,
}

/** Parameter slot `index` of main as seen from its frame (after push rbp; mov rbp, rsp). */
function parameter(index: i32): i32 { return 16 + 8 * index; }

const CODE_RANGES_PARAMETER = 4;
const THREAD_BLOCK_PARAMETER = 6;
const INITIAL_STACK_PARAMETER = 2;
const PAYLOAD_LENGTH_PARAMETER = 1;

/** Registers [0, 2^64-1) as wasm code in the code-range table (main's parameter). */
function registerEverything(a: Assembler): void {
  a.load(8, Reg.RAX, mem(Reg.RBP, parameter(CODE_RANGES_PARAMETER)));
  a.storeImm(8, mem(Reg.RAX, 8), 0);
  a.movImm(8, Reg.RCX, -1);
  a.store(8, mem(Reg.RAX, 16), Reg.RCX);
  a.storeImm(8, mem(Reg.RAX), 1);
}

/** Calls runtime service `service` with rdi, rsi already set. */
function callService(a: Assembler, service: i32): void {
  a.load(8, Reg.RAX, mem(Reg.R14, VMCTX_RUNTIME));
  a.callMem(mem(Reg.RAX, service));
}

function emitMain(a: Assembler, scenario: i32): void {
  a.push(Reg.RBP);
  a.mov(8, Reg.RBP, Reg.RSP);
  a.push(Reg.RBX);
  a.push(Reg.RBX);
  // write(1, memory + 16, 6)
  a.movImm(4, Reg.RAX, 1);
  a.movImm(4, Reg.RDI, 1);
  a.lea(8, Reg.RSI, mem(Reg.R15, 16));
  a.movImm(4, Reg.RDX, 6);
  a.syscall();
  a.load(8, Reg.RAX, mem(Reg.RBP, parameter(PAYLOAD_LENGTH_PARAMETER)));

  if (scenario == Scenario.RuntimeTrap) {
    a.movImm(4, Reg.RDI, TrapKind.Unreachable);
    a.movImm(8, Reg.RSI, 0x1234);
    a.load(8, Reg.RAX, mem(Reg.R14, VMCTX_RUNTIME));
    a.jmpMem(mem(Reg.RAX, RT_TRAP));
  } else if (scenario == Scenario.UnregisteredFault) {
    a.load(4, Reg.RAX, mem(Reg.R15, 0x100000));
  } else if (scenario == Scenario.RegisteredFault) {
    registerEverything(a);
    a.load(4, Reg.RAX, mem(Reg.R15, 0x100000));
  } else if (scenario == Scenario.MemoryGrow) {
    // Exit status: 10 * grow(2) + (grow(70000) == -1) + 100 * (length == 3 pages).
    a.load(8, Reg.RDI, mem(Reg.R14, VMCTX_MEMORY));
    a.movImm(4, Reg.RSI, 2);
    callService(a, RT_MEMORY_GROW);
    a.imulImm(4, Reg.RBX, Reg.RAX, 10);
    a.storeImm(4, mem(Reg.R15, 65536 * 3 - 4), 5); // the new pages are writable
    a.load(8, Reg.RDI, mem(Reg.R14, VMCTX_MEMORY));
    a.movImm(4, Reg.RSI, 70000);
    callService(a, RT_MEMORY_GROW);
    a.cmpImm(4, Reg.RAX, -1);
    a.setcc(Cond.E, Reg.RAX);
    a.zeroExtend(1, Reg.RAX, Reg.RAX);
    a.add(4, Reg.RBX, Reg.RAX);
    a.load(8, Reg.RDI, mem(Reg.R14, VMCTX_MEMORY));
    a.load(8, Reg.RAX, mem(Reg.RDI, MEMORY_LENGTH));
    a.cmpImm(8, Reg.RAX, 65536 * 3);
    a.setcc(Cond.E, Reg.RAX);
    a.zeroExtend(1, Reg.RAX, Reg.RAX);
    a.imulImm(4, Reg.RAX, Reg.RAX, 100);
    a.add(4, Reg.RAX, Reg.RBX);
  } else if (scenario == Scenario.MemoryGrowPastReservation) {
    // Exit status: 1 when grow(2) of the one-page memory returns -1 and the length stays one page.
    a.load(8, Reg.RDI, mem(Reg.R14, VMCTX_MEMORY));
    a.storeImm(8, mem(Reg.RDI, MEMORY_RESERVED), 2 * 65536);
    a.movImm(4, Reg.RSI, 2);
    callService(a, RT_MEMORY_GROW);
    a.cmpImm(4, Reg.RAX, -1);
    a.setcc(Cond.E, Reg.RBX);
    a.load(8, Reg.RDI, mem(Reg.R14, VMCTX_MEMORY));
    a.load(8, Reg.RAX, mem(Reg.RDI, MEMORY_LENGTH));
    a.cmpImm(8, Reg.RAX, 65536);
    a.setcc(Cond.E, Reg.RAX);
    a.and(1, Reg.RAX, Reg.RBX);
    a.zeroExtend(1, Reg.RAX, Reg.RAX);
  } else if (scenario == Scenario.NestedInvoke) {
    // Exit status: 100 + the kind the inner invoke returned.
    const callee = a.newLabel();
    const after = a.newLabel();
    a.lea(8, Reg.RDI, memLabel(callee));
    a.mov(8, Reg.RSI, Reg.R14);
    a.lea(8, Reg.RDX, mem(Reg.RBP, parameter(0)));
    a.movImm(4, Reg.RCX, 0);
    callService(a, RT_INVOKE);
    a.addImm(4, Reg.RAX, 100);
    a.jmp(after);
    a.bind(callee);
    a.push(Reg.RBP);
    a.mov(8, Reg.RBP, Reg.RSP);
    a.movImm(4, Reg.RDI, TrapKind.IntegerOverflow);
    a.movImm(8, Reg.RSI, 0x99);
    a.load(8, Reg.RAX, mem(Reg.R14, VMCTX_RUNTIME));
    a.jmpMem(mem(Reg.RAX, RT_TRAP));
    a.bind(after);
  } else if (scenario == Scenario.RegisteredStackOverflow || scenario == Scenario.UnregisteredStackOverflow) {
    if (scenario == Scenario.RegisteredStackOverflow) registerEverything(a);
    const loop = a.newLabel();
    a.bind(loop);
    a.push(Reg.RAX);
    a.jmp(loop);
  } else if (scenario == Scenario.ArgumentCount) {
    a.load(8, Reg.RAX, mem(Reg.RBP, parameter(INITIAL_STACK_PARAMETER)));
    a.load(8, Reg.RAX, mem(Reg.RAX));
  } else if (scenario == Scenario.RuntimeAbort) {
    // The import's slots: message, file, line, column (AssemblyScript strings at 64 and 76).
    a.subImm(8, Reg.RSP, 32);
    a.storeImm(8, mem(Reg.RSP), 64);
    a.storeImm(8, mem(Reg.RSP, 8), 76);
    a.storeImm(8, mem(Reg.RSP, 16), 12);
    a.storeImm(8, mem(Reg.RSP, 24), 34);
    a.callMem(mem(Reg.R14, vmctxLayout(abortModule()).importCode(0)));
  } else if (scenario == Scenario.ThreadBlock) {
    // fs:[THREAD_SELF] == the threadBlock parameter, and the stack limit
    // lies below rsp by more than the headroom and less than the stack.
    const wrong = a.newLabel();
    const done = a.newLabel();
    a.load(8, Reg.RCX, fsAbsolute(THREAD_SELF));
    a.cmpLoad(8, Reg.RCX, mem(Reg.RBP, parameter(THREAD_BLOCK_PARAMETER)));
    a.jcc(Cond.NE, wrong);
    a.mov(8, Reg.RCX, Reg.RSP);
    a.aluLoad(Alu.SUB, 8, Reg.RCX, fsAbsolute(THREAD_STACK_LIMIT));
    a.jcc(Cond.B, wrong);
    a.movImm(8, Reg.RDX, 16 << 20);
    a.cmp(8, Reg.RCX, Reg.RDX);
    a.jcc(Cond.A, wrong);
    a.movImm(4, Reg.RAX, 1);
    a.jmp(done);
    a.bind(wrong);
    a.movImm(4, Reg.RAX, 0);
    a.bind(done);
  }

  a.store(4, mem(Reg.RBP, parameter(0)), Reg.RAX);
  a.pop(Reg.RBX);
  a.pop(Reg.RBX);
  a.pop(Reg.RBP);
  a.ret();
}

function activeData(module: Module, memoryOffset: u32, start: u32, length: u32): void {
  const data = new DataSegment();
  data.mode = SegmentMode.Active;
  data.offsetExpr.kind = ConstKind.I32;
  data.offsetExpr.bits = memoryOffset;
  data.dataStart = start;
  data.dataLength = length;
  module.datas.push(data);
}

/** An AssemblyScript string as it lies in memory: byte length, then UTF-16. */
function putString(bytes: Uint8Array, at: i32, text: string): void {
  store<u32>(bytes.dataStart + <usize>at, text.length * 2);
  for (let i = 0; i < text.length; i++) store<u16>(bytes.dataStart + <usize>(at + 4 + 2 * i), <u16>text.charCodeAt(i));
}

/**
 * A module shaped like the runtime: one page of memory with "hello\n" at 16
 * and two AssemblyScript strings at 60 and 72, and main; with env.abort
 * imported as function 0 for the abort scenario.
 */
function standInModule(withAbort: bool): Module {
  const hello = "hello\n";
  const bytes = new Uint8Array(40);
  for (let i = 0; i < hello.length; i++) bytes[8 + i] = <u8>hello.charCodeAt(i);
  putString(bytes, 16, "boom");
  putString(bytes, 28, "x.ts");
  const module = new Module(bytes);
  const type = new FuncType();
  for (let i = 0; i < 8; i++) type.params.push(<u8>ValType.I64);
  type.results.push(<u8>ValType.I32);
  module.types.push(type);
  if (withAbort) {
    const abortType = new FuncType();
    for (let i = 0; i < 4; i++) abortType.params.push(<u8>ValType.I32);
    module.types.push(abortType);
    const abort = new Import();
    abort.module = "env";
    abort.name = "abort";
    abort.kind = ExternKind.Func;
    abort.typeIndex = 1;
    module.imports.push(abort);
    module.funcTypes.push(1);
    module.numImportedFuncs = 1;
  }
  module.funcTypes.push(0);
  const main = new Export();
  main.name = "main";
  main.kind = ExternKind.Func;
  main.index = module.numImportedFuncs;
  module.exports.push(main);
  const memory = new MemoryType();
  memory.limits.min = 1;
  module.memories.push(memory);
  activeData(module, 16, 8, hello.length);
  activeData(module, 60, 16, 24);
  return module;
}

function abortModule(): Module { return standInModule(true); }

function standIn(scenario: i32): CompiledCode {
  const module = standInModule(scenario == Scenario.RuntimeAbort);

  const a = new Assembler();
  emitMain(a, scenario);
  a.finish();
  const code = new CompiledCode(module, new CompileOptions(), vmctxLayout(module));
  code.code = a.toBytes();
  const compiled = new CompiledFunction();
  compiled.funcIndex = module.numImportedFuncs;
  compiled.codeSize = code.code.length;
  code.functions.push(compiled);
  return code;
}

let output = new Uint8Array(0);
let messageBytes = new ArrayBuffer(0);

/** The payload is `payloadLength` zero bytes: scenario Hello exits with that length. */
export function build(scenario: i32, payloadLength: i32): i32 {
  const executable = linkExecutable(standIn(scenario), new Uint8Array(payloadLength));
  if (executable == null) {
    messageBytes = String.UTF8.encode(getMessage());
    return -1;
  }
  output = executable;
  return output.length;
}

export function outputPtr(): usize { return output.dataStart; }
export function messagePtr(): usize { return changetype<usize>(messageBytes); }
export function messageLength(): i32 { return messageBytes.byteLength; }
