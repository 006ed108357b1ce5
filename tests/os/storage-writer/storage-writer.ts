// The workload of `npm run power-cut` (tests/storage/power-cut.ts), which
// kills QEMU at random moments while this runs and checks the volume after
// each cut. Each round writes a file under a temporary name (unstable
// writes, a sync every few rounds), renames it into place — the rename's
// commit makes it and its data durable — and now and then removes an older
// file. A line goes to the console only after the file server answered the
// step, so every line the host sees is a promise the volume must keep:
//
//   storage-writer: writing NAME.tmp LENGTH  about to create NAME.tmp and write LENGTH bytes in one request
//   storage-writer: committed NAME LENGTH   NAME holds contents(NAME, LENGTH)
//   storage-writer: removing NAME           a remove was sent (may be done or not)
//   storage-writer: removed NAME            NAME is gone
//
// Every other round the oldest file goes, and every round once a quarter
// of the volume is left, so boot after boot the volume never fills.
//
// Names carry a random per-boot prefix, so the boots of one run never reuse
// one. The contents follow from the name alone (the host computes them too).

import "../../../sdk/lib/abort";
import { clockCycles, threadSleep } from "../../../ipc/generated/index";
import { FileRef, FilesClient, filesStatusName } from "../../../sdk/lib/files";
import { log } from "../../../sdk/lib/log";

const ROUNDS: i32 = 100_000;
const buffer = heap.alloc(32 << 10);
const files = new FilesClient();

/** Byte `index` of the contents of `name` (FNV-1a of the name, then a xorshift stream); the host's copy is in power-cut.ts. */
function fillContents(name: string, length: u32): void {
  let hash: u32 = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) { hash ^= <u32>name.charCodeAt(i); hash *= 0x01000193; }
  let state = hash | 1;
  for (let i: u32 = 0; i < length; i++) {
    state ^= state << 13; state ^= state >> 17; state ^= state << 5;
    store<u8>(buffer + i, <u8>(state & 0xff));
  }
}

function directory(root: FileRef, name: string): FileRef | null {
  const found = files.lookup(root, name);
  return found != null ? found : files.mkdir(root, name);
}

export function _start(): void {
  // The file server mounts once the disk driver serves: at boot that may take a few tries.
  let root = files.root();
  for (let tries = 0; root == null && tries < 30; tries++) {
    threadSleep(500_000_000);
    root = files.root();
  }
  if (root == null) { log("no volume on /files: " + filesStatusName(files.status)); return; }
  const cuts = directory(root!, "cuts");
  if (cuts == null) { log("mkdir /cuts: " + filesStatusName(files.status)); return; }
  let random = <u64>clockCycles() | 1;
  const boot = (<u32>(random >> 8) & 0xffffff).toString(16);
  log("ready, boot " + boot);
  const committed: Array<string> = [];
  let lowSpace = false;
  for (let round = 0; round < ROUNDS; round++) {
    random ^= random << 13; random ^= random >> 7; random ^= random << 17;
    const name = boot + "-" + round.toString();
    const length = <u32>(1 + random % (24 << 10));
    const temporary = name + ".tmp";
    log("writing " + temporary + " " + length.toString());
    const file = files.create(cuts, temporary);
    if (file == null) { log("create " + temporary + ": " + filesStatusName(files.status)); return; }
    fillContents(name, length);
    const written = files.write(file, 0, buffer, length, false);
    if (written != <i64>length) { log("write " + temporary + ": " + filesStatusName(<i32>written)); return; }
    if (round % 3 == 0 && files.sync() != 0) { log("sync: " + filesStatusName(files.status)); return; }
    if (files.rename(cuts, temporary, cuts, name) != 0) { log("rename " + temporary + ": " + filesStatusName(files.status)); return; }
    log("committed " + name + " " + length.toString());
    committed.push(name);
    // Every other round, or every round once space runs low, the oldest file goes: the volume never fills.
    if (round % 2 == 1 || lowSpace) {
      const victim = committed.shift();
      log("removing " + victim);
      if (files.remove(cuts, victim) != 0) { log("remove " + victim + ": " + filesStatusName(files.status)); return; }
      log("removed " + victim);
    }
    if (round % 16 == 15) {
      const space = files.statfs();
      if (space == null) { log("statfs: " + filesStatusName(files.status)); return; }
      lowSpace = space.free < space.blocks / 4;
    }
  }
}
