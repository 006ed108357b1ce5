// The clock driver: the CMOS real-time clock (MC146818 and its successors)
// through its index port 0x70 and data port 0x71, served on /dev/clock
// (protocol.ts). Each request reads the clock afresh: it waits out an update
// in progress (register A's UIP bit), reads the fields, and reads them again
// until two readings agree, so that an update between two fields cannot
// give a time that never was; BCD or binary and the 12- or 24-hour format
// come from register B. Nothing is kept between requests, so a restarted
// instance answers like the one before. It never writes the clock, and it
// leaves NMIs enabled (bit 7 of the index clear).

import "../../sdk/lib/abort";
import { clockNow, portRead, portWrite } from "../../ipc/generated/system";
import { Server } from "../../ipc/client/index";
import { log } from "../../sdk/lib/log";
import { daysFromCivil } from "../../sdk/lib/calendar";
import { CLOCK_ERROR_UNREADABLE, CLOCK_PATH, ClockTimeReply } from "./generated/protocols/clock";
import { ClockHandlers, serveClock } from "./generated/servers/clock";

const INDEX_PORT: u32 = 0x70;
const DATA_PORT: u32 = 0x71;
const SECONDS: u32 = 0x00;
const MINUTES: u32 = 0x02;
const HOURS: u32 = 0x04;
const DAY: u32 = 0x07;
const MONTH: u32 = 0x08;
const YEAR: u32 = 0x09;
const REGISTER_A: u32 = 0x0a;
const REGISTER_B: u32 = 0x0b;
/** The century, where ACPI's FADT usually says (QEMU keeps it there). */
const CENTURY: u32 = 0x32;
/** Register A: an update is in progress (the fields are about to change). */
const UPDATE_IN_PROGRESS: u32 = 0x80;
/** Register B: fields in binary (else BCD), hours 0..23 (else 1..12 with PM_FLAG). */
const BINARY: u32 = 0x04;
const HOURS_24: u32 = 0x02;
const PM_FLAG: u32 = 0x80;
const ATTEMPTS: i32 = 10;
/** Room for the largest request it takes. */
const BUFFER_SIZE: u32 = 64;

function register(index: u32): u32 {
  portWrite(INDEX_PORT, 1, index);
  return <u32>portRead(DATA_PORT, 1) & 0xff;
}

/** A reading of the clock's raw fields. */
class Reading {
  second: u32 = 0;
  minute: u32 = 0;
  hour: u32 = 0;
  day: u32 = 0;
  month: u32 = 0;
  year: u32 = 0;
  century: u32 = 0;

  read(): void {
    for (let i = 0; i < 1000 && (register(REGISTER_A) & UPDATE_IN_PROGRESS) != 0; i++) {}
    this.second = register(SECONDS);
    this.minute = register(MINUTES);
    this.hour = register(HOURS);
    this.day = register(DAY);
    this.month = register(MONTH);
    this.year = register(YEAR);
    this.century = register(CENTURY);
  }

  equals(other: Reading): bool {
    return this.second == other.second && this.minute == other.minute && this.hour == other.hour && this.day == other.day
      && this.month == other.month && this.year == other.year && this.century == other.century;
  }
}

function fromBcd(value: u32): u32 { return (value >> 4) * 10 + (value & 0x0f); }

class ClockServer extends ClockHandlers {
  private readonly first: Reading = new Reading();
  private readonly second: Reading = new Reading();

  time(reply: ClockTimeReply): i32 {
    let agreed = false;
    this.first.read();
    for (let i = 0; i < ATTEMPTS && !agreed; i++) {
      this.second.read();
      agreed = this.first.equals(this.second);
      if (!agreed) this.first.read();
    }
    const uptime = clockNow();
    if (!agreed) return CLOCK_ERROR_UNREADABLE;
    const format = register(REGISTER_B);
    const r = this.first;
    const binary = (format & BINARY) != 0;
    const second = binary ? r.second : fromBcd(r.second);
    const minute = binary ? r.minute : fromBcd(r.minute);
    let hour = binary ? r.hour & 0x7f : fromBcd(r.hour & 0x7f);
    if ((format & HOURS_24) == 0) hour = (hour % 12) + ((r.hour & PM_FLAG) != 0 ? 12 : 0);
    const day = binary ? r.day : fromBcd(r.day);
    const month = binary ? r.month : fromBcd(r.month);
    const century = binary ? r.century : fromBcd(r.century);
    let year = binary ? r.year : fromBcd(r.year);
    year += century >= 19 && century <= 99 ? century * 100 : 2000;
    if (second > 59 || minute > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12) return CLOCK_ERROR_UNREADABLE;
    reply.seconds = <u64>(daysFromCivil(year, month, day) * 86400 + <i64>hour * 3600 + <i64>minute * 60 + <i64>second);
    reply.uptime = <u64>uptime;
    reply.year = year;
    reply.month = month;
    reply.day = day;
    reply.hour = hour;
    reply.minute = minute;
    reply.second = second;
    return 0;
  }
}

export function _start(): void {
  const server = new Server(CLOCK_PATH);
  if (!server.isServing) {
    log("cannot serve " + CLOCK_PATH + ": error " + server.error.toString());
    return;
  }
  log("serving " + CLOCK_PATH);
  const failed = serveClock(new ClockServer(), server.channel, BUFFER_SIZE);
  log("receiving on " + CLOCK_PATH + " failed: error " + failed.toString());
}
