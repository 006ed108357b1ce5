// init replaces a running server by a new version: while the runner
// streams requests (stream.ts), a second thread has init replace echo
// version 1 by version 2 (test/echo-v2.wasm, loaded and compiled at run
// time) and then version 2 by version 1 again. init starts the new one,
// retires the old one, and the new one takes the name over; the stream
// must see every request answered, once and in order, by three instances
// in turn: the original, the version 2 init reported, and the last one.

import { threadExit, threadSleep } from "../../../ipc/generated/index";
import { Check } from "./check";
import { initReplace, initStart, initStatus, initStatusReply } from "./init-client";
import { markDisturbanceDone, streamWhile } from "./stream";

const VERSIONS: StaticArray<string> = ["test/echo-v2.wasm", "test/echo.wasm"];
const BEFORE_REPLACING: i64 = 20_000_000;

const replaced = new Array<u32>();
const replacements = new Array<i32>();

function replacer(_argument: i32): void {
  for (let i = 0; i < VERSIONS.length; i++) {
    threadSleep(BEFORE_REPLACING);
    if (initStatus("echo") < 0) break;
    const old = initStatusReply.component;
    replaced.push(old);
    replacements.push(initReplace(old, VERSIONS[i]));
  }
  markDisturbanceDone();
  threadExit();
}

export function replace(check: Check): void {
  const original = initStart("echo");
  if (!check.succeeded(original, "init.start echo")) return;
  replaced.length = 0;
  replacements.length = 0;
  const result = streamWhile(check, <u32>replacer.index, 0);
  if (check.failed) return;
  check.equal(replacements.length, VERSIONS.length, "replacements");
  for (let i = 0; i < replacements.length; i++) {
    if (!check.ok(replacements[i] > 0 && <u32>replacements[i] != replaced[i], "init replaced instance " + replaced[i].toString() + " by " + replacements[i].toString() + " (" + VERSIONS[i] + ")")) return;
  }
  const expected = [<u32>original, <u32>replacements[0], <u32>replacements[1]];
  check.equal(result.instances.length, 3, "server instances that answered");
  for (let i = 0; i < min(result.instances.length, 3); i++) {
    check.equal(result.instances[i], expected[i], "instance " + i.toString() + " that answered");
  }
  if (check.succeeded(initStatus("echo"), "init.status echo")) check.equal(initStatusReply.component, replacements[1], "init's running echo instance");
  check.summary = result.requests.toString() + " requests, each answered once and in order, while init replaced echo component "
    + original.toString() + " by version 2 (component " + replacements[0].toString() + ") and that by version 1 again (component "
    + replacements[1].toString() + "); " + result.resends.toString() + " pending sends were re-sent";
}
