// A component as the monitor shows it: one row of its list, as the sampler
// (sampler.ts) computes it and the view (view.ts) and the console print it.

import { pad } from "../system/names";

/** One component as the monitor shows it. */
export class MonitorRow {
  id: u32 = 0;
  identity: string = "";
  kind: string = "";
  state: string = "";
  memoryKiB: u64 = 0;
  /** Thousandths of the processor since the last sample; -1 when there is no last sample of it. */
  cpuPermille: i32 = -1;
  /** Messages it sent a second since the last sample; -1 likewise. */
  messagesPerSecond: i32 = -1;
  restarts: u32 = 0;
  /** The trap that ended its identity's last faulted instance, "" for none. */
  lastFault: string = "";
  threads: u32 = 0;
  /**
   * init's warm spares of this component (servers/init/supervisor.ts): loaded
   * instances of the same identity that wait to take over when this one
   * ends. They are shown on this row, not as rows of their own.
   */
  spares: u32 = 0;
  /** The memory the spares hold, in KiB (not in memoryKiB). */
  spareKiB: u64 = 0;

  /** Its name in init's list (`echo` of `init/echo`), "" when init does not supervise it. */
  get initName(): string {
    return this.identity.startsWith("init/") && this.identity.indexOf("/", 5) < 0 ? this.identity.substring(5) : "";
  }
}

/** A row as one line of text, in columns (the view's list and the console both show it). */
export function rowText(row: MonitorRow): string {
  return pad(row.id.toString(), 4) + "  " + padRight(row.identity, 24) + padRight(row.kind, 11) + padRight(row.state, 8)
    + pad(row.memoryKiB.toString(), 8) + pad(spareText(row), 7) + pad(row.cpuPermille < 0 ? "-" : fixedTenths(row.cpuPermille), 7)
    + pad(row.messagesPerSecond < 0 ? "-" : row.messagesPerSecond.toString(), 8) + pad(row.restarts.toString(), 5) + "  " + row.lastFault;
}

/** The header of rowText's columns. */
export const HEADER = pad("ID", 4) + "  " + padRight("COMPONENT", 24) + padRight("KIND", 11) + padRight("STATE", 8) + pad("MEM KiB", 8)
  + pad("SPARE", 7) + pad("CPU %", 7) + pad("MSG/s", 8) + pad("RST", 5) + "  LAST FAULT";

/** The spare column: the spares' KiB, with their count when there are several; empty for none. */
function spareText(row: MonitorRow): string {
  if (row.spares == 0) return "";
  return (row.spares > 1 ? row.spares.toString() + "x" : "") + row.spareKiB.toString();
}
function fixedTenths(permille: i32): string { return (permille / 10).toString() + "." + (permille % 10).toString(); }
function padRight(text: string, width: i32): string { return pad(text.length >= width ? text.substring(0, width - 1) : text, width, false); }
