// An independent reader of Delos disk images, written from the specifications
// (UEFI GPT, Microsoft FAT32, docs/boot.md for the payload) rather than from
// the writer's code, so that the tests check the writer against the formats
// and not against itself. Every check failure throws with what was wrong.

export class DiskFormatError extends Error {}

const SECTOR = 512;

function fail(message: string): never { throw new DiskFormatError(message); }

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function view(bytes: Uint8Array): DataView { return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength); }

/** The GUID at `at` in its text form (first three fields little-endian). */
export function guidAt(bytes: Uint8Array, at: number): string {
  const v = view(bytes);
  const hex = (value: number, digits: number) => value.toString(16).toUpperCase().padStart(digits, "0");
  const tail = Array.from(bytes.subarray(at + 8, at + 16), (b) => hex(b, 2)).join("");
  return `${hex(v.getUint32(at, true), 8)}-${hex(v.getUint16(at + 4, true), 4)}-${hex(v.getUint16(at + 6, true), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

export interface GptPartition { typeGuid: string; uniqueGuid: string; firstLba: number; lastLba: number; name: string; }
export interface Gpt { diskGuid: string; partitions: GptPartition[]; }

function readGptHeader(disk: Uint8Array, lba: number, totalSectors: number, which: string) {
  const at = lba * SECTOR;
  const v = view(disk);
  if (new TextDecoder().decode(disk.subarray(at, at + 8)) !== "EFI PART") fail(`${which} GPT header: no "EFI PART" signature`);
  const size = v.getUint32(at + 12, true);
  const header = disk.slice(at, at + size);
  new DataView(header.buffer).setUint32(16, 0, true);
  if (crc32(header) !== v.getUint32(at + 16, true)) fail(`${which} GPT header: CRC mismatch`);
  if (Number(v.getBigUint64(at + 24, true)) !== lba) fail(`${which} GPT header: MyLBA is not ${lba}`);
  const entriesLba = Number(v.getBigUint64(at + 72, true));
  const count = v.getUint32(at + 80, true);
  const entrySize = v.getUint32(at + 84, true);
  const entries = disk.subarray(entriesLba * SECTOR, entriesLba * SECTOR + count * entrySize);
  if (crc32(entries) !== v.getUint32(at + 88, true)) fail(`${which} GPT entry array: CRC mismatch`);
  return {
    alternate: Number(v.getBigUint64(at + 32, true)),
    firstUsable: Number(v.getBigUint64(at + 40, true)),
    lastUsable: Number(v.getBigUint64(at + 48, true)),
    diskGuid: guidAt(disk, at + 56),
    entries, count, entrySize,
    total: totalSectors,
  };
}

/** Reads and checks the protective MBR and both GPT copies. */
export function readGpt(disk: Uint8Array): Gpt {
  if (disk.length % SECTOR !== 0) fail("the image is not a whole number of sectors");
  const totalSectors = disk.length / SECTOR;
  if (disk[510] !== 0x55 || disk[511] !== 0xaa) fail("MBR: no boot signature");
  if (disk[446 + 4] !== 0xee) fail("MBR: first partition is not the protective 0xEE");
  if (view(disk).getUint32(446 + 8, true) !== 1) fail("MBR: protective partition does not start at LBA 1");
  const primary = readGptHeader(disk, 1, totalSectors, "primary");
  if (primary.alternate !== totalSectors - 1) fail("primary GPT header: the backup is not in the last LBA");
  const backup = readGptHeader(disk, primary.alternate, totalSectors, "backup");
  if (backup.alternate !== 1) fail("backup GPT header: AlternateLBA is not 1");
  if (backup.diskGuid !== primary.diskGuid) fail("backup GPT header: different disk GUID");
  if (!Buffer.from(primary.entries).equals(Buffer.from(backup.entries))) fail("backup GPT entries differ from the primary ones");
  const partitions: GptPartition[] = [];
  for (let i = 0; i < primary.count; i++) {
    const e = primary.entries.subarray(i * primary.entrySize, (i + 1) * primary.entrySize);
    if (e.every((b) => b === 0)) continue;
    const v = view(e);
    const first = Number(v.getBigUint64(32, true));
    const last = Number(v.getBigUint64(40, true));
    if (first < primary.firstUsable || last > primary.lastUsable || last < first) fail(`partition ${i + 1} lies outside the usable LBAs`);
    const nameUnits = new Uint16Array(e.slice(56, 128).buffer);
    const end = nameUnits.indexOf(0);
    partitions.push({
      typeGuid: guidAt(e, 0), uniqueGuid: guidAt(e, 16), firstLba: first, lastLba: last,
      name: String.fromCharCode(...nameUnits.subarray(0, end < 0 ? nameUnits.length : end)),
    });
  }
  const sorted = [...partitions].sort((a, b) => a.firstLba - b.firstLba);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.firstLba <= sorted[i - 1]!.lastLba) fail("partitions overlap");
  return { diskGuid: primary.diskGuid, partitions };
}

export interface FatVolume {
  label: string;
  clusterCount: number;
  freeClusters: number;
  /** Every file by its path ("EFI/BOOT/BOOTX64.EFI"), as stored (8.3, case as the NT flags say). */
  files: Map<string, Uint8Array>;
  directories: string[];
}

/** Reads a FAT32 volume: checks the boot sector, FSInfo, both FATs, and every chain while walking the tree. */
export function readFat32(volume: Uint8Array): FatVolume {
  const v = view(volume);
  if (volume[510] !== 0x55 || volume[511] !== 0xaa) fail("FAT32: no boot signature");
  const bytesPerSector = v.getUint16(11, true);
  const sectorsPerCluster = volume[13]!;
  const reserved = v.getUint16(14, true);
  const fatCount = volume[16]!;
  const totalSectors = v.getUint32(32, true);
  const fatSectors = v.getUint32(36, true);
  const rootCluster = v.getUint32(44, true);
  if (bytesPerSector !== 512) fail("FAT32: sector size is not 512");
  if (v.getUint16(17, true) !== 0 || v.getUint16(22, true) !== 0) fail("FAT32: FAT12/16 fields are set");
  if (new TextDecoder().decode(volume.subarray(82, 90)) !== "FAT32   ") fail("FAT32: file system type is not FAT32");
  if (totalSectors * 512 > volume.length) fail("FAT32: the volume is larger than its partition");
  const dataStart = reserved + fatCount * fatSectors;
  const clusterCount = Math.floor((totalSectors - dataStart) / sectorsPerCluster);
  if (clusterCount < 65525) fail(`FAT32: only ${clusterCount} clusters`);
  if (fatSectors * 128 < clusterCount + 2) fail("FAT32: the FAT is too small for the clusters");
  if (!Buffer.from(volume.subarray(0, 512)).equals(Buffer.from(volume.subarray(6 * 512, 7 * 512)))) fail("FAT32: backup boot sector differs");
  const fsInfo = 512 * v.getUint16(48, true);
  if (v.getUint32(fsInfo, true) !== 0x41615252 || v.getUint32(fsInfo + 484, true) !== 0x61417272) fail("FAT32: bad FSInfo signatures");
  const fatAt = reserved * 512;
  const fatBytes = fatSectors * 512;
  for (let f = 1; f < fatCount; f++) {
    if (!Buffer.from(volume.subarray(fatAt, fatAt + fatBytes)).equals(Buffer.from(volume.subarray(fatAt + f * fatBytes, fatAt + (f + 1) * fatBytes)))) fail(`FAT32: FAT copy ${f + 1} differs`);
  }
  const fat = (cluster: number) => v.getUint32(fatAt + cluster * 4, true) & 0x0fffffff;
  if (fat(0) !== 0x0ffffff8) fail("FAT32: FAT[0] does not hold the media byte");
  const clusterSize = sectorsPerCluster * 512;
  const used = new Set<number>();
  const chain = (first: number, what: string): number[] => {
    const clusters: number[] = [];
    for (let cluster = first; ; ) {
      if (cluster < 2 || cluster >= clusterCount + 2) fail(`FAT32: ${what}: cluster ${cluster} out of range`);
      if (used.has(cluster)) fail(`FAT32: ${what}: cluster ${cluster} used twice`);
      used.add(cluster);
      clusters.push(cluster);
      const next = fat(cluster);
      if (next >= 0x0ffffff8) break;
      cluster = next;
    }
    return clusters;
  };
  const read = (clusters: number[]) => {
    const out = new Uint8Array(clusters.length * clusterSize);
    clusters.forEach((cluster, i) => {
      const at = (dataStart + (cluster - 2) * sectorsPerCluster) * 512;
      out.set(volume.subarray(at, at + clusterSize), i * clusterSize);
    });
    return out;
  };
  const files = new Map<string, Uint8Array>();
  const directories: string[] = [];
  let label = "";
  const walk = (cluster: number, path: string, parent: number) => {
    const entries = read(chain(cluster, path || "/"));
    const ev = view(entries);
    for (let at = 0; at < entries.length; at += 32) {
      const first = entries[at]!;
      if (first === 0) break;
      if (first === 0xe5) continue;
      const attributes = entries[at + 11]!;
      if ((attributes & 0x0f) === 0x0f) fail("FAT32: long name entries are not expected");
      const raw = new TextDecoder("latin1").decode(entries.subarray(at, at + 11));
      if (attributes & 0x08) { label = raw.trimEnd(); continue; }
      const flags = entries[at + 12]!;
      let base = raw.slice(0, 8).trimEnd();
      let extension = raw.slice(8).trimEnd();
      if (flags & 0x08) base = base.toLowerCase();
      if (flags & 0x10) extension = extension.toLowerCase();
      const name = extension ? `${base}.${extension}` : base;
      const start = (ev.getUint16(at + 20, true) << 16) | ev.getUint16(at + 26, true);
      if (name === ".") { if (start !== cluster) fail(`FAT32: "." of ${path} points elsewhere`); continue; }
      if (name === "..") { if (start !== parent) fail(`FAT32: ".." of ${path} points elsewhere`); continue; }
      const full = path ? `${path}/${name}` : name;
      if (attributes & 0x10) {
        directories.push(full);
        walk(start, full, cluster === rootCluster ? 0 : cluster);
      } else {
        const size = ev.getUint32(at + 28, true);
        const data = size === 0 ? new Uint8Array(0) : read(chain(start, full));
        if (data.length < size || data.length - size >= clusterSize) fail(`FAT32: ${full}: chain length does not match size ${size}`);
        files.set(full, data.slice(0, size));
      }
    }
  };
  walk(rootCluster, "", 0);
  let free = 0;
  for (let cluster = 2; cluster < clusterCount + 2; cluster++) {
    const value = fat(cluster);
    if (value !== 0 && !used.has(cluster)) fail(`FAT32: cluster ${cluster} is allocated but belongs to no file`);
    if (value === 0) free++;
  }
  if (v.getUint32(fsInfo + 488, true) !== free) fail(`FAT32: FSInfo free count ${v.getUint32(fsInfo + 488, true)} but ${free} clusters are free`);
  return { label, clusterCount, freeClusters: free, files, directories };
}

export interface PayloadEntry { name: string; offset: number; data: Uint8Array; compressed: boolean; stored: number; }

/**
 * Expands one LZ4 block (lz4's doc/lz4_Block_format.md) to exactly
 * `expected` bytes, written here from the format, apart from the codec
 * the image writer and the kernel share (sdk/lib/compress/lz4.ts).
 */
export function expandLz4(block: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let at = 0, written = 0;
  const length = (nibble: number) => {
    let value = nibble;
    if (nibble === 15) {
      let byte: number;
      do {
        if (at >= block.length) fail("lz4: a length runs past the block");
        byte = block[at++]!;
        value += byte;
      } while (byte === 255);
    }
    return value;
  };
  while (at < block.length) {
    const token = block[at++]!;
    const literals = length(token >> 4);
    if (at + literals > block.length || written + literals > expected) fail("lz4: literals run past the block or the output");
    out.set(block.subarray(at, at + literals), written);
    at += literals;
    written += literals;
    if (at === block.length) break;
    if (at + 2 > block.length) fail("lz4: a match offset runs past the block");
    const offset = block[at]! | (block[at + 1]! << 8);
    at += 2;
    if (offset === 0 || offset > written) fail(`lz4: match offset ${offset} reaches before the output`);
    const matched = length(token & 15) + 4;
    if (written + matched > expected) fail("lz4: a match runs past the output");
    for (let i = 0; i < matched; i++, written++) out[written] = out[written - offset]!;
  }
  if (written !== expected) fail(`lz4: expanded to ${written} bytes, not ${expected}`);
  return out;
}

/** Reads the payload archive (docs/boot.md): header CRC, table CRC, per-file CRC, order and alignment. */
export function readPayload(bytes: Uint8Array): PayloadEntry[] {
  const v = view(bytes);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== "DELOSPAK") fail("payload: no DELOSPAK magic");
  if (v.getUint32(8, true) !== 1) fail("payload: version is not 1");
  if (crc32(bytes.subarray(0, 60)) !== v.getUint32(60, true)) fail("payload: header CRC mismatch");
  const count = v.getUint32(16, true);
  const entrySize = v.getUint32(20, true);
  const tocOffset = v.getUint32(24, true);
  const namesOffset = v.getUint32(28, true);
  const namesSize = v.getUint32(32, true);
  if (crc32(bytes.subarray(tocOffset, namesOffset + namesSize)) !== v.getUint32(36, true)) fail("payload: table CRC mismatch");
  const total = Number(v.getBigUint64(40, true));
  const alignment = v.getUint32(52, true);
  if (total > bytes.length) fail("payload: total size is larger than the bytes given");
  const entries: PayloadEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = tocOffset + i * entrySize;
    const offset = Number(v.getBigUint64(at, true));
    const size = Number(v.getBigUint64(at + 8, true));
    const name = new TextDecoder().decode(bytes.subarray(namesOffset + v.getUint32(at + 24, true), namesOffset + v.getUint32(at + 24, true) + v.getUint32(at + 28, true)));
    if (offset % alignment !== 0) fail(`payload: ${name} is not aligned to ${alignment}`);
    if (offset + size > total) fail(`payload: ${name} runs past the end`);
    const stored = bytes.subarray(offset, offset + size);
    if (crc32(stored) !== v.getUint32(at + 16, true)) fail(`payload: ${name}: CRC mismatch`);
    if (entries.length && Buffer.compare(Buffer.from(entries[entries.length - 1]!.name), Buffer.from(name)) >= 0) fail("payload: names are not sorted");
    const flags = v.getUint32(at + 20, true);
    if ((flags & ~1) !== 0) fail(`payload: ${name}: unknown flags ${flags}`);
    const compressed = (flags & 1) !== 0;
    if (compressed && size < 8) fail(`payload: ${name}: compressed but shorter than its header`);
    const data = compressed ? expandLz4(stored.subarray(8), Number(view(stored).getBigUint64(0, true))) : stored;
    entries.push({ name, offset, data, compressed, stored: size });
  }
  return entries;
}

/** The bytes of partition `index` of a disk. */
export function partitionBytes(disk: Uint8Array, partition: GptPartition): Uint8Array {
  return disk.subarray(partition.firstLba * SECTOR, (partition.lastLba + 1) * SECTOR);
}
