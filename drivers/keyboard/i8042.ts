// The i8042 keyboard controller: its two ports, the bits of its status
// register and the commands the driver gives it and the keyboard behind
// it. QEMU's i8042 (hw/input/pckbd.c with the keyboard of ps2.c) holds up
// to 16 bytes for the driver; the keyboard's replies to commands (ACK,
// echo) come through the same data port as its scancodes.

import { portRead, portWrite, portTake, threadSleep } from "../../ipc/generated/index";

/** The data port: scancodes and replies in, bytes for the keyboard (or a controller command's argument) out. */
export const DATA_PORT: u32 = 0x60;
/** Read: the status register. Write: a controller command. */
export const STATUS_PORT: u32 = 0x64;

/** Status: a byte waits in the data port (output buffer full). */
export const STATUS_OUTPUT_FULL: u32 = 0x01;
/** Status: the controller has not yet taken the last byte written (input buffer full). */
const STATUS_INPUT_FULL: u32 = 0x02;
/** Status: the waiting byte is the mouse's (the auxiliary port's), not the keyboard's. */
export const STATUS_AUXILIARY: u32 = 0x20;

/** Controller command: the next byte written to the data port is the configuration byte. */
const COMMAND_WRITE_CONFIGURATION: u32 = 0x60;
/**
 * The configuration the driver writes: keyboard interrupt on (IRQ 1), the
 * system flag, the mouse's clock off (no mouse bytes in the keyboard's
 * stream) and scancode translation on, so the driver reads set 1 from a
 * keyboard in set 2.
 */
const CONFIGURATION: u32 = 0x01 | 0x04 | 0x20 | 0x40;

/** Keyboard commands and replies. */
export const KEYBOARD_SET_LEDS: u32 = 0xed;
export const KEYBOARD_ECHO: u32 = 0xee;
export const KEYBOARD_SCANCODE_SET: u32 = 0xf0;
export const KEYBOARD_ACK: u32 = 0xfa;
export const KEYBOARD_RESEND: u32 = 0xfe;

/** How many times a write waits for the controller to take the previous byte, 10 µs apart (QEMU takes it at once). */
const WRITE_TRIES: i32 = 1000;

export function status(): u32 {
  return <u32>portRead(STATUS_PORT, 1);
}

/** Waits until the controller can take a byte: false when it never could. */
function writable(): bool {
  for (let tries = 0; tries < WRITE_TRIES; tries++) {
    if ((status() & STATUS_INPUT_FULL) == 0) return true;
    threadSleep(10_000);
  }
  return false;
}

/** Writes a byte to the keyboard (a command or its argument): false when the controller never took it. */
export function writeKeyboard(value: u32): bool {
  if (!writable()) return false;
  portWrite(DATA_PORT, 1, value);
  return true;
}

/**
 * Writes the controller's configuration byte. It only writes, never reads
 * the configuration back: the controller's reply would come through the
 * data port among the scancodes a previous instance left there.
 */
export function configure(): bool {
  if (!writable()) return false;
  portWrite(STATUS_PORT, 1, COMMAND_WRITE_CONFIGURATION);
  return writeKeyboard(CONFIGURATION);
}

/** Takes the waiting byte into `record` with `tag`, in one system call (port.take). */
export function take(tag: u32, record: usize): i32 {
  return portTake(DATA_PORT, 1, tag, record);
}

/** Reads and drops the waiting byte (a mouse byte: not the keyboard's). */
export function drop(): void {
  portRead(DATA_PORT, 1);
}
