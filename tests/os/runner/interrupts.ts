// Device interrupts delivered as pulses, with the CMOS clock's periodic
// interrupt (ISA line 8), which needs no input from the host. The driver
// (tests/os/rtc) attaches the line and services it; the runner checks:
//
//  1. the calls' checks, in the malformed-calls style: a line the manifest
//     does not name, lines this machine does not have, bad codes and
//     handles, a second attach of a held line, unmask of a closed or wrong
//     handle; closing the handle frees the line;
//  2. the rate: 1024 Hz asked, the pulses the driver serviced timed by
//     clock.now and by clock.cycles agree with it within generous bounds
//     (TCG is slow and the machine may be loaded);
//  3. masking: held for 100 ms without interrupt.unmask, no pulse comes, and
//     the pulse after the unmask tells of one or two interrupts (the line
//     was masked after the first: ~100 periods passed); at 2 Hz, the
//     interrupt that came while the line was held is told at the unmask,
//     not lost (without that the next pulse would come ~400 ms later);
//  4. a full queue: the driver fills its own events queue, then the clock
//     interrupts for 50 ms; the pulse that found no room comes once the
//     driver has taken pulses (the kernel tries again every tick), not
//     lost, and tells of two interrupts (the second masked the line);
//  5. preemption: with a component of priority 12 spinning, the driver (20)
//     still services at least 300 pulses a second at 4096 Hz — woken at the
//     end of each interrupt, not at the next tick (that allows about 200);
//  6. the driver's end frees the line: a driver killed while its clock
//     interrupts and its line is held; the line can be attached again, and
//     a new instance of the driver attaches it and gets its pulses.

import {
  delos_handle_close, delos_handle_duplicate, delos_interrupt_attach, delos_interrupt_unmask,
} from "../../../ipc/generated/imports";
import {
  channelCreate, clockCycles, clockNow, componentKill, componentStatus, connectionCreate, handleClose, handleInfo, msgSend, nameOpen,
  threadSetPriority, COMPONENT_STATE_KILLED, COMPONENT_STATE_RUNNING, ERROR_ACCESS_DENIED, ERROR_ALREADY_EXISTS,
  ERROR_BAD_HANDLE, ERROR_DEAD_SERVER, ERROR_INVALID_ARGUMENT, ERROR_WRONG_TYPE, HANDLE_INFO_SIZE, OBJECT_TYPE_INTERRUPT,
  PRIORITY_DEFAULT, RIGHT_CONTROL, RIGHT_TRANSFER, TEST_RTC_PATH, TEST_RTC_ATTACH, TEST_RTC_ATTACH_REPLY_SIZE, TEST_RTC_COUNT,
  TEST_RTC_COUNT_REQUEST_SIZE, TEST_RTC_COUNT_REPLY_SIZE, TEST_RTC_HOLD, TEST_RTC_HOLD_REQUEST_SIZE, TEST_RTC_HOLD_REPLY_SIZE,
  TEST_RTC_START, TEST_RTC_START_REQUEST_SIZE, TEST_RTC_FLOOD, TEST_RTC_FLOOD_REQUEST_SIZE, TEST_RTC_FLOOD_REPLY_SIZE,
  TestRtcFloodReply, TestRtcFloodRequest, TestRtcCountReply, TestRtcCountRequest, TestRtcHoldReply, TestRtcHoldRequest,
  TestRtcStartRequest,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { awaitEnd, awaitPulse, spawn, status, takeEndPulse } from "./supervision";
import { spawnComponent } from "./grants";
import { PULSE_SPINNING } from "../lib/runner-path";

const LINE: u32 = 8;
/** In the runner's manifest, but not a line of this machine: no I/O APIC input, no vector. */
const MISSING_LINE: u32 = 200;
/** In the runner's manifest; on q35 ISA line 0 arrives at GSI 2, so line 2 does not exist. */
const OVERRIDDEN_LINE: u32 = 2;
/** Not in the runner's manifest. */
const FORBIDDEN_LINE: u32 = 9;
/** Register A's rate selects: 32768 >> (rate - 1) Hz. */
const RATE_1024_HZ: u32 = 6;
const RATE_4096_HZ: u32 = 4;
const RATE_2_HZ: u32 = 15;
const PULSES: u32 = 256;
/**
 * The least rate at 4096 Hz with the spinner running. A driver woken only at
 * the next tick gets at most two pulses a tick (the one that woke it, and
 * the one counted meanwhile, told at its unmask): 200 a second at TICK_HZ
 * 100. With the interrupt's own preemption it gets what QEMU delivers,
 * which a host loaded many times over its processors has lowered to under
 * 500; half again the tick-woken ceiling still tells the two apart.
 */
const LOADED_RATE_LOWEST: f64 = 300;
const SPINNER_PRIORITY: i32 = 12;
const DRIVER_PRIORITY: i32 = 20;

const buffer = heap.alloc(64);
const reply = heap.alloc(64);
let cases: i32 = 0;
/** The rate measured with the spinner running, for the summary. */
let loadedRate: i64 = 0;

function expect(check: Check, result: i32, expected: i32, what: string): void {
  cases++;
  check.refused(result, expected, what);
}

/** 1: the calls' own checks, with the runner's own channel. */
function refusals(check: Check): void {
  const channel = channelCreate(0);
  if (!check.succeeded(channel, "channel.create")) return;
  const connection = connectionCreate(channel);
  if (!check.succeeded(connection, "connection.create")) return;
  expect(check, delos_interrupt_attach(FORBIDDEN_LINE, connection, 1), ERROR_ACCESS_DENIED, "interrupt.attach of line 9, which the manifest does not name");
  expect(check, delos_interrupt_attach(MISSING_LINE, connection, 1), ERROR_INVALID_ARGUMENT, "interrupt.attach of line 200, which this machine does not have");
  expect(check, delos_interrupt_attach(OVERRIDDEN_LINE, connection, 1), ERROR_INVALID_ARGUMENT, "interrupt.attach of line 2, whose GSI carries ISA line 0");
  expect(check, delos_interrupt_attach(LINE, connection, 128), ERROR_INVALID_ARGUMENT, "interrupt.attach with pulse code 128 (maximum 127)");
  expect(check, delos_interrupt_attach(LINE, connection, -1), ERROR_INVALID_ARGUMENT, "interrupt.attach with pulse code -1");
  expect(check, delos_interrupt_attach(LINE, channel, 1), ERROR_WRONG_TYPE, "interrupt.attach with a channel for the connection");
  expect(check, delos_interrupt_attach(LINE, 77777, 1), ERROR_BAD_HANDLE, "interrupt.attach with a connection never handed out");
  const sendless = delos_handle_duplicate(connection, RIGHT_TRANSFER);
  if (check.succeeded(sendless, "handle.duplicate without SEND")) {
    expect(check, delos_interrupt_attach(LINE, sendless, 1), ERROR_ACCESS_DENIED, "interrupt.attach with a connection without SEND");
    handleClose(sendless);
  }
  const first = delos_interrupt_attach(LINE, connection, 1);
  if (check.succeeded(first, "interrupt.attach of line 8")) {
    check.equal(handleInfo(first, heap.alloc(HANDLE_INFO_SIZE)), OBJECT_TYPE_INTERRUPT, "handle.info of the interrupt: its type");
    expect(check, delos_interrupt_attach(LINE, connection, 2), ERROR_ALREADY_EXISTS, "a second interrupt.attach of line 8");
    expect(check, delos_handle_duplicate(first, RIGHT_CONTROL), ERROR_ACCESS_DENIED, "handle.duplicate of an interrupt (no DUPLICATE right)");
    check.succeeded(delos_interrupt_unmask(first), "interrupt.unmask of an open line");
    check.succeeded(delos_handle_close(first), "handle.close of the interrupt");
    expect(check, delos_interrupt_unmask(first), ERROR_BAD_HANDLE, "interrupt.unmask of a closed interrupt");
    const again = delos_interrupt_attach(LINE, connection, 1);
    if (check.succeeded(again, "interrupt.attach of line 8 after its handle closed")) handleClose(again);
  }
  expect(check, delos_interrupt_unmask(0), ERROR_BAD_HANDLE, "interrupt.unmask(0)");
  expect(check, delos_interrupt_unmask(connection), ERROR_WRONG_TYPE, "interrupt.unmask of a connection");
  handleClose(connection);
  handleClose(channel);
}

/** Sends a request of `size` bytes from `buffer`; the reply in `reply`. */
function ask(rtc: i32, size: u32, replySize: u32): i32 {
  return msgSend(rtc, buffer, size, reply, replySize);
}

function attachRequest(rtc: i32): i32 {
  store<u32>(buffer, TEST_RTC_ATTACH);
  return ask(rtc, 4, TEST_RTC_ATTACH_REPLY_SIZE);
}

/** Has the driver service `pulses` pulses at `rate`: the reply's status; the rate measured, in Hz, in `measured`. */
let measured: f64 = 0;
let measuredByCycles: f64 = 0;
function countRequest(rtc: i32, rate: u32, pulses: u32): i32 {
  const request = changetype<TestRtcCountRequest>(buffer);
  request.operation = TEST_RTC_COUNT;
  request.rate = rate;
  request.pulses = pulses;
  const startTime = clockNow(), startCycles = clockCycles();
  const result = ask(rtc, TEST_RTC_COUNT_REQUEST_SIZE, TEST_RTC_COUNT_REPLY_SIZE);
  // The TSC's rate over the whole request, to turn the driver's cycles into seconds.
  const cyclesPerSecond = <f64>(clockCycles() - startCycles) * 1e9 / <f64>(clockNow() - startTime);
  const counted = changetype<TestRtcCountReply>(reply);
  measured = 0;
  measuredByCycles = 0;
  if (result >= 0 && counted.pulses > 1 && counted.nanoseconds > 0 && counted.cycles > 0) {
    measured = <f64>(counted.pulses - 1) * 1e9 / <f64>counted.nanoseconds;
    measuredByCycles = <f64>(counted.pulses - 1) * cyclesPerSecond / <f64>counted.cycles;
  }
  return result;
}

/** 2 and 5: the rate at `hz` (rate select `rate`) within [lowest, highest], `what` naming the circumstances. */
function checkRate(check: Check, rtc: i32, rate: u32, hz: u32, lowest: f64, highest: f64, what: string): bool {
  const asked = hz.toString() + " Hz";
  if (!check.succeeded(countRequest(rtc, rate, PULSES), "count at " + asked + " " + what)) return false;
  const counted = changetype<TestRtcCountReply>(reply);
  check.equal(counted.pulses, PULSES, "pulses serviced " + what);
  check.ok(counted.told >= counted.pulses, "the pulses' values add up to fewer interrupts than pulses " + what);
  // A pulse told at the unmask comes right after register C was read, so C may not show a new period yet.
  check.ok(counted.flagged * 2 >= counted.pulses, "register C had the periodic flag after only " + counted.flagged.toString() + " of " + counted.pulses.toString() + " pulses " + what);
  check.note(asked + " " + what + ": " + counted.pulses.toString() + " pulses telling of " + counted.told.toString()
    + " interrupts (" + counted.flagged.toString() + " with register C's periodic flag) in " + (counted.nanoseconds / 1000).toString() + " us: " + (<i64>measured).toString() + " Hz by clock.now, "
    + (<i64>measuredByCycles).toString() + " Hz by clock.cycles, " + (counted.cycles / <u64>(counted.pulses - 1)).toString() + " cycles per pulse");
  check.ok(measured >= lowest && measured <= highest, "the rate " + what + " is " + (<i64>measured).toString() + " Hz by clock.now, asked " + asked);
  check.ok(measuredByCycles >= measured * 0.8 && measuredByCycles <= measured * 1.25, "clock.cycles says " + (<i64>measuredByCycles).toString() + " Hz, clock.now " + (<i64>measured).toString() + " Hz " + what);
  return !check.failed;
}

/** 3: holds the line `milliseconds` at `rate`; the reply in `reply`. */
function holdRequest(rtc: i32, rate: u32, milliseconds: u32): i32 {
  const request = changetype<TestRtcHoldRequest>(buffer);
  request.operation = TEST_RTC_HOLD;
  request.rate = rate;
  request.milliseconds = milliseconds;
  return ask(rtc, TEST_RTC_HOLD_REQUEST_SIZE, TEST_RTC_HOLD_REPLY_SIZE);
}

function checkMasking(check: Check, rtc: i32): bool {
  const held = changetype<TestRtcHoldReply>(reply);
  if (!check.succeeded(holdRequest(rtc, RATE_1024_HZ, 100), "hold for 100 ms at 1024 Hz")) return false;
  check.equal(held.during, 0, "pulses while the line was held 100 ms at 1024 Hz");
  check.ok(held.told >= 1 && held.told <= 2, "the pulse after a 100 ms hold at 1024 Hz told of " + held.told.toString() + " interrupts (1 or 2: the line is masked after the first)");
  check.note("held 100 ms at 1024 Hz: " + held.during.toString() + " pulses meanwhile; the pulse after the unmask told of " + held.told.toString()
    + " interrupts, " + (held.nanoseconds / 1000).toString() + " us after it");
  if (!check.succeeded(holdRequest(rtc, RATE_2_HZ, 600), "hold for 600 ms at 2 Hz")) return false;
  check.equal(held.during, 0, "pulses while the line was held 600 ms at 2 Hz");
  check.equal(held.told, 1, "interrupts told by the pulse after a 600 ms hold at 2 Hz");
  check.ok(held.nanoseconds < 200_000_000, "the interrupt that came while held was told " + (held.nanoseconds / 1000000).toString() + " ms after the unmask (at once expected; the next period was ~400 ms away)");
  check.note("held 600 ms at 2 Hz: the interrupt that came meanwhile was told " + (held.nanoseconds / 1000).toString() + " us after the unmask");
  return !check.failed;
}

/** 4: an interrupt's pulse that found the queue full comes later, not lost. */
function checkFullQueue(check: Check, rtc: i32): bool {
  const request = changetype<TestRtcFloodRequest>(buffer);
  request.operation = TEST_RTC_FLOOD;
  request.rate = RATE_1024_HZ;
  if (!check.succeeded(ask(rtc, TEST_RTC_FLOOD_REQUEST_SIZE, TEST_RTC_FLOOD_REPLY_SIZE), "the interrupt's pulse after the driver's queue was full")) return false;
  const flooded = changetype<TestRtcFloodReply>(reply);
  check.equal(flooded.fillers, 64, "pulses the driver's queue took (its length)");
  // 2: the first, and the second that masked the line (3 if one more was already on its way to the processor).
  check.ok(flooded.told >= 2 && flooded.told <= 3, "the late pulse told of " + flooded.told.toString() + " interrupts (2 expected: the first, and the second that masked the line)");
  check.note("with the queue full for 50 ms: the interrupt's pulse came after " + flooded.after.toString() + " of the driver's "
    + flooded.fillers.toString() + " own pulses, telling of " + flooded.told.toString() + " interrupts");
  return !check.failed;
}

/** 5: the rate with a spinner of priority 12 ready all along. */
function checkPreemption(check: Check, rtc: i32): bool {
  threadSetPriority(DRIVER_PRIORITY);
  const spinner = spawnComponent("spinner");
  if (!check.succeeded(spinner, "component.spawn test/spinner.wasm")) { threadSetPriority(PRIORITY_DEFAULT); return false; }
  if (check.ok(awaitPulse(PULSE_SPINNING, <u32>spinner) >= 0, "the spinner ended before it said it was spinning")) {
    checkRate(check, rtc, RATE_4096_HZ, 4096, LOADED_RATE_LOWEST, 4096 * 1.5, "with a component of priority " + SPINNER_PRIORITY.toString() + " spinning");
    loadedRate = <i64>measured;
    check.equal(componentStatus(<u32>spinner, changetype<usize>(status)), COMPONENT_STATE_RUNNING, "the spinner's state after the count (it must still be spinning)");
  }
  check.succeeded(componentKill(<u32>spinner), "component.kill of the spinner");
  check.equal(awaitEnd(<u32>spinner, 5_000_000_000), COMPONENT_STATE_KILLED, "the spinner's end state");
  takeEndPulse(<u32>spinner);
  threadSetPriority(PRIORITY_DEFAULT);
  return !check.failed;
}

/** 6: a driver killed while its clock interrupts and its line is held frees the line. */
function checkReattach(check: Check, driver: i32, rtc: i32): void {
  const start = changetype<TestRtcStartRequest>(buffer);
  start.operation = TEST_RTC_START;
  start.rate = RATE_1024_HZ;
  if (!check.succeeded(ask(rtc, TEST_RTC_START_REQUEST_SIZE, 0), "start the clock and leave it running")) return;
  check.succeeded(componentKill(<u32>driver), "component.kill of the driver");
  check.equal(awaitEnd(<u32>driver, 5_000_000_000), COMPONENT_STATE_KILLED, "the driver's end state");
  check.ok(takeEndPulse(<u32>driver), "no end pulse for the killed driver");
  check.refused(attachRequest(rtc), ERROR_DEAD_SERVER, "a request to the killed driver");
  handleClose(rtc);

  // The line is free: the runner can take it, and give it back.
  const channel = channelCreate(0);
  const connection = connectionCreate(channel);
  const taken = delos_interrupt_attach(LINE, connection, 1);
  if (check.succeeded(taken, "interrupt.attach of line 8 after the driver was killed")) handleClose(taken);
  handleClose(connection);
  handleClose(channel);

  const next = spawnComponent("rtc");
  if (!check.succeeded(next, "component.spawn of a second test/rtc.wasm")) return;
  const again = nameOpen(TEST_RTC_PATH, 5_000_000_000);
  if (check.succeeded(again, "name.open " + TEST_RTC_PATH + " of the second driver")) {
    if (check.succeeded(attachRequest(again), "the second driver's interrupt.attach of line 8")) {
      if (check.succeeded(countRequest(again, RATE_1024_HZ, 64), "the second driver's count")) {
        check.equal(changetype<TestRtcCountReply>(reply).pulses, 64, "pulses the second driver serviced");
      }
    }
    handleClose(again);
  }
  componentKill(<u32>next);
  awaitEnd(<u32>next, 5_000_000_000);
  takeEndPulse(<u32>next);
}

export function interrupts(check: Check): void {
  cases = 0;
  refusals(check);
  if (check.failed) return;
  const driver = spawnComponent("rtc");
  if (!check.succeeded(driver, "component.spawn test/rtc.wasm")) return;
  const rtc = nameOpen(TEST_RTC_PATH, 5_000_000_000);
  if (!check.succeeded(rtc, "name.open " + TEST_RTC_PATH)) return;
  if (!check.succeeded(attachRequest(rtc), "the driver's interrupt.attach of line 8")) return;
  const channel = channelCreate(0);
  const connection = connectionCreate(channel);
  expect(check, delos_interrupt_attach(LINE, connection, 1), ERROR_ALREADY_EXISTS, "interrupt.attach of line 8 while the driver holds it");
  handleClose(connection);
  handleClose(channel);
  if (checkRate(check, rtc, RATE_1024_HZ, 1024, 1024 / 3, 1024 * 1.5, "with nothing else running") && checkMasking(check, rtc) && checkFullQueue(check, rtc) && checkPreemption(check, rtc)) {
    checkReattach(check, driver, rtc);
  } else {
    componentKill(<u32>driver);
    awaitEnd(<u32>driver, 5_000_000_000);
    takeEndPulse(<u32>driver);
  }
  if (check.failed) return;
  check.summary = cases.toString() + " malformed calls refused; " + PULSES.toString() + " pulses at " + loadedRate.toString()
    + " Hz (4096 asked) with a spinner of priority 12 running; no pulse while held, the interrupt meanwhile told at the unmask;"
    + " a pulse that found the queue full came later;"
    + " a killed driver's line attached again by the next instance";
}
