// The in-OS test of the monitor's data part (sampler.ts, actions.ts): two
// samples a moment apart give every running component — init, this test
// — with its kind and state, this test's messages a second once it sent
// some, CPU shares that add up; the actions restart, replace and kill a
// component of init's list (the clipboard server) and the next samples
// show it (a new id, one more restart, gone), and refuse a component init
// does not supervise. Each component of init's list has one row, its warm
// spares, if any, in it.

import "../../../sdk/lib/abort";
import { componentExit, componentSelf, threadSleep } from "../../../ipc/generated/index";
import { expect } from "../../../sdk/lib/test";
import { log } from "../../../sdk/lib/log";
import { InitClient } from "../../system/init-client";
import { InitActions } from "../../monitor/actions";
import { MonitorRow, rowText } from "../../monitor/row";
import { Sampler } from "../../monitor/sampler";

function find(rows: MonitorRow[], identity: string): MonitorRow | null {
  for (let i = 0; i < rows.length; i++) if (rows[i].identity == identity) return rows[i];
  return null;
}

function byId(rows: MonitorRow[], id: u32): MonitorRow | null {
  for (let i = 0; i < rows.length; i++) if (rows[i].id == id) return rows[i];
  return null;
}

export function _start(): void {
  const sampler = new Sampler();
  const init = new InitClient();
  expect(init.start("clipboard") > 0, "init starts the clipboard server");
  const first = sampler.sample();
  expect(first != null, "a first sample");
  const initRow = find(first!, "init");
  expect(initRow != null && initRow.kind == "supervisor" && initRow.state == "running", "init is listed, a running supervisor");
  const self = byId(first!, <u32>componentSelf());
  expect(self != null && self.identity == "init/runner/monitor-test" && self.kind == "test" && self.memoryKiB > 0, "this test is listed");
  expect(self!.cpuPermille == -1 && self!.messagesPerSecond == -1, "no rates in a first sample");

  for (let i = 0; i < 200; i++) init.status("clipboard");
  threadSleep(100_000_000);
  const second = sampler.sample()!;
  const me = byId(second, <u32>componentSelf())!;
  expect(me.messagesPerSecond > 0, "200 messages sent between two samples show as " + me.messagesPerSecond.toString() + " a second");
  let total = sampler.idlePermille;
  for (let i = 0; i < second.length; i++) {
    expect(second[i].cpuPermille >= 0 || byId(first!, second[i].id) == null, "a rate for every component seen before: " + rowText(second[i]));
    if (second[i].cpuPermille > 0) total += second[i].cpuPermille;
  }
  expect(sampler.idlePermille >= 0 && total <= 1000 + second.length, "CPU shares and idle add up to at most the whole: " + total.toString() + "‰");
  log("monitor-test: " + rowText(me));
  // init's warm spares share their component's identity: they show in its row, each identity of init's list in one.
  for (let i = 0; i < second.length; i++) {
    if (second[i].initName.length == 0) continue;
    for (let j = i + 1; j < second.length; j++) expect(second[j].identity != second[i].identity, "one row of " + second[i].identity);
    if (second[i].spares > 0) log("monitor-test: " + rowText(second[i]));
  }

  const actions = new InitActions(sampler);
  const clipboard = find(second, "init/clipboard")!;
  expect(clipboard != null, "the clipboard server is listed");
  const restarted = actions.restart(clipboard);
  const third = sampler.sample()!;
  const again = find(third, "init/clipboard");
  expect(again != null && again.id != clipboard.id && again.restarts == clipboard.restarts + 1, "restart: " + restarted);

  const replaced = actions.replace(again!, "system/clipboard.wasm");
  const fourth = sampler.sample()!;
  const replacement = find(fourth, "init/clipboard");
  expect(replacement != null && replacement.id != again!.id && byId(fourth, again!.id) == null, "replace: " + replaced);

  const killed = actions.kill(replacement!);
  expect(find(sampler.sample()!, "init/clipboard") == null, "kill: " + killed);
  expect(init.start("clipboard") > 0, "init starts it again");

  const refused = actions.restart(me);
  expect(refused == "Cannot restart init/runner/monitor-test: init does not supervise it.", "a component init does not supervise: " + refused);
  componentExit(0);
}
