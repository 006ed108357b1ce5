// Copying messages between linear memories. All components live in one
// address space, so a message goes from the sender's memory straight into
// the receiver's — one copy per contiguous piece, no buffer in between —
// by whichever thread finds the other side waiting.
//
// A side of a transfer is one buffer (an absolute address and a length,
// checked by the dispatch) or an iovec array (an absolute address and a
// count). An iovec array lies in its component's memory, where another
// thread of that component may rewrite it while its owner is blocked: so
// each entry is checked against the memory's current length again when it
// is used, and one that reaches outside counts as empty. The memory's
// length only grows while the component lives, and a side is only used
// while its thread waits in the kernel, so a checked range stays valid.
// Every access to those memories goes through the checked copies of
// component/copy.ts: a piece whose pages fault (a read-only mapping, a
// hole left by an unmapped object) stops the transfer with -1, and
// lastFaultWasWrite() says which side is to blame: a write faults on the
// destination, a read on the source.

import { Component } from "../component/component";
import { copyUser, readUser, readUserU32, writeUser } from "../component/copy";
import { absolute } from "../arch/x86_64/native";
import * as abi from "../generated/abi";
import { IOVEC_ADDRESS, IOVEC_LENGTH, IOVEC_SIZE } from "../generated/abi";

// What a thread waiting in message passing keeps in Thread.ipcValues.
/** Sender: the message's buffers; receiver: where to receive (address, and length or iovec count). */
export const VALUE_SEND_ADDRESS: i32 = 0;
export const VALUE_SEND_SIZE: i32 = 1;
/** Sender: where the reply goes. */
export const VALUE_REPLY_ADDRESS: i32 = 2;
export const VALUE_REPLY_SIZE: i32 = 3;
/** FLAG_* below. */
export const VALUE_FLAGS: i32 = 4;
/** Receiver: where its receiveInfo goes (absolute; 0: not wanted). */
export const VALUE_INFO: i32 = 5;

/** The send (or receive) side is an iovec array. */
export const FLAG_SEND_VECTOR: i64 = 1;
export const FLAG_REPLY_VECTOR: i64 = 2;
/** The sender transfers a handle (its channel's transfers hold it). */
export const FLAG_TRANSFER: i64 = 4;

/** Walks the pieces of one side of a transfer. */
export class Cursor {
  private base: u64 = 0;
  private limit: u64 = 0;
  private address: u64 = 0;
  private size: u64 = 0;
  private vector: bool = false;
  private index: u64 = 0;
  /** The current piece: where the next byte is, and bytes left in it. */
  at: u64 = 0;
  left: u64 = 0;

  /** Starts at the first piece of `size` bytes at `address` (vector: `size` iovec entries there) in `component`'s memory. */
  start(component: Component, address: u64, size: u64, vector: bool): Cursor {
    this.base = component.memoryBase;
    this.limit = component.memoryLength;
    this.address = address;
    this.size = size;
    this.vector = vector;
    this.index = 0;
    this.left = 0;
    this.advance();
    return this;
  }

  /** Moves to the next non-empty piece; false when there is none. */
  advance(): bool {
    if (!this.vector) {
      if (this.index > 0) { this.left = 0; return false; }
      this.index = 1;
      this.at = this.address;
      this.left = this.size;
      return this.left > 0;
    }
    while (this.index < this.size) {
      const entry = <i64>(this.address + this.index * <u64>IOVEC_SIZE);
      this.index++;
      // An entry that cannot be read counts as empty, like one reaching outside.
      const offset = readUserU32(<u64>entry + <u64>IOVEC_ADDRESS);
      const length = readUserU32(<u64>entry + <u64>IOVEC_LENGTH);
      if (offset < 0 || length <= 0 || <u64>offset + <u64>length > this.limit) continue;
      this.at = this.base + <u64>offset;
      this.left = <u64>length;
      return true;
    }
    this.left = 0;
    return false;
  }

  /** Takes `bytes` (at most `left`) off the current piece, moving to the next when it is used up. */
  consume(bytes: u64): void {
    this.at += bytes;
    this.left -= bytes;
    if (this.left == 0) this.advance();
  }

  /** Skips `bytes`; false when the side is shorter. */
  skip(bytes: u64): bool {
    while (bytes > 0) {
      if (this.left == 0) return false;
      const step = bytes < this.left ? bytes : this.left;
      this.consume(step);
      bytes -= step;
    }
    return true;
  }

  /** Bytes from here to the end. */
  remaining(): u64 {
    let total: u64 = 0;
    while (this.left > 0) {
      total += this.left;
      this.consume(this.left);
    }
    return total;
  }
}

// Scratch cursors: kernel code runs with interrupts off on one processor, so one pair serves every transfer.
const source = new Cursor();
const destination = new Cursor();

/** What transfer returns when a page fault stopped it (lastFaultWasWrite() tells which side). */
export const TRANSFER_FAULT: i64 = -1;

/**
 * Copies from one side (skipping `skip` bytes) into the other, as much as
 * fits: the bytes copied, or TRANSFER_FAULT. `from` and `to` are
 * (component, address, size, vector) as Cursor.start takes them.
 */
// @ts-ignore: decorator
@inline export function transfer(
  fromComponent: Component, fromAddress: u64, fromSize: u64, fromVector: bool,
  toComponent: Component, toAddress: u64, toSize: u64, toVector: bool, skip: u64,
): i64 {
  // The common case, one buffer each: one copy, inlined into every message call.
  if (fromVector || toVector) return transferPieces(fromComponent, fromAddress, fromSize, fromVector, toComponent, toAddress, toSize, toVector, skip);
  if (skip >= fromSize) return 0;
  const available = fromSize - skip;
  const length = available < toSize ? available : toSize;
  if (!copyUser(toAddress, fromAddress + skip, length)) return TRANSFER_FAULT;
  return <i64>length;
}

/** transfer where either side is an iovec array. */
function transferPieces(
  fromComponent: Component, fromAddress: u64, fromSize: u64, fromVector: bool,
  toComponent: Component, toAddress: u64, toSize: u64, toVector: bool, skip: u64,
): i64 {
  const from = source.start(fromComponent, fromAddress, fromSize, fromVector);
  const to = destination.start(toComponent, toAddress, toSize, toVector);
  if (!from.skip(skip)) return 0;
  let copied: u64 = 0;
  while (from.left > 0 && to.left > 0) {
    const length = from.left < to.left ? from.left : to.left;
    if (!copyUser(to.at, from.at, length)) return TRANSFER_FAULT;
    from.consume(length);
    to.consume(length);
    copied += length;
  }
  return <i64>copied;
}

/** Bytes a side holds (the sum of its pieces). */
// @ts-ignore: decorator
@inline export function sideLength(component: Component, address: u64, size: u64, vector: bool): u64 {
  return vector ? vectorLength(component, address, size) : size;
}

function vectorLength(component: Component, address: u64, count: u64): u64 {
  return source.start(component, address, count, true).remaining();
}

/** Copies `length` bytes from absolute `local` (the kernel's memory) into a side (a pulse into a receive buffer): bytes copied, or TRANSFER_FAULT. */
export function copyToSide(component: Component, address: u64, size: u64, vector: bool, local: u64, length: u64): i64 {
  const to = destination.start(component, address, size, vector);
  let copied: u64 = 0;
  while (copied < length && to.left > 0) {
    const step = length - copied < to.left ? length - copied : to.left;
    if (!copyUser(to.at, local + copied, step)) return TRANSFER_FAULT;
    to.consume(step);
    copied += step;
  }
  return <i64>copied;
}

// The receiveInfo is assembled here, then copied into the receiver's memory in one checked copy.
const infoRecord = memory.data(<i32>abi.RECEIVE_INFO_SIZE, 8);

/** Writes a receiveInfo to a receiver's absolute `info` (0: not wanted): false when its memory faulted. */
export function writeReceiveInfo(info: u64, component: u32, thread: u32, priority: u32, sendLength: u32, replyLength: u32): bool {
  if (info == 0) return true;
  return storeReceiveInfo(info, component, thread, priority, sendLength, replyLength);
}

/** writeReceiveInfo to a non-zero `info`, inlined (the message fast path, fast-path.ts). */
// @ts-ignore: decorator
@inline export function storeReceiveInfo(info: u64, component: u32, thread: u32, priority: u32, sendLength: u32, replyLength: u32): bool {
  store<u32>(infoRecord + <usize>abi.RECEIVE_INFO_COMPONENT, component);
  store<u32>(infoRecord + <usize>abi.RECEIVE_INFO_THREAD, thread);
  store<u32>(infoRecord + <usize>abi.RECEIVE_INFO_PRIORITY, priority);
  store<u32>(infoRecord + <usize>abi.RECEIVE_INFO_SEND_LENGTH, sendLength);
  store<u32>(infoRecord + <usize>abi.RECEIVE_INFO_REPLY_LENGTH, replyLength);
  store<u32>(infoRecord + <usize>abi.RECEIVE_INFO_HANDLE, 0);
  return copyUser(info, <u64>absolute(infoRecord), abi.RECEIVE_INFO_SIZE);
}

/** Writes the handle field of a receiveInfo whose other bytes writeReceiveInfo has written (so this cannot fault). */
export function writeReceiveHandle(info: u64, handle: u32): void {
  store<u32>(infoRecord, handle);
  writeUser(info + <u64>abi.RECEIVE_INFO_HANDLE, infoRecord, 4);
}

// Checks the generated dispatch makes (kernel/generated/dispatch.ts).

/** Every entry of the iovec array at absolute `address` (count entries, inside the memory) can be read and names a range inside `length`. */
export function iovecsInside(address: u64, count: u32, length: u64): bool {
  for (let i: u32 = 0; i < count; i++) {
    const entry = address + <u64>i * <u64>IOVEC_SIZE;
    const offset = readUserU32(entry + <u64>IOVEC_ADDRESS);
    const size = readUserU32(entry + <u64>IOVEC_LENGTH);
    if (offset < 0 || size < 0 || <u64>offset + <u64>size > length) return false;
  }
  return true;
}

/**
 * The string of `length` bytes at absolute `address`, copied into the
 * kernel; null when it cannot be read or holds a control character.
 */
export function readString(address: u64, length: u32): string | null {
  const bytes = new Uint8Array(length);
  if (length > 0 && !readUser(bytes.dataStart, address, <u64>length)) return null;
  for (let i: u32 = 0; i < length; i++) {
    const byte = unchecked(bytes[i]);
    if (byte < 0x20 || byte == 0x7f) return null;
  }
  return String.UTF8.decodeUnsafe(bytes.dataStart, length);
}
