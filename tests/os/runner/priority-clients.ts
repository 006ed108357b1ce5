// A server thread that received several messages before replying runs at
// the highest priority among their senders, not at the last one's. The
// runner's main thread is the server here, at its own priority 4, on a
// private channel; two threads of the runner send to it, A at 8 then B at
// 6 (each runs as soon as it is created, above the server, and waits in
// the channel's senders). The server receives A's message, then B's:
//
//   serving A and B   8   (the last one's would be 6)
//   B replied to      8   (A still waits; the server's own would be 4)
//   A replied to      4
//
// The priorities are read with thread.priority, so nothing here depends on
// timing. Once A and B are answered they are above the server and wait for
// the runner's component lock, lending the server their priority until it
// lets go (docs/kernel.md): the last reading comes after a short sleep.

import {
  channelCreate, connectionCreate, handleClose, msgReceive, msgReply, msgSend, threadCreate, threadExit,
  threadPriority, threadSetPriority, threadSleep, PRIORITY_DEFAULT,
} from "../../../ipc/generated/index";
import { Check } from "./check";

const SERVER_PRIORITY: i32 = 4;
const A_PRIORITY: i32 = 8;
const B_PRIORITY: i32 = 6;

let connection: i32 = 0;
let answered: i32 = 0;

function client(_argument: i32): void {
  const buffer = heap.alloc(8);
  if (msgSend(connection, buffer, 4, buffer, 4) == 0) answered++;
  threadExit();
}

export function priorityClients(check: Check): void {
  const channel = channelCreate(0);
  if (!check.succeeded(channel, "channel.create")) return;
  connection = connectionCreate(channel);
  answered = 0;
  threadSetPriority(SERVER_PRIORITY);
  const buffer = heap.alloc(64);
  if (check.succeeded(threadCreate(<u32>client.index, 0, A_PRIORITY), "thread.create of A")
    && check.succeeded(threadCreate(<u32>client.index, 0, B_PRIORITY), "thread.create of B")) {
    const first = msgReceive(channel, buffer, 64, 0);
    const second = msgReceive(channel, buffer, 64, 0);
    const both = threadPriority();
    check.ok(first > 0 && second > 0, "two messages received");
    check.equal(both, A_PRIORITY, "the server's priority serving A (" + A_PRIORITY.toString() + ") and B (" + B_PRIORITY.toString() + ")");
    check.succeeded(msgReply(second, 0, buffer, 4), "msg.reply to B");
    check.equal(threadPriority(), A_PRIORITY, "the server's priority once B was answered, A still waiting");
    check.succeeded(msgReply(first, 0, buffer, 4), "msg.reply to A");
    // A and B, answered and above this thread, wait for the runner's lock and lend it their priority until it lets go.
    threadSleep(1_000_000);
    check.equal(threadPriority(), SERVER_PRIORITY, "the server's priority once both were answered (its own)");
    check.equal(answered, 2, "clients answered");
  }
  threadSetPriority(PRIORITY_DEFAULT);
  handleClose(connection);
  handleClose(channel);
  check.summary = "a server thread of priority " + SERVER_PRIORITY.toString() + " holding messages of priorities " + A_PRIORITY.toString()
    + " and " + B_PRIORITY.toString() + " ran at " + A_PRIORITY.toString() + " until it had answered both";
}
