// Pulses: small asynchronous messages — a code and a value — for
// interrupts, timers and notifications (QNX pulses). pulse.send never
// blocks: a pulse goes straight into the buffer of a thread waiting in
// msg.receive, or waits in its channel's queue, and msg.receive takes
// queued pulses before any message.
//
// Invariants:
//  - a channel's queue holds at most PULSE_QUEUE_LENGTH pulses, in the
//    order they were sent; a pulse to a full queue fails with QUEUE_FULL
//    (the sender learns it, nothing is lost silently);
//  - a pulse reaches a receiver as a `pulse` record (16 bytes: code,
//    component, value) in its receive buffer, msg.receive returning
//    RECEIVE_ID_PULSE; components send codes 0..PULSE_CODE_MAXIMUM, the
//    kernel negative ones (PULSE_CODE_*), from component 0;
//  - pulses wait only while no thread is receiving; a closed channel
//    takes none (DEAD_SERVER);
//  - a component's end is told to its supervisor by a
//    PULSE_CODE_COMPONENT_ENDED pulse (value: its id) after its names and
//    handles are gone.

import { Thread, WakeReason, wake } from "./thread";
import { Channel } from "./channel";
import { Connection } from "./connection";
import { afterHandlesClose } from "./handle";
import { Component } from "../component/component";
import { FLAG_SEND_VECTOR, VALUE_FLAGS, VALUE_INFO, VALUE_SEND_ADDRESS, VALUE_SEND_SIZE, copyToSide, writeReceiveInfo } from "./message";
import { absolute } from "../arch/x86_64/native";
import * as abi from "../generated/abi";

export const PULSE_QUEUE_LENGTH: i32 = 64;

export class PulseQueue {
  private codes: StaticArray<i32> = new StaticArray<i32>(PULSE_QUEUE_LENGTH);
  private senders: StaticArray<u32> = new StaticArray<u32>(PULSE_QUEUE_LENGTH);
  private values: StaticArray<i64> = new StaticArray<i64>(PULSE_QUEUE_LENGTH);
  private head: i32 = 0;
  count: i32 = 0;

  get isEmpty(): bool { return this.count == 0; }

  /** Queues a pulse; false when the queue is full. */
  push(code: i32, sender: u32, value: i64): bool {
    if (this.count == PULSE_QUEUE_LENGTH) return false;
    const at = (this.head + this.count) % PULSE_QUEUE_LENGTH;
    unchecked(this.codes[at] = code);
    unchecked(this.senders[at] = sender);
    unchecked(this.values[at] = value);
    this.count++;
    return true;
  }

  /**
   * Hands the oldest pulse to `receiver` (its buffers in ipcValues) and
   * drops it from the queue; false, keeping it, when the receiver's
   * buffers faulted.
   */
  deliverFirst(receiver: Thread): bool {
    const at = this.head;
    if (!writePulse(receiver, unchecked(this.codes[at]), unchecked(this.senders[at]), unchecked(this.values[at]))) return false;
    this.head = (this.head + 1) % PULSE_QUEUE_LENGTH;
    this.count--;
    return true;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}

// The pulse record is assembled here, then copied into the receiver's buffers.
const record = memory.data(16, 8);

/**
 * Writes a pulse into a receiving thread's buffer and receiveInfo (only
 * `component` is set): false when the receiver's memory faulted.
 */
function writePulse(receiver: Thread, code: i32, sender: u32, value: i64): bool {
  store<i32>(record + <usize>abi.PULSE_CODE, code);
  store<u32>(record + <usize>abi.PULSE_COMPONENT, sender);
  store<i64>(record + <usize>abi.PULSE_VALUE, value);
  const values = receiver.ipcValues;
  const copied = copyToSide(receiver.component!, <u64>unchecked(values[VALUE_SEND_ADDRESS]), <u64>unchecked(values[VALUE_SEND_SIZE]),
    (unchecked(values[VALUE_FLAGS]) & FLAG_SEND_VECTOR) != 0, <u64>absolute(record), <u64>abi.PULSE_SIZE);
  if (copied < 0) return false;
  return writeReceiveInfo(<u64>unchecked(values[VALUE_INFO]), sender, 0, 0, <u32>abi.PULSE_SIZE, 0);
}

/**
 * Sends a pulse on `channel` from component `sender` (0: the kernel): 0,
 * QUEUE_FULL or DEAD_SERVER. A waiting receiver whose buffers fault gets
 * BAD_ADDRESS from its msg.receive, and the pulse goes to the next.
 */
export function deliverPulse(channel: Channel, code: i32, sender: u32, value: i64): i32 {
  if (!channel.isOpen) return abi.ERROR_DEAD_SERVER;
  while (true) {
    const receiver = channel.receivers.takeFirst();
    if (receiver == null) break;
    const written = writePulse(receiver, code, sender, value);
    receiver.ipcResult = written ? abi.RECEIVE_ID_PULSE : abi.ERROR_BAD_ADDRESS;
    wake(receiver, WakeReason.Woken);
    if (written) return 0;
  }
  return channel.pulses.push(code, sender, value) ? 0 : abi.ERROR_QUEUE_FULL;
}

/** A pulse from the kernel through a connection (a component's end to its supervisor, timers, interrupts). */
export function sendKernelPulse(connection: Connection, code: i32, value: i64): i32 {
  return deliverPulse(connection.channel, code, 0, value);
}

/** pulse.send */
export function pulseSend(caller: Thread, connection: Connection, code: i32, value: i64): i32 {
  if (code < 0 || code > abi.PULSE_CODE_MAXIMUM) return abi.ERROR_INVALID_ARGUMENT;
  return deliverPulse(connection.channel, code, caller.component!.id, value);
}

// A component's end, once its names and handles are gone (so that a
// supervisor restarting it finds its name free): the pulse to its
// supervisor through the connection component.spawn was given.
function tellSupervisor(component: Component): void {
  const notice = component.endNotice;
  if (notice == null || !(notice instanceof Connection)) return;
  sendKernelPulse(changetype<Connection>(notice), abi.PULSE_CODE_COMPONENT_ENDED, <i64>component.id);
}

afterHandlesClose(tellSupervisor);
