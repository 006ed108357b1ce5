// A shell session: everything the shell knows of one terminal between two
// requests, held by the terminal as SHELL_SESSION_SIZE opaque bytes
// (ipc/table/protocols/desktop.ts). All zeros is a new session. Layout,
// little-endian:
//
//   0     u32  magic "DSH2" (0: new)
//   4     u16  line length (bytes)        6   u16  cursor (UTF-16 index in the line)
//   8     u16  history bytes              10  i16  history entry shown (-1: the line being typed)
//   12    u8   pending bytes              16  8    pending: a key sequence cut at the end of the last input
//   24    u16  draft length (bytes)       26  u16  current directory length (bytes; 0: the root)
//   32    u64  the file server client id (0: none yet)
//   40    u64  the sequence of its last create, mkdir, remove or rename
//   64    LINE_BYTES       the line, UTF-8
//   320   LINE_BYTES       the draft: the line typed before browsing the history
//   576   LINE_BYTES       the current directory, an absolute path, UTF-8
//   832   the rest         the history, oldest first: u16 length, UTF-8 bytes
//
// The file server client id and sequence are the shell's session with the
// file servers (sdk/lib/files.ts): kept here, a command the terminal sends
// again to a restarted shell repeats its create or rename with the same
// (client, sequence), and the file server answers it from its record
// instead of doing it twice.
//
// A session is checked before use: every length must lie inside its area,
// so a terminal sending garbage gets BAD_SESSION, never a read outside it.

import { SHELL_SESSION_SIZE } from "../../ipc/generated/index";

const MAGIC: u32 = 0x32485344; // "DSH2"
/** The longest line, in UTF-8 bytes. */
export const LINE_BYTES: i32 = 256;
export const PENDING_BYTES: i32 = 8;
const LINE_AT: usize = 64;
const DRAFT_AT: usize = LINE_AT + <usize>LINE_BYTES;
const DIRECTORY_AT: usize = DRAFT_AT + <usize>LINE_BYTES;
const HISTORY_AT: usize = DIRECTORY_AT + <usize>LINE_BYTES;
const HISTORY_BYTES: i32 = <i32>SHELL_SESSION_SIZE - <i32>HISTORY_AT;

export class Session {
  isNew: bool = true;
  line: string = "";
  cursor: i32 = 0;
  /** Oldest first. */
  history: string[] = [];
  /** The history entry the line shows, -1 when it shows what is being typed. */
  browsing: i32 = -1;
  draft: string = "";
  pending: u8[] = [];
  /** The current directory: where relative paths start. */
  directory: string = "/";
  /** The session's client id with the file servers (0: none yet) and the sequence of its last non-idempotent request. */
  filesClient: u64 = 0;
  filesSequence: u64 = 0;

  /** The session in the `SHELL_SESSION_SIZE` bytes at `at`; null when they are no session the shell made. */
  static read(at: usize): Session | null {
    const session = new Session();
    const magic = load<u32>(at);
    if (magic == 0) {
      for (let i: usize = 4; i < <usize>SHELL_SESSION_SIZE; i += 4) if (load<u32>(at + i) != 0) return null;
      return session;
    }
    if (magic != MAGIC) return null;
    session.isNew = false;
    const lineLength = <i32>load<u16>(at, 4);
    const historyBytes = <i32>load<u16>(at, 8);
    const pending = <i32>load<u8>(at, 12);
    const draftLength = <i32>load<u16>(at, 24);
    const directoryLength = <i32>load<u16>(at, 26);
    if (lineLength > LINE_BYTES || draftLength > LINE_BYTES || directoryLength > LINE_BYTES || historyBytes > HISTORY_BYTES || pending > PENDING_BYTES) return null;
    session.line = String.UTF8.decodeUnsafe(at + LINE_AT, <usize>lineLength);
    session.cursor = <i32>load<u16>(at, 6);
    if (session.cursor > session.line.length) return null;
    session.draft = String.UTF8.decodeUnsafe(at + DRAFT_AT, <usize>draftLength);
    if (directoryLength > 0) {
      session.directory = String.UTF8.decodeUnsafe(at + DIRECTORY_AT, <usize>directoryLength);
      if (!session.directory.startsWith("/")) return null;
    }
    session.filesClient = load<u64>(at, 32);
    session.filesSequence = load<u64>(at, 40);
    for (let i = 0; i < pending; i++) session.pending.push(load<u8>(at + 16 + <usize>i));
    let offset = 0;
    while (offset < historyBytes) {
      if (offset + 2 > historyBytes) return null;
      const length = <i32>load<u16>(at + HISTORY_AT + <usize>offset);
      if (length == 0 || offset + 2 + length > historyBytes) return null;
      session.history.push(String.UTF8.decodeUnsafe(at + HISTORY_AT + <usize>offset + 2, <usize>length));
      offset += 2 + length;
    }
    session.browsing = <i32>load<i16>(at, 10);
    if (session.browsing < -1 || session.browsing >= session.history.length) return null;
    return session;
  }

  /** Writes the session into `SHELL_SESSION_SIZE` bytes at `at`, dropping the oldest history that does not fit. */
  write(at: usize): void {
    memory.fill(at, 0, <usize>SHELL_SESSION_SIZE);
    store<u32>(at, MAGIC);
    const line = cut(this.line, LINE_BYTES);
    memory.copy(at + LINE_AT, changetype<usize>(line), <usize>line.byteLength);
    store<u16>(at, <u16>line.byteLength, 4);
    store<u16>(at, <u16>min(this.cursor, String.UTF8.decodeUnsafe(changetype<usize>(line), <usize>line.byteLength).length), 6);
    const draft = cut(this.draft, LINE_BYTES);
    memory.copy(at + DRAFT_AT, changetype<usize>(draft), <usize>draft.byteLength);
    store<u16>(at, <u16>draft.byteLength, 24);
    const directory = String.UTF8.encode(this.directory);
    // A directory too long for its area is dropped for the root rather than cut into another path.
    if (directory.byteLength <= LINE_BYTES && this.directory != "/") {
      memory.copy(at + DIRECTORY_AT, changetype<usize>(directory), <usize>directory.byteLength);
      store<u16>(at, <u16>directory.byteLength, 26);
    }
    store<u64>(at, this.filesClient, 32);
    store<u64>(at, this.filesSequence, 40);
    store<u8>(at, <u8>this.pending.length, 12);
    for (let i = 0; i < this.pending.length; i++) store<u8>(at + 16 + <usize>i, this.pending[i]);
    // The newest entries that fit, written oldest first.
    let first = this.history.length, used = 0;
    while (first > 0) {
      const bytes = String.UTF8.byteLength(this.history[first - 1]);
      if (bytes > LINE_BYTES || used + 2 + bytes > HISTORY_BYTES) break;
      used += 2 + bytes;
      first--;
    }
    let offset: usize = HISTORY_AT;
    for (let i = first; i < this.history.length; i++) {
      const bytes = String.UTF8.encode(this.history[i]);
      store<u16>(at + offset, <u16>bytes.byteLength);
      memory.copy(at + offset + 2, changetype<usize>(bytes), <usize>bytes.byteLength);
      offset += 2 + <usize>bytes.byteLength;
    }
    store<u16>(at, <u16>(offset - HISTORY_AT), 8);
    const browsing = this.browsing - first;
    store<i16>(at, <i16>(browsing < 0 ? -1 : browsing), 10);
  }
}

/** `text` as UTF-8, cut to at most `most` bytes at a character's boundary. */
function cut(text: string, most: i32): ArrayBuffer {
  let bytes = String.UTF8.encode(text);
  if (bytes.byteLength <= most) return bytes;
  let end = most;
  while (end > 0 && (load<u8>(changetype<usize>(bytes) + <usize>end) & 0xc0) == 0x80) end--;
  return bytes.slice(0, end);
}
