// `delos fs` (sdk/cli/commands/fs.ts) on volume files and on a GPT disk
// image with a volume in a partition: each subcommand does what it says,
// what one writes the others read back, fsck is clean after each, and
// failures are one clear line with exit status 1 (the volume said no) or 2
// (the command was called wrongly).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { FS_BLOCK_SIZE } from "../../sdk/host/fs-volume";

function delos(args: string[], input?: Uint8Array): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(process.execPath, [join(buildDir, "host", "delos.js"), ...args], { input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

function withDirectory(body: (directory: string) => void): void {
  const directory = mkdtempSync(join(tmpdir(), "delos-fs-"));
  try { body(directory); } finally { rmSync(directory, { recursive: true, force: true }); }
}

export function register(test: TestFunction): void {
  test("mkfs, mkdir, put, ls, cat, mv, rm and fsck on a volume file", (t) => {
    withDirectory((directory) => {
      const image = join(directory, "volume.img");
      t.eq(delos(["fs", "mkfs", image, "4M"]).status, 0, "mkfs");
      t.eq(readFileSync(image).length, 4 << 20, "the file has the size asked for");
      t.eq(delos(["fs", "mkfs", image, "4M"]).status, 2, "mkfs does not replace an existing file without --force");
      t.eq(delos(["fs", "mkdir", `${image}:/docs`]).status, 0, "mkdir");
      const text = new TextEncoder().encode("a line of text\n".repeat(1000));
      const source = join(directory, "source.txt");
      writeFileSync(source, text);
      t.eq(delos(["fs", "put", `${image}:/docs/text.txt`, source]).status, 0, "put from a file");
      t.eq(delos(["fs", "put", `${image}:/stdin.bin`], new Uint8Array([1, 2, 3])).status, 0, "put from standard input");
      const root = delos(["fs", "ls", image]);
      t.eq(root.status, 0, "ls");
      t.ok(/^d\s+1 .* docs\/$/m.test(root.stdout.toString()) && /^-\s+3 .* stdin\.bin$/m.test(root.stdout.toString()), root.stdout.toString());
      t.ok(/^-\s+15000 .* text\.txt$/m.test(delos(["fs", "ls", `${image}:/docs`]).stdout.toString()), "ls of a subdirectory");
      t.eq(Buffer.compare(delos(["fs", "cat", `${image}:/docs/text.txt`]).stdout, Buffer.from(text)), 0, "cat gives back what put wrote");
      t.eq(delos(["fs", "mv", `${image}:/stdin.bin`, "/docs/moved.bin"]).status, 0, "mv across directories");
      t.eq([...delos(["fs", "cat", `${image}:/docs/moved.bin`]).stdout], [1, 2, 3], "the moved file");
      t.eq(delos(["fs", "rm", `${image}:/docs/text.txt`]).status, 0, "rm");
      const fsck = delos(["fs", "fsck", image]);
      t.eq(fsck.status, 0, "fsck");
      t.ok(/1 files, 2 directories, .*: clean$/m.test(fsck.stdout.toString()), fsck.stdout.toString());
    });
  });

  test("clear errors: no such file, not empty, not a Delos volume, a corrupt block named, bad usage", (t) => {
    withDirectory((directory) => {
      const image = join(directory, "volume.img");
      delos(["fs", "mkfs", image, "1M"]);
      delos(["fs", "mkdir", `${image}:/d`]);
      delos(["fs", "put", `${image}:/d/f`], new Uint8Array(5000).fill(7));
      let result = delos(["fs", "cat", `${image}:/nothing`]);
      t.eq(result.status, 1, "a missing file: status 1");
      t.ok(result.stderr.includes("no such file or directory"), result.stderr);
      result = delos(["fs", "rm", `${image}:/d`]);
      t.ok(result.status === 1 && result.stderr.includes("not empty"), result.stderr);
      const other = join(directory, "other.img");
      writeFileSync(other, new Uint8Array(1 << 20).fill(0x55));
      result = delos(["fs", "ls", other]);
      t.ok(result.status === 1 && result.stderr.includes("not a Delos volume"), result.stderr);
      result = delos(["fs", "ls", join(directory, "missing.img")]);
      t.ok(result.status === 2 && result.stderr.includes("no such image file"), result.stderr);
      result = delos(["fs", "frobnicate", image]);
      t.ok(result.status === 2 && result.stderr.includes("unknown fs subcommand"), result.stderr);
      result = delos(["fs", "mkfs", join(directory, "x.img"), "lots"]);
      t.ok(result.status === 2 && result.stderr.includes("SIZE must be"), result.stderr);

      // Flip one bit in each block of file data: cat and fsck both name the block.
      const bytes = readFileSync(image);
      const data = [...Array(bytes.length / FS_BLOCK_SIZE).keys()].filter((block) =>
        block > 3 && bytes[block * FS_BLOCK_SIZE + 100] === 7 && bytes[block * FS_BLOCK_SIZE] === 7);
      t.eq(data.length, 2, "the file's two data blocks");
      const fd = openSync(image, "r+");
      writeSync(fd, new Uint8Array([7 ^ 0x20]), 0, 1, data[1]! * FS_BLOCK_SIZE + 17);
      closeSync(fd);
      result = delos(["fs", "cat", `${image}:/d/f`]);
      t.ok(result.status === 1 && result.stderr.includes(`corrupt block at ${data[1]}`), result.stderr);
      result = delos(["fs", "fsck", image]);
      t.ok(result.status === 1 && result.stdout.toString().includes(`problem: corrupt block at ${data[1]}: checksum mismatch`), result.stdout.toString());
    });
  });

  test("a volume in a GPT partition of a disk image is found and used", (t) => {
    withDirectory((directory) => {
      const volume = join(directory, "volume.img");
      delos(["fs", "mkfs", volume, "2M"]);
      delos(["fs", "put", `${volume}:/hello`], new TextEncoder().encode("from a partition"));
      const disk = join(directory, "disk.img");
      writeFileSync(disk, new Uint8Array(8 << 20));
      const gpt = spawnSync("sgdisk", ["-n", "1:2048:+1M", "-n", "2:4096:+2M", disk], { encoding: "utf8" });
      t.eq(gpt.status, 0, `sgdisk: ${gpt.stderr}`);
      const fd = openSync(disk, "r+");
      writeSync(fd, readFileSync(volume), 0, 2 << 20, 4096 * 512);
      closeSync(fd);
      t.eq(delos(["fs", "cat", `${disk}:/hello`]).stdout.toString(), "from a partition", "cat finds the volume in partition 2");
      t.eq(delos(["fs", "put", `${disk}:/second`], new Uint8Array([9])).status, 0, "put into it");
      t.eq(delos(["fs", "fsck", disk]).status, 0, "fsck clean");
      t.eq([...readFileSync(disk).subarray(0, 512)].some((b) => b !== 0), true, "the protective MBR is still there");
    });
  });
}
