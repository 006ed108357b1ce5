// The monitor's buttons acting through the sampler, that is through init:
// each tells, on the status line, what happened.

import { errorName } from "../../ipc/generated/index";
import { MonitorRow } from "./row";
import { Sampler } from "./sampler";
import { MonitorActions } from "./view";

export class InitActions extends MonitorActions {
  constructor(readonly sampler: Sampler) { super(); }

  private refused(row: MonitorRow, what: string): string | null {
    if (this.sampler.supervised(row)) return null;
    return "Cannot " + what + " " + row.identity + ": init does not supervise it.";
  }

  restart(row: MonitorRow): string {
    const refused = this.refused(row, "restart");
    if (refused != null) return refused;
    const result = this.sampler.restart(row);
    return result < 0 ? "Restart of " + row.identity + " failed: " + errorName(result)
      : "Restarted " + row.identity + ": component " + row.id.toString() + " -> " + result.toString() + ".";
  }

  kill(row: MonitorRow): string {
    const refused = this.refused(row, "kill");
    if (refused != null) return refused;
    const result = this.sampler.kill(row);
    return result < 0 ? "Kill of " + row.identity + " failed: " + errorName(result) : "Stopped " + row.identity + ".";
  }

  replace(row: MonitorRow, path: string): string {
    const refused = this.refused(row, "replace");
    if (refused != null) return refused;
    const result = this.sampler.replace(row, path);
    return result < 0 ? "Replace of " + row.identity + " failed: " + errorName(result)
      : "Replaced " + row.identity + " by " + path + ": component " + row.id.toString() + " -> " + result.toString() + ".";
  }
}
