// Privileged and system instructions, for code that runs below the wasm
// world: the UEFI boot stub, interrupt entry and exit, and later the
// kernel's `x86` intrinsics. Port I/O, descriptor tables, control and model-
// specific registers, string stores for fills. Generated wasm code never
// uses these; they sit on top of the general assembler so it stays as it is.

import { Assembler, Mem, Reg, Shift } from "./assembler";

/** IA32_FS_BASE: the fs segment's base, the thread block of compiled code (docs/compiler-abi.md). */
const MSR_FS_BASE: i32 = 0xc0000100;
import { Enc } from "./encoder";

export class SystemAssembler extends Assembler {
  // ---- port I/O (the port in dx, or an 8-bit constant port) -------------

  /** `out dx, al|ax|eax`. */
  outDx(size: i32): void {
    if (size == 2) this.byte(0x66);
    this.byte(size == 1 ? 0xee : 0xef);
  }

  /** `in al|ax|eax, dx`. */
  inDx(size: i32): void {
    if (size == 2) this.byte(0x66);
    this.byte(size == 1 ? 0xec : 0xed);
  }

  /** `out port, al|ax|eax` with a constant port below 256. */
  outImm(size: i32, port: i32): void {
    if (size == 2) this.byte(0x66);
    this.byte(size == 1 ? 0xe6 : 0xe7);
    this.byte(port);
  }

  /** `in al|ax|eax, port` with a constant port below 256. */
  inImm(size: i32, port: i32): void {
    if (size == 2) this.byte(0x66);
    this.byte(size == 1 ? 0xe4 : 0xe5);
    this.byte(port);
  }

  // ---- descriptor tables, control and model-specific registers ----------

  /** `lgdt [m]`: load the GDT register from a 10-byte limit/base pair. */
  lgdt(m: Mem): void { this.emitRM(0, Enc.NONE, 0x0f01, 2, m, 0); }
  /** `lidt [m]`. */
  lidt(m: Mem): void { this.emitRM(0, Enc.NONE, 0x0f01, 3, m, 0); }
  /** `ltr reg16`: load the task register with a TSS selector. */
  ltr(selector: Reg): void { this.emitRR(0, Enc.NONE, 0x0f00, 3, selector); }
  /** `invlpg [m]`. */
  invlpg(m: Mem): void { this.emitRM(0, Enc.NONE, 0x0f01, 7, m, 0); }

  /** `mov crN, reg` (N = 0, 2, 3, 4, 8). */
  movToCr(cr: i32, src: Reg): void { this.emitRR(0, Enc.NONE, 0x0f22, cr, src); }
  /** `mov reg, crN`. */
  movFromCr(dst: Reg, cr: i32): void { this.emitRR(0, Enc.NONE, 0x0f20, cr, dst); }

  /** `rdmsr`: edx:eax = MSR[ecx]. */
  rdmsr(): void { this.byte(0x0f); this.byte(0x32); }
  /** `wrmsr`: MSR[ecx] = edx:eax. */
  wrmsr(): void { this.byte(0x0f); this.byte(0x30); }
  /** `cpuid`: eax, ebx, ecx, edx = leaf eax, subleaf ecx. */
  cpuid(): void { this.byte(0x0f); this.byte(0xa2); }
  /** The fs base = rax, by `wrmsr` of IA32_FS_BASE (clobbers rcx and rdx). */
  writeFsBase(): void {
    this.mov(8, Reg.RDX, Reg.RAX);
    this.shiftImm(Shift.SHR, 8, Reg.RDX, 32);
    this.movImm(4, Reg.RCX, MSR_FS_BASE);
    this.wrmsr();
  }
  /** `pushfq`: rflags onto the stack. */
  pushf(): void { this.byte(0x9c); }
  /** `popfq`: rflags from the stack (the interrupt flag included, at ring 0). */
  popf(): void { this.byte(0x9d); }

  /** `iretq`: return from an interrupt to 64-bit code. */
  iretq(): void { this.byte(0x48); this.byte(0xcf); }
  /** `swapgs`. */
  swapgs(): void { this.byte(0x0f); this.byte(0x01); this.byte(0xf8); }
  /** `mov sreg, reg16` (es 0, cs 1, ss 2, ds 3, fs 4, gs 5); loading cs this way is not allowed. */
  movToSegment(segment: i32, src: Reg): void { this.emitRR(0, Enc.NONE, 0x8e, segment, src); }
  /** `retfq`: pops rip, then cs (reloads the code segment after lgdt). */
  farReturn(): void { this.byte(0x48); this.byte(0xcb); }
  /** `fxsave64 [m]`: x87/SSE state to a 512-byte, 16-byte aligned area. */
  fxsave(m: Mem): void { this.emitRM(0, Enc.W, 0x0fae, 0, m, 0); }
  /** `fxrstor64 [m]`. */
  fxrstor(m: Mem): void { this.emitRM(0, Enc.W, 0x0fae, 1, m, 0); }

  // ---- string stores -----------------------------------------------------

  /** `rep stosd` (size 4) or `rep stosq` (size 8): store eax/rax to [rdi], rcx times. */
  repStos(size: i32): void {
    this.byte(0xf3);
    if (size == 8) this.byte(0x48);
    this.byte(size == 8 || size == 4 ? 0xab : 0xaa);
  }
}
