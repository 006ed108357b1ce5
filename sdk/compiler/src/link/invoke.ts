// The entry trampoline of docs/compiler-abi.md (RT_INVOKE), shared by every
// host that enters wasm: the linux-x64 executable's stubs and the kernel's.
// System V: invoke(code, vmctx, slots, count) -> trap kind (0 when the call
// returned). The trap path of each host unwinds to `invokeReturn` with rsp at
// the count slot and the trap kind in eax.
//
// The callee is entered with rsp at or above THREAD_STACK_LIMIT: when the
// slots would reach below it, invoke returns `call stack exhausted` (pc 0)
// without calling, so its own pushes are the most it writes below the limit.
//
// invoke's frame, which the trap path unwinds to:
//
//   rbp + 8     return address
//   rbp         saved rbp
//   rbp - 8..40 saved rbx, r12, r13, r14, r15
//   rbp - 48    the previous THREAD_TRAP_RSP (so invokes nest)
//   rbp - 56    slots
//   rbp - 64    count            <- THREAD_TRAP_RSP points here
//   below       the callee's argument/result slots

import { THREAD_STACK_LIMIT, THREAD_TRAP_PC, THREAD_TRAP_RSP, TrapKind, VMCTX_MEMORY_BASE } from "../abi";
import { Assembler, Cond, fsAbsolute, Label, mem, memIndex, memScaled, Reg } from "../x64/assembler";

const FRAME_COUNT: i32 = -64;
const FRAME_SLOTS: i32 = -56;

/** Emits invoke at `invoke`; `invokeReturn` is the common exit the trap path jumps to. */
export function emitInvokeTrampoline(a: Assembler, invoke: Label, invokeReturn: Label): void {
  a.align(16);
  a.bind(invoke);
  a.push(Reg.RBP);
  a.mov(8, Reg.RBP, Reg.RSP);
  a.push(Reg.RBX);
  a.push(Reg.R12);
  a.push(Reg.R13);
  a.push(Reg.R14);
  a.push(Reg.R15);
  a.pushMem(fsAbsolute(THREAD_TRAP_RSP));
  a.push(Reg.RDX);
  a.mov(4, Reg.RCX, Reg.RCX); // count is an i32: clear the upper half
  a.push(Reg.RCX);
  a.store(8, fsAbsolute(THREAD_TRAP_RSP), Reg.RSP);

  // Reserve the slots, keeping rsp 16-byte aligned, and copy them in.
  a.lea(8, Reg.RAX, memScaled(Reg.RCX, 8, 15));
  a.andImm(8, Reg.RAX, -16);
  const exhausted = a.newLabel();
  a.mov(8, Reg.R8, Reg.RSP);
  a.sub(8, Reg.R8, Reg.RAX);
  a.cmpLoad(8, Reg.R8, fsAbsolute(THREAD_STACK_LIMIT));
  a.jcc(Cond.B, exhausted);
  a.mov(8, Reg.RSP, Reg.R8);
  const copyIn = a.newLabel();
  const copiedIn = a.newLabel();
  a.xor(4, Reg.RAX, Reg.RAX);
  a.bind(copyIn);
  a.cmp(8, Reg.RAX, Reg.RCX);
  a.jcc(Cond.AE, copiedIn);
  a.load(8, Reg.R8, memIndex(Reg.RDX, Reg.RAX, 8));
  a.store(8, memIndex(Reg.RSP, Reg.RAX, 8), Reg.R8);
  a.addImm(8, Reg.RAX, 1);
  a.jmp(copyIn);
  a.bind(copiedIn);

  a.mov(8, Reg.R14, Reg.RSI);
  a.load(8, Reg.R15, mem(Reg.R14, VMCTX_MEMORY_BASE));
  a.callReg(Reg.RDI);

  // Copy the results back.
  a.load(8, Reg.RCX, mem(Reg.RBP, FRAME_COUNT));
  a.load(8, Reg.RDX, mem(Reg.RBP, FRAME_SLOTS));
  const copyOut = a.newLabel();
  const copiedOut = a.newLabel();
  a.xor(4, Reg.RAX, Reg.RAX);
  a.bind(copyOut);
  a.cmp(8, Reg.RAX, Reg.RCX);
  a.jcc(Cond.AE, copiedOut);
  a.load(8, Reg.R8, memIndex(Reg.RSP, Reg.RAX, 8));
  a.store(8, memIndex(Reg.RDX, Reg.RAX, 8), Reg.R8);
  a.addImm(8, Reg.RAX, 1);
  a.jmp(copyOut);
  a.bind(copiedOut);
  a.xor(4, Reg.RAX, Reg.RAX);
  a.lea(8, Reg.RSP, mem(Reg.RBP, FRAME_COUNT));

  // Shared with the trap path: rsp at the count slot, eax the result.
  // rbp is not trusted here (a trap may come from anywhere in wasm).
  a.bind(invokeReturn);
  a.addImm(8, Reg.RSP, 16);
  a.pop(Reg.R8);
  a.store(8, fsAbsolute(THREAD_TRAP_RSP), Reg.R8);
  a.pop(Reg.R15);
  a.pop(Reg.R14);
  a.pop(Reg.R13);
  a.pop(Reg.R12);
  a.pop(Reg.RBX);
  a.pop(Reg.RBP);
  a.ret();

  a.bind(exhausted);
  a.storeImm(8, fsAbsolute(THREAD_TRAP_PC), 0);
  a.movImm(4, Reg.RAX, TrapKind.StackExhausted);
  a.jmp(invokeReturn);
}
