// The shell's file commands: ls, cat, cp, mv, rm, mkdir, df, sync, pwd, cd
// on the mounted volumes (sdk/lib/files.ts: MOUNTS, the one table of where
// volumes appear) and the boot payload (/boot), and the redirection of a
// command's output to a file.
//
// Nothing stays here between requests: the current directory, the client
// id and the sequence of the session with the file servers are the
// terminal's session (session.ts). A command the terminal sends again to a
// restarted shell repeats its changes with the same (client, sequence):
// the one the server recorded last is answered from its record, an earlier
// one as OLD_REQUEST, which proves it done (only this session uses this
// client id), so no change is made twice. What the shell writes to a file
// is synced before the command's reply, so a line answered is durable.

import { errorName, FILES_TRANSFER_MAXIMUM } from "../../ipc/generated/index";
import { FILES_ERROR_EXISTS, FILES_ERROR_NOT_FOUND, FILES_ERROR_OLD_REQUEST } from "../../ipc/generated/protocols/files";
import {
  Attributes, DirectoryEntry, FileRef, FilesClient, MOUNTS, Mount, absolutePath, baseName, filesErrorText, mountOf, mounted, newClientId, parentPath,
} from "../../sdk/lib/files";
import { readFile, systemError } from "../system/system";
import { fixed, pad } from "../system/names";
import { civilFromDays } from "../../sdk/lib/calendar";
import { BOOT, Namespace } from "./namespace";
import { Output } from "./output";
import { Session } from "./session";

/** The largest file `cat` prints. */
export const CAT_MAXIMUM: u32 = 16384;
/** How long a command waits for a file server's name: a system without one answers soon. */
const RESOLVE_WAIT: i64 = 1_000_000_000;
/** Nanoseconds since 1970 of 2000-01-01: times below it are times since the boot (no wall clock yet). */
const CALENDAR_TIMES: i64 = 946_684_800_000_000_000;

/** A path of a mounted volume: the mount, the path on its server, the session with that server. */
class VolumePath {
  constructor(readonly path: string, readonly mount: Mount, readonly inside: string, readonly files: FilesClient) {}
}

/** A file's bytes, from the payload or a volume, read piece by piece. */
class Source {
  constructor(readonly path: string, readonly volume: VolumePath | null, readonly file: FileRef | null) {}
}

export class FileCommands {
  private readonly clients: Map<string, FilesClient> = new Map();
  private readonly buffer: usize = heap.alloc(FILES_TRANSFER_MAXIMUM);

  constructor(readonly session: Session) {}

  /** Frees the transfer buffer: one FileCommands serves one line. */
  done(): void { heap.free(this.buffer); }

  /** `path` made absolute against the current directory. */
  absolute(path: string): string { return absolutePath(this.session.directory, path); }

  /** The session with the server of `mount`, taking the session's client id (a new one on first use). */
  private client(mount: Mount): FilesClient {
    if (this.clients.has(mount.server)) return this.clients.get(mount.server);
    if (this.session.filesClient == 0) this.session.filesClient = newClientId();
    const files = new FilesClient(mount.server, this.session.filesClient);
    files.resolveTimeout = RESOLVE_WAIT;
    this.clients.set(mount.server, files);
    return files;
  }

  /** The volume path of absolute `path`, or null when no volume is mounted there. */
  volume(path: string): VolumePath | null {
    const mount = mountOf(path);
    if (mount == null) return null;
    return new VolumePath(path, mount, mount.serverPath(path), this.client(mount));
  }

  private resolve(at: VolumePath): FileRef | null { return at.files.resolve(at.inside); }

  private kind(at: VolumePath, file: FileRef): Attributes | null { return at.files.getattr(file); }

  /** Takes the session's sequence before a change, for the same (client, sequence) when the line is run again. */
  private before(files: FilesClient): void { files.sequence = this.session.filesSequence; }

  private after(files: FilesClient): void { this.session.filesSequence = files.sequence; }

  /** Whether a file server is answering: what a path off the volumes or a dead server says. */
  private reason(files: FilesClient): string { return filesErrorText(files.status); }

  // --- the commands ------------------------------------------------------

  pwd(out: Output): void { out.line(this.session.directory); }

  cd(argv: string[], out: Output): void {
    const path = this.absolute(argv.length > 1 ? argv[1] : "/");
    const volume = this.volume(path);
    if (volume != null) {
      const file = this.resolve(volume);
      if (file == null) { out.line("cd: " + path + ": " + this.reason(volume.files)); return; }
      if (!file.isDirectory) { out.line("cd: " + path + ": not a directory"); return; }
    } else if (path != "/" && new Namespace().list(path) == null) {
      out.line("cd: " + path + ": " + (new Namespace().file(path) != null || new Namespace().isName(path) ? "not a directory" : "no such directory"));
      return;
    }
    this.session.directory = path;
  }

  /** ls on a volume: the entries of a directory (with -l their kind, mode, size and time), or the file itself. */
  lsVolume(at: VolumePath, long: bool, out: Output): void {
    const files = at.files;
    const file = this.resolve(at);
    if (file == null) { out.line("ls: " + at.path + ": " + this.reason(files)); return; }
    if (!file.isDirectory) {
      const attributes = this.kind(at, file);
      if (attributes == null) { out.line("ls: " + at.path + ": " + this.reason(files)); return; }
      out.line(long ? longLine(attributes, at.path) : at.path);
      return;
    }
    const entries = files.list(file);
    if (entries == null) { out.line("ls: " + at.path + ": " + this.reason(files)); return; }
    entries.sort((a: DirectoryEntry, b: DirectoryEntry): i32 => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const shown = entry.name + (entry.kind == 2 ? "/" : "");
      if (!long) { out.line(shown); continue; }
      const handle = files.lookup(file, entry.name);
      const attributes: Attributes | null = handle == null ? null : files.getattr(handle);
      // An entry removed by another client between the listing and its getattr.
      if (attributes == null) { out.line("ls: " + at.path + "/" + entry.name + ": " + this.reason(files)); continue; }
      out.line(longLine(attributes, shown));
    }
  }

  /** The bytes to print of a volume file: null when there are none to print (said on `out`). */
  catVolume(at: VolumePath, out: Output): Uint8Array | null {
    const file = this.resolve(at);
    if (file == null) { out.line("cat: " + at.path + ": " + this.reason(at.files)); return null; }
    if (file.isDirectory) { out.line("cat: " + at.path + ": is a directory"); return null; }
    const bytes = new Uint8Array(CAT_MAXIMUM + 1);
    const read = at.files.read(file, 0, bytes.dataStart, CAT_MAXIMUM + 1);
    if (read < 0) { out.line("cat: " + at.path + ": " + filesErrorText(<i32>read)); return null; }
    return bytes.subarray(0, <i32>read);
  }

  /** cp SOURCE TARGET: a file of the payload or a volume to a volume; TARGET a file (made or emptied) or a directory. */
  cp(argv: string[], out: Output): void {
    if (argv.length != 3) { out.line("cp: cp SOURCE TARGET"); return; }
    const source = this.source(argv[1], out, "cp");
    if (source == null) return;
    let targetPath = this.absolute(argv[2]);
    const target = this.volume(targetPath);
    if (target == null) { out.line("cp: " + targetPath + ": not on a mounted volume (df lists them)"); return; }
    const existing = this.resolve(target);
    let into: VolumePath = target;
    if (existing != null && existing.isDirectory) {
      targetPath = absolutePath(targetPath, baseName(source.path));
      into = this.volume(targetPath)!;
    }
    if (into.path == source.path) { out.line("cp: " + source.path + ": source and target are the same file"); return; }
    const file = this.openForWriting(into, false, "cp", out);
    if (file == null) return;
    const files = into.files;
    let offset: u64 = 0;
    while (true) {
      const count = this.readSource(source, offset, out, "cp");
      if (count < 0) return;
      if (count == 0) break;
      const written = files.write(file, offset, this.buffer, <u32>count, false);
      if (written < 0) { out.line("cp: " + targetPath + ": " + filesErrorText(<i32>written)); return; }
      offset += <u64>count;
    }
    if (files.sync() < 0) { out.line("cp: " + targetPath + ": sync: " + this.reason(files)); return; }
  }

  /** mv SOURCE TARGET: a rename on one volume, across directories; TARGET a new name, a file replaced, or a directory to move into. */
  mv(argv: string[], out: Output): void {
    if (argv.length != 3) { out.line("mv: mv SOURCE TARGET"); return; }
    const fromPath = this.absolute(argv[1]);
    let toPath = this.absolute(argv[2]);
    const from = this.volume(fromPath);
    if (from == null) { out.line("mv: " + fromPath + ": not on a mounted volume (df lists them)"); return; }
    if (from.inside == "/") { out.line("mv: " + fromPath + ": a volume's root cannot move"); return; }
    let to = this.volume(toPath);
    if (to == null) { out.line("mv: " + toPath + ": not on a mounted volume (df lists them)"); return; }
    if (to.mount.server != from.mount.server) { out.line("mv: " + toPath + ": on another volume than " + fromPath + " (cp, then rm)"); return; }
    const files = from.files;
    const target = this.resolve(to);
    if (target != null && target.isDirectory) {
      toPath = absolutePath(toPath, baseName(fromPath));
      to = this.volume(toPath)!;
    }
    const fromDirectory = files.resolve(parentPath(from.inside));
    if (fromDirectory == null) { out.line("mv: " + parentPath(fromPath) + ": " + this.reason(files)); return; }
    const toDirectory = files.resolve(parentPath(to.inside));
    if (toDirectory == null) { out.line("mv: " + parentPath(toPath) + ": " + this.reason(files)); return; }
    this.before(files);
    const status = files.rename(fromDirectory, baseName(from.inside), toDirectory, baseName(to.inside));
    this.after(files);
    if (status < 0 && status != FILES_ERROR_OLD_REQUEST) out.line("mv: " + fromPath + ": " + filesErrorText(status));
  }

  /** rm [-r] PATH...: files; directories and all below them with -r. */
  rm(argv: string[], out: Output): void {
    let recursive = false, any = false;
    for (let i = 1; i < argv.length; i++) {
      if (argv[i] == "-r") { recursive = true; continue; }
      any = true;
      const path = this.absolute(argv[i]);
      const at = this.volume(path);
      if (at == null) { out.line("rm: " + path + ": not on a mounted volume (df lists them)"); continue; }
      if (at.inside == "/") { out.line("rm: " + path + ": a volume's root cannot be removed"); continue; }
      const files = at.files;
      const directory = files.resolve(parentPath(at.inside));
      if (directory == null) { out.line("rm: " + parentPath(path) + ": " + this.reason(files)); continue; }
      const file = files.lookup(directory!, baseName(at.inside));
      // A name not found may be one this very line removed before the shell restarted: the remove, sent with its
      // sequence, tells (answered from the server's record then, NOT_FOUND when it never was).
      if (file == null && files.status != FILES_ERROR_NOT_FOUND) { out.line("rm: " + path + ": " + this.reason(files)); continue; }
      if (file != null && file.isDirectory && !recursive) { out.line("rm: " + path + ": is a directory (rm -r removes it and all below)"); continue; }
      this.remove(files, directory!, baseName(at.inside), file, path, out);
    }
    if (!any) out.line("rm: which file? (rm [-r] PATH...)");
  }

  /** Removes `name` of `directory` (`file`; null: not found), a directory's entries first: false when something could not be removed. */
  private remove(files: FilesClient, directory: FileRef, name: string, file: FileRef | null, path: string, out: Output): bool {
    if (file != null && file.isDirectory) {
      const entries = files.list(file);
      if (entries == null) { out.line("rm: " + path + ": " + this.reason(files)); return false; }
      for (let i = 0; i < entries.length; i++) {
        const entryPath = path + "/" + entries[i].name;
        const entry = files.lookup(file!, entries[i].name);
        if (entry == null) { if (files.status == FILES_ERROR_NOT_FOUND) continue; out.line("rm: " + entryPath + ": " + this.reason(files)); return false; }
        if (!this.remove(files, file!, entries[i].name, entry, entryPath, out)) return false;
      }
    }
    this.before(files);
    const status = files.remove(directory, name);
    this.after(files);
    if (status < 0 && status != FILES_ERROR_OLD_REQUEST) { out.line("rm: " + path + ": " + filesErrorText(status)); return false; }
    return true;
  }

  mkdir(argv: string[], out: Output): void {
    if (argv.length < 2) { out.line("mkdir: which directory? (mkdir PATH...)"); return; }
    for (let i = 1; i < argv.length; i++) {
      const path = this.absolute(argv[i]);
      const at = this.volume(path);
      if (at == null) { out.line("mkdir: " + path + ": not on a mounted volume (df lists them)"); continue; }
      const files = at.files;
      const parent = files.resolve(parentPath(at.inside));
      if (parent == null) { out.line("mkdir: " + parentPath(path) + ": " + this.reason(files)); continue; }
      if (!parent.isDirectory) { out.line("mkdir: " + parentPath(path) + ": not a directory"); continue; }
      this.before(files);
      const made = files.mkdir(parent, baseName(at.inside));
      this.after(files);
      if (made == null && files.status != FILES_ERROR_OLD_REQUEST) out.line("mkdir: " + path + ": " + this.reason(files));
    }
  }

  /** df: each mounted volume's size, use and room. */
  df(out: Output): void {
    out.line(pad("VOLUME", 12, false) + pad("KiB", 10) + pad("USED", 10) + pad("FREE", 10) + pad("USE", 6) + "  SERVER");
    for (let i = 0; i < MOUNTS.length; i++) {
      const mount = MOUNTS[i];
      if (!mounted(mount)) continue;
      const files = this.client(mount);
      const space = files.statfs();
      if (space == null) { out.line(pad(mount.prefix, 12, false) + "  " + mount.server + ": " + this.reason(files)); continue; }
      const kib = space.blocks * <u64>space.blockSize / 1024, free = space.free * <u64>space.blockSize / 1024;
      const used = kib - free;
      const percent = kib == 0 ? 0 : used * 100 / kib;
      out.line(pad(mount.prefix, 12, false) + pad(kib.toString(), 10) + pad(used.toString(), 10) + pad(free.toString(), 10)
        + pad(percent.toString() + "%", 6) + "  " + mount.server + (mount.inside == "/" ? "" : ":" + mount.inside));
    }
  }

  /** sync: a commit on every mounted volume's server, making every client's unstable writes durable. */
  sync(out: Output): void {
    const done = new Set<string>();
    for (let i = 0; i < MOUNTS.length; i++) {
      const mount = MOUNTS[i];
      if (done.has(mount.server) || !mounted(mount)) continue;
      done.add(mount.server);
      const files = this.client(mount);
      if (files.sync() < 0) out.line("sync: " + mount.prefix + ": " + this.reason(files));
    }
  }

  /**
   * Writes `text` to the file at `path` (`>`: made or emptied; `>>`:
   * appended to, made if need be), synced before it returns. False (said
   * on `out`) when it could not.
   */
  redirect(path: string, text: string, append: bool, out: Output): bool {
    const at = this.volume(this.absolute(path));
    if (at == null) { out.line("shell: " + this.absolute(path) + ": not on a mounted volume (df lists them)"); return false; }
    const file = this.openForWriting(at, append, "shell", out);
    if (file == null) return false;
    const files = at.files;
    let offset: u64 = 0;
    if (append) {
      const attributes = files.getattr(file);
      if (attributes == null) { out.line("shell: " + at.path + ": " + this.reason(files)); return false; }
      offset = attributes.length;
    }
    const bytes = String.UTF8.encode(text);
    const written = files.write(file, offset, changetype<usize>(bytes), <u32>bytes.byteLength, false);
    if (written < 0) { out.line("shell: " + at.path + ": " + filesErrorText(<i32>written)); return false; }
    if (files.sync() < 0) { out.line("shell: " + at.path + ": sync: " + this.reason(files)); return false; }
    return true;
  }

  /** The file at `at` to write: made if absent, emptied unless `append`. */
  private openForWriting(at: VolumePath, append: bool, command: string, out: Output): FileRef | null {
    const files = at.files;
    const directory = files.resolve(parentPath(at.inside));
    if (directory == null) { out.line(command + ": " + parentPath(at.path) + ": " + this.reason(files)); return null; }
    if (!directory.isDirectory) { out.line(command + ": " + parentPath(at.path) + ": not a directory"); return null; }
    const name = baseName(at.inside);
    if (name.length == 0) { out.line(command + ": " + at.path + ": is a directory"); return null; }
    this.before(files);
    let file = files.create(directory, name);
    this.after(files);
    if (file != null) return file;
    const made = files.status;
    if (made != FILES_ERROR_EXISTS && made != FILES_ERROR_OLD_REQUEST) { out.line(command + ": " + at.path + ": " + filesErrorText(made)); return null; }
    file = files.lookup(directory, name);
    if (file == null) { out.line(command + ": " + at.path + ": " + this.reason(files)); return null; }
    if (file.isDirectory) { out.line(command + ": " + at.path + ": is a directory"); return null; }
    if (!append && files.setSize(file, 0, false) < 0) { out.line(command + ": " + at.path + ": " + this.reason(files)); return null; }
    return file;
  }

  /** The file to copy from: a payload file (/boot/...) or a volume's. */
  private source(typed: string, out: Output, command: string): Source | null {
    const path = this.absolute(typed);
    const at = this.volume(path);
    if (at == null) {
      if (new Namespace().file(path) == null) { out.line(command + ": " + path + ": no such file (files are on the volumes df lists, and under /boot)"); return null; }
      return new Source(path, null, null);
    }
    const file = this.resolve(at);
    if (file == null) { out.line(command + ": " + path + ": " + this.reason(at.files)); return null; }
    if (file.isDirectory) { out.line(command + ": " + path + ": is a directory"); return null; }
    return new Source(path, at, file);
  }

  /** Reads the next piece of `source` at `offset` into the buffer: its length (0 at the end), or -1 (said on `out`). */
  private readSource(source: Source, offset: u64, out: Output, command: string): i64 {
    const volume = source.volume;
    if (volume != null) {
      const read = volume.files.read(source.file!, offset, this.buffer, FILES_TRANSFER_MAXIMUM);
      if (read < 0) { out.line(command + ": " + source.path + ": " + filesErrorText(<i32>read)); return -1; }
      return read;
    }
    const bytes = readFile(source.path.substring(BOOT.length + 1), <u32>offset, FILES_TRANSFER_MAXIMUM);
    if (bytes == null) { out.line(command + ": " + source.path + ": " + errorName(systemError)); return -1; }
    memory.copy(this.buffer, bytes.dataStart, <usize>bytes.length);
    return bytes.length;
  }

  /** The entries of volume directory `path` for completion, directories with a slash; empty when it is none. */
  completions(path: string): string[] {
    const names = new Array<string>();
    const at = this.volume(path);
    if (at == null) return names;
    const directory = this.resolve(at);
    if (directory == null || !directory.isDirectory) return names;
    const entries = at.files.list(directory);
    if (entries == null) return names;
    for (let i = 0; i < entries.length; i++) names.push(entries[i].name + (entries[i].kind == 2 ? "/" : ""));
    return names;
  }
}

/** One line of `ls -l`: mode, size, time, name. */
function longLine(attributes: Attributes, name: string): string {
  return modeText(attributes) + pad(attributes.length.toString(), 10) + "  " + timeText(attributes.modified) + "  " + name;
}

/** `drwxr-xr-x` from a kind and mode. */
function modeText(attributes: Attributes): string {
  let text = attributes.kind == 2 ? "d" : "-";
  const letters = "rwx";
  for (let bit = 8; bit >= 0; bit--) text += (attributes.mode >> <u32>bit) & 1 ? letters.charAt((8 - bit) % 3) : "-";
  return text;
}

/** A file time: a UTC date once the volume records calendar time, else seconds after the boot that wrote it. */
export function timeText(nanoseconds: i64): string {
  if (nanoseconds < CALENDAR_TIMES) return pad("boot+" + fixed(<u64>(nanoseconds / 1_000_000), 3) + "s", 16, false);
  const seconds = nanoseconds / 1_000_000_000;
  const days = seconds / 86400, inDay = seconds % 86400;
  const date = civilFromDays(days);
  return date[0].toString() + "-" + two(date[1]) + "-" + two(date[2]) + " " + two(inDay / 3600) + ":" + two(inDay % 3600 / 60);
}

function two(value: i64): string { return value < 10 ? "0" + value.toString() : value.toString(); }
