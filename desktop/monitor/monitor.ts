// The system monitor. Until the compositor gives it a window, it samples
// the running components twice, a second apart, and writes the table on
// the console (the view, view.ts, is what the window will show; its
// window glue is a Root over the window's surface, `MonitorView` and a
// timer calling `update(sampler.sample())`).

import "../../sdk/lib/abort";
import { componentExit, errorName, threadSleep } from "../../ipc/generated/index";
import { log } from "../../sdk/lib/log";
import { HEADER, rowText } from "./row";
import { Sampler } from "./sampler";

export function _start(): void {
  const sampler = new Sampler();
  sampler.sample();
  threadSleep(1_000_000_000);
  const rows = sampler.sample();
  if (rows == null) { log("cannot sample the system: " + errorName(sampler.error)); componentExit(1); return; }
  log(HEADER);
  for (let i = 0; i < rows.length; i++) log(rowText(rows[i]));
  log("processor idle " + (sampler.idlePermille / 10).toString() + "." + (sampler.idlePermille % 10).toString() + "% of the last second");
  componentExit(0);
}
