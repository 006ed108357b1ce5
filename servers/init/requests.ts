// The init protocol (ipc/table/protocols/init.ts): what components may ask
// of init. Each handler gets the request in `buffer` (its length in
// `length`), writes its reply there and returns the reply's status and
// size through `replyLength`. Requests that name an instance do nothing
// when it is not the running one, so a re-sent request is harmless.

import {
  errorName, ERROR_INVALID_ARGUMENT, INIT_ERROR_START_FAILED, INIT_ERROR_UNKNOWN_COMPONENT,
  INIT_START, INIT_STOP, INIT_RESTART, INIT_REPLACE, INIT_STATUS, INIT_START_REQUEST_NAME, INIT_STOP_REQUEST_NAME,
  INIT_STATUS_REQUEST_NAME, INIT_REPLACE_REQUEST_PATH, INIT_RESTART_REQUEST_SIZE, INIT_START_REPLY_SIZE,
  INIT_RESTART_REPLY_SIZE, INIT_REPLACE_REPLY_SIZE, INIT_STATUS_REPLY_SIZE, InitStartReply, InitRestartRequest,
  InitRestartReply, InitReplaceRequest, InitReplaceReply, InitStatusReply,
} from "../../ipc/generated/index";
import { Entry, findByComponent, findByName } from "./list";
import { awaitHandOver, endInstance, startEntry } from "./supervisor";
import { log } from "../../sdk/lib/log";

/** The size of the reply `handle` wrote (valid when it returned ≥ 0). */
export let replyLength: u32 = 0;

function text(buffer: usize, from: u32, length: u32): string {
  return length > from ? String.UTF8.decodeUnsafe(buffer + from, length - from) : "";
}

function start(buffer: usize, length: u32): i32 {
  const entry = findByName(text(buffer, INIT_START_REQUEST_NAME, length));
  if (entry == null) return INIT_ERROR_UNKNOWN_COMPONENT;
  if (entry.running == 0 && startEntry(entry) < 0) return INIT_ERROR_START_FAILED;
  changetype<InitStartReply>(buffer).component = entry.running;
  replyLength = INIT_START_REPLY_SIZE;
  return 0;
}

function stop(buffer: usize, length: u32): i32 {
  const entry = findByName(text(buffer, INIT_STOP_REQUEST_NAME, length));
  if (entry == null) return INIT_ERROR_UNKNOWN_COMPONENT;
  entry.wanted = false;
  if (entry.running != 0) endInstance(entry, entry.running, "stopped on request");
  replyLength = 0;
  return 0;
}

/** `component`'s entry when it is a running instance; null otherwise. */
function runningEntry(component: u32): Entry | null {
  return findByComponent(component);
}

function restart(buffer: usize): i32 {
  const component = changetype<InitRestartRequest>(buffer).component;
  const entry = runningEntry(component);
  if (entry != null) {
    endInstance(entry, component, "restart requested");
    if (startEntry(entry) < 0) return INIT_ERROR_START_FAILED;
    changetype<InitRestartReply>(buffer).component = entry.running;
  } else {
    // Already gone: say which instance runs now, if the request's component was one of ours.
    changetype<InitRestartReply>(buffer).component = 0;
  }
  replyLength = INIT_RESTART_REPLY_SIZE;
  return 0;
}

/**
 * Start the new version, then retire the old one: the new instance loads
 * and initialises while the old one still serves, takes its names over
 * (NAME_TAKE_OVER, in ipc/client's Server), and only then is the old one
 * retired, so that name.open never finds a name missing. Clients whose
 * sends were pending at the old one get DEAD_SERVER and re-send to the new
 * one.
 */
function replace(buffer: usize, length: u32): i32 {
  const request = changetype<InitReplaceRequest>(buffer);
  const component = request.component;
  const path = text(buffer, INIT_REPLACE_REQUEST_PATH, length);
  const entry = runningEntry(component);
  if (entry == null) {
    changetype<InitReplaceReply>(buffer).component = 0;
    replyLength = INIT_REPLACE_REPLY_SIZE;
    return 0;
  }
  const previousPath = entry.path;
  entry.path = path;
  // startEntry sets `running` to the new instance, so the old one's end is not a restart.
  const started = startEntry(entry);
  if (started < 0) {
    entry.path = previousPath;
    entry.running = component;
    return INIT_ERROR_START_FAILED;
  }
  const handedOver = awaitHandOver(component, <u32>started);
  endInstance(entry, component, "retired: replaced by component " + started.toString() + " from " + path
    + (handedOver ? "" : ", which did not take its names over"));
  changetype<InitReplaceReply>(buffer).component = <u32>started;
  replyLength = INIT_REPLACE_REPLY_SIZE;
  return 0;
}

function status(buffer: usize, length: u32): i32 {
  const entry = findByName(text(buffer, INIT_STATUS_REQUEST_NAME, length));
  if (entry == null) return INIT_ERROR_UNKNOWN_COMPONENT;
  const reply = changetype<InitStatusReply>(buffer);
  reply.component = entry.running;
  reply.starts = entry.starts;
  reply.trap = entry.lastTrap;
  reply.functionIndex = entry.lastFunction;
  reply.wasmOffset = entry.lastOffset;
  replyLength = INIT_STATUS_REPLY_SIZE;
  return 0;
}

/** Serves one request: the reply status; the reply is `replyLength` bytes at `buffer`. */
export function handle(buffer: usize, length: u32): i32 {
  replyLength = 0;
  if (length < 4) return ERROR_INVALID_ARGUMENT;
  const operation = load<u32>(buffer);
  if (operation == INIT_START) return start(buffer, length);
  if (operation == INIT_STOP) return stop(buffer, length);
  if (operation == INIT_RESTART && length >= INIT_RESTART_REQUEST_SIZE) return restart(buffer);
  if (operation == INIT_REPLACE && length >= INIT_REPLACE_REQUEST_PATH) return replace(buffer, length);
  if (operation == INIT_STATUS) return status(buffer, length);
  return ERROR_INVALID_ARGUMENT;
}
