// Many clients on one server: CLIENTS instances of tests/os/client run at
// once against the echo server, each sending its own stream and checking
// every reply (client.ts). Each must exit with status 0, and the runner —
// their supervisor — must get an end pulse for each.

import { COMPONENT_STATE_EXITED } from "../../../ipc/generated/index";
import { Check, describeStatus } from "./check";
import { initStart } from "./init-client";
import { awaitEnd, spawn, status, takeEndPulse } from "./supervision";
import { spawnComponent } from "./grants";

const CLIENTS: i32 = 4;
/** tests/os/client/client.ts REQUESTS. */
const REQUESTS_EACH: i32 = 200;

export function manyClients(check: Check): void {
  if (!check.succeeded(initStart("echo"), "init.start echo")) return;
  const clients = new Array<i32>();
  for (let i = 0; i < CLIENTS; i++) {
    const id = spawnComponent("client");
    if (!check.succeeded(id, "component.spawn test/client.wasm")) return;
    clients.push(id);
  }
  for (let i = 0; i < CLIENTS; i++) {
    const id = <u32>clients[i];
    const state = awaitEnd(id, 120_000_000_000);
    if (!check.equal(state, COMPONENT_STATE_EXITED, "client " + id.toString() + "'s end state")) return;
    const exit = status.exitStatus;
    if (!check.ok(exit == 0, "client " + id.toString() + " reported " + (exit >= 1000 ? "a wrong reply to request " + (exit - 1000).toString() : describeStatus(exit)))) return;
    if (!check.ok(takeEndPulse(id), "no end pulse for client " + id.toString())) return;
  }
  check.summary = CLIENTS.toString() + " clients at once, " + REQUESTS_EACH.toString() + " requests each of varying length, every reply right; an end pulse for each";
}
