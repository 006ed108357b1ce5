// Encodings of the system instructions (sdk/compiler/src/x64/system.ts), each
// with the Intel-syntax text objdump prints for it. tests/boot checks the
// bytes against objdump, as the assembler's own golden test does for the rest.

import { Reg, mem, memIndex } from "../../../../sdk/compiler/src/x64/assembler";
import { SystemAssembler } from "../../../../sdk/compiler/src/x64/system";

export class Cases {
  readonly asm: SystemAssembler = new SystemAssembler();
  listing: string = "";
  private start: i32 = 0;

  begin(): void { this.start = this.asm.offset; }
  end(text: string): void {
    this.listing += this.start.toString() + " " + (this.asm.offset - this.start).toString() + " " + text + "\n";
  }
}

export function systemCases(): Cases {
  const k = new Cases();
  const a = k.asm;
  k.begin(); a.outDx(1); k.end("out dx,al");
  k.begin(); a.outDx(2); k.end("out dx,ax");
  k.begin(); a.outDx(4); k.end("out dx,eax");
  k.begin(); a.inDx(1); k.end("in al,dx");
  k.begin(); a.inDx(2); k.end("in ax,dx");
  k.begin(); a.inDx(4); k.end("in eax,dx");
  k.begin(); a.outImm(1, 0xf4); k.end("out 0xf4,al");
  k.begin(); a.inImm(1, 0x60); k.end("in al,0x60");
  k.begin(); a.inImm(4, 0x40); k.end("in eax,0x40");
  k.begin(); a.lgdt(mem(Reg.RAX)); k.end("lgdt [rax]");
  k.begin(); a.lidt(mem(Reg.R12, 8)); k.end("lidt [r12+0x8]");
  k.begin(); a.ltr(Reg.RAX); k.end("ltr ax");
  k.begin(); a.invlpg(memIndex(Reg.RDI, Reg.R9, 8, 16)); k.end("invlpg BYTE PTR [rdi+r9*8+0x10]");
  k.begin(); a.movToCr(3, Reg.RAX); k.end("mov cr3,rax");
  k.begin(); a.movToCr(0, Reg.R11); k.end("mov cr0,r11");
  k.begin(); a.movToCr(8, Reg.RCX); k.end("mov cr8,rcx");
  k.begin(); a.movFromCr(Reg.RDX, 2); k.end("mov rdx,cr2");
  k.begin(); a.movFromCr(Reg.R15, 4); k.end("mov r15,cr4");
  k.begin(); a.rdmsr(); k.end("rdmsr");
  k.begin(); a.wrmsr(); k.end("wrmsr");
  k.begin(); a.cpuid(); k.end("cpuid");
  k.begin(); a.iretq(); k.end("iretq");
  k.begin(); a.swapgs(); k.end("swapgs");
  k.begin(); a.movToSegment(3, Reg.RAX); k.end("mov ds,eax");
  k.begin(); a.movToSegment(2, Reg.R9); k.end("mov ss,r9d");
  k.begin(); a.farReturn(); k.end("retfq");
  k.begin(); a.fxsave(mem(Reg.RSP)); k.end("fxsave64 [rsp]");
  k.begin(); a.fxrstor(mem(Reg.R12, 16)); k.end("fxrstor64 [r12+0x10]");
  k.begin(); a.int3(); k.end("int3");
  k.begin(); a.repStos(1); k.end("rep stos BYTE PTR es:[rdi],al");
  k.begin(); a.repStos(4); k.end("rep stos DWORD PTR es:[rdi],eax");
  k.begin(); a.repStos(8); k.end("rep stos QWORD PTR es:[rdi],rax");
  return k;
}
