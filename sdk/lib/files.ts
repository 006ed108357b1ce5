// The client side of the file server's stateless protocol (files, on
// /files; ipc/table/protocols/storage.ts): what apps use, never raw
// messages. The session lives here, not in the server: the file handles,
// each open file's offset, the client's id and the sequence of its
// non-idempotent requests, and the unstable writes not yet committed.
//
// - Every request goes through a NamedConnection: when the server dies
//   before answering, the same request goes to its next instance. Reads,
//   writes, lookups and listings are idempotent; create, mkdir, remove and
//   rename carry (client, sequence), the sequence taken once per call and
//   kept for its re-sends, so the server answers a re-send with the reply it
//   recorded in the commit that did the change: each is done exactly once.
// - An unstable write is kept here until a commit covers it. The server's
//   verifier changes with each instance; when sync() finds it changed since
//   a kept write was answered, that write may have died with the instance,
//   so every kept write is sent again, in order, and committed again.
//   What sync() answered is durable; a write never synced may be lost by a
//   server crash only together with everything after it up to the next
//   commit, and by a power cut as the volume's format says (docs/storage.md).

import { NamedConnection } from "../../ipc/client/index";
import { clockCycles, clockNow, componentSelf, errorName, handleClose, nameOpen, TIMEOUT_NONE, ERROR_DEAD_SERVER, FILES_TRANSFER_MAXIMUM, FILES_TYPE_DIRECTORY, FILES_WRITE_STABLE, FILES_WRITE_UNSTABLE } from "../../ipc/generated/index";
import {
  FILES_COMMIT, FILES_COMMIT_REPLY_SIZE, FILES_COMMIT_REQUEST_SIZE, FILES_CREATE, FILES_CREATE_REPLY_SIZE, FILES_CREATE_REQUEST_SIZE, FILES_GETATTR, FILES_GETATTR_REPLY_SIZE, FILES_GETATTR_REQUEST_SIZE, FILES_LOOKUP, FILES_LOOKUP_REPLY_SIZE, FILES_LOOKUP_REQUEST_SIZE, FILES_MKDIR, FILES_PATH, FILES_READ, FILES_READDIR, FILES_READDIR_REPLY_ENTRIES, FILES_READDIR_REPLY_SIZE, FILES_READDIR_REQUEST_SIZE, FILES_READ_REPLY_DATA, FILES_READ_REQUEST_SIZE, FILES_REMOVE, FILES_REMOVE_REPLY_SIZE, FILES_REMOVE_REQUEST_SIZE, FILES_RENAME, FILES_RENAME_REPLY_SIZE, FILES_RENAME_REQUEST_SIZE, FILES_ROOT, FILES_ROOT_REPLY_SIZE, FILES_ROOT_REQUEST_SIZE, FILES_SET_SIZE, FILES_SET_SIZE_REPLY_SIZE, FILES_SET_SIZE_REQUEST_SIZE, FILES_STATFS, FILES_STATFS_REPLY_SIZE, FILES_STATFS_REQUEST_SIZE, FILES_WRITE, FILES_WRITE_REPLY_SIZE, FILES_WRITE_REQUEST_SIZE, FILES_ERROR_STALE, FILES_ERROR_NOT_FOUND, FILES_ERROR_EXISTS, FILES_ERROR_NOT_DIRECTORY, FILES_ERROR_IS_DIRECTORY, FILES_ERROR_NOT_EMPTY, FILES_ERROR_NO_SPACE, FILES_ERROR_BAD_NAME, FILES_ERROR_CORRUPT, FILES_ERROR_IO, FILES_ERROR_NO_VOLUME, FilesCommitReply, FilesCreateReply, FilesCreateRequest, FilesGetattrReply, FilesGetattrRequest, FilesLookupReply, FilesLookupRequest, FilesReadReply, FilesReadRequest, FilesReaddirReply, FilesReaddirRequest, FilesRemoveReply, FilesRemoveRequest, FilesRenameReply, FilesRenameRequest, FilesRootReply, FilesSetSizeReply, FilesSetSizeRequest, FilesStatfsReply, FilesWriteReply, FilesWriteRequest,
} from "../../ipc/generated/protocols/files";

/** Room for the largest request or reply: a write or read of FILES_TRANSFER_MAXIMUM bytes, a rename's two names. */
const MESSAGE_BYTES: u32 = FILES_TRANSFER_MAXIMUM + 1024;
/** Unstable bytes kept before a write commits by itself, so that what is kept for a re-send stays bounded. */
const UNSTABLE_MAXIMUM: u32 = 1 << 20;
/** Times sync() sends the kept writes again before giving up on a server that keeps dying. */
const SYNC_TRIES: i32 = 8;

/** A file or directory on the server: what names it across the server's restarts. */
export class FileRef {
  constructor(public volume: u64, public inode: u64, public generation: u64, public kind: u32 = 0) {}
  get isDirectory(): bool { return this.kind == FILES_TYPE_DIRECTORY; }
}

export class Attributes {
  kind: u32 = 0;
  mode: u32 = 0;
  /** A file's size; a directory's number of entries. */
  length: u64 = 0;
  created: i64 = 0;
  modified: i64 = 0;
}

export class DirectoryEntry {
  constructor(public name: string, public inode: u64, public kind: u32) {}
}

export class Statfs {
  volume: u64 = 0;
  blocks: u64 = 0;
  free: u64 = 0;
  blockSize: u32 = 0;
}

/** An unstable write kept for sync(): where, what, and the verifier of the instance that answered it. */
class KeptWrite {
  constructor(public file: FileRef, public offset: u64, public data: StaticArray<u8>, public verifier: u64) {}
}

/** A session with the file server. */
export class FilesClient {
  private readonly server: NamedConnection;
  private readonly request: usize = heap.alloc(MESSAGE_BYTES);
  private readonly reply: usize = heap.alloc(MESSAGE_BYTES);
  /** This client's id: random, so that no other client (nor an earlier run of this one) shares its sequence. */
  readonly client: u64;
  /** The sequence number of the last non-idempotent request. */
  sequence: u64 = 0;
  /** The status of the last request that failed (a kernel error, or FILES_ERROR_*). */
  status: i32 = 0;
  /** The verifier of the instance that answered last. */
  verifier: u64 = 0;
  /** Replies to create, mkdir, remove and rename that were the server's record of a request already done (re-sends). */
  replays: u32 = 0;
  private kept: Array<KeptWrite> = [];
  private keptBytes: u32 = 0;

  /**
   * A session with the server on `path`. `client`: the id of a session the
   * caller keeps itself (with `sequence`) across its own restarts; 0 takes
   * a new random one.
   */
  constructor(path: string = FILES_PATH, client: u64 = 0) {
    this.server = new NamedConnection(path);
    this.client = client != 0 ? client : newClientId();
  }

  /** How long a request waits for the server's name to be registered (ns): at start, and after the server died. */
  set resolveTimeout(nanoseconds: i64) { this.server.resolveTimeout = nanoseconds; }

  /** Re-sends after a server restart so far. */
  get resends(): u32 { return this.server.resends; }

  private send(length: u32, replyLength: u32): i32 {
    const status = this.server.send(this.request, length, this.reply, replyLength);
    if (status < 0) this.status = status;
    return status;
  }

  private putHandle(at: usize, file: FileRef): void {
    store<u64>(at, file.volume);
    store<u64>(at + 8, file.inode);
    store<u64>(at + 16, file.generation);
  }

  /** Copies `text` to the request at `offset`: its length in bytes. */
  private putName(offset: u32, text: string): u32 {
    const bytes = <u32>String.UTF8.byteLength(text);
    if (offset + bytes > MESSAGE_BYTES) return 0;
    String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, this.request + offset);
    return bytes;
  }

  /** The root directory, or null (`status`). */
  root(): FileRef | null {
    store<u32>(this.request, FILES_ROOT);
    if (this.send(FILES_ROOT_REQUEST_SIZE, FILES_ROOT_REPLY_SIZE) < 0) return null;
    const reply = changetype<FilesRootReply>(this.reply);
    this.verifier = reply.verifier;
    return new FileRef(reply.volume, reply.inode, reply.generation, FILES_TYPE_DIRECTORY);
  }

  lookup(directory: FileRef, name: string): FileRef | null {
    const request = changetype<FilesLookupRequest>(this.request);
    request.operation = FILES_LOOKUP;
    this.putHandle(this.request + 8, directory);
    const length = this.putName(FILES_LOOKUP_REQUEST_SIZE, name);
    if (this.send(FILES_LOOKUP_REQUEST_SIZE + length, FILES_LOOKUP_REPLY_SIZE) < 0) return null;
    const reply = changetype<FilesLookupReply>(this.reply);
    return new FileRef(reply.volume, reply.inode, reply.generation, reply.kind);
  }

  /** The file at an absolute path (`/a/b`), or null (`status`). */
  resolve(path: string): FileRef | null {
    let at = this.root();
    const parts = path.split("/");
    for (let i = 0; i < parts.length && at != null; i++) {
      if (parts[i].length == 0) continue;
      at = this.lookup(at, parts[i]);
    }
    return at;
  }

  getattr(file: FileRef): Attributes | null {
    changetype<FilesGetattrRequest>(this.request).operation = FILES_GETATTR;
    this.putHandle(this.request + 8, file);
    if (this.send(FILES_GETATTR_REQUEST_SIZE, FILES_GETATTR_REPLY_SIZE) < 0) return null;
    const reply = changetype<FilesGetattrReply>(this.reply);
    const attributes = new Attributes();
    attributes.kind = reply.kind;
    attributes.mode = reply.mode;
    attributes.length = reply.length;
    attributes.created = reply.created;
    attributes.modified = reply.modified;
    return attributes;
  }

  /** Reads up to `length` bytes at `offset` into `into`: the bytes read (0 at the end), or a negative status. */
  read(file: FileRef, offset: u64, into: usize, length: u32): i64 {
    let done: u32 = 0;
    while (done < length) {
      const count = min<u32>(length - done, FILES_TRANSFER_MAXIMUM);
      const request = changetype<FilesReadRequest>(this.request);
      request.operation = FILES_READ;
      this.putHandle(this.request + 8, file);
      request.offset = offset + done;
      request.count = count;
      const status = this.send(FILES_READ_REQUEST_SIZE, FILES_READ_REPLY_DATA + count);
      if (status < 0) return status;
      const got = min<u32>(changetype<FilesReadReply>(this.reply).count, count);
      memory.copy(into + done, this.reply + FILES_READ_REPLY_DATA, got);
      done += got;
      if (got < count) break;
    }
    return done;
  }

  /** Writes `length` bytes at `offset`; `stable`: durable when this returns. The bytes written, or a negative status. */
  write(file: FileRef, offset: u64, from: usize, length: u32, stable: bool): i64 {
    let done: u32 = 0;
    while (done < length) {
      const count = min<u32>(length - done, FILES_TRANSFER_MAXIMUM);
      const request = changetype<FilesWriteRequest>(this.request);
      request.operation = FILES_WRITE;
      this.putHandle(this.request + 8, file);
      request.offset = offset + done;
      request.stable = stable ? FILES_WRITE_STABLE : FILES_WRITE_UNSTABLE;
      memory.copy(this.request + FILES_WRITE_REQUEST_SIZE, from + done, count);
      const status = this.send(FILES_WRITE_REQUEST_SIZE + count, FILES_WRITE_REPLY_SIZE);
      if (status < 0) return status;
      const verifier = changetype<FilesWriteReply>(this.reply).verifier;
      this.verifier = verifier;
      if (!stable) {
        const data = new StaticArray<u8>(<i32>count);
        memory.copy(changetype<usize>(data), from + done, count);
        this.kept.push(new KeptWrite(file, offset + done, data, verifier));
        this.keptBytes += count;
      }
      done += count;
    }
    if (!stable && this.keptBytes > UNSTABLE_MAXIMUM) {
      const synced = this.sync();
      if (synced < 0) return synced;
    }
    return done;
  }

  /**
   * Makes every write so far durable: commit, and when the instance that
   * committed is not the one that answered a kept unstable write, every kept
   * write again and another commit. 0, or a negative status.
   */
  sync(): i32 {
    for (let attempt = 0; attempt < SYNC_TRIES; attempt++) {
      store<u32>(this.request, FILES_COMMIT);
      const status = this.send(FILES_COMMIT_REQUEST_SIZE, FILES_COMMIT_REPLY_SIZE);
      if (status < 0) return status;
      const verifier = changetype<FilesCommitReply>(this.reply).verifier;
      this.verifier = verifier;
      let lost = false;
      for (let i = 0; i < this.kept.length; i++) if (this.kept[i].verifier != verifier) lost = true;
      if (!lost) {
        this.kept = [];
        this.keptBytes = 0;
        return 0;
      }
      // Sent again in order, so that a later write over the same bytes still wins.
      const again = this.kept;
      this.kept = [];
      this.keptBytes = 0;
      for (let i = 0; i < again.length; i++) {
        const write = again[i];
        const written = this.write(write.file, write.offset, changetype<usize>(write.data), <u32>write.data.length, false);
        // A file removed since: what was written to it no longer matters.
        if (written == FILES_ERROR_STALE) continue;
        if (written < 0) { this.kept = again; return <i32>written; }
      }
    }
    // Every commit came from an instance that had not answered the writes: the server dies faster than it can take them.
    this.status = ERROR_DEAD_SERVER;
    return ERROR_DEAD_SERVER;
  }

  /** Sets a file's size. */
  setSize(file: FileRef, size: u64, stable: bool): i32 {
    const request = changetype<FilesSetSizeRequest>(this.request);
    request.operation = FILES_SET_SIZE;
    this.putHandle(this.request + 8, file);
    request.newSize = size;
    request.stable = stable ? FILES_WRITE_STABLE : FILES_WRITE_UNSTABLE;
    const status = this.send(FILES_SET_SIZE_REQUEST_SIZE, FILES_SET_SIZE_REPLY_SIZE);
    if (status >= 0) this.verifier = changetype<FilesSetSizeReply>(this.reply).verifier;
    return status < 0 ? status : 0;
  }

  /** Starts a non-idempotent request: its operation, the client and a new sequence number. */
  private begin(operation: u32): void {
    this.sequence++;
    const request = changetype<FilesCreateRequest>(this.request);
    request.operation = operation;
    request.client = this.client;
    request.sequence = this.sequence;
  }

  private made(operation: u32, directory: FileRef, name: string, mode: u32): FileRef | null {
    this.begin(operation);
    this.putHandle(this.request + 24, directory);
    changetype<FilesCreateRequest>(this.request).mode = mode;
    const length = this.putName(FILES_CREATE_REQUEST_SIZE, name);
    if (this.send(FILES_CREATE_REQUEST_SIZE + length, FILES_CREATE_REPLY_SIZE) < 0) return null;
    const reply = changetype<FilesCreateReply>(this.reply);
    if (reply.replayed != 0) this.replays++;
    return new FileRef(reply.volume, reply.inode, reply.generation, operation == FILES_MKDIR ? FILES_TYPE_DIRECTORY : 1);
  }

  /** Creates an empty file: its handle, or null (`status`: FILES_ERROR_EXISTS when the name is taken). Durable when it returns. */
  create(directory: FileRef, name: string, mode: u32 = 0o644): FileRef | null { return this.made(FILES_CREATE, directory, name, mode); }

  /** Creates an empty directory. Durable when it returns. */
  mkdir(directory: FileRef, name: string, mode: u32 = 0o755): FileRef | null { return this.made(FILES_MKDIR, directory, name, mode); }

  /** Removes a file or an empty directory: 0 or a negative status. Durable when it returns. */
  remove(directory: FileRef, name: string): i32 {
    this.begin(FILES_REMOVE);
    this.putHandle(this.request + 24, directory);
    const length = this.putName(FILES_REMOVE_REQUEST_SIZE, name);
    const status = this.send(FILES_REMOVE_REQUEST_SIZE + length, FILES_REMOVE_REPLY_SIZE);
    if (status >= 0 && changetype<FilesRemoveReply>(this.reply).replayed != 0) this.replays++;
    return status < 0 ? status : 0;
  }

  /** Moves `fromName` in `from` to `toName` in `to`, in one commit: 0 or a negative status. Durable when it returns. */
  rename(from: FileRef, fromName: string, to: FileRef, toName: string): i32 {
    this.begin(FILES_RENAME);
    this.putHandle(this.request + 24, from);
    this.putHandle(this.request + 48, to);
    const fromLength = this.putName(FILES_RENAME_REQUEST_SIZE, fromName);
    const toLength = this.putName(FILES_RENAME_REQUEST_SIZE + fromLength, toName);
    changetype<FilesRenameRequest>(this.request).fromLength = fromLength;
    const status = this.send(FILES_RENAME_REQUEST_SIZE + fromLength + toLength, FILES_RENAME_REPLY_SIZE);
    if (status >= 0 && changetype<FilesRenameReply>(this.reply).replayed != 0) this.replays++;
    return status < 0 ? status : 0;
  }

  /** Every entry of a directory, page by page, or null (`status`). */
  list(directory: FileRef): Array<DirectoryEntry> | null {
    const entries: Array<DirectoryEntry> = [];
    let cookie: u64 = 0;
    do {
      const request = changetype<FilesReaddirRequest>(this.request);
      request.operation = FILES_READDIR;
      this.putHandle(this.request + 8, directory);
      request.cookie = cookie;
      const status = this.send(FILES_READDIR_REQUEST_SIZE, MESSAGE_BYTES);
      if (status < 0) return null;
      const reply = changetype<FilesReaddirReply>(this.reply);
      let at = this.reply + FILES_READDIR_REPLY_ENTRIES;
      for (let i: u32 = 0; i < reply.count; i++) {
        const length = load<u32>(at + 12);
        entries.push(new DirectoryEntry(String.UTF8.decodeUnsafe(at + 16, length), load<u64>(at), load<u32>(at + 8)));
        at += (16 + <usize>length + 7) & ~<usize>7;
      }
      cookie = reply.next;
    } while (cookie != 0);
    return entries;
  }

  statfs(): Statfs | null {
    store<u32>(this.request, FILES_STATFS);
    if (this.send(FILES_STATFS_REQUEST_SIZE, FILES_STATFS_REPLY_SIZE) < 0) return null;
    const reply = changetype<FilesStatfsReply>(this.reply);
    const result = new Statfs();
    result.volume = reply.volume;
    result.blocks = reply.blocks;
    result.free = reply.free;
    result.blockSize = reply.blockSize;
    return result;
  }
}

/** A file and the client's offset in it: reads and writes go on from where the last one ended. */
export class OpenFile {
  offset: u64 = 0;
  constructor(readonly files: FilesClient, readonly file: FileRef) {}

  read(into: usize, length: u32): i64 {
    const read = this.files.read(this.file, this.offset, into, length);
    if (read > 0) this.offset += <u64>read;
    return read;
  }

  write(from: usize, length: u32, stable: bool = false): i64 {
    const written = this.files.write(this.file, this.offset, from, length, stable);
    if (written > 0) this.offset += <u64>written;
    return written;
  }
}

/** A status as text: the kernel's error name or the file system's. */
export function filesStatusName(status: i32): string {
  const names: StaticArray<string> = ["NOT_FOUND", "EXISTS", "NOT_DIRECTORY", "IS_DIRECTORY", "NOT_EMPTY", "STALE", "CORRUPT", "NO_SPACE",
    "BAD_NAME", "INVALID", "IO", "OLD_REQUEST", "NO_VOLUME", "READ_ONLY"];
  const index = -256 - status;
  return index >= 0 && index < names.length ? names[index] : errorName(status);
}

/** A new random client id: no other client (nor an earlier run of this one) shares it. */
export function newClientId(): u64 {
  const id = mix((<u64>clockCycles()) ^ (<u64>componentSelf() << 40) ^ <u64>clockNow());
  return id != 0 ? id : 1;
}

/**
 * A mount point of the pathname space: the paths below `prefix` are those
 * below `inside` on the file server serving `server`. The table (MOUNTS)
 * is the one place that says where volumes appear, so tools that take
 * paths (the shell) work on every mount the table lists.
 */
export class Mount {
  constructor(readonly prefix: string, readonly server: string, readonly inside: string) {}

  /** The path on the server of `path`, which lies at or below the prefix. */
  serverPath(path: string): string {
    const rest = path.substring(this.prefix.length);
    if (this.inside == "/") return rest.length == 0 ? "/" : rest;
    return this.inside + rest;
  }
}

/**
 * The volumes, each on its server's name (servers/README.md): the boot
 * disk's home volume on /home (writable) and its verified system volume on
 * /system (read-only), and a whole disk on /files where an image attaches
 * one. An image runs the servers it needs; `mounted` tells which answer.
 */
export const MOUNTS: Mount[] = [
  new Mount("/home", "/home", "/"),
  new Mount("/system", "/system", "/"),
  new Mount(FILES_PATH, FILES_PATH, "/"),
];

/** Whether `mount`'s server is registered now (and the caller may open it), asked without waiting. */
export function mounted(mount: Mount): bool {
  const connection = nameOpen(mount.server, TIMEOUT_NONE);
  if (connection < 0) return false;
  handleClose(connection);
  return true;
}

/** The mount `path` (absolute, normal) lies at or below, the longest prefix first; null when none. */
export function mountOf(path: string): Mount | null {
  let found: Mount | null = null;
  for (let i = 0; i < MOUNTS.length; i++) {
    const mount = MOUNTS[i];
    const below = path == mount.prefix || path.startsWith(mount.prefix + "/");
    if (below && (found == null || mount.prefix.length > found.prefix.length)) found = mount;
  }
  return found;
}

/**
 * `path` made absolute against the directory `current` and normal: no
 * empty, `.` or `..` parts (`..` of the root is the root), no slash at the
 * end but for the root.
 */
export function absolutePath(current: string, path: string): string {
  const parts = new Array<string>();
  const all = (path.startsWith("/") ? path : current + "/" + path).split("/");
  for (let i = 0; i < all.length; i++) {
    const part = all[i];
    if (part.length == 0 || part == ".") continue;
    if (part == "..") { if (parts.length > 0) parts.pop(); continue; }
    parts.push(part);
  }
  return "/" + parts.join("/");
}

/** The directory part of an absolute normal path (`/a/b` → `/a`, `/a` → `/`). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.substring(0, slash);
}

/** The last part of an absolute normal path (`/a/b` → `b`; the root: ""). */
export function baseName(path: string): string {
  return path.substring(path.lastIndexOf("/") + 1);
}

/** A status as words for people (`no such file or directory`); the status's name for those without. */
export function filesErrorText(status: i32): string {
  if (status == FILES_ERROR_NOT_FOUND) return "no such file or directory";
  if (status == FILES_ERROR_EXISTS) return "already exists";
  if (status == FILES_ERROR_NOT_DIRECTORY) return "not a directory";
  if (status == FILES_ERROR_IS_DIRECTORY) return "is a directory";
  if (status == FILES_ERROR_NOT_EMPTY) return "directory not empty";
  if (status == FILES_ERROR_STALE) return "removed meanwhile (stale handle)";
  if (status == FILES_ERROR_NO_SPACE) return "no space left on the volume";
  if (status == FILES_ERROR_BAD_NAME) return "not a valid name";
  if (status == FILES_ERROR_CORRUPT) return "the volume is corrupt";
  if (status == FILES_ERROR_IO) return "input/output error";
  if (status == FILES_ERROR_NO_VOLUME) return "no volume mounted";
  if (status == ERROR_DEAD_SERVER) return "the file server keeps dying";
  return filesStatusName(status);
}

/** splitmix64's finaliser: spreads the bits of a seed. */
function mix(seed: u64): u64 {
  let z = seed + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}
