// General-purpose instructions: moves, arithmetic, shifts, bit counts,
// conditional moves and sets, jumps, calls and the few system instructions
// the generator and the native stubs use. Every method takes the operand
// size in bytes (1, 2, 4, 8) where the instruction has one; 32-bit writes to
// a register zero the upper half, as the hardware defines.

import { Encoder, Enc, Label, sizeFlags } from "./encoder";
import { Mem } from "./memory";
import { Cond, Reg } from "./registers";

/** The eight classic ALU operations, numbered as their ModRM /digit. */
export const enum Alu {
  ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7,
}

/** Shifts and rotates, numbered as their ModRM /digit. */
export const enum Shift {
  ROL = 0, ROR = 1, SHL = 4, SHR = 5, SAR = 7,
}

/** The one-operand group F6/F7, numbered as their ModRM /digit. */
const enum Unary {
  NOT = 2, NEG = 3, MUL = 4, IMUL = 5, DIV = 6, IDIV = 7,
}

function fitsI8(value: i64): bool { return value >= -128 && value <= 127; }
function fitsI32(value: i64): bool { return value >= -2147483648 && value <= 2147483647; }

/** Size of the immediate of a group-1 ALU instruction with this operand size and value. */
function aluImmediateSize(size: i32, value: i32): i32 {
  if (size == 1 || fitsI8(value)) return 1;
  return size == 2 ? 2 : 4;
}

export class IntegerAssembler extends Encoder {
  // ---- moves -----------------------------------------------------------

  /** `mov dst, src`. */
  // @ts-ignore: decorator
  @inline mov(size: i32, dst: Reg, src: Reg): void {
    this.emitRegs((sizeFlags(size) << 8) | (size == 1 ? 0x88 : 0x89), src, dst);
  }

  /** `mov dst, imm`, using the shortest encoding that gives the same register value. */
  movImm(size: i32, dst: Reg, value: i64): void {
    if (size == 4 || (size == 8 && <u64>value <= 0xffffffff)) {
      // `mov r32, imm32` (B8+r), which zero-extends: written here with one reserve.
      const buffer = this.buffer;
      buffer.reserve(8);
      let p = buffer.cursor();
      if (<i32>dst & 8) { store<u8>(p, 0x41); p++; }
      store<u8>(p, <u8>(0xb8 + (<i32>dst & 7)));
      store<u32>(p, <u32>value, 1);
      buffer.commit(p + 5);
      return;
    }
    if (size == 8) {
      if (value >= 0 && value <= 0xffffffff) {
        this.emitPlusReg(Enc.NONE, 0xb8, dst);
        this.buffer.u32(<i32>value);
      } else if (fitsI32(value)) {
        this.emitRegs((Enc.W << 8) | 0xc7, 0, dst);
        this.buffer.u32(<i32>value);
      } else {
        this.emitPlusReg(Enc.W, 0xb8, dst);
        this.buffer.u64(value);
      }
    } else if (size == 1) {
      this.emitPlusReg(Enc.BYTE_RM, 0xb0, dst);
      this.buffer.byte(<i32>value);
    } else {
      this.emitPlusReg(sizeFlags(size), 0xb8, dst);
      this.immediate(size, <i32>value);
    }
  }

  /** `mov dst, [m]`. */
  // @ts-ignore: decorator
  @inline load(size: i32, dst: Reg, m: Mem): void {
    this.emitMem((sizeFlags(size) << 8) | (size == 1 ? 0x8a : 0x8b), dst, m);
  }

  /** `mov [m], src`. */
  // @ts-ignore: decorator
  @inline store(size: i32, m: Mem, src: Reg): void {
    this.emitMem((sizeFlags(size) << 8) | (size == 1 ? 0x88 : 0x89), src, m);
  }

  /** `mov [m], imm` (sign-extended to 64 bits for size 8). */
  // @ts-ignore: decorator
  @inline storeImm(size: i32, m: Mem, value: i32): void {
    const immSize = size == 8 ? 4 : size;
    this.emitMem((immSize << 16) | (sizeFlags(size) << 8) | (size == 1 ? 0xc6 : 0xc7), 0, m);
    this.immediate(immSize, value);
  }

  /** `movzx dst32, src8/src16`: the upper 56/48 bits of dst become zero. */
  zeroExtend(srcSize: i32, dst: Reg, src: Reg): void {
    if (srcSize == 4) { this.mov(4, dst, src); return; }
    this.emitRR(0, srcSize == 1 ? Enc.BYTE_RM : Enc.NONE, srcSize == 1 ? 0x0fb6 : 0x0fb7, dst, src);
  }

  /** `movzx dst32, byte/word [m]`, or `mov dst32, [m]` for 4 bytes. */
  loadZeroExtend(srcSize: i32, dst: Reg, m: Mem): void {
    if (srcSize == 4) { this.load(4, dst, m); return; }
    if (srcSize == 8) { this.load(8, dst, m); return; }
    this.emitRM(0, Enc.NONE, srcSize == 1 ? 0x0fb6 : 0x0fb7, dst, m, 0);
  }

  /** `movsx`/`movsxd dst, src`: dstSize 4 or 8, srcSize 1, 2 or 4. */
  signExtend(dstSize: i32, srcSize: i32, dst: Reg, src: Reg): void {
    const flags = dstSize == 8 ? Enc.W : Enc.NONE;
    if (srcSize == 4) this.emitRegs((Enc.W << 8) | 0x63, dst, src);
    else this.emitRR(0, flags | (srcSize == 1 ? Enc.BYTE_RM : 0), srcSize == 1 ? 0x0fbe : 0x0fbf, dst, src);
  }

  /** `movsx`/`movsxd dst, [m]`. */
  loadSignExtend(dstSize: i32, srcSize: i32, dst: Reg, m: Mem): void {
    const flags = dstSize == 8 ? Enc.W : Enc.NONE;
    if (srcSize == 4) this.emitMem((Enc.W << 8) | 0x63, dst, m);
    else this.emitRM(0, flags, srcSize == 1 ? 0x0fbe : 0x0fbf, dst, m, 0);
  }

  // @ts-ignore: decorator
  @inline lea(size: i32, dst: Reg, m: Mem): void {
    this.emitMem(((sizeFlags(size) & ~Enc.BYTE_REG) << 8) | 0x8d, dst, m);
  }

  xchg(size: i32, a: Reg, b: Reg): void {
    this.emitRegs((sizeFlags(size) << 8) | (size == 1 ? 0x86 : 0x87), a, b);
  }

  // ---- ALU -------------------------------------------------------------

  /** `op dst, src` for the eight classic ALU operations. */
  // @ts-ignore: decorator
  @inline alu(op: Alu, size: i32, dst: Reg, src: Reg): void {
    this.emitRegs((sizeFlags(size) << 8) | (op << 3) | (size == 1 ? 0 : 1), src, dst);
  }

  /**
   * The REX byte (W for size 8, B for `reg`), one-byte `opcode` and ModRM
   * (`extension` in its reg field, `reg` its register operand) of a 32- or
   * 64-bit instruction of an opcode group, written at the cursor with room
   * reserved for an immediate of up to four bytes after them; returns
   * where that goes. The caller commits.
   */
  // @ts-ignore: decorator
  @inline private groupRegister(size: i32, opcode: i32, extension: i32, reg: Reg): usize {
    const buffer = this.buffer;
    buffer.reserve(8);
    let p = buffer.cursor();
    const rex = (size & 8) | ((<i32>reg & 8) >> 3);
    if (rex) { store<u8>(p, <u8>(0x40 | rex)); p++; }
    store<u16>(p, <u16>(opcode | ((0xc0 | ((extension & 7) << 3) | (<i32>reg & 7)) << 8)));
    return p + 2;
  }

  /** `op dst, imm` (imm8 sign-extended when it fits, else imm32 sign-extended). */
  aluImm(op: Alu, size: i32, dst: Reg, value: i32): void {
    if (size >= 4) {
      // 32 and 64 bits, the common case, with one reserve.
      if (<u32>(value + 128) < 256) {
        const p = this.groupRegister(size, 0x83, op, dst);
        store<u8>(p, <u8>value);
        this.buffer.commit(p + 1);
      } else {
        const p = this.groupRegister(size, 0x81, op, dst);
        store<i32>(p, value);
        this.buffer.commit(p + 4);
      }
      return;
    }
    const immSize = aluImmediateSize(size, value);
    const opcode = size == 1 ? 0x80 : immSize == 1 ? 0x83 : 0x81;
    this.emitRegs(((sizeFlags(size) & ~Enc.BYTE_REG) << 8) | opcode, op, dst);
    this.immediate(immSize, value);
  }

  /** `op dst, [m]`. */
  // @ts-ignore: decorator
  @inline aluLoad(op: Alu, size: i32, dst: Reg, m: Mem): void {
    this.emitMem((sizeFlags(size) << 8) | (op << 3) | (size == 1 ? 2 : 3), dst, m);
  }

  /** `op [m], src`. */
  // @ts-ignore: decorator
  @inline aluStore(op: Alu, size: i32, m: Mem, src: Reg): void {
    this.emitMem((sizeFlags(size) << 8) | (op << 3) | (size == 1 ? 0 : 1), src, m);
  }

  /** `op [m], imm`. */
  aluStoreImm(op: Alu, size: i32, m: Mem, value: i32): void {
    const immSize = aluImmediateSize(size, value);
    const opcode = size == 1 ? 0x80 : immSize == 1 ? 0x83 : 0x81;
    this.emitMem((immSize << 16) | ((sizeFlags(size) & ~Enc.BYTE_REG) << 8) | opcode, op, m);
    this.immediate(immSize, value);
  }

  add(size: i32, dst: Reg, src: Reg): void { this.alu(Alu.ADD, size, dst, src); }
  addImm(size: i32, dst: Reg, value: i32): void { this.aluImm(Alu.ADD, size, dst, value); }
  sub(size: i32, dst: Reg, src: Reg): void { this.alu(Alu.SUB, size, dst, src); }
  subImm(size: i32, dst: Reg, value: i32): void { this.aluImm(Alu.SUB, size, dst, value); }
  and(size: i32, dst: Reg, src: Reg): void { this.alu(Alu.AND, size, dst, src); }
  andImm(size: i32, dst: Reg, value: i32): void { this.aluImm(Alu.AND, size, dst, value); }
  or(size: i32, dst: Reg, src: Reg): void { this.alu(Alu.OR, size, dst, src); }
  orImm(size: i32, dst: Reg, value: i32): void { this.aluImm(Alu.OR, size, dst, value); }
  xor(size: i32, dst: Reg, src: Reg): void { this.alu(Alu.XOR, size, dst, src); }
  xorImm(size: i32, dst: Reg, value: i32): void { this.aluImm(Alu.XOR, size, dst, value); }
  adc(size: i32, dst: Reg, src: Reg): void { this.alu(Alu.ADC, size, dst, src); }
  sbb(size: i32, dst: Reg, src: Reg): void { this.alu(Alu.SBB, size, dst, src); }
  cmp(size: i32, a: Reg, b: Reg): void { this.alu(Alu.CMP, size, a, b); }
  cmpImm(size: i32, a: Reg, value: i32): void { this.aluImm(Alu.CMP, size, a, value); }
  /** `cmp a, [m]`. */
  cmpLoad(size: i32, a: Reg, m: Mem): void { this.aluLoad(Alu.CMP, size, a, m); }
  /** `cmp [m], a`. */
  cmpStore(size: i32, m: Mem, a: Reg): void { this.aluStore(Alu.CMP, size, m, a); }
  /** `cmp [m], imm`. */
  cmpMemImm(size: i32, m: Mem, value: i32): void { this.aluStoreImm(Alu.CMP, size, m, value); }

  /** `test a, b`. */
  // @ts-ignore: decorator
  @inline test(size: i32, a: Reg, b: Reg): void {
    this.emitRegs((sizeFlags(size) << 8) | (size == 1 ? 0x84 : 0x85), b, a);
  }

  /** `test [m], a`. */
  // @ts-ignore: decorator
  @inline testMem(size: i32, m: Mem, a: Reg): void {
    this.emitMem((sizeFlags(size) << 8) | (size == 1 ? 0x84 : 0x85), a, m);
  }

  /** `test a, imm`. */
  testImm(size: i32, a: Reg, value: i32): void {
    const immSize = size == 8 ? 4 : size;
    this.emitRegs(((sizeFlags(size) & ~Enc.BYTE_REG) << 8) | (size == 1 ? 0xf6 : 0xf7), 0, a);
    this.immediate(immSize, value);
  }

  /** `test [m], imm`. */
  testMemImm(size: i32, m: Mem, value: i32): void {
    const immSize = size == 8 ? 4 : size;
    this.emitMem((immSize << 16) | ((sizeFlags(size) & ~Enc.BYTE_REG) << 8) | (size == 1 ? 0xf6 : 0xf7), 0, m);
    this.immediate(immSize, value);
  }

  // ---- multiply, divide, unary -----------------------------------------

  /** `imul dst, src` (the low half of the product). */
  imul(size: i32, dst: Reg, src: Reg): void {
    this.emitRR(0, sizeFlags(size), 0x0faf, dst, src);
  }

  /** `imul dst, src, imm`. */
  imulImm(size: i32, dst: Reg, src: Reg, value: i32): void {
    const short = fitsI8(value);
    this.emitRegs((sizeFlags(size) << 8) | (short ? 0x6b : 0x69), dst, src);
    this.immediate(short ? 1 : size == 2 ? 2 : 4, value);
  }

  /** `imul dst, [m]`. */
  imulLoad(size: i32, dst: Reg, m: Mem): void {
    this.emitRM(0, sizeFlags(size), 0x0faf, dst, m, 0);
  }

  private unary(op: Unary, size: i32, reg: Reg): void {
    this.emitRegs(((sizeFlags(size) & ~Enc.BYTE_REG) << 8) | (size == 1 ? 0xf6 : 0xf7), op, reg);
  }

  neg(size: i32, reg: Reg): void { this.unary(Unary.NEG, size, reg); }
  not(size: i32, reg: Reg): void { this.unary(Unary.NOT, size, reg); }
  /** `mul src`: rdx:rax = rax * src, unsigned. */
  mul(size: i32, src: Reg): void { this.unary(Unary.MUL, size, src); }
  /** `imul src`: rdx:rax = rax * src, signed. */
  imulWide(size: i32, src: Reg): void { this.unary(Unary.IMUL, size, src); }
  /** `div src`: rax = rdx:rax / src, rdx = remainder, unsigned. */
  div(size: i32, src: Reg): void { this.unary(Unary.DIV, size, src); }
  /** `idiv src`: signed division of rdx:rax. */
  idiv(size: i32, src: Reg): void { this.unary(Unary.IDIV, size, src); }

  /** `cdq`: edx = sign of eax. */
  cdq(): void { this.byte(0x99); }
  /** `cqo`: rdx = sign of rax. */
  cqo(): void { this.byte(0x48); this.byte(0x99); }

  // ---- shifts and bit operations ---------------------------------------

  /** `op reg, cl`. */
  shift(op: Shift, size: i32, reg: Reg): void {
    this.emitRegs(((sizeFlags(size) & ~Enc.BYTE_REG) << 8) | (size == 1 ? 0xd2 : 0xd3), op, reg);
  }

  /** `op reg, imm8`. The hardware masks the count to 5 or 6 bits; so does this method. */
  shiftImm(op: Shift, size: i32, reg: Reg, count: i32): void {
    count &= size == 8 ? 63 : 31;
    if (size >= 4) {
      // 32 and 64 bits, with one reserve.
      if (count == 1) {
        this.buffer.commit(this.groupRegister(size, 0xd1, op, reg));
      } else {
        const p = this.groupRegister(size, 0xc1, op, reg);
        store<u8>(p, <u8>count);
        this.buffer.commit(p + 1);
      }
      return;
    }
    const flags = sizeFlags(size) & ~Enc.BYTE_REG;
    if (count == 1) {
      this.emitRegs((flags << 8) | (size == 1 ? 0xd0 : 0xd1), op, reg);
    } else {
      this.emitRegs((flags << 8) | (size == 1 ? 0xc0 : 0xc1), op, reg);
      this.byte(count);
    }
  }

  /** `lzcnt dst, src` (count of leading zeros; size for src of 0). */
  lzcnt(size: i32, dst: Reg, src: Reg): void { this.emitRR(0xf3, sizeFlags(size), 0x0fbd, dst, src); }
  /** `tzcnt dst, src` (count of trailing zeros; size for src of 0). */
  tzcnt(size: i32, dst: Reg, src: Reg): void { this.emitRR(0xf3, sizeFlags(size), 0x0fbc, dst, src); }
  popcnt(size: i32, dst: Reg, src: Reg): void { this.emitRR(0xf3, sizeFlags(size), 0x0fb8, dst, src); }
  /** `bsr dst, src` (index of the highest set bit; dst undefined and ZF set for 0). */
  bsr(size: i32, dst: Reg, src: Reg): void { this.emitRR(0, sizeFlags(size), 0x0fbd, dst, src); }
  /** `bsf dst, src` (index of the lowest set bit; dst undefined and ZF set for 0). */
  bsf(size: i32, dst: Reg, src: Reg): void { this.emitRR(0, sizeFlags(size), 0x0fbc, dst, src); }

  /** `bswap reg` (size 4 or 8). */
  bswap(size: i32, reg: Reg): void {
    this.emitPlusReg(size == 8 ? Enc.W : Enc.NONE, 0x0fc8, reg);
  }

  // ---- conditions ------------------------------------------------------

  /** `setcc reg8`: the low byte of reg becomes 0 or 1; the rest is unchanged. */
  setcc(cond: Cond, reg: Reg): void {
    this.emitRR(0, Enc.BYTE_RM, 0x0f90 + cond, 0, reg);
  }

  /** `cmovcc dst, src` (size 2, 4 or 8; size 4 zero-extends even when the condition fails). */
  cmov(cond: Cond, size: i32, dst: Reg, src: Reg): void {
    this.emitRR(0, sizeFlags(size), 0x0f40 + cond, dst, src);
  }

  /** `cmovcc dst, [m]`. */
  cmovLoad(cond: Cond, size: i32, dst: Reg, m: Mem): void {
    this.emitRM(0, sizeFlags(size), 0x0f40 + cond, dst, m, 0);
  }

  // ---- control transfer ------------------------------------------------

  /** `jmp label`: rel8 when the label is bound and near, else rel32. */
  jmp(label: Label): void {
    this.branch(0xeb, 0xe9, 1, label);
  }

  /** `jcc label`: rel8 when the label is bound and near, else rel32. */
  jcc(cond: Cond, label: Label): void {
    this.branch(0x70 + cond, 0x0f | ((0x80 + cond) << 8), 2, label);
  }

  /** `jmp label` with rel8 always: the caller promises the label is within 127 bytes. */
  jmpShort(label: Label): void { this.byte(0xeb); this.rel8(label); }
  /** `jcc label` with rel8 always. */
  jccShort(cond: Cond, label: Label): void { this.byte(0x70 + cond); this.rel8(label); }

  /** `jmp reg`. */
  jmpReg(reg: Reg): void { this.emitRegs(0xff, 4, reg); }
  /** `jmp [m]`. */
  jmpMem(m: Mem): void { this.emitMem(0xff, 4, m); }

  /** `call rel32`. */
  call(label: Label): void {
    this.branch(-1, 0xe8, 1, label);
  }

  /** `call reg`. */
  callReg(reg: Reg): void { this.emitRegs(0xff, 2, reg); }
  /** `call [m]`. */
  callMem(m: Mem): void { this.emitMem(0xff, 2, m); }

  ret(): void { this.byte(0xc3); }
  /** `leave`: rsp = rbp, pop rbp. */
  leave(): void { this.byte(0xc9); }

  // ---- stack -----------------------------------------------------------

  push(reg: Reg): void { this.emitPlusReg(Enc.NONE, 0x50, reg); }
  pop(reg: Reg): void { this.emitPlusReg(Enc.NONE, 0x58, reg); }

  /** `push imm32` (sign-extended to 64 bits). */
  pushImm(value: i32): void {
    if (fitsI8(value)) { this.byte(0x6a); this.byte(value); return; }
    this.byte(0x68);
    this.u32(value);
  }

  /** `push qword [m]`. */
  pushMem(m: Mem): void { this.emitMem(0xff, 6, m); }

  // ---- string and system instructions ----------------------------------

  /** `rep movsb`: copies rcx bytes from [rsi] to [rdi], in the direction of DF. */
  repMovsb(): void { this.byte(0xf3); this.byte(0xa4); }
  /** `rep movsq`: copies rcx quadwords from [rsi] to [rdi], in the direction of DF. */
  repMovsq(): void { this.byte(0xf3); this.byte(0x48); this.byte(0xa5); }
  /**
   * Copies rcx bytes from [rsi] to [rdi] upwards, quadwords first, then the
   * last 0-7 bytes (`rep movsq`, `rep movsb`); clobbers rdx. The ranges must
   * not overlap.
   */
  copyUpward(): void {
    this.mov(8, Reg.RDX, Reg.RCX);
    this.shiftImm(Shift.SHR, 8, Reg.RCX, 3);
    this.repMovsq();
    this.mov(4, Reg.RCX, Reg.RDX);
    this.andImm(4, Reg.RCX, 7);
    this.repMovsb();
  }
  /** Fills rcx bytes at [rdi] upwards with rax's bytes, quadwords first, then the last 0-7 (`rep stosq`, `rep stosb`); clobbers rdx. */
  fillUpward(): void {
    this.mov(8, Reg.RDX, Reg.RCX);
    this.shiftImm(Shift.SHR, 8, Reg.RCX, 3);
    this.repStosq();
    this.mov(4, Reg.RCX, Reg.RDX);
    this.andImm(4, Reg.RCX, 7);
    this.repStosb();
  }
  /** `rep stosb`: stores al to rcx bytes at [rdi]. */
  repStosb(): void { this.byte(0xf3); this.byte(0xaa); }
  /** `rep stosq`: stores rax to rcx quadwords at [rdi]. */
  repStosq(): void { this.byte(0xf3); this.byte(0x48); this.byte(0xab); }
  /** `cld`: string instructions go upwards (the state System V requires at calls). */
  cld(): void { this.byte(0xfc); }
  /** `std`: string instructions go downwards. */
  std(): void { this.byte(0xfd); }

  syscall(): void { this.byte(0x0f); this.byte(0x05); }
  ud2(): void { this.byte(0x0f); this.byte(0x0b); }
  int3(): void { this.byte(0xcc); }
  hlt(): void { this.byte(0xf4); }
  nop(): void { this.byte(0x90); }

  /**
   * Pads to a multiple of `alignment` with the long NOPs the manuals
   * recommend (`nop` with a memory operand, up to 8 bytes each): a few
   * instructions to decode where single-byte NOPs would be many.
   */
  alignWithNops(alignment: i32): void {
    let pad = (alignment - (this.offset & (alignment - 1))) & (alignment - 1);
    while (pad > 0) {
      const size = min(pad, 8);
      if (size == 1) this.byte(0x90);
      else if (size == 2) { this.byte(0x66); this.byte(0x90); }
      else {
        // 0f 1f /0 with a ModRM of growing displacement: 3 bytes [rax], 4 [rax+d8], 5 [rax+rax+d8],
        // 6 the same with a 66 prefix, 7 [rax+d32], 8 [rax+rax+d32].
        if (size == 6) this.byte(0x66);
        this.byte(0x0f);
        this.byte(0x1f);
        if (size == 3) this.byte(0x00);
        else if (size == 4) { this.byte(0x40); this.byte(0x00); }
        else if (size == 5 || size == 6) { this.byte(0x44); this.byte(0x00); this.byte(0x00); }
        else if (size == 7) { this.byte(0x80); this.u32(0); }
        else { this.byte(0x84); this.byte(0x00); this.u32(0); }
      }
      pad -= size;
    }
  }
  cli(): void { this.byte(0xfa); }
  sti(): void { this.byte(0xfb); }
  /** `rdtsc`: edx:eax = time-stamp counter. */
  rdtsc(): void { this.byte(0x0f); this.byte(0x31); }
  mfence(): void { this.byte(0x0f); this.byte(0xae); this.byte(0xf0); }
  pause(): void { this.byte(0xf3); this.byte(0x90); }
}
