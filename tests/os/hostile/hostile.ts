// A hostile component: it tries to use what its own manifest asks for but
// its parent did not grant, to take the store server's name and state, to
// give a child more than it holds, to run above its priority ceiling and
// to exceed its quotas. It reports each result to the runner by a pulse
// (lib/hostile-steps.ts) and exits; tests/os/runner/hostile.ts checks them.

import "../lib/abort";
import {
  channelCreate, componentExit, memoryCreate, memoryMap, nameOpen, nameRegister, pulseSend, stateOpen, threadCreate,
  threadSetPriority, threadSleep, NAME_TAKE_OVER, ERROR_QUOTA_EXCEEDED, MAP_WRITABLE, TEST_ECHO_PATH, TEST_STORE_PATH,
} from "../../../ipc/generated/index";
import { spawnGranted } from "../../../ipc/client/spawn";
import { RUNNER_PATH, PULSE_HOSTILE } from "../lib/runner-path";
import {
  HOSTILE_HANDLES, HOSTILE_HANDLES_REFUSED, HOSTILE_OBJECT_FITS, HOSTILE_OBJECT_PAST, HOSTILE_PAGES, HOSTILE_PRIORITY_ABOVE, HOSTILE_PRIORITY_AT, HOSTILE_REGISTER_HELD,
  HOSTILE_SERVE_OTHER, HOSTILE_SPAWN_HIGHER, HOSTILE_SPAWN_WIDER, HOSTILE_STATE_OPEN, HOSTILE_STATE_OTHER, HOSTILE_STATE_VALUE,
  HOSTILE_TAKE_OVER, HOSTILE_THREAD_ABOVE, HOSTILE_THREADS, HOSTILE_THREADS_REFUSED, STORE_SLOT,
} from "../lib/hostile-steps";
import { pageAligned } from "../lib/pages";

/** Its ceiling and its `objects` limit in the runner's grant. */
const CEILING: i32 = 8;
const OBJECT_PAGES: u32 = 4;
const STATE_BYTES: u32 = 8192;

let runner: i32 = 0;

function report(step: u32, result: i32): void {
  // A report that finds its own pulses at their limit waits for the runner to take them.
  while (pulseSend(runner, PULSE_HOSTILE, <i64>((<u64>step << 32) | <u64><u32>result)) == ERROR_QUOTA_EXCEEDED) threadSleep(1_000_000);
}

function parked(argument: i32): void {
  while (true) threadSleep(1_000_000_000_000);
}

export function _start(): void {
  runner = nameOpen(RUNNER_PATH, 1_000_000_000);
  if (runner < 0) componentExit(runner);
  const channel = channelCreate(0);
  if (channel < 0) componentExit(channel);

  report(HOSTILE_SERVE_OTHER, nameRegister(TEST_ECHO_PATH, channel, 0));
  report(HOSTILE_REGISTER_HELD, nameRegister(TEST_STORE_PATH, channel, 0));
  report(HOSTILE_TAKE_OVER, nameRegister(TEST_STORE_PATH, channel, NAME_TAKE_OVER));
  report(HOSTILE_STATE_OTHER, stateOpen("counter", STATE_BYTES));
  const state = stateOpen("table", STATE_BYTES);
  report(HOSTILE_STATE_OPEN, state);
  let found: i32 = -1;
  if (state >= 0) {
    const table = pageAligned(STATE_BYTES);
    if (memoryMap(state, <u32>table, STATE_BYTES, MAP_WRITABLE) >= 0) {
      found = <i32>load<u64>(table + (<usize>STORE_SLOT << 3));
      // Whatever it reached, it spoils.
      memory.fill(table, 0xee, STATE_BYTES);
    }
  }
  report(HOSTILE_STATE_VALUE, found);
  // The state object took 2 of its 4 object pages.
  report(HOSTILE_OBJECT_PAST, memoryCreate((OBJECT_PAGES - 1) * 4096));
  const object = memoryCreate((OBJECT_PAGES - 2) * 4096);
  report(HOSTILE_OBJECT_FITS, object);
  report(HOSTILE_SPAWN_WIDER, spawnGranted("test/hello.wasm", 0, "open /test/echo"));
  report(HOSTILE_SPAWN_HIGHER, spawnGranted("test/hello.wasm", 0, "open /test/runner\nceiling " + (CEILING + 1).toString()));

  report(HOSTILE_PRIORITY_ABOVE, threadSetPriority(CEILING + 1));
  report(HOSTILE_PRIORITY_AT, threadSetPriority(CEILING));
  report(HOSTILE_THREAD_ABOVE, threadCreate(<u32>parked.index, 0, CEILING + 1));
  let threads = 1, created = 0;
  while ((created = threadCreate(<u32>parked.index, 0, 4)) >= 0) threads++;
  report(HOSTILE_THREADS, threads);
  report(HOSTILE_THREADS_REFUSED, created);

  let handles = 2 + (state >= 0 ? 1 : 0) + (object >= 0 ? 1 : 0);
  let opened = 0;
  while ((opened = channelCreate(0)) >= 0) handles++;
  report(HOSTILE_HANDLES, handles);
  report(HOSTILE_HANDLES_REFUSED, opened);

  while (memory.grow(1) >= 0) {}
  report(HOSTILE_PAGES, memory.size());
  componentExit(0);
}
