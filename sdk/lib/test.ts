// For a component folder's in-OS test (its test.ts, which the test runner
// spawns in the test image; sdk/host/components.ts): a failed expectation
// is told on the console and ends the test with exit status 1, which the
// runner reports as the test's failure.

import {
  channelCreate, componentExit, componentStatus, connectionCreate, errorName, msgReceive, Pulse, ComponentStatus,
  COMPONENT_STATE_EXITED, COMPONENT_STATUS_SIZE, PULSE_CODE_COMPONENT_ENDED, PULSE_SIZE, RECEIVE_ID_PULSE,
} from "../../ipc/generated/index";
import { spawnGranted } from "../../ipc/client/spawn";
import { log } from "./log";

/** Ends the test with exit status 1, saying `what` failed, unless `condition` holds. */
export function expect(condition: bool, what: string): void {
  if (condition) return;
  log("FAIL: " + what);
  componentExit(1);
}

/**
 * Starts payload file `path` with `grant`, the test as its supervisor, and
 * waits for its end: its exit status, or -1 when it did not exit (it
 * faulted or was killed; the console says how) or could not start.
 */
export function runToEnd(path: string, grant: string): i32 {
  const channel = channelCreate(0);
  const notices = channel < 0 ? channel : connectionCreate(channel);
  if (notices < 0) { log("cannot make a channel for end notices: " + errorName(notices)); return -1; }
  const id = spawnGranted(path, notices, grant);
  if (id < 0) { log("component.spawn " + path + ": " + errorName(id)); return -1; }
  const pulse = changetype<Pulse>(heap.alloc(PULSE_SIZE));
  while (true) {
    const received = msgReceive(channel, changetype<usize>(pulse), PULSE_SIZE, 0);
    if (received < 0) { log("msg.receive of the end notice: " + errorName(received)); return -1; }
    if (received == RECEIVE_ID_PULSE && pulse.code == PULSE_CODE_COMPONENT_ENDED && pulse.value == <i64>id) break;
  }
  const status = changetype<ComponentStatus>(heap.alloc(COMPONENT_STATUS_SIZE));
  const state = componentStatus(<u32>id, changetype<usize>(status));
  if (state != COMPONENT_STATE_EXITED) { log(path + " did not exit: state " + state.toString()); return -1; }
  return status.exitStatus;
}
