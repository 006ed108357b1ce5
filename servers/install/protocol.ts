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
        doc: "Checks the disk and, when it may be written, answers with the layout and then installs, telling its progress and `install: done` on the console (COM1). Requests sent meanwhile wait for the end of the installation. Sent again, it installs again from the start: the GPT is written last, so an installation cut short leaves no table and is done again without `force`.",
        request: [
          { name: "force", type: "u32", doc: "1: install over a disk that already holds a GPT; 0: refuse it (HAS_TABLE)." },
          { name: "disk", type: "bytes", doc: "The disk's path (`/dev/disk1`), UTF-8." },
        ],
        reply: [
          { name: "sectors", type: "u64", doc: "The disk's 512-byte sectors." },
          { name: "homeSectors", type: "u64", doc: "Sectors of the home partition: what the disk has beyond the system's partitions." },
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
    ],
  },
];
