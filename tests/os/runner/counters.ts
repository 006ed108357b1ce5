// Handle numbers are not handed out again: a handle closed and then kept
// (by mistake or malice) must never name the object that a later
// creation put in its place. The kernel numbers a component's handles
// from a 31-bit count (kernel/object/handle.ts), so a number comes back
// only after 2^31 - 1 creations in that table. The test creates and closes
// CYCLES channels — more than a 15-bit generation per slot could tell
// apart — and checks that none got the first closed number, that the
// closed number stays BAD_HANDLE, and that the numbers kept growing.

import { channelCreate, handleClose, handleInfo, ERROR_BAD_HANDLE, HANDLE_INFO_SIZE } from "../../../ipc/generated/index";
import { Check } from "./check";

const CYCLES: i32 = 40_000;

export function handleNumbers(check: Check): void {
  const info = heap.alloc(HANDLE_INFO_SIZE);
  const first = channelCreate(0);
  if (!check.succeeded(first, "channel.create")) return;
  if (!check.succeeded(handleClose(first), "handle.close")) return;
  let previous = first;
  let distinct = 0;
  for (let i = 0; i < CYCLES; i++) {
    const handle = channelCreate(0);
    if (!check.succeeded(handle, "channel.create " + i.toString())) return;
    if (!check.ok(handle != first, "creation " + i.toString() + " got the closed handle's number " + first.toString() + " again")) return;
    if (handle > previous) distinct++;
    previous = handle;
    if (!check.succeeded(handleClose(handle), "handle.close " + i.toString())) return;
  }
  check.refused(handleInfo(first, <u32>info), ERROR_BAD_HANDLE, "handle.info of the first closed handle");
  check.equal(distinct, CYCLES, "creations that got a number above the one before");
  check.summary = CYCLES.toString() + " channels created and closed: every number new, the first closed one still BAD_HANDLE (last " + previous.toString() + ")";
}
