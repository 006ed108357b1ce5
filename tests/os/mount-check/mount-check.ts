// The mounts' check, started at boot by the mount image (images/mount.json;
// tests/storage/mount.test.ts). Each line it prints is a result the host
// test compares with what it expects:
//
//   mount-check: /system/test/hello.txt: TEXT         (or: error NAME, when a block does not match the hash tree)
//   mount-check: create on /system: STATUS           (READ_ONLY: the system volume refuses every change)
//   mount-check: /home/check.txt: N bytes, modified S (seconds since 1970, from the clock driver)
//   mount-check: done

import "../../../sdk/lib/abort";
import { FilesClient, filesStatusName } from "../../../sdk/lib/files";
import { log } from "../../../sdk/lib/log";

const buffer = heap.alloc(4096);
const HOME_TEXT = "written on /home\n";

function readSystemFile(): void {
  const system = new FilesClient("/system");
  const file = system.resolve("/test/hello.txt");
  if (file == null) { log("/system/test/hello.txt: error " + filesStatusName(system.status)); return; }
  const read = system.read(file, 0, buffer, 4096);
  if (read < 0) { log("/system/test/hello.txt: error " + filesStatusName(<i32>read)); return; }
  log("/system/test/hello.txt: " + String.UTF8.decodeUnsafe(buffer, <usize>read).trimEnd());
  const root = system.root();
  if (root == null) { log("/system: error " + filesStatusName(system.status)); return; }
  const made = system.create(root, "new.txt");
  log("create on /system: " + (made != null ? "done" : filesStatusName(system.status)));
}

function writeHomeFile(): void {
  const home = new FilesClient("/home");
  const root = home.root();
  if (root == null) { log("/home: error " + filesStatusName(home.status)); return; }
  let file = home.lookup(root, "check.txt");
  if (file == null) file = home.create(root, "check.txt");
  if (file == null) { log("/home/check.txt: error " + filesStatusName(home.status)); return; }
  const length = String.UTF8.byteLength(HOME_TEXT);
  String.UTF8.encodeUnsafe(changetype<usize>(HOME_TEXT), HOME_TEXT.length, buffer);
  const written = home.write(file, 0, buffer, <u32>length, true);
  if (written != <i64>length) { log("/home/check.txt: write: " + filesStatusName(<i32>written)); return; }
  const attributes = home.getattr(file);
  if (attributes == null) { log("/home/check.txt: getattr: " + filesStatusName(home.status)); return; }
  log("/home/check.txt: " + attributes.length.toString() + " bytes, modified " + (attributes.modified / 1_000_000_000).toString());
}

export function _start(): void {
  readSystemFile();
  writeHomeFile();
  log("done");
}
