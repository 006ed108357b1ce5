// Where the fields of components, handle tables and channels lie, for the
// message fast path (fast-path.ts), which reads and writes them by address
// (sched/layout.ts says why and has the threads' and lists' fields). The
// kernel exports these too, with the values and globals below, for the
// link's native fast path (arch/x86_64/link/fast-path.ts).

import { Component } from "../component/component";
import { Channel } from "./channel";
import { Connection } from "./connection";
import { ComponentObjects, HandleEntry, HandleTable, KernelObject } from "./handle";
import { PulseQueue } from "./pulse";
import { DirectServer } from "./direct";
import { ComponentState } from "../component/component";

export const COMPONENT_ID = offsetof<Component>("id");
export const COMPONENT_MEMORY_OBJECT = offsetof<Component>("memoryObject");
export const COMPONENT_LOCK_OWNER = offsetof<Component>("lockOwnerLink");
export const COMPONENT_LOCK_WAITERS = offsetof<Component>("lockWaiters");
export const COMPONENT_LOCK_WAITED = offsetof<Component>("lockWaited");
export const COMPONENT_SHADOW_RUNNER = offsetof<Component>("shadowRunnerLink");
export const COMPONENT_IPC = offsetof<Component>("ipc");
export const COMPONENT_HANDLES = offsetof<Component>("handleTableLink");
export const COMPONENT_MESSAGES = offsetof<Component>("messages");
export const COMPONENT_STATE = offsetof<Component>("state");
export const COMPONENT_RUNNING: i32 = ComponentState.Running;

export const OBJECTS_HANDLES = offsetof<ComponentObjects>("handles");
export const TABLE_SLOTS = offsetof<HandleTable>("slots");
export const TABLE_MASK = offsetof<HandleTable>("mask");
export const TABLE_SEND_HANDLE = offsetof<HandleTable>("sendHandle");
export const TABLE_SEND_OBJECT = offsetof<HandleTable>("sendObject");
export const TABLE_RECEIVE_HANDLE = offsetof<HandleTable>("receiveHandle");
export const TABLE_RECEIVE_OBJECT = offsetof<HandleTable>("receiveObject");
export const ENTRY_OBJECT = offsetof<HandleEntry>("object");
export const ENTRY_RIGHTS = offsetof<HandleEntry>("rights");
export const ENTRY_NUMBER = offsetof<HandleEntry>("number");
export const OBJECT_TYPE = offsetof<KernelObject>("type");

export const CONNECTION_CHANNEL = offsetof<Connection>("channel");
export const CHANNEL_SENDERS = offsetof<Channel>("senders");
export const CHANNEL_RECEIVERS = offsetof<Channel>("receivers");
export const CHANNEL_PULSES = offsetof<Channel>("pulses");
export const CHANNEL_LAST_RECEIVER = offsetof<Channel>("lastReceiver");
export const CHANNEL_IS_OPEN = offsetof<Channel>("isOpen");
export const CHANNEL_DIRECT = offsetof<Channel>("direct");
export const PULSES_COUNT = offsetof<PulseQueue>("count");
export const DIRECT_SERVER = offsetof<DirectServer>("server");
export const DIRECT_CODE = offsetof<DirectServer>("code");
export const DIRECT_BODY = offsetof<DirectServer>("body");
export const DIRECT_VMCTX = offsetof<DirectServer>("vmctx");
export const DIRECT_BUFFER = offsetof<DirectServer>("buffer");
export const DIRECT_CAPACITY = offsetof<DirectServer>("capacity");

/** An Array's storage (its elements' address). */
export const ARRAY_DATA = offsetof<Array<usize>>("dataStart");

// The values the native fast path uses: a thread's ipcValues slots and flags, the ABI's numbers.
export { FLAG_REPLY_VECTOR, FLAG_SEND_VECTOR, VALUE_FLAGS, VALUE_INFO, VALUE_REPLY_ADDRESS, VALUE_REPLY_SIZE, VALUE_SEND_ADDRESS, VALUE_SEND_SIZE } from "./message";
export {
  ERROR_BAD_ADDRESS, ERROR_BAD_HANDLE, ERROR_DEAD_SERVER, OBJECT_TYPE_CHANNEL, OBJECT_TYPE_CONNECTION, RECEIVE_INFO_COMPONENT, RECEIVE_INFO_HANDLE,
  RECEIVE_INFO_PRIORITY, RECEIVE_INFO_REPLY_LENGTH, RECEIVE_INFO_SEND_LENGTH, RECEIVE_INFO_SIZE, RECEIVE_INFO_THREAD, RIGHT_RECEIVE, RIGHT_SEND,
  REPLY_WAIT_LENGTH_SHIFT,
} from "../generated/abi";

// Direct calls: how far below the stack pointer a thread's stack floor may lie at most for a direct call.
export { DIRECT_CALL_FRAME } from "../sched/threads";

// The receive ids' table of thread slots and how an id is cut (receive-id.ts).
export { RECEIVE_ID_MASK, RECEIVE_SLOTS, receiveSlots } from "./receive-id";
