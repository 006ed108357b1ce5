// `delos fs ls|cat|put|rm|mkdir|mv|fsck IMAGE[:PATH]` and `delos fs mkfs
// IMAGE SIZE`: Delos volumes inside disk image files, read and written by
// the file-system library itself (sdk/lib/fs, run in V8 through
// sdk/host/fs-volume.ts), as mtools does for FAT. IMAGE is a volume file or
// a GPT disk image with a Delos volume in a partition; PATH is absolute.
// Each changing subcommand is one commit.

import { existsSync, readFileSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import {
  FS_BLOCK_SIZE, FsError, FsVolume, STATUS_NAMES, TYPE_DIRECTORY, makeVolumeFile, withImageVolume,
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
].join("\n");

/** Splits IMAGE[:PATH] at the first ":/" (an image name may hold ':' but not before a '/'). */
export function splitTarget(target: string): { image: string; path: string } {
  const at = target.indexOf(":/");
  if (at < 0) return { image: target.replace(/:$/, ""), path: "/" };
  return { image: target.slice(0, at), path: target.slice(at + 1) };
}

/** Parses a size such as 65536, 64K, 16M or 1G into bytes, rounded down to whole blocks. */
export function parseSize(text: string): number {
  const match = /^(\d+)([KMG]?)$/i.exec(text);
  if (!match) throw new UsageError(`SIZE must be a number of bytes with an optional K, M or G, not ${JSON.stringify(text)}`);
  const scale = { "": 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[match[2]!.toUpperCase()]!;
  return Math.floor((Number(match[1]) * scale) / FS_BLOCK_SIZE) * FS_BLOCK_SIZE;
}

function needPath(target: string, what: string): { image: string; path: string } {
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
      const { image, path } = splitTarget(args[0] ?? "");
      imageMustExist(image);
      return withImageVolume(image, false, (volume) => {
        const stat = volume.stat(volume.lookup(path));
        const entries = stat.type === TYPE_DIRECTORY ? volume.list(path) : [{ name: path.replace(/^.*\//, ""), inode: stat.inode, directory: false }];
        for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
          const s = volume.stat(entry.inode);
          process.stdout.write(`${entry.directory ? "d" : "-"} ${String(entry.directory ? s.entries : s.size).padStart(12)} ${time(s.modified)} ${entry.name}${entry.directory ? "/" : ""}\n`);
        }
        return 0;
      });
    }
    case "cat": {
      const { image, path } = needPath(args[0] ?? "", "cat");
      imageMustExist(image);
      return withImageVolume(image, false, (volume) => {
        process.stdout.write(volume.readFile(path));
        return 0;
      });
    }
    case "put": {
      const { image, path } = needPath(args[0] ?? "", "put");
      imageMustExist(image);
      const source = args[1];
      if (source !== undefined && !existsSync(source)) throw new UsageError(`${source}: no such file`);
      const data = readFileSync(source ?? 0);
      return withImageVolume(image, true, (volume) => {
        volume.writeFile(path, data);
        volume.commit();
        return 0;
      });
    }
    case "mkdir":
    case "rm": {
      const { image, path } = needPath(args[0] ?? "", sub);
      imageMustExist(image);
      return withImageVolume(image, true, (volume) => {
        if (sub === "mkdir") volume.mkdir(path); else volume.remove(path);
        volume.commit();
        return 0;
      });
    }
    case "mv": {
      const { image, path } = needPath(args[0] ?? "", "mv");
      const to = args[1];
      if (to === undefined || !to.startsWith("/")) throw new UsageError("mv needs IMAGE:PATH and an absolute PATH to move it to");
      imageMustExist(image);
      return withImageVolume(image, true, (volume) => {
        volume.rename(path, to);
        volume.commit();
        return 0;
      });
    }
    case "fsck": {
      const { image } = splitTarget(args[0] ?? "");
      imageMustExist(image);
      return withImageVolume(image, false, (volume: FsVolume) => {
        const check = volume.fsck();
        for (const note of check.notes) process.stdout.write(`note: ${note}\n`);
        for (const problem of check.problems) process.stdout.write(`problem: ${problem}\n`);
        process.stdout.write(`${image}: generation ${check.generation}, ${check.files} files, ${check.directories} directories, `
          + `${check.nodes} tree nodes, ${check.dataBlocks} data blocks, ${check.usedBlocks} of ${check.blockCount} blocks used: `
          + `${check.problems.length === 0 ? "clean" : `${check.problems.length} problems`}\n`);
        return check.problems.length === 0 ? 0 : EXIT_FAILED;
      });
    }
    default:
      throw new UsageError(`unknown fs subcommand ${JSON.stringify(sub)}\n${USAGE}`);
  }
}

export const fs: CliCommand = {
  name: "fs",
  summary: "read and write Delos volumes in disk image files: ls, cat, put, rm, mkdir, mv, fsck, mkfs",
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
