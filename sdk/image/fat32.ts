// A FAT32 file system written in one pass into a partition's bytes: the EFI
// System Partition that holds EFI/BOOT/BOOTX64.EFI. Layout, in sectors:
//
//   0 boot sector (BPB) | 1 FSInfo | 6 backup boot sector | 7 backup FSInfo
//   | 32 FAT #1 | FAT #2 | data clusters from cluster 2 (the root directory)
//
// Everything is laid out contiguously and deterministically: children sorted
// by name, clusters handed out in depth-first order, one fixed timestamp. So
// the same files always give the same bytes.
// Missing: long file names. Names must fit 8.3 (all-lower-case parts are kept
// lower case with the NT case flags, as Windows and Linux do).

import { get8, put8, put16, put32, putAscii, putBytes } from "./bytes";
import { setMessage } from "./io";

const SECTOR: i32 = 512;
const RESERVED_SECTORS: i32 = 32;
const FAT_COUNT: i32 = 2;
const ROOT_CLUSTER: u32 = 2;
const MIN_CLUSTERS: i64 = 65525;
const END_OF_CHAIN: u32 = 0x0fffffff;
const ENTRY_SIZE: i32 = 32;
const ATTR_DIRECTORY: i32 = 0x10;
const ATTR_ARCHIVE: i32 = 0x20;
const ATTR_VOLUME_ID: i32 = 0x08;
const NT_LOWER_BASE: i32 = 0x08;
const NT_LOWER_EXTENSION: i32 = 0x10;
/** Every timestamp: 2026-01-01 00:00:00, so builds are byte-identical. */
const FIXED_DATE: i32 = ((2026 - 1980) << 9) | (1 << 5) | 1;
const FIXED_TIME: i32 = 0;

export class FatFile {
  constructor(readonly path: string, readonly data: Uint8Array) {}
}

class Node {
  children: Node[] = [];
  data: Uint8Array | null = null;
  firstCluster: u32 = 0;
  clusterCount: u32 = 0;
  shortName: Uint8Array = new Uint8Array(11);
  caseFlags: i32 = 0;
  constructor(readonly name: string, readonly isDirectory: bool, readonly parent: Node | null) {}
}

function isShortNameCharacter(code: i32): bool {
  if (code >= 65 && code <= 90) return true;
  if (code >= 48 && code <= 57) return true;
  return "!#$%&'()-@^_`{}~".indexOf(String.fromCharCode(code)) >= 0;
}

/** Fills node.shortName and node.caseFlags from node.name; false when the name is not 8.3. */
function makeShortName(node: Node): bool {
  const name = node.name;
  const dot = name.lastIndexOf(".");
  const base = dot < 0 ? name : name.substring(0, dot);
  const extension = dot < 0 ? "" : name.substring(dot + 1);
  if (base.length < 1 || base.length > 8 || extension.length > 3 || (dot >= 0 && extension.length == 0)) return false;
  const parts = [base, extension];
  const flags = [NT_LOWER_BASE, NT_LOWER_EXTENSION];
  node.shortName.fill(0x20);
  for (let p = 0; p < 2; p++) {
    const part = parts[p];
    let lower = false, upper = false;
    for (let i = 0; i < part.length; i++) {
      let code = part.charCodeAt(i);
      if (code >= 97 && code <= 122) { lower = true; code -= 32; }
      else if (code >= 65 && code <= 90) upper = true;
      if (!isShortNameCharacter(code)) return false;
      put8(node.shortName, p * 8 + i, code);
    }
    if (lower && upper) return false;
    if (lower) node.caseFlags |= flags[p];
  }
  if (get8(node.shortName, 0) == 0xe5) put8(node.shortName, 0, 0x05);
  return true;
}

function sameShortName(a: Node, b: Node): bool {
  for (let i = 0; i < 11; i++) if (a.shortName[i] != b.shortName[i]) return false;
  return true;
}

function compareNodes(a: Node, b: Node): i32 {
  for (let i = 0; i < 11; i++) {
    const d = <i32>a.shortName[i] - <i32>b.shortName[i];
    if (d != 0) return d;
  }
  return 0;
}

/** Builds the directory tree; null (with a message) on a bad or repeated path. */
function buildTree(files: FatFile[]): Node | null {
  const root = new Node("", true, null);
  for (let f = 0; f < files.length; f++) {
    const parts = files[f].path.split("/");
    let directory = root;
    for (let p = 0; p < parts.length; p++) {
      const isLast = p == parts.length - 1;
      const probe = new Node(parts[p], !isLast, directory);
      if (!makeShortName(probe)) {
        setMessage("fat32: \"" + files[f].path + "\": \"" + parts[p] + "\" is not an 8.3 name (long names are not supported yet)");
        return null;
      }
      let found: Node | null = null;
      for (let c = 0; c < directory.children.length; c++) {
        if (sameShortName(directory.children[c], probe)) found = directory.children[c];
      }
      if (found != null) {
        if (isLast || !found.isDirectory) {
          setMessage("fat32: \"" + files[f].path + "\" collides with another file or directory");
          return null;
        }
        directory = found;
      } else {
        if (isLast) probe.data = files[f].data;
        directory.children.push(probe);
        directory = probe;
      }
    }
  }
  return root;
}

class Geometry {
  sectorsPerCluster: i32 = 1;
  fatSectors: i32 = 0;
  clusterCount: i64 = 0;
  totalSectors: i64 = 0;
  get clusterSize(): i32 { return this.sectorsPerCluster * SECTOR; }
  get dataStart(): i64 { return <i64>(RESERVED_SECTORS + FAT_COUNT * this.fatSectors); }
}

/** The cluster size Microsoft's formatter picks for this volume size, and the FAT size that follows. */
function geometryFor(totalSectors: i64): Geometry {
  const geometry = new Geometry();
  const mebibytes = totalSectors * SECTOR >> 20;
  geometry.sectorsPerCluster = mebibytes <= 260 ? 1 : mebibytes <= 8192 ? 8 : mebibytes <= 16384 ? 16 : mebibytes <= 32768 ? 32 : 64;
  geometry.totalSectors = totalSectors;
  const available = totalSectors - RESERVED_SECTORS;
  const perFatSector = (256 * <i64>geometry.sectorsPerCluster + FAT_COUNT) / 2;
  geometry.fatSectors = <i32>((available + perFatSector - 1) / perFatSector);
  geometry.clusterCount = (totalSectors - geometry.dataStart) / geometry.sectorsPerCluster;
  return geometry;
}

/** True when a FAT32 volume of `totalSectors` is valid and has room for `dataBytes` (plus directories). */
export function fatFits(totalSectors: i64, dataBytes: i64, fileCount: i32): bool {
  const geometry = geometryFor(totalSectors);
  if (geometry.clusterCount < MIN_CLUSTERS) return false;
  const perFileSlack = <i64>geometry.clusterSize * 2;
  return dataBytes + perFileSlack * (fileCount + 1) <= geometry.clusterCount * geometry.clusterSize;
}

/** Hands out clusters depth-first from `next`; returns the next free cluster. */
function allocate(node: Node, clusterSize: i32, next: u32): u32 {
  node.children.sort(compareNodes);
  let bytes: i64;
  if (node.isDirectory) {
    const entries = node.children.length + (node.parent == null ? 1 : 2);
    bytes = <i64>entries * ENTRY_SIZE;
  } else {
    bytes = node.data!.length;
  }
  node.clusterCount = <u32>((bytes + clusterSize - 1) / clusterSize);
  if (node.isDirectory && node.clusterCount == 0) node.clusterCount = 1;
  node.firstCluster = node.clusterCount > 0 ? next : 0;
  next += node.clusterCount;
  for (let i = 0; i < node.children.length; i++) next = allocate(node.children[i], clusterSize, next);
  return next;
}

function writeEntry(volume: Uint8Array, at: i32, name: Uint8Array, attributes: i32, caseFlags: i32, cluster: u32, size: u32): void {
  putBytes(volume, at, name);
  put8(volume, at + 11, attributes);
  put8(volume, at + 12, caseFlags);
  put8(volume, at + 13, 0);
  put16(volume, at + 14, FIXED_TIME);
  put16(volume, at + 16, FIXED_DATE);
  put16(volume, at + 18, FIXED_DATE);
  put16(volume, at + 20, <i32>(cluster >> 16));
  put16(volume, at + 22, FIXED_TIME);
  put16(volume, at + 24, FIXED_DATE);
  put16(volume, at + 26, <i32>(cluster & 0xffff));
  put32(volume, at + 28, size);
}

function dotName(dots: i32): Uint8Array {
  const name = new Uint8Array(11);
  name.fill(0x20);
  for (let i = 0; i < dots; i++) name[i] = 0x2e;
  return name;
}

function labelName(label: string): Uint8Array {
  const name = new Uint8Array(11);
  name.fill(0x20);
  putAscii(name, 0, label.length > 11 ? label.substring(0, 11) : label);
  return name;
}

/** Writes a node's clusters (directory entries or file bytes), its FAT chain, and its children's. */
function writeNode(volume: Uint8Array, geometry: Geometry, node: Node, label: Uint8Array): void {
  const start = <i32>((geometry.dataStart + <i64>(node.firstCluster - 2) * geometry.sectorsPerCluster) * SECTOR);
  if (node.isDirectory) {
    let at = start;
    if (node.parent == null) {
      writeEntry(volume, at, label, ATTR_VOLUME_ID, 0, 0, 0);
      at += ENTRY_SIZE;
    } else {
      writeEntry(volume, at, dotName(1), ATTR_DIRECTORY, 0, node.firstCluster, 0);
      const parent = node.parent!;
      writeEntry(volume, at + ENTRY_SIZE, dotName(2), ATTR_DIRECTORY, 0, parent.parent == null ? 0 : parent.firstCluster, 0);
      at += 2 * ENTRY_SIZE;
    }
    for (let i = 0; i < node.children.length; i++) {
      const child = node.children[i];
      const size = child.isDirectory ? 0 : <u32>child.data!.length;
      writeEntry(volume, at, child.shortName, child.isDirectory ? ATTR_DIRECTORY : ATTR_ARCHIVE, child.caseFlags, child.firstCluster, size);
      at += ENTRY_SIZE;
    }
  } else if (node.clusterCount > 0) {
    putBytes(volume, start, node.data!);
  }
  for (let c: u32 = 0; c < node.clusterCount; c++) {
    const cluster = node.firstCluster + c;
    const value = c + 1 == node.clusterCount ? END_OF_CHAIN : cluster + 1;
    for (let f = 0; f < FAT_COUNT; f++) {
      put32(volume, (RESERVED_SECTORS + f * geometry.fatSectors) * SECTOR + <i32>cluster * 4, value);
    }
  }
  for (let i = 0; i < node.children.length; i++) writeNode(volume, geometry, node.children[i], label);
}

function writeBootSector(volume: Uint8Array, at: i32, geometry: Geometry, hiddenSectors: u32, serial: u32, label: Uint8Array): void {
  put8(volume, at, 0xeb); put8(volume, at + 1, 0x58); put8(volume, at + 2, 0x90);
  putAscii(volume, at + 3, "DELOS   ");
  put16(volume, at + 11, SECTOR);
  put8(volume, at + 13, geometry.sectorsPerCluster);
  put16(volume, at + 14, RESERVED_SECTORS);
  put8(volume, at + 16, FAT_COUNT);
  put16(volume, at + 17, 0);
  put16(volume, at + 19, 0);
  put8(volume, at + 21, 0xf8);
  put16(volume, at + 22, 0);
  put16(volume, at + 24, 63);
  put16(volume, at + 26, 255);
  put32(volume, at + 28, hiddenSectors);
  put32(volume, at + 32, <u32>geometry.totalSectors);
  put32(volume, at + 36, <u32>geometry.fatSectors);
  put16(volume, at + 40, 0);
  put16(volume, at + 42, 0);
  put32(volume, at + 44, ROOT_CLUSTER);
  put16(volume, at + 48, 1);
  put16(volume, at + 50, 6);
  put8(volume, at + 64, 0x80);
  put8(volume, at + 66, 0x29);
  put32(volume, at + 67, serial);
  putBytes(volume, at + 71, label);
  putAscii(volume, at + 82, "FAT32   ");
  // Boot code for a legacy BIOS that boots this volume by mistake: hang ("jmp $").
  put8(volume, at + 90, 0xeb); put8(volume, at + 91, 0xfe);
  put8(volume, at + 510, 0x55); put8(volume, at + 511, 0xaa);
}

function writeFsInfo(volume: Uint8Array, at: i32, freeClusters: u32, nextFree: u32): void {
  put32(volume, at, 0x41615252);
  put32(volume, at + 484, 0x61417272);
  put32(volume, at + 488, freeClusters);
  put32(volume, at + 492, nextFree);
  put32(volume, at + 508, 0xaa550000);
}

/**
 * Formats `volume` (the partition's bytes, zeroed) as FAT32 holding `files`.
 * `hiddenSectors` is the partition's first LBA; `serial` the volume serial.
 * False (with a message) when a name is invalid or the files do not fit.
 */
export function writeFat32(volume: Uint8Array, hiddenSectors: u32, serial: u32, volumeLabel: string, files: FatFile[]): bool {
  const totalSectors = <i64>(volume.length / SECTOR);
  const geometry = geometryFor(totalSectors);
  if (geometry.clusterCount < MIN_CLUSTERS) {
    setMessage("fat32: a volume of " + totalSectors.toString() + " sectors has " + geometry.clusterCount.toString() + " clusters; FAT32 needs at least 65525");
    return false;
  }
  const root = buildTree(files);
  if (root == null) return false;
  const next = allocate(root, geometry.clusterSize, ROOT_CLUSTER);
  if (<i64>next - 2 > geometry.clusterCount) {
    setMessage("fat32: the files need " + (next - 2).toString() + " clusters; the volume has " + geometry.clusterCount.toString());
    return false;
  }
  const label = labelName(volumeLabel);
  for (let f = 0; f < FAT_COUNT; f++) {
    const fat = (RESERVED_SECTORS + f * geometry.fatSectors) * SECTOR;
    put32(volume, fat, 0x0ffffff8);
    put32(volume, fat + 4, 0x0fffffff);
  }
  writeNode(volume, geometry, root, label);
  for (let copy = 0; copy < 2; copy++) {
    const sector = copy == 0 ? 0 : 6;
    writeBootSector(volume, sector * SECTOR, geometry, hiddenSectors, serial, label);
    writeFsInfo(volume, (sector + 1) * SECTOR, <u32>(geometry.clusterCount - (<i64>next - 2)), next);
    put8(volume, (sector + 2) * SECTOR + 510, 0x55);
    put8(volume, (sector + 2) * SECTOR + 511, 0xaa);
  }
  return true;
}
