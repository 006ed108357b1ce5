// What `ls`, `cat` and completion see: one tree of paths made of the
// pathname space's names (`/init`, `/desktop/shell`, servers, not files)
// the boot payload's files under `/boot` (`/boot/apps/greeter.wasm`), and
// the mount points of the volumes (sdk/lib/files.ts: MOUNTS), as folders.

import { MOUNTS, mounted } from "../../sdk/lib/files";
import { PayloadFile, listFiles, listNames } from "../system/system";

export const BOOT = "/boot";

/** An entry of a folder of the tree: a leaf (a name or a file) or a folder. */
export class Entry {
  constructor(readonly name: string, readonly isFolder: bool, readonly size: i64, readonly isFile: bool) {}
}

export class Namespace {
  readonly names: string[] = listNames();
  readonly files: PayloadFile[] = listFiles();

  /** The payload file at tree path `path` (`/boot/...`), or null. */
  file(path: string): PayloadFile | null {
    if (!path.startsWith(BOOT + "/")) return null;
    const inside = path.substring(BOOT.length + 1);
    for (let i = 0; i < this.files.length; i++) if (this.files[i].path == inside) return this.files[i];
    return null;
  }

  /** Whether `path` is a registered name. */
  isName(path: string): bool { return this.names.includes(path); }

  /**
   * The entries of folder `folder` (`/`, `/test`, `/boot/apps`; no trailing
   * slash but for the root), sorted; null when nothing lies below it.
   */
  list(folder: string): Entry[] | null {
    const prefix = folder == "/" ? "/" : folder + "/";
    const seen = new Map<string, Entry>();
    for (let i = 0; i < this.names.length; i++) addBelow(seen, prefix, this.names[i], -1, false);
    for (let i = 0; i < this.files.length; i++) addBelow(seen, prefix, BOOT + "/" + this.files[i].path, <i64>this.files[i].size, true);
    // A mount point whose server answers is a folder, also where no name of the server's lies below it.
    for (let i = 0; i < MOUNTS.length; i++) if (mounted(MOUNTS[i])) addBelow(seen, prefix, MOUNTS[i].prefix + "/", -1, false);
    // The root and /boot exist even when empty.
    if (seen.size == 0 && prefix != "/" && prefix != BOOT + "/") return null;
    const entries = seen.values();
    entries.sort((a: Entry, b: Entry): i32 => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    return entries;
  }
}

/** Adds the entry of `prefix` that `path` lies in (itself when it is a leaf right there). */
function addBelow(seen: Map<string, Entry>, prefix: string, path: string, size: i64, isFile: bool): void {
  if (!path.startsWith(prefix) || path.length == prefix.length) return;
  const rest = path.substring(prefix.length);
  const slash = rest.indexOf("/");
  if (slash < 0) { seen.set(rest, new Entry(rest, false, size, isFile)); return; }
  const folder = rest.substring(0, slash);
  if (!seen.has(folder) || !seen.get(folder).isFolder) seen.set(folder, new Entry(folder, true, -1, false));
}
