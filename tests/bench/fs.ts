// `npm run bench -- fs`: the file-system library (sdk/lib/fs) in V8 over a
// block device in memory: sequential write and read, small-file creates,
// and the cost of one synced commit; then the same workload on Delos,
// through the client library, the file server and the block driver of the
// storage bench image (images/files-bench.json, tests/os/files-bench) on a
// volume attached as /dev/disk1: two boots, one for times and TSC cycles,
// one under TCG with `-icount shift=0` for instructions (QEMU then counts
// one nanosecond per instruction, tests/bench/kernel.ts). Both printed side
// by side; figures only, nothing asserted.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsVolume, MemoryDevice, makeVolumeFile } from "../../sdk/host/fs-volume";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { Machine, type MachineOptions } from "../../sdk/qemu/index";

/** What each workload gave: MB/s or operations per second, and ms per operation. */
interface FsFigures {
  writeMBs: number;
  readMBs: number;
  createsPerSecond: number;
  syncedPerSecond: number;
  /** One commit: ms, and where counted, instructions and TSC cycles. */
  commitMs: number;
  commitInstructions?: number;
  commitCycles?: number;
}

const FIGURE = /kernel: files-bench: ([a-z-]+) (\d+) (\d+) (\d+)/g;
const VOLUME_BYTES = 64 << 20;

export async function benchFs(log: (line: string) => void): Promise<void> {
  const host = benchFsHost(log);
  const delos = await benchFsDelos(log);
  if (delos == null) return;
  const row = (what: string, unit: string, hostValue: number, delosValue: number, digits: number) =>
    log(`bench: fs:   ${what.padEnd(22)} ${hostValue.toFixed(digits).padStart(12)} ${delosValue.toFixed(digits).padStart(12)}  ${unit}`);
  log(`bench: fs: side by side ${"V8, RAM device".padStart(35)} ${"Delos".padStart(12)}`);
  row("sequential write", "MB/s", host.writeMBs, delos.writeMBs, 1);
  row("sequential read", "MB/s", host.readMBs, delos.readMBs, 1);
  row("small-file creates", "per second, one commit for all", host.createsPerSecond, delos.createsPerSecond, 0);
  row("synced creates", "per second, one commit each", host.syncedPerSecond, delos.syncedPerSecond, 0);
  row("one synced commit", "ms", host.commitMs, delos.commitMs, 3);
  log(`bench: fs:   one synced commit on Delos: ${(delos.commitInstructions ?? NaN).toLocaleString("en")} instructions, ${(delos.commitCycles ?? NaN).toLocaleString("en")} TSC cycles`);
}

function benchFsHost(log: (line: string) => void): FsFigures {
  const device = new MemoryDevice(64 * 1024); // 256 MiB
  const volume = new FsVolume(device);
  volume.format(1n);
  volume.mount();
  const chunk = new Uint8Array(1 << 20).map((_, i) => i * 7);
  const megabytes = 64;
  const inode = volume.create("/sequential");
  let began = performance.now();
  for (let i = 0; i < megabytes; i++) volume.write(inode, BigInt(i) << 20n, chunk);
  volume.commit();
  const writeMs = performance.now() - began;
  began = performance.now();
  for (let i = 0; i < megabytes; i++) volume.read(inode, BigInt(i) << 20n, chunk.length);
  const readMs = performance.now() - began;
  volume.mkdir("/small");
  const small = new Uint8Array(100);
  const files = 2000;
  began = performance.now();
  for (let i = 0; i < files; i++) volume.write(volume.create(`/small/file-${i}`), 0n, small);
  volume.commit();
  const createMs = performance.now() - began;
  const synced = 500;
  began = performance.now();
  for (let i = 0; i < synced; i++) {
    volume.write(volume.create(`/small/synced-${i}`), 0n, small);
    volume.commit();
  }
  const syncedMs = performance.now() - began;
  log(`bench: file system in V8 over a RAM device (sdk/lib/fs), ${megabytes} MiB file, 1 MiB requests`);
  log(`bench:   sequential write     ${(megabytes / (writeMs / 1000)).toFixed(1)} MB/s (with its commit)`);
  log(`bench:   sequential read      ${(megabytes / (readMs / 1000)).toFixed(1)} MB/s`);
  log(`bench:   small-file creates   ${(files / (createMs / 1000)).toFixed(0)} per second, 100 bytes each, one commit for all`);
  log(`bench:   synced creates       ${(synced / (syncedMs / 1000)).toFixed(0)} per second, one commit each: ${(syncedMs / synced).toFixed(3)} ms per create and commit`);
  const commits = 200;
  const committed = volume.create("/small/committed");
  let commitMs = 0;
  for (let i = 0; i < commits; i++) {
    volume.write(committed, BigInt(i * small.length), small);
    began = performance.now();
    volume.commit();
    commitMs += performance.now() - began;
  }
  log(`bench:   one synced commit    ${(commitMs / commits).toFixed(3)} ms (a 100-byte write before each)`);
  return {
    writeMBs: megabytes / (writeMs / 1000), readMBs: megabytes / (readMs / 1000), createsPerSecond: files / (createMs / 1000),
    syncedPerSecond: synced / (syncedMs / 1000), commitMs: commitMs / commits,
  };
}

interface Boot {
  accel: string;
  /** Per figure name: units (bytes, files), ns (instructions under -icount) and TSC cycles of each run. */
  figures: Map<string, Array<{ units: number; ns: number; cycles: number }>>;
  problem: string | null;
}

async function boot(image: string, volume: string, options: Partial<MachineOptions>): Promise<Boot> {
  makeVolumeFile(volume, VOLUME_BYTES, 0xbe4c4f1e5n);
  const machine = await Machine.start({ image, disks: [volume], timeoutSeconds: 900, ...options });
  let problem: string | null = null;
  try {
    // Whichever comes first; the other is dropped when the machine quits.
    const done = machine.waitFor("files-bench: done", 800_000);
    const failed = machine.waitFor("files-bench: failed", 800_000);
    done.catch(() => {});
    failed.catch(() => {});
    await Promise.race([done, failed]);
    const failure = /files-bench: failed: .*/.exec(machine.serial);
    if (failure) problem = failure[0];
  } catch (error) {
    problem = (error as Error).message.split("\n")[0]!;
  } finally {
    await machine.quit();
  }
  const figures = new Map<string, Array<{ units: number; ns: number; cycles: number }>>();
  for (const match of machine.serial.matchAll(FIGURE)) {
    const list = figures.get(match[1]!) ?? [];
    list.push({ units: Number(match[2]), ns: Number(match[3]), cycles: Number(match[4]) });
    figures.set(match[1]!, list);
  }
  return { accel: machine.accel, figures, problem };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function benchFsDelos(log: (line: string) => void): Promise<FsFigures | null> {
  const directory = mkdtempSync(join(tmpdir(), "delos-files-bench-"));
  try {
    const image = join(directory, "files-bench.img");
    writeFileSync(image, buildRecipe(readRecipe("files-bench")).image);
    const volume = join(directory, "volume.img");
    const timed = await boot(image, volume, {});
    const counted = await boot(image, volume, { accel: "tcg", extraArgs: ["-icount", "shift=0"] });
    for (const [what, run] of [["timed", timed], ["instruction-counting", counted]] as const) {
      if (run.problem) log(`bench: fs: Delos ${what} boot: ✗ ${run.problem}`);
    }
    const one = (name: string) => timed.figures.get(name)?.[0];
    const write = one("write"), read = one("read"), creates = one("creates"), synced = one("synced-creates");
    const commits = timed.figures.get("commit") ?? [];
    if (!write || !read || !creates || !synced || commits.length == 0) { log("bench: fs: Delos: no figures"); return null; }
    const perSecond = (figure: { units: number; ns: number }) => figure.units / (figure.ns / 1e9);
    const instructions = (name: string) => (counted.figures.get(name) ?? []).map((figure) => figure.ns);
    const commitMs = median(commits.map((figure) => figure.ns)) / 1e6;
    log(`bench: fs: Delos, through the client library, the file server and the block driver (virtio-blk, a ${VOLUME_BYTES >> 20} MiB volume file); times and TSC cycles from a ${timed.accel} boot, instructions from a TCG boot with -icount shift=0`);
    log(`bench: fs:   sequential write     ${(perSecond(write) / 1e6).toFixed(2)} MB/s (${(write.units >> 20)} MiB in 32 KiB requests, with its commit), ${(median(instructions("write")) / (write.units >> 20)).toLocaleString("en")} instructions per MiB`);
    log(`bench: fs:   sequential read      ${(perSecond(read) / 1e6).toFixed(2)} MB/s, ${(median(instructions("read")) / (read.units >> 20)).toLocaleString("en")} instructions per MiB`);
    log(`bench: fs:   small-file creates   ${perSecond(creates).toFixed(0)} per second, 100 bytes each, one commit for all`);
    log(`bench: fs:   synced creates       ${perSecond(synced).toFixed(0)} per second, one commit each`);
    const commitInstructions = median(instructions("commit"));
    const commitCycles = median(commits.map((figure) => figure.cycles));
    log(`bench: fs:   one synced commit    ${commitMs.toFixed(3)} ms (${commitCycles.toLocaleString("en")} TSC cycles), ${commitInstructions.toLocaleString("en")} instructions; median of ${commits.length}`);
    return {
      writeMBs: perSecond(write) / 1e6, readMBs: perSecond(read) / 1e6, createsPerSecond: perSecond(creates),
      syncedPerSecond: perSecond(synced), commitMs, commitInstructions, commitCycles,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
