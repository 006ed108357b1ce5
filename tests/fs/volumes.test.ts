// The disk layout and the verified system volume (docs/disk-layout.md): the
// library's SHA-256 against Node's, the hash tree against one recomputed
// here independently, reads through the tree refusing each changed block
// (data, tree, top, root) while the others still read, the read-only
// mount, the GPT reader with its backup, and `delos fs` choosing partitions
// (@system, @home, @N) and verifying a disk image.

import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import {
  FS_BLOCK_SIZE, FsError, FsStatus, FsVolume, MemoryDevice, VERITY_PAYLOAD_NAME, VERITY_RECORD_SIZE, payloadFile,
} from "../../sdk/host/fs-volume";
import { GptError, PARTITION_TYPES, partitionExtent, readGpt } from "../../sdk/host/gpt";
import { buildDiskImage } from "../../sdk/host/image";
import { buildDir } from "../../sdk/host/paths";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { readPayload } from "../boot/disk-reader";
import { buildHomeVolume, buildSystemVolume, hashTreeBlocks, type VolumeFile } from "../../sdk/host/system-volume";

type Assert = Parameters<Parameters<TestFunction>[1]>[0];

function sha256(bytes: Uint8Array): Buffer { return createHash("sha256").update(bytes).digest(); }

/** A pseudo-random file of `length` bytes from `seed`, so the test is the same every run. */
function content(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24; }
  return out;
}

/** Files enough for a tree of two levels (more than 128 volume blocks), in a few directories. */
function systemFiles(): VolumeFile[] {
  return [
    { path: "system/init.wasm", data: content(30000, 1) },
    { path: "drivers/disk.wasm", data: content(12345, 2) },
    { path: "fonts/big.ttf", data: content(900 * 1024, 3) },
    { path: "etc/release", data: new TextEncoder().encode("Delos test\n") },
    { path: "empty", data: new Uint8Array(0) },
  ];
}

/** The root hash recomputed from the partition's bytes, by the layout the docs give, with Node's SHA-256. */
function independentRoot(partition: Uint8Array, dataBlocks: number): Buffer {
  let level: Buffer[] = [];
  for (let i = 0; i < dataBlocks; i++) level.push(sha256(partition.subarray(i * FS_BLOCK_SIZE, (i + 1) * FS_BLOCK_SIZE)));
  for (;;) {
    const blocks: Buffer[] = [];
    for (let i = 0; i < level.length; i += 128) {
      const block = Buffer.alloc(FS_BLOCK_SIZE);
      level.slice(i, i + 128).forEach((digest, j) => digest.copy(block, j * 32));
      blocks.push(block);
    }
    if (blocks.length === 1) return sha256(blocks[0]!);
    level = blocks.map(sha256);
  }
}

/** A device over a copy of the partition's bytes. */
function deviceOf(partition: Uint8Array): MemoryDevice {
  const device = new MemoryDevice(partition.length / FS_BLOCK_SIZE);
  device.data.set(partition);
  return device;
}

/** Mounts `partition` through the tree of `record` and reads each file, returning what failed (path: message). */
function readAll(t: Assert, partition: Uint8Array, record: Uint8Array, files: VolumeFile[]): Map<string, string> {
  const volume = new FsVolume(deviceOf(partition));
  volume.mountVerified(record);
  const failed = new Map<string, string>();
  for (const file of files) {
    try {
      const data = volume.readFile(`/${file.path}`);
      t.ok(Buffer.from(data).equals(Buffer.from(file.data)), `${file.path} reads back whole`);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      failed.set(file.path, error.message);
    }
  }
  return failed;
}

/** The volume blocks holding the file at `path` (from the unverified volume). */
function blocksOf(partition: Uint8Array, path: string, volumeBlocks: number): number[] {
  const data = readFileSafe(partition, path);
  const found: number[] = [];
  for (let block = 0; block < volumeBlocks; block++) {
    const bytes = partition.subarray(block * FS_BLOCK_SIZE, (block + 1) * FS_BLOCK_SIZE);
    if (data.length >= FS_BLOCK_SIZE && Buffer.from(bytes).equals(Buffer.from(data.subarray(0, FS_BLOCK_SIZE)))) found.push(block);
  }
  return found;
}

function readFileSafe(partition: Uint8Array, path: string): Uint8Array {
  const volume = new FsVolume(deviceOf(partition));
  volume.mount();
  return volume.readFile(path);
}

function flip(bytes: Uint8Array, block: number, offset: number): Uint8Array {
  const copy = bytes.slice();
  copy[block * FS_BLOCK_SIZE + offset]! ^= 0x10;
  return copy;
}

function delos(args: string[], input?: Uint8Array): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(buildDir, "host", "delos.js"), ...args], { input });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** A small disk image as the image builder lays it out, with the system volume of systemFiles(). */
function smallDisk() {
  const files = systemFiles();
  const system = buildSystemVolume(files);
  const image = buildDiskImage({
    files: [
      { area: "esp", path: "EFI/BOOT/BOOTX64.EFI", data: new Uint8Array(4096) },
      ...files.map((file) => ({ area: "payload" as const, path: file.path, data: file.data })),
      { area: "payload", path: VERITY_PAYLOAD_NAME, data: system.record },
      { area: "system-volume", path: "", data: system.partition },
      { area: "home-volume", path: "", data: buildHomeVolume(2) },
    ],
  });
  return { files, system, image };
}

export function register(test: TestFunction): void {
  test("the library's SHA-256 agrees with Node's at every padding boundary", (t) => {
    const volume = new FsVolume(new MemoryDevice(64));
    for (const length of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, 10000]) {
      const data = randomBytes(length);
      t.eq(Buffer.from(volume.digest(data)).toString("hex"), sha256(data).toString("hex"), `${length} bytes`);
    }
    t.eq(Buffer.from(volume.digest(new TextEncoder().encode("abc"))).toString("hex"),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "FIPS 180-4's example \"abc\"");
  });

  test("the system volume: the payload's files, a hash tree whose root an independent computation agrees with", (t) => {
    const files = systemFiles();
    const system = buildSystemVolume(files);
    t.eq(system.partition.length % (1 << 20), 0, "the partition is whole MiB");
    t.ok(system.volumeBlocks > 128, `${system.volumeBlocks} volume blocks: more than one hash block's worth`);
    t.eq(system.treeBlocks, hashTreeBlocks(system.volumeBlocks), "tree size");
    t.eq(system.record.length, VERITY_RECORD_SIZE, "record size");
    t.eq(system.root, independentRoot(system.partition, system.volumeBlocks).toString("hex"), "root hash recomputed with Node's SHA-256");
    const record = new DataView(system.record.buffer, system.record.byteOffset);
    t.eq(new TextDecoder().decode(system.record.subarray(0, 8)), "DVERITY1", "record magic");
    t.eq(Number(record.getBigUint64(24, true)), system.volumeBlocks, "record: data blocks");
    t.eq(Number(record.getBigUint64(32, true)), system.volumeBlocks + 1, "record: the tree starts after the record block");
    t.eq(record.getUint32(20, true), 2, "record: two levels");
    const copy = system.partition.subarray(system.volumeBlocks * FS_BLOCK_SIZE, system.volumeBlocks * FS_BLOCK_SIZE + VERITY_RECORD_SIZE);
    t.ok(Buffer.from(copy).equals(Buffer.from(system.record)), "the record's copy after the volume");
    t.eq(Buffer.from(buildSystemVolume(files).partition).equals(Buffer.from(system.partition)), true, "two builds are byte-identical");
    t.eq(readAll(t, system.partition, system.record, files).size, 0, "every file reads through the tree");
    const volume = new FsVolume(deviceOf(system.partition));
    volume.mountVerified(system.record);
    t.eq(volume.fsck().problems, [], "fsck through the tree is clean");
    t.eq(volume.verify(system.record).refused, 0n, "verify: nothing refused");
  });

  test("a flipped bit in a data block, a tree block, the top block or the root: that block's reads fail, the others read", (t) => {
    const files = systemFiles();
    const system = buildSystemVolume(files);
    const dataBlocks = system.volumeBlocks;
    const treeStart = dataBlocks + 1;

    // A data block of drivers/disk.wasm: that file fails, naming the block and both hashes; the others read.
    const [target] = blocksOf(system.partition, "/drivers/disk.wasm", dataBlocks);
    t.ok(target !== undefined, `drivers/disk.wasm's first block is volume block ${target}`);
    const data = flip(system.partition, target!, 100);
    let failed = readAll(t, data, system.record, files);
    t.eq([...failed.keys()], ["drivers/disk.wasm"], "only the file with the changed block fails");
    t.ok(new RegExp(`block ${target} of the system volume does not match its hash tree: SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}`)
      .test(failed.get("drivers/disk.wasm") ?? ""), failed.get("drivers/disk.wasm") ?? "");
    const volume = new FsVolume(deviceOf(data));
    let verify = volume.verify(system.record);
    t.eq([verify.refused, verify.refusals.length], [1n, 1], "verify refuses exactly one block");
    t.ok(verify.refusals[0]!.startsWith(`block ${target} of the system volume`), verify.refusals[0]!);
    t.eq(volume.verify(system.record).refused, 1n, "and refuses it again on every read");

    // Level 0's second hash block covers volume blocks 128..255: those fail, the rest read.
    const level0 = treeStart + 1;
    verify = new FsVolume(deviceOf(flip(system.partition, level0 + 1, 7))).verify(system.record, 1000);
    t.eq(verify.refused, BigInt(Math.min(256, dataBlocks) - 128), "every block under the changed hash block is refused, no other");
    t.ok(/^hash block \d+ \(level 0, over volume block 128\) does not match its parent: SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}$/
      .test(verify.refusals[0]!), verify.refusals[0]!);
    t.ok(verify.refusals.every((line) => /over volume block (1[2-9]\d|2[0-5]\d)\)/.test(line)), "each names a block it covers");

    // The top block: everything is refused.
    verify = new FsVolume(deviceOf(flip(system.partition, treeStart, 0))).verify(system.record);
    t.eq(verify.refused, BigInt(dataBlocks), "a changed top block refuses every block");
    t.ok(/does not match the root hash: SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}$/.test(verify.refusals[0]!), verify.refusals[0]!);
    t.throws(() => new FsVolume(deviceOf(flip(system.partition, treeStart, 0))).mountVerified(system.record), "nothing mounts");

    // The root in the record: everything is refused; a record whose own checksum fails is refused outright.
    const record = system.record.slice();
    record[48]! ^= 1;
    const bad = new FsVolume(deviceOf(system.partition));
    t.throws(() => bad.verify(record), "a record with a damaged checksum is refused");
    new DataView(record.buffer).setUint32(80, crc32c(record.subarray(0, 80)), true);
    t.notEq(bad.verityRoot(record), system.root, "another root");
    t.eq(bad.verify(record).refused, BigInt(dataBlocks), "with another root hash, every block is refused");

    // The volume's own tree nodes and superblocks are data to the tree: a flip there is refused too.
    verify = new FsVolume(deviceOf(flip(system.partition, 0, 2000))).verify(system.record);
    t.eq(verify.refused, 1n, "a changed superblock is refused");
  });

  test("the verified volume is read-only: every change is refused and nothing is written", (t) => {
    const files = systemFiles();
    const system = buildSystemVolume(files);
    const device = deviceOf(system.partition);
    const volume = new FsVolume(device);
    volume.mountVerified(system.record);
    for (const [what, change] of [
      ["create", () => volume.create("/new")], ["mkdir", () => volume.mkdir("/dir")], ["remove", () => volume.remove("/empty")],
      ["rename", () => volume.rename("/empty", "/moved")], ["write", () => volume.write(volume.lookup("/etc/release"), 0n, new Uint8Array(3))],
      ["truncate", () => volume.truncate(volume.lookup("/etc/release"), 0n)],
    ] as const) {
      try { change(); t.ok(false, `${what} was not refused`); } catch (error) {
        t.ok(error instanceof FsError && error.status === FsStatus.READ_ONLY && error.message.includes("read-only"), `${what}: ${(error as Error).message}`);
      }
    }
    const root = volume.rootHandle();
    t.eq(volume.serviceCreate(7n, 1n, root, "x").status, FsStatus.READ_ONLY, "the service's create too, and it records nothing");
    volume.commit();
    t.ok(Buffer.from(device.data).equals(Buffer.from(system.partition)), "the partition is unchanged");
  });

  test("the test image: its system volume holds every payload file, its root is the payload's, its user volume is empty", (t) => {
    const built = buildRecipe(readRecipe("test"));
    const image = built.image;
    const read = (offset: number, length: number) => image.subarray(offset, offset + length);
    const table = readGpt(read, image.length)!;
    const part = (role: string) => partitionExtent(table.partitions.find((p) => p.role === role)!);
    const record = payloadFile(read, part("payload").offset, VERITY_PAYLOAD_NAME);
    t.ok(record !== null && Buffer.from(record).equals(Buffer.from(built.systemVolume.record)), "the payload carries the record");
    const system = part("system");
    const volume = new FsVolume(deviceOf(image.slice(system.offset, system.offset + system.bytes)));
    volume.mountVerified(record!);
    t.eq(volume.verify(record!).refused, 0n, "every block matches the tree");
    let same = 0;
    // The payload's files as the kernel reads them: expanded where the image writer stored them compressed (docs/boot.md).
    const payload = part("payload");
    for (const entry of readPayload(read(payload.offset, payload.bytes))) {
      if (entry.name === VERITY_PAYLOAD_NAME) continue;
      if (Buffer.from(volume.readFile(`/${entry.name}`)).equals(Buffer.from(entry.data))) same++;
      else t.ok(false, `${entry.name} differs between the payload and the system volume`);
    }
    t.eq(same, built.payloadFiles - 1, `all ${same} payload files are on the system volume, byte for byte`);
    const home = part("home");
    const user = new FsVolume(deviceOf(image.slice(home.offset, home.offset + home.bytes)));
    user.mount();
    t.eq([user.list("/"), user.fsck().problems], [[], []], "the user volume: empty and clean");
  });

  test("the GPT reader: roles by type GUID, CRCs checked, the backup used when the primary is damaged", (t) => {
    const { image } = smallDisk();
    const read = (bytes: Uint8Array) => readGpt((offset, length) => bytes.subarray(offset, offset + length), bytes.length);
    const table = read(image)!;
    t.eq(table.copy, "primary", "primary copy");
    t.eq(table.partitions.map((p) => p.role), ["esp", "payload", "system", "home"], "the four partitions by role");
    t.eq(table.partitions.map((p) => p.typeGuid), [PARTITION_TYPES.esp, PARTITION_TYPES.payload, PARTITION_TYPES.system, PARTITION_TYPES.home], "types");
    const damaged = image.slice();
    damaged[512 + 60]! ^= 1; // a byte of the primary header's disk GUID
    const backup = read(damaged)!;
    t.eq([backup.copy, backup.primaryProblem], ["backup", "header at LBA 1: CRC-32 mismatch"], "the backup copy, saying why");
    t.eq(backup.partitions, table.partitions, "the same partitions");
    const entries = image.slice();
    entries[1024 + 200]! ^= 1;
    t.eq(read(entries)!.primaryProblem, "entry array at LBA 2: CRC-32 mismatch", "a damaged entry array");
    damaged[image.length - 512 + 60]! ^= 1;
    t.throws(() => read(damaged), GptError, "neither copy: an error");
    t.eq(read(new Uint8Array(1 << 20)), null, "no protective MBR: not a GPT disk");
  });

  test("delos fs on a disk image: @system, @home, @N; the system volume verified and read-only; verify reports a changed block", (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-volumes-"));
    try {
      const { files, system, image } = smallDisk();
      const disk = join(directory, "disk.img");
      writeFileSync(disk, image);
      const sys = `${disk}@system`;
      t.ok(/^d .* system\/$/m.test(delos(["fs", "ls", `${sys}:/`]).stdout), "ls @system lists the payload's directories");
      t.eq(delos(["fs", "cat", `${sys}:/etc/release`]).stdout, "Delos test\n", "cat from the system volume");
      t.eq(delos(["fs", "cat", `${disk}@3:/etc/release`]).stdout, "Delos test\n", "@3 is the same partition");
      t.eq(delos(["fs", "put", `${disk}:/note`], new TextEncoder().encode("mine")).status, 0, "put without a choice goes to home");
      t.eq(delos(["fs", "cat", `${disk}@home:/note`]).stdout, "mine", "and reads back from @home");
      t.eq(delos(["fs", "fsck", `${disk}@home`]).status, 0, "home fsck clean");
      let result = delos(["fs", "put", `${sys}:/evil`], new Uint8Array([1]));
      t.ok(result.status === 1 && result.stderr.includes("read-only"), `put into @system: ${result.stderr.trim()}`);
      result = delos(["fs", "ls", `${disk}@9:/`]);
      t.ok(result.status === 1 && result.stderr.includes("no partition 9") && result.stderr.includes("system"), result.stderr.trim());
      result = delos(["fs", "verify", disk]);
      t.eq(result.status, 0, "verify: clean");
      t.ok(result.stdout.includes(`root ${system.root} (from the payload)`) && /0 refused, fsck clean: verified$/m.test(result.stdout), result.stdout.trim());
      t.eq(delos(["fs", "verify", disk, "--root", system.root]).status, 0, "verify --root with the right root");
      result = delos(["fs", "verify", disk, "--root", "0".repeat(64)]);
      t.ok(result.status === 1 && result.stderr.includes(`root hash is ${system.root}`), result.stderr.trim());

      // Change one byte of the system volume on the disk: verify, fsck and cat all name the block.
      const systemAt = partitionExtent(readGpt((o, l) => image.subarray(o, o + l), image.length)!.partitions[2]!).offset;
      const [target] = blocksOf(system.partition, "/drivers/disk.wasm", system.volumeBlocks);
      const fd = openSync(disk, "r+");
      writeSync(fd, new Uint8Array([image[systemAt + target! * FS_BLOCK_SIZE + 9]! ^ 4]), 0, 1, systemAt + target! * FS_BLOCK_SIZE + 9);
      closeSync(fd);
      result = delos(["fs", "verify", disk]);
      t.eq(result.status, 1, "verify fails");
      t.ok(result.stdout.includes(`refused: block ${target} of the system volume does not match its hash tree: SHA-256 `)
        && /1 refused, .*: FAILED$/m.test(result.stdout), result.stdout.trim());
      result = delos(["fs", "fsck", sys]);
      t.ok(result.status === 1 && result.stdout.includes(`block ${target} of the system volume does not match`), result.stdout.trim());
      result = delos(["fs", "cat", `${sys}:/drivers/disk.wasm`]);
      t.ok(result.status === 1 && result.stderr.includes(`block ${target} of the system volume does not match`), result.stderr.trim());
      t.eq(Buffer.from(delos(["fs", "cat", `${sys}:/system/init.wasm`]).stdout, "latin1").length > 0, true, "another file still reads");
      const init = spawnSync(process.execPath, [join(buildDir, "host", "delos.js"), "fs", "cat", `${sys}:/system/init.wasm`]);
      t.ok(init.stdout.equals(Buffer.from(files[0]!.data)), "and whole");

      // A volume file with its tree after it, and no payload: verify uses the record beside the tree and says so.
      const alone = join(directory, "system.vol");
      writeFileSync(alone, system.partition);
      result = delos(["fs", "verify", alone]);
      t.ok(result.status === 0 && result.stdout.includes("note: no payload holds") && result.stdout.includes("partition's own record"), result.stdout.trim());
      t.eq(readFileSync(alone).length, system.partition.length, "verify wrote nothing");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
}

/** CRC-32C, to re-seal a record whose root the test changed. */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

