// `npm run power-cut -- N [--seed S]`: N power cuts of a running Delos. The
// storage image (images/storage.json) boots with one volume attached as
// /dev/disk1; its workload (tests/os/storage-writer) writes, syncs, renames
// into place and removes files on /files, telling each step on the console
// once the file server answered it. At a random moment QEMU is killed
// (SIGKILL: what the guest had not handed to QEMU, and what QEMU had not
// handed to the host's file, is gone), and then, on the host:
//
// - `fsck` of the volume is clean;
// - every file the console said was committed, and not said to be removed
//   or being removed, is there with exactly its contents;
// - every file said removed is gone;
// - every other file of the workload was announced: a temporary one whose
//   rename was cut off is empty or holds all of its one write (a write is
//   applied in one commit, whole or not at all); one renamed before the cut
//   but whose line did not come out is whole (the rename's commit carried
//   the write).
//
// The next cut boots the same volume again, so each boot also mounts what
// the last cut left. Prints the counts; a failure prints what was wrong,
// keeps that boot's console in build/power-cut-N.serial and ends with
// status 1. Not part of `npm test` (a cut is a boot, 20-40 s under
// TCG).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDir } from "../../sdk/host/paths";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { makeVolumeFile, withImageVolume, TYPE_DIRECTORY } from "../../sdk/host/fs-volume";
import { Machine } from "../../sdk/qemu/index";

const VOLUME_BYTES = 64 << 20;
/** How long after the workload's first commit a cut may come, at most. */
const CUT_WINDOW_MS = 3_000;
const BOOT_TIMEOUT_MS = 120_000;

/** The contents of workload file `name` (the same stream as tests/os/storage-writer). */
export function contents(name: string, length: number): Uint8Array {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) { hash ^= name.charCodeAt(i); hash = Math.imul(hash, 0x01000193) >>> 0; }
  let state = (hash | 1) >>> 0;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state = (state ^ (state << 13)) >>> 0; state = (state ^ (state >>> 17)) >>> 0; state = (state ^ (state << 5)) >>> 0;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** What the consoles of all boots so far promised. */
interface Promises {
  /** Temporary files announced, with the length of their one write. */
  writing: Map<string, number>;
  committed: Map<string, number>;
  removing: Set<string>;
  removed: Set<string>;
}

function readConsole(serial: string, promises: Promises): void {
  // Whole lines only: the power may go in the middle of one, and "committed ab" cut from "committed abc-7" promises nothing.
  for (const match of serial.matchAll(/storage-writer: (writing|committed|removing|removed) (\S+?)(?: (\d+))?\r?\n/g)) {
    const [, what, name, length] = match;
    if (what === "writing") promises.writing.set(name!, Number(length));
    else if (what === "committed") promises.committed.set(name!, Number(length));
    else if (what === "removing") promises.removing.add(name!);
    else promises.removed.add(name!);
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The volume against the promises: the problems found. */
function check(volumePath: string, promises: Promises): { problems: string[]; files: number } {
  const problems: string[] = [];
  let files = 0;
  withImageVolume(volumePath, false, (volume) => {
    const report = volume.fsck();
    if (report.problems.length > 0) problems.push(`fsck: ${report.problems.join("; ")}`);
    let present = new Map<string, Uint8Array>();
    try {
      if (volume.stat(volume.lookup("/cuts")).type === TYPE_DIRECTORY) {
        present = new Map(volume.list("/cuts").map((entry) => [entry.name, volume.readFile(`/cuts/${entry.name}`)]));
      }
    } catch {
      // No /cuts yet: the first boot was cut before its mkdir.
    }
    files = present.size;
    for (const [name, length] of promises.committed) {
      const inFlight = promises.removing.has(name) && !promises.removed.has(name);
      const data = present.get(name);
      if (promises.removed.has(name)) { if (data !== undefined) problems.push(`${name} was removed and is back`); continue; }
      if (data === undefined) { if (!inFlight) problems.push(`${name} was committed and is missing`); continue; }
      if (!equal(data, contents(name, length))) problems.push(`${name} was committed and holds ${data.length} other bytes`);
    }
    for (const [name, data] of present) {
      if (promises.committed.has(name)) continue;
      const temporary = name.endsWith(".tmp");
      const length = promises.writing.get(temporary ? name : `${name}.tmp`);
      if (length === undefined) { problems.push(`${name} is on the volume and was never announced`); continue; }
      const whole = equal(data, contents(name.replace(/\.tmp$/, ""), length));
      // A temporary file had one write of `length` bytes, in one request: empty or whole, never in part.
      if (temporary && data.length !== 0 && !whole) problems.push(`${name}, never renamed, holds ${data.length} bytes: neither empty nor its ${length} bytes`);
      // A rename cut off before its line came out: its commit carried the write before it, so the file is whole.
      if (!temporary && !whole) problems.push(`${name}, renamed without its line, holds ${data.length} bytes, not its ${length}`);
    }
  });
  return { problems, files };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

/** xorshift32, for reproducible cut moments. */
function random(seed: number): () => number {
  let state = (Math.imul(seed, 0x9e3779b1) | 1) >>> 0;
  return () => {
    state = (state ^ (state << 13)) >>> 0; state = (state ^ (state >>> 17)) >>> 0; state = (state ^ (state << 5)) >>> 0;
    return state / 0x100000000;
  };
}

/** Runs `cuts` cuts; returns the number that failed. */
export async function powerCuts(cuts: number, seed: number, say: (line: string) => void): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), "delos-power-cut-"));
  try {
    const image = join(directory, "storage.img");
    writeFileSync(image, buildRecipe(readRecipe("storage")).image);
    const volume = join(directory, "volume.img");
    makeVolumeFile(volume, VOLUME_BYTES, BigInt(seed) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn);
    const promises: Promises = { writing: new Map(), committed: new Map(), removing: new Set(), removed: new Set() };
    const next = random(seed);
    let failed = 0;
    for (let cut = 1; cut <= cuts; cut++) {
      const machine = await Machine.start({ image, disks: [volume], timeoutSeconds: BOOT_TIMEOUT_MS / 1000 + 60 });
      let when = "";
      try {
        await machine.waitFor("storage-writer: committed", BOOT_TIMEOUT_MS);
        const delay = Math.floor(next() * CUT_WINDOW_MS);
        await new Promise((done) => setTimeout(done, delay));
        when = `${delay} ms after the first commit`;
      } catch (error) {
        when = `before any commit (${(error as Error).message.split("\n")[0]})`;
      } finally {
        machine.kill();
        await machine.exited;
      }
      const before = promises.committed.size;
      readConsole(machine.serial, promises);
      const { problems, files } = check(volume, promises);
      say(`power-cut: cut ${cut}/${cuts} ${when}: ${promises.committed.size - before} commits this boot, ${files} files on the volume, ${problems.length === 0 ? "ok" : "FAIL"}`);
      for (const problem of problems) say(`power-cut:   ${problem}`);
      if (problems.length > 0) {
        failed++;
        writeFileSync(join(buildDir, `power-cut-${cut}.serial`), machine.serial);
      }
    }
    say(`power-cut: ${cuts} cuts, ${failed} failed; ${promises.committed.size} files committed, ${promises.removed.size} removed (seed ${seed})`);
    return failed;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("power-cut.js")) {
  const count = Number(process.argv[2] ?? "20");
  if (!Number.isInteger(count) || count < 1) { process.stderr.write("usage: npm run power-cut -- N [--seed S]\n"); process.exit(2); }
  const failed = await powerCuts(count, option("--seed", Date.now() % 100000), (line) => process.stdout.write(`${line}\n`));
  process.exit(failed > 0 ? 1 : 0);
}
