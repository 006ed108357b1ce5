// The system monitor's data: every running component with its kind,
// state, memory, share of the processor and messages a second since the
// last sample, restarts and last fault, from the system.* calls; and the
// actions on a component — restart, kill, replace — through init, which
// supervises the components they apply to.
//
// Shares and rates are differences between two samples: a component's CPU
// ticks over the ticks that passed (both sampled at the clock tick), its
// messages over the time that passed. A component first seen in this
// sample has none yet (-1).
//
// init keeps warm spares of some components (servers/init/supervisor.ts):
// a second loaded instance of the same identity, waiting to take over.
// A spare is shown on its component's row (its count and memory), not as
// a row of its own: which instance of an identity runs, init says
// (init.status), the others are its spares.

import { InitClient } from "../system/init-client";
import { faultName, kindName, stateName } from "../system/names";
import { ComponentRecord, listComponents, readSystemInfo, systemError } from "../system/system";
import { MonitorRow } from "./row";

export class Sampler {
  /** The last sample's components by id, and its tick and time. */
  private previous: Map<u32, ComponentRecord> = new Map();
  private previousTicks: u64 = 0;
  private previousUptime: u64 = 0;
  /** Thousandths of the processor idle since the last sample (-1: first sample). */
  idlePermille: i32 = -1;
  private previousIdle: u64 = 0;
  private readonly init: InitClient = new InitClient();
  /** The error of the last sample or action that failed (0: none). */
  error: i32 = 0;

  /** Reads every running component; null when the system would not tell (`error`). */
  sample(): MonitorRow[] | null {
    const info = readSystemInfo();
    if (info == null) { this.error = systemError; return null; }
    const components = listComponents();
    if (components == null) { this.error = systemError; return null; }
    const first = this.previousTicks == 0;
    const ticks = info.ticks - this.previousTicks;
    const nanoseconds = info.uptime - this.previousUptime;
    this.idlePermille = first || ticks == 0 ? -1 : <i32>((info.idleTicks - this.previousIdle) * 1000 / ticks);
    const rows = new Array<MonitorRow>(components.length);
    const next = new Map<u32, ComponentRecord>();
    for (let i = 0; i < components.length; i++) {
      const c = components[i];
      const row = new MonitorRow();
      row.id = c.id;
      row.identity = c.identity;
      row.kind = kindName(c.kind);
      row.state = stateName(c.state);
      row.memoryKiB = c.memoryKiB;
      row.restarts = c.restarts;
      row.lastFault = faultName(c.lastTrap);
      row.threads = c.threads;
      if (!first && this.previous.has(c.id)) {
        const before = this.previous.get(c.id);
        if (ticks > 0) row.cpuPermille = <i32>min<u64>(1000, (c.cpuTicks - before.cpuTicks) * 1000 / ticks);
        if (nanoseconds > 0) row.messagesPerSecond = <i32>((c.messages - before.messages) * 1_000_000_000 / nanoseconds);
      }
      rows[i] = row;
      next.set(c.id, c);
    }
    this.previous = next;
    this.previousTicks = info.ticks;
    this.previousUptime = info.uptime;
    this.previousIdle = info.idleTicks;
    this.error = 0;
    return this.foldSpares(rows);
  }

  /** The rows with every spare folded into its running instance's row. */
  private foldSpares(rows: MonitorRow[]): MonitorRow[] {
    // The indices of the rows of each identity init supervises, where there are several.
    const byName = new Map<string, i32[]>();
    let several = false;
    for (let i = 0; i < rows.length; i++) {
      const name = rows[i].initName;
      if (name.length == 0) continue;
      if (byName.has(name)) { byName.get(name).push(i); several = true; }
      else byName.set(name, [i]);
    }
    if (!several) return rows;
    const spare = new Array<bool>(rows.length);
    const names = byName.keys();
    for (let n = 0; n < names.length; n++) {
      const indices = byName.get(names[n]);
      if (indices.length < 2) continue;
      // init names the running instance; without its answer every instance keeps its row.
      const status = this.init.status(names[n]);
      if (status == null) continue;
      let running = -1;
      for (let k = 0; k < indices.length; k++) if (rows[indices[k]].id == status.component) running = indices[k];
      if (running < 0) continue;
      const row = rows[running];
      for (let k = 0; k < indices.length; k++) {
        const other = indices[k];
        if (other == running) continue;
        spare[other] = true;
        row.spares++;
        row.spareKiB += rows[other].memoryKiB;
      }
    }
    const shown = new Array<MonitorRow>();
    for (let i = 0; i < rows.length; i++) if (!spare[i]) shown.push(rows[i]);
    return shown;
  }

  /** Ends the row's instance and starts a new one: the new instance's id, or an error (`error` too). */
  restart(row: MonitorRow): i32 { return this.act(row, this.supervised(row) ? this.init.restart(row.id) : -1); }

  /** Stops the row's component (init does not restart it): 0 or an error. */
  kill(row: MonitorRow): i32 { return this.act(row, this.supervised(row) ? this.init.stop(row.initName) : -1); }

  /** Replaces the row's instance by a new version from payload file `path`: the new instance's id, or an error. */
  replace(row: MonitorRow, path: string): i32 { return this.act(row, this.supervised(row) ? this.init.replace(row.id, path) : -1); }

  /** Whether init supervises the row's component (actions go through init). */
  supervised(row: MonitorRow): bool { return row.initName.length > 0; }

  private act(row: MonitorRow, result: i32): i32 {
    this.error = result < 0 ? result : 0;
    return result;
  }
}
