// The test.store server: 1024 numbers kept in a state object, so that they
// outlive this instance. A restarted instance opens the same state object
// (state.open finds it by the identity init gave it, init/store, and the object's name) and
// maps it where the old one had it; the state-object test reads back what
// it stored before the kill (tests/os/runner/state-object.ts).

import "../lib/abort";
import {
  componentSelf, memoryMap, msgReceive, msgReply, stateOpen, MAP_WRITABLE, PAGE_SIZE,
  ReceiveInfo, RECEIVE_INFO_SIZE, ERROR_INVALID_ARGUMENT, TEST_STORE_PATH, TEST_STORE_PUT, TEST_STORE_GET,
  TEST_STORE_PUT_REQUEST_SIZE, TEST_STORE_GET_REQUEST_SIZE, TEST_STORE_GET_REPLY_SIZE, TEST_STORE_ERROR_BAD_SLOT,
  TestStorePutRequest, TestStoreGetRequest, TestStoreGetReply,
} from "../../../ipc/generated/index";
import { Server } from "../../../ipc/client/index";
import { line } from "../lib/log";
import { pageAligned } from "../lib/pages";

const SLOTS: u32 = 1024;
const TABLE_BYTES: u32 = SLOTS * 8;
const BUFFER_SIZE: u32 = 64;

export function _start(): void {
  const state = stateOpen("table", TABLE_BYTES);
  if (state < 0) { line("state.open failed: " + state.toString()); return; }
  const table = pageAligned(TABLE_BYTES);
  const mapped = memoryMap(state, <u32>table, TABLE_BYTES, MAP_WRITABLE);
  if (mapped < 0) { line("memory.map of the state object failed: " + mapped.toString()); return; }
  const server = new Server(TEST_STORE_PATH);
  if (!server.isServing) return;
  const channel = server.channel;
  const instance = <u32>componentSelf();
  line("serving " + TEST_STORE_PATH + ": component " + instance.toString() + ", table at " + table.toString() + " (" + (TABLE_BYTES / PAGE_SIZE).toString() + " pages of the state object)");
  const buffer = heap.alloc(BUFFER_SIZE);
  const info = heap.alloc(RECEIVE_INFO_SIZE);
  while (true) {
    const receiveId = msgReceive(channel, buffer, BUFFER_SIZE, info);
    if (receiveId <= 0) continue;
    const length = changetype<ReceiveInfo>(info).sendLength;
    const operation = length >= 4 ? load<u32>(buffer) : 0;
    if (operation == TEST_STORE_PUT && length >= TEST_STORE_PUT_REQUEST_SIZE) {
      const request = changetype<TestStorePutRequest>(buffer);
      if (request.slot >= SLOTS) { msgReply(receiveId, TEST_STORE_ERROR_BAD_SLOT, 0, 0); continue; }
      store<u64>(table + (<usize>request.slot << 3), request.value);
      msgReply(receiveId, 0, 0, 0);
    } else if (operation == TEST_STORE_GET && length >= TEST_STORE_GET_REQUEST_SIZE) {
      const slot = changetype<TestStoreGetRequest>(buffer).slot;
      if (slot >= SLOTS) { msgReply(receiveId, TEST_STORE_ERROR_BAD_SLOT, 0, 0); continue; }
      const reply = changetype<TestStoreGetReply>(buffer);
      reply.value = load<u64>(table + (<usize>slot << 3));
      reply.instance = instance;
      msgReply(receiveId, 0, buffer, TEST_STORE_GET_REPLY_SIZE);
    } else {
      msgReply(receiveId, ERROR_INVALID_ARGUMENT, 0, 0);
    }
  }
}
