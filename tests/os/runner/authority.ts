// Authority comes from the parent, and limits hold: a hostile component
// (tests/os/hostile) whose manifest claims the store server's name and
// asks for every path, state name and payload file, spawned by the runner
// with a narrow grant (HOSTILE_GRANT), and a flooder that fills the
// runner's pulse queue before it ends.
//
//   1. Grants beyond the runner's own rights (a higher ceiling, a path or
//      a port it does not hold), a grant its kind may not have (state for
//      an app) and a manifest asking for a priority above the ceiling it
//      was given are refused: ACCESS_DENIED; a grant whose memory or table
//      quota is below the module's initial size is a refused load:
//      QUOTA_EXCEEDED.
//   2. The hostile component: serving a path its manifest asks for and its
//      grant does not give is ACCESS_DENIED; registering or taking over
//      /test/store (granted, held by init's store) is ALREADY_EXISTS —
//      its manifest's name is the store's, its identity is not; a state
//      name not granted is ACCESS_DENIED, and `table` opens an object of
//      its own, zeroed (not the store's); spawning a child with more than
//      it holds is ACCESS_DENIED; a priority above its ceiling, by
//      thread.set_priority or thread.create, is ACCESS_DENIED; threads
//      and handles stop at their limits (QUOTA_EXCEEDED), memory.grow at
//      its pages, memory.create at its object pages (its state object
//      counts). The store server still answers, with what the runner
//      stored, and still holds its name; the runner gets the end pulse.
//   3. A flooder with `pulses 8` queues 8 and is refused (QUOTA_EXCEEDED);
//      one with a limit above the queue's fills the runner's queue
//      (QUEUE_FULL) and ends: its end pulse still arrives.

import {
  handleClose, nameOpen, COMPONENT_STATE_EXITED, ERROR_ACCESS_DENIED, ERROR_ALREADY_EXISTS, ERROR_QUEUE_FULL,
  ERROR_QUOTA_EXCEEDED, TEST_STORE_PATH,
} from "../../../ipc/generated/index";
import { Check, describeStatus } from "./check";
import { initStart } from "./init-client";
import { get, put, storeReply } from "./state-object";
import { awaitEnd, awaitPulse, dropPulses, receiveQueued, spawn, status, takeEndPulse, takePulse } from "./supervision";
import { PULSE_CODE_COMPONENT_ENDED } from "../../../ipc/generated/index";
import { PULSE_FLOOD, PULSE_HOSTILE } from "../lib/runner-path";
import {
  HOSTILE_HANDLES, HOSTILE_HANDLES_REFUSED, HOSTILE_OBJECT_FITS, HOSTILE_OBJECT_PAST, HOSTILE_PAGES, HOSTILE_PRIORITY_ABOVE, HOSTILE_PRIORITY_AT, HOSTILE_REGISTER_HELD,
  HOSTILE_SERVE_OTHER, HOSTILE_SPAWN_HIGHER, HOSTILE_SPAWN_WIDER, HOSTILE_STATE_OPEN, HOSTILE_STATE_OTHER, HOSTILE_STATE_VALUE,
  HOSTILE_STEPS, HOSTILE_TAKE_OVER, HOSTILE_THREAD_ABOVE, HOSTILE_THREADS, HOSTILE_THREADS_REFUSED, STORE_SLOT, floodStatus,
} from "../lib/hostile-steps";

/** The hostile component's grant: its limits are the ones its attacks run into. */
const HOSTILE_GRANT = "serve /test/hostile\nserve /test/store\nopen /test/runner\nstate table\nspawn test/hello.wasm\n"
  + "ceiling 8\nthreads 4\npages 8\nhandles 16\npulses 8\nobjects 4";
const HOSTILE_THREADS_LIMIT = 4;
const HOSTILE_HANDLES_LIMIT = 16;
const HOSTILE_PAGES_LIMIT = 8;
const FLOOD_LIMIT = 8;
/** More than a channel's queue holds (PULSE_QUEUE_LENGTH, 64): the queue fills first. */
const FLOOD_PAST_QUEUE = "open /test/runner\npulses 200";
const STORE_MARK: u64 = 0x5ea1ed5ea1ed;

const ENDS_WITHIN: i64 = 10_000_000_000;

function grants(check: Check): void {
  check.refused(spawn("test/hostile.wasm", HOSTILE_GRANT + "\nceiling 31"), ERROR_ACCESS_DENIED, "a grant of ceiling 31, above the runner's 25");
  check.refused(spawn("test/hostile.wasm", HOSTILE_GRANT + "\nserve /test/echo"), ERROR_ACCESS_DENIED, "a grant of a path the runner does not hold");
  check.refused(spawn("test/hostile.wasm", "kind driver\nport 0x60 1"), ERROR_ACCESS_DENIED, "a grant of a port the runner does not hold");
  check.refused(spawn("test/client.wasm", "kind app\nstate table"), ERROR_ACCESS_DENIED, "a grant of a state object to an app");
  check.refused(spawn("test/yielder.wasm", ""), ERROR_ACCESS_DENIED, "a manifest asking for priority 25 above the default ceiling");
  check.refused(spawn("test/hostile.wasm", HOSTILE_GRANT + "\npages 0"), ERROR_QUOTA_EXCEEDED, "a load whose initial memory is above its pages limit");
  check.refused(spawn("test/hostile.wasm", HOSTILE_GRANT + "\ntable 0"), ERROR_QUOTA_EXCEEDED, "a load whose table is above its table limit");
}

/** The hostile component's results by step, -0x7fffffff for a step it did not report. */
function hostileResults(check: Check, id: u32): i32[] {
  const results = new Array<i32>(HOSTILE_STEPS);
  for (let i: u32 = 0; i < HOSTILE_STEPS; i++) results[i] = -0x7fffffff;
  for (let i: u32 = 0; i < HOSTILE_STEPS; i++) {
    const value = awaitPulse(PULSE_HOSTILE, id);
    if (!check.ok(value >= 0, "the hostile component ended after " + i.toString() + " of its " + HOSTILE_STEPS.toString() + " reports")) break;
    const step = <u32>(<u64>value >> 32);
    if (step < HOSTILE_STEPS) results[step] = <i32><u32>value;
  }
  return results;
}

function hostile(check: Check): void {
  const storeId = initStart("store");
  if (!check.succeeded(storeId, "init.start store")) return;
  const store = nameOpen(TEST_STORE_PATH, 5_000_000_000);
  if (!check.succeeded(store, "name.open " + TEST_STORE_PATH)) return;
  if (!check.succeeded(put(store, STORE_SLOT, STORE_MARK), "put before the attack")) return;

  const id = spawn("test/hostile.wasm", HOSTILE_GRANT);
  if (!check.succeeded(id, "component.spawn test/hostile.wasm")) return;
  const results = hostileResults(check, <u32>id);
  check.refused(results[HOSTILE_SERVE_OTHER], ERROR_ACCESS_DENIED, "name.register of /test/echo (manifest: serve *; not granted)");
  check.refused(results[HOSTILE_REGISTER_HELD], ERROR_ALREADY_EXISTS, "name.register of the store's path");
  check.refused(results[HOSTILE_TAKE_OVER], ERROR_ALREADY_EXISTS, "a take-over of the store's path by a component claiming its name");
  check.refused(results[HOSTILE_STATE_OTHER], ERROR_ACCESS_DENIED, "state.open of a name not granted (manifest: state *)");
  check.succeeded(results[HOSTILE_STATE_OPEN], "state.open of the granted name `table`");
  check.equal(results[HOSTILE_STATE_VALUE], 0, "what the hostile component found in its `table` (the store's holds the mark)");
  check.refused(results[HOSTILE_SPAWN_WIDER], ERROR_ACCESS_DENIED, "a child granted a path its parent does not hold");
  check.refused(results[HOSTILE_SPAWN_HIGHER], ERROR_ACCESS_DENIED, "a child granted a ceiling above its parent's");
  check.refused(results[HOSTILE_PRIORITY_ABOVE], ERROR_ACCESS_DENIED, "thread.set_priority above the ceiling");
  check.succeeded(results[HOSTILE_PRIORITY_AT], "thread.set_priority at the ceiling");
  check.refused(results[HOSTILE_THREAD_ABOVE], ERROR_ACCESS_DENIED, "thread.create above the ceiling");
  check.equal(results[HOSTILE_THREADS], HOSTILE_THREADS_LIMIT, "threads alive when thread.create was refused");
  check.refused(results[HOSTILE_THREADS_REFUSED], ERROR_QUOTA_EXCEEDED, "thread.create past the threads limit");
  check.equal(results[HOSTILE_HANDLES], HOSTILE_HANDLES_LIMIT, "handles held when channel.create was refused");
  check.refused(results[HOSTILE_HANDLES_REFUSED], ERROR_QUOTA_EXCEEDED, "channel.create past the handles limit");
  check.equal(results[HOSTILE_PAGES], HOSTILE_PAGES_LIMIT, "pages of memory once memory.grow failed");
  check.refused(results[HOSTILE_OBJECT_PAST], ERROR_QUOTA_EXCEEDED, "memory.create past the objects limit");
  check.succeeded(results[HOSTILE_OBJECT_FITS], "memory.create within the objects limit");
  check.equal(awaitEnd(<u32>id, ENDS_WITHIN), COMPONENT_STATE_EXITED, "the hostile component's end");
  check.ok(takeEndPulse(<u32>id), "the hostile component's end pulse");

  const answered = get(store, STORE_SLOT);
  if (check.succeeded(answered, "get from the store after the attack")) {
    check.equal(<i64>storeReply.value, <i64>STORE_MARK, "the store's slot after the attack");
    check.equal(storeReply.instance, storeId, "the instance answering after the attack");
  }
  handleClose(store);
  const again = nameOpen(TEST_STORE_PATH, 0);
  if (check.succeeded(again, "name.open " + TEST_STORE_PATH + " after the attack")) {
    if (check.succeeded(get(again, STORE_SLOT), "get through a new connection")) check.equal(storeReply.instance, storeId, "the instance the name reaches");
    handleClose(again);
  }
}

/** Spawns the flooder with `grant`, waits for its end: its exit status, with the flood received and its end pulse taken. */
function flood(check: Check, grant: string, what: string): i32 {
  receiveQueued();
  const id = spawn("test/flooder.wasm", grant);
  if (!check.succeeded(id, "component.spawn test/flooder.wasm (" + what + ")")) return -1;
  if (!check.equal(awaitEnd(<u32>id, ENDS_WITHIN), COMPONENT_STATE_EXITED, "the flooder's end (" + what + ")")) return -1;
  receiveQueued();
  check.ok(takePulse(PULSE_CODE_COMPONENT_ENDED, <i64>id, false) >= 0, "the flooder's end pulse after its flood (" + what + ")");
  const flooded = dropPulses(PULSE_FLOOD);
  const exit = status.exitStatus;
  check.equal(flooded, exit >> 8, "flood pulses received against those the flooder queued (" + what + ")");
  return exit;
}

function floods(check: Check): void {
  const limited = flood(check, "open /test/runner\npulses " + FLOOD_LIMIT.toString(), "pulses " + FLOOD_LIMIT.toString());
  if (limited >= 0) check.equal(limited, floodStatus(FLOOD_LIMIT, ERROR_QUOTA_EXCEEDED), "the flood under its limit: pulses queued, error");
  const full = flood(check, FLOOD_PAST_QUEUE, "past the queue");
  if (full >= 0) {
    check.equal(full & 0xff, -ERROR_QUEUE_FULL, "what stopped the flood past the queue (" + describeStatus(-(full & 0xff)) + ")");
    check.note("the flood past the queue queued " + (full >> 8).toString() + " pulses before QUEUE_FULL; the end pulse came all the same");
  }
}

export function hostileComponent(check: Check): void {
  grants(check);
  hostile(check);
  floods(check);
  check.summary = "grants beyond the runner's rights refused; a component claiming the store's name could not serve, take over or reach"
    + " the store's name or state, nor grant a child more than it held, nor pass its ceiling, threads, handles or pages; a flood of"
    + " pulses stopped at its limit and at the full queue, and the end pulse still came";
}
