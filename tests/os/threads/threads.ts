// Threads of one component under AssemblyScript's full runtime (`--runtime
// incremental`: its collector finds managed objects through the shadow
// stack), for the component-threads test (tests/os/runner/threads.ts).
//
// WORKERS threads — the first and the ones it makes with thread.create —
// each build managed data (arrays, strings, a map), keep it in locals
// DEPTH frames deep while they block in the kernel (a sleep, or a
// msg.send to the echo server with managed buffers), run a full collection
// (`__collect`) as soon as they run again, while the others are blocked
// holding theirs, churn the heap so that whatever was freed by mistake is
// overwritten, and then check every value, ROUNDS times. The kernel moves
// each thread's frames in and out of the running area of the shadow stack
// when the component lock changes hands; without that, the threads' frames
// overlap and the collector frees what a blocked thread still holds.
//
// Then the limit: threads are made (each waits for a release) until
// thread.create says NO_MEMORY — every thread needs a slot of the shadow
// stack — and the number of threads alive at once goes to the runner in a
// PULSE_THREADS pulse. They are released, and once they have ended one
// more thread must be made, in a slot they gave back.
//
// The verdict is the exit status: 0 when all was right; -1 .. -255 a
// system call's error; 1000 + 100 × worker + round: that worker found its
// data changed in that round; 2: thread.create never said NO_MEMORY;
// 3: a wrong echo reply.

import "../lib/abort";
import {
  componentExit, msgSend, nameOpen, pulseSend, threadCreate, threadSleep, ERROR_NO_MEMORY, PRIORITY_DEFAULT,
  TEST_ECHO_PATH, TEST_ECHO_ECHO, TEST_ECHO_ECHO_REQUEST_SIZE,
} from "../../../ipc/generated/index";
import { PULSE_THREADS, RUNNER_PATH } from "../lib/runner-path";

const WORKERS: i32 = 4;
const ROUNDS: i32 = 24;
/** Frames with managed locals between a worker's loop and its blocking call. */
const DEPTH: i32 = 3;
/** thread.create attempts before giving up on NO_MEMORY. */
const MOST_THREADS: i32 = 200;

let echo: i32 = 0;
/** The first failure (an exit status), 0 while none. */
let failure: i32 = 0;
let workersDone: i32 = 0;
let parkedAlive: i32 = 0;
let parkedRelease: bool = false;
let lastRan: bool = false;

function fail(status: i32): void {
  if (failure == 0) failure = status;
}

function mix(worker: i32, round: i32, index: i32): u32 {
  let value = <u32>worker * 0x9e3779b1 ^ <u32>round * 0x85ebca6b ^ <u32>index * 0xc2b2ae35;
  value ^= value >> 15;
  return value * 0x2c1b3c6d;
}

function numbersFor(worker: i32, round: i32): Array<u32> {
  const length = 8 + (worker * 7 + round * 5) % 40;
  const numbers = new Array<u32>(length);
  for (let i = 0; i < length; i++) numbers[i] = mix(worker, round, i);
  return numbers;
}

function numbersRight(numbers: Array<u32>, worker: i32, round: i32): bool {
  if (numbers.length != 8 + (worker * 7 + round * 5) % 40) return false;
  for (let i = 0; i < numbers.length; i++) if (numbers[i] != mix(worker, round, i)) return false;
  return true;
}

function textFor(worker: i32, round: i32): string {
  return "worker " + worker.toString() + " round " + round.toString() + ": " + mix(worker, round, 99).toString(16);
}

/** Allocates and drops objects of the sizes the workers use, filled with other values. */
function churn(seed: i32): void {
  for (let i = 0; i < 48; i++) {
    const junk = new Array<u32>(8 + (seed + i * 3) % 40);
    for (let k = 0; k < junk.length; k++) junk[k] = 0xdead0000 | <u32>k;
    const text = "junk " + (seed * 31 + i).toString() + " " + junk[0].toString(16);
    if (text.length == 0) fail(4);
  }
}

/** Blocks in the kernel: a sleep, or a round trip to the echo server with managed buffers. */
function blockInKernel(worker: i32, round: i32): i32 {
  if ((worker + round) % 2 == 0) return threadSleep(1_000_000);
  const data = 16 + worker * 4;
  const request = new Uint8Array(TEST_ECHO_ECHO_REQUEST_SIZE + data);
  const reply = new Uint8Array(TEST_ECHO_ECHO_REQUEST_SIZE + data);
  store<u32>(request.dataStart, TEST_ECHO_ECHO);
  store<u32>(request.dataStart + 4, <u32>round);
  for (let i = 0; i < data; i++) request[TEST_ECHO_ECHO_REQUEST_SIZE + i] = <u8>mix(worker, round, i);
  const status = msgSend(echo, request.dataStart, request.length, reply.dataStart, reply.length);
  if (status < 0) return status;
  if (load<u32>(reply.dataStart) != <u32>round) return 3;
  for (let i = 0; i < data; i++) if (reply[TEST_ECHO_ECHO_REQUEST_SIZE + i] != <u8>mix(worker, round, i)) return 3;
  return 0;
}

/** DEPTH frames, each holding an array and a string of its own, around a blocking call and a collection. */
function descend(worker: i32, round: i32, depth: i32): i32 {
  const key = round * 8 + depth;
  const numbers = numbersFor(worker, key);
  const text = textFor(worker, key);
  let status: i32;
  if (depth == 0) {
    status = blockInKernel(worker, round);
    __collect();
    churn(worker * 100 + round);
  } else {
    status = descend(worker, round, depth - 1);
  }
  if (status != 0) return status;
  if (!numbersRight(numbers, worker, key) || text != textFor(worker, key)) return 1000 + 100 * worker + round;
  return 0;
}

function work(worker: i32): void {
  const texts = new Map<i32, string>();
  const kept = new Array<Array<u32>>();
  for (let round = 0; round < ROUNDS && failure == 0; round++) {
    texts.set(round, textFor(worker, round));
    kept.push(numbersFor(worker, round));
    const status = descend(worker, round, DEPTH);
    if (status != 0) { fail(status); break; }
    for (let past = 0; past <= round; past++) {
      if (!texts.has(past) || texts.get(past) != textFor(worker, past) || !numbersRight(kept[past], worker, past)) {
        fail(1000 + 100 * worker + round);
        break;
      }
    }
  }
  workersDone++;
}

/** The entry of the threads made for workers 1 .. WORKERS - 1. */
function workerThread(worker: i32): void {
  work(worker);
}

/** A thread of the limit test: waits for the release. */
function parkedThread(_argument: i32): void {
  while (!parkedRelease) threadSleep(2_000_000);
  parkedAlive--;
}

function lastThread(_argument: i32): void {
  lastRan = true;
}

function waitUntil(done: () => bool): void {
  while (!done()) threadSleep(2_000_000);
}

/** Makes threads until NO_MEMORY: how many were alive at once (this one included), or -1. */
function threadLimit(): i32 {
  let alive = 1;
  for (let attempt = 0; attempt < MOST_THREADS; attempt++) {
    const id = threadCreate(<u32>parkedThread.index, 0, PRIORITY_DEFAULT);
    if (id == ERROR_NO_MEMORY) return alive;
    if (id < 0) componentExit(id);
    alive++;
    parkedAlive++;
  }
  return -1;
}

export function _start(): void {
  echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  if (echo < 0) componentExit(echo);
  const runner = nameOpen(RUNNER_PATH, 1_000_000_000);
  if (runner < 0) componentExit(runner);
  for (let worker = 1; worker < WORKERS; worker++) {
    const id = threadCreate(<u32>workerThread.index, <u32>worker, PRIORITY_DEFAULT);
    if (id < 0) componentExit(id);
  }
  work(0);
  waitUntil((): bool => workersDone == WORKERS);
  if (failure != 0) componentExit(failure);

  const limit = threadLimit();
  if (limit < 0) componentExit(2);
  pulseSend(runner, PULSE_THREADS, limit);
  parkedRelease = true;
  waitUntil((): bool => parkedAlive == 0);
  const id = threadCreate(<u32>lastThread.index, 0, PRIORITY_DEFAULT);
  if (id < 0) componentExit(id);
  waitUntil((): bool => lastRan);
  componentExit(0);
}
