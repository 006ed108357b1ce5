// Encoding cases for the x86-64 assembler: each case emits one instruction
// and records, beside its bytes, the text objdump's Intel syntax prints for
// the instruction meant. tests/compiler/assembler.test.ts compares the bytes
// with the golden file and, when regenerating it, the text with objdump.
// Every register is covered where the encoding has irregular corners (REX
// bits, rsp/r12 and rbp/r13 as a base, spl..dil as byte registers).

import {
  Assembler, Reg, Xmm, Cond, Mem, mem, memIndex, memScaled, memAbsolute, memLabel, withFs, fsAbsolute,
  Alu, Shift, Scalar, Packed, Rounding,
} from "../../../sdk/compiler/src/x64/assembler";

const asm = new Assembler();
const listing: string[] = [];
let start = 0;

function begin(): void { start = asm.offset; }
function done(text: string): void {
  listing.push(start.toString() + " " + (asm.offset - start).toString() + " " + text);
}

const names64: string[] = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
const names32: string[] = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"];
const names16: string[] = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"];
const names8: string[] = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"];
const condNames: string[] = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
const sizes: i32[] = [8, 4, 2, 1];

function reg(size: i32, r: i32): string {
  if (size == 8) return names64[r];
  if (size == 4) return names32[r];
  if (size == 2) return names16[r];
  return names8[r];
}
function xmm(r: i32): string { return "xmm" + r.toString(); }

function hex(value: u64): string { return "0x" + value.toString(16); }

/** An immediate as objdump prints it: the value truncated to the operand size. */
function imm(size: i32, value: i64): string {
  if (size == 8) return hex(<u64>value);
  if (size == 4) return hex(<u64>(<u32>value));
  if (size == 2) return hex(<u64>(<u16>value));
  return hex(<u64>(<u8>value));
}

function ptr(size: i32): string {
  if (size == 16) return "XMMWORD PTR ";
  if (size == 8) return "QWORD PTR ";
  if (size == 4) return "DWORD PTR ";
  if (size == 2) return "WORD PTR ";
  if (size == 1) return "BYTE PTR ";
  return "";
}

function dispText(disp: i32, first: bool): string {
  if (disp == 0) return "";
  if (disp < 0) return "-" + hex(<u64>(-<i64>disp));
  return (first ? "" : "+") + hex(<u64>disp);
}

/** `[base+index*scale+disp]` as objdump prints it; base or index may be -1. */
function memText(size: i32, base: i32, index: i32, scale: i32, disp: i32): string {
  let inner = "";
  if (base >= 0) inner = names64[base];
  if (index >= 0) inner += (inner.length ? "+" : "") + names64[index] + "*" + scale.toString();
  // rbp and r13 as a base always carry a displacement byte, which objdump shows.
  if (disp == 0 && base >= 0 && (base & 7) == 5) inner += "+0x0";
  else inner += dispText(disp, inner.length == 0);
  return ptr(size) + "[" + inner + "]";
}

const baseDisps: i32[] = [0, 8, -8, 0x1000];
const immValues: i32[] = [1, 0x7f, 0x80, -1, -128, 0x12345678];

function moves(): void {
  for (let s = 0; s < 4; s++) {
    const size = sizes[s];
    for (let d = 0; d < 16; d++) for (let r = 0; r < 16; r++) {
      begin(); asm.mov(size, d, r); done("mov " + reg(size, d) + "," + reg(size, r));
    }
    for (let d = 0; d < 16; d++) for (let b = 0; b < 16; b++) {
      const disp = baseDisps[(d + b) & 3];
      begin(); asm.load(size, d, mem(b, disp)); done("mov " + reg(size, d) + "," + memText(size, b, -1, 1, disp));
      begin(); asm.store(size, mem(b, disp), d); done("mov " + memText(size, b, -1, 1, disp) + "," + reg(size, d));
    }
    // Every index register (rsp cannot be one) with every base and scale.
    for (let i = 0; i < 16; i++) {
      if (i == Reg.RSP) continue;
      for (let b = 0; b < 16; b++) {
        const scale = 1 << ((i + b) & 3);
        const disp = baseDisps[(i * 3 + b) & 3];
        begin(); asm.load(size, (i + b) & 15, memIndex(b, i, scale, disp));
        done("mov " + reg(size, (i + b) & 15) + "," + memText(size, b, i, scale, disp));
      }
      begin(); asm.load(size, i, memScaled(i, 8, 0x40)); done("mov " + reg(size, i) + "," + memText(size, -1, i, 8, 0x40));
    }
    const values: i64[] = [0, 1, -1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, -0x80000000, 0x123456789abcdef0];
    for (let d = 0; d < 16; d++) for (let v = 0; v < values.length; v++) {
      const value = values[v];
      begin(); asm.movImm(size, d, value);
      let text = "mov " + reg(size, d) + "," + imm(size == 8 && value >= 0 && value <= 0xffffffff ? 4 : size, value);
      if (size == 8 && value >= 0 && value <= 0xffffffff) text = "mov " + reg(4, d) + "," + imm(4, value);
      else if (size == 8 && (value < -0x80000000 || value > 0x7fffffff)) text = "movabs " + reg(8, d) + "," + imm(8, value);
      done(text);
    }
    for (let b = 0; b < 16; b++) {
      const value = immValues[b % immValues.length];
      begin(); asm.storeImm(size, mem(b, 16), value);
      done("mov " + memText(size, b, -1, 1, 16) + "," + imm(size, value));
    }
  }
  // Absolute, fs-relative and rip-relative operands.
  begin(); asm.load(8, Reg.RAX, fsAbsolute(0x20)); done("mov rax,QWORD PTR fs:0x20");
  begin(); asm.load(8, Reg.R11, fsAbsolute(0)); done("mov r11,QWORD PTR fs:0x0");
  begin(); asm.cmpLoad(8, Reg.RSP, fsAbsolute(0)); done("cmp rsp,QWORD PTR fs:0x0");
  begin(); asm.load(4, Reg.R9, withFs(mem(Reg.R13, 8))); done("mov r9d,DWORD PTR fs:[r13+0x8]");
  begin(); asm.load(8, Reg.RCX, memAbsolute(0x10)); done("mov rcx,QWORD PTR ds:0x10");
  // Zero and sign extension.
  for (let d = 0; d < 16; d++) for (let r = 0; r < 16; r++) {
    begin(); asm.zeroExtend(1, d, r); done("movzx " + reg(4, d) + "," + reg(1, r));
    begin(); asm.zeroExtend(2, d, r); done("movzx " + reg(4, d) + "," + reg(2, r));
    begin(); asm.signExtend(4, 1, d, r); done("movsx " + reg(4, d) + "," + reg(1, r));
    begin(); asm.signExtend(8, 1, d, r); done("movsx " + reg(8, d) + "," + reg(1, r));
    begin(); asm.signExtend(4, 2, d, r); done("movsx " + reg(4, d) + "," + reg(2, r));
    begin(); asm.signExtend(8, 2, d, r); done("movsx " + reg(8, d) + "," + reg(2, r));
    begin(); asm.signExtend(8, 4, d, r); done("movsxd " + reg(8, d) + "," + reg(4, r));
  }
  for (let d = 0; d < 16; d++) {
    const b = 15 - d;
    begin(); asm.loadZeroExtend(1, d, mem(b, 3)); done("movzx " + reg(4, d) + "," + memText(1, b, -1, 1, 3));
    begin(); asm.loadZeroExtend(2, d, memIndex(b, d == 4 ? 5 : d, 2, 0)); done("movzx " + reg(4, d) + "," + memText(2, b, d == 4 ? 5 : d, 2, 0));
    begin(); asm.loadSignExtend(4, 1, d, mem(b)); done("movsx " + reg(4, d) + "," + memText(1, b, -1, 1, 0));
    begin(); asm.loadSignExtend(8, 1, d, mem(b)); done("movsx " + reg(8, d) + "," + memText(1, b, -1, 1, 0));
    begin(); asm.loadSignExtend(4, 2, d, mem(b)); done("movsx " + reg(4, d) + "," + memText(2, b, -1, 1, 0));
    begin(); asm.loadSignExtend(8, 2, d, mem(b)); done("movsx " + reg(8, d) + "," + memText(2, b, -1, 1, 0));
    begin(); asm.loadSignExtend(8, 4, d, mem(b, -0x100)); done("movsxd " + reg(8, d) + "," + memText(4, b, -1, 1, -0x100));
    begin(); asm.lea(8, d, memIndex(b, d == 4 ? 12 : d, 4, 0x7f)); done("lea " + reg(8, d) + "," + memText(0, b, d == 4 ? 12 : d, 4, 0x7f));
    begin(); asm.lea(4, d, mem(b, -1)); done("lea " + reg(4, d) + "," + memText(0, b, -1, 1, -1));
    begin(); asm.xchg(8, d, b); done("xchg " + reg(8, b) + "," + reg(8, d));
  }
}

const aluNames: string[] = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"];

function arithmetic(): void {
  for (let op = 0; op < 8; op++) for (let s = 0; s < 4; s++) {
    const size = sizes[s];
    const name = aluNames[op] + " ";
    for (let d = 0; d < 16; d++) {
      const r = (d * 7 + op) & 15;
      begin(); asm.alu(op, size, d, r); done(name + reg(size, d) + "," + reg(size, r));
      const value = immValues[(d + op) % immValues.length];
      begin(); asm.aluImm(op, size, d, value); done(name + reg(size, d) + "," + imm(size, value));
      begin(); asm.aluLoad(op, size, d, mem(r, 8)); done(name + reg(size, d) + "," + memText(size, r, -1, 1, 8));
      begin(); asm.aluStore(op, size, mem(r, -8), d); done(name + memText(size, r, -1, 1, -8) + "," + reg(size, d));
      begin(); asm.aluStoreImm(op, size, mem(d), value); done(name + memText(size, d, -1, 1, 0) + "," + imm(size, value));
    }
  }
  for (let s = 0; s < 4; s++) {
    const size = sizes[s];
    for (let d = 0; d < 16; d++) {
      const r = 15 - d;
      begin(); asm.test(size, d, r); done("test " + reg(size, d) + "," + reg(size, r));
      const value = immValues[d % immValues.length];
      begin(); asm.testImm(size, d, value); done("test " + reg(size, d) + "," + imm(size, value));
      begin(); asm.testMemImm(size, mem(d, 4), value); done("test " + memText(size, d, -1, 1, 4) + "," + imm(size, value));
      begin(); asm.testMem(size, mem(r, -4), d); done("test " + memText(size, r, -1, 1, -4) + "," + reg(size, d));
      begin(); asm.neg(size, d); done("neg " + reg(size, d));
      begin(); asm.not(size, d); done("not " + reg(size, d));
      begin(); asm.mul(size, d); done("mul " + reg(size, d));
      begin(); asm.imulWide(size, d); done("imul " + reg(size, d));
      begin(); asm.div(size, d); done("div " + reg(size, d));
      begin(); asm.idiv(size, d); done("idiv " + reg(size, d));
      if (size == 1) continue;
      begin(); asm.imul(size, d, r); done("imul " + reg(size, d) + "," + reg(size, r));
      begin(); asm.imulImm(size, d, r, value); done("imul " + reg(size, d) + "," + reg(size, r) + "," + imm(size, value));
      begin(); asm.imulLoad(size, d, mem(r, 0x200)); done("imul " + reg(size, d) + "," + memText(size, r, -1, 1, 0x200));
      begin(); asm.cmov(d, size, d, r); done("cmov" + condNames[d] + " " + reg(size, d) + "," + reg(size, r));
      begin(); asm.cmovLoad(r, size, d, mem(r)); done("cmov" + condNames[r] + " " + reg(size, d) + "," + memText(size, r, -1, 1, 0));
      begin(); asm.lzcnt(size, d, r); done("lzcnt " + reg(size, d) + "," + reg(size, r));
      begin(); asm.tzcnt(size, d, r); done("tzcnt " + reg(size, d) + "," + reg(size, r));
      begin(); asm.popcnt(size, d, r); done("popcnt " + reg(size, d) + "," + reg(size, r));
      begin(); asm.bsr(size, d, r); done("bsr " + reg(size, d) + "," + reg(size, r));
      begin(); asm.bsf(size, d, r); done("bsf " + reg(size, d) + "," + reg(size, r));
    }
  }
  begin(); asm.cdq(); done("cdq");
  begin(); asm.cqo(); done("cqo");
  const shiftNames: string[] = ["rol", "ror", "", "", "shl", "shr", "", "sar"];
  const shiftOps: i32[] = [Shift.ROL, Shift.ROR, Shift.SHL, Shift.SHR, Shift.SAR];
  for (let k = 0; k < shiftOps.length; k++) for (let s = 0; s < 4; s++) {
    const op = shiftOps[k];
    const size = sizes[s];
    for (let d = 0; d < 16; d++) {
      begin(); asm.shift(op, size, d); done(shiftNames[op] + " " + reg(size, d) + ",cl");
      const count = d == 3 ? 1 : d + 2;
      begin(); asm.shiftImm(op, size, d, count);
      done(shiftNames[op] + " " + reg(size, d) + "," + (count == 1 ? "1" : imm(1, count)));
    }
  }
  for (let d = 0; d < 16; d++) {
    begin(); asm.bswap(4, d); done("bswap " + reg(4, d));
    begin(); asm.bswap(8, d); done("bswap " + reg(8, d));
    begin(); asm.setcc(d, d); done("set" + condNames[d] + " " + reg(1, d));
    begin(); asm.setcc(15 - d, d); done("set" + condNames[15 - d] + " " + reg(1, d));
  }
}

function control(): void {
  for (let d = 0; d < 16; d++) {
    begin(); asm.push(d); done("push " + reg(8, d));
    begin(); asm.pop(d); done("pop " + reg(8, d));
    begin(); asm.callReg(d); done("call " + reg(8, d));
    begin(); asm.jmpReg(d); done("jmp " + reg(8, d));
    begin(); asm.callMem(mem(d, 0x18)); done("call " + memText(8, d, -1, 1, 0x18));
    begin(); asm.jmpMem(mem(d, 0x18)); done("jmp " + memText(8, d, -1, 1, 0x18));
    begin(); asm.pushMem(mem(d, 8)); done("push " + memText(8, d, -1, 1, 8));
  }
  begin(); asm.pushImm(5); done("push 0x5");
  begin(); asm.pushImm(0x1000); done("push 0x1000");
  begin(); asm.ret(); done("ret");
  begin(); asm.leave(); done("leave");
  begin(); asm.syscall(); done("syscall");
  begin(); asm.ud2(); done("ud2");
  begin(); asm.int3(); done("int3");
  begin(); asm.hlt(); done("hlt");
  begin(); asm.nop(); done("nop");
  begin(); asm.cld(); done("cld");
  begin(); asm.std(); done("std");
  begin(); asm.repMovsb(); done("rep movs BYTE PTR es:[rdi],BYTE PTR ds:[rsi]");
  begin(); asm.repStosb(); done("rep stos BYTE PTR es:[rdi],al");
  begin(); asm.repStosq(); done("rep stos QWORD PTR es:[rdi],rax");
  begin(); asm.rdtsc(); done("rdtsc");
  begin(); asm.cli(); done("cli");
  begin(); asm.sti(); done("sti");
  begin(); asm.mfence(); done("mfence");
  begin(); asm.pause(); done("pause");
  // Jumps: backward short, backward long, forward (rel32) and forward short.
  // The text names the absolute target, as objdump prints it.
  const back = asm.newLabel();
  asm.bind(back);
  const backAt = asm.offset;
  begin(); asm.jmp(back); done("jmp " + hex(<u64>backAt));
  for (let c = 0; c < 16; c++) { begin(); asm.jcc(c, back); done("j" + condNames[c] + " " + hex(<u64>backAt)); }
  for (let i = 0; i < 40; i++) { begin(); asm.movImm(8, Reg.RAX, 0x123456789); done("movabs rax,0x123456789"); }
  begin(); asm.jmp(back); done("jmp " + hex(<u64>backAt));
  begin(); asm.jcc(Cond.NE, back); done("jne " + hex(<u64>backAt));
  begin(); asm.call(back); done("call " + hex(<u64>backAt));
  const forward = asm.newLabel();
  const jmpAt = asm.offset; asm.jmp(forward);
  const jccAt = asm.offset; asm.jcc(Cond.P, forward);
  const callAt = asm.offset; asm.call(forward);
  const shortAt = asm.offset; asm.jccShort(Cond.A, forward);
  const ripAt = asm.offset; asm.lea(8, Reg.R12, memLabel(forward));
  const ripImmAt = asm.offset; asm.storeImm(4, memLabel(forward), 7);
  asm.bind(forward);
  const target = hex(<u64>asm.offset);
  listing.push(jmpAt.toString() + " 5 jmp " + target);
  listing.push(jccAt.toString() + " 6 jp " + target);
  listing.push(callAt.toString() + " 5 call " + target);
  listing.push(shortAt.toString() + " 2 ja " + target);
  listing.push(ripAt.toString() + " 7 lea r12,[rip+0xa]");
  listing.push(ripImmAt.toString() + " 10 mov DWORD PTR [rip+0x0],0x7");
}

const scalarNames: string[] = ["sqrt", "", "", "", "", "", "", "add", "mul", "", "", "sub", "min", "div", "max"];
const scalarOps: i32[] = [Scalar.SQRT, Scalar.ADD, Scalar.MUL, Scalar.SUB, Scalar.MIN, Scalar.DIV, Scalar.MAX];
const packedNames: string[] = ["and", "andn", "or", "xor"];

function sse(): void {
  for (let d = 0; d < 16; d++) {
    const r = (d * 5 + 3) & 15;
    begin(); asm.movaps(d, r); done("movaps " + xmm(d) + "," + xmm(r));
    begin(); asm.loadUnaligned(d, mem(r, -16)); done("movups " + xmm(d) + "," + memText(16, r, -1, 1, -16));
    begin(); asm.storeUnaligned(memIndex(r, d == 4 ? 1 : d, 1, 0), d); done("movups " + memText(16, r, d == 4 ? 1 : d, 1, 0) + "," + xmm(d));
    for (let s = 4; s <= 8; s += 4) {
      const suffix = s == 8 ? "sd" : "ss";
      begin(); asm.loadFloat(s, d, mem(r, 8)); done("mov" + suffix + " " + xmm(d) + "," + memText(s, r, -1, 1, 8));
      begin(); asm.storeFloat(s, memIndex(r, d == 4 ? 0 : d, 8, -16), d);
      done("mov" + suffix + " " + memText(s, r, d == 4 ? 0 : d, 8, -16) + "," + xmm(d));
      begin(); asm.movToXmm(s, d, r); done((s == 8 ? "movq " : "movd ") + xmm(d) + "," + reg(s, r));
      begin(); asm.movFromXmm(s, r, d); done((s == 8 ? "movq " : "movd ") + reg(s, r) + "," + xmm(d));
      for (let k = 0; k < scalarOps.length; k++) {
        const op = scalarOps[k];
        begin(); asm.scalar(op, s, d, r); done(scalarNames[op - 0x51] + suffix + " " + xmm(d) + "," + xmm(r));
        begin(); asm.scalarLoad(op, s, d, mem(r)); done(scalarNames[op - 0x51] + suffix + " " + xmm(d) + "," + memText(s, r, -1, 1, 0));
      }
      const packedSuffix = s == 8 ? "pd" : "ps";
      for (let k = 0; k < 4; k++) {
        begin(); asm.packed(Packed.AND + k, s, d, r); done(packedNames[k] + packedSuffix + " " + xmm(d) + "," + xmm(r));
        begin(); asm.packedLoad(Packed.AND + k, s, d, mem(r, 0x30)); done(packedNames[k] + packedSuffix + " " + xmm(d) + "," + memText(16, r, -1, 1, 0x30));
      }
      begin(); asm.ucomis(s, d, r); done("ucomi" + suffix + " " + xmm(d) + "," + xmm(r));
      begin(); asm.ucomisLoad(s, d, mem(r, 4)); done("ucomi" + suffix + " " + xmm(d) + "," + memText(s, r, -1, 1, 4));
      for (let i = 4; i <= 8; i += 4) {
        begin(); asm.convertFromInt(s, i, d, r); done("cvtsi2" + suffix + " " + xmm(d) + "," + reg(i, r));
        begin(); asm.truncateToInt(i, s, r, d); done("cvtt" + suffix + "2si " + reg(i, r) + "," + xmm(d));
      }
      begin(); asm.convertFloat(s, d, r); done((s == 4 ? "cvtss2sd " : "cvtsd2ss ") + xmm(d) + "," + xmm(r));
      for (let mode = Rounding.NEAREST; mode <= Rounding.TRUNC; mode++) {
        begin(); asm.round(s, d, r, mode); done("round" + suffix + " " + xmm(d) + "," + xmm(r) + "," + hex(<u64>mode));
      }
    }
  }
}

/**
 * A frame slot as the code generators keep one: a base register and a
 * displacement, both fields of an object.
 */
class FieldSlot {
  base: i32 = 0;
  disp: i32 = 0;
}

/**
 * Operands whose base and displacement are read straight from an object's
 * fields: asc -O3 used to turn the zero extension of such a displacement
 * into a sign-extending load, which spread a negative displacement over the
 * base register's bits (docs/compiler.md).
 */
function fieldOperands(): void {
  const slots: FieldSlot[] = [];
  for (let b = 0; b < 16; b++) {
    const slot = new FieldSlot();
    slot.base = b;
    slot.disp = -8 * (b + 1);
    slots.push(slot);
  }
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    begin(); asm.load(8, Reg.RAX, mem(<Reg>slot.base, slot.disp)); done("mov rax," + memText(8, slot.base, -1, 1, slot.disp));
    begin(); asm.store(4, mem(<Reg>slot.base, slot.disp), Reg.RCX); done("mov " + memText(4, slot.base, -1, 1, slot.disp) + ",ecx");
  }
}

moves();
arithmetic();
control();
sse();
fieldOperands();
const finished = asm.finish();
const code = asm.toBytes();
const listingBytes = String.UTF8.encode(listing.join("\n"));

export function ok(): bool { return finished; }
export function codePtr(): usize { return code.dataStart; }
export function codeLength(): i32 { return code.length; }
export function listingPtr(): usize { return changetype<usize>(listingBytes); }
export function listingLength(): i32 { return listingBytes.byteLength; }
