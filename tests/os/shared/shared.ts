// The test.shared server: memory objects shared by handle in both
// directions (tests/os/runner/shared-memory.ts). `fill` maps the object the
// client sent with its message, reads what the client wrote and writes an
// answer the client then reads through its own mapping; `share` creates an
// object, fills it and gives the client a handle to it. The server closes
// its own handles when done, so the object lives on through the client's.

import "../lib/abort";
import {
  handleClose, handleInfo, memoryCreate, memoryMap, memoryUnmap, msgGrant, msgReceive, msgReply,
  HandleInfo, HANDLE_INFO_SIZE, MAP_WRITABLE, PAGE_SIZE, ReceiveInfo, RECEIVE_INFO_SIZE, RIGHT_MAP, RIGHT_WRITE,
  RIGHT_DUPLICATE, ERROR_INVALID_ARGUMENT, TEST_SHARED_PATH, TEST_SHARED_FILL, TEST_SHARED_SHARE,
  TEST_SHARED_FILL_REQUEST_SIZE, TEST_SHARED_SHARE_REQUEST_SIZE, TEST_SHARED_FILL_REPLY_SIZE,
  TEST_SHARED_SHARE_REPLY_SIZE, TestSharedFillRequest, TestSharedFillReply, TestSharedShareRequest,
  TestSharedShareReply,
} from "../../../ipc/generated/index";
import { Server } from "../../../ipc/client/index";
import { pageAligned } from "../lib/pages";

const BUFFER_SIZE: u32 = 64;
/** The largest object the server maps. */
const WINDOW_BYTES: u32 = 64 << 10;

let window: usize = 0;
let info: usize = 0;

/** Maps the client's object, sums its first `length` bytes, writes (seed + i) over the next `length`. */
function fill(receiveId: i32, buffer: usize, handle: i32): void {
  const request = changetype<TestSharedFillRequest>(buffer);
  const length = request.length, seed = request.seed;
  let status = handle == 0 ? ERROR_INVALID_ARGUMENT : handleInfo(handle, info);
  const bytes = status >= 0 ? <u32>changetype<HandleInfo>(info).bytes : 0;
  if (status >= 0 && (bytes > WINDOW_BYTES || <u64>length * 2 > <u64>bytes)) status = ERROR_INVALID_ARGUMENT;
  if (status >= 0) status = memoryMap(handle, <u32>window, bytes, MAP_WRITABLE);
  let sum: u32 = 0;
  if (status >= 0) {
    for (let i: u32 = 0; i < length; i++) sum += <u32>load<u8>(window + i);
    for (let i: u32 = 0; i < length; i++) store<u8>(window + length + i, <u8>(seed + i));
    memoryUnmap(<u32>window, bytes);
  }
  if (handle != 0) handleClose(handle);
  changetype<TestSharedFillReply>(buffer).sum = sum;
  msgReply(receiveId, status < 0 ? status : 0, buffer, TEST_SHARED_FILL_REPLY_SIZE);
}

/** Creates an object of `bytes` filled with (seed + i) and grants the client a handle to it. */
function share(receiveId: i32, buffer: usize): void {
  const request = changetype<TestSharedShareRequest>(buffer);
  const bytes = request.bytes, seed = request.seed;
  if (bytes == 0 || bytes > WINDOW_BYTES || bytes % PAGE_SIZE != 0) { msgReply(receiveId, ERROR_INVALID_ARGUMENT, 0, 0); return; }
  const memory = memoryCreate(bytes);
  if (memory < 0) { msgReply(receiveId, memory, 0, 0); return; }
  let status = memoryMap(memory, <u32>window, bytes, MAP_WRITABLE);
  if (status >= 0) {
    for (let i: u32 = 0; i < bytes; i++) store<u8>(window + i, <u8>(seed + i));
    memoryUnmap(<u32>window, bytes);
    status = msgGrant(receiveId, memory, RIGHT_MAP | RIGHT_WRITE | RIGHT_DUPLICATE);
  }
  handleClose(memory);
  if (status < 0) { msgReply(receiveId, status, 0, 0); return; }
  changetype<TestSharedShareReply>(buffer).handle = <u32>status;
  msgReply(receiveId, 0, buffer, TEST_SHARED_SHARE_REPLY_SIZE);
}

export function _start(): void {
  const server = new Server(TEST_SHARED_PATH);
  if (!server.isServing) return;
  const channel = server.channel;
  window = pageAligned(WINDOW_BYTES);
  info = heap.alloc(max(HANDLE_INFO_SIZE, RECEIVE_INFO_SIZE));
  const receiveInfo = heap.alloc(RECEIVE_INFO_SIZE);
  const buffer = heap.alloc(BUFFER_SIZE);
  while (true) {
    const receiveId = msgReceive(channel, buffer, BUFFER_SIZE, receiveInfo);
    if (receiveId <= 0) continue;
    const received = changetype<ReceiveInfo>(receiveInfo);
    const length = received.sendLength;
    const operation = length >= 4 ? load<u32>(buffer) : 0;
    if (operation == TEST_SHARED_FILL && length >= TEST_SHARED_FILL_REQUEST_SIZE) fill(receiveId, buffer, <i32>received.handle);
    else if (operation == TEST_SHARED_SHARE && length >= TEST_SHARED_SHARE_REQUEST_SIZE) share(receiveId, buffer);
    else {
      if (received.handle != 0) handleClose(<i32>received.handle);
      msgReply(receiveId, ERROR_INVALID_ARGUMENT, 0, 0);
    }
  }
}
