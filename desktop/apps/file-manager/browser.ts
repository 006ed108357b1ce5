// What the file manager shows and does, apart from its window: one folder
// of the file server at a time, its entries with their size, modified time
// and kind (folders first, then by name), and the changes a user makes —
// a new folder, a rename, a removal — each one request the file server
// does exactly once, whatever restarts between (sdk/lib/files.ts).
//
// The browser holds only the folder's path: the entries are asked for
// again after every change and on refresh, so what it shows is what the
// volume holds, also after another program changed it.

import { FILES_TYPE_DIRECTORY } from "../../../ipc/generated/index";
import { civilFromDays } from "../../../sdk/lib/calendar";
import { FileRef, FilesClient, filesStatusName } from "../../../sdk/lib/files";
import { HOME_FOLDER, joinPath, splitPath } from "../../lib/home";

export class Entry {
  constructor(readonly name: string, readonly kind: u32, readonly size: u64, readonly modified: i64) {}
  get isFolder(): bool { return this.kind == FILES_TYPE_DIRECTORY; }
}

export class Browser {
  /** The folder shown: an absolute path. */
  folder: string = HOME_FOLDER;
  entries: Entry[] = [];
  /** What went wrong in the last call ("" when nothing). */
  problem: string = "";

  constructor(readonly files: FilesClient) {}

  /** The path of entry `name` of the folder. */
  pathOf(name: string): string { return joinPath(this.folder, name); }

  /** Lists the folder again: true when the entries are the volume's. */
  refresh(): bool {
    this.problem = "";
    const folder = this.files.resolve(this.folder);
    if (folder == null) return this.fail("cannot find " + this.folder);
    const listed = this.files.list(folder);
    if (listed == null) return this.fail("cannot list " + this.folder);
    const entries = new Array<Entry>();
    for (let i = 0; i < listed.length; i++) {
      const name = listed[i].name;
      // An entry removed between the listing and its lookup is left out, as the next listing would.
      const file = this.files.lookup(folder, name);
      if (file == null) continue;
      const attributes = this.files.getattr(file);
      if (attributes == null) continue;
      entries.push(new Entry(name, attributes.kind, attributes.length, attributes.modified));
    }
    entries.sort((a: Entry, b: Entry): i32 => {
      if (a.isFolder != b.isFolder) return a.isFolder ? -1 : 1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    this.entries = entries;
    return true;
  }

  /** The entry named `name`, or null. */
  entry(name: string): Entry | null {
    for (let i = 0; i < this.entries.length; i++) if (this.entries[i].name == name) return this.entries[i];
    return null;
  }

  /** Shows folder `path` (absolute): false, and the folder shown stays, when it cannot be listed. */
  show(path: string): bool {
    const previous = this.folder;
    this.folder = path.length == 0 ? "/" : path;
    if (this.refresh()) return true;
    const problem = this.problem;
    this.folder = previous;
    this.refresh();
    this.problem = problem;
    return false;
  }

  enter(name: string): bool { return this.show(this.pathOf(name)); }

  /** The parent folder; false at the top. */
  up(): bool {
    if (this.folder == "/") { this.problem = "already at the top"; return false; }
    return this.show(splitPath(this.folder)[0]);
  }

  makeFolder(name: string): bool {
    if (!this.checkName(name)) return false;
    const folder = this.current();
    if (folder == null) return false;
    if (this.files.mkdir(folder, name) == null) return this.fail("cannot make the folder " + name);
    return this.refresh();
  }

  rename(from: string, to: string): bool {
    if (!this.checkName(to)) return false;
    const folder = this.current();
    if (folder == null) return false;
    if (this.files.rename(folder, from, folder, to) < 0) return this.fail("cannot rename " + from + " to " + to);
    return this.refresh();
  }

  /** Removes a file or an empty folder. */
  remove(name: string): bool {
    const folder = this.current();
    if (folder == null) return false;
    if (this.files.remove(folder, name) < 0) return this.fail("cannot delete " + name);
    return this.refresh();
  }

  private current(): FileRef | null {
    const folder = this.files.resolve(this.folder);
    if (folder == null) this.fail("cannot find " + this.folder);
    return folder;
  }

  private checkName(name: string): bool {
    if (name.length == 0 || name.includes("/") || name == "." || name == "..") {
      this.problem = "\"" + name + "\" cannot name a file: type a name without /";
      return false;
    }
    return true;
  }

  private fail(what: string): bool {
    this.problem = what + ": " + filesStatusName(this.files.status);
    return false;
  }
}

/** A size as people read it: bytes, KiB, MiB or GiB with one decimal. */
export function formatSize(bytes: u64): string {
  if (bytes < 1024) return bytes.toString() + " B";
  const units: StaticArray<string> = ["KiB", "MiB", "GiB", "TiB"];
  let unit = 0;
  let scaled = bytes * 10 / 1024;
  while (scaled >= 10240 && unit < units.length - 1) { scaled /= 1024; unit++; }
  return (scaled / 10).toString() + "." + (scaled % 10).toString() + " " + units[unit];
}

/** Times before this (2000-01-01, in ns since 1970) are times since the boot, as the file server's clock gives them without a wall clock. */
const WALL_CLOCK_FROM: i64 = 946_684_800 * 1_000_000_000;

/** A modified time (ns since 1970, UTC) as `YYYY-MM-DD HH:MM`; an earlier one as the time after boot (`boot+1h02m`). */
export function formatTime(nanoseconds: i64): string {
  if (nanoseconds < WALL_CLOCK_FROM) {
    const minutes = max<i64>(0, nanoseconds / 60_000_000_000);
    return "boot+" + (minutes / 60).toString() + "h" + pad2(minutes % 60) + "m";
  }
  const seconds = nanoseconds / 1_000_000_000;
  const days = seconds / 86400, inDay = seconds % 86400;
  const date = civilFromDays(days);
  return date[0].toString() + "-" + pad2(date[1]) + "-" + pad2(date[2]) + " " + pad2(inDay / 3600) + ":" + pad2(inDay % 3600 / 60);
}

function pad2(value: i64): string { return value < 10 ? "0" + value.toString() : value.toString(); }


/** The kind column's word. */
export function kindName(entry: Entry): string { return entry.isFolder ? "folder" : "file"; }
