// The file-system library (sdk/lib/fs), compiled by asc and run in V8 over
// devices in memory:
// - power cuts at every write and flush of a workload of creates, writes, renames
//   across directories, removes and truncates, with the cut write dropped,
//   torn, or the writes since the last flush reordered: the volume then
//   mounts, fsck is clean and it shows exactly the last durable commit;
// - random operations against a model of the same tree;
// - files past 4 GiB, flipped bits detected and named, stale handles refused,
//   and non-idempotent requests applied exactly once across crashes.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { compileComponent } from "../../sdk/host/linux";
import { buildDir } from "../../sdk/host/paths";
import { FS_BLOCK_SIZE, FsError, FsStatus, FsVolume, MemoryDevice, TYPE_FILE } from "../../sdk/host/fs-volume";
import { CutDevice, CutMode, PowerCut, Random } from "./cut-device";
import { Model, renderVolume, statusOf } from "./model";
import { Operation, applyToModel, applyToVolume, bytes, checkCut, formatted, randomWorkload, runWorkload } from "./workload";

const BLOCKS = 1024; // a 4 MiB volume

function mounted(device: MemoryDevice | CutDevice): FsVolume {
  const volume = new FsVolume(device);
  volume.mount();
  return volume;
}

const write = (path: string, offset: number, data: Uint8Array): Operation => ({ kind: "write", path, offset, data });
const create = (path: string): Operation => ({ kind: "create", path });
const mkdir = (path: string): Operation => ({ kind: "mkdir", path });
const rename = (path: string, to: string): Operation => ({ kind: "rename", path, to });
const remove = (path: string): Operation => ({ kind: "remove", path });
const truncate = (path: string, size: number): Operation => ({ kind: "truncate", path, size });
const commit: Operation = { kind: "commit" };

/** Creates, writes, renames across directories (of files and of directories, onto a file), removes, truncates, splits and merges. */
const workload: Operation[] = [
  mkdir("/a"), mkdir("/b"), create("/a/one"), write("/a/one", 0, bytes(5000, 1)), commit,
  write("/a/one", 3000, bytes(9000, 2)), create("/b/two"), write("/b/two", 0, bytes(100, 3)), commit,
  rename("/a/one", "/b/one"), mkdir("/a/sub"), create("/a/sub/three"), write("/a/sub/three", 0, bytes(20000, 4)), commit,
  truncate("/b/one", 4500), remove("/b/two"), commit,
  rename("/a/sub", "/b/sub"), rename("/b/one", "/b/sub/three"), commit,
  mkdir("/many"), ...Array.from({ length: 60 }, (_, i) => create(`/many/file-${i}`)), commit,
  write("/many/file-7", 0, bytes(300_000, 5)), commit,
  ...Array.from({ length: 30 }, (_, i) => remove(`/many/file-${2 * i}`)), truncate("/many/file-7", 70_000), commit,
  write("/many/file-7", 100_000, bytes(5000, 6)), rename("/many/file-7", "/a/seven"), remove("/b/sub/three"), commit,
];

export function register(test: TestFunction): void {
  test("after a power cut at every write and flush, dropped, torn or reordered, the volume is the last durable commit and fsck is clean", (t) => {
    const image = formatted(BLOCKS).data;
    const total = runWorkload(new CutDevice(image, BLOCKS, 0, "drop", new Random(1)), workload);
    t.eq(total.mismatch, null, "every operation's status is the model's");
    const events = total.commits[total.commits.length - 1]!.events;
    t.ok(events > 100, `the workload makes ${events} writes and flushes in ${total.commits.length - 1} commits`);
    const problems: string[] = [];
    let cuts = 0;
    for (const mode of ["drop", "tear", "reorder"] as CutMode[]) {
      for (let k = 1; k <= events && problems.length < 10; k++, cuts++) problems.push(...checkCut(image, BLOCKS, workload, k, mode, k).problems);
    }
    t.eq(problems, [], `${cuts} power cuts, each mounted, compared with its commit and checked`);
    t.eq(cuts, 3 * events, "a cut at every write and flush in each mode");
  }, { timeout: 600_000 });

  test("random operations agree with a model, commit by commit, and survive remounts", (t) => {
    const problems: string[] = [];
    let operations = 0;
    for (let seed = 1; seed <= 6 && problems.length === 0; seed++) {
      const device = formatted(2048);
      let volume = mounted(device);
      const model = new Model();
      const random = new Random(seed);
      for (const [index, operation] of randomWorkload(seed * 7919, 400).entries()) {
        operations++;
        const expected = applyToModel(operation, model);
        const got = applyToVolume(operation, volume);
        if (got !== expected) { problems.push(`seed ${seed} operation ${index}: ${operation.kind}: status ${got}, the model's ${expected}`); break; }
        // Now and then a clean remount after a commit: what was committed is all there is.
        if (operation.kind === "commit" && random.below(4) === 0) volume = mounted(device);
        if (index % 50 === 49 && JSON.stringify(renderVolume(volume)) !== JSON.stringify(model.render())) {
          problems.push(`seed ${seed} operation ${index}: the tree differs from the model after ${operation.kind}`);
          break;
        }
      }
      if (JSON.stringify(renderVolume(mounted(device))) !== JSON.stringify(model.render())) problems.push(`seed ${seed}: remounted tree differs`);
      const check = volume.fsck();
      if (check.problems.length > 0) problems.push(`seed ${seed}: fsck: ${check.problems.slice(0, 3).join("; ")}`);
    }
    t.eq(problems, [], `${operations} random operations`);
  }, { timeout: 300_000 });

  test("freed blocks are reused: writing and removing a file many times does not fill the volume", (t) => {
    const device = formatted(256);
    const volume = mounted(device);
    const data = bytes(400_000, 9); // ~100 of the volume's 256 blocks
    for (let round = 0; round < 20; round++) {
      volume.writeFile("/big", data);
      volume.commit();
      volume.remove("/big");
      volume.commit();
    }
    t.eq(volume.fsck().problems, [], "fsck clean");
    t.ok(volume.freeBlocks > 200n, `${volume.freeBlocks} of 256 blocks free at the end`);
  });

  test("files past 4 GiB: 64-bit sizes and offsets, holes read as zeros, truncate", (t) => {
    const device = formatted(BLOCKS);
    const volume = mounted(device);
    const inode = volume.create("/huge");
    const far = 5n << 30n;
    volume.write(inode, far - 2n, new TextEncoder().encode("hello"));
    t.eq(volume.stat(inode).size, far + 3n, "size past 4 GiB");
    t.eq(new TextDecoder().decode(volume.read(inode, far - 2n, 100)), "hello", "read back at 5 GiB");
    t.eq([...volume.read(inode, 4n << 30n, 16)], new Array(16).fill(0), "a hole reads as zeros");
    t.eq([...volume.read(inode, far - 6n, 4)], [0, 0, 0, 0], "so does the rest of a written block");
    volume.truncate(inode, (4n << 30n) + 1n);
    volume.commit();
    const again = mounted(device);
    t.eq(again.stat(again.lookup("/huge")).size, (4n << 30n) + 1n, "truncated size after a remount");
    t.eq(again.fsck().problems, [], "fsck clean");
    t.eq(again.fsck().dataBlocks, 0n, "the truncated file holds no data block");
  });

  test("stat holds times and sizes; times move with changes", (t) => {
    const volume = mounted(formatted(BLOCKS));
    volume.setClock(1_000);
    const inode = volume.create("/f");
    volume.setClock(2_000);
    volume.write(inode, 0n, new Uint8Array(10));
    const stat = volume.stat(inode);
    t.eq([stat.created, stat.modified, stat.changed, stat.size], [1_000_000_000n, 2_000_000_000n, 2_000_000_000n, 10n], "created, modified, changed, size");
    volume.setClock(3_000);
    volume.mkdir("/d");
    volume.rename("/f", "/d/f");
    const moved = volume.stat(inode);
    t.eq([moved.modified, moved.changed], [2_000_000_000n, 3_000_000_000n], "a rename changes ctime, not mtime");
    t.eq(volume.stat(volume.lookup("/d")).modified, 3_000_000_000n, "the target directory's mtime");
  });

  test("a flipped bit is detected and named: in file data, a tree node, a superblock, a bitmap block", (t) => {
    const device = formatted(BLOCKS);
    const volume = mounted(device);
    volume.writeFile("/file", bytes(10_000, 3));
    volume.mkdir("/dir");
    volume.commit();
    volume.writeFile("/dir/other", bytes(100, 4));
    volume.commit();
    const clean = device.data.slice();
    const check = volume.fsck();
    t.eq(check.problems, [], "clean before");

    // File data: the extent's checksum catches it.
    const extentBlock = findBlock(clean, (block) => block > 3 && !isHeadered(clean, block) && !isZero(clean, block));
    device.data[extentBlock * FS_BLOCK_SIZE + 100]! ^= 0x10;
    const reading = mounted(device);
    let error = thrown(() => reading.readFile("/file"));
    t.eq(error?.status, FsStatus.CORRUPT, "reading the file fails with CORRUPT");
    t.ok(error?.message.includes(`corrupt block at ${extentBlock}`), `named: ${error?.message}`);
    t.ok(reading.fsck().problems.some((p) => p.includes(`corrupt block at ${extentBlock}`)), "fsck names it");
    device.data.set(clean);

    // A tree node: the root of the newest commit.
    const root = rootBlock(clean);
    device.data[root * FS_BLOCK_SIZE + 200]! ^= 0x01;
    const fallback = mounted(device);
    t.eq(fallback.generation, check.generation - 1n, "the newest commit's root fails its checksum: the older commit is mounted");
    t.ok(fallback.fsck().notes.some((n) => n.includes(`corrupt block at ${root}: checksum mismatch`)), "fsck notes the corrupt root");
    // A node below the root of the only commit left: nothing to fall back to, so the mount fails and names it.
    device.data[0 * FS_BLOCK_SIZE + 40]! ^= 0x80;
    device.data[1 * FS_BLOCK_SIZE + 40]! ^= 0x80;
    device.data[newestSlot(clean) * FS_BLOCK_SIZE + 40]! ^= 0x80;
    const mountError = thrown(() => mounted(device));
    t.ok(mountError?.message.includes(`corrupt block at ${root}`), `a corrupt root with no older commit: ${mountError?.message}`);
    device.data.set(clean);

    // The newest superblock: the older commit is mounted, and fsck says why.
    const newest = Number(check.generation % 2n);
    device.data[newest * FS_BLOCK_SIZE + 40]! ^= 0x80;
    const older = mounted(device);
    t.eq(older.generation, check.generation - 1n, "the older superblock's commit");
    t.ok(older.fsck().notes.some((n) => n.includes(`superblock at ${newest}`)), "fsck notes the bad superblock");
    device.data.set(clean);

    // Both superblocks: not mountable, with the reason.
    device.data[0 * FS_BLOCK_SIZE + 40]! ^= 0x80;
    device.data[1 * FS_BLOCK_SIZE + 40]! ^= 0x80;
    error = thrown(() => mounted(device));
    t.ok(error?.message.includes("corrupt superblock at"), `no sound superblock: ${error?.message}`);
    device.data.set(clean);

    // A bitmap block of the newest commit's slot.
    const bitmap = 2 + newest; // one bitmap block per slot on this volume: slot 0 at block 2, slot 1 at block 3
    device.data[bitmap * FS_BLOCK_SIZE + 30]! ^= 0x04;
    const afterBitmap = mounted(device);
    t.eq(afterBitmap.generation, check.generation - 1n, "the older commit, whose bitmap is sound");
    t.ok(afterBitmap.fsck().notes.some((n) => n.includes(`corrupt bitmap block at ${bitmap}`)), "fsck notes the bad bitmap block");
    device.data.set(clean);

    // Not a volume at all.
    error = thrown(() => mounted(new MemoryDevice(64)));
    t.eq(error?.status, FsStatus.NOT_VOLUME, "an empty device is not a Delos volume");
    t.ok(error?.message.includes("not a Delos volume"), error?.message ?? "");
  });

  test("stale handles are refused, never misdirected", (t) => {
    const device = formatted(BLOCKS);
    const volume = mounted(device);
    const root = volume.rootHandle();
    const made = volume.serviceCreate(1n, 1n, root, "file");
    t.eq(made.status, FsStatus.OK, "created");
    const handle = made.handle!;
    t.eq(volume.serviceWrite(handle, 0n, new TextEncoder().encode("first"), true), 5, "written through the handle");
    t.eq(volume.serviceRemove(1n, 2n, root, "file").status, FsStatus.OK, "removed");
    const again = volume.serviceCreate(1n, 3n, root, "file");
    t.ok(again.handle!.inode !== handle.inode, "a new file gets a new inode number");
    t.eq(volume.serviceGetSize(handle), BigInt(FsStatus.STALE), "the removed file's handle is stale");
    t.eq(volume.serviceRead(handle, 0n, 10), FsStatus.STALE, "reading through it is refused");
    t.eq(volume.serviceWrite(handle, 0n, new Uint8Array(3), false), FsStatus.STALE, "writing through it is refused");
    t.eq(volume.serviceGetSize({ ...again.handle!, generation: again.handle!.generation + 1n }), BigInt(FsStatus.STALE), "a wrong generation");
    t.eq(volume.serviceGetSize({ ...again.handle!, volume: 0xdeadn }), BigInt(FsStatus.STALE), "another volume's handle");
    t.eq(volume.serviceGetSize(again.handle!), 0n, "the live handle works");
    const lookedUp = volume.serviceLookup(root, "file");
    t.eq(lookedUp.handle, again.handle, "lookup gives the same handle as create");
    // After a format, old handles are stale too: the volume id differs.
    const other = new FsVolume(device);
    other.format(0x7777n);
    other.mount();
    t.eq(other.serviceGetSize(again.handle!), BigInt(FsStatus.STALE), "a handle from before a format");
  });

  test("create, mkdir, remove and rename are applied exactly once across crashes: a re-sent request finds its recorded reply", (t) => {
    const device = formatted(BLOCKS);
    let volume = mounted(device);
    const root = volume.rootHandle();
    const dir = volume.serviceCreate(5n, 1n, root, "dir", true);
    t.eq([dir.status, dir.replayed], [FsStatus.OK, false], "mkdir");
    const file = volume.serviceCreate(5n, 2n, root, "file");
    // The server dies before its reply reaches the client; a new instance mounts; the client re-sends.
    volume = mounted(device);
    const resent = volume.serviceCreate(5n, 2n, root, "file");
    t.eq([resent.status, resent.replayed, resent.handle], [FsStatus.OK, true, file.handle], "the re-sent create: its recorded reply, not EXISTS");
    t.eq(volume.serviceCreate(5n, 1n, root, "dir", true).status, FsStatus.OLD_REQUEST, "an older request is refused");
    t.eq(volume.serviceCreate(6n, 1n, root, "file").status, FsStatus.EXISTS, "another client's create of the same name is a new request");
    const moved = volume.serviceRename(5n, 3n, root, "file", dir.handle!, "moved");
    t.eq(moved.status, FsStatus.OK, "rename across directories");
    volume = mounted(device);
    t.eq([volume.serviceRename(5n, 3n, root, "file", dir.handle!, "moved").status, volume.serviceRename(5n, 3n, root, "file", dir.handle!, "moved").replayed],
      [FsStatus.OK, true], "the re-sent rename: OK, not NOT_FOUND");
    t.eq(volume.serviceRemove(5n, 4n, dir.handle!, "moved").status, FsStatus.OK, "remove");
    volume = mounted(device);
    t.eq(volume.serviceRemove(5n, 4n, dir.handle!, "moved").status, FsStatus.OK, "the re-sent remove: OK, not NOT_FOUND");
    const failed = volume.serviceRemove(5n, 5n, root, "nothing");
    volume = mounted(device);
    t.eq([failed.status, volume.serviceRemove(5n, 5n, root, "nothing").replayed], [FsStatus.NOT_FOUND, true], "a failure is recorded too");
    t.eq(volume.fsck().problems, [], "fsck clean");

    // A power cut at each write of a create's commit: re-sent after the reboot, the file exists once, with one handle.
    const image = device.data.slice();
    const measure = new CutDevice(image, BLOCKS, 0, "drop", new Random(1));
    mounted(measure).serviceCreate(9n, 1n, root, "cut");
    let outcomes = { recorded: 0, fresh: 0 };
    for (let k = 1; k <= measure.events; k++) {
      const cut = new CutDevice(image, BLOCKS, k, "tear", new Random(k));
      let cutReply = null;
      try { cutReply = mounted(cut).serviceCreate(9n, 1n, root, "cut"); } catch (error) { if (!(error instanceof PowerCut)) throw error; }
      t.eq(cutReply, null, `cut at event ${k} of ${measure.events}`);
      const after = mounted(cut.survivor());
      const reply = after.serviceCreate(9n, 1n, root, "cut");
      t.eq(reply.status, FsStatus.OK, `after a cut at write ${k}: the re-sent create succeeds`);
      if (reply.replayed) outcomes.recorded++; else outcomes.fresh++;
      t.eq(reply.replayed, cut.superblockLanded, `replayed exactly when the cut left the superblock written`);
      t.eq(after.list("/").filter((e) => e.name === "cut").length, 1, "one file");
      t.eq(after.serviceLookup(root, "cut").handle, reply.handle, "the reply's handle is the file's");
      t.eq(after.fsck().problems, [], "fsck clean");
    }
    t.eq(outcomes.recorded + outcomes.fresh, measure.events, `done afresh ${outcomes.fresh} times, replayed ${outcomes.recorded}`);
  });

  test("reply records are bounded: past 256 clients the least recently written goes, and a re-sent request is still never applied twice", (t) => {
    const device = formatted(BLOCKS);
    let volume = mounted(device);
    const root = volume.rootHandle();
    const LIMIT = 256n, CLIENTS = 700;
    // A long-lived client first, that keeps changing the volume while short-lived ones come and go.
    let steadySequence = 1n;
    t.eq(volume.serviceCreate(1n, steadySequence, root, "steady-0").status, FsStatus.OK, "the long-lived client's first create");
    // A short-lived client whose last request is a create it never undoes: its record is dropped long before the re-send below.
    t.eq(volume.serviceCreate(999n, 1n, root, "kept").status, FsStatus.OK, "a short-lived client's create");
    let most = 0n;
    for (let i = 0; i < CLIENTS; i++) {
      const client = 1000n + BigInt(i);
      const name = `c${i}`;
      t.eq(volume.serviceCreate(client, 1n, root, name).status, FsStatus.OK, `client ${client}: create`);
      t.eq(volume.serviceRemove(client, 2n, root, name).status, FsStatus.OK, `client ${client}: remove`);
      if (i % 50 === 49) {
        steadySequence++;
        t.eq(volume.serviceRename(1n, steadySequence, root, `steady-${steadySequence - 2n}`, root, `steady-${steadySequence - 1n}`).status, FsStatus.OK, "the long-lived client's rename");
        const check = volume.fsck();
        t.eq(check.problems, [], `fsck clean after ${i + 1} clients`);
        if (check.replyRecords > most) most = check.replyRecords;
      }
    }
    t.eq(most, LIMIT, `the record count reached the bound and stayed there (${CLIENTS + 1} clients)`);
    volume = mounted(device);
    // The long-lived client's newest request, re-sent after a crash, still finds its record: it wrote it lately.
    const resent = volume.serviceRename(1n, steadySequence, root, `steady-${steadySequence - 2n}`, root, `steady-${steadySequence - 1n}`);
    t.eq([resent.status, resent.replayed], [FsStatus.OK, true], "the long-lived client's re-sent rename is replayed");
    // The newest short-lived client's too.
    const last = 1000n + BigInt(CLIENTS - 1);
    t.eq([volume.serviceRemove(last, 2n, root, `c${CLIENTS - 1}`).status, volume.serviceRemove(last, 2n, root, `c${CLIENTS - 1}`).replayed],
      [FsStatus.OK, true], "the newest client's re-sent remove is replayed");
    // The first short-lived client's record went: its remove, re-sent, is done again and meets the file gone, not a second file removed.
    const dropped = volume.serviceRemove(1000n, 2n, root, "c0");
    t.eq([dropped.status, dropped.replayed], [FsStatus.NOT_FOUND, false], "a dropped client's re-sent remove finds nothing to remove");
    const again = volume.serviceCreate(999n, 1n, root, "kept");
    t.eq([again.status, again.replayed], [FsStatus.EXISTS, false], "a dropped client's re-sent create is refused by the create's own check");
    t.eq(volume.list("/").map((e) => e.name).sort(), ["kept", "steady-" + (steadySequence - 1n).toString()],
      "only the long-lived client's file and the dropped client's one are left, once each");
    const check = volume.fsck();
    t.eq([check.problems, check.replyRecords <= LIMIT], [[], true], `fsck clean, ${check.replyRecords} reply records`);
  });

  test("the library compiles with Delos's own compiler, as the file server will", (t) => {
    const component = compileComponent(readFileSync(join(buildDir, "fs.wasm")), { bounds: "guard", privileged: false });
    t.ok(component.length > 0, `a component of ${component.length} bytes`);
  });

  test("operations refuse bad names and wrong kinds with the right status", (t) => {
    const volume = mounted(formatted(BLOCKS));
    volume.mkdir("/d");
    volume.create("/f");
    t.eq(statusOf(() => volume.create("/" + "n".repeat(256))), FsStatus.BAD_NAME, "a 256-byte name");
    t.eq(statusOf(() => volume.create("/d/..")), FsStatus.BAD_NAME, "..");
    t.eq(statusOf(() => volume.create("/f/x")), FsStatus.NOT_DIRECTORY, "a file as a directory");
    t.eq(statusOf(() => volume.rename("/d", "/d/inside")), FsStatus.INVALID, "a directory into itself");
    t.eq(statusOf(() => volume.rename("/f", "/d")), FsStatus.IS_DIRECTORY, "a file over a directory");
    t.eq(statusOf(() => volume.write(volume.lookup("/d"), 0n, new Uint8Array(1))), FsStatus.IS_DIRECTORY, "writing a directory");
    t.eq(statusOf(() => volume.write(volume.lookup("/f"), (1n << 63n) - 1n, new Uint8Array(2))), FsStatus.INVALID, "a write past 2^63");
    volume.create("/d/x");
    t.eq(statusOf(() => volume.remove("/d")), FsStatus.NOT_EMPTY, "a non-empty directory");
    t.eq(statusOf(() => volume.lookup("/nothing/here")), FsStatus.NOT_FOUND, "a missing path");
    void TYPE_FILE;
  });
}

function isHeadered(image: Uint8Array, block: number): boolean {
  const magic = new DataView(image.buffer, block * FS_BLOCK_SIZE + 4, 4).getUint32(0, true);
  return magic === 0x50555344 || magic === 0x444f4e44 || magic === 0x50414d44;
}
function isZero(image: Uint8Array, block: number): boolean { return image.subarray(block * FS_BLOCK_SIZE, (block + 1) * FS_BLOCK_SIZE).every((b) => b === 0); }
function findBlock(image: Uint8Array, which: (block: number) => boolean): number {
  for (let block = 0; block * FS_BLOCK_SIZE < image.length; block++) if (which(block)) return block;
  throw new Error("no such block in the image");
}
function newestSlot(image: Uint8Array): number {
  const generation = (slot: number) => new DataView(image.buffer, slot * FS_BLOCK_SIZE).getBigUint64(16, true);
  return generation(0) > generation(1) ? 0 : 1;
}
/** The root block named by the newest superblock. */
function rootBlock(image: Uint8Array): number {
  const generation = (slot: number) => new DataView(image.buffer, slot * FS_BLOCK_SIZE).getBigUint64(16, true);
  const slot = generation(0) > generation(1) ? 0 : 1;
  return Number(new DataView(image.buffer, slot * FS_BLOCK_SIZE).getBigUint64(48, true));
}
function thrown(operation: () => unknown): FsError | null {
  try { operation(); return null; } catch (error) { if (error instanceof FsError) return error; throw error; }
}
