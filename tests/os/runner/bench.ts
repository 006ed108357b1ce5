// The in-OS benchmarks (`npm run bench` reads them: tests/bench/kernel.ts).
// Each figure is a list of per-operation TSC differences (clock.cycles),
// printed as `osbench: NAME count N total T min M median D`, with the cost
// of the clock reads themselves (a clock.cycles pair, its median) taken
// off. Under QEMU's -icount shift=0 the TSC counts instructions, so the
// same lines then give instructions executed.
//
//  - roundtrip-16, roundtrip-4096: msg.send of a 16-byte / 4 KiB echo
//    request with a reply of the same size, answered by the echo server's
//    direct version (tests/os/echo-direct) on the client's thread — the
//    whole round trip (docs/ipc.md, "Direct calls");
//  - roundtrip-16-threaded, roundtrip-4096-threaded: the same, received
//    and replied to by a thread of the echo server (tests/os/echo);
//  - thread-switch: half a yield round between the runner and the yielder
//    (tests/os/yielder), both alone at priority 25;
//  - load-cold, load-warm: component.spawn of tests/os/hello to the first
//    instruction of its _start (the cycle count it sends back), the first
//    time compiled on Delos, the second time from the code cache.

import {
  clockCycles, componentKill, handleClose, msgSend, nameOpen, threadSetPriority, threadSleep, threadYield, PRIORITY_DEFAULT,
  TEST_ECHO_PATH, TEST_ECHO_ECHO,
} from "../../../ipc/generated/index";
import { line } from "../lib/log";
import { initReplace, initStart } from "./init-client";
import { echoComponent } from "./direct";
import { DIRECT_BIT } from "../echo/server";
import { awaitEnd, awaitPulse, spawn, takeEndPulse } from "./supervision";
import { spawnComponent } from "./grants";
import { PULSE_HELLO } from "../lib/runner-path";

const WARM_UP: i32 = 20;
const ROUND_TRIPS: i32 = 1000;
/** How long the round trips wait for the console to write the lines before them out. */
const CONSOLE_SETTLE_NANOSECONDS: i64 = 20_000_000;
const LARGE_ROUND_TRIPS: i32 = 300;
const YIELDS: i32 = 1000;
/** tests/os/yielder's priority. */
const YIELD_PRIORITY: i32 = 25;

let clockOverhead: i64 = 0;

function report(name: string, samples: Array<i64>): void {
  if (samples.length == 0) { line("osbench: " + name + " failed"); return; }
  const sorted = samples.slice(0);
  sorted.sort((a: i64, b: i64): i32 => a < b ? -1 : a > b ? 1 : 0);
  let total: i64 = 0;
  for (let i = 0; i < sorted.length; i++) total += sorted[i];
  line("osbench: " + name + " count " + sorted.length.toString() + " total " + total.toString() + " min " + sorted[0].toString()
    + " median " + sorted[sorted.length >> 1].toString());
}

function median(samples: Array<i64>): i64 {
  const sorted = samples.slice(0);
  sorted.sort((a: i64, b: i64): i32 => a < b ? -1 : a > b ? 1 : 0);
  return sorted[sorted.length >> 1];
}

function measureClock(): void {
  const samples = new Array<i64>();
  for (let i = 0; i < ROUND_TRIPS + WARM_UP; i++) {
    const start = clockCycles();
    const end = clockCycles();
    if (i >= WARM_UP) samples.push(end - start);
  }
  clockOverhead = median(samples);
  report("clock-overhead", samples);
}

/** `count` round trips of `bytes` each way with the echo server on `echo`; `direct`: each must be a direct call. */
function roundTrips(name: string, echo: i32, bytes: u32, count: i32, direct: bool): void {
  const request = heap.alloc(bytes), reply = heap.alloc(bytes);
  memory.fill(request, 0x5a, bytes);
  store<u32>(request, TEST_ECHO_ECHO);
  const samples = new Array<i64>();
  for (let i = 0; i < count + WARM_UP; i++) {
    store<u32>(request, <u32>i, 4);
    const start = clockCycles();
    const status = msgSend(echo, request, bytes, reply, bytes);
    const end = clockCycles();
    if (status < 0 || load<u32>(reply) != <u32>i) { line("osbench: " + name + " failed at round trip " + i.toString() + ": " + status.toString()); return; }
    if (((load<u32>(reply, 4) & DIRECT_BIT) != 0) != direct) {
      line("osbench: " + name + " failed at round trip " + i.toString() + ": " + (direct ? "not served directly" : "served directly"));
      return;
    }
    if (i >= WARM_UP) samples.push(end - start - clockOverhead);
  }
  report(name, samples);
}

function threadSwitches(): void {
  // At the yielder's priority before it starts: it never blocks, so nothing below 25 runs until it is killed.
  threadSetPriority(YIELD_PRIORITY);
  const yielder = spawnComponent("yielder");
  if (yielder < 0) { threadSetPriority(PRIORITY_DEFAULT); line("osbench: thread-switch failed: component.spawn " + yielder.toString()); return; }
  const samples = new Array<i64>();
  for (let i = 0; i < YIELDS + WARM_UP; i++) {
    const start = clockCycles();
    threadYield();
    const end = clockCycles();
    // One yield of ours and one of the yielder's: two switches.
    if (i >= WARM_UP) samples.push((end - start - clockOverhead) / 2);
  }
  componentKill(<u32>yielder);
  threadSetPriority(PRIORITY_DEFAULT);
  awaitEnd(<u32>yielder, 5_000_000_000);
  takeEndPulse(<u32>yielder);
  report("thread-switch", samples);
}

/** component.spawn of hello to its first instruction. */
function loadOnce(): i64 {
  const start = clockCycles();
  const hello = spawnComponent("hello");
  if (hello < 0) { line("osbench: load failed: component.spawn " + hello.toString()); return -1; }
  const running = awaitPulse(PULSE_HELLO, <u32>hello);
  awaitEnd(<u32>hello, 5_000_000_000);
  takeEndPulse(<u32>hello);
  return running < 0 ? -1 : running - start;
}

function loads(): void {
  const cold = loadOnce();
  const warm = new Array<i64>();
  for (let i = 0; i < 5; i++) {
    const cycles = loadOnce();
    if (cycles >= 0) warm.push(cycles);
  }
  const coldSamples = new Array<i64>();
  if (cold >= 0) coldSamples.push(cold);
  report("load-cold", coldSamples);
  report("load-warm", warm);
}

export function runBenchmarks(): void {
  if (initStart("echo") < 0) { line("osbench: the echo server did not start"); return; }
  // The direct version first: `npm run trace` traces the round trips right after the clock-overhead line.
  if (initReplace(echoComponent(), "test/echo-direct.wasm") < 0) { line("osbench: init.replace echo by test/echo-direct.wasm failed"); return; }
  measureClock();
  if (!echoRoundTrips("", true)) return;
  if (initReplace(echoComponent(), "test/echo.wasm") < 0) { line("osbench: init.replace echo by test/echo.wasm failed"); return; }
  if (!echoRoundTrips("-threaded", false)) return;
  threadSwitches();
  loads();
}

/** The round trips with the echo server init runs now, their figures' names ending in `suffix`. */
function echoRoundTrips(suffix: string, direct: bool): bool {
  const echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  if (echo < 0) { line("osbench: name.open " + TEST_ECHO_PATH + " failed"); return false; }
  // The kernel writes COM1 lines out when the machine is idle (docs/kernel.md, "The console"): this pause lets
  // the lines above reach COM1 before the round trips begin, since `npm run trace` starts QEMU's execution log
  // at the clock-overhead line and expects the round trips right after it.
  threadSleep(CONSOLE_SETTLE_NANOSECONDS);
  roundTrips("roundtrip-16" + suffix, echo, 16, ROUND_TRIPS, direct);
  roundTrips("roundtrip-4096" + suffix, echo, 4096, LARGE_ROUND_TRIPS, direct);
  handleClose(echo);
  return true;
}
