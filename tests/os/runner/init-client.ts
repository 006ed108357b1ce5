// The runner's requests to init (the init protocol, servers/init): start
// the test servers, restart or replace them in the middle of a test, and
// read how they are doing. init is never restarted, so plain msg.send.

import {
  msgSend, nameOpen, INIT_PATH, INIT_START, INIT_RESTART, INIT_REPLACE, INIT_STATUS, INIT_START_REQUEST_NAME,
  INIT_STATUS_REQUEST_NAME, INIT_REPLACE_REQUEST_PATH, INIT_RESTART_REQUEST_SIZE, INIT_STATUS_REPLY_SIZE,
  InitRestartRequest, InitReplaceRequest, InitStatusReply,
} from "../../../ipc/generated/index";

let init: i32 = 0;
const request = heap.alloc(512);
const reply = heap.alloc(64);
/** The last status reply (initStatus). */
export const initStatusReply = changetype<InitStatusReply>(reply);

export function connectInit(): i32 {
  init = nameOpen(INIT_PATH, 5_000_000_000);
  return init;
}

/** Writes `text` at `request + offset`: the request's length. */
function withText(offset: u32, text: string): u32 {
  const length = <u32>String.UTF8.byteLength(text);
  String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, request + offset);
  return offset + length;
}

/** Starts component `name` of init's list unless it runs: its id, or an error. */
export function initStart(name: string): i32 {
  store<u32>(request, INIT_START);
  const length = withText(INIT_START_REQUEST_NAME, name);
  const result = msgSend(init, request, length, reply, 4);
  return result < 0 ? result : <i32>load<u32>(reply);
}

/** Has init kill instance `component` and start a new one: the new id (0: it was not running), or an error. */
export function initRestart(component: u32): i32 {
  const message = changetype<InitRestartRequest>(request);
  message.operation = INIT_RESTART;
  message.component = component;
  const result = msgSend(init, request, INIT_RESTART_REQUEST_SIZE, reply, 4);
  return result < 0 ? result : <i32>load<u32>(reply);
}

/** Has init replace instance `component` by the program at `path`: the new id, or an error. */
export function initReplace(component: u32, path: string): i32 {
  const message = changetype<InitReplaceRequest>(request);
  message.operation = INIT_REPLACE;
  message.component = component;
  const length = withText(INIT_REPLACE_REQUEST_PATH, path);
  const result = msgSend(init, request, length, reply, 4);
  return result < 0 ? result : <i32>load<u32>(reply);
}

/** Asks how component `name` is doing: 0 with initStatusReply filled, or an error. */
export function initStatus(name: string): i32 {
  store<u32>(request, INIT_STATUS);
  const length = withText(INIT_STATUS_REQUEST_NAME, name);
  return msgSend(init, request, length, reply, INIT_STATUS_REPLY_SIZE);
}
