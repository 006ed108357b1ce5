// One of the many clients of the many-clients test
// (tests/os/runner/many-clients.ts): several instances of this program
// send the echo server REQUESTS requests each at the same time, every one
// with data of its own (made from its component id and the sequence
// number) and a length that varies, and check every reply. The verdict is
// the exit status: 0 when every reply was right, else the first problem:
// -1 .. -255 a system call's error, 1000 + n a wrong reply to request n.

import "../lib/abort";
import {
  componentExit, componentSelf, msgSend, nameOpen, threadYield, TEST_ECHO_PATH, TEST_ECHO_ECHO,
  TEST_ECHO_ECHO_REQUEST_SIZE, TestEchoEchoReply, TestEchoEchoRequest,
} from "../../../ipc/generated/index";

export const REQUESTS: u32 = 200;
const LARGEST: u32 = 256;

function byteOf(self: u32, sequence: u32, index: u32): u8 {
  return <u8>(self * 31 + sequence * 7 + index);
}

export function _start(): void {
  const self = <u32>componentSelf();
  const echo = nameOpen(TEST_ECHO_PATH, 5_000_000_000);
  if (echo < 0) componentExit(echo);
  const request = heap.alloc(TEST_ECHO_ECHO_REQUEST_SIZE + LARGEST);
  const reply = heap.alloc(TEST_ECHO_ECHO_REQUEST_SIZE + LARGEST);
  let instance: u32 = 0;
  for (let sequence: u32 = 0; sequence < REQUESTS; sequence++) {
    const length = (self * 13 + sequence * 29) % LARGEST;
    const message = changetype<TestEchoEchoRequest>(request);
    message.operation = TEST_ECHO_ECHO;
    message.sequence = sequence;
    for (let i: u32 = 0; i < length; i++) store<u8>(message.data + i, byteOf(self, sequence, i));
    memory.fill(reply, 0xee, TEST_ECHO_ECHO_REQUEST_SIZE + LARGEST);
    const size = TEST_ECHO_ECHO_REQUEST_SIZE + length;
    const status = msgSend(echo, request, size, reply, size);
    if (status < 0) componentExit(status);
    const answer = changetype<TestEchoEchoReply>(reply);
    if (instance == 0) instance = answer.instance;
    let right = answer.sequence == sequence && answer.instance == instance && answer.instance != 0;
    for (let i: u32 = 0; right && i < length; i++) right = load<u8>(answer.data + i) == byteOf(self, sequence, i);
    if (!right) componentExit(<i32>(1000 + sequence));
    // Let the other clients in between, so that the server sees them interleaved.
    if (sequence % 16 == 15) threadYield();
  }
  componentExit(0);
}
