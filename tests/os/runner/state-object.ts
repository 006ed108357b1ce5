// A state object surviving its server's death (tests/os/store): the runner
// stores SLOTS numbers, has init kill the store server as a fault would
// and start a new instance, and reads every number back from the new
// instance, which re-attached the same state object by name. The old
// connection must fail with DEAD_SERVER; a new one reaches the new
// instance; init must report a second start.

import {
  handleClose, msgSend, nameOpen, ERROR_DEAD_SERVER, TEST_STORE_PATH, TEST_STORE_PUT, TEST_STORE_GET,
  TEST_STORE_PUT_REQUEST_SIZE, TEST_STORE_GET_REQUEST_SIZE, TEST_STORE_GET_REPLY_SIZE, TestStorePutRequest,
  TestStoreGetRequest, TestStoreGetReply,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { initRestart, initStart, initStatus, initStatusReply } from "./init-client";

const SLOTS: u32 = 300;
const request = heap.alloc(32);
const reply = heap.alloc(32);
/** The last get's reply. */
export const storeReply = changetype<TestStoreGetReply>(reply);

function valueOf(slot: u32): u64 { return <u64>slot * 0x9e3779b97f4a7c15 + 12345; }

/** Stores `value` in `slot` of the store server: the send's status. */
export function put(connection: i32, slot: u32, value: u64): i32 {
  const message = changetype<TestStorePutRequest>(request);
  message.operation = TEST_STORE_PUT;
  message.slot = slot;
  message.value = value;
  return msgSend(connection, request, TEST_STORE_PUT_REQUEST_SIZE, reply, 0);
}

/** Reads a slot into `reply` (TestStoreGetReply, also `storeReply`): the send's status. */
export function get(connection: i32, slot: u32): i32 {
  const message = changetype<TestStoreGetRequest>(request);
  message.operation = TEST_STORE_GET;
  message.slot = slot;
  return msgSend(connection, request, TEST_STORE_GET_REQUEST_SIZE, reply, TEST_STORE_GET_REPLY_SIZE);
}

export function stateObject(check: Check): void {
  const first = initStart("store");
  if (!check.succeeded(first, "init.start store")) return;
  if (!check.succeeded(initStatus("store"), "init.status store")) return;
  const startsBefore = initStatusReply.starts;
  const connection = nameOpen(TEST_STORE_PATH, 5_000_000_000);
  if (!check.succeeded(connection, "name.open " + TEST_STORE_PATH)) return;
  for (let slot: u32 = 0; slot < SLOTS; slot++) {
    const status = put(connection, slot, valueOf(slot));
    if (status < 0) { check.succeeded(status, "put " + slot.toString()); return; }
  }
  if (!check.succeeded(get(connection, SLOTS - 1), "get before the kill")) return;
  check.equal(changetype<TestStoreGetReply>(reply).instance, first, "the instance that answered before the kill");

  const second = initRestart(<u32>first);
  if (!check.succeeded(second, "init.restart of the store server")) return;
  if (!check.ok(second != 0 && second != first, "init started no new instance (" + second.toString() + ")")) return;
  check.refused(get(connection, 0), ERROR_DEAD_SERVER, "a send on the dead instance's connection");
  handleClose(connection);

  const again = nameOpen(TEST_STORE_PATH, 5_000_000_000);
  if (!check.succeeded(again, "name.open " + TEST_STORE_PATH + " after the restart")) return;
  for (let slot: u32 = 0; slot < SLOTS; slot++) {
    const status = get(again, slot);
    if (status < 0) { check.succeeded(status, "get " + slot.toString() + " after the restart"); return; }
    const answer = changetype<TestStoreGetReply>(reply);
    if (answer.value != valueOf(slot)) { check.ok(false, "slot " + slot.toString() + " after the restart: 0x" + answer.value.toString(16) + ", stored 0x" + valueOf(slot).toString(16)); return; }
    if (answer.instance != <u32>second) { check.equal(answer.instance, second, "the instance answering after the restart"); return; }
  }
  handleClose(again);
  if (check.succeeded(initStatus("store"), "init.status store")) {
    check.equal(initStatusReply.starts, startsBefore + 1, "init's count of store starts");
    check.equal(initStatusReply.component, second, "init's running store instance");
  }
  check.summary = SLOTS.toString() + " numbers stored through component " + first.toString() + ", which was killed, read back unchanged from its successor, component " + second.toString();
}
