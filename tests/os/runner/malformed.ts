// Malformed system-call arguments: every one must come back as the error
// the table promises (ipc/table), never as a kernel fault or a write into
// someone else's memory. The raw imports are called directly, so that the
// arguments reach the kernel exactly as written here: handles that were
// never handed out, closed, of the wrong type or without the right;
// pointers past the end of the runner's memory; pointer + length sums that
// overflow 32 bits; counts and lengths above the call's maximum; paths and
// names the manifest does not grant. Afterwards the kernel still serves.

import {
  delos_handle_close, delos_handle_duplicate, delos_handle_info, delos_msg_send, delos_msg_sendv, delos_msg_receive,
  delos_msg_reply, delos_msg_read, delos_name_open, delos_name_register, delos_memory_create, delos_memory_map,
  delos_pulse_send, delos_log_write, delos_thread_set_priority, delos_state_open, delos_component_kill,
  delos_component_status, delos_channel_create, delos_connection_create, delos_thread_timeout, delos_msg_reply_wait, delos_msg_info,
} from "../../../ipc/generated/imports";
import {
  handleClose, msgSend, nameOpen, ERROR_ACCESS_DENIED, ERROR_BAD_ADDRESS, ERROR_BAD_HANDLE, ERROR_INVALID_ARGUMENT,
  ERROR_NO_SENDER, ERROR_NOT_FOUND, ERROR_TOO_LARGE, ERROR_WRONG_TYPE, IOVEC_SIZE, PAGE_SIZE, RIGHT_SEND,
  RIGHT_TRANSFER, TEST_ECHO_PATH, TEST_ECHO_SQUARE, TEST_ECHO_SQUARE_REQUEST_SIZE, TEST_ECHO_SQUARE_REPLY_SIZE,
  NAME_TAKE_OVER, TIMEOUT_SEND,
} from "../../../ipc/generated/index";
import { RUNNER_PATH } from "../lib/runner-path";
import { Check } from "./check";
import { initStart } from "./init-client";

let cases: i32 = 0;

/** The current end of the runner's memory: read at each use, since allocations may grow it. */
// @ts-ignore: decorator
@inline function end(): u32 { return <u32>(memory.size() << 16); }

function expect(check: Check, result: i32, expected: i32, what: string): void {
  cases++;
  check.refused(result, expected, what);
}

/** Bytes in a fresh string, for paths and names: [address, length]. */
function bytesOf(text: string): u32 {
  return <u32>changetype<usize>(String.UTF8.encode(text));
}

export function malformedCalls(check: Check): void {
  cases = 0;
  if (!check.succeeded(initStart("echo"), "init.start echo")) return;
  const echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  if (!check.succeeded(echo, "name.open " + TEST_ECHO_PATH)) return;
  const buffer = <u32>heap.alloc(256);
  const channel = delos_channel_create(0);
  if (!check.succeeded(channel, "channel.create")) return;

  // Handles that are not handles of the caller.
  expect(check, delos_handle_close(0), ERROR_BAD_HANDLE, "handle.close(0)");
  expect(check, delos_handle_close(-1), ERROR_BAD_HANDLE, "handle.close(-1)");
  expect(check, delos_handle_close(0x7fffffff), ERROR_BAD_HANDLE, "handle.close(0x7fffffff)");
  expect(check, delos_msg_send(123457, buffer, 8, buffer, 8), ERROR_BAD_HANDLE, "msg.send on a handle never handed out");
  const closed = delos_connection_create(channel);
  check.succeeded(closed, "connection.create");
  check.succeeded(delos_handle_close(closed), "handle.close of a connection");
  expect(check, delos_msg_send(closed, buffer, 8, buffer, 8), ERROR_BAD_HANDLE, "msg.send on a closed handle");
  expect(check, delos_handle_close(closed), ERROR_BAD_HANDLE, "handle.close twice");
  // The native msg.send remembers the connection it sent on last, and msg.reply_wait the channel: a closed one is forgotten.
  const last = delos_handle_duplicate(echo, RIGHT_SEND);
  if (check.succeeded(last, "handle.duplicate of a connection")) {
    store<u32>(buffer, TEST_ECHO_SQUARE);
    store<u32>(buffer + 4, 9);
    check.succeeded(delos_msg_send(last, buffer, TEST_ECHO_SQUARE_REQUEST_SIZE, buffer + 128, TEST_ECHO_SQUARE_REPLY_SIZE), "msg.send on the duplicate");
    check.succeeded(delos_handle_close(last), "handle.close of the connection sent on last");
    expect(check, delos_msg_send(last, buffer, TEST_ECHO_SQUARE_REQUEST_SIZE, buffer + 128, TEST_ECHO_SQUARE_REPLY_SIZE), ERROR_BAD_HANDLE,
      "msg.send on the connection sent on last, closed");
  }
  expect(check, delos_msg_send(-1, buffer, 8, buffer, 8), ERROR_BAD_HANDLE, "msg.send(-1)");
  expect(check, <i32>delos_msg_reply_wait(0, 0, 0, -1, buffer, 64), ERROR_BAD_HANDLE, "msg.reply_wait on handle -1");
  expect(check, <i32>delos_msg_reply_wait(0, 0, 65, channel, buffer, 64), ERROR_INVALID_ARGUMENT, "msg.reply_wait with a reply longer than its buffer");
  expect(check, delos_msg_info(12345, buffer), ERROR_NO_SENDER, "msg.info of a message never received");

  // Handles of the wrong type or without the right.
  expect(check, delos_msg_send(channel, buffer, 8, buffer, 8), ERROR_WRONG_TYPE, "msg.send on a channel");
  expect(check, delos_msg_receive(echo, buffer, 64, 0), ERROR_WRONG_TYPE, "msg.receive on a connection");
  expect(check, delos_memory_map(echo, 0, PAGE_SIZE, 0), ERROR_WRONG_TYPE, "memory.map of a connection");
  const sendless = delos_handle_duplicate(echo, RIGHT_TRANSFER);
  if (check.succeeded(sendless, "handle.duplicate without SEND")) {
    expect(check, delos_msg_send(sendless, buffer, 8, buffer, 8), ERROR_ACCESS_DENIED, "msg.send without the SEND right");
    expect(check, delos_handle_duplicate(sendless, RIGHT_TRANSFER), ERROR_ACCESS_DENIED, "handle.duplicate without the DUPLICATE right");
    handleClose(sendless);
  }
  expect(check, delos_handle_duplicate(echo, RIGHT_SEND | 0x80000000), ERROR_ACCESS_DENIED, "handle.duplicate adding rights");

  // Pointers and lengths outside the caller's memory, overflowing sums included.
  expect(check, delos_msg_send(echo, end() - 4, 8, buffer, 8), ERROR_BAD_ADDRESS, "msg.send of bytes across the memory's end");
  expect(check, delos_msg_send(echo, end(), 1, buffer, 8), ERROR_BAD_ADDRESS, "msg.send of a byte at the memory's end");
  expect(check, delos_msg_send(echo, 0xfffffff0, 0x20, buffer, 8), ERROR_BAD_ADDRESS, "msg.send with pointer + length past 2^32");
  expect(check, delos_msg_send(echo, 16, 0xffffffff, buffer, 8), ERROR_BAD_ADDRESS, "msg.send of 4 GiB - 1 bytes");
  expect(check, delos_msg_send(echo, buffer, 8, end() - 4, 8), ERROR_BAD_ADDRESS, "msg.send with the reply buffer across the end");
  expect(check, delos_msg_send(echo, buffer, 8, 0xffffffff, 2), ERROR_BAD_ADDRESS, "msg.send with the reply buffer wrapping around");
  expect(check, delos_msg_receive(channel, end() - 8, 64, 0), ERROR_BAD_ADDRESS, "msg.receive into bytes across the end");
  expect(check, delos_msg_receive(channel, buffer, 64, end() - 4), ERROR_BAD_ADDRESS, "msg.receive with its info record across the end");
  expect(check, delos_handle_info(echo, 0xfffffffc), ERROR_BAD_ADDRESS, "handle.info writing at 2^32 - 4");
  expect(check, delos_component_status(1, end() - 8), ERROR_BAD_ADDRESS, "component.status writing across the end");
  expect(check, delos_log_write(end() - 2, 4), ERROR_BAD_ADDRESS, "log.write of bytes across the end");
  expect(check, delos_log_write(buffer, 4097), ERROR_INVALID_ARGUMENT, "log.write above its 4096-byte maximum");

  // Vectored messages: the array, the count, and every entry are checked.
  const iovecs = buffer + 64;
  store<u32>(iovecs, <u32>buffer);
  store<u32>(iovecs, 8, 4);
  store<u32>(iovecs + IOVEC_SIZE, 0xffffff00);
  store<u32>(iovecs + IOVEC_SIZE, 0x200, 4);
  expect(check, delos_msg_sendv(echo, <u32>iovecs, 17, <u32>iovecs, 1, 0), ERROR_INVALID_ARGUMENT, "msg.sendv with 17 buffers (maximum 16)");
  expect(check, delos_msg_sendv(echo, <u32>iovecs, 0xffffffff, <u32>iovecs, 1, 0), ERROR_INVALID_ARGUMENT, "msg.sendv with 2^32 - 1 buffers");
  expect(check, delos_msg_sendv(echo, end() - 4, 1, <u32>iovecs, 1, 0), ERROR_BAD_ADDRESS, "msg.sendv with the iovec array across the end");
  expect(check, delos_msg_sendv(echo, <u32>iovecs, 2, <u32>iovecs, 1, 0), ERROR_BAD_ADDRESS, "msg.sendv with an iovec whose pointer + length passes 2^32");
  expect(check, delos_msg_sendv(echo, <u32>iovecs, 1, <u32>iovecs, 1, 77777), ERROR_BAD_HANDLE, "msg.sendv transferring a handle that is not one");

  // Strings: paths and names.
  const forbidden = bytesOf("/forbidden/name");
  expect(check, delos_name_open(<u32>forbidden, 0, 0), ERROR_INVALID_ARGUMENT, "name.open of an empty path");
  expect(check, delos_name_open(<u32>forbidden, 256, 0), ERROR_INVALID_ARGUMENT, "name.open of a path above 255 bytes");
  expect(check, delos_name_open(end() - 4, 8, 0), ERROR_BAD_ADDRESS, "name.open of a path across the end");
  expect(check, delos_name_open(0xfffffffe, 8, 0), ERROR_BAD_ADDRESS, "name.open of a path wrapping around");
  expect(check, delos_name_open(<u32>forbidden, 15, 0), ERROR_ACCESS_DENIED, "name.open of a path the manifest does not grant");
  const echoPath = bytesOf(TEST_ECHO_PATH);
  expect(check, delos_name_register(<u32>echoPath, TEST_ECHO_PATH.length, channel, 0), ERROR_ACCESS_DENIED, "name.register of a path the manifest does not grant");
  expect(check, delos_name_register(<u32>echoPath, TEST_ECHO_PATH.length, channel, NAME_TAKE_OVER), ERROR_ACCESS_DENIED, "name.register taking over a path the manifest does not grant");
  const runnerPath = bytesOf(RUNNER_PATH);
  expect(check, delos_name_register(<u32>runnerPath, RUNNER_PATH.length, channel, 2), ERROR_INVALID_ARGUMENT, "name.register with an unknown flag");
  const otherState = bytesOf("not-mine");
  expect(check, delos_state_open(<u32>otherState, 8, PAGE_SIZE), ERROR_ACCESS_DENIED, "state.open of a state the manifest does not grant");

  // Values out of their ranges; ids that name nothing.
  expect(check, delos_memory_create(0xffffffff), ERROR_TOO_LARGE, "memory.create of 4 GiB");
  const memoryObject = delos_memory_create(PAGE_SIZE);
  if (check.succeeded(memoryObject, "memory.create of a page")) {
    const aligned = (buffer + 4095) & ~4095;
    expect(check, delos_memory_map(memoryObject, <u32>aligned + 1, PAGE_SIZE, 0), ERROR_INVALID_ARGUMENT, "memory.map at an address off a page");
    expect(check, delos_memory_map(memoryObject, end(), PAGE_SIZE, 0), ERROR_BAD_ADDRESS, "memory.map past the memory's end");
    expect(check, delos_memory_map(memoryObject, 0xfffff000, 2 * PAGE_SIZE, 0), ERROR_BAD_ADDRESS, "memory.map wrapping around");
    handleClose(memoryObject);
  }
  expect(check, delos_thread_set_priority(32), ERROR_INVALID_ARGUMENT, "thread.set_priority(32)");
  expect(check, delos_thread_set_priority(-1), ERROR_INVALID_ARGUMENT, "thread.set_priority(-1)");
  expect(check, delos_thread_timeout(8, 1000), ERROR_INVALID_ARGUMENT, "thread.timeout of an unknown state");
  expect(check, delos_thread_timeout(TIMEOUT_SEND, -1), ERROR_INVALID_ARGUMENT, "thread.timeout of a negative time");
  const self = delos_connection_create(channel);
  if (check.succeeded(self, "connection.create")) {
    expect(check, delos_pulse_send(self, 128, 0), ERROR_INVALID_ARGUMENT, "pulse.send with code 128 (maximum 127)");
    handleClose(self);
  }
  expect(check, delos_msg_reply(987654, 0, buffer, 8), ERROR_NO_SENDER, "msg.reply to a receive id never handed out");
  expect(check, delos_msg_read(987654, 0, buffer, 8), ERROR_NO_SENDER, "msg.read of a receive id never handed out");
  expect(check, delos_component_kill(0x7fffff00), ERROR_NOT_FOUND, "component.kill of no component");

  // And the kernel still serves: a request answered correctly.
  store<u32>(buffer, TEST_ECHO_SQUARE);
  store<u32>(buffer, 12345, 4);
  const status = msgSend(echo, buffer, TEST_ECHO_SQUARE_REQUEST_SIZE, buffer + 128, TEST_ECHO_SQUARE_REPLY_SIZE);
  check.succeeded(status, "a well-formed msg.send afterwards");
  check.equal(<i64>load<u64>(buffer + 128), 12345 * 12345, "its reply");
  handleClose(echo);
  handleClose(channel);
  check.summary = cases.toString() + " malformed calls refused with the documented error; the kernel still serves";
}
