// Interrupts: a device interrupt line owned by a driver and delivered as
// pulses (QNX InterruptAttachEvent). interrupt.attach routes the line
// (arch/x86_64/interrupt-lines.ts) and opens it; when it fires, the
// kernel's handler sends the driver's pulse through the driver's
// connection, from component 0, and sends nothing more until the driver
// has serviced its device and called interrupt.unmask:
//
//   line fires ─▶ handler: count it; mask (level lines); pulse(code, count) ─▶ driver's msg.receive wakes
//                                                                              services the device
//   next pulse ◀─ the line is open again ◀──────────────────────────────────── interrupt.unmask
//
// The pulse's value is the number of interrupts it tells of: 1, or more
// when some could not be told at once (below). A level-triggered line is
// masked at the I/O APIC as soon as it fires, since it stays asserted until
// the device is serviced. An edge-triggered line is masked only when a
// second interrupt comes before the first is told and unmasked — an I/O
// APIC drops edges on a masked input, so masking it at once would lose an
// interrupt that came while the driver worked — and that interrupt is
// counted and told at the unmask.
//
// Invariants:
//  - at most one Interrupt per line (per GSI), in `attached`, from attach
//    until its handle closes (interrupt.detach is handle.close; a
//    component's end closes it too): then the line is masked and free for
//    the next attach, by the next instance of the driver;
//  - its handle has CONTROL only: one handle, never duplicated or moved;
//  - `held`: a pulse went out and the driver has not unmasked since, so no
//    other pulse goes out; `untold` counts the interrupts taken and not yet
//    told; the line is open only while nothing is held and at most one
//    interrupt of an edge-triggered line waits to be told;
//  - a pulse that finds the channel's queue full is not lost: the
//    interrupts stay counted and a kernel timeout tries again every tick, so
//    the pulse that finally goes out tells of them all; a pulse to a closed
//    channel is not retried (the line stays masked once the next interrupt
//    comes, until an unmask tells again or the handle closes).

import * as abi from "../generated/abi";
import { LINE_VECTOR_BASE, LINE_VECTOR_LIMIT, lineGsi, lineIsLevel, routeLine } from "../arch/x86_64/interrupt-lines";
import { setGsiMasked } from "../arch/x86_64/ioapic";
import { Timeout, arm, disarm, nanosToCycles } from "../sched/timeouts";
import { now } from "../time";
import { Connection } from "./connection";
import { KernelObject, handlesOf } from "./handle";
import { sendKernelPulse } from "./pulse";
import { Thread } from "./thread";

/** How long a pulse that found a full queue waits before it tries again: a tick. */
const RETRY_NANOSECONDS: u64 = 10_000_000;

/** The Interrupt attached to each GSI that has a vector. */
const attached = new StaticArray<Interrupt | null>(LINE_VECTOR_LIMIT - LINE_VECTOR_BASE);

class RetryTimeout extends Timeout {
  interrupt: Interrupt | null = null;
  fire(deadline: u64): void {
    const interrupt = this.interrupt;
    if (interrupt != null) interrupt.tell();
  }
}

export class Interrupt extends KernelObject {
  readonly line: u32;
  readonly gsi: i32;
  readonly connection: Connection;
  readonly code: i32;
  readonly level: bool;
  /** Interrupts taken and not yet told in a pulse. */
  untold: u32 = 0;
  /** A pulse went out and the driver has not unmasked since. */
  held: bool = false;
  /** The line's I/O APIC input is masked. */
  masked: bool = true;
  closed: bool = false;
  private readonly retry: RetryTimeout = new RetryTimeout();

  constructor(line: u32, gsi: i32, connection: Connection, code: i32) {
    super(abi.OBJECT_TYPE_INTERRUPT);
    this.line = line;
    this.gsi = gsi;
    this.connection = connection;
    this.code = code;
    this.level = lineIsLevel(line);
    this.retry.interrupt = this;
  }

  /** The line fired (the interrupt handler, before its EOI). */
  fired(): void {
    this.untold++;
    if (this.level || this.held || this.untold > 1) this.setMasked(true);
    if (!this.held) this.tell();
  }

  /** Pulses the untold interrupts; when the pulse finds the queue full, tries again in a tick. */
  tell(): void {
    if (this.closed || this.untold == 0) return;
    const result = sendKernelPulse(this.connection, this.code, <i64>this.untold);
    if (result == 0) {
      this.untold = 0;
      this.held = true;
      disarm(this.retry);
      return;
    }
    if (result == abi.ERROR_QUEUE_FULL) arm(this.retry, now() + nanosToCycles(RETRY_NANOSECONDS));
  }

  /** interrupt.unmask: the driver is done; interrupts counted meanwhile are told now, else the line opens. */
  unmask(): void {
    this.held = false;
    if (this.untold > 0) this.tell();
    else this.setMasked(false);
  }

  setMasked(masked: bool): void {
    if (this.masked == masked) return;
    this.masked = masked;
    setGsiMasked(<u32>this.gsi, masked);
  }

  lastHandleClosed(): void {
    this.closed = true;
    disarm(this.retry);
    this.setMasked(true);
    if (unchecked(attached[this.gsi]) === this) unchecked(attached[this.gsi] = null);
  }
}

/**
 * The interrupt handler's part (vector LINE_VECTOR_BASE + gsi, interrupts
 * off, before the EOI): the attached Interrupt takes it. A vector of a line
 * nobody holds any more (it was on its way when the line was masked) is
 * dropped.
 */
export function lineInterrupt(gsi: i32): void {
  const interrupt = gsi >= 0 && gsi < attached.length ? unchecked(attached[gsi]) : null;
  if (interrupt != null) interrupt.fired();
}

/** interrupt.attach: the caller's pulses for `line` (its rights hold it: the dispatch checked). */
export function interruptAttach(caller: Thread, line: u32, connection: Connection, code: i32): i32 {
  if (code < 0 || code > abi.PULSE_CODE_MAXIMUM) return abi.ERROR_INVALID_ARGUMENT;
  const gsi = lineGsi(line);
  if (gsi < 0) return abi.ERROR_INVALID_ARGUMENT;
  if (unchecked(attached[gsi]) != null) return abi.ERROR_ALREADY_EXISTS;
  const interrupt = new Interrupt(line, gsi, connection, code);
  const handle = handlesOf(caller.component!).add(interrupt, abi.INTERRUPT_RIGHTS);
  if (handle < 0) return handle;
  unchecked(attached[gsi] = interrupt);
  routeLine(line);
  interrupt.setMasked(false);
  return handle;
}

/** interrupt.unmask */
export function interruptUnmask(caller: Thread, interrupt: Interrupt): i32 {
  interrupt.unmask();
  return 0;
}
