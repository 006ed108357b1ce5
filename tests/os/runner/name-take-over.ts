// name.register with NAME_TAKE_OVER: a name moves to another channel in
// one step, and only where the rule allows it (the caller's rights cover
// the path, and the holder is of the caller's identity or supervised by
// the caller).
//
//   1. The runner holds /test/takeover on channel P; a plain register on Q
//      is ALREADY_EXISTS; with NAME_TAKE_OVER the name moves to Q. A
//      connection opened before still reaches P, and P keeps the pulse
//      that waited on it; name.open now connects to Q.
//   2. The taker (tests/os/taker: another identity, its rights cover
//      both paths, supervised by the runner) may not take
//      /test/takeover from the runner: ALREADY_EXISTS.
//   3. The runner, the taker's supervisor, takes /test/taker over from it;
//      component.status counts the names each holds, and the name stays
//      the runner's when the taker is killed.

import {
  channelCreate, componentKill, componentSelf, componentStatus, handleClose, msgReceive, nameOpen,
  nameRegister, nameUnregister, pulseSend, threadTimeout, COMPONENT_STATE_KILLED, ERROR_ALREADY_EXISTS, NAME_TAKE_OVER,
  Pulse, RECEIVE_ID_PULSE, TIMEOUT_NONE, TIMEOUT_RECEIVE,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { awaitEnd, awaitPulse, spawn, status, takeEndPulse } from "./supervision";
import { spawnComponent } from "./grants";
import { PULSE_TAKER_REGISTERED, PULSE_TAKER_TOOK, TAKE_OVER_PATH, TAKER_PATH } from "../lib/runner-path";

const buffer = heap.alloc(64);

/** The code of the pulse waiting on `channel`, or the error when there is none (without waiting). */
function pulseOn(channel: i32): i32 {
  threadTimeout(TIMEOUT_RECEIVE, TIMEOUT_NONE);
  const result = msgReceive(channel, buffer, 64, 0);
  return result == RECEIVE_ID_PULSE ? changetype<Pulse>(buffer).code : result;
}

/** The names component `id` holds (component.status), or an error. */
function namesOf(id: u32): i32 {
  const state = componentStatus(id, changetype<usize>(status));
  return state < 0 ? state : <i32>status.names;
}

function ownPath(check: Check): void {
  const p = channelCreate(0), q = channelCreate(0);
  if (!check.succeeded(p, "channel.create") || !check.succeeded(q, "channel.create")) return;
  const self = <u32>componentSelf();
  const before = namesOf(self);
  if (!check.succeeded(nameRegister(TAKE_OVER_PATH, p, 0), "name.register " + TAKE_OVER_PATH)) return;
  check.equal(namesOf(self), before + 1, "the runner's names after registering");
  check.refused(nameRegister(TAKE_OVER_PATH, q, 0), ERROR_ALREADY_EXISTS, "name.register of a held path without NAME_TAKE_OVER");
  const early = nameOpen(TAKE_OVER_PATH, TIMEOUT_NONE);
  if (!check.succeeded(early, "name.open before the take-over")) return;
  pulseSend(early, 11, 0);
  check.succeeded(nameRegister(TAKE_OVER_PATH, q, NAME_TAKE_OVER), "name.register with NAME_TAKE_OVER of a path the runner holds");
  check.equal(namesOf(self), before + 1, "the runner's names after the take-over (the same name)");
  const late = nameOpen(TAKE_OVER_PATH, TIMEOUT_NONE);
  if (check.succeeded(late, "name.open after the take-over")) {
    pulseSend(late, 12, 0);
    check.equal(pulseOn(q), 12, "what the new channel received through a connection opened after the take-over");
    handleClose(late);
  }
  check.equal(pulseOn(p), 11, "what the old channel kept from before the take-over");
  pulseSend(early, 13, 0);
  check.equal(pulseOn(p), 13, "what the old channel received through a connection opened before");
  handleClose(early);
  handleClose(p);
  handleClose(q);
  check.equal(namesOf(self), before, "the runner's names once the channel holding it closed");
}

function taker(check: Check): void {
  const holder = channelCreate(0), mine = channelCreate(0);
  if (!check.succeeded(holder, "channel.create") || !check.succeeded(mine, "channel.create")) return;
  if (!check.succeeded(nameRegister(TAKE_OVER_PATH, holder, 0), "name.register " + TAKE_OVER_PATH)) return;
  const id = spawnComponent("taker");
  if (!check.succeeded(id, "component.spawn test/taker.wasm")) return;
  const took = awaitPulse(PULSE_TAKER_TOOK, <u32>id);
  const registered = awaitPulse(PULSE_TAKER_REGISTERED, <u32>id);
  if (check.ok(took >= 0 && registered >= 0, "the taker's pulses")) {
    check.refused(<i32><u32>took, ERROR_ALREADY_EXISTS, "the taker's take-over of a path the runner holds (another name, not its supervisor)");
    check.succeeded(<i32><u32>registered, "the taker's name.register " + TAKER_PATH);
    check.equal(namesOf(<u32>id), 1, "the taker's names");
    check.succeeded(nameRegister(TAKER_PATH, mine, NAME_TAKE_OVER), "the supervisor's take-over of " + TAKER_PATH + " from the taker");
    check.equal(namesOf(<u32>id), 0, "the taker's names after its supervisor took its name over");
  }
  check.succeeded(componentKill(<u32>id), "component.kill of the taker");
  check.equal(awaitEnd(<u32>id, 5_000_000_000), COMPONENT_STATE_KILLED, "the taker's end state");
  check.ok(takeEndPulse(<u32>id), "the taker's end pulse");
  const connection = nameOpen(TAKER_PATH, TIMEOUT_NONE);
  if (check.succeeded(connection, "name.open " + TAKER_PATH + " after the taker ended")) {
    pulseSend(connection, 14, 0);
    check.equal(pulseOn(mine), 14, "what the runner's channel received through " + TAKER_PATH);
    handleClose(connection);
  }
  nameUnregister(TAKER_PATH);
  nameUnregister(TAKE_OVER_PATH);
  handleClose(holder);
  handleClose(mine);
}

export function nameTakeOver(check: Check): void {
  ownPath(check);
  if (!check.failed) taker(check);
  check.summary = "the name moved to a new channel in one step, the old one keeping its connections and waiting pulse;"
    + " a component of another name was refused; a supervisor took a name over from its child, which kept it after the child's end";
}
