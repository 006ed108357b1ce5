// The protocol the installer serves on /install (README.md), declared as
// the protocols of ipc/table are (ipc/table/schema.ts); the build writes its
// client bindings and server side into generated/ (docs/ipc.md, "A
// component's own protocols").

import type { Protocol } from "../../ipc/table/schema";

export const protocols: Protocol[] = [
  {
    name: "install", path: "/install",
    doc: "The installer (servers/install): partitions a disk of the block driver as docs/disk-layout.md says and copies the running system onto it from the boot disk, so that the disk boots by itself.",
    messages: [
      {
        name: "start", operation: 1, idempotent: true,
        doc: "Checks the disk and, when it may be written, answers with the layout and then installs, telling its progress and `install: done` on the console (COM1), and to `status`. While an installation runs, another start is refused (BUSY). Sent again after one ended, it installs again from the start: the GPT is written last, so an installation cut short leaves no table and is done again without `force`.",
        request: [
          { name: "force", type: "u32", doc: "1: install over a disk that already holds a GPT; 0: refuse it (HAS_TABLE)." },
          { name: "disk", type: "bytes", doc: "The disk's path (`/dev/disk1`), UTF-8." },
        ],
        reply: [
          { name: "sectors", type: "u64", doc: "The disk's 512-byte sectors." },
          { name: "homeSectors", type: "u64", doc: "Sectors of the home partition: what the disk has beyond the system's partitions." },
        ],
      },
      {
        name: "disk", operation: 2, idempotent: true,
        doc: "Tells about disk N of the block driver (/dev/diskN), for a window that lists the disks to install on: its size and whether it may be chosen.",
        request: [{ name: "index", type: "u32", doc: "N, from 0; the disks are numbered without gaps, so the first NO_DISK ends a listing." }],
        reply: [
          { name: "sectors", type: "u64", doc: "The disk's 512-byte sectors." },
          { name: "flags", type: "u32", doc: "DISK_BOOT (1): the boot disk, never installed on; DISK_TABLE (2): it holds a GPT (or a damaged one), so installing needs force; DISK_SMALL (4): too small (sdk/lib/install-states.ts)." },
        ],
      },
      {
        name: "status", operation: 3, idempotent: true,
        doc: "How the installation started last by this instance of the installer goes: answered between its steps, which copy a few hundred KiB each. A restarted installer knows of none (IDLE).",
        request: [],
        reply: [
          { name: "state", type: "u32", doc: "IDLE (0: none started), RUNNING (1), DONE (2) or FAILED (3) (sdk/lib/install-states.ts)." },
          { name: "step", type: "u32", doc: "The step under way (or the last one), from 1: the ESP, the boot payload, the system volume, its hash tree, the home volume, the partition table." },
          { name: "steps", type: "u32", doc: "How many steps an installation has." },
          { name: "done", type: "u64", doc: "Bytes written so far." },
          { name: "total", type: "u64", doc: "Bytes the installation writes in all." },
          { name: "length", type: "u32", doc: "The length of `message` in bytes." },
          { name: "message", type: "bytes", doc: "The disk and the step under way, or, when it failed, what went wrong, UTF-8." },
        ],
      },
    ],
    errors: [
      { name: "BOOT_DISK", code: 256, doc: "The disk is the boot disk (/dev/disk0), which the copy reads from." },
      { name: "TOO_SMALL", code: 257, doc: "The disk cannot hold the boot disk's ESP, payload and system partitions and a home volume of 4 MiB." },
      { name: "HAS_TABLE", code: 258, doc: "The disk holds a GPT already (send force to write over it)." },
      { name: "NO_DISK", code: 259, doc: "No such disk, or the block driver does not answer for it." },
      { name: "NO_SOURCE", code: 260, doc: "The boot disk has no sound GPT with an ESP, a payload, a system and a home partition, or no verity record in the payload." },
      { name: "BAD_PATH", code: 261, doc: "The disk's path is not /dev/diskN." },
      { name: "BUSY", code: 262, doc: "An installation runs already (status tells how far it is)." },
    ],
  },
];
