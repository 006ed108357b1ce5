// COM1, the kernel's console: a 16550 UART at I/O port 0x3F8, programmed
// for 115200 baud, 8 data bits, no parity, one stop bit, FIFOs on, its
// interrupts off (the kernel polls). Output waits for the transmitter, but
// only so long: a machine without a UART must not hang the kernel. With
// its FIFO on, one wait for an empty transmitter makes room for 16 bytes.

import { inb, outb, pause } from "./cpu";

const COM1: i32 = 0x3f8;
const DATA: i32 = COM1;
const INTERRUPT_ENABLE: i32 = COM1 + 1;
const FIFO_CONTROL: i32 = COM1 + 2;
const LINE_CONTROL: i32 = COM1 + 3;
const MODEM_CONTROL: i32 = COM1 + 4;
const LINE_STATUS: i32 = COM1 + 5;
const DATA_READY: i32 = 0x01;
const TRANSMIT_EMPTY: i32 = 0x20;
const SPIN_LIMIT: i32 = 100000;

export function serialInit(): void {
  outb(INTERRUPT_ENABLE, 0x00);
  outb(LINE_CONTROL, 0x80);   // divisor latch
  outb(DATA, 0x01);           // 115200 baud
  outb(INTERRUPT_ENABLE, 0x00);
  outb(LINE_CONTROL, 0x03);   // 8N1
  outb(FIFO_CONTROL, 0xc7);   // FIFOs on and cleared, 14-byte threshold
  outb(MODEM_CONTROL, 0x03);  // DTR, RTS
}

/** Bytes serialWriteBurst writes after one wait: the transmitter's FIFO holds 16. */
export const SERIAL_BURST: i32 = 16;

/** Waits, so long at most, for an empty transmitter (and FIFO). */
function waitForTransmitter(): void {
  for (let spins = 0; spins < SPIN_LIMIT; spins++) {
    if ((inb(LINE_STATUS) & TRANSMIT_EMPTY) != 0) break;
    pause();
  }
}

export function serialWrite(byte: i32): void {
  waitForTransmitter();
  outb(DATA, byte);
}

/** Writes `count` (at most SERIAL_BURST) bytes from `address` into the empty FIFO. */
export function serialWriteBurst(address: usize, count: i32): void {
  waitForTransmitter();
  for (let i = 0; i < count; i++) outb(DATA, <i32>load<u8>(address + <usize>i));
}

/** The next received byte, or -1 when none is waiting. */
export function serialRead(): i32 {
  if ((inb(LINE_STATUS) & DATA_READY) == 0) return -1;
  return inb(DATA);
}
