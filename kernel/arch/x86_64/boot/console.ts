// Text output of the boot stub: COM1 programmed directly through its I/O
// ports (16550 UART at 0x3F8: 115200 baud, 8N1, FIFOs on), the firmware's
// text console (ConOut->OutputString, UTF-16) while boot services run, and
// number formatting. After ExitBootServices only COM1 remains.

import { Cond, Reg, Shift, mem, memIndex, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import { TEXT_OUTPUT_STRING } from "./efi";
import { StubContext } from "./context";

const COM1: i32 = 0x3f8;
const LINE_STATUS: i32 = COM1 + 5;
const TRANSMIT_EMPTY: i32 = 0x20;
/** Polls of the line status before writing anyway (a missing UART must not hang the boot). */
const SPIN_LIMIT: i32 = 100000;

function outPort(c: StubContext, port: i32, value: i32): void {
  const asm = c.p.asm;
  asm.movImm(4, Reg.RDX, port);
  asm.movImm(4, Reg.RAX, value);
  asm.outDx(1);
}

export function emitConsole(c: StubContext): void {
  const asm = c.p.asm;

  // serial_init: 115200 baud (divisor 1), 8 data bits, no parity, 1 stop bit, FIFOs on, interrupts off.
  asm.bind(c.serialInit);
  outPort(c, COM1 + 1, 0x00);
  outPort(c, COM1 + 3, 0x80);
  outPort(c, COM1 + 0, 0x01);
  outPort(c, COM1 + 1, 0x00);
  outPort(c, COM1 + 3, 0x03);
  outPort(c, COM1 + 2, 0xc7);
  outPort(c, COM1 + 4, 0x03);
  asm.ret();

  // serial_putc(al): waits for the transmitter, then sends. Clobbers rax, rcx, rdx, r8.
  asm.bind(c.serialPutc);
  {
    const wait = asm.newLabel(), send = asm.newLabel();
    asm.mov(4, Reg.R8, Reg.RAX);
    asm.movImm(4, Reg.RCX, SPIN_LIMIT);
    asm.movImm(4, Reg.RDX, LINE_STATUS);
    asm.bind(wait);
    asm.inDx(1);
    asm.testImm(1, Reg.RAX, TRANSMIT_EMPTY);
    asm.jcc(Cond.NE, send);
    asm.pause();
    asm.subImm(4, Reg.RCX, 1);
    asm.jcc(Cond.NE, wait);
    asm.bind(send);
    asm.movImm(4, Reg.RDX, COM1);
    asm.mov(4, Reg.RAX, Reg.R8);
    asm.outDx(1);
    asm.ret();
  }

  // serial_write(rsi): a zero-terminated ASCII string; "\n" goes out as "\r\n".
  asm.bind(c.serialWrite);
  {
    const loop = asm.newLabel(), put = asm.newLabel(), done = asm.newLabel();
    asm.bind(loop);
    asm.loadZeroExtend(1, Reg.RAX, mem(Reg.RSI));
    asm.test(4, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.E, done);
    asm.cmpImm(4, Reg.RAX, 10);
    asm.jcc(Cond.NE, put);
    asm.movImm(4, Reg.RAX, 13);
    asm.call(c.serialPutc);
    asm.movImm(4, Reg.RAX, 10);
    asm.bind(put);
    asm.call(c.serialPutc);
    asm.addImm(8, Reg.RSI, 1);
    asm.jmp(loop);
    asm.bind(done);
    asm.ret();
  }

  // console_write(rsi): converts to UTF-16 in chunks and calls ConOut->OutputString,
  // while consoleActive is set. rsi and rdi survive the firmware calls (callee-saved there).
  asm.bind(c.consoleWrite);
  {
    const loop = asm.newLabel(), store = asm.newLabel(), end = asm.newLabel(), out = asm.newLabel(), flush = asm.newLabel();
    asm.push(Reg.RBX);
    asm.subImm(8, Reg.RSP, 32);
    asm.cmpMemImm(8, memLabel(c.consoleActive), 0);
    asm.jcc(Cond.E, out);
    asm.lea(8, Reg.RDI, memLabel(c.utf16));
    asm.xor(4, Reg.RBX, Reg.RBX);
    asm.bind(loop);
    asm.loadZeroExtend(1, Reg.RAX, mem(Reg.RSI));
    asm.test(4, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.E, end);
    asm.cmpImm(4, Reg.RAX, 10);
    asm.jcc(Cond.NE, store);
    asm.storeImm(2, memIndex(Reg.RDI, Reg.RBX, 2), 13);
    asm.addImm(4, Reg.RBX, 1);
    asm.bind(store);
    asm.store(2, memIndex(Reg.RDI, Reg.RBX, 2), Reg.RAX);
    asm.addImm(4, Reg.RBX, 1);
    asm.addImm(8, Reg.RSI, 1);
    asm.cmpImm(4, Reg.RBX, StubContext.UTF16_UNITS - 4);
    asm.jcc(Cond.B, loop);
    asm.call(flush);
    asm.jmp(loop);
    asm.bind(end);
    asm.call(flush);
    asm.bind(out);
    asm.addImm(8, Reg.RSP, 32);
    asm.pop(Reg.RBX);
    asm.ret();

    // flush: terminate, OutputString(conOut, utf16), empty the buffer. Entered by call with rsp = 8 mod 16.
    asm.bind(flush);
    asm.subImm(8, Reg.RSP, 40);
    asm.storeImm(2, memIndex(Reg.RDI, Reg.RBX, 2), 0);
    asm.load(8, Reg.RCX, memLabel(c.conOut));
    asm.mov(8, Reg.RDX, Reg.RDI);
    asm.callMem(mem(Reg.RCX, TEXT_OUTPUT_STRING));
    asm.xor(4, Reg.RBX, Reg.RBX);
    asm.addImm(8, Reg.RSP, 40);
    asm.ret();
  }

  // print(rsi): COM1, then the firmware console.
  asm.bind(c.print);
  asm.push(Reg.RSI);
  asm.call(c.serialWrite);
  asm.pop(Reg.RSI);
  asm.jmp(c.consoleWrite);

  // format_hex(rax) -> rsi: "0x" and the hex digits, without leading zeros.
  asm.bind(c.formatHex);
  {
    const loop = asm.newLabel(), digit = asm.newLabel();
    asm.lea(8, Reg.RDI, memLabel(c.numbers));
    asm.addImm(8, Reg.RDI, 31);
    asm.storeImm(1, mem(Reg.RDI), 0);
    asm.bind(loop);
    asm.subImm(8, Reg.RDI, 1);
    asm.mov(4, Reg.RCX, Reg.RAX);
    asm.andImm(4, Reg.RCX, 15);
    asm.addImm(4, Reg.RCX, 48);
    asm.cmpImm(4, Reg.RCX, 58);
    asm.jcc(Cond.B, digit);
    asm.addImm(4, Reg.RCX, 39);
    asm.bind(digit);
    asm.store(1, mem(Reg.RDI), Reg.RCX);
    asm.shiftImm(Shift.SHR, 8, Reg.RAX, 4);
    asm.jcc(Cond.NE, loop);
    asm.subImm(8, Reg.RDI, 2);
    asm.storeImm(1, mem(Reg.RDI), 48);
    asm.storeImm(1, mem(Reg.RDI, 1), 120);
    asm.mov(8, Reg.RSI, Reg.RDI);
    asm.ret();
  }

  // format_decimal(rax) -> rsi: unsigned decimal.
  asm.bind(c.formatDecimal);
  {
    const loop = asm.newLabel();
    asm.lea(8, Reg.RDI, memLabel(c.numbers));
    asm.addImm(8, Reg.RDI, 31);
    asm.storeImm(1, mem(Reg.RDI), 0);
    asm.movImm(4, Reg.RCX, 10);
    asm.bind(loop);
    asm.xor(4, Reg.RDX, Reg.RDX);
    asm.div(8, Reg.RCX);
    asm.addImm(4, Reg.RDX, 48);
    asm.subImm(8, Reg.RDI, 1);
    asm.store(1, mem(Reg.RDI), Reg.RDX);
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, loop);
    asm.mov(8, Reg.RSI, Reg.RDI);
    asm.ret();
  }
}
