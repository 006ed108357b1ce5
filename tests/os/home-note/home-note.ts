// The installation test's writer (tests/install/install.test.ts), started at
// boot by the install image (images/install.json) and so by every disk
// installed from it. It looks for /home/note.txt on the user volume:
//
//   home-note: found: TEXT     the file is there (written at an earlier boot)
//   home-note: written         it was not: now it is, synced (durable when this line is out)
//   home-note: error ...       the volume cannot be reached or changed

import "../../../sdk/lib/abort";
import { FilesClient, filesStatusName } from "../../../sdk/lib/files";
import { log } from "../../../sdk/lib/log";

const NOTE = "note.txt";
const TEXT = "written on the installed disk\n";

export function _start(): void {
  const home = new FilesClient("/home");
  const root = home.root();
  if (root == null) { log("error /home: " + filesStatusName(home.status)); return; }
  const buffer = heap.alloc(4096);
  const found = home.lookup(root, NOTE);
  if (found != null) {
    const read = home.read(found, 0, buffer, 4096);
    log(read < 0 ? "error reading /home/" + NOTE + ": " + filesStatusName(<i32>read) : "found: " + String.UTF8.decodeUnsafe(buffer, <usize>read).trimEnd());
    return;
  }
  const file = home.create(root, NOTE);
  if (file == null) { log("error creating /home/" + NOTE + ": " + filesStatusName(home.status)); return; }
  const length = String.UTF8.byteLength(TEXT);
  String.UTF8.encodeUnsafe(changetype<usize>(TEXT), TEXT.length, buffer);
  const written = home.write(file, 0, buffer, <u32>length, false);
  if (written != <i64>length) { log("error writing /home/" + NOTE + ": " + filesStatusName(<i32>written)); return; }
  const synced = home.sync();
  log(synced < 0 ? "error syncing /home: " + filesStatusName(synced) : "written");
}
