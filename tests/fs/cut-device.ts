// A block device in memory that loses power at its `cutAt`-th event (a
// write or a flush, counted together, so that a cut can fall between a
// write and the flush that would make it durable). Nothing after the cut
// reaches it, and what the writes since the last flush left behind depends
// on the mode, as on real disks with a volatile cache:
//  - "drop": the writes before the cut arrived in order, the cut one did not;
//  - "tear": as "drop", but a cut write arrived half (its first 2 KiB);
//  - "reorder": any subset of the writes since the last flush arrived.
// The workload sees the cut as a thrown PowerCut; `survivor()` is then the
// disk as it would be found at the next boot.

import { FS_BLOCK_SIZE, FsDevice, MemoryDevice } from "../../sdk/host/fs-volume";

export type CutMode = "drop" | "tear" | "reorder";

export class PowerCut extends Error {}

/** A small deterministic random generator (xorshift32), so that every failure can be replayed from its seed. */
export class Random {
  private state: number;
  constructor(seed: number) { this.state = (seed >>> 0) || 0x9e3779b9; }
  next(): number {
    let x = this.state;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.state = x;
    return x;
  }
  /** An integer in [0, n). */
  below(n: number): number { return this.next() % n; }
}

export class CutDevice implements FsDevice {
  /** What reads see: every write so far. */
  private live: Uint8Array;
  /** What is durable: the state at the last flush. */
  private durable: Uint8Array;
  private pending: Array<{ block: number; data: Uint8Array }> = [];
  /** Writes and flushes so far. */
  events = 0;
  private cutImage: Uint8Array | null = null;
  /** Whether the cut write's torn half left the block as the whole write would have (its other half unchanged). */
  /** Whether a superblock (block 0 or 1) written since the last flush reached the disk whole before the cut. */
  superblockLanded = false;

  constructor(image: Uint8Array, readonly blocks: number, private cutAt: number, private mode: CutMode, private random: Random) {
    this.live = image.slice();
    this.durable = image.slice();
  }

  read(block: number, into: Uint8Array): boolean {
    into.set(this.live.subarray(block * FS_BLOCK_SIZE, (block + 1) * FS_BLOCK_SIZE));
    return true;
  }

  write(block: number, from: Uint8Array): boolean {
    if (++this.events === this.cutAt) this.cut(block, from);
    this.live.set(from, block * FS_BLOCK_SIZE);
    this.pending.push({ block, data: from.slice() });
    return true;
  }

  flush(): boolean {
    if (++this.events === this.cutAt) this.cut(-1, null);
    for (const { block, data } of this.pending) this.durable.set(data, block * FS_BLOCK_SIZE);
    this.pending = [];
    return true;
  }

  /** Cuts the power during a write of `data` to `block`, or during a flush (`data` null). */
  private cut(block: number, data: Uint8Array | null): never {
    const image = this.durable.slice();
    const land = (at: number, bytes: Uint8Array) => {
      image.set(bytes, at * FS_BLOCK_SIZE);
      if (at < 2) this.superblockLanded = true;
    };
    for (const write of this.pending) if (this.mode !== "reorder" || this.random.below(2) === 1) land(write.block, write.data);
    if (data !== null && this.mode === "tear") {
      image.set(data.subarray(0, FS_BLOCK_SIZE / 2), block * FS_BLOCK_SIZE);
      // A torn write whose lost half held what it would have written landed whole.
      if (image.subarray(block * FS_BLOCK_SIZE, (block + 1) * FS_BLOCK_SIZE).every((byte, i) => byte === data[i])) land(block, data);
    }
    this.cutImage = image;
    throw new PowerCut(`power cut at event ${this.events}`);
  }

  /** The disk after the cut (or, when there was none, after a clean shutdown). */
  survivor(): MemoryDevice {
    const device = new MemoryDevice(this.blocks);
    device.data.set(this.cutImage ?? this.live);
    return device;
  }
}
