// The volumes of a Delos disk image, built on the host by the file-system
// library itself (sdk/lib/fs through fs-volume.ts), as docs/disk-layout.md
// lays them out: the system volume, holding the payload's files under the
// same names, followed by its verity record and hash tree; and the user
// volume for /home, empty. Both are reproducible: time stamps are fixed and
// volume ids derive from the contents, so the same tree gives the same
// bytes.

import { createHash } from "node:crypto";
import { FS_BLOCK_SIZE, FsDevice, FsError, FsStatus, FsVolume, MemoryDevice } from "./fs-volume";

/** Every time stamp in a built volume: 2026-01-01 00:00 UTC, as on the ESP. */
const BUILD_TIME = Date.UTC(2026, 0, 1);
const MIB_BLOCKS = (1 << 20) / FS_BLOCK_SIZE;
const DIGESTS_PER_BLOCK = FS_BLOCK_SIZE / 32;

/** A file of the system volume: its path below the volume's root ("drivers/disk.wasm") and contents. */
export interface VolumeFile { path: string; data: Uint8Array; }

export interface SystemVolume {
  /** The partition's contents: the volume, the verity record, the hash tree, zeros to a whole MiB. */
  partition: Uint8Array;
  /** The verity record, root hash inside: what the payload carries for the boot to trust. */
  record: Uint8Array;
  /** The root hash in hexadecimal. */
  root: string;
  volumeBlocks: number;
  treeBlocks: number;
  files: number;
  directories: number;
}

/** The first `blocks` blocks of a device: the volume's part of its partition. */
class Prefix implements FsDevice {
  constructor(private device: FsDevice, readonly blocks: number) {}
  read(block: number, into: Uint8Array): boolean { return this.device.read(block, into); }
  write(block: number, from: Uint8Array): boolean { return this.device.write(block, from); }
  flush(): boolean { return this.device.flush(); }
}

/** Hash blocks of the tree over `blocks` blocks (sdk/lib/fs/verity.ts, HashTree.plan). */
export function hashTreeBlocks(blocks: number): number {
  let total = 0;
  let count = blocks;
  do {
    count = Math.ceil(count / DIGESTS_PER_BLOCK);
    total += count;
  } while (count > 1);
  return total;
}

function volumeId(label: string, files: VolumeFile[]): bigint {
  const hash = createHash("sha256").update(label);
  for (const file of files) hash.update(file.path).update("\0").update(file.data);
  return hash.digest().readBigUInt64LE(0);
}

/** The directories the files need, parents before children. */
function directoriesOf(files: VolumeFile[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    const parts = file.path.split("/").slice(0, -1);
    for (let i = 1; i <= parts.length; i++) found.add(parts.slice(0, i).join("/"));
  }
  return [...found].sort();
}

/**
 * Blocks a volume holding `files` surely needs: the data, the tree's items
 * (an extent item per block, an inode and a name per file) in nodes at
 * least half full and written once more by the commit, the bitmap, and the
 * reserve a transaction keeps.
 */
function estimateBlocks(files: VolumeFile[], directories: number): number {
  const data = files.reduce((sum, file) => sum + Math.ceil(file.data.length / FS_BLOCK_SIZE), 0);
  const itemBytes = data * 40 + (files.length + directories) * 360;
  const nodes = Math.ceil(itemBytes / (FS_BLOCK_SIZE / 2)) + 8;
  const blocks = data + 3 * nodes + 256;
  return blocks + 2 * Math.ceil(blocks / 32576) + 2;
}

/** Puts each file at its path, making the directories on the way, in one commit. */
function fill(volume: FsVolume, files: VolumeFile[], directories: string[]): void {
  for (const directory of directories) volume.mkdir(`/${directory}`);
  for (const file of files) volume.write(volume.create(`/${file.path}`), 0n, file.data);
  volume.commit();
}

/** Builds the system volume holding `files`, and its hash tree (docs/disk-layout.md). */
export function buildSystemVolume(files: VolumeFile[]): SystemVolume {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const directories = directoriesOf(sorted);
  let volumeBlocks = estimateBlocks(sorted, directories.length);
  for (let attempt = 0; ; attempt++) {
    const treeBlocks = hashTreeBlocks(volumeBlocks);
    const partitionBlocks = Math.ceil((volumeBlocks + 1 + treeBlocks) / MIB_BLOCKS) * MIB_BLOCKS;
    const device = new MemoryDevice(partitionBlocks);
    const volume = new FsVolume(new Prefix(device, volumeBlocks));
    volume.setClock(BUILD_TIME);
    volume.format(volumeId("delos-system", sorted));
    volume.mount();
    try {
      fill(volume, sorted, directories);
    } catch (error) {
      // The estimate fell short (files of many small blocks): try again with room to spare.
      if (!(error instanceof FsError) || error.status !== FsStatus.NO_SPACE || attempt >= 4) throw error;
      volumeBlocks = Math.ceil(volumeBlocks * 1.5);
      continue;
    }
    const record = new FsVolume(device).buildHashTree(volumeBlocks);
    return {
      partition: device.data, record, root: volume.verityRoot(record), volumeBlocks, treeBlocks,
      files: sorted.length, directories: directories.length,
    };
  }
}

/** Builds an empty user volume of `mib` MiB. */
export function buildHomeVolume(mib: number, label = "delos-home"): Uint8Array {
  const device = new MemoryDevice(mib * MIB_BLOCKS);
  const volume = new FsVolume(device);
  volume.setClock(BUILD_TIME);
  volume.format(volumeId(label, []));
  return device.data;
}
