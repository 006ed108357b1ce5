// The test.rtc driver (ipc/table/protocols/test.ts): the CMOS clock's
// periodic interrupt, ISA line 8, serviced the way every Delos driver
// services its device's line — interrupt.attach gives pulses through a
// connection to a channel of the driver's own; on each pulse it
// acknowledges the device (reading register C lowers the clock's
// interrupt) and calls interrupt.unmask. The interrupt test
// (tests/os/runner/interrupts.ts) asks it to count pulses at a rate, to hold
// the line masked for a while, to let its pulse find a full queue, and to
// leave the clock interrupting when it is killed.
//
// One thread: requests come on /test/rtc; while serving one, the driver
// receives on its events channel, where the interrupt's pulses and its own
// timer's pulses (the deadlines of its waits) arrive.

import "../lib/abort";
import {
  channelCreate, clockCycles, clockNow, connectionCreate, handleClose, interruptAttach, interruptUnmask, msgReceive,
  portRead, portWrite, pulseSend, threadSleep, timerCreate, timerSet, Pulse, RECEIVE_ID_PULSE, ERROR_INVALID_ARGUMENT,
  PULSE_SIZE, TEST_RTC_PATH, TEST_RTC_ERROR_NOT_ATTACHED, TEST_RTC_ERROR_NO_PULSE, TestRtcAttachReply,
  TestRtcCountReply, TestRtcFloodReply, TestRtcHoldReply,
} from "../../../ipc/generated/index";
import { serveTestRtc, TestRtcHandlers } from "../../../ipc/generated/servers/test-rtc";
import { Server } from "../../../ipc/client/index";

const LINE: u32 = 8;
const INDEX_PORT: u32 = 0x70;
const DATA_PORT: u32 = 0x71;
const REGISTER_A: u32 = 0x0a;
const REGISTER_B: u32 = 0x0b;
const REGISTER_C: u32 = 0x0c;
/** Register B: periodic interrupt enable. */
const PERIODIC_ENABLE: u32 = 0x40;
/** Register C: the periodic flag (set at every period, cleared by reading C). */
const PERIODIC_FLAG: u32 = 0x40;

// Pulse codes on the events channel.
const PULSE_INTERRUPT: i32 = 1;
const PULSE_DEADLINE: i32 = 2;
const PULSE_MARKER: i32 = 3;
const PULSE_FILLER: i32 = 4;

/** Register A's rate selects that make a periodic interrupt: 8192 Hz down to 2 Hz. */
const RATE_FASTEST: u32 = 3;
const RATE_SLOWEST: u32 = 15;

/** How long a request may wait for its pulses: the count stops there, a hold fails with NO_PULSE. */
const PULSE_WAIT: i64 = 10_000_000_000;

let events: i32 = 0;
let eventsConnection: i32 = 0;
let interrupt: i32 = 0;
let deadline: i32 = 0;
/** The current deadline's number: a deadline pulse carrying another is stale. */
let deadlineNumber: i64 = 0;
/** The last pulse's value. */
let pulseValue: i64 = 0;
const pulse = changetype<Pulse>(heap.alloc(PULSE_SIZE));

function cmosRead(register: u32): u32 {
  portWrite(INDEX_PORT, 1, register);
  return <u32>portRead(DATA_PORT, 1);
}

function cmosWrite(register: u32, value: u32): void {
  portWrite(INDEX_PORT, 1, register);
  portWrite(DATA_PORT, 1, value & 0xff);
}

/** Reads register C: acknowledges the clock's interrupt. True when the periodic flag was set. */
function acknowledge(): bool { return (cmosRead(REGISTER_C) & PERIODIC_FLAG) != 0; }

/** The periodic interrupt at `rate` (register A's low four bits: 32768 >> (rate - 1) Hz). */
function startClock(rate: u32): void {
  cmosWrite(REGISTER_A, (cmosRead(REGISTER_A) & 0xf0) | (rate & 0x0f));
  cmosWrite(REGISTER_B, cmosRead(REGISTER_B) | PERIODIC_ENABLE);
  acknowledge();
}

function stopClock(): void {
  cmosWrite(REGISTER_B, cmosRead(REGISTER_B) & ~PERIODIC_ENABLE);
  acknowledge();
}

/** Sets the deadline of the next waits `nanoseconds` from now (a new timer: a pulse of the old one is stale). */
function setDeadline(nanoseconds: i64): void {
  if (deadline > 0) handleClose(deadline);
  deadlineNumber++;
  deadline = timerCreate(eventsConnection, PULSE_DEADLINE, deadlineNumber);
  if (deadline > 0) timerSet(deadline, nanoseconds, 0);
}

function clearDeadline(): void {
  if (deadline > 0) handleClose(deadline);
  deadline = 0;
}

/** The next event: PULSE_INTERRUPT (its value in pulseValue), PULSE_DEADLINE or PULSE_MARKER. */
function nextEvent(): i32 {
  while (true) {
    if (msgReceive(events, changetype<usize>(pulse), PULSE_SIZE, 0) != RECEIVE_ID_PULSE) continue;
    const code = pulse.code;
    if (code == PULSE_DEADLINE && pulse.value != deadlineNumber) continue;
    pulseValue = pulse.value;
    return code;
  }
}

/** Services the interrupt pulses already queued (a clock left running by a dead instance, a late period). */
function drain(): void {
  pulseSend(eventsConnection, PULSE_MARKER, 0);
  while (true) {
    const code = nextEvent();
    if (code == PULSE_MARKER) return;
    if (code == PULSE_INTERRUPT) {
      acknowledge();
      interruptUnmask(interrupt);
    }
  }
}

/** Waits for an interrupt pulse until the deadline: true when one came. */
function awaitInterrupt(): bool {
  while (true) {
    const code = nextEvent();
    if (code == PULSE_INTERRUPT) return true;
    if (code == PULSE_DEADLINE) return false;
  }
}

function attach(reply: TestRtcAttachReply): i32 {
  if (interrupt <= 0) {
    const result = interruptAttach(LINE, eventsConnection, PULSE_INTERRUPT);
    if (result < 0) return result;
    interrupt = result;
    stopClock();
  }
  reply.handle = <u32>interrupt;
  return 0;
}

function count(rate: u32, wanted: u32, reply: TestRtcCountReply): i32 {
  drain();
  startClock(rate);
  let pulses: u32 = 0, told: u32 = 0, flagged: u32 = 0;
  let firstTime: i64 = 0, lastTime: i64 = 0, firstCycles: i64 = 0, lastCycles: i64 = 0;
  setDeadline(PULSE_WAIT);
  while (pulses < wanted) {
    if (!awaitInterrupt()) break;
    lastTime = clockNow();
    lastCycles = clockCycles();
    if (pulses == 0) { firstTime = lastTime; firstCycles = lastCycles; }
    pulses++;
    told += <u32>pulseValue;
    if (acknowledge()) flagged++;
    interruptUnmask(interrupt);
  }
  clearDeadline();
  stopClock();
  drain();
  if (pulses == 0) return TEST_RTC_ERROR_NO_PULSE;
  reply.pulses = pulses;
  reply.told = told;
  reply.flagged = flagged;
  reply.nanoseconds = <u64>(lastTime - firstTime);
  reply.cycles = <u64>(lastCycles - firstCycles);
  return 0;
}

function hold(rate: u32, milliseconds: u32, reply: TestRtcHoldReply): i32 {
  drain();
  startClock(rate);
  setDeadline(PULSE_WAIT);
  let result = TEST_RTC_ERROR_NO_PULSE;
  if (awaitInterrupt()) {
    // Acknowledged, so that the clock interrupts again at its next period; not unmasked.
    acknowledge();
    setDeadline(<i64>milliseconds * 1_000_000);
    let during: u32 = 0;
    for (let code = nextEvent(); code != PULSE_DEADLINE; code = nextEvent()) if (code == PULSE_INTERRUPT) during++;
    acknowledge();
    setDeadline(PULSE_WAIT);
    const unmasked = clockNow();
    interruptUnmask(interrupt);
    if (awaitInterrupt()) {
      reply.nanoseconds = <u64>(clockNow() - unmasked);
      reply.during = during;
      reply.told = <u32>pulseValue;
      acknowledge();
      interruptUnmask(interrupt);
      result = 0;
    }
  }
  clearDeadline();
  stopClock();
  drain();
  return result;
}

function flood(rate: u32, reply: TestRtcFloodReply): i32 {
  drain();
  let fillers: u32 = 0;
  while (pulseSend(eventsConnection, PULSE_FILLER, 0) == 0) fillers++;
  startClock(rate);
  threadSleep(50_000_000);
  // The queue is full until the first pulse is taken; the deadline's own pulse needs room.
  let taken: u32 = 0, told: u32 = 0, after: u32 = 0;
  if (nextEvent() == PULSE_FILLER) taken++;
  setDeadline(PULSE_WAIT);
  while (told == 0 || taken < fillers) {
    const code = nextEvent();
    if (code == PULSE_FILLER) {
      taken++;
    } else if (code == PULSE_INTERRUPT && told == 0) {
      told = <u32>pulseValue;
      after = taken;
      acknowledge();
      interruptUnmask(interrupt);
    } else if (code == PULSE_DEADLINE) {
      break;
    }
  }
  clearDeadline();
  stopClock();
  drain();
  if (told == 0) return TEST_RTC_ERROR_NO_PULSE;
  reply.fillers = fillers;
  reply.told = told;
  reply.after = after;
  return 0;
}

function start(rate: u32): i32 {
  drain();
  startClock(rate);
  return 0;
}

/** Why a request to run the clock at `rate` cannot be served, or 0. */
function refusal(rate: u32): i32 {
  if (interrupt <= 0) return TEST_RTC_ERROR_NOT_ATTACHED;
  if (rate < RATE_FASTEST || rate > RATE_SLOWEST) return ERROR_INVALID_ARGUMENT;
  return 0;
}

/** The requests; each that runs the clock is refused before anything when the line is not attached or the rate is not one. */
class Rtc extends TestRtcHandlers {
  attach(reply: TestRtcAttachReply): i32 { return attach(reply); }

  count(rate: u32, pulses: u32, reply: TestRtcCountReply): i32 {
    const refused = refusal(rate);
    return refused < 0 ? refused : count(rate, pulses, reply);
  }

  hold(rate: u32, milliseconds: u32, reply: TestRtcHoldReply): i32 {
    const refused = refusal(rate);
    return refused < 0 ? refused : hold(rate, milliseconds, reply);
  }

  start(rate: u32): i32 {
    const refused = refusal(rate);
    return refused < 0 ? refused : start(rate);
  }

  flood(rate: u32, reply: TestRtcFloodReply): i32 {
    const refused = refusal(rate);
    return refused < 0 ? refused : flood(rate, reply);
  }
}

export function _start(): void {
  events = channelCreate(0);
  eventsConnection = events > 0 ? connectionCreate(events) : events;
  const server = new Server(TEST_RTC_PATH);
  if (eventsConnection < 0 || !server.isServing) return;
  serveTestRtc(new Rtc(), server.channel, 64);
}
