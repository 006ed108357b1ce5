// init replaces a running server by a new version: while the runner
// streams requests (stream.ts), a second thread has init replace echo
// version 1 by version 2 (test/echo-v2.wasm, loaded and compiled at run
// time) and then version 2 by version 1 again. init starts the new one,
// which takes the name over (NAME_TAKE_OVER), and retires the old one only
// then; the stream must see every request answered, once and in order, by
// three instances in turn: the original, the version 2 init reported, and
// the last one. Version 2 stands by first (init.standby), as the drivers
// with warm spares do: init must answer it while the replace request
// waits for the names to move, well before its 5 s hand-over limit.
//
// The name is never missing: the stream re-resolves it without waiting
// (TIMEOUT_NONE), so a moment without it would fail a request with
// NOT_FOUND; and right after each replacement the second thread opens it
// without waiting and must reach the new instance.

import {
  clockNow, handleClose, msgSend, nameOpen, threadExit, threadSleep, TEST_ECHO_ECHO, TEST_ECHO_ECHO_REQUEST_SIZE, TEST_ECHO_PATH,
  TestEchoEchoReply, TestEchoEchoRequest, TIMEOUT_NONE,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { initReplace, initStart, initStatus, initStatusReply } from "./init-client";
import { markDisturbanceDone, streamWhile } from "./stream";

const VERSIONS: StaticArray<string> = ["test/echo-v2.wasm", "test/echo.wasm"];
const BEFORE_REPLACING: i64 = 20_000_000;
/** init's HAND_OVER_LIMIT (servers/init/supervisor.ts): a replace that takes this long gave up waiting. */
const HAND_OVER_LIMIT: i64 = 5_000_000_000;

const replaced = new Array<u32>();
const replacements = new Array<i32>();
/** How long each replace request took to be answered, in nanoseconds. */
const durations = new Array<i64>();
/** Who answered through name.open(TIMEOUT_NONE) right after each replacement: an instance, or the error. */
const openedRight = new Array<i64>();

/** Opens the echo server's name without waiting and asks it who it is: its component id, or an error. */
function whoServes(): i64 {
  const connection = nameOpen(TEST_ECHO_PATH, TIMEOUT_NONE);
  if (connection < 0) return connection;
  const message = heap.alloc(TEST_ECHO_ECHO_REQUEST_SIZE);
  changetype<TestEchoEchoRequest>(message).operation = TEST_ECHO_ECHO;
  const status = msgSend(connection, message, TEST_ECHO_ECHO_REQUEST_SIZE, message, TEST_ECHO_ECHO_REQUEST_SIZE);
  handleClose(connection);
  return status < 0 ? status : <i64>changetype<TestEchoEchoReply>(message).instance;
}

function replacer(_argument: i32): void {
  for (let i = 0; i < VERSIONS.length; i++) {
    threadSleep(BEFORE_REPLACING);
    if (initStatus("echo") < 0) break;
    const old = initStatusReply.component;
    replaced.push(old);
    const asked = clockNow();
    replacements.push(initReplace(old, VERSIONS[i]));
    durations.push(clockNow() - asked);
    openedRight.push(whoServes());
  }
  markDisturbanceDone();
  threadExit();
}

export function replace(check: Check): void {
  const original = initStart("echo");
  if (!check.succeeded(original, "init.start echo")) return;
  replaced.length = 0;
  replacements.length = 0;
  durations.length = 0;
  openedRight.length = 0;
  const result = streamWhile(check, <u32>replacer.index, 0, TIMEOUT_NONE);
  if (check.failed) return;
  check.equal(replacements.length, VERSIONS.length, "replacements");
  for (let i = 0; i < replacements.length; i++) {
    if (!check.ok(replacements[i] > 0 && <u32>replacements[i] != replaced[i], "init replaced instance " + replaced[i].toString() + " by " + replacements[i].toString() + " (" + VERSIONS[i] + ")")) return;
    check.ok(durations[i] < HAND_OVER_LIMIT, "replacement " + i.toString() + " answered in " + (durations[i] / 1_000_000).toString() + " ms, before init's hand-over limit");
    if (!check.succeeded(openedRight[i], "name.open " + TEST_ECHO_PATH + " without waiting, and a request, right after replacement " + i.toString())) return;
    check.equal(openedRight[i], replacements[i], "the instance reached by name.open right after replacement " + i.toString());
  }
  const expected = [<u32>original, <u32>replacements[0], <u32>replacements[1]];
  check.equal(result.instances.length, 3, "server instances that answered");
  for (let i = 0; i < min(result.instances.length, 3); i++) {
    check.equal(result.instances[i], expected[i], "instance " + i.toString() + " that answered");
  }
  if (check.succeeded(initStatus("echo"), "init.status echo")) check.equal(initStatusReply.component, replacements[1], "init's running echo instance");
  check.summary = result.requests.toString() + " requests, each answered once and in order, while init replaced echo component "
    + original.toString() + " by version 2 (component " + replacements[0].toString() + ") and that by version 1 again (component "
    + replacements[1].toString() + "); " + result.resends.toString() + " pending sends were re-sent; name.open never found the name missing";
}
