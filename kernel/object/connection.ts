// Connections: the client side of message passing. A connection names one
// channel; msg.send and pulse.send go through it.
//
// Invariants:
//  - a connection always names the channel it was made for; it outlives
//    that channel (a server's end), and every send through it after the
//    channel closed fails with DEAD_SERVER — to reach the next instance
//    of a server, a client opens its name again (ipc/client does);
//  - connections are made by connection.create (from a channel handle with
//    CONNECT) and by name.open; they hold no state of their own, so any
//    number may name one channel.

import { KernelObject, handlesOf } from "./handle";
import { Channel } from "./channel";
import { Thread } from "./thread";
import { CONNECTION_RIGHTS, OBJECT_TYPE_CONNECTION } from "../generated/abi";

export class Connection extends KernelObject {
  constructor(readonly channel: Channel) {
    super(OBJECT_TYPE_CONNECTION);
  }
}

/** connection.create: a new connection to a channel the caller holds. */
export function connectionCreate(caller: Thread, channel: Channel): i32 {
  return handlesOf(caller.component!).add(new Connection(channel), CONNECTION_RIGHTS);
}
