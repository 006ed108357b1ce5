// Interrupt and exception entry: one 16-byte stub per vector (the kernel's
// IDT points at them; LINK_VECTORS and LINK_VECTOR_STRIDE say where), all
// jumping to one common path that saves the interrupted state and calls
// the kernel's wasm `interrupt(frame) -> action` through invoke.
//
// The common path, in order:
//  1. pushes the general registers below the CPU's frame, the vector and
//     the error code (0 when the CPU pushes none), so the frame layout is the
//     same for every vector (FRAME_* in link-info.ts);
//  2. switches fs to the thread block the kernel registered for the vector
//     (a vector on an IST stack gets that stack's block, so the wasm stack
//     check compares with the right limit), remembering the old base;
//  3. otherwise lowers the interrupted thread's stack limit by
//     INTERRUPT_ROOM while the handler runs on the same stack (and raises
//     it by as much after: the handler may have grown the stack);
//  4. saves the SSE state (wasm code uses xmm registers freely);
//  5. calls interrupt(frame); a trap in the handler itself is reported
//     natively and the machine halts;
//  6. undoes 4, 3 and 2, then returns from the interrupt, or — when the
//     action is a trap kind — rewrites the frame so that iretq lands in the
//     trap path with that kind and the faulting pc, which unwinds the
//     interrupted thread to its innermost protected call.

import { THREAD_STACK_LIMIT, THREAD_TRAP_RSP } from "../../../../sdk/compiler/src/abi";
import { Alu, Cond, Reg, Shift, fsAbsolute, mem, memIndex, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import {
  FRAME_RDI, FRAME_RIP, FRAME_RSI, FRAME_RSP, FRAME_VECTOR, INTERRUPT_ROOM, VECTOR_COUNT, VECTOR_STUB_SIZE,
  vectorHasErrorCode,
} from "../link-info";
import { KernelLink } from "./context";

const MSR_FS_BASE: i32 = 0xc0000100;
/** fxsave's area (512 bytes) plus 8 to bring rsp back to a 16-byte boundary. */
const SSE_AREA: i32 = 520;
/** The registers the common path pushes, in order; the frame lists them from the last pushed. */
const PUSHED: StaticArray<i32> = [
  Reg.RAX, Reg.RBX, Reg.RCX, Reg.RDX, Reg.RSI, Reg.RDI, Reg.RBP,
  Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R12, Reg.R13, Reg.R14, Reg.R15,
];

/** In the area of pushed registers (r15 lowest) a frame field is 8 bytes lower than in the frame. */
function area(field: i32): i32 { return field - 8; }

export function emitVectors(k: KernelLink): void {
  const c = k.c;
  const a = c.p.asm;
  a.align(VECTOR_STUB_SIZE);
  a.bind(k.vectors);
  for (let vector = 0; vector < VECTOR_COUNT; vector++) {
    if (!vectorHasErrorCode(vector)) a.pushImm(0);
    a.pushImm(vector);
    a.jmp(k.common);
    a.align(VECTOR_STUB_SIZE);
  }

  const noSwitch = a.newLabel(), keepLimit = a.newLabel(), noRestore = a.newLabel();
  const resume = a.newLabel(), unwind = a.newLabel(), trapped = a.newLabel();
  a.align(16);
  a.bind(k.common);
  for (let i = 0; i < PUSHED.length; i++) a.push(PUSHED[i]);
  a.load(8, Reg.RAX, mem(Reg.RSP, area(FRAME_VECTOR)));
  a.lea(8, Reg.RDX, memLabel(k.vectorThreadBlocks));
  a.load(8, Reg.RBX, memIndex(Reg.RDX, Reg.RAX, 8));
  a.xor(4, Reg.R12, Reg.R12);
  a.test(8, Reg.RBX, Reg.RBX);
  a.jcc(Cond.E, noSwitch);
  a.movImm(4, Reg.RCX, MSR_FS_BASE);
  a.rdmsr();
  a.shiftImm(Shift.SHL, 8, Reg.RDX, 32);
  a.or(8, Reg.RAX, Reg.RDX);
  a.mov(8, Reg.R12, Reg.RAX);
  a.mov(8, Reg.RAX, Reg.RBX);
  a.writeFsBase();
  a.bind(noSwitch);
  a.push(Reg.R12);
  a.mov(8, Reg.R12, Reg.RSP);

  // r13: how far the limit went down, given back by adding rather than by
  // storing the old value, so that a stack grown by the handler
  // (sched/threads.ts growStack) keeps its lower limit.
  a.xor(4, Reg.R13, Reg.R13);
  a.test(8, Reg.RBX, Reg.RBX);
  a.jcc(Cond.NE, keepLimit);
  a.load(8, Reg.RAX, fsAbsolute(THREAD_STACK_LIMIT));
  a.cmpImm(8, Reg.RAX, INTERRUPT_ROOM);
  a.jcc(Cond.B, keepLimit);
  a.movImm(4, Reg.R13, INTERRUPT_ROOM);
  a.aluStore(Alu.SUB, 8, fsAbsolute(THREAD_STACK_LIMIT), Reg.R13);
  a.bind(keepLimit);

  a.subImm(8, Reg.RSP, SSE_AREA);
  a.fxsave(mem(Reg.RSP));
  a.subImm(8, Reg.RSP, 16);
  a.store(8, mem(Reg.RSP), Reg.R12);
  a.cld();
  a.lea(8, Reg.RDI, memLabel(k.functionLabel(<u32>k.interrupt)));
  a.lea(8, Reg.RSI, memLabel(k.vmctx));
  a.mov(8, Reg.RDX, Reg.RSP);
  a.movImm(4, Reg.RCX, 1);
  a.call(k.invoke);
  a.test(4, Reg.RAX, Reg.RAX);
  a.jcc(Cond.NE, trapped);
  a.load(4, Reg.R14, mem(Reg.RSP));
  a.addImm(8, Reg.RSP, 16);
  a.fxrstor(mem(Reg.RSP));
  a.addImm(8, Reg.RSP, SSE_AREA);
  a.aluStore(Alu.ADD, 8, fsAbsolute(THREAD_STACK_LIMIT), Reg.R13);
  a.test(8, Reg.RBX, Reg.RBX);
  a.jcc(Cond.E, noRestore);
  a.load(8, Reg.RAX, mem(Reg.R12));
  a.writeFsBase();
  a.bind(noRestore);
  a.addImm(8, Reg.RSP, 8);
  a.test(4, Reg.R14, Reg.R14);
  a.jcc(Cond.NE, unwind);
  a.bind(resume);
  for (let i = PUSHED.length - 1; i >= 0; i--) a.pop(PUSHED[i]);
  a.addImm(8, Reg.RSP, 16);
  a.iretq();

  // Continue in the trap path as if the faulting instruction had called it: trap(kind, pc).
  a.bind(unwind);
  a.store(8, mem(Reg.RSP, area(FRAME_RDI)), Reg.R14);
  a.load(8, Reg.RAX, mem(Reg.RSP, area(FRAME_RIP)));
  a.store(8, mem(Reg.RSP, area(FRAME_RSI)), Reg.RAX);
  a.lea(8, Reg.RAX, memLabel(k.trap));
  a.store(8, mem(Reg.RSP, area(FRAME_RIP)), Reg.RAX);
  a.load(8, Reg.RAX, fsAbsolute(THREAD_TRAP_RSP));
  a.store(8, mem(Reg.RSP, area(FRAME_RSP)), Reg.RAX);
  a.jmp(resume);

  a.bind(trapped);
  a.mov(8, Reg.RBX, Reg.RAX);
  a.load(8, Reg.R13, mem(Reg.R12, FRAME_VECTOR));
  c.log("\nkernel: the interrupt handler trapped (kind ");
  c.logValue(Reg.RBX, false);
  c.log(") on vector ");
  c.logValue(Reg.R13, false);
  c.log("\nkernel: halted\n");
  a.jmp(c.halt);
}
