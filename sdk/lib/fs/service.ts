// The file service's operations as a stateless server offers them, in the
// manner of NFSv3: the server keeps nothing per client, so it can be killed
// between any two requests and a re-sent request finds the same answer.
//
// - A file is named by a handle (volume, inode, generation). Inode numbers
//   are never reused and an inode records the generation of the commit that
//   made it, so a handle to a removed file, or one from another volume or
//   an earlier format, is refused as STALE, never taken for another file.
// - Clients hold their own offsets; reads and writes name the offset, so
//   doing one twice does what doing it once did.
// - create, mkdir, remove and rename are not idempotent. Each carries the
//   client's id and a sequence number that grows with each such request; the
//   server records (client, sequence, reply) in the same commit as the
//   change, and answers a request whose sequence is the recorded one with
//   the recorded reply instead of doing it again. A client has one such
//   request outstanding at a time, so one record per client suffices. A
//   duplicate-request cache in memory would die with the server; this one is
//   on disk, exactly as durable as the change it answers for.
// - The records are bounded: each is dated with the commit that last wrote
//   it, and a client's first record drops the oldest past MAX_REPLY_RECORDS,
//   in the same commit. Exactly-once still holds: a client re-sends only its
//   newest request, and only until it has the reply, so a record matters
//   until its client's next request or its end; to lose it, MAX_REPLY_RECORDS
//   other clients must make changes in between (apps that take a new id at
//   each start are what the bound is for). Should a re-sent request find no
//   record even so, it is done again, and a change that was applied already
//   meets the operation's own checks (a create finds EXISTS, a remove
//   NOT_FOUND, a rename its source gone): it is never applied twice.
// - Writes are unstable unless asked to be stable: an unstable write is
//   visible at once and durable at the next commit of any kind, together with
//   everything before it. `verifier` changes with each instance of the
//   server, so a client that sees it change after a commit knows to re-send
//   its unstable writes (they may have died with the previous instance).

import { Inode, KIND_REPLY, Key, MAX_REPLY_RECORDS, REPLY_OBJECT, REPLY_SIZE, REPLY_SIZE_UNDATED, ROOT_INODE, TYPE_DIRECTORY, TYPE_FILE } from "./format";
import { DirectoryPage, Volume } from "./volume";
import * as status from "./errors";

/** What names a file across server restarts. */
export class FileHandle {
  constructor(public volume: u64, public inode: u64, public generation: u64) {}
}

/** The reply of a non-idempotent request: its status, the handle it made (create, mkdir), whether it was replayed. */
export class Reply {
  constructor(public status: i32, public handle: FileHandle | null, public replayed: bool) {}
}

export class FileService {
  /** The last status and message of an idempotent request. */
  status: i32 = 0;

  constructor(public volume: Volume, public verifier: u64) {}

  get message(): string { return this.volume.message; }

  /** The volume's root directory. */
  root(): FileHandle { return new FileHandle(this.volume.superblock.volumeId, ROOT_INODE, 1); }

  /** The inode `handle` names, or null (`status` STALE or CORRUPT). */
  getattr(handle: FileHandle): Inode | null {
    if (handle.volume != this.volume.superblock.volumeId) {
      this.volume.message = "handle of volume " + handle.volume.toString(16) + " on volume " + this.volume.superblock.volumeId.toString(16);
      this.status = status.STALE;
      return null;
    }
    const inode = this.volume.inode(handle.inode);
    if (this.volume.tree.failure != null) { this.volume.message = this.volume.tree.failure!; this.status = status.CORRUPT; return null; }
    if (inode == null || inode.generation != handle.generation) {
      this.volume.message = "inode " + handle.inode.toString() + " of generation " + handle.generation.toString() + " no longer exists";
      this.status = status.STALE;
      return null;
    }
    this.status = status.OK;
    return inode;
  }

  /** The handle of `name` in directory `directory`, or null with `status`. */
  lookup(directory: FileHandle, name: string): FileHandle | null {
    if (this.getattr(directory) == null) return null;
    const entry = this.volume.lookup(directory.inode, name);
    if (entry == null) { this.status = this.volume.lastStatus; return null; }
    const inode = this.volume.inode(entry.inode);
    if (inode == null) { this.status = status.CORRUPT; this.volume.message = "entry \"" + name + "\" names a missing inode"; return null; }
    this.status = status.OK;
    return new FileHandle(directory.volume, entry.inode, inode.generation);
  }

  read(file: FileHandle, offset: u64, into: usize, length: u32): i64 {
    if (this.getattr(file) == null) return this.status;
    return this.volume.read(file.inode, offset, into, length);
  }

  /** Writes at `offset`; with `stable`, the write (and all before it) is durable when this returns a count. */
  write(file: FileHandle, offset: u64, from: usize, length: u32, stable: bool): i64 {
    if (this.getattr(file) == null) return this.status;
    const written = this.volume.write(file.inode, offset, from, length);
    if (written < 0 || !stable) return written;
    const committed = this.volume.commit();
    return committed != status.OK ? committed : written;
  }

  /** Sets a file's size (idempotent: setting it again changes nothing more). */
  setSize(file: FileHandle, size: u64, stable: bool): i32 {
    if (this.getattr(file) == null) return this.status;
    const result = this.volume.truncate(file.inode, size);
    return result != status.OK || !stable ? result : this.volume.commit();
  }

  readdir(directory: FileHandle, cookie: u64, max: i32): DirectoryPage | null {
    if (this.getattr(directory) == null) return null;
    const page = this.volume.list(directory.inode, cookie, max);
    if (page == null) this.status = this.volume.lastStatus;
    return page;
  }

  /** Makes every earlier write durable. */
  commit(): i32 { return this.volume.commit(); }

  create(client: u64, sequence: u64, directory: FileHandle, name: string, mode: u32): Reply {
    const earlier = this.earlier(client, sequence);
    return earlier != null ? earlier : this.record(client, sequence, this.make(directory, name, TYPE_FILE, mode));
  }

  mkdir(client: u64, sequence: u64, directory: FileHandle, name: string, mode: u32): Reply {
    const earlier = this.earlier(client, sequence);
    return earlier != null ? earlier : this.record(client, sequence, this.make(directory, name, TYPE_DIRECTORY, mode));
  }

  remove(client: u64, sequence: u64, directory: FileHandle, name: string): Reply {
    const earlier = this.earlier(client, sequence);
    if (earlier != null) return earlier;
    if (this.getattr(directory) == null) return this.record(client, sequence, new Reply(this.status, null, false));
    return this.record(client, sequence, new Reply(this.volume.remove(directory.inode, name), null, false));
  }

  rename(client: u64, sequence: u64, from: FileHandle, fromName: string, to: FileHandle, toName: string): Reply {
    const earlier = this.earlier(client, sequence);
    if (earlier != null) return earlier;
    if (this.getattr(from) == null || this.getattr(to) == null) return this.record(client, sequence, new Reply(this.status, null, false));
    return this.record(client, sequence, new Reply(this.volume.rename(from.inode, fromName, to.inode, toName), null, false));
  }

  private make(directory: FileHandle, name: string, type: u32, mode: u32): Reply {
    if (this.getattr(directory) == null) return new Reply(this.status, null, false);
    const made = this.volume.create(directory.inode, name, type, mode);
    if (made < 0) return new Reply(<i32>made, null, false);
    return new Reply(status.OK, new FileHandle(directory.volume, <u64>made, this.volume.generation), false);
  }

  /** Whether the client of the request being served had a reply record when earlier() looked (record() adds one if not). */
  private clientRecorded: bool = false;

  /**
   * The reply to (client, sequence) if the request was already done: the
   * recorded reply for the recorded sequence, OLD_REQUEST for an earlier one;
   * null when the request is new.
   */
  private earlier(client: u64, sequence: u64): Reply | null {
    const recorded = this.volume.tree.find(new Key(REPLY_OBJECT, KIND_REPLY, client));
    if (this.volume.tree.failure != null) { this.volume.message = this.volume.tree.failure!; return new Reply(status.CORRUPT, null, false); }
    this.clientRecorded = recorded != null;
    if (recorded == null || (recorded.length != REPLY_SIZE && recorded.length != REPLY_SIZE_UNDATED)) return null;
    const at = changetype<usize>(recorded);
    const last = load<u64>(at);
    if (sequence == last) {
      const inode = load<u64>(at + 12);
      const handle = inode != 0 ? new FileHandle(this.volume.superblock.volumeId, inode, load<u64>(at + 20)) : null;
      return new Reply(load<i32>(at + 8), handle, true);
    }
    if (sequence < last) {
      this.volume.message = "request " + sequence.toString() + " of client " + client.toString() + " is older than its last, " + last.toString();
      return new Reply(status.OLD_REQUEST, null, false);
    }
    return null;
  }

  /**
   * Records `reply` as the answer to (client, sequence) and commits it with
   * the change it answers for; earlier() for the same request came first. A failure that leaves the transaction
   * unusable (CORRUPT, IO, NO_SPACE) is not recorded: the request did
   * nothing and may be sent again; nor is READ_ONLY, since nothing can be
   * recorded on a read-only volume.
   */
  private record(client: u64, sequence: u64, reply: Reply): Reply {
    if (reply.status == status.CORRUPT || reply.status == status.IO || reply.status == status.NO_SPACE
      || reply.status == status.READ_ONLY) return reply;
    const record = new StaticArray<u8>(REPLY_SIZE);
    const at = changetype<usize>(record);
    store<u64>(at, sequence);
    store<i32>(at + 8, reply.status);
    const handle = reply.handle;
    if (handle != null) {
      store<u64>(at + 12, handle.inode);
      store<u64>(at + 20, handle.generation);
    }
    store<u64>(at + 28, this.volume.generation);
    const key = new Key(REPLY_OBJECT, KIND_REPLY, client);
    if (!this.clientRecorded && !this.dropOldest(MAX_REPLY_RECORDS - 1)) return new Reply(status.CORRUPT, null, false);
    this.volume.record(key, record);
    const committed = this.volume.commit();
    return committed != status.OK ? new Reply(committed, null, false) : reply;
  }

  /**
   * Drops the least recently written reply records (an undated one first)
   * until at most `keep` remain, in the open transaction: false (the tree's
   * failure in the volume's message) when the records could not be read.
   */
  private dropOldest(keep: i32): bool {
    const tree = this.volume.tree;
    const clients = new Array<u64>();
    const written = new Array<u64>();
    let from = new Key(REPLY_OBJECT, KIND_REPLY, 0);
    while (true) {
      const item = tree.seek(from);
      if (tree.failure != null) { this.volume.message = tree.failure!; return false; }
      if (item == null || item.key.object != REPLY_OBJECT || item.key.kind != KIND_REPLY) break;
      clients.push(item.key.offset);
      written.push(item.value.length == REPLY_SIZE ? load<u64>(changetype<usize>(item.value) + 28) : 0);
      if (item.key.offset == u64.MAX_VALUE) break;
      from = new Key(REPLY_OBJECT, KIND_REPLY, item.key.offset + 1);
    }
    const dropped = new StaticArray<bool>(clients.length);
    for (let excess = clients.length - keep; excess > 0; excess--) {
      // Once past the bound, one record goes per new client: a scan for the oldest is enough.
      let oldest = -1;
      for (let i = 0; i < clients.length; i++) {
        if (!dropped[i] && (oldest < 0 || written[i] < written[oldest])) oldest = i;
      }
      dropped[oldest] = true;
      tree.remove(new Key(REPLY_OBJECT, KIND_REPLY, clients[oldest]));
    }
    return true;
  }
}
