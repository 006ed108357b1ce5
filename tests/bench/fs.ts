// `npm run bench -- fs`: the file-system library (sdk/lib/fs) in V8 over a
// block device in memory: sequential write and read, small-file creates,
// and the cost of one synced commit. Figures only; the same code's figures
// on Delos and natively come with the file server.

import { FsVolume, MemoryDevice } from "../../sdk/host/fs-volume";

export function benchFs(log: (line: string) => void): void {
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
}
