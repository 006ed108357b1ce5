// The in-OS test of the clock driver (the test runner runs it in the test
// image, after init started the driver): the time is a plausible date whose
// calendar fields and seconds since 1970 agree; read again 1.1 seconds
// later it moved on by 1 or 2 seconds; a malformed request is refused with
// INVALID_ARGUMENT and the driver answers on.

import "../../sdk/lib/abort";
import { componentExit, errorName, msgSend, nameOpen, threadSleep, ERROR_INVALID_ARGUMENT } from "../../ipc/generated/index";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { CLOCK_PATH, CLOCK_TIME, CLOCK_TIME_REPLY_SIZE, CLOCK_TIME_REQUEST_SIZE, ClockTimeReply } from "./generated/protocols/clock";
import { daysFromCivil } from "../../sdk/lib/calendar";

function time(connection: i32, reply: ClockTimeReply, length: u32 = CLOCK_TIME_REQUEST_SIZE, operation: u32 = CLOCK_TIME): i32 {
  const request = heap.alloc(16);
  store<u32>(request, operation);
  const status = msgSend(connection, request, length, changetype<usize>(reply), CLOCK_TIME_REPLY_SIZE);
  heap.free(request);
  return status;
}

export function _start(): void {
  const connection = nameOpen(CLOCK_PATH, 5_000_000_000);
  expect(connection >= 0, "name.open " + CLOCK_PATH + ": " + errorName(connection));
  const reply = changetype<ClockTimeReply>(heap.alloc(CLOCK_TIME_REPLY_SIZE));
  let status = time(connection, reply);
  expect(status >= 0, "clock.time: " + errorName(status));
  const first = reply.seconds, firstUptime = reply.uptime;
  log("clock-test: " + reply.year.toString() + "-" + reply.month.toString() + "-" + reply.day.toString() + " "
    + reply.hour.toString() + ":" + reply.minute.toString() + ":" + reply.second.toString() + " = " + first.toString() + " s");
  expect(reply.year >= 2024 && reply.year < 2100, "a plausible year: " + reply.year.toString());
  expect(<i64>first == daysFromCivil(reply.year, reply.month, reply.day) * 86400 + <i64>(reply.hour * 3600 + reply.minute * 60 + reply.second),
    "the seconds since 1970 are the calendar fields'");
  expect(daysFromCivil(1970, 1, 1) == 0 && daysFromCivil(2000, 3, 1) == 11017 && daysFromCivil(2026, 12, 6) == 20793, "days from the calendar");
  threadSleep(1_100_000_000);
  status = time(connection, reply);
  expect(status >= 0, "clock.time again: " + errorName(status));
  const elapsed = reply.seconds - first;
  expect(elapsed >= 1 && elapsed <= 2, "1.1 s later the clock moved on by 1 or 2 s, not " + elapsed.toString());
  expect(reply.uptime > firstUptime, "the reading's clock.now moved on too");
  expect(time(connection, reply, CLOCK_TIME_REQUEST_SIZE + 1) == ERROR_INVALID_ARGUMENT, "a request a byte long is refused");
  expect(time(connection, reply, 4, CLOCK_TIME + 7) == ERROR_INVALID_ARGUMENT, "an unknown operation is refused");
  expect(time(connection, reply) >= 0, "and the driver answers on");
  componentExit(0);
}
