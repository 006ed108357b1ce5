// The fuzzer's victim: a server that workers send messages to, good and
// bad, and whose memory must come out of the run unchanged. At its start it
// fills a treasure of TREASURE_BYTES with a pattern and remembers its
// checksum; it never hands out an address inside the treasure, so nothing
// but a kernel that writes where it was not asked to can change it. It
// answers every message with the first bytes of the request and every
// check (from the supervisor, at the end of a run) with whether the
// treasure is still what it was. Pulses (workers send many) are taken and
// dropped.

import "../lib/abort";
import {
  delos_channel_create, delos_component_exit, delos_msg_receive, delos_msg_reply, delos_name_register,
} from "../../../ipc/generated/imports";
import { PAGE_SIZE, ReceiveInfo, RECEIVE_INFO_SIZE } from "../../../ipc/generated/index";
import { pageAligned } from "../lib/pages";
import { CHECK_REPLY_SIZE, MAGIC, OP_CHECK, VICTIM_PATH } from "../fuzz/protocol";

const TREASURE_BYTES: u32 = 16 * PAGE_SIZE;
const BUFFER_BYTES: u32 = 8192;

const treasure = pageAligned(TREASURE_BYTES);
const buffer = pageAligned(BUFFER_BYTES);
const info = changetype<ReceiveInfo>(heap.alloc(RECEIVE_INFO_SIZE));
const reply = heap.alloc(CHECK_REPLY_SIZE);

function checksum(): u32 {
  let sum: u32 = 0x811c9dc5;
  for (let i: u32 = 0; i < TREASURE_BYTES; i += 4) sum = (sum ^ load<u32>(treasure + i)) * 0x01000193;
  return sum;
}

export function _start(): void {
  let value: u32 = 0x12345678;
  for (let i: u32 = 0; i < TREASURE_BYTES; i += 4) {
    value = value * 1103515245 + 12345;
    store<u32>(treasure + i, value);
  }
  const expected = checksum();
  const channel = delos_channel_create(0);
  if (channel < 0) delos_component_exit(channel);
  const path = String.UTF8.encode(VICTIM_PATH);
  const registered = delos_name_register(changetype<u32>(path), <u32>path.byteLength, channel, 0);
  if (registered < 0) delos_component_exit(registered);
  let served: u32 = 0;
  while (true) {
    const id = delos_msg_receive(channel, <u32>buffer, BUFFER_BYTES, changetype<u32>(info));
    if (id <= 0) continue;
    served++;
    if (info.sendLength == 8 && load<u32>(buffer) == MAGIC && load<u32>(buffer, 4) == OP_CHECK) {
      const sum = checksum();
      store<u32>(reply, sum == expected ? 1 : 0);
      store<u32>(reply, served, 4);
      store<u32>(reply, sum, 8);
      delos_msg_reply(<u32>id, 0, <u32>reply, CHECK_REPLY_SIZE);
      continue;
    }
    const length = info.sendLength < 64 ? info.sendLength : 64;
    delos_msg_reply(<u32>id, 0, <u32>buffer, length);
  }
}
