// A hostile app that hands the kernel read-only memory to write into, for
// the hostile-memory test (tests/os/runner/hostile.ts). memory.map
// without MAP_WRITABLE makes a page of its own memory read-only; every
// kernel write there — handle.info's record, component.status's record,
// a receive buffer and a receiveInfo (a pulse queued, a pulse to a waiting
// receiver, a message to a waiting receiver, its receiveInfo alone too:
// the native fast path stores that one itself), a reply buffer — once
// halted the machine. Each must now fail that call alone with BAD_ADDRESS
// and lose nothing: the pulse and the message wait for the next receive,
// the server's reply with a good buffer still reaches its client, and the
// echo server, whose reply met the read-only page, keeps answering.
//
// The verdict is the exit status: 0 when every call did what it should,
// else the number of the first step that did not.

import "../lib/abort";
import {
  channelCreate, componentExit, componentSelf, componentStatus, connectionCreate, handleInfo, memoryCreate, memoryMap,
  msgReceive, msgReply, msgSend, nameOpen, pulseSend, threadCreate, threadSleep, ERROR_BAD_ADDRESS, PAGE_SIZE,
  PRIORITY_DEFAULT, RECEIVE_ID_PULSE, TEST_ECHO_ECHO, TEST_ECHO_ECHO_REQUEST_SIZE, TEST_ECHO_PATH, TestEchoEchoReply,
  TestEchoEchoRequest,
} from "../../../ipc/generated/index";
import { pageAligned } from "../lib/pages";

const PULSE_CODE: i32 = 5;
const PULSE_VALUE: i64 = 0x5eed;
const SERVER_STATUS: i32 = 7;

let readOnly: usize = 0;
let channel: i32 = 0;
const good = heap.alloc(256);
const info = heap.alloc(64);
let serverStep: i32 = 0;

function expect(step: i32, ok: bool): void {
  if (!ok) componentExit(step);
}

/**
 * The second thread, a server on the app's own channel: waits to receive
 * into the read-only page (the main thread's message comes to it there and
 * must fail it), receives again into good memory, replies first from
 * memory outside its own and then properly; then waits with a good buffer
 * and its receiveInfo in the read-only page (the next message must fail
 * it), receives that message with both good and replies. serverStep tells
 * how far it got.
 */
function serve(_argument: i32): void {
  const first = msgReceive(channel, <u32>readOnly, 64, 0);
  serverStep = first == ERROR_BAD_ADDRESS ? 1 : -first - 1000;
  if (serverStep != 1) return;
  const id = msgReceive(channel, <u32>good, 64, <u32>info);
  serverStep = id > 0 && load<u64>(good) == 0xfeedface ? 2 : -3;
  if (serverStep != 2) return;
  store<u64>(good, 0x600df00d);
  msgReply(<u32>id, SERVER_STATUS, <u32>good, 8);
  serverStep = 3;
  const infoFault = msgReceive(channel, <u32>good, 64, <u32>(readOnly + 8));
  serverStep = infoFault == ERROR_BAD_ADDRESS ? 4 : -infoFault - 2000;
  if (serverStep != 4) return;
  const second = msgReceive(channel, <u32>good, 64, <u32>info);
  serverStep = second > 0 && load<u64>(good) == 0xbeefcafe ? 5 : -5;
  if (serverStep != 5) return;
  msgReply(<u32>second, SERVER_STATUS, <u32>good, 8);
  serverStep = 6;
}

export function _start(): void {
  // 1: a read-only page of its own memory.
  const memory = memoryCreate(PAGE_SIZE);
  expect(1, memory > 0);
  readOnly = pageAligned(PAGE_SIZE);
  expect(2, memoryMap(memory, <u32>readOnly, PAGE_SIZE, 0) == 0);
  expect(3, load<u8>(readOnly) == 0);

  // Records the kernel writes.
  expect(10, handleInfo(memory, <u32>readOnly) == ERROR_BAD_ADDRESS);
  expect(11, handleInfo(memory, <u32>(readOnly + PAGE_SIZE - 4)) == ERROR_BAD_ADDRESS);
  expect(12, componentStatus(<u32>componentSelf(), <u32>readOnly) == ERROR_BAD_ADDRESS);

  // A queued pulse: the receive fails, the pulse stays for the next one.
  channel = channelCreate(0);
  expect(20, channel > 0);
  const self = connectionCreate(channel);
  expect(21, self > 0);
  expect(22, pulseSend(self, PULSE_CODE, PULSE_VALUE) == 0);
  expect(23, msgReceive(channel, <u32>readOnly, 64, 0) == ERROR_BAD_ADDRESS);
  expect(24, msgReceive(channel, <u32>good, 64, <u32>readOnly) == ERROR_BAD_ADDRESS);
  expect(25, msgReceive(channel, <u32>good, 64, <u32>info) == RECEIVE_ID_PULSE);
  expect(26, load<i32>(good) == PULSE_CODE && load<i64>(good, 8) == PULSE_VALUE);

  // A message to a receiver waiting with a read-only buffer, then the reply.
  expect(30, threadCreate(<u32>serve.index, 0, PRIORITY_DEFAULT) > 0);
  threadSleep(20_000_000);
  expect(31, serverStep == 0);
  const request = heap.alloc(16), reply = heap.alloc(16);
  store<u64>(request, 0xfeedface);
  expect(32, msgSend(self, <u32>request, 8, <u32>reply, 8) == SERVER_STATUS);
  expect(33, load<u64>(reply) == 0x600df00d);
  threadSleep(10_000_000);
  expect(34, serverStep == 3);
  // The same server waits with its receiveInfo read-only: this message fails its receive, then reaches it.
  store<u64>(request, 0xbeefcafe);
  expect(35, msgSend(self, <u32>request, 8, <u32>reply, 8) == SERVER_STATUS);
  threadSleep(10_000_000);
  expect(36, serverStep == 6);

  // The echo server replies into a read-only page: this send fails, the server lives on.
  const echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  expect(40, echo > 0);
  const message = changetype<TestEchoEchoRequest>(request);
  message.operation = TEST_ECHO_ECHO;
  message.sequence = 77;
  expect(41, msgSend(echo, <u32>request, TEST_ECHO_ECHO_REQUEST_SIZE, <u32>readOnly, TEST_ECHO_ECHO_REQUEST_SIZE) == ERROR_BAD_ADDRESS);
  message.sequence = 78;
  expect(42, msgSend(echo, <u32>request, TEST_ECHO_ECHO_REQUEST_SIZE, <u32>reply, TEST_ECHO_ECHO_REQUEST_SIZE) >= 0);
  expect(43, changetype<TestEchoEchoReply>(reply).sequence == 78);
  componentExit(0);
}
