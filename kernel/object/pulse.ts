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
//  - a component has at most its `pulses` limit of pulses waiting in
//    queues (`Component.queuedPulses`, counted up when one is queued and
//    down when it is received or its channel closes); beyond it pulse.send
//    fails with QUOTA_EXCEEDED, so no one component fills a queue for
//    others. Kernel pulses are not counted;
//  - end notices (PULSE_CODE_COMPONENT_ENDED) wait outside the counted
//    queue, in a list of their own that nothing else fills, and are
//    received first: a flood of other pulses cannot crowd out a
//    supervisor's news of a child's end (each child ends once, so the list
//    holds at most one notice per child);
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
import { Component } from "../component/component";
import { LIMIT_PULSES } from "../component/manifest";
import { FLAG_SEND_VECTOR, VALUE_FLAGS, VALUE_INFO, VALUE_SEND_ADDRESS, VALUE_SEND_SIZE, copyToSide, writeReceiveInfo } from "./message";
import { absolute } from "../arch/x86_64/native";
import * as abi from "../generated/abi";

export const PULSE_QUEUE_LENGTH: i32 = 64;

export class PulseQueue {
  private codes: StaticArray<i32> = new StaticArray<i32>(PULSE_QUEUE_LENGTH);
  private senders: StaticArray<u32> = new StaticArray<u32>(PULSE_QUEUE_LENGTH);
  private values: StaticArray<i64> = new StaticArray<i64>(PULSE_QUEUE_LENGTH);
  /**
   * The sending component of each pulse by address (0: the kernel), whose
   * queuedPulses it counts in. Components are never freed (the registry
   * keeps every one for component.status), so the address stays valid.
   */
  private owners: StaticArray<usize> = new StaticArray<usize>(PULSE_QUEUE_LENGTH);
  private head: i32 = 0;
  /** Pulses in the ring. */
  private queued: i32 = 0;
  /** Ids of components whose end notice waits, oldest first. */
  private endNotices: u32[] = [];
  /** Everything waiting: the ring's pulses and the end notices (channel.ts reads it in place). */
  count: i32 = 0;

  get isEmpty(): bool { return this.count == 0; }

  /** Queues a pulse from `owner` (null: the kernel); false when the queue is full. */
  push(code: i32, sender: u32, value: i64, owner: Component | null): bool {
    if (this.queued == PULSE_QUEUE_LENGTH) return false;
    const at = (this.head + this.queued) % PULSE_QUEUE_LENGTH;
    unchecked(this.codes[at] = code);
    unchecked(this.senders[at] = sender);
    unchecked(this.values[at] = value);
    unchecked(this.owners[at] = changetype<usize>(owner));
    if (owner != null) owner.queuedPulses++;
    this.queued++;
    this.count++;
    return true;
  }

  /** Queues the end notice of component `id`, outside the ring. */
  pushEndNotice(id: u32): void {
    this.endNotices.push(id);
    this.count++;
  }

  /**
   * Hands the first end notice, else the oldest pulse, to `receiver` (its
   * buffers in ipcValues) and drops it from the queue; false, keeping it,
   * when the receiver's buffers faulted.
   */
  deliverFirst(receiver: Thread): bool {
    if (this.endNotices.length > 0) {
      if (!writePulse(receiver, abi.PULSE_CODE_COMPONENT_ENDED, 0, <i64>this.endNotices[0])) return false;
      this.endNotices.shift();
      this.count--;
      return true;
    }
    const at = this.head;
    if (!writePulse(receiver, unchecked(this.codes[at]), unchecked(this.senders[at]), unchecked(this.values[at]))) return false;
    this.release(at);
    this.head = (this.head + 1) % PULSE_QUEUE_LENGTH;
    this.queued--;
    this.count--;
    return true;
  }

  /** The pulse at `at` leaves the queue: its sender has one fewer queued. */
  private release(at: i32): void {
    const owner = unchecked(this.owners[at]);
    if (owner != 0) changetype<Component>(owner).queuedPulses--;
  }

  clear(): void {
    for (let i = 0; i < this.queued; i++) this.release((this.head + i) % PULSE_QUEUE_LENGTH);
    this.head = 0;
    this.queued = 0;
    this.endNotices.length = 0;
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
 * Hands a pulse to a thread waiting to receive on `channel`; false when
 * none waits. A waiting receiver whose buffers fault gets BAD_ADDRESS from
 * its msg.receive, and the pulse goes to the next.
 */
function handToReceiver(channel: Channel, code: i32, sender: u32, value: i64): bool {
  while (true) {
    const receiver = channel.receivers.takeFirst();
    if (receiver == null) return false;
    const written = writePulse(receiver, code, sender, value);
    receiver.ipcResult = written ? abi.RECEIVE_ID_PULSE : abi.ERROR_BAD_ADDRESS;
    wake(receiver, WakeReason.Woken);
    if (written) return true;
  }
}

/**
 * Sends a pulse on `channel` from component `owner` (null: the kernel):
 * 0, QUEUE_FULL, QUOTA_EXCEEDED (it would queue one more than its `pulses`
 * limit) or DEAD_SERVER.
 */
export function deliverPulse(channel: Channel, code: i32, owner: Component | null, value: i64): i32 {
  if (!channel.isOpen) return abi.ERROR_DEAD_SERVER;
  const sender = owner != null ? owner.id : 0;
  if (handToReceiver(channel, code, sender, value)) return 0;
  if (owner != null && <i64>owner.queuedPulses >= owner.limit(LIMIT_PULSES)) return abi.ERROR_QUOTA_EXCEEDED;
  return channel.pulses.push(code, sender, value, owner) ? 0 : abi.ERROR_QUEUE_FULL;
}

/** A pulse from the kernel through a connection (timers, interrupts). */
export function sendKernelPulse(connection: Connection, code: i32, value: i64): i32 {
  return deliverPulse(connection.channel, code, null, value);
}

/** pulse.send */
export function pulseSend(caller: Thread, connection: Connection, code: i32, value: i64): i32 {
  if (code < 0 || code > abi.PULSE_CODE_MAXIMUM) return abi.ERROR_INVALID_ARGUMENT;
  return deliverPulse(connection.channel, code, caller.component, value);
}

/**
 * A component's end, once its names and handles are gone (so that a
 * supervisor restarting it finds its name free; component/end.ts): the
 * pulse to its supervisor through the connection component.spawn was
 * given, queued outside the counted queue when nobody is receiving.
 */
export function tellSupervisor(component: Component): void {
  const notice = component.endNotice;
  if (notice == null || !(notice instanceof Connection)) return;
  const channel = changetype<Connection>(notice).channel;
  if (!channel.isOpen || handToReceiver(channel, abi.PULSE_CODE_COMPONENT_ENDED, 0, <i64>component.id)) return;
  channel.pulses.pushEndNotice(component.id);
}
