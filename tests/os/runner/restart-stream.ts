// A server killed in the middle of a stream of requests and restarted: a
// second thread of the runner, at a higher priority, has init restart the
// echo server KILLS times while the first thread streams requests through
// a re-sending connection (stream.ts). The client must see every request
// answered, once, in order, with the right bytes; the answers must come
// from KILLS + 1 instances, and at least one send must have been pending
// at a kill (DEAD_SERVER, then re-sent).

import { threadExit, threadSleep } from "../../../ipc/generated/index";
import { Check } from "./check";
import { initRestart, initStart, initStatus, initStatusReply } from "./init-client";
import { markDisturbanceDone, streamWhile } from "./stream";

const KILLS: i32 = 3;
const BETWEEN_KILLS: i64 = 30_000_000;

/** Killed instances and the instances init started instead, for the checks. */
const killed = new Array<u32>();
const started = new Array<i32>();

function killer(_argument: i32): void {
  for (let i = 0; i < KILLS; i++) {
    threadSleep(BETWEEN_KILLS);
    if (initStatus("echo") < 0) break;
    const victim = initStatusReply.component;
    killed.push(victim);
    started.push(initRestart(victim));
  }
  markDisturbanceDone();
  threadExit();
}

export function restartStream(check: Check): void {
  if (!check.succeeded(initStart("echo"), "init.start echo")) return;
  killed.length = 0;
  started.length = 0;
  const result = streamWhile(check, <u32>killer.index, 0);
  if (check.failed) return;
  check.equal(killed.length, KILLS, "kills");
  for (let i = 0; i < started.length; i++) {
    check.ok(started[i] > 0 && <u32>started[i] != killed[i], "init restarted killed instance " + killed[i].toString() + " as " + started[i].toString());
  }
  check.equal(result.instances.length, KILLS + 1, "server instances that answered");
  check.ok(result.resends >= 1, "no send was pending at a kill (no DEAD_SERVER was re-sent)");
  check.summary = result.requests.toString() + " requests, each answered once and in order with its own bytes, by "
    + result.instances.length.toString() + " instances of the echo server killed " + KILLS.toString() + " times in the middle ("
    + result.resends.toString() + " sends failed with DEAD_SERVER and were re-sent)";
}
