// The test.store server: 1024 numbers kept in a state object, so that they
// outlive this instance. A restarted instance opens the same state object
// (state.open finds it by the identity init gave it, init/store, and the object's name) and
// maps it where the old one had it; the state-object test reads back what
// it stored before the kill (tests/os/runner/state-object.ts).

import "../lib/abort";
import {
  componentSelf, memoryMap, stateOpen, MAP_WRITABLE, PAGE_SIZE, TEST_STORE_PATH, TEST_STORE_ERROR_BAD_SLOT,
  TestStoreGetReply,
} from "../../../ipc/generated/index";
import { serveTestStore, TestStoreHandlers } from "../../../ipc/generated/servers/test-store";
import { Server } from "../../../ipc/client/index";
import { line } from "../lib/log";
import { pageAligned } from "../lib/pages";

const SLOTS: u32 = 1024;
const TABLE_BYTES: u32 = SLOTS * 8;
const BUFFER_SIZE: u32 = 64;

class Store extends TestStoreHandlers {
  constructor(readonly table: usize, readonly instance: u32) { super(); }

  put(slot: u32, value: u64): i32 {
    if (slot >= SLOTS) return TEST_STORE_ERROR_BAD_SLOT;
    store<u64>(this.table + (<usize>slot << 3), value);
    return 0;
  }

  get(slot: u32, reply: TestStoreGetReply): i32 {
    if (slot >= SLOTS) return TEST_STORE_ERROR_BAD_SLOT;
    reply.value = load<u64>(this.table + (<usize>slot << 3));
    reply.instance = this.instance;
    return 0;
  }
}

export function _start(): void {
  const state = stateOpen("table", TABLE_BYTES);
  if (state < 0) { line("state.open failed: " + state.toString()); return; }
  const table = pageAligned(TABLE_BYTES);
  const mapped = memoryMap(state, <u32>table, TABLE_BYTES, MAP_WRITABLE);
  if (mapped < 0) { line("memory.map of the state object failed: " + mapped.toString()); return; }
  const server = new Server(TEST_STORE_PATH);
  if (!server.isServing) return;
  const instance = <u32>componentSelf();
  line("serving " + TEST_STORE_PATH + ": component " + instance.toString() + ", table at " + table.toString() + " (" + (TABLE_BYTES / PAGE_SIZE).toString() + " pages of the state object)");
  serveTestStore(new Store(table, instance), server.channel, BUFFER_SIZE);
}
