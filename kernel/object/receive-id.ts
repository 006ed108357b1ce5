// Receive ids: a received message's id names its client. The low
// RECEIVE_SLOT_BITS bits are the client thread's slot in `receiveSlots`,
// the bits above them (up to bit 30) a generation that steps each time a
// message of the slot's thread is received. A reply, read or grant finds
// its client by one indexed load and compares the id the client holds:
//
//   id = generation << RECEIVE_SLOT_BITS | slot      (31 bits, never 0)
//
// Why: the message path kept a list of pending clients per component
// (`replyPending`), a counter of fresh ids and a test that the counter had
// not come round; every send pushed, every reply searched and removed. A
// thread waits for at most one reply, so its slot and generation name the
// message without any list: the send stores the next id into the client,
// the reply indexes by it.
//
// Invariants:
//  - a component thread holds a slot from its creation until it is freed
//    (scheduler's releaseThread); slot 0 is never given, so no id is 0
//    (RECEIVE_ID_PULSE);
//  - a Reply-blocked client holds the id of its message in `receiveId`
//    and the id of the component that received it in `pendingIn`; a
//    client is pending exactly while it is Blocked with BlockReason.Reply,
//    so an id is found only while its message waits for its reply, and
//    only by the component that received it;
//  - ids are unique while pending (one message per thread, one thread per
//    slot), and a slot's generation goes on from its last thread to its
//    next one, so a stale id (its client timed out, ended or was answered)
//    names no message until 2^19 further messages went through that slot:
//    then it could name the same slot's message to the same component
//    again. A forged id is the same as a stale one: at worst it answers a
//    message that the caller's component holds anyway.

import { Thread, ThreadState, BlockReason } from "./thread";

/** Bits of a receive id that name the client's thread slot. */
export const RECEIVE_SLOT_BITS: i32 = 12;
/** Thread slots, and so component threads alive at once, at most (slot 0 unused). */
export const RECEIVE_SLOTS: i32 = 1 << RECEIVE_SLOT_BITS;
/** The bits of a receive id: positive as an i32 result. */
export const RECEIVE_ID_MASK: u32 = 0x7fffffff;

/**
 * The threads by slot, as addresses (0: free). Each stays reachable
 * through the scheduler's list of threads for as long as it is here, so
 * the raw addresses need no collector barrier. Exported for the link's
 * native fast path (object/layout.ts).
 */
export const receiveSlots = new StaticArray<u32>(RECEIVE_SLOTS);
/** The last receive id of each slot's last thread: the next one goes on from it. */
const slotIds = new StaticArray<u32>(RECEIVE_SLOTS);
/** Where the search for a free slot starts (the one after the last taken). */
let searchFrom: i32 = 1;

/** Gives a new component thread a slot and its first id; false when every slot is taken. */
export function takeReceiveSlot(thread: Thread): bool {
  for (let n = 1; n < RECEIVE_SLOTS; n++) {
    let slot = searchFrom + n - 1;
    if (slot >= RECEIVE_SLOTS) slot -= RECEIVE_SLOTS - 1;
    if (unchecked(receiveSlots[slot]) != 0) continue;
    unchecked(receiveSlots[slot] = <u32>changetype<usize>(thread));
    const last = unchecked(slotIds[slot]);
    thread.receiveId = last != 0 ? last : <u32>slot;
    thread.receiveSlot = slot;
    searchFrom = slot + 1 < RECEIVE_SLOTS ? slot + 1 : 1;
    return true;
  }
  return false;
}

/** Gives a freed thread's slot back, keeping where its generation stood. */
export function releaseReceiveSlot(thread: Thread): void {
  const slot = thread.receiveSlot;
  if (slot <= 0) return;
  unchecked(slotIds[slot] = thread.receiveId);
  unchecked(receiveSlots[slot] = 0);
  thread.receiveSlot = 0;
}

/** The id of `client`'s next message: its slot, the generation after its last. */
// @ts-ignore: decorator
@inline export function nextReceiveId(client: Thread): u32 {
  return (client.receiveId + <u32>RECEIVE_SLOTS) & RECEIVE_ID_MASK;
}

/** The client waiting for component `componentId`'s reply under `receiveId`, or null. */
export function pendingClientOf(componentId: u32, receiveId: u32): Thread | null {
  const slot = receiveId & <u32>(RECEIVE_SLOTS - 1);
  const address = unchecked(receiveSlots[slot]);
  if (address == 0) return null;
  const client = changetype<Thread>(<usize>address);
  if (client.receiveId != receiveId || client.pendingIn != componentId) return null;
  if (client.state != ThreadState.Blocked || client.blockReason != BlockReason.Reply) return null;
  return client;
}
