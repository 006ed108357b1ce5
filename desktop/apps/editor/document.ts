// The editor's side of the file server: a file read whole into text and
// written whole back, synced, through the file server's client library
// (sdk/lib/files.ts), which holds the session: a server restart between
// two requests costs a re-send, nothing else.
//
// A save writes the text over the file from offset 0, cuts it to the new
// length and commits; until the commit answers, the file may hold a mix of
// the old and the new text, as after any unsynced write (docs/storage.md).

import { FILES_ERROR_NOT_FOUND } from "../../../ipc/generated/protocols/files";
import { FileRef, FilesClient, filesStatusName } from "../../../sdk/lib/files";
import { splitPath } from "../../lib/home";

/** The largest file the editor opens, in bytes. */
export const TEXT_MAXIMUM: u64 = 4 << 20;

/** A file's text on the file server; `problem` says why not when a call fails. */
export class TextFiles {
  /** What went wrong in the last call ("" when nothing). */
  problem: string = "";

  constructor(readonly files: FilesClient) {}

  /** The text of the file at `path`, or null (`problem`). */
  load(path: string): string | null {
    this.problem = "";
    const file = this.files.resolve(path);
    if (file == null) return this.fail("cannot find " + path);
    if (file.isDirectory) { this.problem = path + " is a folder"; return null; }
    const attributes = this.files.getattr(file);
    if (attributes == null) return this.fail("cannot read the size of " + path);
    if (attributes.length > TEXT_MAXIMUM) { this.problem = path + " is larger than " + (TEXT_MAXIMUM >> 20).toString() + " MiB"; return null; }
    const length = <u32>attributes.length;
    const buffer = heap.alloc(max<usize>(1, length));
    const read = this.files.read(file, 0, buffer, length);
    if (read < 0) { heap.free(buffer); return this.fail("cannot read " + path); }
    const text = String.UTF8.decodeUnsafe(buffer, <usize>read);
    heap.free(buffer);
    return text;
  }

  /** Writes `text` as the whole file at `path` (made when missing) and syncs: true when it is durable. */
  save(path: string, text: string): bool {
    this.problem = "";
    const parts = splitPath(path);
    if (parts[1].length == 0) { this.problem = "no file name in " + path; return false; }
    const folder = this.files.resolve(parts[0]);
    if (folder == null) { this.fail("cannot find the folder " + parts[0]); return false; }
    let file: FileRef | null = this.files.lookup(folder, parts[1]);
    if (file == null && this.files.status == FILES_ERROR_NOT_FOUND) file = this.files.create(folder, parts[1]);
    if (file == null) { this.fail("cannot make " + path); return false; }
    if (file.isDirectory) { this.problem = path + " is a folder"; return false; }
    const bytes = String.UTF8.encode(text);
    const length = <u32>bytes.byteLength;
    const written = this.files.write(file, 0, changetype<usize>(bytes), length, false);
    if (written != <i64>length) { this.fail("cannot write " + path); return false; }
    if (this.files.setSize(file, length, false) < 0) { this.fail("cannot set the size of " + path); return false; }
    if (this.files.sync() < 0) { this.fail("cannot sync " + path); return false; }
    return true;
  }

  private fail(what: string): string | null {
    this.problem = what + ": " + filesStatusName(this.files.status);
    return null;
  }
}
