// The native stubs of a linux-x64 executable share one assembler (so they
// reach each other and the runtime's code through labels) and this context:
// the layout, the labels of every stub, and a pool of message strings placed
// after the code.
//
// It also holds the reporting helpers the fatal paths use. They build one
// line in the layout's line buffer and never return to wasm, so their
// convention is private: rdi is the write pointer (in and out), rsi/rdx the
// operand; they clobber rax, rcx, rdx, rsi, r8–r10 and leave rbx and r12–r15
// alone.

import { Assembler, Cond, Label, mem, memLabel, Reg, Shift } from "../../x64/assembler";
import { LinuxLayout } from "./layout";
import { EXIT_FATAL, SYS_EXIT_GROUP, SYS_WRITE } from "./system";

export class Stubs {
  a: Assembler = new Assembler();
  layout: LinuxLayout;

  start: Label;
  invoke: Label;
  invokeReturn: Label;
  trap: Label;
  memoryGrow: Label;
  signalHandler: Label;
  signalRestorer: Label;
  runtimeAbort: Label;

  appendBytes: Label;
  appendUtf16: Label;
  appendHex: Label;
  appendDecimal: Label;
  /** Ends the line at rdi, writes it to stderr and exits with EXIT_FATAL. */
  fatalExit: Label;

  private messages: string[] = [];
  private messageLabels: Label[] = [];
  private fatalTexts: string[] = [];
  private fatalLabels: Label[] = [];

  constructor(layout: LinuxLayout) {
    this.layout = layout;
    const a = this.a;
    this.start = a.newLabel();
    this.invoke = a.newLabel();
    this.invokeReturn = a.newLabel();
    this.trap = a.newLabel();
    this.memoryGrow = a.newLabel();
    this.signalHandler = a.newLabel();
    this.signalRestorer = a.newLabel();
    this.runtimeAbort = a.newLabel();
    this.appendBytes = a.newLabel();
    this.appendUtf16 = a.newLabel();
    this.appendHex = a.newLabel();
    this.appendDecimal = a.newLabel();
    this.fatalExit = a.newLabel();
  }

  /** The label of a pooled string (UTF-8, no terminator). */
  message(text: string): Label {
    for (let i = 0; i < this.messages.length; i++) if (this.messages[i] == text) return this.messageLabels[i];
    const label = this.a.newLabel();
    this.messages.push(text);
    this.messageLabels.push(label);
    return label;
  }

  /** Emits `append(text)` at rdi. */
  append(text: string): void {
    const a = this.a;
    a.lea(8, Reg.RSI, memLabel(this.message(text)));
    a.movImm(4, Reg.RDX, String.UTF8.byteLength(text));
    a.call(this.appendBytes);
  }

  /** Emits: start a line in the line buffer with `text` (rdi points past it). */
  beginLine(text: string): void {
    this.a.movImm(8, Reg.RDI, <i64>this.layout.lineBuffer);
    this.append(text);
  }

  /** An out-of-line `fatal: TEXT` exit; jump to the returned label. */
  fatal(text: string): Label {
    const label = this.a.newLabel();
    this.fatalTexts.push(text);
    this.fatalLabels.push(label);
    return label;
  }
  /** The reporting helpers, the pending fatal exits and the string pool. Emit last. */
  emitTail(): void {
    const a = this.a;
    for (let i = 0; i < this.fatalTexts.length; i++) {
      a.bind(this.fatalLabels[i]);
      this.beginLine("fatal: " + this.fatalTexts[i]);
      a.jmp(this.fatalExit);
    }
    this.emitHelpers();
    for (let i = 0; i < this.messages.length; i++) {
      a.bind(this.messageLabels[i]);
      const bytes = Uint8Array.wrap(String.UTF8.encode(this.messages[i]));
      a.buffer.copyFrom(bytes.dataStart, bytes.length);
    }
  }

  private emitHelpers(): void {
    const a = this.a;

    // appendBytes(rdi, rsi = source, rdx = length)
    a.align(16);
    a.bind(this.appendBytes);
    a.mov(8, Reg.RCX, Reg.RDX);
    a.cld();
    a.repMovsb();
    a.ret();

    // appendUtf16(rdi, rsi = UTF-16 text, rdx = length in bytes, r8 = end
    // of the room): ASCII characters as they are, others as '?'.
    a.align(16);
    a.bind(this.appendUtf16);
    const utf16Loop = a.newLabel();
    const utf16Done = a.newLabel();
    const utf16Ascii = a.newLabel();
    a.shiftImm(Shift.SHR, 8, Reg.RDX, 1);
    a.bind(utf16Loop);
    a.test(8, Reg.RDX, Reg.RDX);
    a.jcc(Cond.E, utf16Done);
    a.cmp(8, Reg.RDI, Reg.R8);
    a.jcc(Cond.AE, utf16Done);
    a.loadZeroExtend(2, Reg.RAX, mem(Reg.RSI));
    a.cmpImm(4, Reg.RAX, 0x80);
    a.jcc(Cond.B, utf16Ascii);
    a.movImm(4, Reg.RAX, 0x3f);
    a.bind(utf16Ascii);
    a.store(1, mem(Reg.RDI), Reg.RAX);
    a.addImm(8, Reg.RDI, 1);
    a.addImm(8, Reg.RSI, 2);
    a.subImm(8, Reg.RDX, 1);
    a.jmp(utf16Loop);
    a.bind(utf16Done);
    a.ret();

    // appendHex(rdi, rsi = value): lowercase hex digits, no leading zeros.
    a.align(16);
    a.bind(this.appendHex);
    const hexLoop = a.newLabel();
    const hexEmit = a.newLabel();
    const hexNext = a.newLabel();
    const hexDigit = a.newLabel();
    a.movImm(4, Reg.RCX, 60);
    a.xor(4, Reg.R8, Reg.R8);
    a.bind(hexLoop);
    a.mov(8, Reg.RAX, Reg.RSI);
    a.shift(Shift.SHR, 8, Reg.RAX);
    a.andImm(4, Reg.RAX, 15);
    a.test(4, Reg.R8, Reg.R8);
    a.jcc(Cond.NE, hexEmit);
    a.test(4, Reg.RAX, Reg.RAX);
    a.jcc(Cond.NE, hexEmit);
    a.test(4, Reg.RCX, Reg.RCX);
    a.jcc(Cond.NE, hexNext);
    a.bind(hexEmit);
    a.movImm(4, Reg.R8, 1);
    a.cmpImm(4, Reg.RAX, 10);
    a.jcc(Cond.B, hexDigit);
    a.addImm(4, Reg.RAX, 0x61 - 10 - 0x30);
    a.bind(hexDigit);
    a.addImm(4, Reg.RAX, 0x30);
    a.store(1, mem(Reg.RDI), Reg.RAX);
    a.addImm(8, Reg.RDI, 1);
    a.bind(hexNext);
    a.subImm(4, Reg.RCX, 4);
    a.jcc(Cond.NS, hexLoop);
    a.ret();

    // appendDecimal(rdi, rsi = unsigned value): digits are produced last
    // first into a scratch area below the stack pointer, then copied.
    a.align(16);
    a.bind(this.appendDecimal);
    const decimalLoop = a.newLabel();
    a.subImm(8, Reg.RSP, 32);
    a.lea(8, Reg.R9, mem(Reg.RSP, 32));
    a.mov(8, Reg.RAX, Reg.RSI);
    a.movImm(4, Reg.R10, 10);
    a.bind(decimalLoop);
    a.xor(4, Reg.RDX, Reg.RDX);
    a.div(8, Reg.R10);
    a.addImm(4, Reg.RDX, 0x30);
    a.subImm(8, Reg.R9, 1);
    a.store(1, mem(Reg.R9), Reg.RDX);
    a.test(8, Reg.RAX, Reg.RAX);
    a.jcc(Cond.NE, decimalLoop);
    a.lea(8, Reg.RCX, mem(Reg.RSP, 32));
    a.sub(8, Reg.RCX, Reg.R9);
    a.mov(8, Reg.RSI, Reg.R9);
    a.cld();
    a.repMovsb();
    a.addImm(8, Reg.RSP, 32);
    a.ret();

    // fatalExit(rdi): newline, write(2, line), exit_group(EXIT_FATAL).
    a.align(16);
    a.bind(this.fatalExit);
    a.storeImm(1, mem(Reg.RDI), 10);
    a.addImm(8, Reg.RDI, 1);
    a.movImm(8, Reg.RSI, <i64>this.layout.lineBuffer);
    a.mov(8, Reg.RDX, Reg.RDI);
    a.sub(8, Reg.RDX, Reg.RSI);
    a.movImm(4, Reg.RDI, 2);
    a.movImm(4, Reg.RAX, SYS_WRITE);
    a.syscall();
    a.movImm(4, Reg.RDI, EXIT_FATAL);
    a.movImm(4, Reg.RAX, SYS_EXIT_GROUP);
    a.syscall();
    a.ud2();
  }
}
