// The storage protocols: the block driver's (drivers/disk), one disk per
// path (/dev/disk0, /dev/disk1, ...), and the file server's (servers/files),
// NFSv3-style. Neither server keeps anything of its clients. A disk request
// names its sectors and carries its data, so it may be done twice; a file
// request names its file by a handle (volume, inode, generation) and its
// offset, so reads and writes may be done twice; create, mkdir, remove and
// rename carry the client's id and a sequence number, and the file server
// records the reply in the same commit as the change, so a re-sent one is
// answered, not done again (sdk/lib/fs/service.ts; docs/storage.md).

import type { Constant, Field, Protocol } from "../schema";

/** The three fields of a file handle, named with `prefix` (`volume`, `inode`, `generation`, or `fromVolume`, ...). */
function handle(prefix: string, what: string): Field[] {
  const name = (field: string): string => (prefix === "" ? field : prefix + field[0]!.toUpperCase() + field.slice(1));
  return [
    { name: name("volume"), type: "u64", doc: `${what}: the volume's id.` },
    { name: name("inode"), type: "u64", doc: `${what}: the inode number.` },
    { name: name("generation"), type: "u64", doc: `${what}: the generation of the commit that made the inode (a handle to a removed file is STALE, never another file).` },
  ];
}

const client = { name: "client", type: "u64", doc: "The client's id, chosen by the client (random, 64 bits): whose sequence this is." } as const;
const sequence = { name: "sequence", type: "u64", doc: "The client's number for this request, larger than that of its previous create, mkdir, remove or rename; the same number when the request is re-sent." } as const;
const verifier = { name: "verifier", type: "u64", doc: "The server instance's verifier: when it changed since an unstable write, the write may be lost and must be sent again." } as const;
const attributes: Field[] = [
  { name: "kind", type: "u32", doc: "FILES_TYPE_FILE or FILES_TYPE_DIRECTORY." },
  { name: "mode", type: "u32", doc: "Permission bits as created (not enforced)." },
  { name: "length", type: "u64", doc: "A file's size in bytes; a directory's number of entries." },
  { name: "created", type: "i64", doc: "Creation time, nanoseconds since 1970." },
  { name: "modified", type: "i64", doc: "Last change of the contents, nanoseconds since 1970." },
];
const name = { name: "name", type: "bytes", doc: "The entry's name, UTF-8, 1..255 bytes without '/' or NUL, not . or .." } as const;
const replayed = { name: "replayed", type: "u32", doc: "1 when this is the recorded reply of a request already done (a re-send), 0 when it was done now." } as const;

export const storageConstants: Constant[] = [
  { name: "DISK_SECTOR_SIZE", value: 512, type: "u32", doc: "The unit of disk addresses and lengths: disk.read and disk.write move whole sectors of 512 bytes." },
  { name: "DISK_TRANSFER_MAXIMUM", value: 64 << 10, type: "u32", doc: "The most bytes one disk.read or disk.write moves (128 sectors)." },
  { name: "FILES_TRANSFER_MAXIMUM", value: 32 << 10, type: "u32", doc: "The most bytes one files.read or files.write moves." },
  { name: "FILES_TYPE_FILE", value: 1, type: "u32", doc: "A regular file." },
  { name: "FILES_TYPE_DIRECTORY", value: 2, type: "u32", doc: "A directory." },
  { name: "FILES_WRITE_UNSTABLE", value: 0, type: "u32", doc: "files.write: visible at once, durable at the next commit (of any request); lost if the server dies first, which a changed verifier tells." },
  { name: "FILES_WRITE_STABLE", value: 1, type: "u32", doc: "files.write: durable, with every earlier write, when the reply comes." },
];

export const storageProtocols: Protocol[] = [
  {
    name: "disk", path: "/dev/disk0",
    doc: "A disk of the block driver (drivers/disk): virtio-blk disk N is served at /dev/diskN. Addresses and lengths are in sectors of DISK_SECTOR_SIZE bytes. Every request is self-contained, so a request re-sent after a restart of the driver does what it did once. A write is durable once a later disk.flush has been answered (the device's write cache may hold it until then); a write answered before a power cut and not flushed may be there, absent, or, for a write of several sectors, there in part.",
    messages: [
      {
        name: "geometry", operation: 1, idempotent: true,
        doc: "The disk's size and what it allows.",
        request: [],
        reply: [
          { name: "sectors", type: "u64", doc: "How many sectors the disk holds." },
          { name: "blockSize", type: "u32", doc: "The device's preferred block size in bytes (a multiple of DISK_SECTOR_SIZE: aligned writes of it are fastest)." },
          { name: "readOnly", type: "u32", doc: "1 when the disk refuses writes." },
          { name: "transferMaximum", type: "u32", doc: "The most bytes one read or write moves (DISK_TRANSFER_MAXIMUM)." },
          { name: "flushes", type: "u32", doc: "1 when the device has a write cache that disk.flush empties; 0 when every answered write is durable already (disk.flush then does nothing)." },
        ],
      },
      {
        name: "read", operation: 2, idempotent: true,
        doc: "Reads `count` sectors from `sector` into the reply.",
        request: [
          { name: "sector", type: "u64", doc: "The first sector." },
          { name: "count", type: "u32", doc: "How many sectors: 1..DISK_TRANSFER_MAXIMUM / DISK_SECTOR_SIZE, and sector + count at most the disk's sectors." },
        ],
        reply: [{ name: "data", type: "bytes", doc: "count × DISK_SECTOR_SIZE bytes." }],
      },
      {
        name: "write", operation: 3, idempotent: true,
        doc: "Writes the request's data at `sector`: whole sectors, at most DISK_TRANSFER_MAXIMUM bytes. Answered once the device has it (not yet durable: disk.flush).",
        request: [
          { name: "sector", type: "u64", doc: "The first sector." },
          { name: "data", type: "bytes", doc: "A multiple of DISK_SECTOR_SIZE bytes, 1..DISK_TRANSFER_MAXIMUM." },
        ],
        reply: [],
      },
      {
        name: "flush", operation: 4, idempotent: true,
        doc: "Returns once every write answered before it is durable.",
        request: [],
        reply: [],
      },
    ],
    errors: [
      { name: "PAST_END", code: 256, doc: "The sectors asked for reach past the disk's end." },
      { name: "NOT_WHOLE_SECTORS", code: 257, doc: "A write's data is not a whole number of sectors, or a read asks for 0 sectors." },
      { name: "TOO_LONG", code: 258, doc: "More than DISK_TRANSFER_MAXIMUM bytes in one request." },
      { name: "READ_ONLY", code: 259, doc: "The disk refuses writes." },
      { name: "IO", code: 260, doc: "The device reported an error (or did not answer in time)." },
    ],
  },
  {
    name: "files", path: "/files",
    doc: "The file server (servers/files), NFSv3-style and stateless: a file is named by its handle (volume, inode, generation), the client keeps its offsets, and the server keeps nothing of its clients, so it can be killed between any two instructions and a re-sent request gets the right answer from the next instance. Reads, writes, lookups and listings are idempotent by construction; create, mkdir, remove and rename carry (client, sequence), and the reply is recorded on the volume in the same commit as the change. A reply status below 256 is the kernel's; FILES_ERROR_* are the file system's.",
    messages: [
      {
        name: "root", operation: 1, idempotent: true,
        doc: "The root directory's handle and the server's verifier.",
        request: [],
        reply: [...handle("", "The root directory"), verifier],
      },
      {
        name: "lookup", operation: 2, idempotent: true,
        doc: "The handle of `name` in a directory.",
        request: [...handle("", "The directory"), name],
        reply: [...handle("", "The entry"), { name: "kind", type: "u32", doc: "FILES_TYPE_FILE or FILES_TYPE_DIRECTORY." }],
      },
      {
        name: "getattr", operation: 3, idempotent: true,
        doc: "A file's or directory's attributes.",
        request: handle("", "The file"),
        reply: attributes,
      },
      {
        name: "read", operation: 4, idempotent: true,
        doc: "Reads up to `count` bytes at `offset`; fewer at the end of the file.",
        request: [...handle("", "The file"), { name: "offset", type: "u64", doc: "Where to read." }, { name: "count", type: "u32", doc: "At most FILES_TRANSFER_MAXIMUM." }],
        reply: [{ name: "fileSize", type: "u64", doc: "The file's size now." }, { name: "count", type: "u32", doc: "Bytes read: `count` asked, fewer at the end of the file, 0 at or past it." }, { name: "data", type: "bytes", doc: "What was read." }],
      },
      {
        name: "write", operation: 5, idempotent: true,
        doc: "Writes the data at `offset`, growing the file as needed. FILES_WRITE_STABLE: durable with all before it when answered; FILES_WRITE_UNSTABLE: durable at the next commit of any request.",
        request: [...handle("", "The file"), { name: "offset", type: "u64", doc: "Where to write." }, { name: "stable", type: "u32", doc: "FILES_WRITE_STABLE or FILES_WRITE_UNSTABLE." }, { name: "data", type: "bytes", doc: "1..FILES_TRANSFER_MAXIMUM bytes." }],
        reply: [{ name: "count", type: "u32", doc: "Bytes written (all of them)." }, verifier],
      },
      {
        name: "commit", operation: 6, idempotent: true,
        doc: "Makes every write answered so far durable (sync). The verifier tells whether unstable writes made before it died with an earlier instance.",
        request: [],
        reply: [verifier],
      },
      {
        name: "create", operation: 7, idempotent: true,
        doc: "Creates an empty file in a directory: exactly once per (client, sequence); durable when answered.",
        request: [client, sequence, ...handle("", "The directory"), { name: "mode", type: "u32", doc: "Permission bits." }, name],
        reply: [...handle("", "The new file"), replayed],
      },
      {
        name: "mkdir", operation: 8, idempotent: true,
        doc: "Creates an empty directory: exactly once per (client, sequence); durable when answered.",
        request: [client, sequence, ...handle("", "The parent directory"), { name: "mode", type: "u32", doc: "Permission bits." }, name],
        reply: [...handle("", "The new directory"), replayed],
      },
      {
        name: "remove", operation: 9, idempotent: true,
        doc: "Removes a file or an empty directory: exactly once per (client, sequence); durable when answered.",
        request: [client, sequence, ...handle("", "The directory"), name],
        reply: [replayed],
      },
      {
        name: "rename", operation: 10, idempotent: true,
        doc: "Moves `from` in one directory to `to` in another (or the same), replacing a file of that name, in one commit: exactly once per (client, sequence); durable when answered.",
        request: [client, sequence, ...handle("from", "The source directory"), ...handle("to", "The target directory"),
          { name: "fromLength", type: "u32", doc: "The length of the source name: `names` is the source name then the target name." },
          { name: "names", type: "bytes", doc: "The source name's fromLength bytes, then the target name's." }],
        reply: [replayed],
      },
      {
        name: "readdir", operation: 11, idempotent: true,
        doc: "Entries of a directory from `cookie` (0 for the first), as many as fit the reply; `next` is the cookie of the next page, 0 when the listing is complete. An entry added or removed meanwhile is listed or not; no other is listed twice or missed.",
        request: [...handle("", "The directory"), { name: "cookie", type: "u64", doc: "0, or the `next` of the page before." }],
        reply: [
          { name: "next", type: "u64", doc: "The cookie of the next page; 0: this was the last." },
          { name: "count", type: "u32", doc: "How many entries `entries` holds." },
          { name: "entries", type: "bytes", doc: "Per entry: inode (u64), type (u32), name length (u32), the name, padded to 8 bytes." },
        ],
      },
      {
        name: "statfs", operation: 12, idempotent: true,
        doc: "The volume's size and free space (df).",
        request: [],
        reply: [
          { name: "volume", type: "u64", doc: "The volume's id." },
          { name: "blocks", type: "u64", doc: "Blocks of the volume." },
          { name: "free", type: "u64", doc: "Free blocks." },
          { name: "blockSize", type: "u32", doc: "Bytes per block." },
        ],
      },
      {
        name: "setSize", operation: 13, idempotent: true,
        doc: "Sets a file's size, cutting it or growing it with zeros; stable as files.write's `stable` says.",
        request: [...handle("", "The file"), { name: "newSize", type: "u64", doc: "The new size." }, { name: "stable", type: "u32", doc: "FILES_WRITE_STABLE or FILES_WRITE_UNSTABLE." }],
        reply: [verifier],
      },
    ],
    errors: [
      { name: "NOT_FOUND", code: 256, doc: "No such file or directory." },
      { name: "EXISTS", code: 257, doc: "The name exists already." },
      { name: "NOT_DIRECTORY", code: 258, doc: "A directory was expected." },
      { name: "IS_DIRECTORY", code: 259, doc: "A file was expected." },
      { name: "NOT_EMPTY", code: 260, doc: "The directory is not empty." },
      { name: "STALE", code: 261, doc: "The handle names no live file (removed, or of another volume)." },
      { name: "CORRUPT", code: 262, doc: "A block failed its checksum or checks." },
      { name: "NO_SPACE", code: 263, doc: "The volume is full." },
      { name: "BAD_NAME", code: 264, doc: "The name is empty, too long, holds '/' or NUL, or is . or .." },
      { name: "INVALID", code: 265, doc: "The request cannot be carried out as asked (a directory moved into itself, an offset past 2^63, a count past FILES_TRANSFER_MAXIMUM)." },
      { name: "IO", code: 266, doc: "The disk failed." },
      { name: "OLD_REQUEST", code: 267, doc: "A create, mkdir, remove or rename whose sequence is older than the last one recorded for its client." },
      { name: "NO_VOLUME", code: 268, doc: "The server has no volume mounted (the disk holds none, or it cannot be read)." },
      { name: "READ_ONLY", code: 269, doc: "The volume is read-only (the verified system volume, /system): every change is refused." },
    ],
  },
];
