// The test.shared server: memory objects shared by handle in both
// directions (tests/os/runner/shared-memory.ts). `fill` maps the object the
// client sent with its message, reads what the client wrote and writes an
// answer the client then reads through its own mapping; `share` creates an
// object, fills it and gives the client a handle to it. The server closes
// its own handles when done, so the object lives on through the client's.

import "../lib/abort";
import {
  Handle, handleClose, handleInfo, memoryCreate, memoryMap, memoryUnmap, msgGrant, HandleInfo, HANDLE_INFO_SIZE,
  MAP_WRITABLE, PAGE_SIZE, RIGHT_MAP, RIGHT_WRITE, RIGHT_DUPLICATE, ERROR_INVALID_ARGUMENT, TEST_SHARED_PATH,
  TestSharedFillReply, TestSharedShareReply,
} from "../../../ipc/generated/index";
import { serveTestShared, TestSharedHandlers } from "../../../ipc/generated/servers/test-shared";
import { Server } from "../../../ipc/client/index";
import { pageAligned } from "../lib/pages";

const BUFFER_SIZE: u32 = 64;
/** The largest object the server maps. */
const WINDOW_BYTES: u32 = 64 << 10;

class Shared extends TestSharedHandlers {
  window: usize = pageAligned(WINDOW_BYTES);
  /** handle.info's record of the client's object. */
  objectInfo: usize = heap.alloc(HANDLE_INFO_SIZE);

  /** Maps the client's object, sums its first `length` bytes, writes (seed + i) over the next `length`. */
  fill(length: u32, seed: u32, memory: Handle, reply: TestSharedFillReply): i32 {
    const window = this.window;
    let status = memory == 0 ? ERROR_INVALID_ARGUMENT : handleInfo(memory, this.objectInfo);
    const bytes = status >= 0 ? <u32>changetype<HandleInfo>(this.objectInfo).bytes : 0;
    if (status >= 0 && (bytes > WINDOW_BYTES || <u64>length * 2 > <u64>bytes)) status = ERROR_INVALID_ARGUMENT;
    if (status >= 0) status = memoryMap(memory, <u32>window, bytes, MAP_WRITABLE);
    let sum: u32 = 0;
    if (status >= 0) {
      for (let i: u32 = 0; i < length; i++) sum += <u32>load<u8>(window + i);
      for (let i: u32 = 0; i < length; i++) store<u8>(window + length + i, <u8>(seed + i));
      memoryUnmap(<u32>window, bytes);
    }
    if (memory != 0) handleClose(memory);
    reply.sum = sum;
    return status < 0 ? status : 0;
  }

  /** Creates an object of `bytes` filled with (seed + i) and grants the client a handle to it. */
  share(bytes: u32, seed: u32, reply: TestSharedShareReply): i32 {
    const window = this.window;
    if (bytes == 0 || bytes > WINDOW_BYTES || bytes % PAGE_SIZE != 0) return ERROR_INVALID_ARGUMENT;
    const memory = memoryCreate(bytes);
    if (memory < 0) return memory;
    let status = memoryMap(memory, <u32>window, bytes, MAP_WRITABLE);
    if (status >= 0) {
      for (let i: u32 = 0; i < bytes; i++) store<u8>(window + i, <u8>(seed + i));
      memoryUnmap(<u32>window, bytes);
      status = msgGrant(this.receiveId, memory, RIGHT_MAP | RIGHT_WRITE | RIGHT_DUPLICATE);
    }
    handleClose(memory);
    if (status < 0) return status;
    reply.handle = <u32>status;
    return 0;
  }
}

export function _start(): void {
  const server = new Server(TEST_SHARED_PATH);
  if (!server.isServing) return;
  serveTestShared(new Shared(), server.channel, BUFFER_SIZE);
}
