// `delos fs ls|cat|put|rm|mkdir|mv|fsck IMAGE[:PATH]` and `delos fs mkfs
// IMAGE SIZE`: Delos volumes inside disk image files, read and written by
// the file-system library itself (sdk/lib/fs, run in V8 through
// sdk/host/fs-volume.ts), as mtools does for FAT. IMAGE is a volume file or
// a GPT disk image with a Delos volume in a partition; PATH is absolute.
// Each changing subcommand is one commit.
//
// On a disk image, IMAGE@system, IMAGE@home or IMAGE@N (a partition number)
// chooses the volume; plain IMAGE is the user volume (docs/disk-layout.md).
// The system volume is read through its hash tree and refuses every change;
// `delos fs verify` reads each of its blocks against the tree.

import { existsSync, readFileSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import {
  FS_BLOCK_SIZE, FsError, FsVolume, STATUS_NAMES, TYPE_DIRECTORY, type VolumeChoice, makeVolumeFile, verifyImage, withImageVolume,
} from "../../host/fs-volume";
import { CliCommand, UsageError } from "../command";

/** Exit status when the volume says no (no such file, corrupt block, not a volume). */
const EXIT_FAILED = 1;

const USAGE = [
  "delos fs mkfs IMAGE SIZE [--force]   make IMAGE a file of SIZE bytes (K, M, G suffixes) holding an empty volume",
  "delos fs ls IMAGE[:PATH]             list a directory (type, size, modification time, name)",
  "delos fs cat IMAGE:PATH              write a file to standard output",
  "delos fs put IMAGE:PATH [FILE]       copy FILE (or standard input) into the volume, replacing PATH",
  "delos fs mkdir IMAGE:PATH            make a directory",
  "delos fs rm IMAGE:PATH               remove a file or an empty directory",
  "delos fs mv IMAGE:PATH PATH          rename, across directories too",
  "delos fs fsck IMAGE                  check every block and structure; exit status 1 when something is wrong",
  "delos fs verify IMAGE [--root HEX]   read every block of the system volume against its hash tree, then fsck it",
  "",
  "IMAGE is a volume file or a GPT disk image; on a disk, IMAGE@system, IMAGE@home or IMAGE@N (partition N)",
  "chooses the volume, and IMAGE alone is the user volume (home). The system volume is read-only and verified.",
].join("\n");

/** A command's target: the image file, the volume in it (VolumeChoice), and the path in the volume. */
export interface Target { image: string; volume: VolumeChoice; path: string; }

/** Splits the image name's @system, @home or @N suffix off. */
function splitVolume(image: string): { image: string; volume: VolumeChoice } {
  const match = /^(.*)@(system|home|\d+)$/.exec(image);
  if (match === null) return { image, volume: null };
  const choice = match[2]!;
  return { image: match[1]!, volume: /^\d+$/.test(choice) ? Number(choice) : (choice as "system" | "home") };
}

/** Splits IMAGE[@VOLUME][:PATH] at the first ":/" (an image name may hold ':' but not before a '/'). */
export function splitTarget(target: string): Target {
  const at = target.indexOf(":/");
  if (at < 0) return { ...splitVolume(target.replace(/:$/, "")), path: "/" };
  return { ...splitVolume(target.slice(0, at)), path: target.slice(at + 1) };
}

/** Parses a size such as 65536, 64K, 16M or 1G into bytes, rounded down to whole blocks. */
export function parseSize(text: string): number {
  const match = /^(\d+)([KMG]?)$/i.exec(text);
  if (!match) throw new UsageError(`SIZE must be a number of bytes with an optional K, M or G, not ${JSON.stringify(text)}`);
  const scale = { "": 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[match[2]!.toUpperCase()]!;
  return Math.floor((Number(match[1]) * scale) / FS_BLOCK_SIZE) * FS_BLOCK_SIZE;
}

function needPath(target: string, what: string): Target {
  const split = splitTarget(target);
  if (split.path === "/") throw new UsageError(`${what} needs IMAGE:PATH with a path below the root, not ${JSON.stringify(target)}`);
  return split;
}

function imageMustExist(image: string): void {
  if (!existsSync(image)) throw new UsageError(`${image}: no such image file`);
}

function time(nanoseconds: bigint): string {
  return new Date(Number(nanoseconds / 1_000_000n)).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
}

function run(sub: string, args: string[]): number {
  switch (sub) {
    case "mkfs": {
      const [image, size, ...rest] = args;
      if (image === undefined || size === undefined) throw new UsageError("mkfs needs IMAGE and SIZE");
      const force = rest.includes("--force");
      if (existsSync(image) && statSync(image).size > 0 && !force) throw new UsageError(`${image} exists; --force replaces it`);
      const bytes = parseSize(size);
      makeVolumeFile(image, bytes, randomBytes(8).readBigUInt64LE());
      process.stdout.write(`${image}: an empty Delos volume of ${bytes / FS_BLOCK_SIZE} blocks of ${FS_BLOCK_SIZE} bytes\n`);
      return 0;
    }
    case "ls": {
      const { image, volume: choice, path } = splitTarget(args[0] ?? "");
      imageMustExist(image);
      return withImageVolume(image, false, (volume) => {
        const stat = volume.stat(volume.lookup(path));
        const entries = stat.type === TYPE_DIRECTORY ? volume.list(path) : [{ name: path.replace(/^.*\//, ""), inode: stat.inode, directory: false }];
        for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
          const s = volume.stat(entry.inode);
          process.stdout.write(`${entry.directory ? "d" : "-"} ${String(entry.directory ? s.entries : s.size).padStart(12)} ${time(s.modified)} ${entry.name}${entry.directory ? "/" : ""}\n`);
        }
        return 0;
      }, choice);
    }
    case "cat": {
      const { image, volume: choice, path } = needPath(args[0] ?? "", "cat");
      imageMustExist(image);
      return withImageVolume(image, false, (volume) => {
        process.stdout.write(volume.readFile(path));
        return 0;
      }, choice);
    }
    case "put": {
      const { image, volume: choice, path } = needPath(args[0] ?? "", "put");
      imageMustExist(image);
      const source = args[1];
      if (source !== undefined && !existsSync(source)) throw new UsageError(`${source}: no such file`);
      const data = readFileSync(source ?? 0);
      return withImageVolume(image, true, (volume) => {
        volume.writeFile(path, data);
        volume.commit();
        return 0;
      }, choice);
    }
    case "mkdir":
    case "rm": {
      const { image, volume: choice, path } = needPath(args[0] ?? "", sub);
      imageMustExist(image);
      return withImageVolume(image, true, (volume) => {
        if (sub === "mkdir") volume.mkdir(path); else volume.remove(path);
        volume.commit();
        return 0;
      }, choice);
    }
    case "mv": {
      const { image, volume: choice, path } = needPath(args[0] ?? "", "mv");
      const to = args[1];
      if (to === undefined || !to.startsWith("/")) throw new UsageError("mv needs IMAGE:PATH and an absolute PATH to move it to");
      imageMustExist(image);
      return withImageVolume(image, true, (volume) => {
        volume.rename(path, to);
        volume.commit();
        return 0;
      }, choice);
    }
    case "fsck": {
      const { image, volume: choice } = splitTarget(args[0] ?? "");
      imageMustExist(image);
      return withImageVolume(image, false, (volume: FsVolume) => {
        const check = volume.fsck();
        for (const note of check.notes) process.stdout.write(`note: ${note}\n`);
        for (const problem of check.problems) process.stdout.write(`problem: ${problem}\n`);
        process.stdout.write(`${image}: generation ${check.generation}, ${check.files} files, ${check.directories} directories, `
          + `${check.nodes} tree nodes, ${check.dataBlocks} data blocks, ${check.replyRecords} reply records, ${check.usedBlocks} of ${check.blockCount} blocks used: `
          + `${check.problems.length === 0 ? "clean" : `${check.problems.length} problems`}\n`);
        return check.problems.length === 0 ? 0 : EXIT_FAILED;
      }, choice);
    }
    case "verify": {
      const { image, volume: choice } = splitTarget(args[0] ?? "");
      imageMustExist(image);
      const rootAt = args.indexOf("--root");
      const root = rootAt >= 0 ? args[rootAt + 1] : null;
      if (root !== null && (root === undefined || !/^[0-9a-f]{64}$/i.test(root))) throw new UsageError("--root takes the root hash: 64 hexadecimal digits");
      const result = verifyImage(image, choice, root ?? null);
      if (result.source === "partition") {
        process.stdout.write("note: no payload holds this volume's verity record; using the copy beside the tree, which shows the blocks are whole, "
          + "not that they are the ones built (give --root to check that)\n");
      }
      for (const refusal of result.refusals) process.stdout.write(`refused: ${refusal}\n`);
      if (result.refused > BigInt(result.refusals.length)) process.stdout.write(`refused: ... ${result.refused - BigInt(result.refusals.length)} more\n`);
      for (const problem of result.check?.problems ?? []) process.stdout.write(`problem: ${problem}\n`);
      const bad = result.refused > 0n || result.refusals.length > 0 || (result.check?.problems.length ?? 0) > 0;
      process.stdout.write(`${image}: root ${result.root} (from the ${result.source === "payload" ? "payload" : "partition's own record"}), `
        + `${result.blocks} blocks, hash tree of ${result.levels} levels in ${result.treeBlocks} blocks: `
        + `${result.refused} refused, fsck ${result.check === null ? "not run" : result.check.problems.length === 0 ? "clean" : `${result.check.problems.length} problems`}: `
        + `${bad ? "FAILED" : "verified"}\n`);
      return bad ? EXIT_FAILED : 0;
    }
    default:
      throw new UsageError(`unknown fs subcommand ${JSON.stringify(sub)}\n${USAGE}`);
  }
}

export const fs: CliCommand = {
  name: "fs",
  summary: "read and write Delos volumes in disk image files: ls, cat, put, rm, mkdir, mv, fsck, verify, mkfs",
  usage: USAGE,
  run(args) {
    const [sub, ...rest] = args;
    if (sub === undefined) throw new UsageError(`fs needs a subcommand\n${USAGE}`);
    try {
      return run(sub, rest);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      const meaning = STATUS_NAMES[error.status];
      process.stderr.write(`delos fs ${sub}: ${error.message}${meaning && !error.message.includes(meaning) ? ` (${meaning})` : ""}\n`);
      return EXIT_FAILED;
    }
  },
};
