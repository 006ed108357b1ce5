// A memory object shared by handle and seen by both sides
// (tests/os/shared): the runner creates an object, maps it, writes into
// it and sends a handle with its message; the server maps the same object,
// sums what the runner wrote (the reply) and writes a pattern after it,
// which the runner then reads through its own mapping — without any copy.
// Then the other way: the server creates and fills an object and grants
// the runner a handle, which the runner maps and reads.

import {
  handleClose, handleInfo, memoryCreate, memoryMap, memoryUnmap, msgSend, msgSendv, nameOpen, HandleInfo,
  HANDLE_INFO_SIZE, Iovec, IOVEC_SIZE, MAP_WRITABLE, OBJECT_TYPE_MEMORY, PAGE_SIZE, TEST_SHARED_PATH,
  TEST_SHARED_FILL, TEST_SHARED_SHARE, TEST_SHARED_FILL_REQUEST_SIZE, TEST_SHARED_SHARE_REQUEST_SIZE,
  TEST_SHARED_SHARE_REPLY_SIZE, TestSharedFillRequest, TestSharedShareRequest, TestSharedShareReply,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { initStart } from "./init-client";
import { pageAligned } from "../lib/pages";

const OBJECT_BYTES: u32 = 2 * PAGE_SIZE;
const CLIENT_BYTES: u32 = 3000;
const FILL_SEED: u32 = 41;
const SHARE_SEED: u32 = 9;

function clientByte(index: u32): u8 { return <u8>(index * 7 + 3); }

function clientToServer(check: Check, server: i32, window: usize): void {
  const memory = memoryCreate(OBJECT_BYTES);
  if (!check.succeeded(memory, "memory.create")) return;
  if (!check.succeeded(memoryMap(memory, <u32>window, OBJECT_BYTES, MAP_WRITABLE), "memory.map of the runner's object")) return;
  let sum: u32 = 0;
  for (let i: u32 = 0; i < CLIENT_BYTES; i++) {
    store<u8>(window + i, clientByte(i));
    sum += <u32>clientByte(i);
  }
  const request = heap.alloc(TEST_SHARED_FILL_REQUEST_SIZE), reply = heap.alloc(8);
  const message = changetype<TestSharedFillRequest>(request);
  message.operation = TEST_SHARED_FILL;
  message.length = CLIENT_BYTES;
  message.seed = FILL_SEED;
  const iovecs = heap.alloc(2 * IOVEC_SIZE);
  changetype<Iovec>(iovecs).address = <u32>request;
  changetype<Iovec>(iovecs).length = TEST_SHARED_FILL_REQUEST_SIZE;
  changetype<Iovec>(iovecs + IOVEC_SIZE).address = <u32>reply;
  changetype<Iovec>(iovecs + IOVEC_SIZE).length = 4;
  if (check.succeeded(msgSendv(server, iovecs, 1, iovecs + IOVEC_SIZE, 1, memory), "msg.sendv with the object's handle")) {
    check.equal(load<u32>(reply), sum, "the sum the server read through its mapping");
    for (let i: u32 = 0; i < CLIENT_BYTES; i++) {
      const byte = load<u8>(window + CLIENT_BYTES + i);
      if (byte != <u8>(FILL_SEED + i)) { check.equal(byte, <u8>(FILL_SEED + i), "byte " + (CLIENT_BYTES + i).toString() + " the server wrote, read through the runner's mapping"); break; }
    }
    for (let i: u32 = 0; i < CLIENT_BYTES; i++) {
      const byte = load<u8>(window + i);
      if (byte != clientByte(i)) { check.equal(byte, clientByte(i), "the runner's own byte " + i.toString()); break; }
    }
  }
  check.succeeded(memoryUnmap(<u32>window, OBJECT_BYTES), "memory.unmap");
  handleClose(memory);
}

function serverToClient(check: Check, server: i32, window: usize): void {
  const request = heap.alloc(TEST_SHARED_SHARE_REQUEST_SIZE), reply = heap.alloc(TEST_SHARED_SHARE_REPLY_SIZE);
  const message = changetype<TestSharedShareRequest>(request);
  message.operation = TEST_SHARED_SHARE;
  message.bytes = OBJECT_BYTES;
  message.seed = SHARE_SEED;
  if (!check.succeeded(msgSend(server, request, TEST_SHARED_SHARE_REQUEST_SIZE, reply, TEST_SHARED_SHARE_REPLY_SIZE), "test.shared share")) return;
  const handle = <i32>changetype<TestSharedShareReply>(reply).handle;
  const info = heap.alloc(HANDLE_INFO_SIZE);
  if (!check.equal(handleInfo(handle, info), OBJECT_TYPE_MEMORY, "the granted handle's object type")) return;
  check.equal(<i64>changetype<HandleInfo>(info).bytes, OBJECT_BYTES, "the granted object's size");
  if (!check.succeeded(memoryMap(handle, <u32>window, OBJECT_BYTES, 0), "memory.map of the granted object, read-only")) return;
  for (let i: u32 = 0; i < OBJECT_BYTES; i++) {
    const byte = load<u8>(window + i);
    if (byte != <u8>(SHARE_SEED + i)) { check.equal(byte, <u8>(SHARE_SEED + i), "byte " + i.toString() + " of the server's object"); break; }
  }
  check.succeeded(memoryUnmap(<u32>window, OBJECT_BYTES), "memory.unmap");
  handleClose(handle);
}

export function sharedMemory(check: Check): void {
  if (!check.succeeded(initStart("shared"), "init.start shared")) return;
  const server = nameOpen(TEST_SHARED_PATH, 5_000_000_000);
  if (!check.succeeded(server, "name.open " + TEST_SHARED_PATH)) return;
  const window = pageAligned(OBJECT_BYTES);
  clientToServer(check, server, window);
  if (!check.failed) serverToClient(check, server, window);
  handleClose(server);
  check.summary = "a " + OBJECT_BYTES.toString() + "-byte object written by the runner was read by the server, which wrote "
    + CLIENT_BYTES.toString() + " bytes the runner read through its own mapping; an object the server filled and granted was read by the runner";
}
